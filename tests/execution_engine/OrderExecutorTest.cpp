// The order executor's engine in-process: a real order queue and report ring on a private bus,
// the dry-run gateway behind a counting wrapper (or a silent / echoing test venue), a scratch
// journal and data root.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "AllocationCounter.h"
#include "ExecTestUtil.h"
#include "common/Clock.h"
#include "data_store/DataStore.h"
#include "execution_engine/executor/OrderExecutor.h"
#include "execution_engine/gateways/DryRunGateway.h"
#include "managers/RiskLimits.h"

namespace hft::test {
namespace {

using common::ExecType;
using common::RejectReason;
using execution_engine::executor::ExecutorConfig;
using execution_engine::executor::OrderExecutor;
using execution_engine::executor::RecoveryReport;

constexpr common::InstrumentId kSimBtc = 101;  // simulated BTC/USDT: price 2 dp, tick 0.10; qty 5 dp
constexpr int64_t kMid = 6'500'000;            // 65000.00
constexpr int64_t kMs = 1'000'000;

/// 100000 USDT and 1 BTC.
std::vector<interfaces::VenueBalance> simBalances() {
  interfaces::VenueBalance usdt{}, btc{};
  common::setAsset(usdt.asset, "USDT");
  usdt.free = 100'000'00000000;
  common::setAsset(btc.asset, "BTC");
  btc.free = 1'00000000;
  return {usdt, btc};
}

/// What the executor asked of the venue, counted on the way through.
struct GatewayCalls {
  std::map<common::ClientOrderId, int> news;  ///< New (and Modify) requests per client id
  std::map<common::ClientOrderId, common::OrderRequest> last;  ///< the last New/Modify sent per client id
  int cancels = 0;
  int queries = 0;
};

/// Forwards to a DryRunGateway and counts the requests.
class CountingGateway final : public interfaces::IOrderGateway {
 public:
  CountingGateway(GatewayCalls& calls, const config::InstrumentRegistry& registry)
      : calls_(calls), inner_(config(), nullptr, &registry) {}
  std::string name() const override { return inner_.name(); }
  common::ExchangeId venue() const noexcept override { return inner_.venue(); }
  void start(interfaces::IExecutionSink& sink) override { inner_.start(sink); }
  interfaces::SendStatus send(const common::OrderRequest& r, common::TimestampNs ts) noexcept override {
    if (r.action == common::OrderAction::Cancel)
      ++calls_.cancels;
    else {
      ++calls_.news[r.client_order_id];
      calls_.last[r.client_order_id] = r;
    }
    return inner_.send(r, ts);
  }
  interfaces::SendStatus query(common::InstrumentId i, common::ClientOrderId id) noexcept override {
    ++calls_.queries;
    return inner_.query(i, id);
  }
  int poll() noexcept override { return inner_.poll(); }
  bool fetchOpenOrders(std::vector<interfaces::VenueOrder>& out, std::string& e) override { return inner_.fetchOpenOrders(out, e); }
  bool fetchBalances(std::vector<interfaces::VenueBalance>& out, std::string& e) override { return inner_.fetchBalances(out, e); }
  bool fetchPositions(std::vector<interfaces::VenuePosition>& out, std::string& e) override { return inner_.fetchPositions(out, e); }
  bool supportsNativeAmend() const noexcept override { return inner_.supportsNativeAmend(); }
  bool supportsBatch() const noexcept override { return false; }
  void stop() noexcept override { inner_.stop(); }

 private:
  static execution_engine::gateways::DryRunConfig config() {
    execution_engine::gateways::DryRunConfig c;
    c.venue = common::ExchangeId::Simulated;
    c.balances = simBalances();
    return c;
  }
  GatewayCalls& calls_;
  execution_engine::gateways::DryRunGateway inner_;
};

/// A venue that takes every request and never answers (balances only, at reconciliation).
class SilentGateway final : public interfaces::IOrderGateway {
 public:
  explicit SilentGateway(GatewayCalls& calls) : calls_(calls) {}
  std::string name() const override { return "silent"; }
  common::ExchangeId venue() const noexcept override { return common::ExchangeId::Simulated; }
  void start(interfaces::IExecutionSink&) override {}
  interfaces::SendStatus send(const common::OrderRequest& r, common::TimestampNs) noexcept override {
    if (r.action == common::OrderAction::Cancel)
      ++calls_.cancels;
    else
      ++calls_.news[r.client_order_id];
    return interfaces::SendStatus::sent();
  }
  interfaces::SendStatus query(common::InstrumentId, common::ClientOrderId) noexcept override {
    ++calls_.queries;
    return interfaces::SendStatus::sent();
  }
  int poll() noexcept override { return 0; }
  bool fetchOpenOrders(std::vector<interfaces::VenueOrder>& out, std::string&) override { out.clear(); return true; }
  bool fetchBalances(std::vector<interfaces::VenueBalance>& out, std::string&) override { out = simBalances(); return true; }
  bool fetchPositions(std::vector<interfaces::VenuePosition>& out, std::string&) override { out.clear(); return true; }
  bool supportsNativeAmend() const noexcept override { return false; }
  bool supportsBatch() const noexcept override { return false; }
  void stop() noexcept override {}

