#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "strategies/Twap.h"
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
using strategies::Twap;

constexpr common::InstrumentId kBtc = 101;  // tick 0.01 (1 raw), lot 0.00001 (1 raw)
constexpr common::TimestampNs kT0 = 1'700'000'000'000'000'000;
constexpr common::TimestampNs kMs = 1'000'000;
constexpr int64_t kBid = 6'500'000;  // 65000.00
constexpr int64_t kAsk = 6'500'100;  // 65001.00
constexpr int64_t kOneBtc = 100'000;

std::unique_ptr<strategy_engine::IStrategy> create(const std::string& paramsJson) {
  return test::createStrategy("twap", strategies::makeTwap, test::testInstruments(), {kBtc}, paramsJson, "twap-test");
}

std::string createError(const std::string& paramsJson) {
  return test::configErrorOf([&] { create(paramsJson); });
}

/// A harness running the TWAP; `twap` points at it for its state.
struct TwapRun {
  explicit TwapRun(const std::string& paramsJson) {
    auto s = create(paramsJson);
    twap = static_cast<Twap*>(s.get());
    h = std::make_unique<test::StrategyHarness>(std::move(s), std::vector<common::InstrumentId>{kBtc});
  }
  void book(common::TimestampNs t, int64_t bid = kBid, int64_t ask = kAsk) {
    h->book(kBtc, t, {{bid, kOneBtc}}, {{ask, kOneBtc}});
  }
  std::vector<OrderRequest>& sent() { return h->sent(); }
  std::unique_ptr<test::StrategyHarness> h;
  Twap* twap = nullptr;
};

int64_t sumNewQty(const std::vector<OrderRequest>& sent) {
  int64_t q = 0;
  for (const auto& r : sent)
    if (r.action == OrderAction::New) q += r.qty;
  return q;
}

// 0.01 BTC in 4 slices over 4 s: 0.0025 every second, IOC at the ask.
constexpr const char* kFourSlices = R"({"side": "buy", "total_qty": "0.01", "duration_ms": 4000, "slices": 4})";

TEST(Twap, sendsEqualSlicesAtEventTimeIntervalsAndStopsAtTheTotal) {
  TwapRun run(kFourSlices);
  run.book(kT0);
  ASSERT_EQ(run.sent().size(), 1u);  // slice 0 at the first event (no start offset)
  for (int k = 0; k < 4; ++k) {
    ASSERT_EQ(run.sent().size(), static_cast<size_t>(k + 1));
    const OrderRequest r = run.sent().back();
    EXPECT_EQ(r.action, OrderAction::New);
    EXPECT_EQ(r.side, Side::Buy);
    EXPECT_EQ(r.tif, TimeInForce::IOC);
    EXPECT_EQ(r.price, kAsk);
    EXPECT_EQ(r.qty, 250);
    EXPECT_EQ(r.request_ts_ns, kT0 + k * 1000 * kMs);
    run.h->fill(r, kT0 + k * 1000 * kMs + 1, kAsk);
    run.book(kT0 + (k + 1) * 1000 * kMs - 1);  // just before the next slice: nothing
    EXPECT_EQ(run.sent().size(), static_cast<size_t>(k + 1));
    run.book(kT0 + (k + 1) * 1000 * kMs);
  }
  EXPECT_EQ(run.twap->filled(), 1000);
  EXPECT_EQ(run.twap->phase(), Twap::Phase::Done);
  run.book(kT0 + 10'000 * kMs);
  EXPECT_EQ(run.sent().size(), 4u);
}

TEST(Twap, unfilledQuantityRollsIntoTheNextSlice) {
  TwapRun run(kFourSlices);
  run.book(kT0);
  const OrderRequest first = run.sent()[0];
  run.h->report(first, ExecType::PartiallyFilled, kT0 + 1, kAsk, 100, 100);
  run.h->report(first, ExecType::Expired, kT0 + 2, 0, 0, 100);
  run.book(kT0 + 1000 * kMs);
  ASSERT_EQ(run.sent().size(), 2u);
  EXPECT_EQ(run.sent()[1].qty, 400);  // target 0.005 - 0.001 filled
}

TEST(Twap, neverSendsMoreThanTheTotalWhileChildrenAreInFlight) {
  TwapRun run(kFourSlices);
  for (int k = 0; k <= 4; ++k) run.book(kT0 + k * 1000 * kMs);  // no child is ever answered
  int64_t cancels = 0;
  for (const auto& r : run.sent()) cancels += r.action == OrderAction::Cancel ? 1 : 0;
  EXPECT_EQ(sumNewQty(run.sent()), 1000);
  EXPECT_EQ(cancels, 4);  // the end cancels every child still working
  EXPECT_EQ(run.twap->phase(), Twap::Phase::Finishing);

  // Three cancels confirmed, one child filled after all: the final order takes exactly the rest.
  const std::vector<OrderRequest> sent = run.sent();
  const common::TimestampNs t = kT0 + 4001 * kMs;
  run.h->fill(sent[0], t, kAsk);
  for (size_t i = 1; i < 4; ++i)
    if (sent[i].action == OrderAction::New) run.h->report(sent[i], ExecType::Canceled, t);
  ASSERT_EQ(run.sent().size(), sent.size() + 1);
  const OrderRequest& final = run.sent().back();
  EXPECT_EQ(final.tif, TimeInForce::IOC);
  EXPECT_EQ(final.qty, 750);
  EXPECT_EQ(run.twap->counters().final_orders, 1u);
  EXPECT_EQ(run.twap->phase(), Twap::Phase::Done);
}

TEST(Twap, neverPaysAboveTheLimitPrice) {
  TwapRun run(R"({"side": "buy", "total_qty": "0.01", "duration_ms": 4000, "slices": 4,
              "aggression_ticks": 100, "limit_price": "65001.50"})");
  run.book(kT0);
  ASSERT_EQ(run.sent().size(), 1u);
  EXPECT_EQ(run.sent()[0].price, 6'500'150);  // ask + 100 ticks, pulled back to the limit
  run.h->fill(run.sent()[0], kT0 + 1, kAsk);

  // Timers fire before the event of their time is applied: the book moves just before.
  run.book(kT0 + 999 * kMs, kBid + 100, kAsk + 100);  // ask 65002.00: beyond the limit
  run.book(kT0 + 1000 * kMs, kBid + 100, kAsk + 100);
  EXPECT_EQ(run.sent().size(), 1u);
  EXPECT_EQ(run.twap->counters().limit_skips, 1u);

  run.book(kT0 + 1999 * kMs);  // back under the limit: the skipped slice rolls in
  run.book(kT0 + 2000 * kMs);
  ASSERT_EQ(run.sent().size(), 2u);
  EXPECT_EQ(run.sent()[1].qty, 500);
  EXPECT_LE(run.sent()[1].price, 6'500'150);
}

