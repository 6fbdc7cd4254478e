#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "strategies/TrailingStop.h"
#include "strategy_engine/StrategyConfig.h"
#include "strategy_engine/StrategyRegistry.h"
#include "tests/strategies/StrategyHarness.h"

namespace {

using namespace hft;
using common::ExecType;
using common::OrderRequest;
using common::OrderType;
using common::Side;
using common::TimeInForce;
using strategies::TrailingStop;

constexpr common::InstrumentId kBtc = 101;  // tick 0.01 (1 raw), lot 0.00001 (1 raw)
constexpr common::TimestampNs kT0 = 1'700'000'000'000'000'000;
constexpr common::TimestampNs kMs = 1'000'000;
constexpr int64_t kOneBtc = 100'000;

std::unique_ptr<strategy_engine::IStrategy> create(const std::string& paramsJson) {
  return test::createStrategy("trailing_stop", strategies::makeTrailingStop, test::testInstruments(), {kBtc}, paramsJson, "trailing-stop-test");
}

std::string createError(const std::string& paramsJson) {
  return test::configErrorOf([&] { create(paramsJson); });
}

struct StopRun {
  explicit StopRun(const std::string& paramsJson) {
    auto s = create(paramsJson);
    stop = static_cast<TrailingStop*>(s.get());
    h = std::make_unique<test::StrategyHarness>(std::move(s), std::vector<common::InstrumentId>{kBtc});
  }
  void trade(int64_t price) { h->trade(kBtc, t += kMs, price, 1000, Side::Buy); }
  std::vector<OrderRequest>& sent() { return h->sent(); }
  std::unique_ptr<test::StrategyHarness> h;
  TrailingStop* stop = nullptr;
  common::TimestampNs t = kT0;
};

TEST(TrailingStop, sellExitTriggersExactlyWhenThePriceRetracesByTheTrail) {
  StopRun run(R"({"side": "sell", "qty": "0.01", "trail_bps": 20})");
  run.trade(5'000'000);  // 50000.00: active from the first price
  run.trade(5'010'000);  // new peak 50100.00: trail 20 bps = 100.20, stop 49999.80
  EXPECT_EQ(run.stop->stopPrice(), 4'999'980);
  run.trade(5'005'000);
  run.trade(4'999'981);  // one tick above the stop
  EXPECT_TRUE(run.sent().empty());
  EXPECT_EQ(run.stop->state(), TrailingStop::State::Tracking);

  run.trade(4'999'980);
  ASSERT_EQ(run.sent().size(), 1u);
  const OrderRequest& exit = run.sent()[0];
  EXPECT_EQ(exit.side, Side::Sell);
  EXPECT_EQ(exit.type, OrderType::Market);
  EXPECT_EQ(exit.qty, 1000);
  EXPECT_EQ(exit.client_order_id, run.stop->exitOrder());
  EXPECT_EQ(run.stop->state(), TrailingStop::State::Triggered);

  run.trade(4'000'000);  // only one exit, ever
  EXPECT_EQ(run.sent().size(), 1u);
}

TEST(TrailingStop, ignoresRetracementsBeforeTheActivationPrice) {
  StopRun run(R"({"side": "sell", "qty": "0.01", "trail_ticks": 100, "activation_price": "51000.00"})");
  run.trade(5'000'000);
  run.trade(4'800'000);  // a 2000.00 fall, but not active yet
  run.trade(5'099'999);
  EXPECT_TRUE(run.sent().empty());
  EXPECT_EQ(run.stop->state(), TrailingStop::State::Inactive);

  run.trade(5'100'000);  // activates; the first peak
  EXPECT_EQ(run.stop->stopPrice(), 5'099'900);
  run.trade(5'099'901);
  EXPECT_TRUE(run.sent().empty());
  run.trade(5'099'900);
  ASSERT_EQ(run.sent().size(), 1u);
}

TEST(TrailingStop, buyExitFollowsTheAskDownAndSendsAnIocThroughIt) {
  StopRun run(R"({"side": "buy", "qty": "0.005", "trail_ticks": 50, "order_type": "ioc", "slippage_ticks": 5})");
  common::TimestampNs t = kT0;
  const auto quote = [&](int64_t ask) { run.h->bbo(kBtc, t += kMs, ask - 10, kOneBtc, ask, kOneBtc); };
  quote(5'000'000);
  quote(4'990'000);  // trough 49900.00: stop 49900.50
  quote(4'990'049);
  EXPECT_TRUE(run.sent().empty());
  quote(4'990'050);
  ASSERT_EQ(run.sent().size(), 1u);
  const OrderRequest& exit = run.sent()[0];
  EXPECT_EQ(exit.side, Side::Buy);
  EXPECT_EQ(exit.type, OrderType::Limit);
  EXPECT_EQ(exit.tif, TimeInForce::IOC);
  EXPECT_EQ(exit.price, 4'990'055);  // ask + 5 ticks
  EXPECT_EQ(exit.qty, 500);
}

TEST(TrailingStop, bookUpdatesDriveASellExitFromTheBestBid) {
  StopRun run(R"({"side": "sell", "qty": "0.01", "trail_ticks": 10})");
  run.h->book(kBtc, kT0 + kMs, {{5'000'000, kOneBtc}}, {{5'000'100, kOneBtc}});
  run.h->book(kBtc, kT0 + 2 * kMs, {{4'999'991, kOneBtc}}, {{5'000'100, kOneBtc}});
  EXPECT_TRUE(run.sent().empty());
  run.h->book(kBtc, kT0 + 3 * kMs, {{4'999'990, kOneBtc}}, {{5'000'100, kOneBtc}});
  EXPECT_EQ(run.sent().size(), 1u);
}

TEST(TrailingStop, exitsTheStrategysPositionWhenNoQtyIsConfigured) {
  StopRun run(R"({"side": "sell", "trail_ticks": 10})");
  OrderRequest entry{};  // a fill of an earlier order of this strategy makes the position
  entry.header = common::makeHeader<OrderRequest>(common::ExchangeId::Simulated, kBtc, kT0, kT0);
  entry.client_order_id = 1;
  entry.strategy_id = 7;
  entry.side = Side::Buy;
  entry.qty = 321;
  run.h->fill(entry, kT0, 5'000'000);
  ASSERT_EQ(run.h->host().position(kBtc).qty, 321);
  run.trade(5'000'000);
  run.trade(4'999'990);
  ASSERT_EQ(run.sent().size(), 1u);
  EXPECT_EQ(run.sent()[0].qty, 321);
}

TEST(TrailingStop, sendsNothingWithoutAPositionToProtect) {
  StopRun run(R"({"side": "sell", "trail_ticks": 10})");
  run.trade(5'000'000);
  run.trade(4'999'990);
  EXPECT_TRUE(run.sent().empty());
  EXPECT_EQ(run.stop->state(), TrailingStop::State::Triggered);
}

TEST(TrailingStop, sameEventsGiveIdenticalOrderBytes) {
  const auto scenario = [] {
    StopRun run(R"({"side": "sell", "qty": "0.01", "trail_bps": 15, "order_type": "ioc"})");
    for (int i = 0; i < 50; ++i) run.trade(5'000'000 + (i * 7919) % 20'000 - (i > 40 ? 30'000 : 0));
    return run.sent();
  };
  const auto a = scenario(), b = scenario();
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(std::memcmp(a.data(), b.data(), sizeof(OrderRequest)), 0);
}

