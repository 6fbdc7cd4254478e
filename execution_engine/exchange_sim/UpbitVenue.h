#pragma once
// The Upbit profile's market: gateways::SyntheticMarket in (scaled) wall time, in KRW on Upbit's
// price-unit bands (api/exchanges/upbit TickTables: BTC at 140,000,000 KRW moves in 1,000 KRW
// ticks), turned into Upbit quotation terms: full top-N orderbook snapshots (no diffs), trades
// with a sequential_id, tickers with the day's open/high/low. Order entry is UpbitOrderDesk's,
// fed every market event before it is shown. The venue's dialect (api::upbit::kUpbit or
// api::bithumb::kBithumb) picks the instruments, the price bands and the order spellings.
//
// One thread (the server's io thread) calls everything; no locks.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/exchanges/upbit/Dialect.h"
#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/exchange_sim/UpbitJson.h"
#include "execution_engine/exchange_sim/UpbitOrderDesk.h"
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

  /// Throws std::invalid_argument on an unknown symbol, a bad start price, fee, balance or tick
  /// rules file (start-up). `dialect` must outlive the venue.
  UpbitVenue(const config::InstrumentRegistry& registry, const api::upbit::Dialect& dialect, VenueConfig config,
             common::TimestampNs startNs, Output out, UpbitOrderDesk::Output privateOut = {});
  ~UpbitVenue();

  /// Generates the market up to `nowNs`; each book that changed goes out once per call.
  /// `dropTrade` is asked before each trade goes out (the gap fault): true = the trade is not
  /// shown and its sequential_id is skipped.
  void advance(common::TimestampNs nowNs, const std::function<bool()>& dropTrade = {});
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

  const api::upbit::Dialect& dialect() const noexcept { return dialect_; }
  UpbitOrderDesk& desk() noexcept { return *desk_; }
  const UpbitOrderDesk& desk() const noexcept { return *desk_; }

 private:
  struct Book;
  void apply(const common::EventHeader& e, const std::function<bool()>& dropTrade);
  upbit_json::BookView view(const Book& b) const;
  api::shared::TickBands krwBands() const;

  const config::InstrumentRegistry& registry_;
  const api::upbit::Dialect& dialect_;
  std::vector<api::shared::TickBand> fileBands_;  ///< from tick_rules_path (empty: Upbit's table)
  int fileScale_ = 0;
  std::unique_ptr<UpbitOrderDesk> desk_;
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
