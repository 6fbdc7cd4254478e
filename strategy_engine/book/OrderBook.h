#pragma once
#include <algorithm>
#include <cstdint>
#include <span>

#include "common/Events.h"
#include "strategy_engine/book/BookSide.h"
#include "strategy_engine/book/TickGrid.h"

namespace hft::strategy_engine {

/// What apply() did with an event.
enum class ApplyStatus : uint8_t {
  Ok = 0,              ///< every level applied (levels too far from the best are ignored by design: stats())
  LevelsRejected = 1,  ///< some levels skipped: price off the tick grid or <= 0, qty < 0, or side None
  BadEvent = 2,        ///< BookDelta count above kMaxLevels: nothing applied
};

/// Cumulative counters of one book (read by a cold thread or after a run).
struct OrderBookStats {
  uint64_t rejected_levels = 0;     ///< see ApplyStatus::LevelsRejected
  uint64_t bad_events = 0;          ///< see ApplyStatus::BadEvent
  uint64_t far_levels_ignored = 0;  ///< levels N or more ticks worse than the best (BookSide)
  uint64_t evicted_levels = 0;      ///< deep levels dropped when the window followed the price
  uint64_t window_moves = 0;        ///< re-centerings of either side with levels held
};

/// L2 book of one instrument: the quantity at every price tick near the top, in flat arrays
/// (see BookSide for the window over ticks, its re-centering and what it drops). Built for the
/// strategy thread: one writer, no locks; apply and every query are noexcept, never allocate,
/// and take O(1) time on typical updates (a best-level removal scans a bitmap to the next level).
///
/// Prices are raw fixed-point at the instrument's price scale and must lie on the tick grid;
/// quantities are raw at its qty scale. Queries on an empty side return price 0 and qty 0.
class OrderBook {
 public:
  static constexpr uint32_t kDefaultWindowLog2 = 16;  // 65536 ticks per side, 1 MiB per book

  /// Throws std::invalid_argument when tick <= 0 or windowLog2 is outside BookSide's range.
  explicit OrderBook(int64_t tick, uint32_t windowLog2 = kDefaultWindowLog2);

  /// Applies a batch of level updates in order (qty 0 removes a level); kClearBook empties the
  /// book first (a REST snapshot's first piece carries it; kFromSnapshot needs nothing more).
  /// Records last_update_id and whether more pieces of the batch follow (midBatch()).
  ApplyStatus apply(const common::BookDelta& delta) noexcept;
  /// Replaces the book with the snapshot's levels (entries with qty 0 are unused).
  ApplyStatus apply(const common::BookSnapshot& snapshot) noexcept;
  void clear() noexcept;

  common::BookLevel bestBid() const noexcept { return level(bids(), 1); }
  common::BookLevel bestAsk() const noexcept { return level(asks(), -1); }
  /// The i-th best level (0 = best), or {0, 0} when the side has fewer levels. O(i).
  common::BookLevel bidLevel(uint32_t i) const noexcept { return nth(bids(), 1, i); }
  common::BookLevel askLevel(uint32_t i) const noexcept { return nth(asks(), -1, i); }
  /// Fills `out` with the best levels of one side, best first; returns how many were filled.
  /// Inline: a strategy calls it per update, and the loop is a few instructions per level.
  uint32_t topLevels(common::Side side, std::span<common::BookLevel> out) const noexcept {
    if (side != common::Side::Buy && side != common::Side::Sell) return 0;
    const bool bid = side == common::Side::Buy;
    const int64_t priceStep = bid ? grid_.tick() : -grid_.tick();  // price = key * step
    common::BookLevel* o = out.data();
    const auto n = static_cast<uint32_t>(std::min<size_t>(out.size(), UINT32_MAX));
    return sides_[!bid].visit(n, [&](int64_t key, int64_t qty) { *o++ = {key * priceStep, qty}; });
  }
  /// Quantity resting at `price` (0 when none, off the grid, or side None).
  int64_t qtyAt(common::Side side, int64_t price) const noexcept;
  /// Sum of the quantities of the best nLevels levels of one side.
  int64_t depth(common::Side side, uint32_t nLevels) const noexcept;

  /// bid + ask, exact (the mid without rounding); 0 when either side is empty.
  int64_t midTimes2() const noexcept {
    return bids().empty() || asks().empty() ? 0 : grid_.toPrice(bids().bestKey() - asks().bestKey());
  }
  /// (bid + ask) / 2 as a double; 0 when either side is empty.
  double mid() const noexcept { return static_cast<double>(midTimes2()) * 0.5; }
  /// Size-weighted mid (bid * askQty + ask * bidQty) / (bidQty + askQty): leans towards the
  /// side with less quantity. 0 when either side is empty.
  double microprice() const noexcept;
  /// ask - bid in ticks (negative when crossed); 0 when either side is empty.
  int64_t spreadTicks() const noexcept {
    return bids().empty() || asks().empty() ? 0 : -asks().bestKey() - bids().bestKey();
  }
  /// Both sides empty.
  bool empty() const noexcept { return bids().empty() && asks().empty(); }
  /// Best bid >= best ask (crossed or locked): never true of a consistent venue book, so a
  /// sign of a missed update.
  bool crossed() const noexcept { return !bids().empty() && !asks().empty() && bids().bestKey() >= -asks().bestKey(); }
  /// Number of non-empty levels held on one side.
  uint32_t levelCount(common::Side side) const noexcept;

  /// last_update_id of the last event applied (0 before any).
  uint64_t lastUpdateId() const noexcept { return lastUpdateId_; }
  /// The last BookDelta carried kContinuation: the batch is incomplete, derived values may mix
  /// old and new levels.
  bool midBatch() const noexcept { return midBatch_; }
  int64_t tick() const noexcept { return grid_.tick(); }
  int64_t windowTicks() const noexcept { return bids().windowTicks(); }
  OrderBookStats stats() const noexcept;

 private:
  const BookSide& bids() const noexcept { return sides_[0]; }
  const BookSide& asks() const noexcept { return sides_[1]; }
  // sign: +1 for bids (key = tick number), -1 for asks (key = -tick number).
  common::BookLevel level(const BookSide& s, int64_t sign) const noexcept {
    return s.empty() ? common::BookLevel{0, 0} : common::BookLevel{grid_.toPrice(sign * s.bestKey()), s.bestQty()};
  }
  common::BookLevel nth(const BookSide& s, int64_t sign, uint32_t i) const noexcept;
  bool setLevel(common::Side side, int64_t price, int64_t qty) noexcept;

  TickGrid grid_;
  BookSide sides_[2];  // [0] bids, [1] asks: indexed, so one inlined set() serves both
  uint64_t lastUpdateId_ = 0;
  bool midBatch_ = false;
  uint64_t rejected_ = 0;
  uint64_t badEvents_ = 0;
};

}  // namespace hft::strategy_engine
