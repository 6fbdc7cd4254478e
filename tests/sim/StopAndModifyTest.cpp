// Stop / take-profit triggers, cancel and modify (cancel-replace) semantics.
#include <gtest/gtest.h>

#include "SimHarness.h"

namespace hft::test {
namespace {

constexpr TimestampNs kT = 4'000'000'000;

/// Bids 99.00 x 5, asks 101.00 x 5.
void wideBook(Harness& h) { h.md(snapshot(kT, {{9900, 5000}}, {{10100, 5000}})); }

TEST(SimStops, stopBuyIsHeldUntilATradeReachesTheStopThenBuysAtMarket) {
  Harness h;
  wideBook(h);
  h.place(stop(kT, 1, Side::Buy, OrderType::StopMarket, 10050, 0, 1000));
  EXPECT_EQ(h.execTypes(1), (std::vector<ExecType>{ExecType::New}));
  h.md(trade(kT + 1, 10040, 100, Side::Buy));
  EXPECT_EQ(h.execTypes(1), (std::vector<ExecType>{ExecType::New}));
  h.md(trade(kT + 2, 10050, 100, Side::Buy));
  const auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::Filled);
  EXPECT_EQ(r[1].last_price, 10100);
  EXPECT_EQ(r[1].liquidity, Liquidity::Taker);
  EXPECT_EQ(r[1].order_type, OrderType::StopMarket);
  EXPECT_EQ(r[1].header.exchange_ts_ns, kT + 2);
  EXPECT_EQ(h.sim.counters().triggered, 1u);
}

TEST(SimStops, stopSellTriggersAtOrBelowTheStop) {
  Harness h;
  wideBook(h);
  h.place(stop(kT, 1, Side::Sell, OrderType::StopMarket, 9950, 0, 1000));
  h.md(trade(kT + 1, 9960, 100, Side::Sell));
  EXPECT_EQ(h.execTypes(1).size(), 1u);
  h.md(trade(kT + 2, 9940, 100, Side::Sell));
  EXPECT_EQ(h.reportsFor(1).back().exec_type, ExecType::Filled);
  EXPECT_EQ(h.reportsFor(1).back().last_price, 9900);
}

TEST(SimStops, takeProfitTriggersTheOtherWayRound) {
  Harness h;
  wideBook(h);
  h.place(stop(kT, 1, Side::Sell, OrderType::TakeProfit, 10080, 0, 1000));  // sell when the price rises to 100.80
  h.place(stop(kT, 2, Side::Buy, OrderType::TakeProfit, 9920, 0, 1000));    // buy when it falls to 99.20
  h.md(trade(kT + 1, 9990, 100, Side::Sell));
  EXPECT_EQ(h.execTypes(1).size(), 1u);
  EXPECT_EQ(h.execTypes(2).size(), 1u);
  h.md(trade(kT + 2, 10080, 100, Side::Buy));
  EXPECT_EQ(h.reportsFor(1).back().exec_type, ExecType::Filled);
  EXPECT_EQ(h.execTypes(2).size(), 1u);
  h.md(trade(kT + 3, 9920, 100, Side::Sell));
  EXPECT_EQ(h.reportsFor(2).back().exec_type, ExecType::Filled);
}

TEST(SimStops, stopLimitBecomesALimitOrderThatRestsWhenItDoesNotCross) {
  Harness h;
  wideBook(h);
  h.place(stop(kT, 1, Side::Buy, OrderType::StopLimit, 10050, 10060, 1000));
  EXPECT_EQ(h.sim.queueAhead(1), -1);  // held, not in the book
  h.md(trade(kT + 1, 10050, 100, Side::Buy));
  EXPECT_EQ(h.execTypes(1), (std::vector<ExecType>{ExecType::New}));
  EXPECT_EQ(h.sim.queueAhead(1), 0);                // resting at 100.60, below the 101.00 ask
  h.md(delta(kT + 2, {{Side::Sell, 10060, 400}}));  // an offer at our price: traded through us
  EXPECT_EQ(h.reportsFor(1).back().exec_type, ExecType::Filled);
  EXPECT_EQ(h.reportsFor(1).back().last_price, 10060);
}

TEST(SimStops, stopCanBeCanceledWhileHeld) {
  Harness h;
  wideBook(h);
  h.place(stop(kT, 1, Side::Buy, OrderType::StopMarket, 10050, 0, 1000));
  h.place(cancelOf(kT, 2, 1));
  EXPECT_EQ(h.reportsFor(1).back().exec_type, ExecType::Canceled);
  h.md(trade(kT + 1, 10060, 100, Side::Buy));
  EXPECT_EQ(h.sim.fills().size(), 0u);
}

TEST(SimCancel, cancelRemovesTheOrderAndACancelOfAnUnknownOrderIsRejected) {
  Harness h;
  wideBook(h);
  h.place(limit(kT, 1, Side::Buy, 9900, 1000));
  h.place(cancelOf(kT + 5, 2, 1));
  auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::Canceled);
  EXPECT_EQ(r[1].orig_client_order_id, 1u);
  EXPECT_EQ(r[1].leaves_qty, 0);
  EXPECT_EQ(r[1].local_send_ts_ns, kT + 5);
  EXPECT_EQ(h.sim.openOrders(), 0u);

