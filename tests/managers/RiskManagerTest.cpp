// Every limit at its boundary: exactly at the limit passes, one unit (lot, tick or 10^-8 of an
// amount) over rejects with the limit's reason.
#include <gtest/gtest.h>

#include <string>

#include "RiskTestUtil.h"
#include "managers/RiskManager.h"

using namespace hft;
using namespace hft::test;
using managers::RiskDecision;

namespace {

static_assert(noexcept(std::declval<managers::RiskManager&>().check(std::declval<const common::OrderRequest&>(), 0)));
static_assert(noexcept(std::declval<managers::RiskManager&>().onAccepted(std::declval<const common::OrderRequest&>())));
static_assert(noexcept(std::declval<managers::RiskManager&>().onFill(1, 1, 1, Side::Buy, 1, 1)));
static_assert(noexcept(std::declval<managers::RiskManager&>().onOrderDone(1)));

constexpr int64_t kLot = 1'000;  // 0.00001 BTC at qty_scale 8
constexpr int64_t kTick = 10;    // 0.10 USDT at price_scale 2
constexpr common::TimestampNs kDay = 86'400'000'000'000;
constexpr common::TimestampNs kMidnight = (kT0 / kDay + 1) * kDay;  // the first UTC midnight after kT0

nlohmann::json& btcRules(nlohmann::json& rules) { return rules["instruments"]["simulated:BTC-USDT"]; }

::testing::AssertionResult rejectedWith(const RiskDecision& d, RejectReason reason, const std::string& detail = {}) {
  if (d.reason != reason)
    return ::testing::AssertionFailure() << "reason " << common::toString(d.reason) << " (" << d.detail
                                         << "), expected " << common::toString(reason);
  if (!detail.empty() && detail != d.detail)
    return ::testing::AssertionFailure() << "detail \"" << d.detail << "\", expected \"" << detail << "\"";
  return ::testing::AssertionSuccess();
}

// ---- per order ----------------------------------------------------------------------------

TEST(RiskManager, acceptsOrderExactlyAtMaxOrderQtyAndRejectsOneLotMore) {
  nlohmann::json rules = baseRules();
  btcRules(rules)["max_order_qty"] = "0.5";
  RiskHarness h(rules);
  EXPECT_TRUE(h.risk.check(Order().buy(btc(0.5), px(30000)), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().buy(btc(0.5) + kLot, px(30000)), kT0), RejectReason::MaxOrderQuantity));
}

TEST(RiskManager, acceptsOrderExactlyAtMaxOrderNotionalAndRejectsOneLotMore) {
  nlohmann::json rules = baseRules();
  btcRules(rules)["max_order_notional"] = "300";
  RiskHarness h(rules);
  EXPECT_TRUE(h.risk.check(Order().buy(btc(0.01), px(30000)), kT0).accepted());  // 0.01 x 30000 = 300
  EXPECT_TRUE(
      rejectedWith(h.risk.check(Order().buy(btc(0.01) + kLot, px(30000)), kT0), RejectReason::MaxOrderNotional));
  EXPECT_TRUE(
      rejectedWith(h.risk.check(Order().sell(btc(0.01), px(30000) + kTick), kT0), RejectReason::MaxOrderNotional));
}

TEST(RiskManager, acceptsOrderExactlyAtMinNotionalAndRejectsOneLotLess) {
  RiskHarness h(baseRules());
  h.risk.onReferencePrice(kBtc, px(500));
  EXPECT_TRUE(h.risk.check(Order().buy(btc(0.01), px(500)), kT0).accepted());  // 0.01 x 500 = 5, the instrument's min
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().buy(btc(0.01) - kLot, px(500)), kT0), RejectReason::BelowMinNotional));
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().buy(btc(0.01), px(500) - kTick), kT0), RejectReason::BelowMinNotional));
}

TEST(RiskManager, acceptsPriceExactlyAtTheBandEdgeAndRejectsOneTickBeyond) {
  RiskHarness h(baseRules());  // band 1000 bps around 30000: 27000 .. 33000
  EXPECT_TRUE(h.risk.check(Order().buy(btc(0.01), px(33000)), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().buy(btc(0.01), px(33000) + kTick), kT0), RejectReason::PriceBand,
                           "price outside the band around the reference"));
  EXPECT_TRUE(h.risk.check(Order().sell(btc(0.01), px(27000)), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().sell(btc(0.01), px(27000) - kTick), kT0), RejectReason::PriceBand));
  h.risk.onReferencePrice(kBtc, px(40000));  // the band follows the reference
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().buy(btc(0.01), px(30000)), kT0), RejectReason::PriceBand));
}

