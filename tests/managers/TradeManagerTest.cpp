// TradeManager: average-cost positions and PnL through adds, partial closes and flips, fees by
// asset, per-instrument and cross-venue unified totals, daily rows, snapshots across a restart,
// bad input, and no allocation on the hot path.
#include "managers/TradeManager.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "RiskTestUtil.h"  // testRegistry(): simulated BTC-USDT (1), binance_futures BTCUSDT (2), simulated ETH-USDT (3)
#include "config/ConfigError.h"

namespace hft::test {
uint64_t allocationCount() noexcept;  // AllocationCounter.cpp: global operator new calls so far
}  // namespace hft::test

using namespace hft;
using managers::FillResult;
using managers::PositionView;
using managers::TradeManager;
using common::Side;
using test::btc;
using test::kBtc;
using test::kEth;
using test::kFutBtc;
using test::px;
using test::usd;

namespace {

constexpr common::TimestampNs kT0 = test::kT0;

// The hot path's promises, checked at compile time.
static_assert(noexcept(std::declval<TradeManager&>().onFill(std::declval<const common::ExecutionReport&>())));
static_assert(noexcept(std::declval<TradeManager&>().onMark(1, 1)));
static_assert(noexcept(std::declval<const TradeManager&>().position(1, 1)));
static_assert(noexcept(std::declval<const TradeManager&>().unified("BTC", "USDT")));
static_assert(noexcept(std::declval<TradeManager&>().beginDay(0)));

common::ExecutionReport fill(common::StrategyId strategy, common::InstrumentId instrument, Side side, int64_t qty,
                             int64_t price, int64_t fee = 0, const char* feeAsset = "USDT") {
  common::ExecutionReport r{};
  const auto venue = instrument == kFutBtc ? common::ExchangeId::BinanceFutures : common::ExchangeId::Simulated;
  r.header = common::makeHeader<common::ExecutionReport>(venue, instrument, kT0, kT0);
  r.client_order_id = 1;
  r.exec_type = common::ExecType::PartiallyFilled;
  r.strategy_id = strategy;
  r.side = side;
  r.last_qty = qty;
  r.last_price = price;
  r.cum_qty = qty;
  r.fee = fee;
  common::setAsset(r.fee_asset, feeAsset);
  return r;
}

struct Harness {
  config::InstrumentRegistry registry = test::testRegistry();
  TradeManager tm{registry};
  void book(const common::ExecutionReport& r) { ASSERT_EQ(tm.onFill(r), FillResult::Booked); }
};

TEST(TradeManager, addingAveragesTheEntryAndReducingRealizesAgainstIt) {
  Harness h;
  h.book(fill(1, kBtc, Side::Buy, btc(1), px(30000)));
  h.book(fill(1, kBtc, Side::Buy, btc(1), px(31000)));
  PositionView p = h.tm.position(1, kBtc);
  EXPECT_EQ(p.qty, btc(2));
  EXPECT_EQ(p.avg_entry_price, px(30500));
  EXPECT_EQ(p.realized_pnl, 0);

  h.book(fill(1, kBtc, Side::Sell, btc(0.5), px(32000)));
  p = h.tm.position(1, kBtc);
  EXPECT_EQ(p.qty, btc(1.5));
  EXPECT_EQ(p.avg_entry_price, px(30500)) << "reducing keeps the average entry";
  EXPECT_EQ(p.realized_pnl, usd(750));
  EXPECT_EQ(p.volume, usd(30000 + 31000 + 16000));
  EXPECT_EQ(p.bought_qty, btc(2));
  EXPECT_EQ(p.sold_qty, btc(0.5));
  EXPECT_EQ(p.fills, 3u);
}

TEST(TradeManager, flipsThroughZeroWithFeesFromLongToShortAndBack) {
  Harness h;
  h.book(fill(1, kBtc, Side::Buy, btc(1), px(30000), usd(3)));
  h.book(fill(1, kBtc, Side::Sell, btc(3), px(31000), usd(9.3)));  // closes 1 (+1000), opens 2 short
  PositionView p = h.tm.position(1, kBtc);
  EXPECT_EQ(p.qty, -btc(2));
  EXPECT_EQ(p.avg_entry_price, px(31000)) << "the rest opens at the flipping fill's price";
  EXPECT_EQ(p.realized_pnl, usd(1000));
  EXPECT_EQ(p.fees, usd(12.3));

  ASSERT_TRUE(h.tm.onMark(kBtc, px(30500)));
  p = h.tm.position(1, kBtc);
  EXPECT_EQ(p.unrealized_pnl, usd(1000)) << "short 2 from 31000, marked at 30500";
  EXPECT_EQ(p.netPnl(), usd(1000) + usd(1000) - usd(12.3));

  h.book(fill(1, kBtc, Side::Buy, btc(3), px(30000), usd(9)));  // closes 2 (+2000), opens 1 long
  p = h.tm.position(1, kBtc);
  EXPECT_EQ(p.qty, btc(1));
  EXPECT_EQ(p.avg_entry_price, px(30000));
  EXPECT_EQ(p.realized_pnl, usd(3000));
  EXPECT_EQ(p.fees, usd(21.3));
  EXPECT_EQ(p.unrealized_pnl, usd(500));

  h.book(fill(1, kBtc, Side::Sell, btc(1), px(29000)));  // exactly flat: a loss of 1000
  p = h.tm.position(1, kBtc);
  EXPECT_EQ(p.qty, 0);
  EXPECT_EQ(p.avg_entry_price, 0);
  EXPECT_EQ(p.unrealized_pnl, 0);
  EXPECT_EQ(p.realized_pnl, usd(2000));
}

TEST(TradeManager, realizedPnlIsExactWhenTheAverageIsNotARoundPrice) {
  Harness h;
  // 3 lots at 100.00, 100.01, 100.01: the average 100.00666... is not on the price grid.
  h.book(fill(1, kEth, Side::Buy, 10000, 10000));
  h.book(fill(1, kEth, Side::Buy, 10000, 10001));
  h.book(fill(1, kEth, Side::Buy, 10000, 10001));
  h.book(fill(1, kEth, Side::Sell, 10000, 10002));  // realizes 1 * (100.02 - 100.00666..) = 0.01333...
  h.book(fill(1, kEth, Side::Sell, 20000, 10002));  // the rest: 2 * 0.01333... = 0.02666...
  EXPECT_EQ(h.tm.position(1, kEth).realized_pnl, usd(0.04)) << "the cost basis carries no rounding error";
  EXPECT_EQ(h.tm.position(1, kEth).qty, 0);
}

TEST(TradeManager, feesInOtherAssetsAreTrackedApartAndLeavePnlAlone) {
  Harness h;
  h.book(fill(1, kBtc, Side::Buy, btc(1), px(30000), usd(0.01), "BNB"));
  h.book(fill(1, kBtc, Side::Buy, btc(1), px(30000), btc(0.001), "BTC"));
  h.book(fill(1, kBtc, Side::Buy, btc(1), px(30000), usd(0.02), "BNB"));
  h.book(fill(1, kBtc, Side::Buy, btc(1), px(30000), usd(1), ""));  // empty asset: the quote asset
  EXPECT_EQ(h.tm.position(1, kBtc).fees, usd(1));
  EXPECT_EQ(h.tm.otherFees(1, common::ExchangeId::Simulated, "BNB"), usd(0.03));
  EXPECT_EQ(h.tm.otherFees(1, common::ExchangeId::Simulated, "BTC"), btc(0.001));
  EXPECT_EQ(h.tm.otherFees(2, common::ExchangeId::Simulated, "BNB"), 0);
}

TEST(TradeManager, unrealizedNeedsAMarkAndBadMarksAreIgnored) {
  Harness h;
  h.book(fill(1, kBtc, Side::Buy, btc(2), px(30000)));
  EXPECT_EQ(h.tm.position(1, kBtc).unrealized_pnl, 0);
  EXPECT_FALSE(h.tm.onMark(kBtc, 0));
  EXPECT_FALSE(h.tm.onMark(99, px(1)));
  EXPECT_TRUE(h.tm.onMark(kBtc, px(29000)));
  EXPECT_EQ(h.tm.position(1, kBtc).unrealized_pnl, -usd(2000));
  EXPECT_EQ(h.tm.mark(kBtc), px(29000));
}

TEST(TradeManager, theInstrumentTotalIsTheSumOfItsStrategies) {
  Harness h;
  h.book(fill(1, kBtc, Side::Buy, btc(1), px(30000), usd(1)));
  h.book(fill(2, kBtc, Side::Sell, btc(1), px(31000), usd(1)));
  h.book(fill(2, kBtc, Side::Buy, btc(0.5), px(30000)));  // strategy 2 realizes 500
  h.tm.onMark(kBtc, px(30500));
  const PositionView a = h.tm.position(1, kBtc), b = h.tm.position(2, kBtc), t = h.tm.instrumentPosition(kBtc);
  EXPECT_EQ(t.qty, a.qty + b.qty);
  EXPECT_EQ(t.qty, btc(0.5));
  EXPECT_EQ(t.realized_pnl, usd(500));
  EXPECT_EQ(t.realized_pnl, a.realized_pnl + b.realized_pnl);
  EXPECT_EQ(t.unrealized_pnl, a.unrealized_pnl + b.unrealized_pnl);
  EXPECT_EQ(t.fees, usd(2));
  EXPECT_EQ(t.fills, 3u);
  EXPECT_EQ(t.avg_entry_price, px(29000)) << "break-even: 0.5 BTC whose cost is 14500";
}

TEST(TradeManager, theUnifiedViewNetsTheSamePairAcrossVenuesWithDifferentScales) {
  Harness h;
  h.book(fill(1, kBtc, Side::Buy, btc(1), px(30000)));      // spot, qty at 8 decimals
  h.book(fill(2, kFutBtc, Side::Sell, 1000, px(30100)));    // futures, qty at 3 decimals: 1 BTC
  h.tm.onMark(kBtc, px(30050));
  h.tm.onMark(kFutBtc, px(30050));
  managers::UnifiedPosition u = h.tm.unified("BTC", "USDT");
  EXPECT_EQ(u.instruments, 2);
  EXPECT_EQ(u.qty_scale, 8);
  EXPECT_EQ(u.price_scale, 2);
  EXPECT_EQ(u.total.qty, 0) << "long spot, short perp: flat";
  EXPECT_EQ(u.total.unrealized_pnl, usd(100));
  EXPECT_EQ(u.total.volume, usd(60100));
  EXPECT_EQ(u.total.bought_qty, btc(1));
  EXPECT_EQ(u.total.sold_qty, btc(1));

  h.book(fill(1, kBtc, Side::Buy, btc(0.5), px(30200)));
  u = h.tm.unifiedOf(kFutBtc);
  EXPECT_EQ(u.total.qty, btc(0.5));
  EXPECT_EQ(u.total.avg_entry_price, px(30000)) << "(30000 + 15100 - 30100) / 0.5";
  EXPECT_EQ(h.tm.unified("ETH", "USDT").instruments, 1);
  EXPECT_EQ(h.tm.unified("XRP", "USDT").instruments, 0);
  EXPECT_EQ(h.tm.unified("BTC", "KRW").total.qty, 0);
}

TEST(TradeManager, dailyRowsCountOnlyWhatHappenedSinceTheDayBegan) {
  Harness h;
  h.book(fill(1, kBtc, Side::Buy, btc(2), px(30000), usd(2)));
  h.book(fill(1, kEth, Side::Buy, 10000, 200000));
  h.book(fill(1, kEth, Side::Sell, 10000, 210000));  // flat ETH, realized yesterday
  h.tm.onMark(kBtc, px(30100));
  const common::TimestampNs midnight = kT0 + 3'600'000'000'000;
  h.tm.beginDay(midnight);
  h.book(fill(1, kBtc, Side::Sell, btc(1), px(30300), usd(1)));
  h.book(fill(2, kFutBtc, Side::Buy, 1000, px(30000)));
  h.tm.onMark(kBtc, px(30400));

  const std::vector<managers::DailyPnlRow> rows = h.tm.dailyPnl();
  ASSERT_EQ(rows.size(), 2u) << "ETH had nothing today and is flat";
  const managers::DailyPnlRow& r = rows[0];
  EXPECT_EQ(r.strategy, 1u);
  EXPECT_EQ(r.instrument, kBtc);
  EXPECT_EQ(r.venue, common::ExchangeId::Simulated);
  EXPECT_EQ(r.day_start_ns, midnight);
  EXPECT_EQ(r.realized_pnl, usd(300));
  EXPECT_EQ(r.unrealized_at_start, usd(200));
  EXPECT_EQ(r.unrealized_pnl, usd(400));
  EXPECT_EQ(r.fees, usd(1));
  EXPECT_EQ(r.volume, usd(30300));
  EXPECT_EQ(r.sold_qty, btc(1));
  EXPECT_EQ(r.bought_qty, 0);
  EXPECT_EQ(r.fills, 1u);
  EXPECT_EQ(r.position, btc(1));
  EXPECT_EQ(r.dayPnl(), usd(300) + usd(400) - usd(200) - usd(1));
  EXPECT_EQ(rows[1].strategy, 2u);
  EXPECT_EQ(rows[1].venue, common::ExchangeId::BinanceFutures);
  EXPECT_EQ(rows[1].unrealized_pnl, 0) << "no mark for the future yet";
}

TEST(TradeManager, positionUpdateCarriesTheStrategysPosition) {
  Harness h;
  h.book(fill(3, kFutBtc, Side::Sell, 2000, px(30000), usd(5)));
  h.tm.onMark(kFutBtc, px(29000));
  const common::PositionUpdate u = h.tm.positionUpdate(3, kFutBtc, kT0 + 5);
  EXPECT_EQ(u.header.type, common::EventType::PositionUpdate);
  EXPECT_EQ(u.header.exchange_id, common::ExchangeId::BinanceFutures);
  EXPECT_EQ(u.header.instrument_id, kFutBtc);
  EXPECT_EQ(u.header.exchange_ts_ns, kT0 + 5);
  EXPECT_EQ(u.strategy_id, 3u);
  EXPECT_EQ(u.qty, -2000);
  EXPECT_EQ(u.avg_entry_price, px(30000));
  EXPECT_EQ(u.unrealized_pnl, usd(2000));
  EXPECT_EQ(u.fees, usd(5));
}

TEST(TradeManager, refusesBadFillsAndCountsThem) {
  Harness h;
  EXPECT_EQ(h.tm.onFill(fill(1, kBtc, Side::Buy, 0, px(1))), FillResult::NotAFill);
  EXPECT_EQ(h.tm.onFill(fill(1, 99, Side::Buy, 1, px(1))), FillResult::UnknownInstrument);
  EXPECT_EQ(h.tm.onFill(fill(1, kBtc, Side::Buy, -1, px(1))), FillResult::InvalidFill);
  EXPECT_EQ(h.tm.onFill(fill(1, kBtc, Side::Buy, 1, 0)), FillResult::InvalidFill);
  EXPECT_EQ(h.tm.onFill(fill(1, kBtc, Side::None, 1, px(1))), FillResult::InvalidFill);
  EXPECT_EQ(h.tm.position(1, kBtc).fills, 0u);
  EXPECT_EQ(h.tm.counters().results[static_cast<int>(FillResult::InvalidFill)], 3u);

  TradeManager small(h.registry, managers::TradeManagerSizes{1, 1});
  EXPECT_EQ(small.onFill(fill(1, kBtc, Side::Buy, 1, px(1), 5, "BNB")), FillResult::Booked);
  EXPECT_EQ(small.onFill(fill(2, kBtc, Side::Buy, 1, px(1))), FillResult::TableFull);
  EXPECT_EQ(small.onFill(fill(1, kBtc, Side::Buy, 1, px(1), 5, "BTC")), FillResult::Booked);
  EXPECT_EQ(small.counters().fees_dropped, 1u) << "a second fee asset does not fit";
  EXPECT_THROW(TradeManager(h.registry, managers::TradeManagerSizes{0, 1}), std::invalid_argument);
}

// ---- snapshots -----------------------------------------------------------------------------

std::vector<common::ExecutionReport> randomFills(uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  std::vector<common::ExecutionReport> out;
  const common::InstrumentId instruments[] = {kBtc, kFutBtc, kEth};
  for (int i = 0; i < n; ++i) {
    const common::InstrumentId inst = instruments[rng() % 3];
    const int64_t qty = inst == kBtc ? static_cast<int64_t>(rng() % 50'000'000 + 1) : static_cast<int64_t>(rng() % 3000 + 1);
    const int64_t price = px(30000) + static_cast<int64_t>(rng() % 20001) - 10000;
    out.push_back(fill(static_cast<common::StrategyId>(rng() % 3 + 1), inst, rng() % 2 ? Side::Buy : Side::Sell, qty,
                       price, static_cast<int64_t>(rng() % 1000), rng() % 5 == 0 ? "BNB" : "USDT"));
  }
  return out;
}

TEST(TradeManagerSnapshot, aRestartInTheMiddleEndsWithTheSamePositionsAsNoRestart) {
  const config::InstrumentRegistry registry = test::testRegistry();
  const std::vector<common::ExecutionReport> fills = randomFills(5, 400);
  auto drive = [&](TradeManager& tm, size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      tm.onFill(fills[i]);
      if (i % 7 == 0) tm.onMark(fills[i].header.instrument_id, fills[i].last_price);
      if (i == 250) tm.beginDay(kT0 + 86'400'000'000'000);
    }
  };
  TradeManager straight(registry);
  drive(straight, 0, fills.size());
  for (size_t restartAt : {size_t{100}, size_t{251}, size_t{399}}) {
    TradeManager first(registry);
    drive(first, 0, restartAt);
    TradeManager second = TradeManager::fromJson(nlohmann::json::parse(first.toJson().dump()), registry);
    EXPECT_EQ(second.toJson(), first.toJson());
    drive(second, restartAt, fills.size());
    EXPECT_EQ(second.toJson(), straight.toJson()) << "restart at " << restartAt;
    for (common::InstrumentId i : {kBtc, kFutBtc, kEth}) {
      EXPECT_EQ(second.instrumentPosition(i).qty, straight.instrumentPosition(i).qty);
      EXPECT_EQ(second.instrumentPosition(i).realized_pnl, straight.instrumentPosition(i).realized_pnl);
      EXPECT_EQ(second.instrumentPosition(i).unrealized_pnl, straight.instrumentPosition(i).unrealized_pnl);
    }
    EXPECT_EQ(second.unified("BTC", "USDT").total.netPnl(), straight.unified("BTC", "USDT").total.netPnl());
    EXPECT_EQ(second.dailyPnl().size(), straight.dailyPnl().size());
  }
  EXPECT_NE(straight.instrumentPosition(kBtc).realized_pnl, 0) << "the fills must close positions";
}

