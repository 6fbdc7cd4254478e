#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "strategies/CrossExchangeArbitrage.h"
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
using strategies::CrossExchangeArbitrage;

// A: binance spot BTCUSDT (tick 0.01 = 1 raw, lot 0.00001 = 1 raw at qty scale 5).
// B: binance_futures BTCUSDT (tick 0.10 = 10 raw, lot 0.001 = 1 raw at qty scale 3).
constexpr common::InstrumentId kSpot = 1;
constexpr common::InstrumentId kPerp = 3;
constexpr common::TimestampNs kT0 = 1'700'000'000'000'000'000;
constexpr common::TimestampNs kMs = 1'000'000;
constexpr int64_t kSpotOneBtc = 100'000;
constexpr int64_t kPerpOneBtc = 1'000;

std::unique_ptr<strategy_engine::IStrategy> createWith(const config::InstrumentRegistry& instruments,
                                                       std::vector<common::InstrumentId> ids,
                                                       const std::string& paramsJson) {
  return test::createStrategy("cross_exchange_arbitrage", strategies::makeCrossExchangeArbitrage, instruments,
                              std::move(ids), paramsJson, "arb-test");
}

std::string createError(const config::InstrumentRegistry& instruments, std::vector<common::InstrumentId> ids,
                        const std::string& paramsJson) {
  return test::configErrorOf([&] { createWith(instruments, std::move(ids), paramsJson); });
}

// Costs: 1 + 1 + 2 = 4 bps of A's price.
constexpr const char* kParams = R"({"fee_bps_a": 1, "fee_bps_b": 1, "min_edge_bps": 2, "order_qty": "0.010",
                                    "max_position": "0.020", "cooldown_ms": 0})";

struct ArbRun {
  explicit ArbRun(const std::string& paramsJson = kParams) {
    auto s = createWith(test::testInstruments(), {kSpot, kPerp}, paramsJson);
    arb = static_cast<CrossExchangeArbitrage*>(s.get());
    h = std::make_unique<test::StrategyHarness>(std::move(s), std::vector<common::InstrumentId>{kSpot, kPerp});
  }
  void spot(int64_t bid, int64_t ask, int64_t bidQty = kSpotOneBtc, int64_t askQty = kSpotOneBtc) {
    h->book(kSpot, t += kMs, {{bid, bidQty}}, {{ask, askQty}});
  }
  void perp(int64_t bid, int64_t ask, int64_t bidQty = kPerpOneBtc, int64_t askQty = kPerpOneBtc) {
    h->book(kPerp, t += kMs, {{bid, bidQty}}, {{ask, askQty}});
  }
  std::vector<OrderRequest>& sent() { return h->sent(); }
  std::unique_ptr<test::StrategyHarness> h;
  CrossExchangeArbitrage* arb = nullptr;
  common::TimestampNs t = kT0;
};

