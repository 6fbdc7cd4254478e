#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "strategies/Iceberg.h"
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
using strategies::Iceberg;

constexpr common::InstrumentId kBtc = 101;  // tick 0.01 (1 raw), lot 0.00001 (1 raw)
constexpr common::TimestampNs kT0 = 1'700'000'000'000'000'000;
constexpr common::TimestampNs kMs = 1'000'000;
constexpr int64_t kBid = 6'500'000;
constexpr int64_t kAsk = 6'500'100;
constexpr int64_t kOneBtc = 100'000;

std::unique_ptr<strategy_engine::IStrategy> create(const std::string& paramsJson) {
  return test::createStrategy("iceberg", strategies::makeIceberg, test::testInstruments(), {kBtc}, paramsJson, "iceberg-test");
}

std::string createError(const std::string& paramsJson) {
  return test::configErrorOf([&] { create(paramsJson); });
}

struct IcebergRun {
  explicit IcebergRun(const std::string& paramsJson) {
    auto s = create(paramsJson);
    iceberg = static_cast<Iceberg*>(s.get());
    h = std::make_unique<test::StrategyHarness>(std::move(s), std::vector<common::InstrumentId>{kBtc});
  }
  void book(common::TimestampNs t, int64_t shift = 0) {
    h->book(kBtc, t, {{kBid + shift, kOneBtc}}, {{kAsk + shift, kOneBtc}});
  }
  /// Fills every shown slice in full until the strategy shows no more; returns the slice sizes.
  std::vector<int64_t> fillAll(common::TimestampNs t) {
    std::vector<int64_t> sizes;
    while (sizes.size() < h->sent().size()) {
      const OrderRequest r = h->sent()[sizes.size()];
      sizes.push_back(r.qty);
      h->fill(r, t += kMs, r.price);
    }
    return sizes;
  }
  std::vector<OrderRequest>& sent() { return h->sent(); }
  std::unique_ptr<test::StrategyHarness> h;
  Iceberg* iceberg = nullptr;
};

TEST(Iceberg, showsTheDisplayQtyAtTheTouchAndRefreshesOnlyWhenTheSliceIsFilled) {
  IcebergRun run(R"({"side": "buy", "total_qty": "0.01", "display_qty": "0.002"})");
  run.book(kT0);
  ASSERT_EQ(run.sent().size(), 1u);
  const OrderRequest first = run.sent()[0];
  EXPECT_EQ(first.side, Side::Buy);
  EXPECT_EQ(first.tif, TimeInForce::GTC);
  EXPECT_EQ(first.price, kBid);
  EXPECT_EQ(first.qty, 200);

  run.h->report(first, ExecType::PartiallyFilled, kT0 + kMs, kBid, 150, 150);
  run.book(kT0 + 2 * kMs, 30);  // the book moves: the price stays
  EXPECT_EQ(run.sent().size(), 1u);
  run.h->report(first, ExecType::Filled, kT0 + 3 * kMs, kBid, 50, 200);
  ASSERT_EQ(run.sent().size(), 2u);
  EXPECT_EQ(run.sent()[1].price, kBid);
  EXPECT_EQ(run.sent()[1].qty, 200);
}

TEST(Iceberg, showsSlicesUntilTheTotalIsDoneWithTheRemainderLast) {
  IcebergRun run(R"({"side": "sell", "total_qty": "0.0025", "display_qty": "0.001"})");
  run.book(kT0);
  EXPECT_EQ(run.sent()[0].price, kAsk);
  EXPECT_EQ(run.fillAll(kT0), (std::vector<int64_t>{100, 100, 50}));
  EXPECT_EQ(run.iceberg->filled(), 250);
  EXPECT_EQ(run.iceberg->phase(), Iceberg::Phase::Done);
  EXPECT_EQ(run.iceberg->slicesShown(), 3u);
}

TEST(Iceberg, usesTheConfiguredPriceAndTheLimitCapsTheTouch) {
  IcebergRun fixed(R"({"side": "buy", "total_qty": "0.01", "display_qty": "0.002", "price": "64000.00"})");
  fixed.book(kT0);
  EXPECT_EQ(fixed.sent()[0].price, 6'400'000);

  IcebergRun capped(R"({"side": "buy", "total_qty": "0.01", "display_qty": "0.002", "limit_price": "64999.50"})");
  capped.book(kT0);
  EXPECT_EQ(capped.sent()[0].price, 6'499'950);
}