 private:
  GatewayCalls& calls_;
};

/// A venue that answers from a buffer reserved up front, so it never allocates while trading:
/// New -> New (Market: then Filled at kFillPrice), Cancel -> Canceled of the order named.
class EchoGateway final : public interfaces::IOrderGateway {
 public:
  static constexpr int64_t kFillPrice = 6'510'000;
  /// `cancelNamedByRequest`: a Canceled names the cancel request in client_order_id and the
  /// order in orig_client_order_id, as Binance's executionReport does (`c` and `C`).
  explicit EchoGateway(bool cancelNamedByRequest = false) : cancelNamedByRequest_(cancelNamedByRequest) {
    pending_.reserve(4096);
  }
  std::string name() const override { return "echo"; }
  common::ExchangeId venue() const noexcept override { return common::ExchangeId::Simulated; }
  void start(interfaces::IExecutionSink& sink) override { sink_ = &sink; }
  interfaces::SendStatus send(const common::OrderRequest& r, common::TimestampNs ts) noexcept override {
    if (pending_.size() + 2 > pending_.capacity()) return interfaces::SendStatus::throttled();
    common::ExecutionReport x{};
    x.header = common::makeHeader<common::ExecutionReport>(r.header.exchange_id, r.header.instrument_id, ts, ts);
    x.client_order_id = r.action == common::OrderAction::Cancel ? r.orig_client_order_id : r.client_order_id;
    x.venue_order_id = ++venueIds_;
    x.order_price = r.price;
    x.local_send_ts_ns = ts;
    x.venue_ts_ns = ts;
    x.strategy_id = r.strategy_id;
    x.side = r.side;
    x.order_type = r.type;
    x.tif = r.tif;
    if (r.action == common::OrderAction::Cancel) {
      x.orig_client_order_id = r.orig_client_order_id;
      if (cancelNamedByRequest_) x.client_order_id = r.client_order_id;
      x.exec_type = common::ExecType::Canceled;
      pending_.push_back(x);
      return interfaces::SendStatus::sent();
    }
    x.exec_type = common::ExecType::New;
    x.leaves_qty = r.qty;
    pending_.push_back(x);
    if (r.type == common::OrderType::Market) {
      x.exec_type = common::ExecType::Filled;
      x.last_price = x.avg_price = kFillPrice;
      x.last_qty = x.cum_qty = r.qty;
      x.leaves_qty = 0;
      x.liquidity = common::Liquidity::Taker;
      common::setAsset(x.fee_asset, "USDT");
      x.trade_id = venueIds_;
      pending_.push_back(x);
    }
    return interfaces::SendStatus::sent();
  }
  interfaces::SendStatus query(common::InstrumentId, common::ClientOrderId) noexcept override {
    return interfaces::SendStatus::sent();
  }
  int poll() noexcept override {
    const int n = static_cast<int>(pending_.size());
    for (const common::ExecutionReport& x : pending_) sink_->onExecutionReport(x);
    pending_.clear();
    return n;
  }
  bool fetchOpenOrders(std::vector<interfaces::VenueOrder>& out, std::string&) override { out.clear(); return true; }
  bool fetchBalances(std::vector<interfaces::VenueBalance>& out, std::string&) override { out = simBalances(); return true; }
  bool fetchPositions(std::vector<interfaces::VenuePosition>& out, std::string&) override { out.clear(); return true; }
  bool supportsNativeAmend() const noexcept override { return false; }
  bool supportsBatch() const noexcept override { return false; }
  void stop() noexcept override {}

 private:
  interfaces::IExecutionSink* sink_ = nullptr;
  std::vector<common::ExecutionReport> pending_;  ///< capacity fixed in the constructor
  common::VenueOrderId venueIds_ = 0;
  bool cancelNamedByRequest_ = false;
};

/// The test's wall clock (OrderExecutor::setWallClock): moves only when a test moves it.
common::TimestampNs gFakeNow = 0;
common::TimestampNs fakeNow() noexcept { return gFakeNow; }

config::InstrumentRegistry simRegistry() {
  return config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 101, "exchange": "simulated", "base": "BTC", "quote": "USDT", "venue_symbol": "BTC-USDT",
     "price_scale": 2, "qty_scale": 5, "tick_size": "0.10", "lot_size": "0.00001", "min_notional": "5"}]})"),
                                              "test instruments");
}

/// `dailyLossLimit`: strategy 1's daily_loss_limit in USDT ("" = none).
managers::RiskLimits simLimits(const config::InstrumentRegistry& registry, const std::string& dailyLossLimit = "") {
  auto rules = nlohmann::json::parse(R"({
    "global": {"max_open_orders": 100, "no_reference_price": "reject", "strict_strategies": true},
    "venues": {"simulated": {"rate_limit": {"orders_per_second": "10000", "burst": 10000}}},
    "instruments": {"simulated:BTC-USDT": {"max_order_qty": "1", "max_order_notional": "200000",
                                           "max_position": "2", "price_band_bps": 500}},
    "strategies": {"1": {"name": "alpha"}, "2": {"name": "beta"}}})");
  if (!dailyLossLimit.empty()) rules["strategies"]["1"]["daily_loss_limit"] = dailyLossLimit;
  return managers::RiskLimits::fromJson(rules, "test limits", registry);
}

