// RateLimitTracker: usage headers against exchangeInfo limits, windows, 429/418 back-off.
#include "api/exchanges/binance/RateLimitTracker.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace hft::api::binance {
namespace {

using Verdict = RateLimitTracker::Verdict;

constexpr common::TimestampNs kSec = 1'000'000'000;
constexpr common::TimestampNs kT0 = 1'700'000'040 * kSec;  // a minute boundary (and a 10 s one)

const std::vector<RateLimit> kSpotLimits = {
    {RateLimitType::RequestWeight, 60, 1200},
    {RateLimitType::Orders, 10, 10},
    {RateLimitType::Orders, 86400, 100000},
    {RateLimitType::RawRequests, 300, 6100},
};

RateLimitTracker exact() { return RateLimitTracker(kSpotLimits, RateLimitTracker::Config{.usablePercent = 100}); }

TEST(RateLimitTracker, letsRequestsThroughUnderTheLimits) {
  RateLimitTracker t = exact();
  const auto d = t.maySend(1, 1, kT0);
  EXPECT_TRUE(d.ok());
  EXPECT_EQ(d.retryAtNs, 0);
}

TEST(RateLimitTracker, blocksWhenTheReportedWeightLeavesNoRoom) {
  RateLimitTracker t = exact();
  EXPECT_TRUE(t.onHeader("X-MBX-USED-WEIGHT-1M", "1199", kT0 + 5 * kSec));
  EXPECT_EQ(t.used(RateLimitType::RequestWeight, 60, kT0 + 5 * kSec), 1199);
  EXPECT_TRUE(t.maySend(1, 0, kT0 + 6 * kSec).ok()) << "exactly at the limit is allowed";
  const auto d = t.maySend(2, 0, kT0 + 6 * kSec);
  EXPECT_EQ(d.verdict, Verdict::WeightLimit);
  EXPECT_EQ(d.retryAtNs, kT0 + 60 * kSec) << "the minute window's end";
  EXPECT_TRUE(t.maySend(2, 0, kT0 + 60 * kSec).ok()) << "a new window starts at 0";
  EXPECT_EQ(t.used(RateLimitType::RequestWeight, 60, kT0 + 60 * kSec), 0);
}

TEST(RateLimitTracker, readsHeaderNamesInAnyCase) {
  RateLimitTracker t = exact();
  EXPECT_TRUE(t.onHeader("x-mbx-used-weight-1m", " 700 ", kT0));
  EXPECT_EQ(t.used(RateLimitType::RequestWeight, 60, kT0), 700);
  EXPECT_TRUE(t.onHeader("x-mbx-order-count-10s", "3", kT0));
  EXPECT_TRUE(t.onHeader("X-Mbx-Order-Count-1D", "5000", kT0));
  EXPECT_EQ(t.used(RateLimitType::Orders, 10, kT0), 3);
  EXPECT_EQ(t.used(RateLimitType::Orders, 86400, kT0), 5000);
}

TEST(RateLimitTracker, ignoresHeadersItDoesNotTrack) {
  RateLimitTracker t = exact();
  EXPECT_FALSE(t.onHeader("X-MBX-ORDER-COUNT-1M", "5", kT0)) << "no 1-minute order limit configured";
  EXPECT_FALSE(t.onHeader("X-MBX-USED-WEIGHT", "5", kT0)) << "the old bare header";
  EXPECT_FALSE(t.onHeader("Content-Type", "application/json", kT0));
  EXPECT_FALSE(t.onHeader("X-MBX-USED-WEIGHT-1M", "abc", kT0));
  EXPECT_FALSE(t.onHeader("X-MBX-USED-WEIGHT-1X", "5", kT0));
  EXPECT_EQ(t.used(RateLimitType::RequestWeight, 60, kT0), 0);
}

TEST(RateLimitTracker, neverLowersItsEstimateWithinAWindow) {
  RateLimitTracker t = exact();
  t.onSent(10, 0, kT0 + kSec);
  t.onSent(10, 0, kT0 + kSec);
  EXPECT_EQ(t.used(RateLimitType::RequestWeight, 60, kT0 + kSec), 20);
  t.onHeader("X-MBX-USED-WEIGHT-1M", "11", kT0 + 2 * kSec);  // a response that predates our second send
  EXPECT_EQ(t.used(RateLimitType::RequestWeight, 60, kT0 + 2 * kSec), 20);
  t.onHeader("X-MBX-USED-WEIGHT-1M", "500", kT0 + 3 * kSec);  // other processes on this IP
  EXPECT_EQ(t.used(RateLimitType::RequestWeight, 60, kT0 + 3 * kSec), 500);
}

TEST(RateLimitTracker, ignoresALateHeaderFromAPastWindow) {
  RateLimitTracker t = exact();
  t.onSent(1, 0, kT0 + 61 * kSec);  // the second window has started
  EXPECT_TRUE(t.onHeader("X-MBX-USED-WEIGHT-1M", "1100", kT0 + 59 * kSec));
  EXPECT_EQ(t.used(RateLimitType::RequestWeight, 60, kT0 + 61 * kSec), 1);
}

TEST(RateLimitTracker, countsOrdersPerWindow) {
  RateLimitTracker t = exact();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(t.maySend(1, 1, kT0 + kSec).ok()) << i;
    t.onSent(1, 1, kT0 + kSec);
  }
  const auto d = t.maySend(1, 1, kT0 + 2 * kSec);
  EXPECT_EQ(d.verdict, Verdict::OrderLimit);
  EXPECT_EQ(d.retryAtNs, kT0 + 10 * kSec);
  EXPECT_TRUE(t.maySend(1, 0, kT0 + 2 * kSec).ok()) << "a cancel places no order";
  EXPECT_TRUE(t.maySend(1, 1, kT0 + 10 * kSec).ok());
  EXPECT_EQ(t.used(RateLimitType::Orders, 86400, kT0 + 10 * kSec), 10) << "the day window keeps counting";
}