TEST(CrossExchangeArbitrage, firesOnlyWhenTheEdgeIsAboveFeesAndMinimumEdge) {
  ArbRun run;
  run.spot(4'999'000, 5'000'000);  // ask 50000.00: the threshold for bid(B) is 50020.00
  run.perp(5'001'990, 5'003'000);  // 50019.90: below
  run.perp(5'002'000, 5'003'000);  // 50020.00: exactly the costs, not above them
  EXPECT_TRUE(run.sent().empty());

  run.perp(5'002'010, 5'003'000);  // 50020.10: above
  ASSERT_EQ(run.sent().size(), 2u);
  const OrderRequest& buyA = run.sent()[0];
  const OrderRequest& sellB = run.sent()[1];
  EXPECT_EQ(buyA.header.instrument_id, kSpot);
  EXPECT_EQ(buyA.side, Side::Buy);
  EXPECT_EQ(buyA.tif, TimeInForce::IOC);
  EXPECT_EQ(buyA.price, 5'000'000);
  EXPECT_EQ(buyA.qty, 1'000);  // 0.010 at qty scale 5
  EXPECT_EQ(sellB.header.instrument_id, kPerp);
  EXPECT_EQ(sellB.side, Side::Sell);
  EXPECT_EQ(sellB.tif, TimeInForce::IOC);
  EXPECT_EQ(sellB.price, 5'002'010);
  EXPECT_EQ(sellB.qty, 10);  // 0.010 at qty scale 3
  EXPECT_EQ(run.arb->counters().pairs, 1u);
}

TEST(CrossExchangeArbitrage, mirrorCaseBuysBAndSellsA) {
  ArbRun run;
  run.spot(5'003'000, 5'003'100);  // bid 50030.00: 4 bps of it is 20.012
  run.perp(4'999'000, 5'001'000);  // ask 50010.00: edge 20.00, below
  EXPECT_TRUE(run.sent().empty());
  run.perp(4'999'000, 5'000'990);  // ask 50009.90: edge 20.10, above
  ASSERT_EQ(run.sent().size(), 2u);
  EXPECT_EQ(run.sent()[0].header.instrument_id, kSpot);
  EXPECT_EQ(run.sent()[0].side, Side::Sell);
  EXPECT_EQ(run.sent()[0].price, 5'003'000);
  EXPECT_EQ(run.sent()[1].header.instrument_id, kPerp);
  EXPECT_EQ(run.sent()[1].side, Side::Buy);
  EXPECT_EQ(run.sent()[1].price, 5'000'990);
}

TEST(CrossExchangeArbitrage, sizesByTheSmallerTopQuantityOnALotValidOnBothVenues) {
  ArbRun run;
  run.spot(4'999'000, 5'000'000, kSpotOneBtc, 450);  // 0.00450 offered on A
  run.perp(5'010'000, 5'011'000, 8, kPerpOneBtc);    // 0.008 bid on B
  ASSERT_EQ(run.sent().size(), 2u);
  EXPECT_EQ(run.sent()[0].qty, 400);  // 0.0045 floored to B's lot 0.001
  EXPECT_EQ(run.sent()[1].qty, 4);
}

TEST(CrossExchangeArbitrage, sendsNoNewPairWhileALegIsOutstanding) {
  ArbRun run;
  run.spot(4'999'000, 5'000'000);
  run.perp(5'010'000, 5'011'000);
  ASSERT_EQ(run.sent().size(), 2u);
  const OrderRequest buyA = run.sent()[0], sellB = run.sent()[1];
  run.perp(5'010'000, 5'011'000);
  EXPECT_EQ(run.sent().size(), 2u);
  run.h->fill(buyA, run.t += kMs, buyA.price);
  run.spot(4'999'000, 5'000'000);
  EXPECT_EQ(run.sent().size(), 2u);  // B still working
  run.h->fill(sellB, run.t += kMs, sellB.price);
  run.perp(5'010'000, 5'011'000);
  ASSERT_EQ(run.sent().size(), 4u);  // both done: the next pair
  EXPECT_EQ(run.arb->counters().imbalances, 0u);
}

TEST(CrossExchangeArbitrage, waitsForTheCooldownBetweenPairs) {
  ArbRun run(R"({"fee_bps_a": 1, "fee_bps_b": 1, "min_edge_bps": 2, "order_qty": "0.010", "max_position": "0.050",
              "cooldown_ms": 100})");
  run.spot(4'999'000, 5'000'000);
  run.perp(5'010'000, 5'011'000);
  run.h->fill(run.sent()[0], run.t += kMs, run.sent()[0].price);
  run.h->fill(run.sent()[1], run.t += kMs, run.sent()[1].price);
  run.perp(5'010'000, 5'011'000);
  EXPECT_EQ(run.sent().size(), 2u);
  run.h->book(kPerp, kT0 + 2 * kMs + 100 * kMs, {{5'010'000, kPerpOneBtc}}, {{5'011'000, kPerpOneBtc}});
  EXPECT_EQ(run.sent().size(), 4u);
}

TEST(CrossExchangeArbitrage, keepsEachVenueWithinMaxPosition) {
  ArbRun run(R"({"fee_bps_a": 1, "fee_bps_b": 1, "min_edge_bps": 2, "order_qty": "0.010", "max_position": "0.015",
              "cooldown_ms": 0})");
  run.spot(4'999'000, 5'000'000);
  run.perp(5'010'000, 5'011'000);
  run.h->fill(run.sent()[0], run.t += kMs, run.sent()[0].price);
  run.h->fill(run.sent()[1], run.t += kMs, run.sent()[1].price);
  run.perp(5'010'000, 5'011'000);
  ASSERT_EQ(run.sent().size(), 4u);
  EXPECT_EQ(run.sent()[2].qty, 500);  // 0.015 - 0.010 held
  EXPECT_EQ(run.sent()[3].qty, 5);
  run.h->fill(run.sent()[2], run.t += kMs, run.sent()[2].price);
  run.h->fill(run.sent()[3], run.t += kMs, run.sent()[3].price);
  run.perp(5'010'000, 5'011'000);
  EXPECT_EQ(run.sent().size(), 4u);  // full in this direction
}