  h.place(cancelOf(kT + 6, 3, 1));
  r = h.reportsFor(3);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::Rejected);
  EXPECT_EQ(r[0].reject_reason, RejectReason::UnknownOrder);
  EXPECT_EQ(r[0].orig_client_order_id, 1u);
  // Trades at our old price no longer fill anything.
  h.md(trade(kT + 7, 9900, 10000, Side::Sell));
  EXPECT_TRUE(h.sim.fills().empty());
}

TEST(SimCancel, anotherStrategyCannotCancelOurOrder) {
  Harness h;
  wideBook(h);
  h.place(limit(kT, 1, Side::Buy, 9900, 1000));
  auto c = cancelOf(kT, 2, 1);
  c.strategy_id = kStrategy + 1;
  h.place(c);
  EXPECT_EQ(h.reportsFor(2)[0].reject_reason, RejectReason::UnknownOrder);
  EXPECT_EQ(h.sim.openOrders(), 1u);
}

TEST(SimModify, modifyCancelsTheOldOrderAcksTheNewOneAndLosesQueuePriority) {
  Harness h(instantConfig(QueueModel::Pessimistic));
  wideBook(h);
  h.place(limit(kT, 1, Side::Buy, 9900, 1000));
  EXPECT_EQ(h.sim.queueAhead(1), 5000);
  h.md(trade(kT + 1, 9900, 4000, Side::Sell));
  EXPECT_EQ(h.sim.queueAhead(1), 1000);
  h.place(modifyOf(kT + 2, 2, 1, Side::Buy, 9900, 2000));
  EXPECT_EQ(h.execTypes(1), (std::vector<ExecType>{ExecType::New, ExecType::Canceled}));
  const auto n = h.reportsFor(2);
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].exec_type, ExecType::New);
  EXPECT_EQ(n[0].orig_client_order_id, 1u);
  EXPECT_EQ(n[0].leaves_qty, 2000);
  // Back of the queue: the whole displayed level (the book has not yet shown the 4.000 traded).
  EXPECT_EQ(h.sim.queueAhead(2), 5000);
  EXPECT_EQ(h.sim.queueAhead(1), -1);
  h.md(trade(kT + 3, 9900, 1500, Side::Sell));  // would have filled the old order by 0.500
  EXPECT_EQ(h.execTypes(2), (std::vector<ExecType>{ExecType::New}));
}

TEST(SimModify, modifyOfAFilledOrderIsRejectedAndCreatesNothing) {
  Harness h;
  wideBook(h);
  h.place(limit(kT, 1, Side::Buy, 10100, 1000));  // fills at once
  EXPECT_EQ(h.reportsFor(1).back().exec_type, ExecType::Filled);
  h.place(modifyOf(kT + 1, 2, 1, Side::Buy, 9900, 1000));
  const auto r = h.reportsFor(2);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::Rejected);
  EXPECT_EQ(r[0].reject_reason, RejectReason::UnknownOrder);
  EXPECT_EQ(r[0].orig_client_order_id, 1u);
  EXPECT_EQ(h.sim.openOrders(), 0u);
}

TEST(SimModify, invalidReplacementIsRejectedAndLeavesTheOldOrderWorking) {
  Harness h;
  wideBook(h);
  h.place(limit(kT, 1, Side::Buy, 9900, 1000));
  h.place(modifyOf(kT + 1, 2, 1, Side::Buy, 9905, 1000));  // off the tick grid
  EXPECT_EQ(h.reportsFor(2)[0].reject_reason, RejectReason::OffTickPrice);
  EXPECT_EQ(h.execTypes(1), (std::vector<ExecType>{ExecType::New}));
  EXPECT_EQ(h.sim.queueAhead(1), 5000);
}

}  // namespace
}  // namespace hft::test
