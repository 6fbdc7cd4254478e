#pragma once
// The order executor's engine: the one thread between the strategies' order queues and the
// venues. Wires the OMS pieces together; owns none of their logic.
//
//   OrderExecutor ex(config, registry, limits, exec, std::move(gateways), bus);
//   RecoveryReport rr = ex.recover();      // cold: snapshot + journal + venue reconciliation
//   while (!stop) { n = ex.doWork(); if (due) ex.housekeeping(); idle(n); }
//   ex.shutdown();                         // cold: final snapshot, PnL CSV, journal sync
//
// Per request (doWork, hot): queue i's strategy must be the request's (else UnknownStrategy);
// the instrument must be known with a gateway for header.exchange_id (else UnknownInstrument);
// OrderManager::check; RiskManager::check; journal appendAccepted (write-ahead); gateway.send;
// on Sent OrderManager::onRequestSent + RiskManager::onAccepted. Any refusal is published as a
// Rejected ExecutionReport, journaled and trade-logged. Reports from the gateways (the
// IExecutionSink side, called inside gateway.poll()) go through OrderManager::apply; only
// Applied ones are journaled, published and trade-logged, and booked (fills, done, refused
// modifies) in the trade, account and risk managers.
//
// Stop orders (StopMarket, StopLimit, TakeProfit) for a venue with local_stops are not sent:
// after the same checks and journal record they are acked by the executor itself and held
// (HeldStops) until a trade crosses their stop; then the child (Market / Limit, same client id)
// goes to the venue. See README.md "Stop orders held locally".
//
// Threads: everything on the caller's one thread, except RiskManager::killSwitch(), which any
// thread may engage. Hot path (doWork and the sink callbacks): noexcept, no allocation after
// recover() (the trade log lines are formatted later, in housekeeping()).
#include <array>
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <utility>
#include <string>
#include <vector>

#include "common/Clock.h"
#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "data_store/DataStore.h"
#include "execution_engine/executor/ExecutorConfig.h"
#include "execution_engine/executor/HeldStops.h"
#include "execution_engine/journal/Persistence.h"
#include "interfaces/IExecutionSink.h"
#include "interfaces/IOrderGateway.h"
#include "managers/AccountManager.h"
#include "managers/ClientOrderIds.h"
#include "managers/OrderManager.h"
#include "managers/RiskLimits.h"
#include "managers/RiskManager.h"
#include "managers/TradeManager.h"

namespace hft::execution_engine::executor {

/// What the engine did so far (read by main at exit and by tests; one thread).
struct ExecutorCounters {
  uint64_t requests = 0;          ///< requests popped from the strategy queues (and kill-switch cancels)
  uint64_t accepted = 0;          ///< sent to a venue
  uint64_t rejected = 0;          ///< refused by the executor (all reasons)
  std::array<uint64_t, 64> rejected_by_reason{};  ///< by RejectReason value (values < 64)
  uint64_t reports = 0;           ///< Applied reports published
  uint64_t reports_ignored = 0;   ///< Duplicate / Stale / Illegal / UnknownOrder reports
  uint64_t fills = 0;             ///< Applied reports carrying a new fill
  uint64_t balances = 0;          ///< balance updates published
  uint64_t timeouts = 0;          ///< requests unanswered past request_timeout_ms
  uint64_t queries = 0;           ///< gateway.query calls
  uint64_t kill_cancels = 0;      ///< cancels the executor made when the kill switch engaged
  uint64_t stops_held = 0;        ///< stop orders acked and held by the executor (not sent)
  uint64_t stops_triggered = 0;   ///< held stops whose child order was sent to the venue
  uint64_t stops_canceled = 0;    ///< held stops canceled locally (strategy cancel or kill switch)
  uint64_t journal_errors = 0;    ///< appends that failed (the kill switch is engaged on the first)
  uint64_t trade_log_errors = 0;  ///< lines that could not be written or did not fit the buffer
  uint64_t snapshots = 0;
};

/// What recover() found.
struct RecoveryReport {
  bool snapshot_found = false;
  uint64_t snapshot_sequence = 0;
  uint64_t replayed = 0;        ///< journal records applied after the snapshot
  size_t open_orders = 0;       ///< live orders after replay
  uint64_t mismatches = 0;      ///< every line printed as "order_executor: reconcile: ..."
  uint64_t order_mismatches = 0, balance_mismatches = 0, position_mismatches = 0;
  uint64_t queried = 0;         ///< orders sent a query (unknown outcome, missing on the venue)
  std::vector<std::string> lines;  ///< the mismatch lines, as printed
};

class OrderExecutor final : public interfaces::IExecutionSink {
 public:
  /// Opens the journal (repairing a torn tail), the snapshot store and the trade log; sizes
  /// every table. `exec` (the report ring) must outlive the engine. `bus` names the order
  /// queues (one per strategy of `limits`) and the market-data ring; the queues are opened
  /// when their strategies have created them (housekeeping()). `subscribeMarketData`: read
  /// the market-data ring for reference prices and marks (tests feed onMarketData instead).
  /// Throws on configuration or I/O errors.
  OrderExecutor(const ExecutorConfig& config, const config::InstrumentRegistry& registry, managers::RiskLimits limits,
                data_store::ExecPublisher& exec, std::vector<std::unique_ptr<interfaces::IOrderGateway>> gateways,
                data_store::BusNames bus, bool subscribeMarketData = true);
  ~OrderExecutor() override;
  OrderExecutor(const OrderExecutor&) = delete;
  OrderExecutor& operator=(const OrderExecutor&) = delete;