TEST(Twap, sellsNeverBelowTheLimitPrice) {
  TwapRun run(R"({"side": "sell", "total_qty": "0.01", "duration_ms": 4000, "slices": 4,
              "aggression_ticks": 3, "limit_price": "64999.99"})");
  run.book(kT0);
  ASSERT_EQ(run.sent().size(), 1u);
  EXPECT_EQ(run.sent()[0].side, Side::Sell);
  EXPECT_EQ(run.sent()[0].price, 6'499'999);  // bid - 3 ticks = 64999.97, floored at the limit
}

TEST(Twap, passiveSlicesJoinTheBidAndRequoteTheShortfallOnceCancelled) {
  TwapRun run(R"({"side": "buy", "total_qty": "0.01", "duration_ms": 4000, "slices": 4, "mode": "passive"})");
  run.book(kT0);
  ASSERT_EQ(run.sent().size(), 1u);
  const OrderRequest first = run.sent()[0];
  EXPECT_EQ(first.tif, TimeInForce::PostOnly);
  EXPECT_EQ(first.price, kBid);
  EXPECT_EQ(first.qty, 250);
  run.h->report(first, ExecType::New, kT0 + 1);
  run.h->report(first, ExecType::PartiallyFilled, kT0 + 2, kBid, 50, 50);

  run.book(kT0 + 1000 * kMs, kBid + 5, kAsk);  // slice 1: the working quote is cancelled first
  ASSERT_EQ(run.sent().size(), 2u);
  EXPECT_EQ(run.sent()[1].action, OrderAction::Cancel);
  EXPECT_EQ(run.sent()[1].orig_client_order_id, first.client_order_id);

  run.h->report(run.sent()[1], ExecType::Canceled, kT0 + 1000 * kMs + 1, 0, 0, 50);
  ASSERT_EQ(run.sent().size(), 3u);
  EXPECT_EQ(run.sent()[2].tif, TimeInForce::PostOnly);
  EXPECT_EQ(run.sent()[2].price, kBid + 5);
  EXPECT_EQ(run.sent()[2].qty, 450);  // 0.005 - 0.0005 filled: the unfilled part caught up

  // The end: cancel, then one marketable order for everything left.
  run.h->report(run.sent()[2], ExecType::New, kT0 + 1000 * kMs + 2);
  for (int k = 2; k <= 3; ++k) {
    run.book(kT0 + k * 1000 * kMs, kBid + 5, kAsk);
    run.h->report(run.sent().back(), ExecType::Canceled, kT0 + k * 1000 * kMs + 1, 0, 0, 0);
    run.h->report(run.sent().back(), ExecType::New, kT0 + k * 1000 * kMs + 2);
  }
  run.book(kT0 + 4000 * kMs, kBid + 5, kAsk);
  EXPECT_EQ(run.sent().back().action, OrderAction::Cancel);
  run.h->report(run.sent().back(), ExecType::Canceled, kT0 + 4000 * kMs + 1, 0, 0, 0);
  const OrderRequest& final = run.sent().back();
  EXPECT_EQ(final.action, OrderAction::New);
  EXPECT_EQ(final.tif, TimeInForce::IOC);
  EXPECT_EQ(final.price, kAsk);
  EXPECT_EQ(final.qty, 950);
}

