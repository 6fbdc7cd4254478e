// ClientOrderIds: the id layout shared with strategies, the executor's generator, runs across
// restarts, and the venue spelling (Binance newClientOrderId pattern) and its parse.
#include "managers/ClientOrderIds.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "strategy_engine/StrategyHost.h"

using namespace hft;
using managers::ClientOrderIds;

namespace {

constexpr common::TimestampNs kT0 = 1'700'000'000'000'000'000;

static_assert(noexcept(std::declval<ClientOrderIds&>().next()));
static_assert(noexcept(ClientOrderIds::fromVenueString("", std::declval<common::ClientOrderId&>())));
static_assert(noexcept(ClientOrderIds::toVenueString(1, nullptr, 0)));

TEST(ClientOrderIds, layoutIsTheOneStrategiesUse) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 1000; ++i) {
    const auto s = static_cast<common::StrategyId>(rng() % 4096);
    const auto run = static_cast<uint32_t>(rng());
    const auto seq = static_cast<uint32_t>(rng());
    EXPECT_EQ(ClientOrderIds::make(s, run, seq), strategy_engine::StrategyHost::makeOrderId(s, run, seq));
  }
  const common::ClientOrderId id = ClientOrderIds::make(12, 345, 6789);
  EXPECT_EQ(ClientOrderIds::ownerOf(id), 12u);
  EXPECT_EQ(ClientOrderIds::runOf(id), 345u);
  EXPECT_EQ(ClientOrderIds::sequenceOf(id), 6789u);
}