TEST(RiskManager, stopOrdersAreBandedAtTheirTriggerPrice) {
  RiskHarness h(baseRules());
  Order stop;
  stop.type(OrderType::StopMarket).sell(btc(0.01), 0);
  stop.r.stop_price = px(27000);
  EXPECT_TRUE(h.risk.check(stop, kT0).accepted());
  stop.r.stop_price = px(27000) - kTick;
  EXPECT_TRUE(rejectedWith(h.risk.check(stop, kT0), RejectReason::PriceBand));
}

TEST(RiskManager, pricedOrdersWithoutAReferenceAreRejectedUnlessThePolicyAllowsThem) {
  {
    RiskHarness h(baseRules(), /*feedReferences=*/false);
    EXPECT_TRUE(rejectedWith(h.risk.check(Order(), kT0), RejectReason::PriceBand, "no reference price yet"));
    h.risk.onReferencePrice(kBtc, px(30000));
    EXPECT_TRUE(h.risk.check(Order(), kT0).accepted());
  }
  nlohmann::json rules = baseRules();
  rules["global"]["no_reference_price"] = "allow";
  RiskHarness h(rules, /*feedReferences=*/false);
  EXPECT_TRUE(h.risk.check(Order().buy(btc(0.01), px(90000)), kT0).accepted()) << "no band without a reference";
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().type(OrderType::Market), kT0), RejectReason::PriceBand,
                           "market order without a reference price"));
}

TEST(RiskManager, marketOrdersAreSizedAtTheReferencePrice) {
  nlohmann::json rules = baseRules();
  btcRules(rules)["max_order_notional"] = "300";
  RiskHarness h(rules);
  EXPECT_TRUE(h.risk.check(Order().type(OrderType::Market).buy(btc(0.01), 0), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().type(OrderType::Market).buy(btc(0.01) + kLot, 0), kT0),
                           RejectReason::MaxOrderNotional));
}

// ---- positions ----------------------------------------------------------------------------

TEST(RiskManager, instrumentPositionCountsOpenOrdersAndFillsAtItsBoundary) {
  nlohmann::json rules = baseRules();
  btcRules(rules)["max_position"] = "1";
  RiskHarness h(rules);
  const Order first = Order().buy(btc(0.6), px(30000));
  ASSERT_TRUE(submit(h.risk, first).accepted());
  ASSERT_TRUE(submit(h.risk, Order().buy(btc(0.39), px(30000))).accepted());
  // Worst case long with 0.01 more: exactly 1. (Steps of 0.01: one lot alone is below min notional.)
  EXPECT_TRUE(h.risk.check(Order().buy(btc(0.01), px(30000)), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().buy(btc(0.01) + kLot, px(30000)), kT0), RejectReason::MaxPosition,
                           "instrument max_position (long side)"));
  EXPECT_TRUE(
      rejectedWith(h.risk.check(Order().strategy(2).buy(btc(0.01) + kLot, px(30000)), kT0), RejectReason::MaxPosition))
      << "the instrument limit holds all strategies together";

  h.risk.onFill(first.id(), 1, kBtc, Side::Buy, btc(0.6), px(30000));  // a fill moves open qty into position
  EXPECT_EQ(h.risk.position(kBtc), btc(0.6));
  EXPECT_TRUE(h.risk.check(Order().buy(btc(0.01), px(30000)), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().buy(btc(0.01) + kLot, px(30000)), kT0), RejectReason::MaxPosition));
  // Short side: a position of 0.6 may be sold down to -1.
  EXPECT_TRUE(h.risk.check(Order().sell(btc(1.6), px(30000)), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().sell(btc(1.6) + kLot, px(30000)), kT0), RejectReason::MaxPosition,
                           "instrument max_position (short side)"));
}

