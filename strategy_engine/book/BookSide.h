#pragma once
#include <algorithm>
#include <bit>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace hft::strategy_engine {

/// One side of an L2 book as a flat ladder over a window of N = 2^windowLog2 consecutive keys,
/// where a higher key is a better price: bids use key = tick number, asks key = -tick number,
/// so both sides share this code and "best" is always the highest non-empty key.
///
/// Storage is a ring indexed by key mod N (slot), valid for keys in [lo, lo + N): moving the
/// window only changes `lo` and clears the levels that leave it, never copies the ladder.
/// A bitmap marks non-empty slots (one bit per slot) with a summary bit per 64-slot word, so
/// finding the next level below a removed best skips 64 empty ticks per word and 4096 per
/// summary word: for N = 2^16, at most 16 summary words are read.
///
/// Window policy (the side is the truth for its best level, approximate only in deep levels):
///   - an empty side places the window around the first level it gets, N/4 keys
///     above it (room for prices to improve) and 3N/4 - 1 below (depth);
///   - a level better than the window moves it up to the same placement: levels that fall
///     below the new window (3N/4 or more keys worse than the new best) are evicted and
///     counted (evictedLevels);
///   - a level worse than the window moves it down when it can do so without dropping the
///     best level (key > best - N); otherwise the level is ignored and counted
///     (farLevelsIgnored). Its later removal is a no-op. A venue snapshot restores such levels
///     if prices ever come back to them.
/// All members are noexcept and allocation-free after construction; single-threaded.
class BookSide {
 public:
  static constexpr uint32_t kMinWindowLog2 = 6;   // one bitmap word
  static constexpr uint32_t kMaxWindowLog2 = 24;  // 128 MiB of quantities per side

  /// Throws std::invalid_argument when windowLog2 is outside [kMinWindowLog2, kMaxWindowLog2].
  explicit BookSide(uint32_t windowLog2)
      : n_(windowLog2 >= kMinWindowLog2 && windowLog2 <= kMaxWindowLog2
               ? int64_t{1} << windowLog2
               : throw std::invalid_argument("book window log2 must be in [6, 24]")),
        mask_(static_cast<uint64_t>(n_ - 1)),
        qty_(static_cast<size_t>(n_), 0),
        bits_(static_cast<size_t>(n_ >> 6), 0),
        summary_(static_cast<size_t>(((n_ >> 6) + 63) >> 6), 0) {}

  bool empty() const noexcept { return levels_ == 0; }
  /// Number of non-empty levels held.
  uint32_t levels() const noexcept { return levels_; }
  /// Valid only when !empty().
  int64_t bestKey() const noexcept { return best_; }
  int64_t bestQty() const noexcept { return levels_ ? qty_[slot(best_)] : 0; }
  int64_t qtyAt(int64_t key) const noexcept { return inWindow(key) ? qty_[slot(key)] : 0; }
  int64_t windowTicks() const noexcept { return n_; }
  /// Lowest key of the window (meaningful only when !empty()).
  int64_t windowLow() const noexcept { return lo_; }

  /// Sets the level's total quantity (> 0), or removes it (0). qty must not be negative.
  void set(int64_t key, int64_t qty) noexcept {
    if (!inWindow(key) || levels_ == 0) [[unlikely]] {
      if (qty == 0) return;  // removing a level this side does not hold
      if (!moveWindowFor(key)) return;
    }
    // Branch-free bookkeeping (selects): whether an update adds, changes or removes a level
    // is as unpredictable as the market; only a removal of the best level branches.
    const uint64_t s = slot(key), w = s >> 6, bit = uint64_t{1} << (s & 63), wordBit = uint64_t{1} << (w & 63);
    const bool had = qty_[s] != 0, has = qty != 0;
    qty_[s] = qty;
    const uint64_t word = has ? bits_[w] | bit : bits_[w] & ~bit;
    bits_[w] = word;
    uint64_t& summary = summary_[w >> 6];
    summary = word != 0 ? summary | wordBit : summary & ~wordBit;
    const uint32_t before = levels_;
    levels_ = before + has - had;
    best_ = has && (before == 0 || key > best_) ? key : best_;
    if (!has && had && key == best_ && levels_ != 0) [[unlikely]] nextBelow(key, best_);
  }

  /// The next non-empty key strictly below `key` (a key held by this side), in `out`; false
  /// when there is none.
  bool nextBelow(int64_t key, int64_t& out) const noexcept {
    const uint64_t from = slot(key - 1);
    int64_t hit = lowestAtOrAbove(from);
    if (hit < 0) hit = lowestAtOrAbove(0);  // wrap: the ring continues at slot 0
    if (hit < 0) return false;
    // Every set slot belongs to a key in [lo, lo + N); walking down from key - 1 meets keys
    // below lo only in slots of keys above the best, which are empty, or key's own slot.
    const int64_t found = key - 1 - static_cast<int64_t>((static_cast<uint64_t>(hit) - from) & mask_);
    if (found < lo_) return false;
    out = found;
    return true;
  }

  /// Calls f(key, qty) for the best min(n, levels()) levels, best first; returns how many.
  /// Walks the ring from the best's slot towards worse keys, popping bits word by word: since
  /// every set bit is a level of the window, the walk meets them in key order and stops after
  /// the last one.
  template <class F>
  uint32_t visit(uint32_t n, F&& f) const noexcept {
    n = std::min(n, levels_);
    if (n == 0) return 0;
    const uint64_t start = slot(best_);
    uint64_t w = start >> 6;
    uint64_t m = bits_[w] & (~uint64_t{0} << (start & 63));
    for (uint32_t i = 0; i < n; ++i) {
      while (m == 0) {
        w = nextWord(w);
        m = bits_[w];
      }
      const uint64_t s = (w << 6) | static_cast<uint64_t>(std::countr_zero(m));
      m &= m - 1;  // one-cycle dependency from level to level
      f(best_ - static_cast<int64_t>((s - start) & mask_), qty_[s]);
    }
    return n;
  }

