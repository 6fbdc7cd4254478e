// Crafted cases of the L2 book (strategy_engine/book/OrderBook.h): updates, removals, flags,
// rejects, derived values and the window's re-centering rules.
#include "strategy_engine/book/OrderBook.h"

#include <gtest/gtest.h>

#include <array>
#include <utility>

#include "BookEvents.h"

using namespace hft;
using namespace hft::strategy_engine;
using common::BookDelta;
using common::BookLevel;
using common::Side;
using test::delta;
using test::snapshot;

namespace {

constexpr Side B = Side::Buy;
constexpr Side S = Side::Sell;

std::pair<int64_t, int64_t> pq(BookLevel l) { return {l.price, l.qty}; }
std::pair<int64_t, int64_t> pq(int64_t price, int64_t qty) { return {price, qty}; }

TEST(OrderBook, emptyBookReportsZeroPricesAndQuantities) {
  OrderBook b(10);
  EXPECT_TRUE(b.empty());
  EXPECT_FALSE(b.crossed());
  EXPECT_EQ(pq(b.bestBid()), pq(0, 0));
  EXPECT_EQ(pq(b.bestAsk()), pq(0, 0));
  EXPECT_EQ(pq(b.bidLevel(3)), pq(0, 0));
  EXPECT_EQ(b.midTimes2(), 0);
  EXPECT_EQ(b.mid(), 0.0);
  EXPECT_EQ(b.microprice(), 0.0);
  EXPECT_EQ(b.spreadTicks(), 0);
  EXPECT_EQ(b.depth(B, 5), 0);
  EXPECT_EQ(b.qtyAt(B, 1000), 0);
  EXPECT_EQ(b.lastUpdateId(), 0u);
  std::array<BookLevel, 4> out{};
  EXPECT_EQ(b.topLevels(S, out), 0u);
}

TEST(OrderBook, appliesLevelsAndRemovesThemOnZeroQuantity) {
  OrderBook b(10);
  EXPECT_EQ(b.apply(delta({{B, 1000, 5}, {B, 990, 7}, {S, 1010, 3}, {S, 1030, 4}})), ApplyStatus::Ok);
  EXPECT_EQ(pq(b.bestBid()), pq(1000, 5));
  EXPECT_EQ(pq(b.bestAsk()), pq(1010, 3));
  EXPECT_EQ(pq(b.bidLevel(1)), pq(990, 7));
  EXPECT_EQ(pq(b.askLevel(1)), pq(1030, 4));
  EXPECT_EQ(pq(b.askLevel(2)), pq(0, 0));
  EXPECT_EQ(b.qtyAt(S, 1030), 4);
  EXPECT_EQ(b.qtyAt(S, 1020), 0);
  EXPECT_EQ(b.levelCount(B), 2u);

  b.apply(delta({{B, 1000, 9}, {S, 1010, 0}}));  // a new total replaces; 0 removes
  EXPECT_EQ(pq(b.bestBid()), pq(1000, 9));
  EXPECT_EQ(pq(b.bestAsk()), pq(1030, 4));
  EXPECT_EQ(b.levelCount(S), 1u);

  b.apply(delta({{S, 1050, 0}}));  // removing a level the book does not hold is harmless
  EXPECT_EQ(pq(b.bestAsk()), pq(1030, 4));
}

TEST(OrderBook, bestLevelFallsToTheNextLevelWhenRemovedEvenManyWordsAway) {
  OrderBook b(1);
  b.apply(delta({{B, 100000, 1}, {B, 100000 - 63, 2}, {B, 100000 - 64, 3}, {B, 100000 - 5000, 4},
                 {S, 100001, 1}, {S, 100001 + 30000, 2}}));
  b.apply(delta({{B, 100000, 0}}));
  EXPECT_EQ(pq(b.bestBid()), pq(100000 - 63, 2));
  b.apply(delta({{B, 100000 - 63, 0}}));
  EXPECT_EQ(pq(b.bestBid()), pq(100000 - 64, 3));
  b.apply(delta({{B, 100000 - 64, 0}}));
  EXPECT_EQ(pq(b.bestBid()), pq(100000 - 5000, 4));
  b.apply(delta({{B, 100000 - 5000, 0}, {S, 100001, 0}}));
  EXPECT_EQ(pq(b.bestBid()), pq(0, 0));
  EXPECT_EQ(pq(b.bestAsk()), pq(100001 + 30000, 2));
}

TEST(OrderBook, topLevelsListsBestFirstAndStopsAtTheLastLevel) {
  OrderBook b(5);
  b.apply(delta({{B, 500, 1}, {B, 450, 2}, {B, 495, 3}, {S, 600, 4}, {S, 505, 5}}));
  std::array<BookLevel, 4> out{};
  ASSERT_EQ(b.topLevels(B, out), 3u);
  EXPECT_EQ(pq(out[0]), pq(500, 1));
  EXPECT_EQ(pq(out[1]), pq(495, 3));
  EXPECT_EQ(pq(out[2]), pq(450, 2));
  ASSERT_EQ(b.topLevels(S, std::span(out).first(1)), 1u);
  EXPECT_EQ(pq(out[0]), pq(505, 5));
  EXPECT_EQ(b.topLevels(Side::None, out), 0u);
  EXPECT_EQ(b.depth(B, 2), 4);
  EXPECT_EQ(b.depth(B, 10), 6);
  EXPECT_EQ(b.depth(S, 1), 5);
}

TEST(OrderBook, clearBookFlagEmptiesTheBookBeforeApplyingTheBatch) {
  OrderBook b(10);
  b.apply(delta({{B, 1000, 5}, {S, 1010, 3}}));
  b.apply(delta({{B, 900, 1}}, BookDelta::kClearBook | BookDelta::kFromSnapshot | BookDelta::kContinuation, 7));
  EXPECT_EQ(pq(b.bestBid()), pq(900, 1));
  EXPECT_EQ(pq(b.bestAsk()), pq(0, 0));
  EXPECT_EQ(b.qtyAt(B, 1000), 0);
  EXPECT_TRUE(b.midBatch());
  b.apply(delta({{S, 950, 2}}, BookDelta::kFromSnapshot, 7));  // the last piece of the batch
  EXPECT_FALSE(b.midBatch());
  EXPECT_EQ(b.lastUpdateId(), 7u);
  EXPECT_EQ(pq(b.bestAsk()), pq(950, 2));
}

TEST(OrderBook, snapshotReplacesTheWholeBook) {
  OrderBook b(10);
  b.apply(delta({{B, 1000, 5}, {B, 500, 5}, {S, 1010, 3}, {S, 2000, 3}}));
  EXPECT_EQ(b.apply(snapshot({{990, 1}, {980, 2}, {0, 0}}, {{1020, 3}}, 42)), ApplyStatus::Ok);
  EXPECT_EQ(pq(b.bestBid()), pq(990, 1));
  EXPECT_EQ(pq(b.bidLevel(1)), pq(980, 2));
  EXPECT_EQ(pq(b.bidLevel(2)), pq(0, 0));
  EXPECT_EQ(pq(b.bestAsk()), pq(1020, 3));
  EXPECT_EQ(pq(b.askLevel(1)), pq(0, 0));
  EXPECT_EQ(b.qtyAt(B, 500), 0);
  EXPECT_EQ(b.lastUpdateId(), 42u);
}

TEST(OrderBook, rejectsPricesOffTheTickGridAndCountsThem) {
  OrderBook b(10);
  EXPECT_EQ(b.apply(delta({{B, 1000, 5}, {B, 995, 1}, {S, 1011, 3}, {S, 1020, 2}})), ApplyStatus::LevelsRejected);
  EXPECT_EQ(pq(b.bestBid()), pq(1000, 5));  // the valid levels of the batch still apply
  EXPECT_EQ(pq(b.bestAsk()), pq(1020, 2));
  EXPECT_EQ(b.levelCount(B), 1u);
  EXPECT_EQ(b.stats().rejected_levels, 2u);
  EXPECT_EQ(b.qtyAt(B, 995), 0);
}

TEST(OrderBook, rejectsNonPositivePricesNegativeQuantitiesAndSideNone) {
  OrderBook b(10);
  EXPECT_EQ(b.apply(delta({{B, 0, 5}, {B, -10, 1}, {S, 1010, -3}, {Side::None, 1000, 2}})),
            ApplyStatus::LevelsRejected);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.stats().rejected_levels, 4u);
  EXPECT_EQ(b.apply(snapshot({{995, 1}}, {{1010, 1}})), ApplyStatus::LevelsRejected);
  EXPECT_EQ(pq(b.bestAsk()), pq(1010, 1));
  EXPECT_EQ(b.stats().rejected_levels, 5u);
}