TEST(RiskManager, strategyPositionLimitIsPerStrategyAndInstrument) {
  nlohmann::json rules = baseRules();
  rules["strategies"]["1"]["max_position"] = {{"simulated:BTC-USDT", "0.1"}};
  RiskHarness h(rules);
  ASSERT_TRUE(submit(h.risk, Order().buy(btc(0.05), px(30000))).accepted());
  EXPECT_TRUE(h.risk.check(Order().buy(btc(0.05), px(30000)), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().buy(btc(0.05) + kLot, px(30000)), kT0), RejectReason::MaxPosition,
                           "strategy max_position (long side)"));
  EXPECT_TRUE(h.risk.check(Order().strategy(2).buy(btc(0.5), px(30000)), kT0).accepted());
  EXPECT_TRUE(h.risk.check(Order().on(kEth, ExchangeId::Simulated).buy(10'000, px(2000)), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().sell(btc(0.15) + kLot, px(30000)), kT0), RejectReason::MaxPosition,
                           "strategy max_position (short side)"));
}

TEST(RiskManager, venueNotionalSumsItsInstrumentsAtTheirReferencePrices) {
  nlohmann::json rules = baseRules();
  rules["venues"]["simulated"]["max_position_notional"] = "30000";
  RiskHarness h(rules);
  ASSERT_TRUE(submit(h.risk, Order().on(kEth, ExchangeId::Simulated).buy(15'000, px(2000))).accepted());  // 1.5 ETH
  EXPECT_EQ(h.risk.venueExposure(ExchangeId::Simulated), usd(3000));
  EXPECT_TRUE(h.risk.check(Order().buy(btc(0.9), px(30000)), kT0).accepted());  // 3000 + 27000 = 30000
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().buy(btc(0.9) + kLot, px(30000)), kT0), RejectReason::MaxPosition,
                           "venue max_position_notional"));
}

TEST(RiskManager, ordersThatDoNotAddExposurePassWhenTheVenueIsOverItsNotional) {
  nlohmann::json rules = baseRules();
  rules["venues"]["simulated"]["max_position_notional"] = "30000";
  RiskHarness h(rules);
  const Order buy = Order().buy(btc(0.9), px(30000));
  ASSERT_TRUE(submit(h.risk, buy).accepted());
  h.risk.onFill(buy.id(), 1, kBtc, Side::Buy, btc(0.9), px(30000));
  h.risk.onReferencePrice(kBtc, px(40000));  // 0.9 x 40000 = 36000: over the limit
  EXPECT_EQ(h.risk.venueExposure(ExchangeId::Simulated), usd(36000));
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().buy(btc(0.001), px(40000)), kT0), RejectReason::MaxPosition));
  EXPECT_TRUE(h.risk.check(Order().sell(btc(0.5), px(40000)), kT0).accepted());
}