class Executor : public ::testing::Test {
 protected:
  Executor()
      : bus_{"oe" + std::to_string(getpid()) + "_" + std::to_string(counter_++)},
        exec_(bus_.execReports(), 1024),
        reports_(bus_.execReports(), data_store::StartAt::Oldest, 0),
        queue1_(bus_.orderQueue(1), 64),
        queue2_(bus_.orderQueue(2), 64) {
    config_.source = "test";
    config_.data_root = dir_.sub("data");
    config_.journal_dir = dir_.sub("data/journal");
    config_.journal.sync = execution_engine::journal::SyncPolicy::Never;
    config_.max_live_orders = 64;
    config_.keep_terminal = 64;
  }
  ~Executor() override {
    engine_.reset();
    for (const auto& e : std::filesystem::directory_iterator("/dev/shm"))
      if (e.path().filename().string().rfind(bus_.prefix(), 0) == 0) std::filesystem::remove(e.path());
  }

  using MakeGateway = std::function<std::unique_ptr<interfaces::IOrderGateway>(GatewayCalls&)>;
  /// A new engine on the same journal and data root, with a fresh venue: the counting dry run
  /// unless `make` says otherwise; `clock` replaces the engine's wall clock.
  RecoveryReport start(const MakeGateway& make = {}, OrderExecutor::WallClock clock = nullptr) {
    calls_ = std::make_unique<GatewayCalls>();
    std::vector<std::unique_ptr<interfaces::IOrderGateway>> gateways;
    if (make)
      gateways.push_back(make(*calls_));
    else
      gateways.push_back(std::make_unique<CountingGateway>(*calls_, registry_));
    engine_.reset();
    engine_ = std::make_unique<OrderExecutor>(config_, registry_, simLimits(registry_, dailyLossLimit_), exec_,
                                              std::move(gateways), bus_, false);
    if (clock) engine_->setWallClock(clock);
    RecoveryReport rr = engine_->recover();
    trade(kMid);
    pump();  // the venue's balances
    return rr;
  }
  /// A trade on the simulated BTC/USDT at `price`, as the market-data ring would deliver it.
  void trade(int64_t price) {
    common::EventBuffer b{};
    auto& t = b.as<common::Trade>();
    t.header = common::makeHeader<common::Trade>(common::ExchangeId::Simulated, kSimBtc, kMay1Noon, kMay1Noon);
    t.price = price;
    t.qty = 100;
    engine_->onMarketData(b.header());
  }
  /// Runs doWork until idle, nothing else (no allocation of its own).
  void drain() {
    for (int idle = 0; idle < 3;) idle = engine_->doWork() == 0 ? idle + 1 : 0;
  }
  /// Runs the engine until it is idle; returns the execution reports published meanwhile.
  std::vector<common::ExecutionReport> pump() {
    for (int idle = 0; idle < 3;) idle = engine_->doWork() == 0 ? idle + 1 : 0;
    std::vector<common::ExecutionReport> out;
    reports_.poll(
        [&](const common::EventHeader& e) {
          if (e.type == common::EventType::ExecutionReport) out.push_back(reinterpret_cast<const common::ExecutionReport&>(e));
        },
        1024);
    return out;
  }
  static common::OrderRequest order(common::ClientOrderId id, int64_t price, int64_t qty, common::StrategyId strategy = 1) {
    common::OrderRequest r = newOrder(id, price, qty, common::Side::Buy, common::ExchangeId::Simulated, kSimBtc);
    r.strategy_id = strategy;
    return r;
  }
  /// A stop-type order of strategy 1 for 0.001 BTC.
  static common::OrderRequest stopOrder(common::ClientOrderId id, common::OrderType type, common::Side side,
                                        int64_t stopPrice, int64_t limitPrice = 0) {
    common::OrderRequest r = order(id, limitPrice, 100);
    r.type = type;
    r.side = side;
    r.stop_price = stopPrice;
    return r;
  }
  static common::OrderRequest cancel(common::ClientOrderId id, common::ClientOrderId orig) {
    common::OrderRequest r = order(id, 0, 0);
    r.action = common::OrderAction::Cancel;
    r.orig_client_order_id = orig;
    return r;
  }
  void push(const common::OrderRequest& r) { ASSERT_TRUE(queue1_.tryPush(r)); }
  /// The one report about `id` of type `type`.
  static const common::ExecutionReport* find(const std::vector<common::ExecutionReport>& v, common::ClientOrderId id,
                                             ExecType type) {
    for (const auto& r : v)
      if (r.client_order_id == id && r.exec_type == type) return &r;
    return nullptr;
  }

  static inline int counter_ = 0;
  TempDir dir_;
  data_store::BusNames bus_;
  data_store::ExecPublisher exec_;
  data_store::ExecSubscriber reports_;
  data_store::OrderQueueProducer queue1_, queue2_;
  config::InstrumentRegistry registry_ = simRegistry();
  std::string dailyLossLimit_;  ///< strategy 1's, for the engines start() makes
  ExecutorConfig config_;
  std::unique_ptr<GatewayCalls> calls_;
  std::unique_ptr<OrderExecutor> engine_;
};