TEST(RateLimitTracker, countsRawRequestsLocally) {
  RateLimitTracker t({std::vector<RateLimit>{{RateLimitType::RawRequests, 300, 2}}}, {.usablePercent = 100});
  t.onSent(0, 0, kT0);
  t.onSent(0, 0, kT0);
  const auto d = t.maySend(0, 0, kT0 + kSec);
  EXPECT_EQ(d.verdict, Verdict::RawLimit);
}

TEST(RateLimitTracker, keepsHeadroomBelowEachLimit) {
  RateLimitTracker t(kSpotLimits);  // 90 % by default: 1080 of 1200
  t.onHeader("X-MBX-USED-WEIGHT-1M", "1080", kT0);
  EXPECT_EQ(t.maySend(1, 0, kT0).verdict, Verdict::WeightLimit);
  EXPECT_TRUE(t.maySend(0, 1, kT0).ok());
}

TEST(RateLimitTracker, backsOffAfterA429ForRetryAfterSeconds) {
  RateLimitTracker t = exact();
  t.onHttpStatus(429, "23", kT0);
  auto d = t.maySend(1, 0, kT0 + 22 * kSec);
  EXPECT_EQ(d.verdict, Verdict::BackedOff);
  EXPECT_EQ(d.retryAtNs, kT0 + 23 * kSec);
  EXPECT_EQ(t.blockedUntilNs(), kT0 + 23 * kSec);
  EXPECT_TRUE(t.maySend(1, 0, kT0 + 23 * kSec).ok());

  t.onHttpStatus(429, "", kT0 + 100 * kSec);  // no Retry-After: the configured default
  EXPECT_EQ(t.maySend(1, 0, kT0 + 159 * kSec).verdict, Verdict::BackedOff);
  EXPECT_TRUE(t.maySend(1, 0, kT0 + 160 * kSec).ok());
  t.onHttpStatus(200, "", kT0 + 161 * kSec);
  EXPECT_TRUE(t.maySend(1, 0, kT0 + 161 * kSec).ok());
}

TEST(RateLimitTracker, staysBannedAfterA418EvenIfA429Follows) {
  RateLimitTracker t = exact();
  t.onHttpStatus(418, "120", kT0);
  t.onHttpStatus(429, "5", kT0 + kSec);
  const auto d = t.maySend(0, 0, kT0 + 10 * kSec);
  EXPECT_EQ(d.verdict, Verdict::Banned);
  EXPECT_EQ(d.retryAtNs, kT0 + 120 * kSec);
  EXPECT_TRUE(t.maySend(0, 0, kT0 + 120 * kSec).ok());
  t.onHttpStatus(418, "bad", kT0 + 200 * kSec);
  EXPECT_EQ(t.maySend(0, 0, kT0 + 319 * kSec).verdict, Verdict::Banned) << "default ban: 120 s";
}

TEST(RateLimitTracker, refusesABadConfiguration) {
  const std::vector<RateLimit> nine(9, RateLimit{RateLimitType::Orders, 10, 1});
  EXPECT_THROW(RateLimitTracker{nine}, std::invalid_argument);
  const std::vector<RateLimit> zero = {{RateLimitType::Orders, 0, 1}};
  EXPECT_THROW(RateLimitTracker{zero}, std::invalid_argument);
  EXPECT_THROW(RateLimitTracker(kSpotLimits, RateLimitTracker::Config{.usablePercent = 0}), std::invalid_argument);
}

}  // namespace
}  // namespace hft::api::binance