TEST(RiskManager, leverageIsVenueNotionalOverFedEquityAtItsBoundary) {
  nlohmann::json rules = baseRules();
  rules["venues"]["binance_futures"]["max_leverage"] = "2";
  RiskHarness h(rules);
  const auto fut = [](int64_t qty) { return Order().on(kFutBtc, ExchangeId::BinanceFutures).buy(qty, px(30000)); };
  EXPECT_TRUE(
      rejectedWith(h.risk.check(fut(1'000), kT0), RejectReason::MaxLeverage, "no positive equity fed for the venue"));
  ASSERT_TRUE(h.risk.onEquity(ExchangeId::BinanceFutures, usd(15000)));
  EXPECT_TRUE(h.risk.check(fut(1'000), kT0).accepted());  // 1 BTC x 30000 = 2 x 15000
  EXPECT_TRUE(rejectedWith(h.risk.check(fut(1'001), kT0), RejectReason::MaxLeverage, "venue max_leverage"));
  EXPECT_FALSE(h.risk.onBalance(ExchangeId::BinanceFutures, "USDT", usd(1))) << "futures balances are not tracked";
}

// ---- open orders --------------------------------------------------------------------------

TEST(RiskManager, maxOpenOrdersPerStrategyAndGlobalAtTheirBoundary) {
  nlohmann::json rules = baseRules();
  rules["global"]["max_open_orders"] = 5;
  rules["strategies"]["1"]["max_open_orders"] = 3;
  RiskHarness h(rules);
  common::ClientOrderId first = 0;
  for (int i = 0; i < 3; ++i) {
    const Order o;
    if (i == 0) first = o.id();
    ASSERT_TRUE(submit(h.risk, o).accepted()) << i;
  }
  EXPECT_TRUE(
      rejectedWith(h.risk.check(Order(), kT0), RejectReason::MaxOpenOrders, "strategy max_open_orders reached"));
  EXPECT_TRUE(h.risk.check(Order().modifies(first), kT0).accepted()) << "a modify replaces, it does not add";
  ASSERT_TRUE(submit(h.risk, Order().strategy(2)).accepted());
  ASSERT_TRUE(submit(h.risk, Order().strategy(2)).accepted());
  EXPECT_EQ(h.risk.openOrders(), 5);
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().strategy(2), kT0), RejectReason::MaxOpenOrders,
                           "global max_open_orders reached"));
  h.risk.onOrderDone(first);
  EXPECT_EQ(h.risk.openOrders(1), 2);
  EXPECT_TRUE(submit(h.risk, Order()).accepted());
}

// ---- daily loss ---------------------------------------------------------------------------

TEST(RiskManager, strategyDailyLossAtTheLimitPassesAndOneUnitMoreRejects) {
  nlohmann::json rules = baseRules();
  rules["strategies"]["1"]["daily_loss_limit"] = "100";
  RiskHarness h(rules);
  h.risk.onPnl(1, usd(-60), usd(-40), kT0);  // realized + unrealized = -100
  EXPECT_EQ(h.risk.dailyPnl(1), usd(-100));
  EXPECT_TRUE(h.risk.check(Order(), kT0).accepted());
  h.risk.onPnl(1, usd(-60), usd(-40) - 1, kT0);
  EXPECT_TRUE(rejectedWith(h.risk.check(Order(), kT0), RejectReason::DailyLossLimit, "strategy daily_loss_limit"));
  EXPECT_TRUE(h.risk.check(Order().strategy(2), kT0).accepted()) << "another strategy's budget is its own";
  h.risk.onPnl(1, usd(-60), usd(-30), kT0);  // unrealized recovered
  EXPECT_TRUE(h.risk.check(Order(), kT0).accepted());
}

TEST(RiskManager, globalDailyLossSumsEveryListedStrategy) {
  nlohmann::json rules = baseRules();
  rules["global"]["daily_loss_limit"] = "150";
  RiskHarness h(rules);
  h.risk.onPnl(1, usd(-100), 0, kT0);
  h.risk.onPnl(2, usd(-50), 0, kT0);
  EXPECT_EQ(h.risk.globalDailyPnl(), usd(-150));
  EXPECT_TRUE(h.risk.check(Order(), kT0).accepted());
  h.risk.onPnl(2, usd(-50) - 1, 0, kT0);
  EXPECT_TRUE(rejectedWith(h.risk.check(Order(), kT0), RejectReason::DailyLossLimit, "global daily_loss_limit"));
  h.risk.onPnl(1, usd(-100), usd(20), kT0);
  EXPECT_TRUE(h.risk.check(Order(), kT0).accepted());
}

TEST(RiskManager, dailyLossRollsOverAtUtcMidnightByTheCallersTime) {
  nlohmann::json rules = baseRules();
  rules["strategies"]["1"]["daily_loss_limit"] = "100";
  RiskHarness h(rules);
  h.risk.onPnl(1, usd(-150), 0, kMidnight - 1);
  EXPECT_TRUE(rejectedWith(h.risk.check(Order(), kMidnight - 1), RejectReason::DailyLossLimit));
  EXPECT_TRUE(h.risk.check(Order(), kMidnight).accepted()) << "a new UTC day starts from the loss carried into it";
  EXPECT_EQ(h.risk.dailyPnl(1), 0);
  EXPECT_TRUE(h.risk.check(Order(), kMidnight - 1).accepted()) << "time going backwards does not undo the rollover";
  h.risk.onPnl(1, usd(-250), 0, kMidnight + 1);
  EXPECT_TRUE(h.risk.check(Order(), kMidnight + 1).accepted());
  h.risk.onPnl(1, usd(-250) - 1, 0, kMidnight + 2);
  EXPECT_TRUE(rejectedWith(h.risk.check(Order(), kMidnight + 2), RejectReason::DailyLossLimit));
  h.risk.onPnl(1, usd(-250) - 1, 0, kMidnight + kDay);  // and again the next day, through onPnl alone
  EXPECT_EQ(h.risk.dailyPnl(1), 0);
  EXPECT_TRUE(h.risk.check(Order(), kMidnight + kDay).accepted());
}

// ---- balances -----------------------------------------------------------------------------

nlohmann::json balanceRules() {
  nlohmann::json rules = baseRules();
  rules["venues"]["simulated"].erase("check_balance");  // spot venues check balances by default
  return rules;
}

TEST(RiskManager, reservationsReduceAvailableBalanceAndAreReleasedOnFillAndDone) {
  RiskHarness h(balanceRules());
  ASSERT_TRUE(h.risk.onBalance(ExchangeId::Simulated, "USDT", usd(1000)));
  const Order a = Order().buy(btc(0.01), px(30000));  // reserves 300
  ASSERT_TRUE(submit(h.risk, a).accepted());
  EXPECT_EQ(h.risk.reserved(ExchangeId::Simulated, "USDT"), usd(300));
  EXPECT_EQ(h.risk.available(ExchangeId::Simulated, "USDT"), usd(700));
  EXPECT_TRUE(h.risk.check(Order().buy(btc(0.025), px(28000)), kT0).accepted());  // exactly 700
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().buy(btc(0.025) + kLot, px(28000)), kT0),
                           RejectReason::InsufficientBalance, "quote balance net of reservations too low"));

  // A partial fill releases the filled part's reservation and spends at the fill price.
  h.risk.onFill(a.id(), 1, kBtc, Side::Buy, btc(0.004), px(29990));
  EXPECT_EQ(h.risk.reserved(ExchangeId::Simulated, "USDT"), usd(180));
  EXPECT_EQ(h.risk.available(ExchangeId::Simulated, "USDT"), usd(1000 - 119.96 - 180));
  EXPECT_EQ(h.risk.available(ExchangeId::Simulated, "BTC"), btc(0.004));
  h.risk.onOrderDone(a.id());
  EXPECT_EQ(h.risk.reserved(ExchangeId::Simulated, "USDT"), 0);
  EXPECT_EQ(h.risk.available(ExchangeId::Simulated, "USDT"), usd(1000 - 119.96));
  ASSERT_TRUE(h.risk.onBalance(ExchangeId::Simulated, "USDT", usd(900)));  // the venue's word replaces the estimate
  EXPECT_EQ(h.risk.available(ExchangeId::Simulated, "USDT"), usd(900));
}

TEST(RiskManager, sellsReserveTheBaseAsset) {
  RiskHarness h(balanceRules());
  ASSERT_TRUE(h.risk.onBalance(ExchangeId::Simulated, "BTC", btc(0.05)));  // qty_scale 8 = kAmountScale
  EXPECT_TRUE(h.risk.check(Order().sell(btc(0.05), px(30000)), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().sell(btc(0.05) + kLot, px(30000)), kT0),
                           RejectReason::InsufficientBalance, "base balance net of reservations too low"));
  const Order s = Order().sell(btc(0.03), px(30000));
  ASSERT_TRUE(submit(h.risk, s).accepted());
  EXPECT_EQ(h.risk.available(ExchangeId::Simulated, "BTC"), btc(0.02));
  EXPECT_TRUE(
      rejectedWith(h.risk.check(Order().sell(btc(0.02) + kLot, px(30000)), kT0), RejectReason::InsufficientBalance));
  h.risk.onFill(s.id(), 1, kBtc, Side::Sell, btc(0.03), px(30000));  // fully filled: closes the order
  EXPECT_EQ(h.risk.openOrders(), 0);
  EXPECT_EQ(h.risk.reserved(ExchangeId::Simulated, "BTC"), 0);
  EXPECT_EQ(h.risk.available(ExchangeId::Simulated, "USDT"), usd(900));
}

TEST(RiskManager, marketBuysReserveAtTheFarEdgeOfTheBand) {
  RiskHarness h(balanceRules());  // band 10% around 30000: a market buy may pay up to 33000
  ASSERT_TRUE(h.risk.onBalance(ExchangeId::Simulated, "USDT", usd(330)));
  const Order m = Order().type(OrderType::Market).buy(btc(0.01), 0);
  EXPECT_TRUE(h.risk.check(m, kT0).accepted());
  ASSERT_TRUE(h.risk.onBalance(ExchangeId::Simulated, "USDT", usd(330) - 1));
  EXPECT_TRUE(rejectedWith(h.risk.check(m, kT0), RejectReason::InsufficientBalance));
}

// ---- modify -------------------------------------------------------------------------------

TEST(RiskManager, modifyIsCheckedAsReplacingItsOriginal) {
  nlohmann::json rules = balanceRules();
  btcRules(rules)["max_position"] = "1";
  RiskHarness h(rules);
  ASSERT_TRUE(h.risk.onBalance(ExchangeId::Simulated, "USDT", usd(30000)));
  const Order a = Order().buy(btc(1), px(30000));
  ASSERT_TRUE(submit(h.risk, a).accepted());
  EXPECT_EQ(h.risk.available(ExchangeId::Simulated, "USDT"), 0);

  const Order up = Order().buy(btc(1), px(29000)).modifies(a.id());
  EXPECT_TRUE(h.risk.check(up, kT0).accepted()) << "the original's quantity and reservation are released first";
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().buy(btc(1) + kLot, px(29000)).modifies(a.id()), kT0),
                           RejectReason::MaxPosition));
  ASSERT_TRUE(h.risk.onAccepted(up));
  EXPECT_EQ(h.risk.openOrders(), 1);
  EXPECT_EQ(h.risk.openQty(kBtc, Side::Buy), btc(1));
  EXPECT_EQ(h.risk.reserved(ExchangeId::Simulated, "USDT"), usd(29000));
  h.risk.onOrderDone(a.id());  // the venue's cancel of the original: already replaced
  EXPECT_EQ(h.risk.openOrders(), 1);
  h.risk.onOrderDone(up.id());
  EXPECT_EQ(h.risk.openOrders(), 0);
  EXPECT_EQ(h.risk.reserved(ExchangeId::Simulated, "USDT"), 0);
}

TEST(RiskManager, modifyRefusedByTheVenueRestoresTheOriginal) {
  RiskHarness h(baseRules());
  const Order a = Order().buy(btc(0.5), px(30000));
  ASSERT_TRUE(submit(h.risk, a).accepted());
  const Order b = Order().buy(btc(0.2), px(30000)).modifies(a.id());
  ASSERT_TRUE(submit(h.risk, b).accepted());
  EXPECT_EQ(h.risk.openQty(kBtc, Side::Buy), btc(0.2));
  EXPECT_FALSE(h.risk.onModifyRejected(a.id())) << "a was not created by a modify";
  ASSERT_TRUE(h.risk.onModifyRejected(b.id()));
  EXPECT_EQ(h.risk.openQty(kBtc, Side::Buy), btc(0.5));
  EXPECT_EQ(h.risk.openOrders(), 1);
  EXPECT_TRUE(h.risk.check(Order().modifies(a.id()), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().modifies(b.id()), kT0), RejectReason::UnknownOrder));
}

