// Queue position of resting orders: trades ahead of us, cancellations under each model, and the
// QueuePosition arithmetic itself.
#include <gtest/gtest.h>

#include "SimHarness.h"
#include "execution_engine/sim/QueuePosition.h"

namespace hft::test {
namespace {

using execution_engine::sim::QueuePosition;

constexpr TimestampNs kT = 2'000'000'000;

/// Bid 99.90 x 10.000 (and an ask far away); our buy 1.000 at 99.90 joins behind the 10.000.
void joinBehindTen(Harness& h) {
  h.md(snapshot(kT, {{9990, 10000}}, {{10100, 1000}}));
  h.place(limit(kT, 1, Side::Buy, 9990, 1000));
  ASSERT_EQ(h.sim.queueAhead(1), 10000);
}

/// Another 10.000 joins behind us, then 10.000 is canceled: who canceled is what the model decides.
void tenJoinThenTenCancel(Harness& h) {
  h.md(delta(kT + 1, {{Side::Buy, 9990, 20000}}));
  EXPECT_EQ(h.sim.queueAhead(1), 10000);  // growth joins behind us
  h.md(delta(kT + 2, {{Side::Buy, 9990, 10000}}));
}

TEST(SimQueueModel, restingOrderFillsOnlyAfterTheQueueAheadHasTraded) {
  Harness h(instantConfig(QueueModel::Pessimistic));
  joinBehindTen(h);
  h.md(trade(kT + 1, 9990, 4000, Side::Sell));
  h.md(trade(kT + 2, 9990, 4000, Side::Sell));
  EXPECT_EQ(h.sim.queueAhead(1), 2000);
  EXPECT_EQ(h.execTypes(1), (std::vector<ExecType>{ExecType::New}));
  h.md(trade(kT + 3, 9990, 2500, Side::Sell));  // 2.000 ahead, then 0.500 reaches us
  auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::PartiallyFilled);
  EXPECT_EQ(r[1].last_qty, 500);
  EXPECT_EQ(r[1].liquidity, Liquidity::Maker);
  h.md(trade(kT + 4, 9990, 2000, Side::Sell));
  r = h.reportsFor(1);
  EXPECT_EQ(r.back().exec_type, ExecType::Filled);
  EXPECT_EQ(r.back().last_qty, 500);
}

TEST(SimQueueModel, pessimisticKeepsEveryCancellationBehindUs) {
  Harness h(instantConfig(QueueModel::Pessimistic));
  joinBehindTen(h);
  tenJoinThenTenCancel(h);
  EXPECT_EQ(h.sim.queueAhead(1), 10000);
  h.md(trade(kT + 3, 9990, 5500, Side::Sell));
  EXPECT_EQ(h.execTypes(1), (std::vector<ExecType>{ExecType::New}));
  EXPECT_EQ(h.sim.queueAhead(1), 4500);
}

TEST(SimQueueModel, optimisticTakesCancellationsFromAheadOfUsFirst) {
  Harness h(instantConfig(QueueModel::Optimistic));
  joinBehindTen(h);
  tenJoinThenTenCancel(h);
  EXPECT_EQ(h.sim.queueAhead(1), 0);
  h.md(trade(kT + 3, 9990, 5500, Side::Sell));
  const auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::Filled);
  EXPECT_EQ(r[1].last_qty, 1000);
}

TEST(SimQueueModel, proportionalTakesTheShareOfCancellationsThatWasAheadOfUs) {
  Harness h(instantConfig(QueueModel::Proportional));
  joinBehindTen(h);
  tenJoinThenTenCancel(h);
  // 10.000 of a 20.000 level canceled, 10.000 of it ahead of us: half the cancels were ahead.
  EXPECT_EQ(h.sim.queueAhead(1), 5000);
  h.md(trade(kT + 3, 9990, 5500, Side::Sell));
  const auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::PartiallyFilled);
  EXPECT_EQ(r[1].last_qty, 500);
}