TEST_F(Executor, rejectsEachBadRequestWithItsReasonAndKeepsProcessing) {
  start();
  ASSERT_EQ(engine_->queuesOpen(), 2u);
  push(order(11, kMid - 1000, 0));                        // zero quantity
  push(order(12, kMid - 1000, -100));                     // negative quantity
  common::OrderRequest unknownInstrument = order(13, kMid - 1000, 100);
  unknownInstrument.header.instrument_id = 999;
  push(unknownInstrument);
  push(order(14, kMid - 1005, 100));                      // off the 0.10 tick
  push(order(15, kMid - 1000, 100, 2));                   // strategy 2's order on strategy 1's queue
  push(order(16, kMid - 1000, 100));                      // good
  push(order(16, kMid - 2000, 100));                      // its id again
  push(order(17, kMid - 1000, 100));                      // good, after all the bad ones
  const auto reports = pump();

  const std::pair<common::ClientOrderId, RejectReason> expected[] = {
      {11, RejectReason::InvalidQuantity}, {12, RejectReason::InvalidQuantity}, {13, RejectReason::UnknownInstrument},
      {14, RejectReason::OffTickPrice},    {15, RejectReason::UnknownStrategy}, {16, RejectReason::DuplicateClientOrderId}};
  for (const auto& [id, why] : expected) {
    const common::ExecutionReport* r = find(reports, id, ExecType::Rejected);
    ASSERT_NE(r, nullptr) << "no reject for " << id;
    EXPECT_EQ(r->reject_reason, why) << "order " << id << ": " << common::toString(r->reject_reason);
    EXPECT_GT(r->local_send_ts_ns, 0);
  }
  EXPECT_EQ(find(reports, 15, ExecType::Rejected)->strategy_id, 2u);
  ASSERT_NE(find(reports, 16, ExecType::New), nullptr);
  ASSERT_NE(find(reports, 17, ExecType::New), nullptr);
  EXPECT_EQ(calls_->news.size(), 2u) << "only the good orders reach the venue";
  EXPECT_EQ(engine_->counters().rejected, 6u);
  EXPECT_EQ(engine_->counters().accepted, 2u);
  EXPECT_EQ(engine_->counters().rejected_by_reason[static_cast<size_t>(RejectReason::InvalidQuantity)], 2u);
}

TEST_F(Executor, acksANewOrderAndCancelsIt) {
  start();
  push(order(21, kMid - 1000, 100));
  auto reports = pump();
  const common::ExecutionReport* ack = find(reports, 21, ExecType::New);
  ASSERT_NE(ack, nullptr);
  EXPECT_GT(ack->local_send_ts_ns, 0);
  EXPECT_NE(ack->venue_order_id, 0u);
  EXPECT_EQ(engine_->orders().liveCount(), 1u);
  push(cancel(22, 21));
  reports = pump();
  ASSERT_NE(find(reports, 21, ExecType::Canceled), nullptr);
  EXPECT_EQ(engine_->orders().liveCount(), 0u);
  engine_->housekeeping();  // writes the trade log
  EXPECT_EQ(engine_->counters().trade_log_errors, 0u);
}

TEST_F(Executor, aCancelTheVenueNamesByTheCancelRequestIsPublishedUnderTheOrdersOwnId) {
  start([](GatewayCalls&) { return std::make_unique<EchoGateway>(true); });
  push(order(31, kMid - 1000, 100));
  ASSERT_NE(find(pump(), 31, ExecType::New), nullptr);
  push(cancel(32, 31));
  const auto reports = pump();
  const common::ExecutionReport* gone = find(reports, 31, ExecType::Canceled);
  ASSERT_NE(gone, nullptr) << "the strategy must see order 31 canceled, not some request id";
  EXPECT_EQ(gone->orig_client_order_id, 31u);
  EXPECT_EQ(engine_->orders().liveCount(), 0u);
}

TEST_F(Executor, killSwitchCancelsEveryOpenOrderOnceAndNewOrdersAreRejected) {
  start();
  push(order(31, kMid - 1000, 100));
  push(order(32, kMid - 2000, 100));
  pump();
  ASSERT_EQ(engine_->orders().liveCount(), 2u);
  engine_->risk().killSwitch().engage("test");
  auto reports = pump();
  EXPECT_NE(find(reports, 31, ExecType::Canceled), nullptr);
  EXPECT_NE(find(reports, 32, ExecType::Canceled), nullptr);
  EXPECT_EQ(engine_->counters().kill_cancels, 2u);
  EXPECT_EQ(calls_->cancels, 2);
  push(order(33, kMid - 1000, 100));
  reports = pump();
  const common::ExecutionReport* r = find(reports, 33, ExecType::Rejected);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->reject_reason, RejectReason::KillSwitch);
  EXPECT_EQ(engine_->counters().kill_cancels, 2u) << "cancels once";
  engine_->risk().killSwitch().clear();
}