TEST(OrderBook, rejectsADeltaWithMoreLevelsThanItCanHoldWithoutApplyingAny) {
  OrderBook b(10);
  BookDelta d = delta({{B, 1000, 5}});
  d.count = BookDelta::kMaxLevels + 1;
  EXPECT_EQ(b.apply(d), ApplyStatus::BadEvent);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.stats().bad_events, 1u);
}

TEST(OrderBook, detectsCrossedAndLockedBooks) {
  OrderBook b(10);
  b.apply(delta({{B, 1000, 5}, {S, 1010, 3}}));
  EXPECT_FALSE(b.crossed());
  b.apply(delta({{B, 1010, 1}}));
  EXPECT_TRUE(b.crossed()) << "locked counts as crossed";
  EXPECT_EQ(b.spreadTicks(), 0);
  b.apply(delta({{B, 1020, 1}}));
  EXPECT_TRUE(b.crossed());
  EXPECT_EQ(b.spreadTicks(), -1);
  b.apply(delta({{B, 1020, 0}, {B, 1010, 0}}));
  EXPECT_FALSE(b.crossed());
  b.apply(delta({{S, 1010, 0}}));
  EXPECT_FALSE(b.crossed()) << "a one-sided book is not crossed";
}

TEST(OrderBook, midMicropriceAndSpreadFollowTheTopOfBook) {
  OrderBook b(5);
  b.apply(delta({{B, 1000, 30}, {S, 1015, 10}}));
  EXPECT_EQ(b.midTimes2(), 2015);
  EXPECT_DOUBLE_EQ(b.mid(), 1007.5);
  EXPECT_EQ(b.spreadTicks(), 3);
  // (1000 * 10 + 1015 * 30) / 40: more bid quantity pulls the microprice towards the ask.
  EXPECT_DOUBLE_EQ(b.microprice(), 1011.25);
}

