// ExchangeFilters: exchangeInfo -> fixed-point SymbolFilters, and check() at every boundary.
#include "api/exchanges/binance/ExchangeFilters.h"

#include <gtest/gtest.h>

#include <string>

#include "BinanceTestUtil.h"
#include "OrderEntryTestUtil.h"

namespace hft::api::binance {
namespace {

using common::OrderType;
using common::RejectReason;
using common::Side;
using test::orderFor;

std::string sample(const std::string& rel) {
  return test::readText(test::sharedPath("exchange-samples/binance/" + rel));
}

// ---- parsing the venue's samples ---------------------------------------------------------------

TEST(ExchangeFilters, readsTheDocumentedSpotFilters) {
  HFT_SKIP_WITHOUT_SHARED();
  test::SampleInstruments instruments;
  ExchangeFilters filters;
  ASSERT_EQ(filters.parse(Market::Spot, sample("spot/rest/exchangeInfo_doc_composed.json"), instruments), "");
  const SymbolFilters* f = filters.find(3);  // ETHBTC, 8/8
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->market, Market::Spot);
  EXPECT_EQ(f->min_price, 100);
  EXPECT_EQ(f->max_price, 100000'00000000);
  EXPECT_EQ(f->tick_size, 100);
  EXPECT_EQ(f->min_qty, 100000);
  EXPECT_EQ(f->step_size, 100000);
  EXPECT_EQ(f->market_max_qty, 100000'00000000);
  // MIN_NOTIONAL 0.001 (applies to market orders) and NOTIONAL 10..10000 (not to market orders).
  EXPECT_EQ(f->min_notional, 10'00000000) << "the tightest of both filters";
  EXPECT_EQ(f->market_min_notional, 100000);
  EXPECT_EQ(f->max_notional, 10000'00000000);
  EXPECT_EQ(f->market_max_notional, 0);
  EXPECT_EQ(f->buy_mult_up, 120000000);
  EXPECT_EQ(f->buy_mult_down, 20000000);
  EXPECT_EQ(f->sell_mult_up, 500000000);
  EXPECT_EQ(f->sell_mult_down, 80000000);
  EXPECT_EQ(f->max_num_orders, 25u);
  ASSERT_EQ(filters.rateLimits().size(), 3u);
  EXPECT_EQ(filters.rateLimits()[0].type, RateLimitType::RequestWeight);
  EXPECT_EQ(filters.rateLimits()[0].intervalSeconds, 60u);
  EXPECT_EQ(filters.rateLimits()[0].limit, 6000);
  EXPECT_EQ(filters.rateLimits()[2].type, RateLimitType::RawRequests);
  EXPECT_EQ(filters.rateLimits()[2].intervalSeconds, 300u);
}

TEST(ExchangeFilters, readsTheDocumentedUsdmFiltersWithTheNotionalKey) {
  HFT_SKIP_WITHOUT_SHARED();
  test::SampleInstruments instruments;
  ExchangeFilters filters;
  ASSERT_EQ(filters.parse(Market::UsdM, sample("futures-usdm/rest/exchangeInfo_doc.json"), instruments), "");
  const SymbolFilters* f = filters.find(13);  // BLZUSDT, 5/0
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->tick_size, 10);
  EXPECT_EQ(f->max_price, 30000000);
  EXPECT_EQ(f->min_qty, 1);
  EXPECT_EQ(f->market_max_qty, 590119);
  EXPECT_EQ(f->min_notional, 5'00000000) << "MIN_NOTIONAL.notional";
  EXPECT_EQ(f->market_min_notional, 5'00000000);
  EXPECT_EQ(f->min_notional_reduce_only_exempt, 1);
  EXPECT_EQ(f->buy_mult_up, 115000000);
  EXPECT_EQ(f->buy_mult_down, 0) << "USD-M bounds a buy from above only";
  EXPECT_EQ(f->sell_mult_down, 85000000);
  EXPECT_EQ(f->sell_mult_up, 0);
  EXPECT_EQ(f->max_num_orders, 200u);
  ASSERT_EQ(filters.rateLimits().size(), 2u);
  EXPECT_EQ(filters.rateLimits()[1].type, RateLimitType::Orders);
  EXPECT_EQ(filters.rateLimits()[1].limit, 1200);
}

TEST(ExchangeFilters, readsRealCapturesAndSkipsUnknownSymbols) {
  HFT_SKIP_WITHOUT_SHARED();
  test::SampleInstruments instruments;
  ExchangeFilters spot, usdm;
  ASSERT_EQ(spot.parse(Market::Spot, sample("captured/spot_exchangeInfo_BTCUSDT_ETHUSDT_2021-10-22.json"), instruments), "");
  ASSERT_EQ(spot.symbols().size(), 2u);
  const SymbolFilters* btc = spot.find(1);
  ASSERT_NE(btc, nullptr);
  EXPECT_EQ(btc->tick_size, 1);
  EXPECT_EQ(btc->step_size, 1);
  EXPECT_EQ(btc->market_max_qty, 11221108) << "112.21108820 rounded down to 5 decimals";
  EXPECT_EQ(btc->market_step_size, 0) << "0.00000000 disables the rule";
  EXPECT_EQ(btc->min_notional, 10'00000000);
  EXPECT_EQ(spot.rateLimits().size(), 4u);

  ASSERT_EQ(usdm.parse(Market::UsdM, sample("captured/usdm_exchangeInfo_BTCUSDT_ETHUSDT_BTCUSDT_220325_2022-02-19.json"),
                       instruments), "");
  EXPECT_EQ(usdm.symbols().size(), 2u) << "BTCUSDT_220325 is not configured";
  ASSERT_NE(usdm.find(11), nullptr);
  EXPECT_EQ(usdm.find(11)->tick_size, 10);
  EXPECT_EQ(usdm.find(11)->min_price, 40200);
  EXPECT_EQ(usdm.find(11)->min_notional, 10'00000000);
  EXPECT_EQ(usdm.find(1), nullptr);
}

// ---- parsing errors ----------------------------------------------------------------------------

TEST(ExchangeFilters, refusesATickFinerThanTheInstrumentScale) {
  test::SampleInstruments instruments;  // USD-M BTCUSDT: 2 price decimals
  const std::string json =
      R"({"rateLimits":[],"symbols":[{"symbol":"ETHUSDT","filters":[]},{"symbol":"BTCUSDT","filters":[)"
      R"({"filterType":"PRICE_FILTER","minPrice":"0.001","maxPrice":"1000","tickSize":"0.001"}]}]})";
  ExchangeFilters filters;
  const std::string err = filters.parse(Market::UsdM, json, instruments);
  EXPECT_NE(err.find("symbols[1] BTCUSDT"), std::string::npos) << err;
  EXPECT_NE(err.find("PRICE_FILTER.tickSize \"0.001\""), std::string::npos) << err;
  EXPECT_NE(err.find("offset " + std::to_string(json.rfind("\"0.001\""))), std::string::npos) << err;
  EXPECT_NE(err.find("finer than the instrument's scale"), std::string::npos) << err;
}

TEST(ExchangeFilters, refusesAUsdmMinNotionalSpelledTheSpotWay) {
  test::SampleInstruments instruments;
  const std::string json = R"({"symbols":[{"symbol":"BTCUSDT","filters":[{"filterType":"MIN_NOTIONAL","minNotional":"5"}]}]})";
  ExchangeFilters filters;
  const std::string err = filters.parse(Market::UsdM, json, instruments);
  EXPECT_NE(err.find("MIN_NOTIONAL.notional"), std::string::npos) << err;
  EXPECT_EQ(filters.parse(Market::Spot, json, instruments), "") << "spot spells it minNotional";
  EXPECT_EQ(filters.find(1)->min_notional, 5'00000000);
}

TEST(ExchangeFilters, refusesMalformedDocuments) {
  test::SampleInstruments instruments;
  ExchangeFilters filters;
  EXPECT_NE(filters.parse(Market::Spot, "", instruments), "");
  EXPECT_NE(filters.parse(Market::Spot, "[]", instruments), "");
  EXPECT_NE(filters.parse(Market::Spot, R"({"symbols":[{"symbol":"BTCUSDT","filters":[)", instruments), "");
  const std::string badLimit = filters.parse(
      Market::Spot, R"({"rateLimits":[{"rateLimitType":"ORDERS","interval":"WEEK","intervalNum":1,"limit":5}]})",
      instruments);
  EXPECT_NE(badLimit.find("rateLimits"), std::string::npos) << badLimit;
  const std::string notString = filters.parse(
      Market::Spot, R"({"symbols":[{"symbol":"BTCUSDT","filters":[{"filterType":"LOT_SIZE","stepSize":0.001}]}]})",
      instruments);
  EXPECT_NE(notString.find("LOT_SIZE.stepSize"), std::string::npos) << notString;
}

// ---- check() -----------------------------------------------------------------------------------

class FilterCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Spot BTCUSDT (2/5): tick 0.10, lot 0.0001, market lot max 100, notional 10..1000000
    // (min also for market orders), percent-by-side 0.8..1.2 (bid), 0.9..1.25 (ask).
    const std::string spotJson =
        R"({"symbols":[{"symbol":"BTCUSDT","filters":[)"
        R"({"filterType":"PRICE_FILTER","minPrice":"1.00","maxPrice":"1000000.00","tickSize":"0.10"},)"
        R"({"filterType":"LOT_SIZE","minQty":"0.00010","maxQty":"9000","stepSize":"0.00010"},)"
        R"({"filterType":"MARKET_LOT_SIZE","minQty":"0","maxQty":"100","stepSize":"0"},)"
        R"({"filterType":"NOTIONAL","minNotional":"10","maxNotional":"1000000","applyMinToMarket":true,"applyMaxToMarket":false},)"
        R"({"filterType":"PERCENT_PRICE_BY_SIDE","bidMultiplierUp":"1.2","bidMultiplierDown":"0.8",)"
        R"("askMultiplierUp":"1.25","askMultiplierDown":"0.9","avgPriceMins":5}]}]})";
    ASSERT_EQ(spotFilters.parse(Market::Spot, spotJson, instruments), "");
    spot = spotFilters.find(1);
    ASSERT_NE(spot, nullptr);
    // USD-M BTCUSDT (2/3): min notional 5 (reduce-only exempt), percent price 0.9..1.1 by side.
    const std::string usdmJson =
        R"({"symbols":[{"symbol":"BTCUSDT","filters":[)"
        R"({"filterType":"PRICE_FILTER","minPrice":"100","maxPrice":"1000000","tickSize":"0.10"},)"
        R"({"filterType":"LOT_SIZE","minQty":"0.001","maxQty":"1000","stepSize":"0.001"},)"
        R"({"filterType":"MIN_NOTIONAL","notional":"5"},)"
        R"({"filterType":"PERCENT_PRICE","multiplierUp":"1.1000","multiplierDown":"0.9000","multiplierDecimal":"4"}]}]})";
    ASSERT_EQ(usdmFilters.parse(Market::UsdM, usdmJson, instruments), "");
    usdm = usdmFilters.find(11);
    ASSERT_NE(usdm, nullptr);
  }
  RejectReason spotLimit(int64_t price, int64_t qty, Side side = Side::Buy, int64_t ref = 0) {
    auto r = orderFor(instruments.spot("BTCUSDT"), 1, price, qty);
    r.side = side;
    return check(r, *spot, ref);
  }

  test::SampleInstruments instruments;
  ExchangeFilters spotFilters, usdmFilters;
  const SymbolFilters* spot = nullptr;
  const SymbolFilters* usdm = nullptr;
};

TEST_F(FilterCheckTest, acceptsAnOrderInsideEveryRule) {
  EXPECT_EQ(spotLimit(6000000, 100, Side::Buy, 6000000), RejectReason::None);  // 60000 x 0.001 = 60
}

TEST_F(FilterCheckTest, checksPriceBoundsAndTick) {
  EXPECT_EQ(spotLimit(0, 100000), RejectReason::InvalidPrice);
  EXPECT_EQ(spotLimit(90, 100000), RejectReason::InvalidPrice) << "below minPrice 1.00";
  EXPECT_EQ(spotLimit(100, 1000000), RejectReason::None) << "minPrice itself";
  EXPECT_EQ(spotLimit(100000000, 100), RejectReason::None) << "maxPrice itself";
  EXPECT_EQ(spotLimit(100000010, 100), RejectReason::InvalidPrice);
  EXPECT_EQ(spotLimit(6000005, 100), RejectReason::OffTickPrice);
}

TEST_F(FilterCheckTest, checksQuantityBoundsAndStep) {
  EXPECT_EQ(spotLimit(6000000, 0), RejectReason::InvalidQuantity);
  EXPECT_EQ(spotLimit(100000000, 9), RejectReason::InvalidQuantity) << "below minQty 0.0001";
  EXPECT_EQ(spotLimit(100000000, 10), RejectReason::None) << "minQty itself";
  EXPECT_EQ(spotLimit(6000000, 15), RejectReason::OffLotQuantity);
  EXPECT_EQ(spotLimit(100, 900000000), RejectReason::None) << "maxQty itself";
  EXPECT_EQ(spotLimit(100, 900000010), RejectReason::MaxOrderQuantity);
}

TEST_F(FilterCheckTest, checksNotionalExactlyAtItsBounds) {
  EXPECT_EQ(spotLimit(100000, 1000), RejectReason::None) << "1000.00 x 0.01 = 10, the minimum";
  EXPECT_EQ(spotLimit(100000, 990), RejectReason::BelowMinNotional);
  EXPECT_EQ(spotLimit(99990, 1000), RejectReason::BelowMinNotional) << "999.90 x 0.01 = 9.999";
  EXPECT_EQ(spotLimit(6000000, 1666660), RejectReason::None) << "999999.60";
  EXPECT_EQ(spotLimit(6000000, 1666670), RejectReason::MaxOrderNotional) << "1000002.00";
}

TEST_F(FilterCheckTest, checksThePriceBandBySide) {
  const int64_t ref = 6000000;
  EXPECT_EQ(spotLimit(7200000, 100, Side::Buy, ref), RejectReason::None) << "ref x 1.2";
  EXPECT_EQ(spotLimit(7200010, 100, Side::Buy, ref), RejectReason::PriceBand);
  EXPECT_EQ(spotLimit(4800000, 100, Side::Buy, ref), RejectReason::None) << "ref x 0.8";
  EXPECT_EQ(spotLimit(4799990, 100, Side::Buy, ref), RejectReason::PriceBand);
  EXPECT_EQ(spotLimit(7500000, 100, Side::Sell, ref), RejectReason::None) << "ref x 1.25";
  EXPECT_EQ(spotLimit(7500010, 100, Side::Sell, ref), RejectReason::PriceBand);
  EXPECT_EQ(spotLimit(5400000, 100, Side::Sell, ref), RejectReason::None) << "ref x 0.9";
  EXPECT_EQ(spotLimit(5399990, 100, Side::Sell, ref), RejectReason::PriceBand);
  EXPECT_EQ(spotLimit(9000000, 100, Side::Buy, 0), RejectReason::None) << "no reference: no band";
}

TEST_F(FilterCheckTest, checksMarketOrdersAgainstTheMarketLotAndTheReference) {
  auto r = orderFor(instruments.spot("BTCUSDT"), 1, 0, 10000010);  // 100.0001
  r.type = OrderType::Market;
  EXPECT_EQ(check(r, *spot, 0), RejectReason::MaxOrderQuantity) << "MARKET_LOT_SIZE max 100";
  r.qty = 10;  // 0.0001 x 60000 = 6
  EXPECT_EQ(check(r, *spot, 6000000), RejectReason::BelowMinNotional);
  EXPECT_EQ(check(r, *spot, 0), RejectReason::None) << "no reference: notional unknown";
  r.qty = 10000000;  // 100 x 60000: above maxNotional, which does not apply to market orders here
  EXPECT_EQ(check(r, *spot, 6000000), RejectReason::None);
}

TEST_F(FilterCheckTest, checksTheStopPriceToo) {
  auto r = orderFor(instruments.spot("BTCUSDT"), 1, 6000000, 100);
  r.type = OrderType::StopLimit;
  r.stop_price = 6000005;
  EXPECT_EQ(check(r, *spot, 0), RejectReason::OffTickPrice);
  r.stop_price = 0;
  EXPECT_EQ(check(r, *spot, 0), RejectReason::InvalidPrice);
  r.stop_price = 6100000;
  EXPECT_EQ(check(r, *spot, 0), RejectReason::None);
  r.action = common::OrderAction::Cancel;
  r.qty = 0;
  EXPECT_EQ(check(r, *spot, 0), RejectReason::None) << "a cancel has nothing to check";
}

TEST_F(FilterCheckTest, exemptsUsdmReduceOnlyOrdersFromTheMinimumNotional) {
  auto r = orderFor(instruments.usdm("BTCUSDT"), 1, 400000, 1);  // 4000 x 0.001 = 4 < 5
  EXPECT_EQ(check(r, *usdm, 0), RejectReason::BelowMinNotional);
  r.qty = 2;  // 8
  EXPECT_EQ(check(r, *usdm, 0), RejectReason::None);
  r.qty = 1;
  r.reduce_only = 1;
  EXPECT_EQ(check(r, *usdm, 0), RejectReason::None);
}

TEST_F(FilterCheckTest, boundsUsdmBuysFromAboveAndSellsFromBelow) {
  auto r = orderFor(instruments.usdm("BTCUSDT"), 1, 1100000, 10);  // mark 10000
  const int64_t mark = 1000000;
  EXPECT_EQ(check(r, *usdm, mark), RejectReason::None) << "mark x 1.1";
  r.price = 1100010;
  EXPECT_EQ(check(r, *usdm, mark), RejectReason::PriceBand);
  r.price = 100000;  // far below: a buy is not bounded from below
  EXPECT_EQ(check(r, *usdm, mark), RejectReason::None);
  r.side = Side::Sell;
  EXPECT_EQ(check(r, *usdm, mark), RejectReason::PriceBand);
  r.price = 900000;
  EXPECT_EQ(check(r, *usdm, mark), RejectReason::None) << "mark x 0.9";
  r.price = 5000000;  // far above: a sell is not bounded from above
  EXPECT_EQ(check(r, *usdm, mark), RejectReason::None);
}

}  // namespace
}  // namespace hft::api::binance