TEST_F(Executor, restartRecoversOpenOrdersFromTheJournalAndQueriesThemInsteadOfResending) {
  start();
  push(order(41, kMid - 1000, 100));
  push(order(42, kMid - 2000, 100));
  push(order(43, kMid - 3000, 100));
  pump();
  push(cancel(44, 43));
  pump();
  ASSERT_EQ(engine_->orders().liveCount(), 2u);
  engine_.reset();  // killed: no snapshot, the journal is all there is

  const RecoveryReport rr = start();
  EXPECT_FALSE(rr.snapshot_found);
  EXPECT_EQ(rr.open_orders, 2u);
  EXPECT_EQ(rr.order_mismatches, 2u) << "the fresh dry-run venue does not know 41 and 42";
  EXPECT_EQ(rr.balance_mismatches, 0u);
  EXPECT_EQ(rr.queried, 2u);
  EXPECT_EQ(calls_->queries, 2);
  EXPECT_TRUE(calls_->news.empty()) << "recovered orders are queried, never resent";
  for (const auto& line : rr.lines) EXPECT_EQ(line.rfind("order_executor: reconcile: simulated: ", 0), 0u) << line;
  // The dry run answers "never seen", which contradicts the acks in the journal: the OMS keeps
  // the orders and flags them for an operator (a real venue answers with their true state).
  for (const common::ClientOrderId id : {41, 42}) {
    const managers::OrderRecord* o = engine_->orders().find(id);
    ASSERT_NE(o, nullptr);
    EXPECT_TRUE(o->has(managers::kFlagQueryNeeded)) << id;
  }
  EXPECT_EQ(engine_->orders().find(43)->state, managers::OrderState::Canceled);
}

TEST_F(Executor, restartAfterACleanStopStartsFromTheSnapshot) {
  start();
  push(order(51, kMid - 1000, 100));
  pump();
  engine_->shutdown();
  engine_.reset();
  const RecoveryReport rr = start();
  EXPECT_TRUE(rr.snapshot_found);
  EXPECT_EQ(rr.open_orders, 1u);
  EXPECT_EQ(rr.order_mismatches, 1u);
  EXPECT_TRUE(calls_->news.empty());
  EXPECT_TRUE(std::filesystem::exists(execution_engine::journal::PnlReport::pathFor(config_.data_root, common::wallNowNs())));
  // The id may not be used again: the journal and snapshot remember it.
  push(order(51, kMid - 1000, 100));
  const auto reports = pump();
  const common::ExecutionReport* r = find(reports, 51, ExecType::Rejected);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->reject_reason, RejectReason::DuplicateClientOrderId);
}


// ---- stop orders held locally -----------------------------------------------------------------

TEST_F(Executor, holdsAStopLocallyAndSendsExactlyOneChildWhenATradeCrossesIt) {
  start();
  push(stopOrder(61, common::OrderType::StopMarket, common::Side::Buy, kMid + 1000));
  auto reports = pump();
  const common::ExecutionReport* ack = find(reports, 61, ExecType::New);
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->venue_order_id, 0u) << "acked by the executor, not the venue";
  EXPECT_GT(ack->venue_ts_ns, 0);
  EXPECT_EQ(ack->order_type, common::OrderType::StopMarket);
  EXPECT_EQ(ack->leaves_qty, 100);
  EXPECT_TRUE(calls_->news.empty()) << "a held stop does not reach the venue";
  EXPECT_EQ(engine_->orders().find(61)->state, managers::OrderState::Acked);
  EXPECT_EQ(engine_->heldStops().size(), 1u);
  EXPECT_EQ(engine_->counters().stops_held, 1u);
  EXPECT_EQ(engine_->risk().openOrders(), 1) << "risk counts it as an open order";

  trade(kMid + 990);  // below a buy stop
  EXPECT_TRUE(pump().empty());
  EXPECT_TRUE(calls_->news.empty());

  trade(kMid + 1000);  // at the stop: triggers
  reports = pump();
  ASSERT_EQ(calls_->news.count(61), 1u);
  EXPECT_EQ(calls_->news[61], 1);
  EXPECT_EQ(calls_->last[61].type, common::OrderType::Market) << "StopMarket -> Market child";
  EXPECT_EQ(calls_->last[61].client_order_id, 61u) << "same id: the strategy's bookkeeping is unchanged";
  EXPECT_EQ(calls_->last[61].price, 0);
  // The dry run cannot fill a market order: it expires it, under the strategy's id.
  ASSERT_NE(find(reports, 61, ExecType::Expired), nullptr);
  EXPECT_EQ(find(reports, 61, ExecType::New), nullptr) << "the venue's ack repeats ours: not published again";
  EXPECT_EQ(engine_->orders().find(61)->state, managers::OrderState::Expired);
  EXPECT_TRUE(engine_->heldStops().empty());
  EXPECT_EQ(engine_->risk().openOrders(), 0);

  trade(kMid + 2000);
  pump();
  EXPECT_EQ(calls_->news[61], 1) << "triggers once";
  EXPECT_EQ(engine_->counters().stops_triggered, 1u);
}

