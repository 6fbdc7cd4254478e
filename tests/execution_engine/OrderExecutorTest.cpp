// The order executor's engine in-process: a real order queue and report ring on a private bus,
// the dry-run gateway behind a counting wrapper, a scratch journal and data root.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <vector>

#include "ExecTestUtil.h"
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

/// What the executor asked of the venue, counted on the way through.
struct GatewayCalls {
  std::map<common::ClientOrderId, int> news;  ///< New (and Modify) requests per client id
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
    else
      ++calls_.news[r.client_order_id];
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
    interfaces::VenueBalance usdt{}, btc{};
    common::setAsset(usdt.asset, "USDT");
    usdt.free = 100'000'00000000;
    common::setAsset(btc.asset, "BTC");
    btc.free = 1'00000000;
    c.balances = {usdt, btc};
    return c;
  }
  GatewayCalls& calls_;
  execution_engine::gateways::DryRunGateway inner_;
};

config::InstrumentRegistry simRegistry() {
  return config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 101, "exchange": "simulated", "base": "BTC", "quote": "USDT", "venue_symbol": "BTC-USDT",
     "price_scale": 2, "qty_scale": 5, "tick_size": "0.10", "lot_size": "0.00001", "min_notional": "5"}]})"),
                                              "test instruments");
}

managers::RiskLimits simLimits(const config::InstrumentRegistry& registry) {
  return managers::RiskLimits::fromJson(nlohmann::json::parse(R"({
    "global": {"max_open_orders": 100, "no_reference_price": "reject", "strict_strategies": true},
    "venues": {"simulated": {"rate_limit": {"orders_per_second": "10000", "burst": 10000}}},
    "instruments": {"simulated:BTC-USDT": {"max_order_qty": "1", "max_order_notional": "200000",
                                           "max_position": "2", "price_band_bps": 500}},
    "strategies": {"1": {"name": "alpha"}, "2": {"name": "beta"}}})"),
                                        "test limits", registry);
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

  /// A new engine on the same journal and data root, with a fresh dry-run venue.
  RecoveryReport start() {
    calls_ = std::make_unique<GatewayCalls>();
    std::vector<std::unique_ptr<interfaces::IOrderGateway>> gateways;
    gateways.push_back(std::make_unique<CountingGateway>(*calls_, registry_));
    engine_.reset();
    engine_ = std::make_unique<OrderExecutor>(config_, registry_, simLimits(registry_), exec_, std::move(gateways), bus_,
                                              false);
    RecoveryReport rr = engine_->recover();
    common::Trade t{};
    t.header = common::makeHeader<common::Trade>(common::ExchangeId::Simulated, kSimBtc, kMay1Noon, kMay1Noon);
    t.price = kMid;
    t.qty = 100;
    engine_->onMarketData(t.header);
    pump();  // the venue's balances
    return rr;
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

}  // namespace
}  // namespace hft::test