TEST(OrderBook, recordsTheLastUpdateIdOfEachEvent) {
  OrderBook b(10);
  b.apply(delta({{B, 1000, 5}}, 0, 11));
  EXPECT_EQ(b.lastUpdateId(), 11u);
  b.apply(snapshot({{1000, 1}}, {}, 12));
  EXPECT_EQ(b.lastUpdateId(), 12u);
}

// Window of 64 ticks: an empty side places it with 16 ticks above its first level, 47 below.
TEST(OrderBook, keepsLevelsWithinThreeQuartersOfTheWindowWhenRecenteringUpward) {
  OrderBook b(10, 6);
  b.apply(delta({{B, 10000, 1}, {B, 10000 - 300, 2}}));
  b.apply(delta({{B, 10000 + 170, 3}}));  // above the window: moves it up to [10170 - 470, ...]
  EXPECT_EQ(pq(b.bestBid()), pq(10170, 3));
  EXPECT_EQ(pq(b.bidLevel(1)), pq(10000, 1));
  EXPECT_EQ(pq(b.bidLevel(2)), pq(9700, 2));
  EXPECT_EQ(b.stats().evicted_levels, 0u);
  EXPECT_EQ(b.stats().window_moves, 1u);
  b.apply(delta({{B, 10170, 0}}));
  EXPECT_EQ(pq(b.bestBid()), pq(10000, 1));
}

