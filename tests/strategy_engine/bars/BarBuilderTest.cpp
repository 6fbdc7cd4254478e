// Time and volume bars from trades (strategy_engine/bars/): exact OHLCV, quote volume and the
// boundary rules on crafted trade sequences.
#include <gtest/gtest.h>

#include "strategy_engine/bars/TimeBarBuilder.h"
#include "strategy_engine/bars/VolumeBarBuilder.h"

using namespace hft;
using namespace hft::strategy_engine;
using common::Bar;
using common::Side;

namespace {

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kMin = 60 * kSec;
constexpr int64_t kT0 = 28'333'333 * kMin;  // a minute boundary (2023-11-14T22:13:00Z)

common::Trade trade(int64_t ts, int64_t price, int64_t qty, Side aggressor, common::InstrumentId instrument = 4) {
  common::Trade t{};
  t.header = common::makeHeader<common::Trade>(common::ExchangeId::Binance, instrument, ts, ts + 1000);
  t.price = price;
  t.qty = qty;
  t.aggressor = aggressor;
  return t;
}

void expectOhlcv(const Bar& b, int64_t o, int64_t h, int64_t l, int64_t c, int64_t vol, int64_t takerBuy,
                 int64_t quote, uint64_t count) {
  EXPECT_EQ(b.open, o);
  EXPECT_EQ(b.high, h);
  EXPECT_EQ(b.low, l);
  EXPECT_EQ(b.close, c);
  EXPECT_EQ(b.volume, vol);
  EXPECT_EQ(b.taker_buy_volume, takerBuy);
  EXPECT_EQ(b.quote_volume, quote);
  EXPECT_EQ(b.trade_count, count);
}

// Price scale 2, qty scale 5: price * qty has 7 decimals, one fewer than kAmountScale.
TEST(TimeBarBuilder, closesABarOnTheFirstTradeAtOrAfterItsEnd) {
  TimeBarBuilder bars(kMin, 2, 5);
  EXPECT_FALSE(bars.onTrade(trade(kT0, 10000, 50000, Side::Buy)));                 // 100.00 x 0.5
  EXPECT_FALSE(bars.onTrade(trade(kT0 + 10 * kSec, 10150, 25000, Side::Sell)));    // 101.50 x 0.25
  EXPECT_FALSE(bars.onTrade(trade(kT0 + kMin - 1, 9900, 100000, Side::Buy)));      // 99.00 x 1, last ns
  EXPECT_EQ(bars.bar().trade_count, 0u) << "nothing completed yet";
  EXPECT_TRUE(bars.onTrade(trade(kT0 + kMin, 10050, 10000, Side::Sell)));          // at the boundary: next bar
  const Bar& b = bars.bar();
  // 50 + 25.375 + 99 = 174.375 USDT
  expectOhlcv(b, 10000, 10150, 9900, 9900, 175000, 150000, 17'437'500'000, 3);
  EXPECT_EQ(b.header.type, common::EventType::Bar);
  EXPECT_EQ(b.header.size, sizeof(Bar));
  EXPECT_EQ(b.header.exchange_id, common::ExchangeId::Binance);
  EXPECT_EQ(b.header.instrument_id, 4u);
  EXPECT_EQ(b.header.exchange_ts_ns, kT0 + kMin - 1) << "close time: the interval's last ns";
  EXPECT_EQ(b.header.receive_ts_ns, kT0 + kMin - 1 + 1000) << "receive time of the bar's last trade";
  EXPECT_EQ(b.interval_ns, kMin);
  EXPECT_EQ(bars.openBarStart(), kT0 + kMin);
}

TEST(TimeBarBuilder, producesNoBarForAnIntervalWithoutTrades) {
  TimeBarBuilder bars(kMin, 2, 5);
  bars.onTrade(trade(kT0 + kMin + 5 * kSec, 10050, 10000, Side::Sell));
  EXPECT_TRUE(bars.onTrade(trade(kT0 + 3 * kMin + 5 * kSec, 10100, 20000, Side::Buy)));  // skips [2m, 3m)
  expectOhlcv(bars.bar(), 10050, 10050, 10050, 10050, 10000, 0, 1'005'000'000, 1);
  EXPECT_EQ(bars.bar().header.exchange_ts_ns, kT0 + 2 * kMin - 1);
  EXPECT_EQ(bars.openBarStart(), kT0 + 3 * kMin);
  ASSERT_TRUE(bars.flush());
  expectOhlcv(bars.bar(), 10100, 10100, 10100, 10100, 20000, 20000, 2'020'000'000, 1);
  EXPECT_EQ(bars.bar().header.exchange_ts_ns, kT0 + 4 * kMin - 1);
  EXPECT_FALSE(bars.hasOpenBar());
  EXPECT_FALSE(bars.flush()) << "nothing left to close";
}

TEST(TimeBarBuilder, addsALateTradeToTheOpenBarAndCountsIt) {
  TimeBarBuilder bars(kMin, 2, 5);
  bars.onTrade(trade(kT0 + kMin, 10000, 1, Side::Buy));
  EXPECT_FALSE(bars.onTrade(trade(kT0 + kMin - 5, 12000, 2, Side::Buy)));
  EXPECT_EQ(bars.lateTrades(), 1u);
  ASSERT_TRUE(bars.flush());
  EXPECT_EQ(bars.bar().high, 12000);
  EXPECT_EQ(bars.bar().close, 12000);
  EXPECT_EQ(bars.bar().volume, 3);
}

TEST(TimeBarBuilder, usesTheReceiveTimeWhenTheVenueGivesNoEventTime) {
  TimeBarBuilder bars(kSec, 2, 5);
  common::Trade t = trade(0, 100, 1, Side::Buy);
  t.header.receive_ts_ns = kT0 + 500;
  bars.onTrade(t);
  EXPECT_EQ(bars.openBarStart(), kT0);
}

TEST(TimeBarBuilder, refusesANonPositiveIntervalOrBadScales) {
  EXPECT_THROW(TimeBarBuilder(0, 2, 5), std::invalid_argument);
  EXPECT_THROW(TimeBarBuilder(kMin, -1, 5), std::invalid_argument);
  EXPECT_THROW(TimeBarBuilder(kMin, 2, 19), std::invalid_argument);
}

TEST(BarAccumulator, rescalesQuoteVolumeOnceFromTheExactSum) {
  // Price scale 8, qty scale 8: each trade is worth 0.5e-8 (truncates to 0 alone), three are 1.5e-8.
  TimeBarBuilder bars(kMin, 8, 8);
  for (int i = 0; i < 3; ++i) bars.onTrade(trade(kT0 + i, 50'000'000, 1, Side::Buy));  // 0.5 x 1e-8
  ASSERT_TRUE(bars.flush());
  EXPECT_EQ(bars.bar().quote_volume, 1);
  // Scales summing to more than 8: 123.45678901 x 2.5 = 308.641972525 -> 308.64197252
  TimeBarBuilder big(kMin, 8, 1);
  big.onTrade(trade(kT0, 12'345'678'901, 25, Side::Sell));
  ASSERT_TRUE(big.flush());
  EXPECT_EQ(big.bar().quote_volume, 30'864'197'252);
  EXPECT_EQ(big.saturatedBars(), 0u);
}

TEST(BarAccumulator, saturatesAQuoteVolumeBeyondInt64AndCountsIt) {
  TimeBarBuilder bars(kMin, 0, 0);  // 1e9 x 1e9 = 1e18 quote units: 1e26 at 8 decimals
  bars.onTrade(trade(kT0, 1'000'000'000, 1'000'000'000, Side::Buy));
  ASSERT_TRUE(bars.flush());
  EXPECT_EQ(bars.bar().quote_volume, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(bars.saturatedBars(), 1u);
  bars.onTrade(trade(kT0 + kMin, 3, 7, Side::Buy));  // the next bar is unaffected
  ASSERT_TRUE(bars.flush());
  EXPECT_EQ(bars.bar().quote_volume, 2'100'000'000);
}

TEST(VolumeBarBuilder, closesOnTheTradeThatReachesTheVolumeWithoutSplittingIt) {
  VolumeBarBuilder bars(100, 2, 5);
  EXPECT_FALSE(bars.onTrade(trade(kT0, 1000, 30, Side::Buy)));
  EXPECT_FALSE(bars.onTrade(trade(kT0 + 5, 1010, 50, Side::Sell)));
  EXPECT_TRUE(bars.onTrade(trade(kT0 + 9, 990, 40, Side::Buy)));
  // 1000*30 + 1010*50 + 990*40 = 120100 at 7 decimals
  expectOhlcv(bars.bar(), 1000, 1010, 990, 990, 120, 70, 1'201'000, 3);
  EXPECT_EQ(bars.bar().header.exchange_ts_ns, kT0 + 9);
  EXPECT_EQ(bars.bar().interval_ns, 9) << "from the first to the closing trade";
  EXPECT_FALSE(bars.hasOpenBar());

  EXPECT_TRUE(bars.onTrade(trade(kT0 + 20, 1005, 100, Side::Sell))) << "exactly the size closes at once";
  expectOhlcv(bars.bar(), 1005, 1005, 1005, 1005, 100, 0, 1'005'000, 1);
  EXPECT_EQ(bars.bar().interval_ns, 0);

  EXPECT_TRUE(bars.onTrade(trade(kT0 + 30, 1001, 350, Side::Buy))) << "one large trade makes one large bar";
  EXPECT_EQ(bars.bar().volume, 350);
  EXPECT_FALSE(bars.onTrade(trade(kT0 + 40, 1002, 1, Side::Buy)));
  ASSERT_TRUE(bars.flush());
  EXPECT_EQ(bars.bar().volume, 1);
  EXPECT_FALSE(bars.flush());
  EXPECT_THROW(VolumeBarBuilder(0, 2, 5), std::invalid_argument);
}

}  // namespace