TEST(CrossExchangeArbitrage, hedgesTheFilledLegWhenTheOtherDidNotFill) {
  ArbRun run;
  run.spot(4'999'000, 5'000'000);
  run.perp(5'010'000, 5'011'000);
  const OrderRequest buyA = run.sent()[0], sellB = run.sent()[1];
  run.h->fill(buyA, run.t += kMs, buyA.price);
  run.h->report(sellB, ExecType::Expired, run.t += kMs);
  ASSERT_EQ(run.sent().size(), 3u);
  const OrderRequest hedge = run.sent()[2];
  EXPECT_EQ(hedge.header.instrument_id, kSpot);  // sold back where it was bought
  EXPECT_EQ(hedge.side, Side::Sell);
  EXPECT_EQ(hedge.tif, TimeInForce::IOC);
  EXPECT_EQ(hedge.price, 4'999'000);  // A's bid
  EXPECT_EQ(hedge.qty, 1'000);
  EXPECT_EQ(run.arb->counters().imbalances, 1u);
  EXPECT_EQ(run.arb->counters().hedges, 1u);

  run.perp(5'010'000, 5'011'000);  // the edge is still there, but a hedge is working
  EXPECT_EQ(run.sent().size(), 3u);
  run.h->report(hedge, ExecType::PartiallyFilled, run.t += kMs, hedge.price, 600, 600);
  run.h->report(hedge, ExecType::Expired, run.t += kMs, 0, 0, 600);
  run.spot(4'998'000, 5'000'000);  // the rest is hedged on the next update, at the new touch
  ASSERT_EQ(run.sent().size(), 4u);
  EXPECT_EQ(run.sent()[3].price, 4'998'000);
  EXPECT_EQ(run.sent()[3].qty, 400);
  EXPECT_EQ(run.arb->counters().hedges, 2u);
  run.h->fill(run.sent()[3], run.t += kMs, 4'998'000);
  EXPECT_EQ(run.arb->unhedged(), 0);
  EXPECT_EQ(run.h->host().position(kSpot).qty, 0);
  run.perp(5'010'000, 5'011'000);
  EXPECT_EQ(run.sent().size(), 6u);  // flat again: pairs resume
  // What strategy_runner prints at exit.
  EXPECT_EQ(run.arb->exitSummary(), "pairs 2, imbalances 1, hedges 2, dust 0, hedge rejects 0, overflow 0, refused 0");
}

TEST(CrossExchangeArbitrage, retriesARejectedHedgeOnlyAfterTheCooldown) {
  ArbRun run(R"({"fee_bps_a": 1, "fee_bps_b": 1, "min_edge_bps": 2, "order_qty": "0.010", "max_position": "0.020",
                 "cooldown_ms": 100})");
  run.spot(4'999'000, 5'000'000);
  run.perp(5'010'000, 5'011'000);
  const OrderRequest buyA = run.sent()[0], sellB = run.sent()[1];
  run.h->fill(buyA, run.t += kMs, buyA.price);
  run.h->report(sellB, ExecType::Expired, run.t += kMs);
  ASSERT_EQ(run.sent().size(), 3u);
  run.h->report(run.sent()[2], ExecType::Rejected, run.t += kMs);  // e.g. the risk rate limit
  for (int i = 0; i < 50; ++i) run.spot(4'999'000, 5'000'000);       // 50 updates in the next 50 ms
  EXPECT_EQ(run.sent().size(), 3u) << "no retry per market update while the cooldown runs";
  run.t += 50 * kMs;
  run.spot(4'999'000, 5'000'000);
  ASSERT_EQ(run.sent().size(), 4u);
  EXPECT_EQ(run.sent()[3].header.instrument_id, kSpot);
  EXPECT_EQ(run.sent()[3].side, Side::Sell);
  EXPECT_EQ(run.sent()[3].qty, 1'000);
  EXPECT_EQ(run.arb->counters().hedge_rejects, 1u);
  EXPECT_EQ(run.arb->counters().hedges, 2u);
}

TEST(CrossExchangeArbitrage, countsAnImbalanceBelowTheLotAsDust) {
  ArbRun run;
  run.spot(4'999'000, 5'000'000);
  run.perp(5'010'000, 5'011'000);
  const OrderRequest buyA = run.sent()[0], sellB = run.sent()[1];
  run.h->report(buyA, ExecType::PartiallyFilled, run.t += kMs, buyA.price, 950, 950);
  run.h->report(buyA, ExecType::Expired, run.t += kMs, 0, 0, 950);
  run.h->fill(sellB, run.t += kMs, sellB.price);  // 0.010 sold, 0.0095 bought
  // The 0.0005 excess sold on B is below B's lot of 0.001: nothing can hedge it there.
  EXPECT_EQ(run.sent().size(), 2u);
  EXPECT_EQ(run.arb->counters().dust, 1u);
}

TEST(CrossExchangeArbitrage, convertsBsPricesWithTheMultiplierExactly) {
  // Binance spot in USDT against Upbit in KRW (integer KRW prices, tick 1000).
  const char* json = R"({"instruments": [
    {"id": 1, "exchange": "binance", "base": "BTC", "quote": "USDT", "venue_symbol": "BTCUSDT", "price_scale": 2,
     "qty_scale": 8, "tick_size": "0.01", "lot_size": "0.00001", "min_notional": "5"},
    {"id": 5, "exchange": "upbit", "base": "BTC", "quote": "KRW", "venue_symbol": "KRW-BTC", "price_scale": 0,
     "qty_scale": 8, "tick_size": "1000", "lot_size": "0.00000001", "min_notional": "5000"}
  ]})";
  const auto krw = config::InstrumentRegistry::fromJson(nlohmann::json::parse(json), "krw-test");
  EXPECT_NE(createError(krw, {1, 5}, R"({"order_qty": "0.001"})").find("price_multiplier_b"), std::string::npos);
  auto s = createWith(krw, {1, 5},
                      R"({"fee_bps_a": 0, "fee_bps_b": 0, "min_edge_bps": 10, "order_qty": "0.001",
                          "price_multiplier_b": "0.00072"})");
  auto& arb = static_cast<CrossExchangeArbitrage&>(*s);
  // ask(A) 50000.00 USDT: B's bid must be worth more than 50050.00 USDT.
  EXPECT_FALSE(arb.edgeBuyA(5'000'000, 69'513'000));  // 50049.36 USDT
  EXPECT_FALSE(arb.edgeBuyA(5'000'000, 69'513'888));  // 50049.99936
  EXPECT_TRUE(arb.edgeBuyA(5'000'000, 69'514'000));   // 50050.08
  // bid(A) 50000.00: B's ask must be worth less than 49950.00 USDT (69375000 KRW exactly).
  EXPECT_FALSE(arb.edgeSellA(5'000'000, 69'375'000));
  EXPECT_TRUE(arb.edgeSellA(5'000'000, 69'374'000));
}

