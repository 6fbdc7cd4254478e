#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "strategies/Vwap.h"
#include "strategy_engine/StrategyConfig.h"
#include "strategy_engine/StrategyRegistry.h"
#include "tests/strategies/StrategyHarness.h"

namespace {

using namespace hft;
using common::ExecType;
using common::OrderAction;
using common::OrderRequest;
using common::Side;
using common::TimeInForce;
using strategies::VwapExecution;

constexpr common::InstrumentId kBtc = 101;  // tick 0.01 (1 raw), lot 0.00001 (1 raw)
constexpr common::TimestampNs kT0 = 1'700'000'000'000'000'000;
constexpr common::TimestampNs kMs = 1'000'000;
constexpr int64_t kBid = 6'500'000;
constexpr int64_t kAsk = 6'500'100;
constexpr int64_t kOneBtc = 100'000;

std::unique_ptr<strategy_engine::IStrategy> create(const std::string& paramsJson) {
  return test::createStrategy("vwap", strategies::makeVwapExecution, test::testInstruments(), {kBtc}, paramsJson, "vwap-test");
}

std::string createError(const std::string& paramsJson) {
  return test::configErrorOf([&] { create(paramsJson); });
}

struct VwapRun {
  explicit VwapRun(const std::string& paramsJson) {
    auto s = create(paramsJson);
    vwap = static_cast<VwapExecution*>(s.get());
    h = std::make_unique<test::StrategyHarness>(std::move(s), std::vector<common::InstrumentId>{kBtc});
  }
  void book(common::TimestampNs t) { h->book(kBtc, t, {{kBid, kOneBtc}}, {{kAsk, kOneBtc}}); }
  void trade(common::TimestampNs t, int64_t qty) { h->trade(kBtc, t, kBid, qty, Side::Sell); }
  std::vector<OrderRequest>& sent() { return h->sent(); }
  std::unique_ptr<test::StrategyHarness> h;
  VwapExecution* vwap = nullptr;
};

// Profile: the 2 s before the start in two 1 s bins; execution: the next 2 s in two buckets.
std::string params(const char* participation) {
  return std::string(R"({"side": "buy", "total_qty": "0.01", "start_offset_ms": 2000, "duration_ms": 2000,
                         "buckets": 2, "profile_window_ms": 2000, "max_participation": )")
      .append(participation)
      .append("}");
}

TEST(VwapExecution, schedulesChildQuantitiesInProportionToTheVolumeProfile) {
  VwapRun run(params("1.0"));
  run.book(kT0);
  run.trade(kT0 + 100 * kMs, 3000);   // bin 0: 3/4 of the volume
  run.trade(kT0 + 1500 * kMs, 1000);  // bin 1: 1/4
  EXPECT_TRUE(run.sent().empty());    // nothing before the start
  EXPECT_EQ(run.vwap->profileVolume(0), 3000);
  EXPECT_EQ(run.vwap->profileVolume(1), 1000);

  run.book(kT0 + 2000 * kMs);
  EXPECT_EQ(run.vwap->target(0), 750);
  EXPECT_EQ(run.vwap->target(1), 1000);
  run.trade(kT0 + 2100 * kMs, kOneBtc);  // plenty of volume: the cap does not bind
  ASSERT_EQ(run.sent().size(), 1u);
  EXPECT_EQ(run.sent()[0].qty, 750);
  EXPECT_EQ(run.sent()[0].tif, TimeInForce::IOC);
  EXPECT_EQ(run.sent()[0].price, kAsk);
  run.h->fill(run.sent()[0], kT0 + 2101 * kMs, kAsk);
  run.trade(kT0 + 2200 * kMs, kOneBtc);  // bucket 0 is done
  EXPECT_EQ(run.sent().size(), 1u);

  run.trade(kT0 + 3000 * kMs, kOneBtc);  // bucket 1
  ASSERT_EQ(run.sent().size(), 2u);
  EXPECT_EQ(run.sent()[1].qty, 250);
  run.h->fill(run.sent()[1], kT0 + 3001 * kMs, kAsk);
  EXPECT_EQ(run.vwap->filled(), 1000);
  EXPECT_EQ(run.vwap->phase(), VwapExecution::Phase::Done);
}

TEST(VwapExecution, capsChildrenAtTheParticipationOfVolumeSeenInTheBucket) {
  VwapRun run(params("0.1"));
  run.book(kT0);
  run.trade(kT0 + 100 * kMs, 1000);
  run.book(kT0 + 2000 * kMs);
  run.trade(kT0 + 2100 * kMs, 2000);  // 10% of 2000
  ASSERT_EQ(run.sent().size(), 1u);
  EXPECT_EQ(run.sent()[0].qty, 200);
  run.trade(kT0 + 2150 * kMs, 5000);  // a child is working: wait for its outcome
  EXPECT_EQ(run.sent().size(), 1u);
  run.h->fill(run.sent()[0], kT0 + 2160 * kMs, kAsk);
  run.trade(kT0 + 2200 * kMs, 1000);  // 10% of 8000 = 800, 200 already filled
  ASSERT_EQ(run.sent().size(), 2u);
  EXPECT_EQ(run.sent()[1].qty, 600);
  run.h->report(run.sent()[1], ExecType::Expired, kT0 + 2210 * kMs);  // nothing filled
  run.trade(kT0 + 2300 * kMs, 10);                                    // room is 10% of 8010 - 200
  ASSERT_EQ(run.sent().size(), 3u);
  EXPECT_EQ(run.sent()[2].qty, 601);
  run.h->fill(run.sent()[2], kT0 + 2310 * kMs, kAsk);

  // A new bucket starts with no volume: nothing until trades come, then the cap again.
  run.book(kT0 + 3000 * kMs);
  EXPECT_EQ(run.sent().size(), 3u);
  run.trade(kT0 + 3100 * kMs, 1000);
  ASSERT_EQ(run.sent().size(), 4u);
  EXPECT_EQ(run.sent()[3].qty, 100);
}

TEST(VwapExecution, fallsBackToAUniformScheduleWithoutVolume) {
  VwapRun run(params("1.0"));
  run.book(kT0);
  run.book(kT0 + 2000 * kMs);
  EXPECT_EQ(run.vwap->target(0), 500);
  EXPECT_EQ(run.vwap->target(1), 1000);
}

TEST(VwapExecution, ignoresTradesOlderThanTheProfileWindow) {
  VwapRun run(R"({"side": "buy", "total_qty": "0.01", "start_offset_ms": 3000, "duration_ms": 2000,
              "buckets": 2, "profile_window_ms": 2000})");
  run.book(kT0);
  run.trade(kT0 + 500 * kMs, 9000);   // before start - window
  run.trade(kT0 + 2500 * kMs, 1000);  // bin 1
  run.book(kT0 + 3000 * kMs);
  EXPECT_EQ(run.vwap->profileVolume(0), 0);
  EXPECT_EQ(run.vwap->profileVolume(1), 1000);
  EXPECT_EQ(run.vwap->target(0), 0);
  EXPECT_EQ(run.vwap->target(1), 1000);
}