TEST(OrderBook, evictsLevelsThreeQuartersOfTheWindowBelowANewBestAndCountsThem) {
  OrderBook b(10, 6);
  b.apply(delta({{B, 10000, 1}, {B, 9990, 2}, {B, 9800, 4}}));
  b.apply(delta({{B, 10000 + 480, 3}}));  // new window [10480 - 470, ...): 10000 and below leave
  EXPECT_EQ(pq(b.bestBid()), pq(10480, 3));
  EXPECT_EQ(pq(b.bidLevel(1)), pq(0, 0));
  EXPECT_EQ(b.qtyAt(B, 10000), 0);
  EXPECT_EQ(b.stats().evicted_levels, 3u);
  EXPECT_EQ(b.levelCount(B), 1u);
}

TEST(OrderBook, leavesNoTraceOfEvictedLevelsInLaterScans) {
  OrderBook b(1, 10);  // 1024 ticks: an empty side leaves 256 above its first level, 767 below
  b.apply(delta({{B, 10000, 1}, {B, 9700, 2}, {B, 9300, 3}, {B, 10200, 4}, {B, 10150, 5}}));
  b.apply(delta({{B, 10900, 6}}));  // new window [10133, 11157): 10000, 9700 and 9300 leave
  EXPECT_EQ(b.stats().evicted_levels, 3u);
  EXPECT_EQ(pq(b.bidLevel(2)), pq(10150, 5));
  EXPECT_EQ(pq(b.bidLevel(3)), pq(0, 0));
  b.apply(delta({{B, 10900, 0}, {B, 10200, 0}}));
  EXPECT_EQ(pq(b.bestBid()), pq(10150, 5));
  EXPECT_EQ(pq(b.bidLevel(1)), pq(0, 0));
  EXPECT_EQ(b.depth(B, 10), 5);
  b.apply(delta({{B, 10150, 0}}));
  EXPECT_TRUE(b.empty());
  b.apply(delta({{B, 10000, 7}, {B, 9300, 8}}));  // the evicted ticks are free for new levels
  EXPECT_EQ(pq(b.bidLevel(1)), pq(9300, 8));
  EXPECT_EQ(pq(b.bidLevel(2)), pq(0, 0));
}

TEST(OrderBook, movesTheWindowDownForADeepLevelWhileTheBestStaysInside) {
  OrderBook b(10, 6);
  b.apply(delta({{B, 10000, 1}, {B, 9900, 2}}));
  b.apply(delta({{B, 10000 - 630, 3}}));  // 63 ticks below the best: still fits one window
  EXPECT_EQ(pq(b.bestBid()), pq(10000, 1));
  EXPECT_EQ(pq(b.bidLevel(1)), pq(9900, 2));
  EXPECT_EQ(pq(b.bidLevel(2)), pq(9370, 3));
  EXPECT_EQ(b.stats().far_levels_ignored, 0u);
  EXPECT_EQ(b.stats().evicted_levels, 0u);
}

TEST(OrderBook, ignoresALevelAWholeWindowBelowTheBestAndCountsIt) {
  OrderBook b(10, 6);
  b.apply(delta({{B, 10000, 1}, {S, 10010, 1}}));
  b.apply(delta({{B, 10000 - 640, 3}, {S, 10010 + 640, 4}}));
  EXPECT_EQ(b.stats().far_levels_ignored, 2u);
  EXPECT_EQ(b.qtyAt(B, 9360), 0);
  EXPECT_EQ(b.levelCount(B), 1u);
  EXPECT_EQ(b.levelCount(S), 1u);
  EXPECT_EQ(b.apply(delta({{B, 9360, 0}})), ApplyStatus::Ok);  // its removal is a no-op
  EXPECT_EQ(pq(b.bestBid()), pq(10000, 1));
  // Once the best has gone, the side is empty and the window goes wherever the next level is.
  b.apply(delta({{B, 10000, 0}, {B, 9360, 5}}));
  EXPECT_EQ(pq(b.bestBid()), pq(9360, 5));
}