  /// Removes every level; the window is placed again by the next level set.
  void clear() noexcept {
    for (size_t sw = 0; sw < summary_.size(); ++sw) {
      for (uint64_t words = summary_[sw]; words != 0; words &= words - 1) {
        const size_t w = (sw << 6) | static_cast<size_t>(std::countr_zero(words));
        for (uint64_t b = bits_[w]; b != 0; b &= b - 1) qty_[(w << 6) | static_cast<size_t>(std::countr_zero(b))] = 0;
        bits_[w] = 0;
      }
      summary_[sw] = 0;
    }
    levels_ = 0;
  }

  uint64_t farLevelsIgnored() const noexcept { return farIgnored_; }
  uint64_t evictedLevels() const noexcept { return evicted_; }
  uint64_t windowMoves() const noexcept { return moves_; }

 private:
  int64_t headroom() const noexcept { return n_ >> 2; }
  bool inWindow(int64_t key) const noexcept { return static_cast<uint64_t>(key - lo_) < static_cast<uint64_t>(n_); }
  // Reversed (slot = -key mod N) so that walking to worse prices walks up the bitmap, where
  // the next level is countr_zero and dropping it is m & (m - 1).
  uint64_t slot(int64_t key) const noexcept { return (uint64_t{0} - static_cast<uint64_t>(key)) & mask_; }

  /// Moves the window so that it holds `key` (outside it, qty > 0); false when key is ignored.
  bool moveWindowFor(int64_t key) noexcept {
    const int64_t placed = key + headroom() - n_ + 1;  // lo that leaves headroom above key
    if (levels_ == 0) {
      lo_ = placed;
    } else if (key > best_) {
      evictBelow(placed);
      lo_ = placed;
      ++moves_;
    } else if (key > best_ - n_) {
      lo_ = std::min(key, best_ + headroom() - n_ + 1);  // keys leaving the top are above best: empty
      ++moves_;
    } else {
      ++farIgnored_;
      return false;
    }
    return true;
  }

  /// Clears the levels with keys in [lo_, newLo) (the window moves up to newLo): the slots
  /// from slot(newLo - 1) upwards, newLo - lo_ of them, word by word.
  void evictBelow(int64_t newLo) noexcept {
    if (newLo - lo_ >= n_) {
      evicted_ += levels_;
      clear();
      return;
    }
    uint64_t s = slot(newLo - 1);
    for (auto left = static_cast<uint64_t>(newLo - lo_); left != 0 && levels_ != 0;) {
      const uint64_t w = s >> 6, b = s & 63;
      const uint64_t span = std::min<uint64_t>(64 - b, left);
      const uint64_t range = (span == 64 ? ~uint64_t{0} : (uint64_t{1} << span) - 1) << b;
      for (uint64_t hit = bits_[w] & range; hit != 0; hit &= hit - 1) {
        qty_[(w << 6) | static_cast<uint64_t>(std::countr_zero(hit))] = 0;
        --levels_;
        ++evicted_;
      }
      bits_[w] &= ~range;
      if (bits_[w] == 0) summary_[w >> 6] &= ~(uint64_t{1} << (w & 63));
      s = (s + span) & mask_;
      left -= span;
    }
  }

  /// Lowest set slot >= s (no wrap), or -1.
  int64_t lowestAtOrAbove(uint64_t s) const noexcept {
    const uint64_t w = s >> 6;
    if (const uint64_t m = bits_[w] & (~uint64_t{0} << (s & 63))) return first(w, m);
    uint64_t sw = w >> 6;
    uint64_t words = summary_[sw] & ((~uint64_t{0} << (w & 63)) << 1);  // words above w
    for (;;) {
      if (words != 0) {
        const uint64_t ww = (sw << 6) | static_cast<uint64_t>(std::countr_zero(words));
        return first(ww, bits_[ww]);
      }
      if (++sw == summary_.size()) return -1;
      words = summary_[sw];
    }
  }
  /// The nearest non-empty word above w, wrapping to 0; there must be one.
  uint64_t nextWord(uint64_t w) const noexcept {
    uint64_t sw = w >> 6;
    uint64_t words = summary_[sw] & ((~uint64_t{0} << (w & 63)) << 1);
    while (words == 0) {
      sw = sw + 1 == summary_.size() ? 0 : sw + 1;
      words = summary_[sw];
    }
    return (sw << 6) | static_cast<uint64_t>(std::countr_zero(words));
  }
  static int64_t first(uint64_t w, uint64_t m) noexcept {
    return static_cast<int64_t>((w << 6) | static_cast<uint64_t>(std::countr_zero(m)));
  }

  int64_t n_;
  uint64_t mask_;
  int64_t lo_ = 0;
  int64_t best_ = 0;
  uint32_t levels_ = 0;
  uint64_t farIgnored_ = 0;
  uint64_t evicted_ = 0;
  uint64_t moves_ = 0;
  std::vector<int64_t> qty_;       // by slot; 0 = empty
  std::vector<uint64_t> bits_;     // bit per slot: qty_ != 0
  std::vector<uint64_t> summary_;  // bit per bits_ word: word != 0
};

}  // namespace hft::strategy_engine