TEST(VwapExecution, completesTheRestAtTheEndWithOneMarketableOrder) {
  VwapRun run(params("0.1"));
  run.book(kT0);
  run.book(kT0 + 2000 * kMs);
  run.trade(kT0 + 2100 * kMs, 1000);
  run.h->fill(run.sent()[0], kT0 + 2101 * kMs, kAsk);  // 100 of 1000
  run.book(kT0 + 4000 * kMs);
  ASSERT_EQ(run.sent().size(), 2u);
  EXPECT_EQ(run.sent()[1].qty, 900);
  EXPECT_EQ(run.vwap->counters().final_orders, 1u);
}

std::vector<OrderRequest> scenario() {
  VwapRun run(params("0.25"));
  run.book(kT0);
  for (int i = 0; i < 60; ++i) {
    const common::TimestampNs t = kT0 + i * 70 * kMs;
    run.trade(t, 100 + (i * 37) % 400);
    if (!run.sent().empty() && run.sent().back().action == OrderAction::New && i % 3 == 0)
      run.h->report(run.sent().back(), ExecType::Filled, t + 1, kAsk, run.sent().back().qty, run.sent().back().qty);
  }
  return run.sent();
}

TEST(VwapExecution, sameEventsGiveIdenticalOrderBytes) {
  const auto a = scenario(), b = scenario();
  ASSERT_EQ(a.size(), b.size());
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(OrderRequest)), 0);
}

TEST(VwapExecution, rejectsBadParameters) {
  EXPECT_NE(createError(R"({"side": "buy", "total_qty": "0.01", "max_participation": 0})").find("max_participation"),
            std::string::npos);
  EXPECT_NE(createError(R"({"side": "buy", "total_qty": "0.01", "buckets": 20, "profile_window_ms": 10})")
                .find("profile_window_ms"),
            std::string::npos);
  EXPECT_EQ(createError(params("0.2")), "");
}

TEST(VwapExecution, shippedConfigLoads) {
  const auto instruments = config::InstrumentRegistry::loadFile(HFT_SOURCE_DIR "/config/instruments.json");
  const auto cfg =
      strategy_engine::StrategyConfig::loadFile(HFT_SOURCE_DIR "/config/strategies/vwap.json", instruments);
  EXPECT_EQ(cfg.strategy, "vwap");
  strategy_engine::StrategyRegistry registry;
  registry.add("vwap", "test", strategies::makeVwapExecution);
  strategy_engine::StrategyParams params(cfg.params());
  EXPECT_NE(registry.create(cfg.strategy, params, {instruments, cfg.instruments}), nullptr);
}

}  // namespace