TEST(RiskManager, modifyMustNameAnOpenOrderOfTheSameInstrumentStrategyAndSide) {
  RiskHarness h(baseRules());
  const Order a = Order().buy(btc(0.5), px(30000));
  ASSERT_TRUE(submit(h.risk, a).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().modifies(424242), kT0), RejectReason::UnknownOrder,
                           "modify of an order that is not open"));
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().sell(btc(0.5), px(30000)).modifies(a.id()), kT0),
                           RejectReason::UnknownOrder, "modify changes instrument, strategy or side"));
  EXPECT_TRUE(rejectedWith(h.risk.check(Order().strategy(2).modifies(a.id()), kT0), RejectReason::UnknownOrder));
}

// ---- rates --------------------------------------------------------------------------------

TEST(RiskManager, strategyRateLimitAdmitsTheBurstAndRefillsFromTheSuppliedTime) {
  nlohmann::json rules = baseRules();
  rules["strategies"]["1"]["rate_limit"] = {{"orders_per_second", "2"}, {"burst", 2}};
  RiskHarness h(rules);
  EXPECT_TRUE(h.risk.check(Order(), kT0).accepted());
  EXPECT_TRUE(h.risk.check(Order(), kT0).accepted()) << "checks take no token; onAccepted does";
  ASSERT_TRUE(submit(h.risk, Order(), kT0).accepted());
  ASSERT_TRUE(submit(h.risk, Order(), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order(), kT0), RejectReason::RateLimit, "strategy order rate"));
  EXPECT_TRUE(h.risk.check(Order().strategy(2), kT0).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order(), kT0 + 500'000'000 - 1), RejectReason::RateLimit));
  EXPECT_TRUE(submit(h.risk, Order(), kT0 + 500'000'000).accepted());
  EXPECT_EQ(h.risk.strategyTokens(1), 0);
  EXPECT_TRUE(h.risk.check(Order().cancels(1), kT0 + 500'000'000).accepted()) << "cancels are not rate limited";
}