TEST(Twap, leavesTheRestWhenNotCompletingAtTheEnd) {
  TwapRun run(R"({"side": "buy", "total_qty": "0.01", "duration_ms": 2000, "slices": 2, "complete_at_end": false})");
  run.book(kT0);
  run.h->report(run.sent()[0], ExecType::Expired, kT0 + 1);
  run.book(kT0 + 1000 * kMs);
  run.h->report(run.sent()[1], ExecType::Expired, kT0 + 1000 * kMs + 1);
  run.book(kT0 + 2000 * kMs);
  EXPECT_EQ(run.sent().size(), 2u);
  EXPECT_EQ(run.twap->phase(), Twap::Phase::Done);
}

TEST(Twap, startsAfterTheOffsetFromTheFirstEvent) {
  TwapRun run(R"({"side": "buy", "total_qty": "0.01", "duration_ms": 4000, "slices": 4, "start_offset_ms": 500})");
  run.book(kT0);
  run.book(kT0 + 499 * kMs);
  EXPECT_TRUE(run.sent().empty());
  run.book(kT0 + 500 * kMs);
  ASSERT_EQ(run.sent().size(), 1u);
  EXPECT_EQ(run.sent()[0].qty, 250);
}

std::vector<OrderRequest> scenario() {
  TwapRun run(R"({"side": "sell", "total_qty": "0.0123", "duration_ms": 3000, "slices": 7, "aggression_ticks": 2})");
  for (int i = 0; i <= 32; ++i) {
    const common::TimestampNs t = kT0 + i * 100 * kMs;
    run.book(t, kBid + i % 5, kAsk + i % 3);
    if (!run.sent().empty() && run.sent().back().action == OrderAction::New && i % 2 == 0)
      run.h->report(run.sent().back(), ExecType::PartiallyFilled, t + 1, kBid, 10, 10);
  }
  return run.sent();
}

TEST(Twap, sameEventsGiveIdenticalOrderBytes) {
  const auto a = scenario(), b = scenario();
  ASSERT_EQ(a.size(), b.size());
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(OrderRequest)), 0);
}

TEST(Twap, rejectsBadParameters) {
  EXPECT_NE(createError(R"({"total_qty": "0.01"})").find("side"), std::string::npos);
  EXPECT_NE(createError(R"({"side": "buy", "total_qty": "0.000001"})").find("total_qty"), std::string::npos);
  EXPECT_NE(createError(R"({"side": "buy", "total_qty": "0.01", "duration_ms": 5, "slices": 10})").find("slices"),
            std::string::npos);
  EXPECT_NE(createError(R"({"side": "buy", "total_qty": "0.01", "mode": "sleepy"})").find("mode"), std::string::npos);
  EXPECT_NE(createError(R"({"side": "buy", "total_qty": "0.01", "slice": 3})").find("unknown parameter"),
            std::string::npos);
  EXPECT_EQ(createError(kFourSlices), "");
}

TEST(Twap, shippedConfigLoads) {
  const auto instruments = config::InstrumentRegistry::loadFile(HFT_SOURCE_DIR "/config/instruments.json");
  const auto cfg =
      strategy_engine::StrategyConfig::loadFile(HFT_SOURCE_DIR "/config/strategies/twap.json", instruments);
  EXPECT_EQ(cfg.strategy, "twap");
  strategy_engine::StrategyRegistry registry;
  registry.add("twap", "test", strategies::makeTwap);
  strategy_engine::StrategyParams params(cfg.params());
  EXPECT_NE(registry.create(cfg.strategy, params, {instruments, cfg.instruments}), nullptr);
}

}  // namespace
