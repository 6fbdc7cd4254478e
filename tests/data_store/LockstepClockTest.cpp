// The lookahead rules of lockstep backtests (data_store/LockstepClock.h): event times, the
// promises a strategy publishes, and the send bounds the backtester derives from them.
#include "data_store/LockstepClock.h"

#include <gtest/gtest.h>

#include <vector>

#include "TestBus.h"
#include "common/Events.h"

using namespace hft;
using namespace hft::data_store;
using hft::test::ShmCleanup;
using hft::test::uniqueName;

namespace {
common::EventHeader header(common::EventType type, common::TimestampNs exchangeTs, common::TimestampNs receiveTs) {
  common::EventHeader h{};
  h.type = type;
  h.exchange_ts_ns = exchangeTs;
  h.receive_ts_ns = receiveTs;
  return h;
}
}  // namespace

TEST(LockstepClock, eventTimeIsTheRunningMaximumOfMarketEventsOnly) {
  common::TimestampNs t = kLockstepUnknown;
  t = lockstepTime(t, header(common::EventType::Trade, 100, 105));
  EXPECT_EQ(t, 100);
  // An exchange time that goes back does not move the clock back.
  t = lockstepTime(t, header(common::EventType::BookDelta, 90, 95));
  EXPECT_EQ(t, 100);
  // No exchange time: the receive time counts.
  t = lockstepTime(t, header(common::EventType::BestBidOffer, 0, 130));
  EXPECT_EQ(t, 130);
  // Bookkeeping stamped with wall time (a replay's "today") never moves it.
  EXPECT_EQ(lockstepTime(t, header(common::EventType::Control, 9'000'000'000, 9'000'000'000)), 130);
  EXPECT_EQ(lockstepTime(t, header(common::EventType::Heartbeat, 9'000'000'000, 9'000'000'000)), 130);
  EXPECT_EQ(lockstepTime(t, header(common::EventType::Gap, 9'000'000'000, 9'000'000'000)), 130);
}

TEST(LockstepClock, saturatingAddNeverWraps) {
  EXPECT_EQ(saturatingAdd(kLockstepFinished, 5), kLockstepFinished);
  EXPECT_EQ(saturatingAdd(kLockstepFinished - 2, 5), kLockstepFinished);
  EXPECT_EQ(saturatingAdd(kLockstepUnknown, -1), kLockstepUnknown);
  EXPECT_EQ(saturatingAdd(10, 5), 15);
}

TEST(LockstepClock, aStrategyPromiseReadsBackAsPublished) {
  ShmCleanup shm(uniqueName("lockstep"));
  ProcessRegistry reg(shm.name);
  RegistryEntry& e = reg.attach("strategy_runner:s", ProcessRole::StrategyRunner, "md", -1);
  // A fresh entry promises nothing: the backtester must not run ahead of a strategy it has
  // not heard from.
  StrategyPromise p = readStrategyPromise(e, 0);
  EXPECT_EQ(p.clock, kLockstepUnknown);
  EXPECT_FALSE(p.waitingWithAllReports);

  LockstepStrategyClock clock(e);
  clock.running(1'000);
  p = readStrategyPromise(e, 0);
  EXPECT_EQ(p.clock, 1'000);
  EXPECT_EQ(p.waitingAt, kLockstepUnknown);

  clock.waiting(1'000, 5'000, 7);
  p = readStrategyPromise(e, 7);
  EXPECT_EQ(p.waitingAt, 5'000);
  EXPECT_TRUE(p.waitingWithAllReports);
  // A report it has not read yet (published 8): it may react to it, so no extra promise.
  p = readStrategyPromise(e, 8);
  EXPECT_EQ(p.waitingAt, 5'000);
  EXPECT_FALSE(p.waitingWithAllReports);

  clock.running(5'000);
  p = readStrategyPromise(e, 7);
  EXPECT_EQ(p.clock, 5'000);
  EXPECT_EQ(p.waitingAt, kLockstepUnknown) << "running again clears the wait";

  clock.finished();
  p = readStrategyPromise(e, 7);
  EXPECT_TRUE(p.finished());
  reg.detach(e);
}

TEST(LockstepClock, runningStrategiesBoundByTheirClocks) {
  std::vector<StrategyPromise> ps(2);
  ps[0].clock = 1'000;
  ps[1].clock = 3'000;
  common::TimestampNs out[2];
  EXPECT_EQ(strategySendBounds(ps, kLockstepFinished, 200, out), 1'000);
  EXPECT_EQ(out[0], 1'000);
  EXPECT_EQ(out[1], 3'000);
}

TEST(LockstepClock, aWaitingStrategyWithEveryReportReadBoundsAtItsNextEventOrTheNextVenueStep) {
  std::vector<StrategyPromise> ps(1);
  ps[0].clock = 1'000;
  ps[0].waitingAt = 9'000;
  ps[0].waitingWithAllReports = true;
  common::TimestampNs out[1];
  // Nothing can happen at the venue before 9,000: it cannot send before its event at 9,000.
  EXPECT_EQ(strategySendBounds(ps, 9'000, 200, out), 9'000);
  // An order arrives at the venue at 4,000: its report may wake the strategy from then on.
  EXPECT_EQ(strategySendBounds(ps, 4'000, 200, out), 4'000);
  // Never below what its clock already promises.
  EXPECT_EQ(strategySendBounds(ps, 500, 200, out), 1'000);
  // Without every report read it may react to one already published: only its clock counts.
  ps[0].waitingWithAllReports = false;
  EXPECT_EQ(strategySendBounds(ps, 9'000, 200, out), 1'000);
}

TEST(LockstepClock, aRunningStrategysOrdersAreVenueStepsForTheWaitingOnes) {
  std::vector<StrategyPromise> ps(3);
  ps[0].clock = 2'000;  // running: its orders reach the venue from 2,000 + 300
  ps[1].clock = 1'000;
  ps[1].waitingAt = 50'000;
  ps[1].waitingWithAllReports = true;
  ps[2].clock = kLockstepFinished;
  common::TimestampNs out[3];
  EXPECT_EQ(strategySendBounds(ps, 40'000, 300, out), 2'000);
  EXPECT_EQ(out[1], 2'300) << "it may react to the running strategy's earliest arrival";
  EXPECT_EQ(out[2], kLockstepFinished);
}

TEST(LockstepClock, allFinishedBoundsAtNever) {
  std::vector<StrategyPromise> ps(2);
  ps[0].clock = ps[1].clock = kLockstepFinished;
  common::TimestampNs out[2];
  EXPECT_EQ(strategySendBounds(ps, 10, 1, out), kLockstepFinished);
}
