#pragma once
// The Upbit profile's market: gateways::SyntheticMarket in (scaled) wall time, in KRW on Upbit's
// price-unit bands (api/exchanges/upbit TickTables: BTC at 140,000,000 KRW moves in 1,000 KRW
// ticks), turned into Upbit quotation terms: full top-N orderbook snapshots (no diffs), trades
// with a sequential_id, tickers with the day's open/high/low. Quotation only: no order entry.
//
// One thread (the server's io thread) calls everything; no locks.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/exchange_sim/UpbitJson.h"
#include "execution_engine/exchange_sim/VenueConfig.h"
#include "gateways/SyntheticMarket.h"

namespace hft::execution_engine::exchange_sim {

/// Upbit WebSocket quotation types the profile serves.
enum class UpbitStream : uint8_t { Trade = 0, Orderbook = 1, Ticker = 2 };

class UpbitVenue {
 public:
  /// A change of `code` ("KRW-BTC") for `kind`; the server formats it per connection with
  /// trade()/ticker()/orderbook() (DEFAULT or SIMPLE).
  using Output = std::function<void(UpbitStream kind, const config::Instrument& inst)>;

  /// Throws std::invalid_argument on an unknown symbol or a bad start price (start-up).
  UpbitVenue(const config::InstrumentRegistry& registry, VenueConfig config, common::TimestampNs startNs, Output out);
  ~UpbitVenue();

  /// Generates the market up to `nowNs`; each book that changed goes out once per call.
  void advance(common::TimestampNs nowNs);
  int64_t nowMs() const noexcept { return now_ / 1'000'000; }

  /// An instrument this profile serves ("KRW-BTC"); nullptr otherwise.
  const config::Instrument* instrument(std::string_view code) const noexcept;
  const std::vector<const config::Instrument*>& instruments() const noexcept { return instruments_; }

  /// Messages of the current state. trade() is false when no trade happened yet.
  bool trade(const config::Instrument& inst, bool simple, bool snapshot, std::string& out) const;
  std::string ticker(const config::Instrument& inst, bool simple, bool snapshot) const;
  std::string orderbook(const config::Instrument& inst, bool simple, bool snapshot) const;
  std::string restOrderbook(const config::Instrument& inst) const;
  std::string restTicker(const config::Instrument& inst) const;

  /// The tick the synthetic market uses for `inst` (the KRW band of its start price).
  int64_t tickOf(const config::Instrument& inst) const;

 private:
  struct Book;
  void apply(const common::EventHeader& e);
  upbit_json::BookView view(const Book& b) const;

  const config::InstrumentRegistry& registry_;
  VenueConfig config_;
  Output out_;
  std::unique_ptr<gateways::SyntheticMarket> market_;
  common::EventBuffer next_{};
  bool hasNext_ = false;
  common::TimestampNs now_ = 0;
  std::vector<std::unique_ptr<Book>> books_;
  std::map<common::InstrumentId, Book*> bookById_;
  std::vector<const config::Instrument*> instruments_;
};

}  // namespace hft::execution_engine::exchange_sim