TEST(ClientOrderIds, theExecutorsIdsCarryOwnerZeroAndNeverMeetAStrategysIds) {
  ClientOrderIds executor(ClientOrderIds::runFromWallClock(kT0));
  std::set<common::ClientOrderId> ids;
  for (int i = 0; i < 1000; ++i) {
    const common::ClientOrderId id = executor.next();
    ASSERT_NE(id, 0u);
    EXPECT_EQ(ClientOrderIds::ownerOf(id), ClientOrderIds::kExecutorOwner);
    EXPECT_EQ(ClientOrderIds::sequenceOf(id), static_cast<uint32_t>(i + 1));
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
  // Any strategy (ids 1..4095) of the same run, same sequences: disjoint.
  for (uint32_t seq = 1; seq <= 1000; ++seq)
    EXPECT_EQ(ids.count(strategy_engine::StrategyHost::makeOrderId(1, executor.run(), seq)), 0u);
}

TEST(ClientOrderIds, refusesToWrapWhenARunIsUsedUp) {
  ClientOrderIds gen(5);
  gen.skipPast(ClientOrderIds::make(0, 5, ClientOrderIds::kMaxSequence - 1));
  EXPECT_EQ(ClientOrderIds::sequenceOf(gen.next()), ClientOrderIds::kMaxSequence);
  EXPECT_EQ(gen.next(), 0u) << "0 means: start a new run";
  EXPECT_EQ(gen.next(), 0u);
}

TEST(ClientOrderIds, skipPastIgnoresOtherOwnersAndRunsAndNeverGoesBack) {
  ClientOrderIds gen(5);
  gen.skipPast(ClientOrderIds::make(0, 5, 100));
  gen.skipPast(ClientOrderIds::make(0, 5, 50));
  gen.skipPast(ClientOrderIds::make(0, 6, 900));
  gen.skipPast(ClientOrderIds::make(3, 5, 900));
  EXPECT_EQ(gen.next(), ClientOrderIds::make(0, 5, 101));
}

TEST(ClientOrderIds, aRestartInTheSameSecondStillGetsAFreshRun) {
  const uint32_t first = ClientOrderIds::runFromWallClock(kT0);
  EXPECT_EQ(first, static_cast<uint32_t>((kT0 / 1'000'000'000) & 0xFFFFFF)) << "as strategy_runner computes it";
  const uint32_t second = ClientOrderIds::nextRunId(first, kT0 + 400'000'000);  // same second
  EXPECT_NE(second, first);
  EXPECT_EQ(second, first + 1);
  EXPECT_EQ(ClientOrderIds::nextRunId(first, kT0 + 5'000'000'000), first + 5) << "later: the clock's run";
  EXPECT_EQ(ClientOrderIds::nextRunId(ClientOrderIds::kRunMask, 0), 0u) << "wraps within 24 bits";
  ClientOrderIds a(first), b(second);
  std::set<common::ClientOrderId> ids;
  for (int i = 0; i < 500; ++i) {
    ids.insert(a.next());
    ids.insert(b.next());
  }
  EXPECT_EQ(ids.size(), 1000u);
}

/// Binance's newClientOrderId pattern ^[\.A-Z\:/a-z0-9_-]{1,36}$, spelled out (std::regex trips a
/// false GCC 12 -Wmaybe-uninitialized in sanitizer builds).
bool binanceAccepts(const std::string& s) {
  if (s.empty() || s.size() > 36) return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == ':' ||
          c == '/' || c == '_' || c == '-'))
      return false;
  return true;
}

TEST(ClientOrderIds, venueSpellingFitsBinanceAndParsesBack) {
  EXPECT_FALSE(binanceAccepts("a b")) << "the check itself can fail";
  EXPECT_FALSE(binanceAccepts(std::string(37, 'a')));
  std::mt19937_64 rng(11);
  std::vector<common::ClientOrderId> samples = {0, 1, ~0ull, ClientOrderIds::make(4095, 0xFFFFFF, 0xFFFFFFF),
                                                ClientOrderIds::make(0, 0, 1), ClientOrderIds::make(7, 123, 0)};
  for (int i = 0; i < 2000; ++i) samples.push_back(rng());
  for (const common::ClientOrderId id : samples) {
    const std::string s = ClientOrderIds::toVenueString(id);
    EXPECT_TRUE(binanceAccepts(s)) << s;
    EXPECT_LE(s.size(), ClientOrderIds::kMaxVenueChars);
    common::ClientOrderId back = 0;
    ASSERT_TRUE(ClientOrderIds::fromVenueString(s, back)) << s;
    EXPECT_EQ(back, id) << s;
  }
  EXPECT_EQ(ClientOrderIds::toVenueString(ClientOrderIds::make(12, 345, 6789)), "hft-12-345-6789");
  EXPECT_EQ(ClientOrderIds::toVenueString(~0ull).size(), ClientOrderIds::kMaxVenueChars);
}

TEST(ClientOrderIds, toVenueStringRefusesABufferTooSmall) {
  char buf[ClientOrderIds::kMaxVenueChars];
  const common::ClientOrderId id = ClientOrderIds::make(12, 345, 6789);  // "hft-12-345-6789": 15 chars
  EXPECT_EQ(ClientOrderIds::toVenueString(id, buf, 14), 0u);
  EXPECT_EQ(ClientOrderIds::toVenueString(id, buf, 3), 0u);
  EXPECT_EQ(ClientOrderIds::toVenueString(id, buf, 15), 15u);
}

TEST(ClientOrderIds, fromVenueStringRejectsWhatItWouldNotHaveWritten) {
  common::ClientOrderId out = 42;
  for (const char* bad : {"", "hft-", "hft-1-2", "hft-1-2-3-", "hft-1-2-3-4", "hft-01-2-3", "hft-1-00-3", "HFT-1-2-3",
                          "web_8f2b1c", "hft-4096-0-1", "hft-1-16777216-1", "hft-1-2-268435456", "hft-+1-2-3",
                          "hft-1--2-3", "hft-1-2-3 ", "x-hft-1-2-3", "hft-99999999999999999999-1-1",
                          "hft-1-2-3000000000000000000000000000000"}) {
    EXPECT_FALSE(ClientOrderIds::fromVenueString(bad, out)) << '"' << bad << '"';
  }
  EXPECT_EQ(out, 42u) << "untouched on failure";
  EXPECT_TRUE(ClientOrderIds::fromVenueString("hft-0-0-0", out));
  EXPECT_EQ(out, 0u);
}

}  // namespace