TEST_F(Executor, aSellStopLimitTriggersOnAFallAndRestsAsALimitAtItsPrice) {
  start();
  push(stopOrder(62, common::OrderType::StopLimit, common::Side::Sell, kMid - 1000, kMid - 1100));
  pump();
  trade(kMid - 990);  // above a sell stop
  pump();
  EXPECT_TRUE(calls_->news.empty());
  trade(kMid - 1500);  // through it
  const auto reports = pump();
  ASSERT_EQ(calls_->news[62], 1);
  EXPECT_EQ(calls_->last[62].type, common::OrderType::Limit);
  EXPECT_EQ(calls_->last[62].price, kMid - 1100);
  EXPECT_EQ(calls_->last[62].stop_price, 0);
  const managers::OrderRecord* o = engine_->orders().find(62);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->state, managers::OrderState::Acked) << "resting at the venue";
  EXPECT_NE(o->venue_order_id, 0u) << "the venue's id is learnt from its ack";
  EXPECT_TRUE(engine_->heldStops().empty()) << "the venue answered: no longer the executor's";
  // Now a venue order: a cancel goes to the venue.
  push(cancel(63, 62));
  const auto after = pump();
  EXPECT_EQ(calls_->cancels, 1);
  EXPECT_NE(find(after, 62, ExecType::Canceled), nullptr);
}

TEST_F(Executor, cancelsAHeldStopLocallyWithoutTellingTheVenue) {
  start();
  push(stopOrder(71, common::OrderType::StopMarket, common::Side::Sell, kMid - 1000));
  pump();
  push(cancel(72, 71));
  const auto reports = pump();
  const common::ExecutionReport* c = find(reports, 71, ExecType::Canceled);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->orig_client_order_id, 71u);
  EXPECT_EQ(c->venue_order_id, 0u);
  EXPECT_EQ(calls_->cancels, 0);
  EXPECT_TRUE(calls_->news.empty());
  EXPECT_TRUE(engine_->heldStops().empty());
  EXPECT_EQ(engine_->orders().find(71)->state, managers::OrderState::Canceled);
  EXPECT_EQ(engine_->risk().openOrders(), 0);
  EXPECT_EQ(engine_->counters().stops_canceled, 1u);
  trade(kMid - 2000);
  pump();
  EXPECT_TRUE(calls_->news.empty()) << "a canceled stop never triggers";
  // A Modify of a held stop is refused (nothing at the venue to amend).
  push(stopOrder(73, common::OrderType::StopMarket, common::Side::Sell, kMid - 3000));
  pump();
  common::OrderRequest m = stopOrder(74, common::OrderType::StopMarket, common::Side::Sell, kMid - 4000);
  m.action = common::OrderAction::Modify;
  m.orig_client_order_id = 73;
  push(m);
  const common::ExecutionReport* r = find(pump(), 74, ExecType::Rejected);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->reject_reason, RejectReason::InvalidRequest);
  EXPECT_EQ(engine_->heldStops().size(), 1u);
}

TEST_F(Executor, takeProfitTriggersTheOtherWayRound) {
  start();
  push(stopOrder(81, common::OrderType::TakeProfit, common::Side::Buy, kMid - 1000));   // buy on a fall
  push(stopOrder(82, common::OrderType::TakeProfit, common::Side::Sell, kMid + 1000));  // sell on a rise
  pump();
  trade(kMid + 500);
  trade(kMid - 500);
  pump();
  EXPECT_TRUE(calls_->news.empty());
  trade(kMid - 1000);
  pump();
  EXPECT_EQ(calls_->news.count(81), 1u);
  EXPECT_EQ(calls_->news.count(82), 0u);
  EXPECT_EQ(calls_->last[81].type, common::OrderType::Market);
  trade(kMid + 1500);
  pump();
  EXPECT_EQ(calls_->news.count(82), 1u);
  EXPECT_EQ(calls_->news[81], 1);
  EXPECT_TRUE(engine_->heldStops().empty());
}

TEST_F(Executor, killSwitchCancelsHeldStopsLocally) {
  start();
  push(stopOrder(85, common::OrderType::StopMarket, common::Side::Buy, kMid + 1000));
  push(order(86, kMid - 1000, 100));
  pump();
  engine_->risk().killSwitch().engage("test");
  const auto reports = pump();
  EXPECT_NE(find(reports, 85, ExecType::Canceled), nullptr);
  EXPECT_NE(find(reports, 86, ExecType::Canceled), nullptr);
  EXPECT_EQ(calls_->cancels, 1) << "only the venue order is canceled at the venue";
  EXPECT_EQ(engine_->counters().kill_cancels, 2u);
  EXPECT_TRUE(engine_->heldStops().empty());
  trade(kMid + 2000);
  pump();
  EXPECT_EQ(calls_->news.count(85), 0u);
  engine_->risk().killSwitch().clear();
}

