#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/sim/Amounts.h"
#include "execution_engine/sim/Fill.h"
#include "execution_engine/sim/LatencySampler.h"
#include "managers/RiskManager.h"
#include "execution_engine/sim/MarginPosition.h"
#include "execution_engine/sim/SimAccount.h"
#include "execution_engine/sim/SimConfig.h"
#include "execution_engine/sim/SimCounters.h"
#include "execution_engine/sim/SimOrder.h"
#include "strategy_engine/book/OrderBookManager.h"

namespace hft::execution_engine::sim {

/// The venue of a backtest: takes the strategies' OrderRequests and the recorded market data,
/// and answers with the ExecutionReports and BalanceUpdates a real venue would have sent. The
/// fill model (latency, queue position, walking the book, fees, balances, margin) and what it
/// leaves out are documented in README.md.
///
/// Time is event time only (never the wall clock). A request arrives at the venue at
/// request_ts_ns + order latency and is handled, in arrival order, by the first onMarketData /
/// advanceTo / finish whose time reaches it, before that call's market event is applied. The
/// venue clock never goes back: a request whose arrival is already past is handled at the
/// current venue time.
///
/// Reports go to the sink synchronously, in venue order, stamped header.exchange_ts_ns = venue
/// time and header.receive_ts_ns = venue time + ack latency (non-decreasing); the caller delivers
/// each to the strategy when its event clock reaches receive_ts_ns.
///
/// One thread. Deterministic: the same registry, config and calls give the same reports, byte
/// for byte. After construction the steady state allocates only to grow the fill log, the
/// arrival heap and the order pool to their high-water marks, and one hash node per accepted
/// order in the open-order index. Market events that touch no working order cost a book update.
class SimulatedExchange {
 public:
  /// Receives ExecutionReport and BalanceUpdate events (by header; cast by header.type).
  using ReportSink = std::function<void(const common::EventHeader&)>;
  /// A market or marketable order walks at most this many price levels.
  static constexpr uint32_t kMaxWalkLevels = 4096;

  /// One book per registry instrument (OrderBookManager, default window). Throws
  /// std::invalid_argument on an inconsistent latency model or leverage (start-up only).
  SimulatedExchange(const config::InstrumentRegistry& registry, SimConfig config, ReportSink sink);

  /// Queues a request: arrival = request_ts_ns (or, when 0, the header's event time) + a draw of
  /// order_latency, and never earlier than the previous arrival on the same venue (one
  /// connection per venue: requests do not overtake each other). Produces no report itself.
  void onOrderRequest(const common::OrderRequest& r);
  /// Handles the requests that arrived by eventTime(e), then applies e: BookDelta/BookSnapshot
  /// (the venue's book, queue positions, resting orders the book now crosses) or Trade (resting
  /// fills, stop triggers). Other event types only move the clock.
  void onMarketData(const common::EventHeader& e);
  /// Handles the requests that arrived by t (no market event).
  void advanceTo(common::TimestampNs t);
  /// Applies pre-trade risk (the live executor's RiskManager) to every New and Modify when it
  /// reaches the venue; a refused request gets a Rejected report with the risk reason. The
  /// manager is fed this venue's fills, order ends, balances and reference prices (BBO mid,
  /// trades). Not owned; null (the default) = no risk checks.
  void setRiskManager(managers::RiskManager* risk) noexcept { risk_ = risk; }
  /// End of the run: handles the remaining arrivals up to t. Open orders stay open.
  void finish(common::TimestampNs t) { advanceTo(t); }

  /// Arrival time of the next queued request; INT64_MAX when none.
  common::TimestampNs nextArrival() const noexcept {
    return arrivals_.empty() ? std::numeric_limits<common::TimestampNs>::max() : arrivals_.front().at;
  }
  /// Venue time of the last thing handled.
  common::TimestampNs now() const noexcept { return now_; }
  /// Every fill so far, in venue order.
  const std::vector<Fill>& fills() const noexcept { return fills_; }
  const SimCounters& counters() const noexcept { return counters_; }
  const SimConfig& config() const noexcept { return config_; }

  // Inspection (tests, end-of-run summaries).
  /// The venue's view of an instrument's book: the feed minus the liquidity our orders took
  /// since the feed last updated those levels. nullptr for unknown instruments.
  const strategy_engine::OrderBook* book(common::InstrumentId id) const noexcept { return books_.book(id); }
  /// {0, 0} for an unfunded venue or an asset it does not hold.
  SimAccount::Balance balance(common::ExchangeId venue, std::string_view asset) const noexcept {
    return account_.balance(account_.find(venue, asset));
  }
  /// Net position of a margin venue's instrument (qty scale, signed); 0 for spot instruments.
  int64_t position(common::InstrumentId id) const noexcept;
  /// Orders accepted and not yet done (resting or held).
  size_t openOrders() const noexcept { return open_.size(); }
  /// Displayed quantity ahead of a resting order; -1 when the id is not a resting order.
  int64_t queueAhead(common::ClientOrderId id) const noexcept;