TEST(RiskManager, venueRateLimitIsSharedByEveryStrategy) {
  nlohmann::json rules = baseRules();
  rules["venues"]["simulated"]["rate_limit"] = {{"orders_per_second", "1"}, {"burst", 2}};
  RiskHarness h(rules);
  ASSERT_TRUE(submit(h.risk, Order()).accepted());
  ASSERT_TRUE(submit(h.risk, Order().strategy(2)).accepted());
  EXPECT_TRUE(rejectedWith(h.risk.check(Order(), kT0), RejectReason::RateLimit, "venue order rate"));
  EXPECT_TRUE(h.risk.check(Order().on(kFutBtc, ExchangeId::BinanceFutures).buy(1'000, px(30000)), kT0).reason !=
              RejectReason::RateLimit)
      << "another venue has its own bucket";
  EXPECT_TRUE(h.risk.check(Order(), kT0 + 1'000'000'000).accepted());
}

// ---- bad requests -------------------------------------------------------------------------

TEST(RiskManager, badRequestsAreEachRejectedWithTheirReason) {
  RiskHarness h(baseRules());
  const Order open;
  ASSERT_TRUE(submit(h.risk, open).accepted());
  struct Case {
    const char* what;
    void (*mutate)(common::OrderRequest&);
    RejectReason reason;
  };
  const Case cases[] = {
      {"zero quantity", [](common::OrderRequest& r) { r.qty = 0; }, RejectReason::InvalidQuantity},
      {"negative quantity", [](common::OrderRequest& r) { r.qty = -btc(0.01); }, RejectReason::InvalidQuantity},
      {"quantity off the lot", [](common::OrderRequest& r) { r.qty = btc(0.01) + 1; }, RejectReason::OffLotQuantity},
      {"zero limit price", [](common::OrderRequest& r) { r.price = 0; }, RejectReason::InvalidPrice},
      {"negative limit price", [](common::OrderRequest& r) { r.price = -px(30000); }, RejectReason::InvalidPrice},
      {"limit price off the tick", [](common::OrderRequest& r) { r.price = px(30000) + 1; },
       RejectReason::OffTickPrice},
      {"stop limit without a stop price", [](common::OrderRequest& r) { r.type = OrderType::StopLimit; },
       RejectReason::InvalidPrice},
      {"stop price off the tick",
       [](common::OrderRequest& r) {
         r.type = OrderType::StopLimit;
         r.stop_price = px(30000) + 5;
       },
       RejectReason::OffTickPrice},
      {"unknown instrument", [](common::OrderRequest& r) { r.header.instrument_id = 99; },
       RejectReason::UnknownInstrument},
      {"instrument id of another venue", [](common::OrderRequest& r) { r.header.exchange_id = ExchangeId::Binance; },
       RejectReason::UnknownInstrument},
      {"unlisted strategy (strict)", [](common::OrderRequest& r) { r.strategy_id = 7; }, RejectReason::UnknownStrategy},
      {"side none", [](common::OrderRequest& r) { r.side = Side::None; }, RejectReason::InvalidRequest},
      {"order type out of range", [](common::OrderRequest& r) { r.type = static_cast<OrderType>(9); },
       RejectReason::InvalidRequest},
      {"tif out of range", [](common::OrderRequest& r) { r.tif = static_cast<common::TimeInForce>(0); },
       RejectReason::InvalidRequest},
      {"action out of range", [](common::OrderRequest& r) { r.action = static_cast<OrderAction>(0); },
       RejectReason::InvalidRequest},
      {"client order id 0", [](common::OrderRequest& r) { r.client_order_id = 0; },
       RejectReason::DuplicateClientOrderId},
      {"modify of an unknown order",
       [](common::OrderRequest& r) {
         r.action = OrderAction::Modify;
         r.orig_client_order_id = 31337;
       },
       RejectReason::UnknownOrder},
  };
  for (const Case& c : cases) {
    Order o;
    c.mutate(o.r);
    const uint64_t before = h.risk.rejectCount(c.reason);
    const RiskDecision d = h.risk.check(o, kT0);
    EXPECT_TRUE(rejectedWith(d, c.reason)) << c.what;
    EXPECT_NE(std::string(d.detail), "") << c.what;
    EXPECT_EQ(h.risk.rejectCount(c.reason), before + 1) << c.what;
  }
  Order dup;
  dup.r.client_order_id = open.id();
  EXPECT_TRUE(
      rejectedWith(h.risk.check(dup, kT0), RejectReason::DuplicateClientOrderId, "client order id already open"));
}

TEST(RiskManager, onAcceptedRefusesToRecordWhatItCannotTrack) {
  RiskHarness h(baseRules());
  const Order open;
  ASSERT_TRUE(h.risk.onAccepted(open));
  EXPECT_FALSE(h.risk.onAccepted(open)) << "same id twice";
  Order o;
  o.r.header.instrument_id = 99;
  EXPECT_FALSE(h.risk.onAccepted(o));
  EXPECT_FALSE(h.risk.onAccepted(Order().strategy(7)));
  EXPECT_FALSE(h.risk.onAccepted(Order().modifies(31337)));
  EXPECT_FALSE(h.risk.onAccepted(Order().buy(0, px(30000))));
  EXPECT_TRUE(h.risk.onAccepted(Order().cancels(open.id()))) << "a cancel records nothing and cannot fail";
  EXPECT_EQ(h.risk.openOrders(), 1);
}

TEST(RiskManager, unlistedStrategiesTradeUnderTheGlobalLimitsWhenNotStrict) {
  nlohmann::json rules = baseRules();
  rules["global"]["strict_strategies"] = false;
  RiskHarness h(rules);
  ASSERT_TRUE(submit(h.risk, Order().strategy(7)).accepted());
  EXPECT_EQ(h.risk.openOrders(7), 1);
}

// ---- bookkeeping --------------------------------------------------------------------------

TEST(RiskManager, fillsMovePositionsAndCloseFullyFilledOrders) {
  RiskHarness h(baseRules());
  const Order a = Order().buy(btc(0.01), px(30000));
  ASSERT_TRUE(submit(h.risk, a).accepted());
  h.risk.onFill(a.id(), 1, kBtc, Side::Buy, btc(0.004), px(30000));
  EXPECT_EQ(h.risk.position(kBtc), btc(0.004));
  EXPECT_EQ(h.risk.openQty(kBtc, Side::Buy), btc(0.006));
  EXPECT_EQ(h.risk.openOrders(), 1);
  h.risk.onFill(a.id(), 1, kBtc, Side::Buy, btc(0.006), px(30000));
  EXPECT_EQ(h.risk.openOrders(), 0);
  EXPECT_EQ(h.risk.openOrders(1), 0);
  EXPECT_EQ(h.risk.position(1, kBtc), btc(0.01));
  // A fill of an order this manager never saw (placed before a restart) still moves positions.
  h.risk.onFill(0, 2, kBtc, Side::Sell, btc(0.002), px(30000));
  EXPECT_EQ(h.risk.position(kBtc), btc(0.008));
  EXPECT_EQ(h.risk.position(2, kBtc), -btc(0.002));
  h.risk.onOrderDone(a.id());  // the Filled report after the last fill: nothing left to release
  EXPECT_EQ(h.risk.openOrders(), 0);
}

TEST(RiskManager, checkChangesNothingUntilAccepted) {
  RiskHarness h(balanceRules());
  ASSERT_TRUE(h.risk.onBalance(ExchangeId::Simulated, "USDT", usd(1000)));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(h.risk.check(Order(), kT0).accepted());
  EXPECT_EQ(h.risk.openOrders(), 0);
  EXPECT_EQ(h.risk.reserved(ExchangeId::Simulated, "USDT"), 0);
  EXPECT_EQ(h.risk.openQty(kBtc, Side::Buy), 0);
}

TEST(RiskManager, orderTableSurvivesChurnWithoutLosingOrders) {
  nlohmann::json rules = baseRules();
  rules["global"]["max_open_orders"] = 8;
  RiskHarness h(rules);
  std::vector<common::ClientOrderId> open;
  for (int round = 0; round < 2000; ++round) {
    const Order o = Order().buy(btc(0.001), px(30000));
    ASSERT_TRUE(submit(h.risk, o).accepted()) << round;
    open.push_back(o.id());
    if (open.size() == 8) {  // close every other one, oldest first, so holes move through the table
      for (size_t i = 0; i < open.size(); i += 2) h.risk.onOrderDone(open[i]);
      std::vector<common::ClientOrderId> left;
      for (size_t i = 1; i < open.size(); i += 2) left.push_back(open[i]);
      open = left;
    }
    ASSERT_EQ(h.risk.openOrders(), static_cast<int64_t>(open.size()));
    for (common::ClientOrderId id : open) ASSERT_TRUE(h.risk.check(Order().modifies(id), kT0).accepted()) << id;
  }
  EXPECT_EQ(h.risk.openQty(kBtc, Side::Buy), static_cast<int64_t>(open.size()) * btc(0.001));
}

}  // namespace