TEST_F(Executor, aHeldStopSurvivesARestartFromTheJournalAndFromASnapshotAndStillTriggers) {
  start();
  push(stopOrder(91, common::OrderType::StopMarket, common::Side::Buy, kMid + 1000));
  // A stop limit that triggers before the restart and rests at the venue: not held again.
  push(stopOrder(92, common::OrderType::StopLimit, common::Side::Buy, kMid + 500, kMid + 600));
  pump();
  trade(kMid + 500);
  pump();
  ASSERT_EQ(calls_->news[92], 1);
  ASSERT_EQ(engine_->heldStops().size(), 1u);
  engine_.reset();  // killed: the journal is all there is

  RecoveryReport rr = start();
  EXPECT_FALSE(rr.snapshot_found);
  EXPECT_EQ(rr.open_orders, 2u);
  EXPECT_EQ(rr.order_mismatches, 1u) << "only 92 was sent to the (forgotten) venue; the held stop is ours";
  EXPECT_EQ(rr.queried, 1u);
  EXPECT_EQ(calls_->queries, 1);
  EXPECT_TRUE(calls_->news.empty()) << "nothing resent, nothing triggered again";
  ASSERT_EQ(engine_->heldStops().size(), 1u);
  EXPECT_EQ(engine_->heldStops()[0].request.client_order_id, 91u);
  EXPECT_EQ(engine_->heldStops()[0].request.stop_price, kMid + 1000);
  EXPECT_EQ(engine_->orders().find(91)->state, managers::OrderState::Acked);

  engine_->shutdown();  // clean stop: snapshot
  engine_.reset();
  rr = start();
  EXPECT_TRUE(rr.snapshot_found);
  ASSERT_EQ(engine_->heldStops().size(), 1u);
  EXPECT_EQ(engine_->heldStops()[0].request.client_order_id, 91u);
  EXPECT_FALSE(engine_->orders().find(91)->has(managers::kFlagQueryNeeded)) << "a held stop is not queried";
  EXPECT_TRUE(calls_->news.empty());

  trade(kMid + 1000);
  const auto reports = pump();
  EXPECT_EQ(calls_->news[91], 1);
  EXPECT_EQ(calls_->news.count(92), 0u);
  EXPECT_NE(find(reports, 91, ExecType::Expired), nullptr);
  EXPECT_TRUE(engine_->heldStops().empty());
}

TEST_F(Executor, stopsGoToTheVenueWhenItsGatewayHasNoLocalStops) {
  execution_engine::executor::GatewayConfig g;
  g.venue = common::ExchangeId::Simulated;
  g.local_stops = false;
  config_.gateways.push_back(g);
  start();
  push(stopOrder(95, common::OrderType::StopMarket, common::Side::Buy, kMid + 1000));
  pump();
  EXPECT_EQ(calls_->news[95], 1);
  EXPECT_EQ(calls_->last[95].type, common::OrderType::StopMarket);
  EXPECT_TRUE(engine_->heldStops().empty());
}

TEST(ExecutorConfigTest, readsLocalStopsPerGatewayDefaultingToTrue) {
  const auto c = ExecutorConfig::fromJson(nlohmann::json::parse(R"({"order_rules": "r.json", "gateways": {
    "simulated": {"kind": "dry_run"}, "binance": {"kind": "dry_run", "local_stops": false}}})"),
                                          "test", ".");
  ASSERT_EQ(c.gateways.size(), 2u);
  for (const auto& g : c.gateways) EXPECT_EQ(g.local_stops, g.venue == common::ExchangeId::Simulated);
}

// ---- timeouts ---------------------------------------------------------------------------------

TEST_F(Executor, anUnansweredNewIsMarkedUnknownAndQueriedOnceAfterTheTimeoutAndNeverResent) {
  config_.request_timeout_ms = 50;
  gFakeNow = common::wallNowNs();
  start([](GatewayCalls& c) { return std::make_unique<SilentGateway>(c); }, &fakeNow);
  push(order(101, kMid - 1000, 100));
  EXPECT_TRUE(pump().empty()) << "the venue never answers";
  ASSERT_EQ(engine_->orders().find(101)->state, managers::OrderState::PendingNew);

  gFakeNow += 50 * kMs;  // exactly the timeout: not yet
  engine_->housekeeping();
  EXPECT_EQ(calls_->queries, 0);
  EXPECT_EQ(engine_->orders().find(101)->state, managers::OrderState::PendingNew);

  gFakeNow += 1 * kMs;
  engine_->housekeeping();
  EXPECT_EQ(calls_->queries, 1);
  EXPECT_EQ(engine_->counters().timeouts, 1u);
  EXPECT_EQ(engine_->orders().find(101)->state, managers::OrderState::Unknown);

  for (int i = 0; i < 3; ++i) {
    gFakeNow += 1000 * kMs;
    engine_->housekeeping();
    pump();
  }
  EXPECT_EQ(calls_->queries, 1) << "queried once";
  EXPECT_EQ(calls_->news[101], 1) << "never resent";
  EXPECT_EQ(calls_->news.size(), 1u);
}