TEST(TrailingStop, requiresExactlyOneTrail) {
  EXPECT_NE(createError(R"({"side": "sell", "qty": "0.01"})").find("trail"), std::string::npos);
  EXPECT_NE(createError(R"({"side": "sell", "qty": "0.01", "trail_bps": 5, "trail_ticks": 5})").find("trail"),
            std::string::npos);
  EXPECT_NE(createError(R"({"side": "sell", "trail_ticks": 5, "order_type": "stop"})").find("order_type"),
            std::string::npos);
  EXPECT_EQ(createError(R"({"side": "buy", "trail_ticks": 5})"), "");
}

TEST(TrailingStop, shippedConfigLoads) {
  const auto instruments = config::InstrumentRegistry::loadFile(HFT_SOURCE_DIR "/config/instruments.json");
  const auto cfg =
      strategy_engine::StrategyConfig::loadFile(HFT_SOURCE_DIR "/config/strategies/trailing_stop.json", instruments);
  EXPECT_EQ(cfg.strategy, "trailing_stop");
  strategy_engine::StrategyRegistry registry;
  registry.add("trailing_stop", "test", strategies::makeTrailingStop);
  strategy_engine::StrategyParams params(cfg.params());
  EXPECT_NE(registry.create(cfg.strategy, params, {instruments, cfg.instruments}), nullptr);
}

}  // namespace