TEST(OrderBook, askSideRecentersDownwardAsPricesFall) {
  OrderBook b(1, 6);
  b.apply(delta({{S, 5000, 1}, {S, 5030, 2}}));
  b.apply(delta({{S, 4990, 3}}));   // inside the headroom
  b.apply(delta({{S, 4960, 4}}));   // below the window: moves down, 5030 is 70 ticks away: evicted
  EXPECT_EQ(pq(b.bestAsk()), pq(4960, 4));
  EXPECT_EQ(pq(b.askLevel(1)), pq(4990, 3));
  EXPECT_EQ(pq(b.askLevel(2)), pq(5000, 1));
  EXPECT_EQ(pq(b.askLevel(3)), pq(0, 0));
  EXPECT_EQ(b.stats().evicted_levels, 1u);
}

TEST(OrderBook, followsThePriceAcrossManyWindowsOfTheRing) {
  OrderBook b(1, 6);
  for (int64_t p = 1000; p < 1000 + 64 * 200; p += 37) {
    b.apply(delta({{B, p, p}, {B, p - 10, 1}, {S, p + 1, 2}, {S, p + 40, 3}}));
    ASSERT_EQ(pq(b.bestBid()), pq(p, p));
    ASSERT_EQ(pq(b.bidLevel(1)), pq(p - 10, 1));
    ASSERT_EQ(pq(b.bestAsk()), pq(p + 1, 2));
    ASSERT_EQ(pq(b.askLevel(1)), pq(p + 40, 3));
    b.apply(delta({{B, p, 0}, {B, p - 10, 0}, {S, p + 1, 0}, {S, p + 40, 0}}));
    ASSERT_TRUE(b.empty());
  }
  for (int64_t p = 1000 + 64 * 200; p > 1000; p -= 37) {  // and back down, book never emptied
    b.apply(delta({{B, p, 1}, {S, p + 1, 2}}));
    b.apply(delta({{B, p + 37, 0}, {S, p + 38, 0}}));
    ASSERT_EQ(pq(b.bestBid()), pq(p, 1));
    ASSERT_EQ(pq(b.bestAsk()), pq(p + 1, 2));
    ASSERT_EQ(b.levelCount(B), 1u);
  }
}

TEST(OrderBook, clearKeepsCountersAndEmptiesBothSides) {
  OrderBook b(10);
  b.apply(delta({{B, 1000, 5}, {B, 995, 1}, {S, 1010, 3}}));
  b.clear();
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.levelCount(B) + b.levelCount(S), 0u);
  EXPECT_EQ(b.stats().rejected_levels, 1u);
  b.apply(delta({{S, 5000, 1}}));
  EXPECT_EQ(pq(b.bestAsk()), pq(5000, 1));
}

TEST(OrderBook, refusesABadTickOrWindowAtConstruction) {
  EXPECT_THROW(OrderBook(0), std::invalid_argument);
  EXPECT_THROW(OrderBook(-5), std::invalid_argument);
  EXPECT_THROW(OrderBook(1, 5), std::invalid_argument);
  EXPECT_THROW(OrderBook(1, 25), std::invalid_argument);
  EXPECT_EQ(OrderBook(1, 6).windowTicks(), 64);
}

static_assert(noexcept(std::declval<OrderBook&>().apply(std::declval<const common::BookDelta&>())));
static_assert(noexcept(std::declval<const OrderBook&>().bidLevel(0)));

}  // namespace
