// Binance local order book procedure, spot and USD-M (api/exchanges/binance/BookSync.h).
#include "api/exchanges/binance/BookSync.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "BinanceTestUtil.h"

using namespace hft;
using namespace hft::api::binance;
using common::BookDelta;
using common::BookLevel;
using Result = BookSync::Result;
using State = BookSync::State;

namespace {

constexpr common::TimestampNs kRx = 1'700'000'000'000'000'000;

/// Builds ParsedDepth values with their own level storage.
struct Depth {
  std::vector<BookLevel> bids, asks;
  ParsedDepth d{};

  static Depth diff(uint64_t first, uint64_t last, uint64_t prev = 0, size_t levels = 1) {
    Depth x;
    for (size_t i = 0; i < levels; ++i) x.bids.push_back({static_cast<int64_t>(1000 - i), static_cast<int64_t>(last)});
    x.d.first_update_id = first;
    x.d.last_update_id = last;
    x.d.prev_update_id = prev;
    x.d.event_ns = static_cast<common::TimestampNs>(last) * 1'000'000;
    return x;
  }
  static Depth snapshot(uint64_t lastUpdateId, size_t bidLevels = 1, size_t askLevels = 1) {
    Depth x;
    for (size_t i = 0; i < bidLevels; ++i) x.bids.push_back({static_cast<int64_t>(1000 - i), 5});
    for (size_t i = 0; i < askLevels; ++i) x.asks.push_back({static_cast<int64_t>(1001 + i), 7});
    x.d.snapshot = true;
    x.d.first_update_id = x.d.last_update_id = lastUpdateId;
    return x;
  }
  const ParsedDepth& get() {
    d.bids = bids;
    d.asks = asks;
    return d;
  }
};

struct Recorder {
  std::vector<BookDelta> pieces;
  void operator()(BookDelta& d) { pieces.push_back(d); }
  /// last_update_id of each complete (non-continued) chain, in order.
  std::vector<uint64_t> chainIds() const {
    std::vector<uint64_t> ids;
    for (const auto& p : pieces)
      if (!(p.flags & BookDelta::kContinuation)) ids.push_back(p.last_update_id);
    return ids;
  }
};

struct BookSyncFixture {
  explicit BookSyncFixture(Market m, uint32_t maxDiffs = 4096, uint32_t maxLevels = 1u << 18)
      : sync(BookSync::Config{exchangeOf(m), 7, m, maxDiffs, maxLevels}) {}
  Result diff(uint64_t first, uint64_t last, uint64_t prev = 0, size_t levels = 1) {
    Depth x = Depth::diff(first, last, prev, levels);
    return sync.onDiff(x.get(), kRx, rec);
  }
  Result snapshot(uint64_t lastUpdateId, size_t bids = 1, size_t asks = 1) {
    Depth x = Depth::snapshot(lastUpdateId, bids, asks);
    return sync.onSnapshot(x.get(), kRx + 1, rec);
  }
  BookSync sync;
  Recorder rec;
};

TEST(BookSync, buffersDiffsUntilASnapshotArrivesThenEmitsSnapshotAndBufferedDiffsInOrder) {
  BookSyncFixture f(Market::Spot);
  EXPECT_EQ(f.sync.state(), State::AwaitingSnapshot);
  EXPECT_EQ(f.diff(11, 15), Result::Buffered);
  EXPECT_EQ(f.diff(16, 18), Result::Buffered);
  EXPECT_TRUE(f.rec.pieces.empty());
  EXPECT_EQ(f.sync.buffered(), 2u);

  EXPECT_EQ(f.snapshot(12), Result::Applied);
  EXPECT_EQ(f.sync.state(), State::Synced);
  EXPECT_EQ(f.sync.bookUpdateId(), 18u);
  EXPECT_EQ(f.sync.buffered(), 0u);
  ASSERT_EQ(f.rec.pieces.size(), 3u);
  const BookDelta& snap = f.rec.pieces[0];
  EXPECT_EQ(snap.flags, BookDelta::kClearBook | BookDelta::kFromSnapshot);
  EXPECT_EQ(snap.header.flags, snap.flags);
  EXPECT_EQ(snap.first_update_id, 12u);
  EXPECT_EQ(snap.last_update_id, 12u);
  EXPECT_EQ(snap.count, 2);
  EXPECT_EQ(snap.levels[0].side, common::Side::Buy);
  EXPECT_EQ(snap.levels[1].side, common::Side::Sell);
  EXPECT_EQ(snap.header.instrument_id, 7u);
  EXPECT_EQ(snap.header.exchange_id, common::ExchangeId::Binance);
  EXPECT_EQ(snap.header.size, BookDelta::sizeFor(2));

  const BookDelta& first = f.rec.pieces[1];
  EXPECT_EQ(first.flags, 0);
  EXPECT_EQ(first.first_update_id, 11u);
  EXPECT_EQ(first.last_update_id, 15u);
  EXPECT_EQ(first.header.exchange_ts_ns, 15 * 1'000'000);
  EXPECT_EQ(first.header.receive_ts_ns, kRx + 1) << "released diffs carry the snapshot's receive time";
  EXPECT_EQ(f.rec.pieces[2].first_update_id, 16u);

  EXPECT_EQ(f.diff(19, 20), Result::Applied);
  EXPECT_EQ(f.rec.pieces.back().header.receive_ts_ns, kRx);
}

TEST(BookSync, dropsSpotDiffsUpToAndIncludingTheSnapshotId) {
  BookSyncFixture f(Market::Spot);
  f.diff(1, 5);
  f.diff(6, 10);  // u == L: stale on spot
  f.diff(11, 12);
  EXPECT_EQ(f.snapshot(10), Result::Applied);
  EXPECT_EQ(f.rec.chainIds(), (std::vector<uint64_t>{10, 12}));
  EXPECT_EQ(f.diff(5, 9), Result::Stale) << "older than the book";
  EXPECT_EQ(f.diff(11, 12), Result::Stale) << "a duplicate";
}

TEST(BookSync, keepsAUsdmDiffEndingAtTheSnapshotIdButDropsOlderOnes) {
  BookSyncFixture f(Market::UsdM);
  f.diff(1, 5, 0);
  f.diff(6, 10, 5);  // u == L: kept on USD-M (drop only u < L), and it brackets L
  f.diff(11, 12, 10);
  EXPECT_EQ(f.snapshot(10), Result::Applied);
  EXPECT_EQ(f.rec.chainIds(), (std::vector<uint64_t>{10, 10, 12}));
  EXPECT_EQ(f.rec.pieces[1].prev_update_id, 5u);
}

TEST(BookSync, appliesASpotFirstDiffThatBracketsTheSnapshotIdPlusOne) {
  for (uint64_t firstU : {uint64_t{5}, uint64_t{11}}) {  // U <= L + 1 <= u with L = 10
    BookSyncFixture f(Market::Spot);
    f.diff(firstU, 13);
    EXPECT_EQ(f.snapshot(10), Result::Applied) << "U=" << firstU;
    EXPECT_EQ(f.sync.bookUpdateId(), 13u);
  }
}

TEST(BookSync, refusesASpotSnapshotOlderThanTheFirstBufferedDiff) {
  BookSyncFixture f(Market::Spot);
  f.diff(12, 15);  // U > L + 1: the update 11 is missing
  EXPECT_EQ(f.snapshot(10), Result::SnapshotTooOld);
  EXPECT_TRUE(f.rec.pieces.empty());
  EXPECT_EQ(f.sync.state(), State::AwaitingSnapshot);
  EXPECT_EQ(f.sync.buffered(), 1u) << "kept for the next snapshot";
  EXPECT_EQ(f.snapshot(13), Result::Applied);
  EXPECT_EQ(f.rec.chainIds(), (std::vector<uint64_t>{13, 15}));
}

TEST(BookSync, requiresTheFirstUsdmDiffToStartAtOrBeforeTheSnapshotId) {
  BookSyncFixture f(Market::UsdM);
  f.diff(11, 15, 9);  // U == L + 1 would do on spot, not on USD-M (U <= L <= u)
  EXPECT_EQ(f.snapshot(10), Result::SnapshotTooOld);
  EXPECT_EQ(f.snapshot(11), Result::Applied);
  EXPECT_EQ(f.rec.chainIds(), (std::vector<uint64_t>{11, 15}));
}

TEST(BookSync, reportsAGapWhenTheFirstLiveDiffAfterASnapshotDoesNotBracketIt) {
  BookSyncFixture f(Market::Spot);
  EXPECT_EQ(f.snapshot(10), Result::Applied) << "nothing buffered: the snapshot starts the book";
  EXPECT_EQ(f.diff(13, 14), Result::Gap);
  EXPECT_EQ(f.sync.state(), State::NeedsResync);
}

TEST(BookSync, detectsASpotGapWhenUIsNotThePreviousUPlusOne) {
  BookSyncFixture f(Market::Spot);
  f.snapshot(10);
  EXPECT_EQ(f.diff(11, 12), Result::Applied);
  EXPECT_EQ(f.diff(14, 15), Result::Gap);
  EXPECT_EQ(f.sync.state(), State::NeedsResync);
  const size_t emitted = f.rec.pieces.size();
  EXPECT_EQ(f.diff(16, 17), Result::Buffered) << "after a gap, diffs wait for a new snapshot";
  EXPECT_EQ(f.rec.pieces.size(), emitted);
  EXPECT_EQ(f.snapshot(15), Result::Applied) << "the gap diff was kept: the new snapshot may sit inside it";
  EXPECT_EQ(f.sync.state(), State::Synced);
  EXPECT_EQ(f.rec.chainIds().back(), 17u);
  EXPECT_NE(f.rec.pieces[emitted].flags & BookDelta::kClearBook, 0) << "a resync starts with a cleared book";
}

TEST(BookSync, detectsAUsdmGapWhenPuIsNotThePreviousU) {
  BookSyncFixture f(Market::UsdM);
  f.snapshot(100);
  EXPECT_EQ(f.diff(90, 120, 80), Result::Applied);
  EXPECT_EQ(f.diff(500, 530, 120), Result::Applied) << "USD-M ids are sparse: U need not be prev u + 1";
  EXPECT_EQ(f.diff(600, 640, 560), Result::Gap);
  EXPECT_EQ(f.sync.state(), State::NeedsResync);
}

TEST(BookSync, detectsAUsdmGapAmongTheBufferedDiffsItReleases) {
  BookSyncFixture f(Market::UsdM);
  f.diff(5, 12, 4);
  f.diff(13, 20, 11);  // pu should be 12
  f.diff(21, 30, 20);
  EXPECT_EQ(f.snapshot(10), Result::Gap);
  EXPECT_EQ(f.sync.state(), State::NeedsResync);
  EXPECT_EQ(f.rec.chainIds(), (std::vector<uint64_t>{10, 12}));
  EXPECT_EQ(f.sync.buffered(), 2u) << "the gap diff and what follows wait for the next snapshot";
}

TEST(BookSync, splitsASnapshotAtMaxLevelsWithContinuationOnAllButTheLastPiece) {
  BookSyncFixture f(Market::UsdM);
  ASSERT_EQ(f.snapshot(50, 20, 20), Result::Applied);  // 40 levels: 16 + 16 + 8
  ASSERT_EQ(f.rec.pieces.size(), 3u);
  const uint16_t expected[] = {BookDelta::kClearBook | BookDelta::kFromSnapshot | BookDelta::kContinuation,
                               BookDelta::kFromSnapshot | BookDelta::kContinuation, BookDelta::kFromSnapshot};
  const uint16_t counts[] = {16, 16, 8};
  for (size_t i = 0; i < 3; ++i) {
    const BookDelta& p = f.rec.pieces[i];
    EXPECT_EQ(p.flags, expected[i]) << i;
    EXPECT_EQ(p.header.flags, expected[i]) << i;
    EXPECT_EQ(p.count, counts[i]) << i;
    EXPECT_EQ(p.header.size, BookDelta::sizeFor(counts[i])) << i;
    EXPECT_EQ(p.first_update_id, 50u);
    EXPECT_EQ(p.last_update_id, 50u);
  }
  EXPECT_EQ(f.rec.pieces[1].levels[3].side, common::Side::Buy);   // level 19: the last bid
  EXPECT_EQ(f.rec.pieces[1].levels[4].side, common::Side::Sell);  // level 20: the first ask
  EXPECT_EQ(f.rec.pieces[1].levels[4].price, 1001);
}

TEST(BookSync, splitsALargeDiffTheSameWayWithItsUpdateIdsOnEveryPiece) {
  BookSyncFixture f(Market::UsdM);
  f.snapshot(10);
  f.rec.pieces.clear();
  EXPECT_EQ(f.diff(9, 20, 8, 17), Result::Applied);
  ASSERT_EQ(f.rec.pieces.size(), 2u);
  EXPECT_EQ(f.rec.pieces[0].flags, BookDelta::kContinuation);
  EXPECT_EQ(f.rec.pieces[1].flags, 0);
  EXPECT_EQ(f.rec.pieces[1].count, 1);
  for (const auto& p : f.rec.pieces) {
    EXPECT_EQ(p.first_update_id, 9u);
    EXPECT_EQ(p.last_update_id, 20u);
    EXPECT_EQ(p.prev_update_id, 8u);
  }
}

TEST(BookSync, emitsAnEmptyDiffAsOneEmptyPieceSoItsUpdateIdsAreSeen) {
  BookSyncFixture f(Market::Spot);
  f.snapshot(10);
  EXPECT_EQ(f.diff(11, 12, 0, 0), Result::Applied);
  EXPECT_EQ(f.rec.pieces.back().count, 0);
  EXPECT_EQ(f.rec.pieces.back().last_update_id, 12u);
  EXPECT_EQ(f.rec.pieces.back().header.size, BookDelta::kFixedBytes);
}

TEST(BookSync, ignoresASnapshotNoNewerThanTheSyncedBookAndRestartsFromANewerOne) {
  BookSyncFixture f(Market::Spot);
  f.snapshot(10);
  f.diff(11, 20);
  const size_t n = f.rec.pieces.size();
  EXPECT_EQ(f.snapshot(15), Result::Stale);
  EXPECT_EQ(f.rec.pieces.size(), n);
  EXPECT_EQ(f.snapshot(30), Result::Applied);
  EXPECT_EQ(f.diff(21, 25), Result::Stale) << "covered by the newer snapshot";
  EXPECT_EQ(f.diff(26, 33), Result::Applied);
}

TEST(BookSync, dropsTheOldestBufferedDiffsWhenItsBufferIsFull) {
  BookSyncFixture f(Market::Spot, 2, 1u << 10);
  f.diff(1, 2);
  f.diff(3, 4);
  f.diff(5, 6);
  EXPECT_EQ(f.sync.buffered(), 2u);
  EXPECT_EQ(f.sync.droppedForSpace(), 1u);
  EXPECT_EQ(f.snapshot(1), Result::SnapshotTooOld) << "the diff 1..2 it needed was dropped";
  EXPECT_EQ(f.snapshot(4), Result::Applied);
}

TEST(BookSync, forgetsBookAndBufferOnReset) {
  BookSyncFixture f(Market::Spot);
  f.snapshot(10);
  f.diff(11, 12);
  f.sync.reset();
  EXPECT_EQ(f.sync.state(), State::AwaitingSnapshot);
  EXPECT_EQ(f.sync.bookUpdateId(), 0u);
  EXPECT_EQ(f.diff(13, 14), Result::Buffered);
}

static_assert(noexcept(std::declval<BookSync&>().onDiff(std::declval<const ParsedDepth&>(), 0,
                                                         std::declval<BookSync::Sink>())));

}  // namespace
