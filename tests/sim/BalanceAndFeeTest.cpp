// Balances (reservations, settlement, BalanceUpdate events), margin venues and fees.
#include <gtest/gtest.h>

#include <cstring>

#include "SimHarness.h"

namespace hft::test {
namespace {

using execution_engine::sim::VenueFees;

constexpr TimestampNs kT = 3'000'000'000;

SimConfig funded(int64_t usdt, int64_t btc = 0) {
  SimConfig c = instantConfig();
  c.balances[ExchangeId::Simulated] = {{"USDT", usdt}, {"BTC", btc}};
  c.fees[ExchangeId::Simulated] = VenueFees{-10'000, 100'000};  // maker -0.01% (rebate), taker 0.1%
  return c;
}

common::BalanceUpdate lastUpdateOf(const Harness& h, const char* asset) {
  common::BalanceUpdate found{};
  for (const auto& u : h.balanceUpdates())
    if (std::strncmp(u.asset, asset, sizeof u.asset) == 0) found = u;
  return found;
}

TEST(SimBalances, openingBalancesArePublishedOnceAsAFullRefreshInVenueAssetOrder) {
  Harness h(funded(100 * kE8, 2 * kE8));
  h.md(snapshot(kT, {{9900, 1000}}, {{10100, 1000}}));
  const auto u = h.balanceUpdates();
  ASSERT_EQ(u.size(), 2u);
  EXPECT_STREQ(u[0].asset, "BTC");
  EXPECT_EQ(u[0].free, 2 * kE8);
  EXPECT_STREQ(u[1].asset, "USDT");
  EXPECT_EQ(u[1].free, 100 * kE8);
  for (const auto& x : u) {
    EXPECT_EQ(x.delta, 0);
    EXPECT_EQ(x.locked, 0);
    EXPECT_EQ(x.header.exchange_id, ExchangeId::Simulated);
    EXPECT_EQ(x.header.exchange_ts_ns, kT);
  }
}

TEST(SimBalances, buyWithoutEnoughQuoteForNotionalPlusTakerFeeIsRejectedForInsufficientBalance) {
  Harness h(funded(100 * kE8));
  h.md(snapshot(kT, {{9900, 1000}}, {{10100, 1000}}));
  h.place(limit(kT, 1, Side::Buy, 10000, 1000));  // 100 + 0.1 fee bound > 100
  ASSERT_EQ(h.reportsFor(1).size(), 1u);
  EXPECT_EQ(h.reportsFor(1)[0].reject_reason, RejectReason::InsufficientBalance);

  h.place(limit(kT, 2, Side::Buy, 10000, 990));  // 99 + 0.099 fits
  EXPECT_EQ(h.execTypes(2), (std::vector<ExecType>{ExecType::New}));
  const auto usdt = lastUpdateOf(h, "USDT");
  EXPECT_EQ(usdt.locked, 99 * kE8 + 9'900'000);
  EXPECT_EQ(usdt.free, 100 * kE8 - usdt.locked);
  EXPECT_EQ(usdt.delta, 0);  // a reservation moves nothing out of the account

  h.place(limit(kT, 3, Side::Sell, 10200, 10));  // no BTC
  EXPECT_EQ(h.reportsFor(3)[0].reject_reason, RejectReason::InsufficientBalance);
  h.place(market(kT, 4, Side::Buy, 1000));  // 101 + fee at the ask
  EXPECT_EQ(h.reportsFor(4)[0].reject_reason, RejectReason::InsufficientBalance);
  EXPECT_EQ(h.sim.counters().rejectsFor(RejectReason::InsufficientBalance), 3u);

  h.place(cancelOf(kT, 5, 2));
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "USDT").free, 100 * kE8);
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "USDT").locked, 0);
  EXPECT_EQ(lastUpdateOf(h, "USDT").free, 100 * kE8);
}

TEST(SimBalances, fillsMoveBalancesAndReleaseTheReservation) {
  Harness h(funded(1000 * kE8, 1 * kE8));
  h.md(snapshot(kT, {{9900, 5000}}, {{10000, 5000}}));
  h.place(limit(kT, 1, Side::Buy, 10000, 2000));  // crosses: taker 2.000 at 100.00
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "USDT").free, 1000 * kE8 - 200 * kE8 - 20'000'000);
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "USDT").locked, 0);
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "BTC").free, 3 * kE8);
  const auto usdt = lastUpdateOf(h, "USDT");
  EXPECT_EQ(usdt.delta, -(200 * kE8 + 20'000'000));

  h.place(market(kT, 2, Side::Sell, 3000));  // all BTC at 99.00
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "BTC").free, 0);
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "BTC").locked, 0);
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "USDT").free,
            1000 * kE8 - 200 * kE8 - 20'000'000 + 297 * kE8 - 29'700'000);
}

TEST(SimBalances, triggeredStopThatCanNoLongerBePaidForExpiresWithInsufficientBalance) {
  SimConfig c = instantConfig();
  c.balances[ExchangeId::Simulated] = {{"USDT", 101 * kE8}};
  Harness h(c);
  h.md(snapshot(kT, {{9900, 5000}}, {{10200, 5000}}));
  h.place(stop(kT, 1, Side::Buy, OrderType::StopMarket, 10050, 0, 1000));  // held: valued at 100.50
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "USDT").locked, 10050'000'000);
  h.md(trade(kT + 1, 10050, 100, Side::Buy));  // triggers: the only offer is 102.00 > 101
  const auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::Expired);
  EXPECT_EQ(r[1].reject_reason, RejectReason::InsufficientBalance);
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "USDT").locked, 0);
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "USDT").free, 101 * kE8);
}