  /// Cold, once, before the first doWork(): newest valid snapshot, journal replay after it,
  /// gateways started, each venue's open orders, balances and positions reconciled (every
  /// mismatch printed to stderr as "order_executor: reconcile: <venue>: <what>"), the risk
  /// manager fed, unknown orders queried (never resent), the queues opened if present.
  RecoveryReport recover();

  /// One round, hot: every gateway polled, then up to max_requests_per_queue requests from
  /// each strategy queue, round robin (the first queue rotates). Returns the work done.
  int doWork() noexcept;
  /// Cold, every housekeeping_ms: kill switch poll (cancels all open orders once when it
  /// engages), request timeouts (query), missing queues and the market-data ring opened,
  /// trade log written, hourly snapshot, PnL CSV at the UTC day change, journal tick.
  void housekeeping();
  /// Cold, once at the end: journal marker, final snapshot, PnL CSV, journal sync, gateways stopped.
  void shutdown();

  /// Reference prices and marks: BestBidOffer mids and Trade prices. Hot.
  void onMarketData(const common::EventHeader& e) noexcept;

  // IExecutionSink (from inside gateway.poll()).
  void onExecutionReport(const common::ExecutionReport& report) noexcept override;
  void onBalanceUpdate(const common::BalanceUpdate& balance) noexcept override;

  const ExecutorCounters& counters() const noexcept { return counters_; }
  const managers::OrderManager& orders() const noexcept { return om_; }
  const managers::TradeManager& trades() const noexcept { return tm_; }
  const managers::AccountManager& accounts() const noexcept { return am_; }
  managers::RiskManager& risk() noexcept { return risk_; }
  const journal::Journal& journal() const noexcept { return journal_; }
  /// Stop orders held for venues without native stops (held and triggered-unanswered).
  const HeldStops& heldStops() const noexcept { return held_; }

  /// The wall clock the engine reads (request time stamps, risk time, timeouts, day changes).
  using WallClock = common::TimestampNs (*)() noexcept;
  /// Replaces the wall clock (tests). Call before recover(); the default is common::wallNowNs.
  void setWallClock(WallClock clock) noexcept { clock_ = clock; }
  /// Called for every request the engine refuses (each one counted in counters().rejected),
  /// on the engine's thread, before its Rejected report is published. Hot: must not throw,
  /// allocate or block (e.g. a common::log::HotLogger). `context` is passed back unchanged.
  using RejectHook = void (*)(void* context, const common::OrderRequest& request, common::RejectReason why) noexcept;
  /// Installs (or, with nullptr, removes) the reject hook. Call before the first doWork().
  void setRejectHook(RejectHook hook, void* context) noexcept {
    rejectHook_ = hook;
    rejectContext_ = context;
  }
  /// Strategy queues opened so far / configured.
  size_t queuesOpen() const noexcept;
  size_t queueCount() const noexcept { return queues_.size(); }
  /// Counters as text, one line per group (main prints them at exit).
  std::string summary() const;

 private:
  struct Queue {
    common::StrategyId strategy = 0;
    std::unique_ptr<data_store::OrderQueueConsumer> consumer;
  };
  struct Venue {
    common::ExchangeId id = common::ExchangeId::None;
    interfaces::IOrderGateway* gateway = nullptr;
    managers::ModifyMode mode = managers::ModifyMode::CancelReplace;  ///< how the OMS records a Modify
    bool sendsModify = false;  ///< the gateway takes a Modify (else: our cancel + a New)
    bool localStops = true;    ///< stop types are held here until triggered (config local_stops)
  };