TEST(Iceberg, jitteredSlicesAreReproducibleFromTheSeedAndStayWithinBounds) {
  const char* json = R"({"side": "buy", "total_qty": "0.1", "display_qty": "0.01", "display_jitter": 0.5,
                         "seed": 42})";
  IcebergRun a(json), b(json);
  a.book(kT0);
  b.book(kT0);
  const std::vector<int64_t> sa = a.fillAll(kT0), sb = b.fillAll(kT0);
  EXPECT_EQ(sa, sb);
  int64_t total = 0;
  bool varied = false;
  for (const int64_t q : sa) {
    total += q;
    varied |= q != sa[0];
  }
  for (size_t i = 0; i + 1 < sa.size(); ++i) {  // the last is the remainder
    EXPECT_GE(sa[i], 500);
    EXPECT_LE(sa[i], 1500);
  }
  EXPECT_TRUE(varied);
  EXPECT_EQ(total, 10'000);

  IcebergRun c(R"({"side": "buy", "total_qty": "0.1", "display_qty": "0.01", "display_jitter": 0.5, "seed": 43})");
  c.book(kT0);
  EXPECT_NE(c.fillAll(kT0), sa);
}

TEST(Iceberg, stopsWhenTheVenueCancelsASlice) {
  IcebergRun run(R"({"side": "buy", "total_qty": "0.01", "display_qty": "0.002"})");
  run.book(kT0);
  run.h->report(run.sent()[0], ExecType::Canceled, kT0 + kMs);
  run.book(kT0 + 2 * kMs);
  EXPECT_EQ(run.sent().size(), 1u);
  EXPECT_TRUE(run.iceberg->stopped());
}

TEST(Iceberg, cancelsTheShownSliceAtTheEndOfItsDuration) {
  IcebergRun run(R"({"side": "buy", "total_qty": "0.01", "display_qty": "0.002", "duration_ms": 1000})");
  run.book(kT0);
  run.book(kT0 + 1000 * kMs);
  ASSERT_EQ(run.sent().size(), 2u);
  EXPECT_EQ(run.sent()[1].action, OrderAction::Cancel);
  run.h->report(run.sent()[1], ExecType::Canceled, kT0 + 1001 * kMs);
  EXPECT_EQ(run.sent().size(), 2u);  // no final order: an iceberg never crosses
}

TEST(Iceberg, sameEventsGiveIdenticalOrderBytes) {
  const auto scenario = [] {
    IcebergRun run(
        R"({"side": "sell", "total_qty": "0.05", "display_qty": "0.003", "display_jitter": 0.3, "seed": 7})");
    run.book(kT0);
    run.fillAll(kT0);
    return run.sent();
  };
  const auto a = scenario(), b = scenario();
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(OrderRequest)), 0);
}

TEST(Iceberg, rejectsBadParameters) {
  EXPECT_NE(createError(R"({"side": "buy", "total_qty": "0.01"})").find("display_qty"), std::string::npos);
  EXPECT_NE(createError(R"({"side": "buy", "total_qty": "0.01", "display_qty": "0.02"})").find("display_qty"),
            std::string::npos);
  EXPECT_NE(createError(R"({"side": "buy", "total_qty": "0.01", "display_qty": "0.002", "price": "65000.00",
                            "limit_price": "64000.00"})")
                .find("price"),
            std::string::npos);
  EXPECT_NE(createError(R"({"side": "buy", "total_qty": "0.01", "display_qty": "0.002", "display_jitter": 2})")
                .find("display_jitter"),
            std::string::npos);
}

TEST(Iceberg, shippedConfigLoads) {
  const auto instruments = config::InstrumentRegistry::loadFile(HFT_SOURCE_DIR "/config/instruments.json");
  const auto cfg =
      strategy_engine::StrategyConfig::loadFile(HFT_SOURCE_DIR "/config/strategies/iceberg.json", instruments);
  EXPECT_EQ(cfg.strategy, "iceberg");
  strategy_engine::StrategyRegistry registry;
  registry.add("iceberg", "test", strategies::makeIceberg);
  strategy_engine::StrategyParams params(cfg.params());
  EXPECT_NE(registry.create(cfg.strategy, params, {instruments, cfg.instruments}), nullptr);
}

}  // namespace