TEST(SimBalances, marginVenueHoldsOnlyTheQuoteAsset) {
  SimConfig c = instantConfig();
  c.balances[ExchangeId::BinanceFutures] = {{"USDT", 10 * kE8}};
  c.leverage[ExchangeId::BinanceFutures] = 3;
  Harness h(c);
  h.sim.advanceTo(kT);
  const auto u = h.balanceUpdates();
  ASSERT_EQ(u.size(), 1u);
  EXPECT_STREQ(u[0].asset, "USDT");
  EXPECT_EQ(u[0].header.exchange_id, ExchangeId::BinanceFutures);
}

TEST(SimBalances, unfundedVenueIsNotCheckedAndPublishesNothing) {
  Harness h;
  h.md(snapshot(kT, {{9900, 5000}}, {{10000, 5000}}));
  h.place(market(kT, 1, Side::Buy, 5000));
  EXPECT_EQ(h.reportsFor(1).back().exec_type, ExecType::Filled);
  EXPECT_TRUE(h.balanceUpdates().empty());
}

TEST(SimFees, takerPaysTheTakerRateAndMakerEarnsTheRebate) {
  Harness h(funded(1000 * kE8));
  h.md(snapshot(kT, {}, {{10000, 1000}}));
  h.place(market(kT, 1, Side::Buy, 1000));
  const auto taker = h.reportsFor(1).back();
  EXPECT_EQ(taker.liquidity, Liquidity::Taker);
  EXPECT_EQ(taker.fee, 10'000'000);  // 0.1% of 100.00
  EXPECT_STREQ(taker.fee_asset, "USDT");

  h.place(limit(kT, 2, Side::Buy, 9990, 1000));
  h.md(trade(kT + 1, 9990, 1000, Side::Sell));
  const auto maker = h.reportsFor(2).back();
  EXPECT_EQ(maker.exec_type, ExecType::Filled);
  EXPECT_EQ(maker.liquidity, Liquidity::Maker);
  EXPECT_EQ(maker.fee, -999'000);  // -0.01% of 99.90: a rebate
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "USDT").free,
            1000 * kE8 - 100 * kE8 - 10'000'000 - 9990'000'000 + 999'000);
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "USDT").locked, 0);
  EXPECT_EQ(h.sim.balance(ExchangeId::Simulated, "BTC").free, 2 * kE8);
  EXPECT_EQ(h.sim.counters().maker_notional, 9990'000'000);
  EXPECT_EQ(h.sim.counters().taker_notional, 100 * kE8);
  ASSERT_EQ(h.sim.fills().size(), 2u);
  EXPECT_EQ(h.sim.fills()[1].fee, -999'000);
  EXPECT_EQ(h.sim.fills()[1].liquidity, Liquidity::Maker);
}

TEST(SimFees, feesAreRoundedUpAndRebatesTowardZero) {
  using execution_engine::sim::Amounts;
  EXPECT_EQ(Amounts::fee(1, 100'000), 1);  // 0.001 of one unit still costs one unit
  EXPECT_EQ(Amounts::fee(1, -10'000), 0);  // a rebate below one unit is not paid
  EXPECT_EQ(Amounts::fee(100'000'000, 100'000), 100'000);
}

SimConfig margin(int64_t usdt, int leverage) {
  SimConfig c = instantConfig();
  c.balances[ExchangeId::BinanceFutures] = {{"USDT", usdt}};
  c.leverage[ExchangeId::BinanceFutures] = leverage;
  return c;
}

TEST(SimMargin, leverageReservesNotionalOverLeverageAndAllowsShortPositions) {
  Harness h(margin(100 * kE8, 10));
  h.md(snapshot(kT, {{10000, 5000}}, {{10010, 5000}}, kPerp));
  h.place(market(kT, 1, Side::Sell, 1000, kPerp));  // short 1.000 at 100.00 with no BTC at all
  EXPECT_EQ(h.reportsFor(1).back().exec_type, ExecType::Filled);
  EXPECT_EQ(h.sim.position(kPerp), -1000);
  EXPECT_EQ(h.sim.balance(ExchangeId::BinanceFutures, "USDT").locked, 10 * kE8);  // 100 / 10
  EXPECT_EQ(h.sim.balance(ExchangeId::BinanceFutures, "USDT").free, 90 * kE8);

  h.place(limit(kT, 2, Side::Buy, 9900, 20000, TimeInForce::GTC, kPerp));  // 1980 / 10 > 90
  EXPECT_EQ(h.reportsFor(2)[0].reject_reason, RejectReason::InsufficientBalance);

  h.place(market(kT, 3, Side::Buy, 1000, kPerp));  // close at 100.10: -0.10 realized
  EXPECT_EQ(h.sim.position(kPerp), 0);
  EXPECT_EQ(h.sim.balance(ExchangeId::BinanceFutures, "USDT").locked, 0);
  EXPECT_EQ(h.sim.balance(ExchangeId::BinanceFutures, "USDT").free, 100 * kE8 - 10'000'000);
}

TEST(SimMargin, reduceOnlyOrdersMustReduceThePosition) {
  Harness h(margin(100 * kE8, 5));
  h.md(snapshot(kT, {{10000, 5000}}, {{10010, 5000}}, kPerp));
  auto r = market(kT, 1, Side::Buy, 1000, kPerp);
  r.reduce_only = 1;
  h.place(r);
  EXPECT_EQ(h.reportsFor(1)[0].reject_reason, RejectReason::ReduceOnlyRejected);
  h.place(market(kT, 2, Side::Sell, 2000, kPerp));
  r.client_order_id = 3;
  h.place(r);
  EXPECT_EQ(h.reportsFor(3).back().exec_type, ExecType::Filled);
  EXPECT_EQ(h.sim.position(kPerp), -1000);
}

}  // namespace
}  // namespace hft::test
