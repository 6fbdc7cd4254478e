#pragma once
// The instruments the system trades, loaded once at start-up from config/instruments.json (see
// README.md for the format). Immutable afterwards: lookups are const, noexcept and do not
// allocate, so gateways may call them per message and any thread may share one registry.
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/FixedPoint.h"  // an Instrument's prices and quantities are fixed-point raws
#include "common/Ids.h"
#include "config/VenueSymbol.h"

namespace hft::config {

/// One tradable pair on one venue. Prices and quantities of this instrument on the bus are
/// fixed-point raw integers at price_scale / qty_scale decimals.
struct Instrument {
  common::InstrumentId id = 0;      ///< dense, unique, > 0
  common::ExchangeId exchange = common::ExchangeId::None;
  std::string venue_symbol;         ///< as the venue spells it: "BTCUSDT", "KRW-BTC"
  std::string name;                 ///< normalized "BASE/QUOTE": "BTC/USDT", "BTC/KRW"
  std::string base, quote;
  int price_scale = 0;              ///< decimals of raw prices
  int qty_scale = 0;                ///< decimals of raw quantities
  int64_t tick_size = 0;            ///< raw at price_scale; valid prices are multiples of it
  int64_t lot_size = 0;             ///< raw at qty_scale; valid quantities are multiples of it
  int64_t min_notional = 0;         ///< raw at common::kAmountScale, in quote currency; 0 = none
};

class InstrumentRegistry {
 public:
  /// Largest accepted id: byId() is a table indexed by id, so ids are meant to be small.
  static constexpr common::InstrumentId kMaxId = 65535;
  /// Scales accepted for price_scale and qty_scale (raw values must leave room for products).
  static constexpr int kMaxScale = 12;

  /// Reads and validates a file. Throws ConfigError naming the file and the key path.
  static InstrumentRegistry loadFile(const std::string& path);
  /// Validates a parsed document; `source` names it in errors.
  static InstrumentRegistry fromJson(const nlohmann::json& j, const std::string& source);

  /// nullptr when unknown. O(1).
  const Instrument* byId(common::InstrumentId id) const noexcept;
  /// By the venue's spelling ("KRW-BTC" on upbit); nullptr when unknown.
  const Instrument* byVenueSymbol(common::ExchangeId exchange, std::string_view symbol) const noexcept;
  /// By normalized name ("BTC/KRW"); nullptr when unknown.
  const Instrument* byName(common::ExchangeId exchange, std::string_view normalized) const noexcept;
  /// Every instrument, in file order.
  const std::vector<Instrument>& all() const noexcept { return instruments_; }

 private:
  // Heterogeneous lookup: find(string_view) without building a std::string.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using SymbolIndex = std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>;
  struct VenueIndex {
    common::ExchangeId exchange;
    SymbolIndex bySymbol;  ///< venue_symbol -> index into instruments_
    SymbolIndex byName;    ///< name -> index into instruments_
  };

  void add(Instrument inst);
  const VenueIndex* venue(common::ExchangeId exchange) const noexcept;
  const Instrument* find(common::ExchangeId exchange, std::string_view key, bool byVenueSymbol) const noexcept;

  std::vector<Instrument> instruments_;
  std::vector<uint32_t> slotById_;  ///< id -> 1 + index into instruments_; 0 = no such id
  std::vector<VenueIndex> venues_;  ///< a handful of venues: a linear scan beats hashing
};

}  // namespace hft::config
