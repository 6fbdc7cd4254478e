#include <gtest/gtest.h>

#include <deque>

#include "managers/RiskLimits.h"
#include "managers/TokenBucket.h"

using hft::common::ExchangeId;
using hft::common::TimestampNs;
using hft::managers::RiskLimits;
using hft::managers::TokenBucket;

namespace {

constexpr TimestampNs kT0 = 1'700'000'000'000'000'000;
constexpr TimestampNs kMs = 1'000'000;
constexpr TimestampNs kSec = 1'000'000'000;

static_assert(noexcept(std::declval<TokenBucket&>().tryConsume(0)));
static_assert(TokenBucket{}.enabled() == false);

TEST(TokenBucket, startsFullAndAdmitsExactlyTheBurstAtOneInstant) {
  TokenBucket b(4'000, 6);
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(b.tryConsume(kT0)) << i;
  EXPECT_FALSE(b.tryConsume(kT0));
  EXPECT_EQ(b.tokens(), 0);
}

TEST(TokenBucket, refillsOneTokenPerPeriodFromTheSuppliedTime) {
  TokenBucket b(4'000, 6);  // 4 per second: one every 250 ms
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(b.tryConsume(kT0));
  EXPECT_FALSE(b.available(kT0 + 250 * kMs - 1));
  EXPECT_TRUE(b.tryConsume(kT0 + 250 * kMs));
  EXPECT_FALSE(b.available(kT0 + 250 * kMs));
  EXPECT_TRUE(b.available(kT0 + 500 * kMs));
}

TEST(TokenBucket, neverHoldsMoreThanTheBurstAfterALongIdle) {
  TokenBucket b(4'000, 6);
  ASSERT_TRUE(b.tryConsume(kT0));
  EXPECT_TRUE(b.available(kT0 + 3600 * kSec));
  EXPECT_EQ(b.tokens(), 6);
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(b.tryConsume(kT0 + 3600 * kSec));
  EXPECT_FALSE(b.tryConsume(kT0 + 3600 * kSec));
}

TEST(TokenBucket, fractionalRatesRefillExactly) {
  TokenBucket b(500, 1);  // one order every two seconds
  ASSERT_TRUE(b.tryConsume(kT0));
  EXPECT_FALSE(b.available(kT0 + 2 * kSec - 1));
  EXPECT_TRUE(b.available(kT0 + 2 * kSec));
}

TEST(TokenBucket, timeGoingBackwardsRefillsNothing) {
  TokenBucket b(1'000, 1);
  ASSERT_TRUE(b.tryConsume(kT0 + 10 * kSec));
  EXPECT_FALSE(b.available(kT0));              // a replay restarted earlier
  EXPECT_FALSE(b.available(kT0 + 10 * kSec));  // and nothing was credited meanwhile
  EXPECT_TRUE(b.available(kT0 + 11 * kSec));
}

TEST(TokenBucket, disabledBucketAdmitsEverything) {
  TokenBucket b;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(b.tryConsume(kT0));
}

TEST(TokenBucket, consumingWithoutATokenRunsIntoDebtThatRefillsPayBack) {
  TokenBucket b(1'000, 1);
  ASSERT_TRUE(b.tryConsume(kT0));
  b.consume();  // forced: onAccepted without a passing check
  EXPECT_FALSE(b.available(kT0 + kSec));
  EXPECT_TRUE(b.available(kT0 + 2 * kSec));
}

/// Greedy sender, one attempt per millisecond for `seconds`: the most orders it got through in
/// any window of `window` (sliding, which bounds the venue's fixed windows too).
int64_t mostInAnyWindow(TokenBucket b, int seconds, TimestampNs window) {
  std::deque<TimestampNs> sent;
  int64_t most = 0;
  for (TimestampNs t = kT0; t < kT0 + seconds * kSec; t += kMs) {
    if (!b.tryConsume(t)) continue;
    sent.push_back(t);
    while (sent.front() <= t - window) sent.pop_front();
    most = std::max<int64_t>(most, static_cast<int64_t>(sent.size()));
  }
  return most;
}

TEST(TokenBucket, binanceSpotDefaultStaysInsideTenPerSecondAndFiftyPerTenSeconds) {
  const auto r = RiskLimits::defaultVenueRate(ExchangeId::Binance);
  const TokenBucket b(r.rate_milli, r.burst);
  EXPECT_LE(mostInAnyWindow(b, 60, kSec), 10);
  EXPECT_LE(mostInAnyWindow(b, 60, 10 * kSec), 50);
}

TEST(TokenBucket, binanceFuturesDefaultStaysInside300PerTenSecondsAnd1200PerMinute) {
  const auto r = RiskLimits::defaultVenueRate(ExchangeId::BinanceFutures);
  const TokenBucket b(r.rate_milli, r.burst);
  EXPECT_LE(mostInAnyWindow(b, 180, 10 * kSec), 300);
  EXPECT_LE(mostInAnyWindow(b, 180, 60 * kSec), 1200);
}

TEST(TokenBucket, upbitDefaultStaysInsideEightPerSecond) {
  const auto r = RiskLimits::defaultVenueRate(ExchangeId::Upbit);
  EXPECT_LE(mostInAnyWindow(TokenBucket(r.rate_milli, r.burst), 30, kSec), 8);
}

}  // namespace
