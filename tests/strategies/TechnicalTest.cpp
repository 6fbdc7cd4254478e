#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "strategies/Technical.h"
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

constexpr common::InstrumentId kBtc = 101;                      // tick 0.01 (1 raw), lot 0.00001 (1 raw)
constexpr common::TimestampNs kT0 = 1'700'000'000'000'000'000;  // a whole second
constexpr common::TimestampNs kSec = 1'000'000'000;
constexpr common::TimestampNs kMs = 1'000'000;

/// Price paths are written in whole USDT around 100 = 65000.00: px(94) = 64994.00.
constexpr int64_t px(int64_t units) { return 6'500'000 + (units - 100) * 100; }

std::unique_ptr<strategy_engine::IStrategy> create(const std::string& paramsJson) {
  return test::createStrategy("technical", strategies::makeTechnical, test::testInstruments(), {kBtc}, paramsJson, "technical-test");
}

std::string createError(const std::string& paramsJson) {
  return test::configErrorOf([&] { create(paramsJson); });
}

/// A venue Bar event (all of OHLC at the close) closing at t.
void venueBar(test::StrategyHarness& h, common::TimestampNs t, int64_t close) {
  common::Bar b{};
  b.header = common::makeHeader<common::Bar>(common::ExchangeId::Simulated, kBtc, t, t);
  b.open = b.high = b.low = b.close = close;
  b.volume = 100;
  b.trade_count = 1;
  b.interval_ns = kSec;
  h.host().onEvent(b.header);
}

/// One venue bar per second, closes given in whole USDT (see px).
void venueBars(test::StrategyHarness& h, const std::vector<int64_t>& closes, common::TimestampNs start = kT0) {
  for (size_t i = 0; i < closes.size(); ++i) venueBar(h, start + static_cast<int64_t>(i) * kSec, px(closes[i]));
}

/// Position one lot long at entryPrice through a bollinger signal, filled.
OrderRequest enterLong(test::StrategyHarness& h, int64_t entryPrice) {
  venueBars(h, {100, 100, 101, 99, 100, 94});
  EXPECT_EQ(h.sent().size(), 1u);
  const OrderRequest entry = h.sent().back();
  h.fill(entry, kT0 + 5 * kSec + 1, entryPrice);
  EXPECT_EQ(h.host().position(kBtc).qty, entry.qty);
  return entry;
}

constexpr const char* kBollinger = R"("signal": "bollinger", "bb_period": 5, "bb_stddev": 1.5, "order_qty": "0.01")";

TEST(Technical, smaCrossEntersLongWithAnIocAtTheTouchPlusSlippage) {
  test::StrategyHarness h(create(R"({"signal": "sma_cross", "fast_period": 2, "slow_period": 4,
                                     "bar_interval_ms": 1000, "order_qty": "0.01", "slippage_ticks": 2})"),
                          {kBtc});
  // Time bars from trades. Closes 100 x4, 99 (fast crosses below: long-only, so nothing),
  // 99, then 102: fast crosses above slow.
  const std::vector<int64_t> closes = {100, 100, 100, 100, 99, 99, 102};
  for (size_t i = 0; i < closes.size(); ++i)
    h.trade(kBtc, kT0 + static_cast<int64_t>(i) * kSec + 100 * kMs, px(closes[i]), 100, Side::Buy);
  h.book(kBtc, kT0 + 6 * kSec + 500 * kMs, {{px(102) - 1, 100'000}}, {{px(102), 100'000}});
  EXPECT_TRUE(h.sent().empty());  // the last bar is still open

  // The first event after the interval (here a book update) closes the bar through a timer.
  h.book(kBtc, kT0 + 7 * kSec, {{px(103) - 1, 100'000}}, {{px(103), 100'000}});
  ASSERT_EQ(h.sent().size(), 1u);
  const OrderRequest& r = h.sent()[0];
  EXPECT_EQ(r.action, common::OrderAction::New);
  EXPECT_EQ(r.side, Side::Buy);
  EXPECT_EQ(r.type, OrderType::Limit);
  EXPECT_EQ(r.tif, TimeInForce::IOC);
  EXPECT_EQ(r.price, px(102) + 2);  // the ask when the bar closed, plus 2 ticks
  EXPECT_EQ(r.qty, 1'000);
  EXPECT_EQ(r.request_ts_ns, kT0 + 7 * kSec);
}