std::string snapshotError(const nlohmann::json& j) {
  try {
    TradeManager::fromJson(j, test::testRegistry(), {}, "pnl.json");
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(TradeManagerSnapshot, refusesMalformedSnapshotsNamingTheKeyPath) {
  Harness h;
  h.book(fill(1, kBtc, Side::Buy, btc(1), px(30000), 5, "BNB"));
  h.tm.onMark(kBtc, px(30000));
  const nlohmann::json good = h.tm.toJson();
  ASSERT_EQ(snapshotError(good), "no error");
  nlohmann::json j = good;
  j["positions"][0]["instrument"] = 42;
  EXPECT_NE(snapshotError(j).find("pnl.json: positions[0].instrument: expected an instrument id of the registry"),
            std::string::npos)
      << snapshotError(j);
  j = good;
  j["positions"][0]["cost"] = "12x";
  EXPECT_NE(snapshotError(j).find("positions[0].cost"), std::string::npos) << snapshotError(j);
  j = good;
  j["positions"][0]["cost"] = "0";
  EXPECT_NE(snapshotError(j).find("positions[0].cost: expected a cost that is 0 exactly when qty is 0"),
            std::string::npos)
      << snapshotError(j);
  j = good;
  j["positions"][0]["day_base"].erase("fills");
  EXPECT_NE(snapshotError(j).find("positions[0].day_base.fills"), std::string::npos) << snapshotError(j);
  j = good;
  j["other_fees"][0]["venue"] = "nasdaq";
  EXPECT_NE(snapshotError(j).find("other_fees[0].venue"), std::string::npos) << snapshotError(j);
  j = good;
  j["version"] = 7;
  EXPECT_NE(snapshotError(j).find("version: expected version 1"), std::string::npos) << snapshotError(j);
  j = good;
  j["marks"][0]["price"] = 0;
  EXPECT_NE(snapshotError(j).find("marks[0].price"), std::string::npos) << snapshotError(j);
  j = good;
  j["counters"]["fill_results"] = {1, 2};
  EXPECT_NE(snapshotError(j).find("counters.fill_results"), std::string::npos) << snapshotError(j);
}

// ---- no allocation -------------------------------------------------------------------------

TEST(TradeManagerNoAllocation, fillsMarksAndQueriesNeverAllocate) {
  Harness h;
  const std::vector<common::ExecutionReport> fills = randomFills(9, 3000);
  h.tm.onFill(fill(1, kBtc, Side::Buy, 1, px(1), 1, "BNB"));  // the fee entry exists before counting
  const uint64_t before = test::allocationCount();
  int64_t sink = 0;
  for (const common::ExecutionReport& f : fills) {
    h.tm.onFill(f);
    h.tm.onMark(f.header.instrument_id, f.last_price);
    sink += h.tm.position(f.strategy_id, f.header.instrument_id).netPnl();
    sink += h.tm.instrumentPosition(f.header.instrument_id).qty;
    sink += h.tm.unified("BTC", "USDT").total.unrealized_pnl;
    sink += h.tm.positionUpdate(f.strategy_id, f.header.instrument_id, kT0).qty;
    sink += h.tm.otherFees(1, common::ExchangeId::Simulated, "BNB");
  }
  h.tm.beginDay(kT0);
  EXPECT_EQ(test::allocationCount() - before, 0u) << "allocations on the hot path";
  EXPECT_EQ(h.tm.counters().results[static_cast<int>(FillResult::Booked)], fills.size() + 1);
  EXPECT_NE(sink, 0);
}

}  // namespace