 private:
  struct InstrumentState {
    const config::Instrument* inst = nullptr;
    Amounts amounts;
    SimAccount::AssetId base = SimAccount::kNone;
    SimAccount::AssetId quote = SimAccount::kNone;
    bool margin = false;
    int leverage = 1;
    VenueFees fees;
    int64_t fee_bound_e8 = 0;  ///< max(maker, taker, 0): reserved for fees of priced orders
    bool resync = false;       ///< the book batch in progress replaces the book
    MarginPosition position;
    std::vector<uint32_t> resting;  ///< order slots, in our own time priority
    std::vector<uint32_t> held;     ///< stop / take-profit slots waiting for their trigger
  };
  struct Arrival {
    common::TimestampNs at;
    uint64_t seq;  ///< ties at the same arrival time keep submission order
    common::OrderRequest request;
  };
  struct Leg {
    int64_t price;
    int64_t qty;
  };

  InstrumentState* state(common::InstrumentId id) noexcept {
    return id < stateById_.size() && stateById_[id] != 0 ? &states_[stateById_[id] - 1] : nullptr;
  }
  const strategy_engine::OrderBook& bookOf(const InstrumentState& s) const noexcept { return *books_.book(s.inst->id); }

  // Clock and report stamping.
  void beginStep(common::TimestampNs t) noexcept;
  common::TimestampNs receiveTs() noexcept;
  void emit(const common::EventHeader& e);
  void publishBalances();

  // Requests.
  void handleRequest(const common::OrderRequest& r);
  common::RejectReason validate(const common::OrderRequest& r) noexcept;
  void admit(const common::OrderRequest& r);
  void handleCancel(const common::OrderRequest& r);
  void handleModify(const common::OrderRequest& r);
  void rejectRequest(const common::OrderRequest& r, common::RejectReason reason);

  // Order life.
  uint32_t allocOrder();
  void activate(uint32_t slot, bool triggered);
  void refuse(uint32_t slot, common::RejectReason reason, bool triggered);
  void rest(uint32_t slot);
  void fill(uint32_t slot, int64_t price, int64_t qty, common::Liquidity liquidity);
  void expire(uint32_t slot, common::RejectReason reason);
  void cancel(uint32_t slot, const common::OrderRequest& r);
  void close(uint32_t slot);
  void releaseReservation(SimOrder& o) noexcept;
  int64_t required(const SimOrder& o, const InstrumentState& s, int64_t price, int64_t qty,
                   int64_t feeRateE8) const noexcept;
  SimAccount::AssetId reserveAsset(const SimOrder& o, const InstrumentState& s) const noexcept;
  void report(const SimOrder& o, common::ExecType type, common::RejectReason reason, int64_t lastPrice, int64_t lastQty,
              int64_t fee, common::Liquidity liquidity, uint64_t tradeId, common::ClientOrderId orig,
              common::TimestampNs sendTs);

  // Taking liquidity.
  int64_t planTake(const strategy_engine::OrderBook& b, common::Side side, int64_t limit, int64_t qty);
  void consume(InstrumentState& s, common::Side side, int64_t price, int64_t qty);

  // Market data.
  void onBook(const common::EventHeader& e);
  void onTrade(const common::Trade& t);
  void fillFromTrade(InstrumentState& s, const common::Trade& t);
  void triggerStops(InstrumentState& s, int64_t tradePrice);

  const config::InstrumentRegistry& registry_;
  SimConfig config_;
  ReportSink sink_;
  strategy_engine::OrderBookManager books_;
  SimAccount account_;
  bool passesRisk(const common::OrderRequest& r);
  managers::RiskManager* risk_ = nullptr;
  LatencySampler orderLatency_;
  LatencySampler ackLatency_;

  std::vector<InstrumentState> states_;
  std::vector<uint32_t> stateById_;  ///< instrument id -> 1 + index into states_; 0 = unknown

  std::vector<SimOrder> orders_;  ///< pool; slots are reused
  std::vector<uint32_t> freeOrders_;
  /// Open orders by client id: lookups only, never iterated (iteration order would not be
  /// deterministic).
  std::unordered_map<common::ClientOrderId, uint32_t> open_;

  std::vector<Arrival> arrivals_;  ///< min-heap on (at, seq)
  std::map<common::ExchangeId, common::TimestampNs> lastArrival_;
  uint64_t arrivalSeq_ = 0;

  std::vector<common::BookLevel> levelBuf_;  ///< kMaxWalkLevels, for planTake
  std::vector<Leg> plan_;                    ///< the legs of the order being executed
  std::vector<uint32_t> scratch_;            ///< a copy of a slot list iterated while it changes

  std::vector<Fill> fills_;
  SimCounters counters_;

  common::TimestampNs now_ = std::numeric_limits<common::TimestampNs>::min();
  common::TimestampNs stepReceive_ = 0;
  common::TimestampNs lastReceive_ = std::numeric_limits<common::TimestampNs>::min();
  bool stepHasReceive_ = false;
  bool started_ = false;
  common::VenueOrderId nextVenueOrderId_ = 1;
  uint64_t nextTradeId_ = 1;
};

}  // namespace hft::execution_engine::sim