TEST(CrossExchangeArbitrage, sameEventsGiveIdenticalOrderBytes) {
  const auto scenario = [] {
    ArbRun run;
    for (int i = 0; i < 40; ++i) {
      run.spot(4'999'000 + (i % 7) * 300, 5'000'000 + (i % 7) * 300, kSpotOneBtc, 300 + i * 10);
      run.perp(5'000'000 + (i % 5) * 1'000, 5'001'000 + (i % 5) * 1'000, 3 + i % 4);
      for (size_t k = 0; k < run.sent().size(); ++k) {
        const OrderRequest r = run.sent()[k];
        if (run.h->host().order(r.client_order_id) == nullptr) continue;
        if ((k + static_cast<size_t>(i)) % 3 == 0)
          run.h->report(r, ExecType::Expired, run.t += kMs);
        else
          run.h->fill(r, run.t += kMs, r.price);
      }
    }
    return run.sent();
  };
  const auto a = scenario(), b = scenario();
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GT(a.size(), 4u);
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(OrderRequest)), 0);
}

TEST(CrossExchangeArbitrage, rejectsBadParameters) {
  const auto instruments = test::testInstruments();
  EXPECT_NE(createError(instruments, {kSpot, 102}, R"({"order_qty": "0.01"})").find("same base asset"),
            std::string::npos);
  EXPECT_NE(createError(instruments, {kSpot, kSpot}, R"({"order_qty": "0.01"})").find("different venues"),
            std::string::npos);
  EXPECT_NE(createError(instruments, {kSpot, kPerp}, R"({"order_qty": "0.0105"})").find("order_qty"),
            std::string::npos);
  EXPECT_NE(createError(instruments, {kSpot, kPerp}, R"({"order_qty": "0.01", "max_position": "0.005"})")
                .find("max_position"),
            std::string::npos);
  EXPECT_EQ(createError(instruments, {kSpot, kPerp}, kParams), "");
}

TEST(CrossExchangeArbitrage, shippedConfigLoads) {
  const auto instruments = config::InstrumentRegistry::loadFile(HFT_SOURCE_DIR "/config/instruments.json");
  const auto cfg =
      strategy_engine::StrategyConfig::loadFile(HFT_SOURCE_DIR "/config/strategies/cross_exchange_arbitrage.json", instruments);
  EXPECT_EQ(cfg.strategy, "cross_exchange_arbitrage");
  strategy_engine::StrategyRegistry registry;
  registry.add("cross_exchange_arbitrage", "test", strategies::makeCrossExchangeArbitrage);
  strategy_engine::StrategyParams params(cfg.params());
  EXPECT_NE(registry.create(cfg.strategy, params, {instruments, cfg.instruments}), nullptr);
}

}  // namespace
