// The flat-array book against a std::map reference over long random sequences: a random-walk
// mid with jumps of several windows, level updates and removals around it, batches split with
// kContinuation, clears, snapshots, off-grid prices and removals of absent levels. The walk
// crosses the window (and the ring) many times; after every event the best levels, the top 5,
// derived values and qtyAt must agree.
//
// The generator keeps every level within D ticks of the mid (removing the ones a move leaves
// behind first in the batch, as a venue would), and D + 2 < 3/4 of the window: by BookSide's
// window rules nothing may then be evicted or ignored, which the test also checks.
#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <map>
#include <random>
#include <vector>

#include "BookEvents.h"
#include "strategy_engine/book/OrderBook.h"

using namespace hft;
using namespace hft::strategy_engine;
using common::BookDelta;
using common::BookLevel;
using common::Side;

namespace {

struct RefBook {
  std::map<int64_t, int64_t, std::greater<>> bids;  // price -> qty, best first
  std::map<int64_t, int64_t> asks;

  void set(Side s, int64_t price, int64_t qty) {
    if (s == Side::Buy) setIn(bids, price, qty);
    else setIn(asks, price, qty);
  }
  template <class M>
  static void setIn(M& m, int64_t price, int64_t qty) {
    if (qty == 0) m.erase(price);
    else m[price] = qty;
  }
  template <class M>
  static BookLevel nth(const M& m, size_t i) {
    if (i >= m.size()) return {0, 0};
    auto it = m.begin();
    std::advance(it, i);
    return {it->first, it->second};
  }
  void clear() {
    bids.clear();
    asks.clear();
  }
};

struct Params {
  int64_t tick;
  uint32_t windowLog2;
  int64_t band;  // D: levels stay within this many ticks of the mid
  int steps;
};

void PrintTo(const Params& p, std::ostream* os) {
  *os << "tick " << p.tick << ", window 2^" << p.windowLog2 << ", band " << p.band << ", " << p.steps << " steps";
}

class OrderBookRandom : public ::testing::TestWithParam<Params> {};

void expectSameLevel(const BookLevel& got, const BookLevel& want, const char* what, size_t i, int step) {
  ASSERT_EQ(got.price, want.price) << what << " level " << i << " at step " << step;
  ASSERT_EQ(got.qty, want.qty) << what << " level " << i << " at step " << step;
}

void compare(const OrderBook& b, const RefBook& r, int step, std::mt19937_64& rng, int64_t tick, int64_t mid,
             int64_t band, bool full, std::vector<BookLevel>& scratch) {
  expectSameLevel(b.bestBid(), RefBook::nth(r.bids, 0), "best bid", 0, step);
  expectSameLevel(b.bestAsk(), RefBook::nth(r.asks, 0), "best ask", 0, step);
  std::array<BookLevel, 5> top{};
  ASSERT_EQ(b.topLevels(Side::Buy, top), std::min<size_t>(5, r.bids.size())) << step;
  for (size_t i = 0; i < 5; ++i) {
    expectSameLevel(b.bidLevel(static_cast<uint32_t>(i)), RefBook::nth(r.bids, i), "bid", i, step);
    expectSameLevel(b.askLevel(static_cast<uint32_t>(i)), RefBook::nth(r.asks, i), "ask", i, step);
    if (i < r.bids.size()) expectSameLevel(top[i], RefBook::nth(r.bids, i), "top bid", i, step);
  }
  int64_t depth5 = 0;
  for (size_t i = 0; i < 5; ++i) depth5 += RefBook::nth(r.asks, i).qty;
  ASSERT_EQ(b.depth(Side::Sell, 5), depth5) << step;
  ASSERT_EQ(b.levelCount(Side::Buy), r.bids.size()) << step;
  ASSERT_EQ(b.levelCount(Side::Sell), r.asks.size()) << step;
  const bool twoSided = !r.bids.empty() && !r.asks.empty();
  const int64_t bid = twoSided ? r.bids.begin()->first : 0, ask = twoSided ? r.asks.begin()->first : 0;
  ASSERT_EQ(b.crossed(), twoSided && bid >= ask) << step;
  ASSERT_EQ(b.midTimes2(), bid + ask) << step;
  ASSERT_EQ(b.spreadTicks(), (ask - bid) / tick) << step;
  ASSERT_EQ(b.empty(), r.bids.empty() && r.asks.empty()) << step;
  // qtyAt on random prices around the mid (mostly empty ticks) and on held levels.
  std::uniform_int_distribution<int64_t> near(mid - band - 3, mid + band + 3);
  for (int i = 0; i < 4; ++i) {
    const int64_t p = near(rng) * tick;
    const auto bi = r.bids.find(p);
    const auto ai = r.asks.find(p);
    ASSERT_EQ(b.qtyAt(Side::Buy, p), bi == r.bids.end() ? 0 : bi->second) << step;
    ASSERT_EQ(b.qtyAt(Side::Sell, p), ai == r.asks.end() ? 0 : ai->second) << step;
  }
  if (!full) return;
  scratch.resize(r.bids.size() + r.asks.size() + 1);
  ASSERT_EQ(b.topLevels(Side::Buy, scratch), r.bids.size()) << step;
  size_t i = 0;
  for (const auto& [p, q] : r.bids) {
    expectSameLevel(scratch[i], {p, q}, "full bid", i, step);
    ++i;
  }
  ASSERT_EQ(b.topLevels(Side::Sell, scratch), r.asks.size()) << step;
  i = 0;
  for (const auto& [p, q] : r.asks) {
    expectSameLevel(scratch[i], {p, q}, "full ask", i, step);
    ASSERT_EQ(b.qtyAt(Side::Sell, p), q) << step;
    ++i;
  }
}

TEST_P(OrderBookRandom, agreesWithAMapReferenceAfterEveryEvent) {
  const Params prm = GetParam();
  const int64_t window = int64_t{1} << prm.windowLog2;
  ASSERT_LT(prm.band + 2, window * 3 / 4) << "the generator's promise that nothing is evicted";
  OrderBook book(prm.tick, prm.windowLog2);
  RefBook ref;
  std::mt19937_64 rng(20240611 + prm.windowLog2);
  std::vector<BookLevel> scratch;
  scratch.reserve(4 * static_cast<size_t>(prm.band) + 8);

  int64_t mid = 10'000'000;  // in ticks
  uint64_t updateId = 0;
  uint64_t offGrid = 0;
  uint64_t totalLevels = 0;
  auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  auto rare = [&](int permille) { return static_cast<int>(rng() % 1000) < permille; };
  auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };

  std::vector<common::PriceLevelUpdate> batch;
  for (int step = 0; step < prm.steps; ++step) {
    // 1. Move the mid: a small step, or now and then a jump of up to 4 windows.
    mid += rare(5) ? uniform(-4 * window, 4 * window) : uniform(-8, 8);
    if (mid < 4 * window + prm.band) mid = 4 * window + prm.band + 10;

    if (rare(4)) {  // a snapshot of the reference's top 10, like a depth stream would send
      common::BookSnapshot s{};
      s.header = common::makeHeader<common::BookSnapshot>(common::ExchangeId::Simulated, 1, 1, 1);
      RefBook next;
      for (const auto& [p, q] : ref.bids) {
        if (s.bid_count == common::BookSnapshot::kDepth) break;
        if (p / prm.tick < mid - prm.band || p / prm.tick > mid + 2) continue;
        s.bids[s.bid_count++] = {p, q};
        next.bids[p] = q;
      }
      for (const auto& [p, q] : ref.asks) {
        if (s.ask_count == common::BookSnapshot::kDepth) break;
        if (p / prm.tick > mid + prm.band || p / prm.tick < mid - 2) continue;
        s.asks[s.ask_count++] = {p, q};
        next.asks[p] = q;
      }
      s.last_update_id = ++updateId;
      ASSERT_EQ(book.apply(s), ApplyStatus::Ok);
      ref = std::move(next);
      compare(book, ref, step, rng, prm.tick, mid, prm.band, true, scratch);
      if (HasFatalFailure()) return;
      continue;
    }

    // 2. The batch: removals of levels the move left outside the band first, then updates.
    batch.clear();
    const bool clearFirst = rare(4);
    if (clearFirst) ref.clear();
    for (const auto& [p, q] : ref.bids)
      if (p / prm.tick < mid - prm.band || p / prm.tick > mid + 2) batch.push_back({p, 0, Side::Buy, {}});
    for (const auto& [p, q] : ref.asks)
      if (p / prm.tick > mid + prm.band || p / prm.tick < mid - 2) batch.push_back({p, 0, Side::Sell, {}});
    const int64_t updates = clearFirst ? uniform(1, 40) : uniform(1, 8);
    for (int64_t i = 0; i < updates; ++i) {
      const Side side = chance(50) ? Side::Buy : Side::Sell;
      // Mostly near the touch, where real updates are; sometimes anywhere in the band.
      const int64_t dist = chance(70) ? uniform(0, 8) : uniform(0, prm.band);
      const int64_t t = side == Side::Buy ? std::min(mid + 2, mid - dist) : std::max(mid - 2, mid + dist);
      int64_t qty = chance(25) ? 0 : uniform(1, 1'000'000);
      if (chance(3)) batch.push_back({(mid + uniform(10 * window, 20 * window)) * prm.tick, 0, side, {}});  // far, absent
      batch.push_back({t * prm.tick, qty, side, {}});
      if (prm.tick > 1 && chance(2)) {
        batch.push_back({t * prm.tick + 1, 5, side, {}});  // off the grid
        ++offGrid;
      }
    }
    if (chance(3)) batch.push_back({mid * prm.tick + (chance(50) ? 1 : -1) * uniform(0, 3), 0, Side::Buy, {}});

    // 3. Send it in pieces of at most 16 levels, checking after every piece.
    for (size_t at = 0; at < batch.size(); at += BookDelta::kMaxLevels) {
      const size_t n = std::min<size_t>(BookDelta::kMaxLevels, batch.size() - at);
      BookDelta d{};
      d.count = static_cast<uint16_t>(n);
      d.header = common::makeHeader<BookDelta>(common::ExchangeId::Simulated, 1, 1, 1, BookDelta::sizeFor(d.count));
      d.first_update_id = d.last_update_id = ++updateId;
      if (at == 0 && clearFirst) d.flags |= BookDelta::kClearBook;
      if (at + n < batch.size()) d.flags |= BookDelta::kContinuation;
      bool anyOffGrid = false;
      for (size_t i = 0; i < n; ++i) {
        const common::PriceLevelUpdate& u = batch[at + i];
        d.levels[i] = u;
        if (u.price % prm.tick != 0) {
          anyOffGrid = true;
        } else {
          ref.set(u.side, u.price, u.qty);
        }
      }
      ASSERT_EQ(book.apply(d), anyOffGrid ? ApplyStatus::LevelsRejected : ApplyStatus::Ok) << step;
      ASSERT_EQ(book.midBatch(), at + n < batch.size());
      ASSERT_EQ(book.lastUpdateId(), updateId);
      compare(book, ref, step, rng, prm.tick, mid, prm.band, step % 64 == 0, scratch);
      if (HasFatalFailure()) return;
    }
    totalLevels += ref.bids.size() + ref.asks.size();
  }
  EXPECT_GE(totalLevels / static_cast<uint64_t>(prm.steps), 15u) << "books deep enough for the top 5 to mean something";
  const OrderBookStats st = book.stats();
  EXPECT_EQ(st.evicted_levels, 0u);
  EXPECT_EQ(st.far_levels_ignored, 0u);
  EXPECT_GE(st.rejected_levels, offGrid);
  // With the default window the walk crosses it only by jumps that empty a side (a placement,
  // not a move); the smaller windows must have followed the walk with levels held.
  if (prm.windowLog2 < 16) {
    EXPECT_GT(st.window_moves, static_cast<uint64_t>(prm.steps / 1000));
  }
}

INSTANTIATE_TEST_SUITE_P(Windows, OrderBookRandom,
                         ::testing::Values(Params{5, 8, 150, 150'000},    // 256 ticks, dense near the touch
                                           Params{4, 6, 40, 150'000},     // 64 ticks: re-centers all the time
                                           Params{10, 16, 30'000, 30'000},  // the default window, sparse levels
                                           Params{1, 10, 700, 60'000}),
                         [](const ::testing::TestParamInfo<Params>& p) {
                           return "tick" + std::to_string(p.param.tick) + "_window2pow" +
                                  std::to_string(p.param.windowLog2);
                         });

}  // namespace
