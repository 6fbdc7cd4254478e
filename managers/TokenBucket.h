#pragma once
// An order-rate limiter refilled from the caller's clock. It never reads a clock itself: the
// executor passes wall time and the backtester passes event time, so a replay admits exactly
// the orders the live run admitted.
#include <cstdint>

#include "common/Ids.h"

namespace hft::managers {

/// `rate` orders per second, at most `burst` at once. In any window of T seconds it admits at
/// most burst + rate * T orders: that is how the figures are matched to a venue's published
/// limits (README.md). Integer arithmetic only: one token is kUnitsPerToken units, and a rate
/// given in thousandths of an order per second refills exactly that many units per nanosecond.
/// Not thread-safe: one owner thread.
class TokenBucket {
 public:
  static constexpr int64_t kUnitsPerToken = 1'000'000'000'000;  ///< 1e12: milli-orders/s -> units/ns
  static constexpr int64_t kMaxBurst = 1'000'000;               ///< keeps burst * kUnitsPerToken < 2^63
  static constexpr int64_t kMaxRateMilli = 1'000'000'000;       ///< 1e6 orders/s

  /// Disabled: admits everything.
  constexpr TokenBucket() noexcept = default;
  /// `rateMilli` thousandths of an order per second (1..kMaxRateMilli), `burst` 1..kMaxBurst
  /// (out-of-range values are clamped: the loader validates them). Starts full at the first time seen.
  constexpr TokenBucket(int64_t rateMilli, int64_t burst) noexcept
      : rate_(clamp(rateMilli, 1, kMaxRateMilli)), capacity_(clamp(burst, 1, kMaxBurst) * kUnitsPerToken) {}

  constexpr bool enabled() const noexcept { return rate_ > 0; }

  /// Refills up to `now` and says whether one order fits. Time that goes backwards (a replay
  /// restarted, clock step) refills nothing and is not remembered.
  [[nodiscard]] constexpr bool available(common::TimestampNs now) noexcept {
    if (!enabled()) return true;
    refill(now);
    return level_ >= kUnitsPerToken;
  }

  /// Takes one token. Called after available() said yes; without that it may run into debt
  /// (bounded by one burst), which later refills pay back.
  constexpr void consume() noexcept {
    if (!enabled()) return;
    level_ -= kUnitsPerToken;
    if (level_ < -capacity_) level_ = -capacity_;
  }

  /// available() then consume() when it fits.
  [[nodiscard]] constexpr bool tryConsume(common::TimestampNs now) noexcept {
    if (!available(now)) return false;
    consume();
    return true;
  }

  /// Whole tokens left as of the last refill (negative in debt).
  constexpr int64_t tokens() const noexcept { return enabled() ? level_ / kUnitsPerToken : 0; }
  constexpr int64_t rateMilli() const noexcept { return rate_; }
  constexpr int64_t burst() const noexcept { return capacity_ / kUnitsPerToken; }

 private:
  static constexpr int64_t clamp(int64_t v, int64_t lo, int64_t hi) noexcept { return v < lo ? lo : v > hi ? hi : v; }

  constexpr void refill(common::TimestampNs now) noexcept {
    if (!started_) {
      started_ = true;
      last_ = now;
      level_ = capacity_;
      return;
    }
    if (now <= last_) return;
    const int64_t elapsed = now - last_;
    last_ = now;
    const int64_t missing = capacity_ - level_;  // <= 2 * capacity_ < 2^63
    // Compare before multiplying: elapsed * rate_ alone overflows after ~292 years / rate.
    if (elapsed >= missing / rate_ + 1)
      level_ = capacity_;
    else
      level_ += elapsed * rate_;  // < missing + rate_: no overflow
    if (level_ > capacity_) level_ = capacity_;
  }

  int64_t rate_ = 0;      ///< units per ns; 0 = disabled
  int64_t capacity_ = 0;  ///< burst in units
  int64_t level_ = 0;     ///< units available (negative = debt)
  common::TimestampNs last_ = 0;
  bool started_ = false;
};

}  // namespace hft::managers
