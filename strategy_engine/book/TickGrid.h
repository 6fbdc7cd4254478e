#pragma once
#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace hft::strategy_engine {

/// The price grid of one instrument: raw price <-> tick number, rejecting prices off the grid.
/// A book converts every level it applies, so the division is done as one multiply: with
/// tick = odd * 2^k and inv = odd^-1 mod 2^64, a price n > 0 is a multiple of tick iff
/// q = rotr(n * inv, k) <= UINT64_MAX / tick, and then q == n / tick exactly (Granlund and
/// Montgomery 1994; Hacker's Delight 10-17).
class TickGrid {
 public:
  static constexpr uint64_t kMaxTicks = uint64_t{1} << 62;

  /// Throws std::invalid_argument when tick <= 0 (start-up only).
  explicit TickGrid(int64_t tick) : tick_(tick) {
    if (tick <= 0) throw std::invalid_argument("tick size must be > 0");
    const auto t = static_cast<uint64_t>(tick);
    shift_ = std::countr_zero(t);
    const uint64_t odd = t >> shift_;
    uint64_t inv = odd;  // correct to 3 bits (odd * odd == 1 mod 8); Newton doubles the bits
    for (int i = 0; i < 5; ++i) inv *= 2 - odd * inv;
    inverse_ = inv;
    // Tick numbers stay below 2^62 so that keys +- a window never overflow.
    limit_ = std::min(std::numeric_limits<uint64_t>::max() / t, kMaxTicks);
  }

  /// Tick number of `price`; false when price <= 0, price is not a multiple of the tick, or the
  /// tick number exceeds kMaxTicks.
  [[nodiscard]] bool toTicks(int64_t price, int64_t& ticks) const noexcept {
    const uint64_t q = std::rotr(static_cast<uint64_t>(price) * inverse_, shift_);
    ticks = static_cast<int64_t>(q);
    return price > 0 && q <= limit_;
  }
  int64_t toPrice(int64_t ticks) const noexcept { return ticks * tick_; }
  int64_t tick() const noexcept { return tick_; }

 private:
  int64_t tick_;
  uint64_t inverse_;
  uint64_t limit_;
  int shift_;
};

}  // namespace hft::strategy_engine