TEST(Technical, rsiBuysWhenOversoldAndLongOnlyIgnoresOverbought) {
  test::StrategyHarness h(create(R"({"signal": "rsi", "rsi_period": 3, "oversold": 30, "overbought": 70,
                                     "bar_volume": "0.01", "order_qty": "0.01", "slippage_ticks": 1})"),
                          {kBtc});
  // Volume bars of 0.01: every trade of 0.01 closes one. RSI: 100 at 103 (overbought),
  // 33.3 at 99, 16.7 at 95 (oversold).
  const std::vector<int64_t> closes = {100, 101, 102, 103, 99};
  for (size_t i = 0; i < closes.size(); ++i)
    h.trade(kBtc, kT0 + static_cast<int64_t>(i) * kSec, px(closes[i]), 1'000, Side::Sell);
  EXPECT_TRUE(h.sent().empty());
  h.trade(kBtc, kT0 + 5 * kSec, px(95), 1'000, Side::Sell);
  ASSERT_EQ(h.sent().size(), 1u);
  EXPECT_EQ(h.sent()[0].side, Side::Buy);
  EXPECT_EQ(h.sent()[0].price, px(95) + 1);  // no book: the last trade is the touch
}

TEST(Technical, macdEntersOnTheCrossAboveItsSignalLine) {
  test::StrategyHarness h(
      create(R"({"signal": "macd", "macd_fast": 2, "macd_slow": 4, "macd_signal": 2, "order_qty": "0.01"})"), {kBtc});
  // Venue bars. Histogram: 0 at bars 4-5, negative from bar 6 (a sell signal: long-only,
  // nothing), positive again at bar 9.
  venueBars(h, {100, 100, 100, 100, 100, 100, 98, 96, 95});
  EXPECT_TRUE(h.sent().empty());
  venueBar(h, kT0 + 9 * kSec, px(95));
  ASSERT_EQ(h.sent().size(), 1u);
  EXPECT_EQ(h.sent()[0].side, Side::Buy);
  EXPECT_EQ(h.sent()[0].request_ts_ns, kT0 + 9 * kSec);
}

TEST(Technical, bollingerFadesACloseOutsideTheBands) {
  test::StrategyHarness lower(create(std::string("{") + kBollinger + "}"), {kBtc});
  venueBars(lower, {100, 100, 101, 99, 100});
  EXPECT_TRUE(lower.sent().empty());
  venueBar(lower, kT0 + 5 * kSec, px(94));  // lower band 95.08
  ASSERT_EQ(lower.sent().size(), 1u);
  EXPECT_EQ(lower.sent()[0].side, Side::Buy);

  test::StrategyHarness upper(create(std::string("{") + kBollinger + R"(, "allow_short": true})"), {kBtc});
  venueBars(upper, {100, 100, 101, 99, 100, 106});
  ASSERT_EQ(upper.sent().size(), 1u);
  EXPECT_EQ(upper.sent()[0].side, Side::Sell);
  EXPECT_EQ(upper.sent()[0].price, px(106) - 2);
}

TEST(Technical, stopLossExitsWhenATradeReachesTheStopPrice) {
  test::StrategyHarness h(create(std::string("{") + kBollinger + R"(, "stop_loss_bps": 100, "take_profit_bps": 200})"),
                          {kBtc});
  const OrderRequest entry = enterLong(h, 6'500'000);  // 65000.00: stop 64350.00
  h.trade(kBtc, kT0 + 6 * kSec, 6'435'001, 10, Side::Sell);
  EXPECT_EQ(h.sent().size(), 1u);
  h.trade(kBtc, kT0 + 6 * kSec + 1, 6'435'000, 10, Side::Sell);
  ASSERT_EQ(h.sent().size(), 2u);
  const OrderRequest exit = h.sent()[1];
  EXPECT_EQ(exit.side, Side::Sell);
  EXPECT_EQ(exit.tif, TimeInForce::IOC);
  EXPECT_EQ(exit.qty, entry.qty);
  EXPECT_EQ(exit.price, 6'435'000 - 2);
  // One order at a time: nothing more while the exit works; flat afterwards, no re-entry.
  h.trade(kBtc, kT0 + 6 * kSec + 2, 6'400'000, 10, Side::Sell);
  EXPECT_EQ(h.sent().size(), 2u);
  h.fill(exit, kT0 + 6 * kSec + 3, exit.price);
  h.trade(kBtc, kT0 + 6 * kSec + 4, 6'300'000, 10, Side::Sell);
  EXPECT_EQ(h.host().position(kBtc).qty, 0);
  EXPECT_EQ(h.sent().size(), 2u);
}

TEST(Technical, takeProfitExitsWhenTheBidReachesTheTarget) {
  test::StrategyHarness h(create(std::string("{") + kBollinger + R"(, "stop_loss_bps": 100, "take_profit_bps": 200})"),
                          {kBtc});
  enterLong(h, 6'500'000);  // target 66300.00
  h.book(kBtc, kT0 + 6 * kSec, {{6'629'999, 100'000}}, {{6'630'100, 100'000}});
  EXPECT_EQ(h.sent().size(), 1u);
  h.book(kBtc, kT0 + 6 * kSec + 1, {{6'630'000, 100'000}}, {{6'630'100, 100'000}});
  ASSERT_EQ(h.sent().size(), 2u);
  EXPECT_EQ(h.sent()[1].side, Side::Sell);
  EXPECT_EQ(h.sent()[1].price, 6'630'000 - 2);
}

TEST(Technical, stopLossOfAShortIsAboveTheEntry) {
  test::StrategyHarness h(create(std::string("{") + kBollinger + R"(, "allow_short": true, "stop_loss_bps": 50})"),
                          {kBtc});
  venueBars(h, {100, 100, 101, 99, 100, 106});
  h.fill(h.sent()[0], kT0 + 6 * kSec, 6'500'000);  // short at 65000.00: stop 65325.00
  h.trade(kBtc, kT0 + 7 * kSec, 6'532'499, 10, Side::Buy);
  EXPECT_EQ(h.sent().size(), 1u);
  h.trade(kBtc, kT0 + 7 * kSec + 1, 6'532'500, 10, Side::Buy);
  ASSERT_EQ(h.sent().size(), 2u);
  EXPECT_EQ(h.sent()[1].side, Side::Buy);
  EXPECT_EQ(h.sent()[1].price, 6'532'500 + 2);
}

TEST(Technical, sizesEntriesByRiskFractionOfCapital) {
  // 10000 USDT * 0.5 = 5000 USDT at the limit 50000.00 (ask 49999.98 + 2 ticks): 0.1 BTC.
  test::StrategyHarness limit(create(R"({"signal": "bollinger", "bb_period": 5, "bb_stddev": 1.5,
                                         "risk_fraction": 0.5, "capital": "10000"})"),
                              {kBtc});
  limit.book(kBtc, kT0 - 1, {{4'999'990, 100'000}}, {{4'999'998, 100'000}});
  venueBars(limit, {100, 100, 101, 99, 100, 94});
  ASSERT_EQ(limit.sent().size(), 1u);
  EXPECT_EQ(limit.sent()[0].price, 5'000'000);
  EXPECT_EQ(limit.sent()[0].qty, 10'000);

  // Market orders size at the touch: 5000 / 65000.00 = 0.0769230..., down to the lot 0.07692.
  test::StrategyHarness market(create(R"({"signal": "bollinger", "bb_period": 5, "bb_stddev": 1.5,
                                          "risk_fraction": 0.5, "capital": "10000", "order_type": "market"})"),
                               {kBtc});
  market.book(kBtc, kT0 - 1, {{6'499'999, 100'000}}, {{6'500'000, 100'000}});
  venueBars(market, {100, 100, 101, 99, 100, 94});
  ASSERT_EQ(market.sent().size(), 1u);
  EXPECT_EQ(market.sent()[0].type, OrderType::Market);
  EXPECT_EQ(market.sent()[0].price, 0);
  EXPECT_EQ(market.sent()[0].qty, 7'692);
}

TEST(Technical, flipsOnlyThroughAnExitThenAnEntry) {
  test::StrategyHarness h(create(std::string("{") + kBollinger + R"(, "allow_short": true})"), {kBtc});
  // Long at bar 5 (94 below the lower band), then bar 10 closes above the upper band.
  venueBars(h, {100, 100, 101, 99, 100, 94});
  h.fill(h.sent()[0], kT0 + 5 * kSec + 1, px(94));
  venueBars(h, {96, 97, 98, 99}, kT0 + 6 * kSec);
  EXPECT_EQ(h.sent().size(), 1u);
  venueBar(h, kT0 + 10 * kSec, px(104));
  ASSERT_EQ(h.sent().size(), 2u);
  const OrderRequest exit = h.sent()[1];
  EXPECT_EQ(exit.side, Side::Sell);
  EXPECT_EQ(exit.qty, 1'000);  // the position, no more

  // A partial fill leaves the position open: the rest goes out on the next market data.
  h.report(exit, ExecType::PartiallyFilled, kT0 + 10 * kSec + 1, px(104), 400, 400);
  h.report(exit, ExecType::Expired, kT0 + 10 * kSec + 1, 0, 0, 400);
  EXPECT_EQ(h.sent().size(), 2u);
  h.trade(kBtc, kT0 + 10 * kSec + 2, px(104), 10, Side::Buy);
  ASSERT_EQ(h.sent().size(), 3u);
  EXPECT_EQ(h.sent()[2].side, Side::Sell);
  EXPECT_EQ(h.sent()[2].qty, 600);

  // Flat: the short entry follows at once, at its own size.
  h.fill(h.sent()[2], kT0 + 10 * kSec + 3, px(104));
  ASSERT_EQ(h.sent().size(), 4u);
  EXPECT_EQ(h.sent()[3].side, Side::Sell);
  EXPECT_EQ(h.sent()[3].qty, 1'000);
  EXPECT_EQ(h.host().position(kBtc).qty, 0);
}

TEST(Technical, aRejectedExitWaitsForTheNextBar) {
  test::StrategyHarness h(create(std::string("{") + kBollinger + R"(, "stop_loss_bps": 100})"), {kBtc});
  enterLong(h, 6'500'000);
  h.trade(kBtc, kT0 + 6 * kSec, 6'400'000, 10, Side::Sell);
  ASSERT_EQ(h.sent().size(), 2u);
  h.report(h.sent()[1], ExecType::Rejected, kT0 + 6 * kSec + 1);
  h.trade(kBtc, kT0 + 6 * kSec + 2, 6'390'000, 10, Side::Sell);
  h.trade(kBtc, kT0 + 6 * kSec + 3, 6'380'000, 10, Side::Sell);
  EXPECT_EQ(h.sent().size(), 2u);
  venueBar(h, kT0 + 7 * kSec, 6'380'000);
  ASSERT_EQ(h.sent().size(), 3u);
  EXPECT_EQ(h.sent()[2].side, Side::Sell);
}

/// A few hundred seconds of trades and book updates with every order filled: the requests.
std::vector<OrderRequest> runScenario() {
  test::StrategyHarness h(create(R"({"signal": "sma_cross", "fast_period": 3, "slow_period": 8,
                                     "bar_interval_ms": 1000, "risk_fraction": 0.2, "capital": "50000",
                                     "stop_loss_bps": 30, "take_profit_bps": 60, "allow_short": true})"),
                          {kBtc});
  uint64_t seed = 7;
  auto next = [&seed](uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int64_t>((seed >> 33) % n);
  };
  int64_t mid = 6'500'000;
  size_t answered = 0;
  for (int i = 0; i < 3000; ++i) {
    const common::TimestampNs t = kT0 + i * 100 * kMs + next(50) * kMs;
    mid += (next(21) - 10) * 5;
    if (i % 3 == 0)
      h.book(kBtc, t, {{mid - 1, 1 + next(100'000)}}, {{mid + 1, 1 + next(100'000)}});
    else
      h.trade(kBtc, t, mid + next(3) - 1, 1 + next(10'000), next(2) ? Side::Buy : Side::Sell);
    for (; answered < h.sent().size(); ++answered) {
      const OrderRequest r = h.sent()[answered];
      if (next(5) == 0)
        h.report(r, ExecType::Expired, t);
      else
        h.fill(r, t, r.price);
    }
  }
  return h.sent();
}

TEST(Technical, theSameEventsGiveByteIdenticalOrderRequests) {
  const std::vector<OrderRequest> first = runScenario();
  const std::vector<OrderRequest> second = runScenario();
  ASSERT_GT(first.size(), 10u);
  ASSERT_EQ(first.size(), second.size());
  EXPECT_EQ(std::memcmp(first.data(), second.data(), first.size() * sizeof(OrderRequest)), 0);
}

TEST(Technical, rejectsBadParametersNamingTheKey) {
  EXPECT_NE(createError(R"({"fast_period": 20, "slow_period": 10, "order_qty": "0.01"})").find("slow_period"),
            std::string::npos);
  EXPECT_NE(createError(R"({"signal": "ema", "order_qty": "0.01"})").find("signal"), std::string::npos);
  // Keys of another signal (or of the other order type) are unknown here.
  EXPECT_NE(createError(R"({"signal": "rsi", "fast_period": 5, "order_qty": "0.01"})").find("fast_period"),
            std::string::npos);
  EXPECT_NE(createError(R"({"order_type": "market", "slippage_ticks": 3, "order_qty": "0.01"})").find("slippage_ticks"),
            std::string::npos);
  EXPECT_NE(createError(R"({"order_qty": "0.01", "risk_fraction": 0.1, "capital": "1000"})").find("risk_fraction"),
            std::string::npos);
  EXPECT_NE(createError(R"({"risk_fraction": 0.1})").find("capital"), std::string::npos);
  EXPECT_NE(createError(R"({})").find("order_qty"), std::string::npos);
  EXPECT_NE(createError(R"({"order_qty": "0.01", "bar_interval_ms": 1000, "bar_volume": "1"})").find("bar_volume"),
            std::string::npos);
  EXPECT_NE(createError(R"({"order_qty": "0.01", "stop_loss_bps": -5})").find("stop_loss_bps"), std::string::npos);
  EXPECT_NE(
      createError(R"({"signal": "rsi", "oversold": 80, "overbought": 20, "order_qty": "0.01"})").find("overbought"),
      std::string::npos);
  EXPECT_EQ(createError(R"({"order_qty": "0.01"})"), "");
}

TEST(Technical, configFileCreatesTheStrategy) {
  const auto instruments = config::InstrumentRegistry::loadFile(HFT_SOURCE_DIR "/config/instruments.json");
  const auto cfg =
      strategy_engine::StrategyConfig::loadFile(HFT_SOURCE_DIR "/config/strategies/technical.json", instruments);
  EXPECT_EQ(cfg.strategy, "technical");
  strategy_engine::StrategyRegistry registry;
  registry.add("technical", "test", strategies::makeTechnical);
  strategy_engine::StrategyParams params(cfg.params());
  EXPECT_NE(registry.create(cfg.strategy, params, {instruments, cfg.instruments}), nullptr);
}

}  // namespace