  void handle(const common::OrderRequest& r, common::StrategyId queueStrategy) noexcept;
  void reject(const common::OrderRequest& r, common::RejectReason why) noexcept;
  void publishReport(common::ExecutionReport& r) noexcept;
  /// OrderManager::apply, then (Applied) journal, publish, book: every report goes through here.
  void applyReport(const common::ExecutionReport& r) noexcept;
  /// A report the executor makes itself about a held stop (venue_order_id 0, venue time = now).
  void localReport(const common::OrderRequest& order, common::ExecType type, common::RejectReason why,
                   common::TimestampNs now) noexcept;
  /// After the checks and the journal: ack and hold a stop (New), or cancel a held one (Cancel).
  void holdLocally(const common::OrderRequest& r, const Venue& v, common::TimestampNs now) noexcept;
  /// A trade at `price` on `instrument`: sends the child of every held stop it crosses.
  void checkStops(common::InstrumentId instrument, int64_t price) noexcept;
  void trigger(HeldStop& s, common::TimestampNs now) noexcept;
  bool isLocalStop(const common::OrderRequest& r) const noexcept;
  common::TimestampNs wallNow() const noexcept { return clock_(); }
  void bookApplied(const common::ExecutionReport& r, const managers::ApplyResult& a) noexcept;
  /// Each listed strategy's PnL (realized - fees, and unrealized at the marks) in the loss
  /// currency, to the risk manager's daily loss limits. From housekeeping: the limits see
  /// losses within one housekeeping period.
  void feedDailyPnl(common::TimestampNs now) noexcept;
  const Venue* venue(common::ExchangeId id) const noexcept;
  void journalFailed() noexcept;

  void replay(uint64_t afterSequence, RecoveryReport& rr, uint32_t& previousRun);
  void reconcile(RecoveryReport& rr);
  void feedRisk();
  void mismatch(RecoveryReport& rr, common::ExchangeId venue, const std::string& what);
  void query(common::ClientOrderId id) noexcept;
  void cancelAllOpen() noexcept;
  void openQueues();
  void flushTradeLog();
  void writeSnapshot(common::TimestampNs now);
  void writePnl(common::TimestampNs day);
  nlohmann::json state() const;
  /// Appends a journal marker; false (and the kill switch engaged) when the journal failed.
  bool marker(journal::MarkerKind kind, int64_t value, const char* text) noexcept;
  nlohmann::json heldToJson() const;
  void heldFromJson(const nlohmann::json& j, const std::string& source);
  /// After replay: drop held stops that are no longer live orders, ack the ones still PendingNew.
  void settleHeld();

  ExecutorConfig config_;
  const config::InstrumentRegistry& registry_;
  data_store::BusNames bus_;
  bool subscribeMarketData_;
  std::vector<std::string> strategyNames_;  ///< by position in queues_
  managers::RiskManager risk_;
  managers::OrderManager om_;
  managers::TradeManager tm_;
  managers::AccountManager am_;
  managers::ClientOrderIds ids_;
  data_store::ExecPublisher& exec_;
  std::vector<std::unique_ptr<interfaces::IOrderGateway>> gateways_;
  std::array<Venue, 256> venues_{};  ///< by ExchangeId & 0xFF
  std::vector<Queue> queues_;
  size_t firstQueue_ = 0;
  std::unique_ptr<data_store::MarketDataSubscriber> md_;
  journal::Journal journal_;
  journal::SnapshotStore snapshots_;
  journal::TradeLog tradeLog_;
  std::vector<common::ExecutionReport> tradeLogQueue_;  ///< capacity fixed at construction
  std::vector<common::ClientOrderId> scratchIds_;       ///< ids collected before acting on them (capacity fixed)
  struct StrategyPnl {
    common::StrategyId id = 0;
    int64_t realized = 0, unrealized = 0;  ///< loss currency, kAmountScale
  };
  std::vector<StrategyPnl> strategyPnl_;  ///< one per strategy the rules list (sized at construction)
  std::vector<std::pair<common::ExchangeId, interfaces::VenueBalance>> venueBalances_;  ///< reconcile -> feedRisk
  HeldStops held_;  ///< capacity max_live_orders, fixed at construction
  WallClock clock_ = &common::wallNowNs;
  RejectHook rejectHook_ = nullptr;
  void* rejectContext_ = nullptr;
  bool killCancelsDone_ = false;
  bool started_ = false;
  bool stopped_ = false;
  int64_t day_ = 0;  ///< UTC day (ns / 86400e9) the PnL rows belong to
  ExecutorCounters counters_;
};

}  // namespace hft::execution_engine::executor