TEST(SimQueueModel, aTradeAndTheBookUpdateShowingItAreNotCountedTwice) {
  for (QueueModel m : {QueueModel::Pessimistic, QueueModel::Proportional, QueueModel::Optimistic}) {
    Harness h(instantConfig(m));
    joinBehindTen(h);
    h.md(trade(kT + 1, 9990, 4000, Side::Sell));
    EXPECT_EQ(h.sim.queueAhead(1), 6000) << toString(m);
    h.md(delta(kT + 2, {{Side::Buy, 9990, 6000}}));  // the same 4.000, now seen in the book
    EXPECT_EQ(h.sim.queueAhead(1), 6000) << toString(m);
  }
}

TEST(SimQueueModel, queueAheadNeverExceedsTheDisplayedLevel) {
  Harness h(instantConfig(QueueModel::Pessimistic));
  joinBehindTen(h);
  h.md(delta(kT + 1, {{Side::Buy, 9990, 3000}}));
  EXPECT_EQ(h.sim.queueAhead(1), 3000);
  h.md(delta(kT + 2, {{Side::Buy, 9990, 0}}));
  EXPECT_EQ(h.sim.queueAhead(1), 0);
  h.md(trade(kT + 3, 9990, 400, Side::Sell));
  EXPECT_EQ(h.reportsFor(1).back().last_qty, 400);
}

TEST(SimQueueModel, ourOwnOrdersAtOnePriceShareTradedVolumeInTheirTimePriority) {
  Harness h(instantConfig(QueueModel::Pessimistic));
  h.md(snapshot(kT, {{9990, 1000}}, {{10100, 1000}}));
  h.place(limit(kT, 1, Side::Buy, 9990, 1000));
  h.place(limit(kT, 2, Side::Buy, 9990, 1000));
  h.md(trade(kT + 1, 9990, 2500, Side::Sell));  // 1.000 ahead of both, then 1.500 for us
  EXPECT_EQ(h.reportsFor(1).back().exec_type, ExecType::Filled);
  EXPECT_EQ(h.reportsFor(2).back().exec_type, ExecType::PartiallyFilled);
  EXPECT_EQ(h.reportsFor(2).back().last_qty, 500);
}

TEST(SimQueueModel, batchSplitAcrossPiecesChangesTheQueueOnlyWhenComplete) {
  Harness h(instantConfig(QueueModel::Optimistic));
  joinBehindTen(h);
  // A resync in two pieces: the first clears the book and does not show our level; the second does.
  auto first = delta(kT + 1, {{Side::Sell, 10100, 1000}});
  first.flags = common::BookDelta::kClearBook | common::BookDelta::kContinuation;
  h.md(first);
  EXPECT_EQ(h.sim.queueAhead(1), 10000);
  h.md(delta(kT + 1, {{Side::Buy, 9990, 8000}}));
  EXPECT_EQ(h.sim.queueAhead(1), 8000);
}

TEST(SimQueueModel, resyncThatDoesNotShowOurLevelKeepsOurPlace) {
  Harness h(instantConfig(QueueModel::Optimistic));
  joinBehindTen(h);
  h.md(snapshot(kT + 1, {{10000, 1000}}, {{10100, 1000}}));
  EXPECT_EQ(h.sim.queueAhead(1), 10000);
}

TEST(QueuePosition, proportionalCancelsAreTakenNetOfUnseenTradesAndRoundedDown) {
  QueuePosition q{10, 0};
  EXPECT_EQ(q.onTrade(4), 0);
  EXPECT_EQ(q.ahead, 6);
  // Level 10 -> 3: 4 explained by the trade, 3 canceled out of the 6 left, 6 of them ahead.
  q.onLevelChange(QueueModel::Proportional, 10, 3);
  EXPECT_EQ(q.ahead, 3);
  EXPECT_EQ(q.traded_unseen, 0);
  QueuePosition r{7, 0};
  r.onLevelChange(QueueModel::Proportional, 9, 7);  // 2 * 7 / 9 = 1.55 -> 1
  EXPECT_EQ(r.ahead, 6);
  QueuePosition s{3, 0};
  EXPECT_EQ(s.onTrade(5), 2);
  EXPECT_EQ(s.ahead, 0);
}

}  // namespace
}  // namespace hft::test
