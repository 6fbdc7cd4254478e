#pragma once
// The simulated venue's state and its glue: gateways::SyntheticMarket generates the public market
// in (scaled) wall time, sim::SimulatedExchange matches our clients' orders against it (latency
// zero: event time = the simulator's clock), and this class turns both into Binance terms: depth
// diffs with contiguous U/u/pu and REST snapshots consistent with them, trade / aggTrade /
// bookTicker frames, order records and replies, user-data events, balances and positions.
//
// One thread (the server's io thread) calls everything; no locks.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/exchange_sim/BinanceJson.h"
#include "execution_engine/exchange_sim/OrderRecord.h"
#include "execution_engine/exchange_sim/QueryString.h"
#include "execution_engine/exchange_sim/VenueConfig.h"
#include "execution_engine/exchange_sim/VenueError.h"
#include "execution_engine/sim/SimulatedExchange.h"
#include "gateways/SyntheticMarket.h"

namespace hft::execution_engine::exchange_sim {

/// Public stream families the venue publishes.
enum class StreamKind : uint8_t { Trade = 0, AggTrade = 1, BookTicker = 2, Depth = 3 };

class Venue {
 public:
  struct Output {
    /// One public payload of `kind` for `symbolLower` ("btcusdt"); the server wraps and routes it.
    std::function<void(StreamKind kind, const std::string& symbolLower, const std::string& payload)> market;
    /// One user-data event object (executionReport, outboundAccountPosition, ORDER_TRADE_UPDATE, ...).
    std::function<void(const std::string& event)> user;
  };

  /// Throws std::invalid_argument on an unknown symbol or a bad config (start-up).
  Venue(const config::InstrumentRegistry& registry, VenueConfig config, common::TimestampNs startNs, Output out);
  ~Venue();

  api::binance::Market market() const noexcept { return config_.market; }
  bool spot() const noexcept { return config_.market == api::binance::Market::Spot; }

  /// Generates and applies the market up to simulated time `nowNs`; flushes depth diffs every
  /// depth_interval_ms. `dropDiff` is asked before each diff goes out (the gap fault): true = the
  /// diff is dropped and its update ids are skipped.
  void advance(common::TimestampNs nowNs, const std::function<bool()>& dropDiff);
  common::TimestampNs now() const noexcept { return now_; }
  int64_t nowMs() const noexcept { return now_ / 1'000'000; }

  const config::Instrument* instrument(std::string_view symbol) const noexcept;

  // Orders. `q` holds the request's parameters (decoded). The returned record stays valid until
  // the next call that changes orders.
  VenueError place(const QueryString& q, const OrderRecord*& out, size_t& firstFill);
  VenueError cancel(const QueryString& q, const OrderRecord*& out, std::string& cancelId);
  VenueError query(const QueryString& q, const OrderRecord*& out) const;
  /// Working orders, of one symbol or ("") all.
  std::vector<const OrderRecord*> openOrders(std::string_view symbol) const;

  // Market and account views.
  json::Json depth(const config::Instrument& inst, size_t limit) const;
  json::Json exchangeInfo(const json::Json& rateLimits) const;
  json::Json spotAccount() const;
  json::Json futuresBalances() const;
  json::Json futuresPositions(std::string_view symbol) const;
  /// Balances, open orders and positions for GET /sim/state.
  json::Json state() const;
  /// Orders ever accepted (tests).
  size_t ordersAccepted() const noexcept { return records_.size(); }

 private:
  struct Book;
  struct Position {
    int64_t qty = 0;         ///< signed, qty scale
    int64_t entry = 0;       ///< average entry price, price scale
  };

  void apply(const common::EventHeader& e);
  void flush(Book& b, const std::function<bool()>& dropDiff);
  void onReport(const common::EventHeader& e);
  void drain();
  VenueError submit(const common::OrderRequest& r, common::ClientOrderId watch);
  common::ClientOrderId clientIdOf(std::string_view text, bool& generated);
  std::vector<std::string> assetsOf() const;

  const config::InstrumentRegistry& registry_;
  VenueConfig config_;
  Output out_;
  common::ExchangeId exchange_;
  std::unique_ptr<gateways::SyntheticMarket> market_;
  std::unique_ptr<sim::SimulatedExchange> engine_;
  common::EventBuffer next_{};
  bool hasNext_ = false;
  common::TimestampNs now_ = 0;
  std::vector<std::unique_ptr<Book>> books_;
  std::map<common::InstrumentId, Book*> bookById_;

  std::map<common::ClientOrderId, OrderRecord> records_;
  /// New orders whose client id an earlier order already had (working or not). The venue takes
  /// a reused id once the first order is closed; for an OMS whose ids are unique it means the
  /// same order was sent twice, so tests assert this stays 0.
  uint64_t clientIdReuses_ = 0;
  std::map<uint64_t, common::ClientOrderId> byOrderId_;
  std::map<std::string, common::ClientOrderId, std::less<>> byClientText_;
  std::map<common::InstrumentId, Position> positions_;
  std::vector<common::EventBuffer> reports_;  ///< engine output of the current step
  std::set<std::string> changedAssets_;
  std::string pendingCancelId_;
  common::ClientOrderId watch_ = 0;     ///< the request being handled
  common::RejectReason watchReject_ = common::RejectReason::None;
  bool watchRejected_ = false;
  uint64_t nextGeneratedId_ = 1;
};

}  // namespace hft::execution_engine::exchange_sim
