// Upbit's Remaining-Req header and the tracker built on it.
#include "api/exchanges/upbit/RemainingReq.h"

#include <gtest/gtest.h>

namespace {

using hft::api::upbit::HeaderStatus;
using hft::api::upbit::parseRemainingReq;
using hft::api::upbit::RemainingReq;
using hft::api::upbit::RemainingReqTracker;

constexpr int64_t kSec = 1'000'000'000;

TEST(RemainingReq, parsesGroupMinAndSec) {
  RemainingReq r;
  size_t off = 0;
  ASSERT_EQ(parseRemainingReq("group=default; min=1800; sec=29", r, off), HeaderStatus::Ok);
  EXPECT_EQ(r.group, "default");
  EXPECT_EQ(r.min, 1800);
  EXPECT_EQ(r.sec, 29);
  ASSERT_EQ(parseRemainingReq("group=order;sec=7", r, off), HeaderStatus::Ok);
  EXPECT_EQ(r.group, "order");
  EXPECT_EQ(r.min, -1);
  EXPECT_EQ(r.sec, 7);
}

TEST(RemainingReq, badHeadersNameTheOffsetOfTheFailingItem) {
  RemainingReq r;
  size_t off = 0;
  EXPECT_EQ(parseRemainingReq("group=default; min=1800; sec=x9", r, off), HeaderStatus::BadNumber);
  EXPECT_EQ(off, 25u);
  EXPECT_EQ(parseRemainingReq("group=default; min; sec=1", r, off), HeaderStatus::BadSyntax);
  EXPECT_EQ(off, 15u);
  EXPECT_EQ(parseRemainingReq("min=1; sec=1", r, off), HeaderStatus::MissingGroup);
  EXPECT_EQ(parseRemainingReq("group=default; min=1", r, off), HeaderStatus::MissingSec);
  EXPECT_EQ(parseRemainingReq("group=default; sec=-1", r, off), HeaderStatus::BadNumber);
}

TEST(RemainingReqTracker, closesAGroupForTheRestOfTheSecondWhenSecReachesZero) {
  RemainingReqTracker t;
  const int64_t now = 100 * kSec + 1000;
  EXPECT_TRUE(t.maySend("order", now)) << "unknown groups may send";
  ASSERT_TRUE(t.onHeader("group=order; min=100; sec=1", now));
  EXPECT_TRUE(t.maySend("order", now));
  t.onSent("order", now);
  EXPECT_FALSE(t.maySend("order", now + 10));
  EXPECT_TRUE(t.maySend("default", now + 10)) << "groups are independent";
  EXPECT_TRUE(t.maySend("order", 101 * kSec)) << "a new second";
  EXPECT_EQ(t.remaining("order", 101 * kSec), -1);
}

TEST(RemainingReqTracker, aLateResponseDoesNotRaiseTheCountWithinTheSecond) {
  RemainingReqTracker t;
  const int64_t now = 5 * kSec;
  ASSERT_TRUE(t.onHeader("group=default; min=1800; sec=3", now));
  ASSERT_TRUE(t.onHeader("group=default; min=1800; sec=9", now + 1));
  EXPECT_EQ(t.remaining("default", now + 2), 3);
  EXPECT_FALSE(t.onHeader("garbage", now));
}

TEST(RemainingReqTracker, tooManyRequestsBlocksEveryGroup) {
  RemainingReqTracker t;
  t.onHttpStatus(429, 10 * kSec);
  EXPECT_FALSE(t.maySend("order", 10 * kSec + 1));
  EXPECT_FALSE(t.maySend("default", 10 * kSec + 1));
  EXPECT_TRUE(t.maySend("order", 11 * kSec));
  t.onHttpStatus(200, 20 * kSec);
  EXPECT_TRUE(t.maySend("order", 20 * kSec));
  t.onHttpStatus(418, 20 * kSec, 60 * kSec);
  EXPECT_EQ(t.blockedUntilNs(), 80 * kSec);
}

}  // namespace