TEST_F(Executor, aTriggeredStopWhoseChildIsNotAnsweredIsQueriedOnceAfterTheTimeout) {
  config_.request_timeout_ms = 50;
  gFakeNow = common::wallNowNs();
  start([](GatewayCalls& c) { return std::make_unique<SilentGateway>(c); }, &fakeNow);
  push(stopOrder(111, common::OrderType::StopMarket, common::Side::Buy, kMid + 1000));
  ASSERT_NE(find(pump(), 111, ExecType::New), nullptr) << "acked locally even though the venue is silent";
  trade(kMid + 1000);
  pump();
  ASSERT_EQ(calls_->news[111], 1);
  gFakeNow += 50 * kMs;
  engine_->housekeeping();
  EXPECT_EQ(calls_->queries, 0);
  gFakeNow += 1 * kMs;
  engine_->housekeeping();
  EXPECT_EQ(calls_->queries, 1);
  EXPECT_TRUE(engine_->orders().find(111)->has(managers::kFlagQueryNeeded));
  EXPECT_TRUE(engine_->heldStops().empty());
  gFakeNow += 1000 * kMs;
  engine_->housekeeping();
  trade(kMid + 2000);
  pump();
  EXPECT_EQ(calls_->queries, 1);
  EXPECT_EQ(calls_->news[111], 1);
}

// ---- allocation -------------------------------------------------------------------------------

// The daily loss limit sees a strategy's losses while it trades (fed from housekeeping), not only
// the figures restored at start-up.
TEST_F(Executor, aStrategyThatLosesMoreThanItsDailyLossLimitWhileTradingIsRefusedNewOrders) {
  dailyLossLimit_ = "10";  // USDT
  start([](GatewayCalls&) { return std::make_unique<EchoGateway>(); });
  common::OrderRequest buy = order(1, 0, 1000);  // 0.01 BTC at market: filled at 65100.00
  buy.type = common::OrderType::Market;
  buy.tif = common::TimeInForce::IOC;
  push(buy);
  const auto filled = pump();
  ASSERT_NE(find(filled, 1, ExecType::Filled), nullptr);
  trade(kMid - 40'000);  // 64600.00: 0.01 BTC is 5 USDT down, inside the limit
  engine_->housekeeping();
  push(order(2, kMid - 50'000, 100));
  ASSERT_NE(find(pump(), 2, ExecType::New), nullptr) << "refused inside the daily loss limit";
  trade(kMid - 120'000);  // 63800.00: 13 USDT down
  engine_->housekeeping();
  push(order(3, kMid - 130'000, 100));
  const auto refused = pump();
  const common::ExecutionReport* r = find(refused, 3, ExecType::Rejected);
  ASSERT_NE(r, nullptr) << "accepted beyond the daily loss limit";
  EXPECT_EQ(r->reject_reason, common::RejectReason::DailyLossLimit) << common::toString(r->reject_reason);
}

TEST(AllocationWindowTest, countsThisThreadsAllocationsInsideTheWindowOnly) {
  static std::vector<int> keep;  // a global's growth cannot be optimised away
  keep.reserve(keep.capacity() + 16);
  AllocationWindow w;
  EXPECT_EQ(w.count(), 0u);
  keep.reserve(keep.capacity() + 16);
  EXPECT_EQ(w.count(), 1u);
}

TEST_F(Executor, handlesABurstOfRequestsReportsAndStopsWithoutAllocatingAfterWarmUp) {
  start([](GatewayCalls&) { return std::make_unique<EchoGateway>(); });
  // One round: 8 limit orders and 4 held stops; then the limits canceled, a trade that triggers
  // two stops (their market children fill), the other two canceled locally. Returns the
  // allocations made inside doWork() / onMarketData().
  auto round = [&](common::ClientOrderId base) {
    uint64_t allocations = 0;
    for (common::ClientOrderId i = 0; i < 8; ++i) push(order(base + i, kMid - 1000 - 10 * static_cast<int64_t>(i), 100));
    push(stopOrder(base + 10, common::OrderType::StopMarket, common::Side::Buy, kMid + 1000));
    push(stopOrder(base + 11, common::OrderType::TakeProfit, common::Side::Sell, kMid + 1000));
    push(stopOrder(base + 12, common::OrderType::StopMarket, common::Side::Buy, kMid + 3000));
    push(stopOrder(base + 13, common::OrderType::StopLimit, common::Side::Sell, kMid - 3000, kMid - 3100));
    {
      AllocationWindow w;
      drain();
      allocations += w.count();
    }
    EXPECT_EQ(engine_->heldStops().size(), 4u);
    pump();
    for (common::ClientOrderId i = 0; i < 8; ++i) push(cancel(base + 20 + i, base + i));
    push(cancel(base + 30, base + 12));
    push(cancel(base + 31, base + 13));
    {
      AllocationWindow w;
      drain();
      trade(kMid + 1000);
      drain();
      trade(kMid);
      allocations += w.count();
    }
    pump();
    EXPECT_EQ(engine_->orders().liveCount(), 0u);
    EXPECT_TRUE(engine_->heldStops().empty());
    return allocations;
  };
  (void)round(1000);  // warm-up: first touches of the managers' tables
  EXPECT_EQ(round(2000), 0u);
  EXPECT_EQ(round(3000), 0u);
  EXPECT_EQ(engine_->counters().stops_triggered, 6u);
  EXPECT_EQ(engine_->counters().fills, 6u);
}

}  // namespace
}  // namespace hft::test
