#pragma once
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace hft::strategy_engine {

/// Bollinger bands over the last n values: middle = simple average, upper/lower = middle +-
/// k * standard deviation, the population deviation (divide by n, as Bollinger defines it, not
/// n - 1).
///
/// Numerics: sum(x^2) - n * mean^2 cancels catastrophically on prices far from zero (at 60000
/// with a deviation of 0.01 it loses 13 of 16 digits), and a sliding Welford update of
/// mean and M2 lets the mean's rounding (1e-16 * 60000 per update) accumulate into M2. Here
/// the window keeps sums of deviations from an anchor K, S1 = sum(x - K), S2 = sum((x - K)^2),
/// and after every update moves K by d to the mean with the exact shift formulas (S2 -= 2 d S1
/// - n d^2, S1 -= n d). For prices K and the mean are within a factor 2, so d and x - K are
/// exact (Sterbenz); S1 stays near 0 and S2 near n * variance, so every rounding is relative
/// to the variance itself and nothing accumulates at the scale of the price (near zero the
/// price's scale is the deviation's own). update is O(1), noexcept and allocation-free.
class BollingerBands {
 public:
  /// Throws std::invalid_argument when n == 0 or k < 0.
  BollingerBands(uint32_t n, double k)
      : ring_(n ? n : throw std::invalid_argument("BollingerBands period must be > 0")),
        k_(k >= 0 ? k : throw std::invalid_argument("BollingerBands k must be >= 0")) {}

  /// Adds a value; true once n values have been seen.
  bool update(double x) noexcept {
    if (count_ == 0) anchor_ = x;
    const double a = x - anchor_;
    if (count_ == ring_.size()) {
      const double b = ring_[head_] - anchor_;
      s1_ += a - b;
      s2_ += (a - b) * (a + b);
    } else {
      ++count_;
      s1_ += a;
      s2_ += a * a;
    }
    ring_[head_] = x;
    if (++head_ == ring_.size()) head_ = 0;
    // Re-anchor on the mean.
    const auto n = static_cast<double>(count_);
    const double d = (anchor_ + s1_ / n) - anchor_;
    anchor_ += d;
    s2_ -= d * (2.0 * s1_ - n * d);
    s1_ -= n * d;
    return ready();
  }
  bool ready() const noexcept { return count_ == ring_.size(); }
  /// The middle band (before ready(): over the values so far).
  double value() const noexcept { return middle(); }
  double middle() const noexcept { return count_ ? anchor_ + s1_ / static_cast<double>(count_) : 0.0; }
  double stddev() const noexcept {
    if (count_ == 0) return 0.0;
    const auto n = static_cast<double>(count_);
    const double var = (s2_ - s1_ * s1_ / n) / n;
    return var > 0 ? std::sqrt(var) : 0.0;  // rounding can leave a flat window a hair below 0
  }
  double upper() const noexcept { return middle() + k_ * stddev(); }
  double lower() const noexcept { return middle() - k_ * stddev(); }
  uint32_t period() const noexcept { return static_cast<uint32_t>(ring_.size()); }
  void reset() noexcept {
    count_ = head_ = 0;
    anchor_ = s1_ = s2_ = 0.0;
  }

 private:
  std::vector<double> ring_;
  double k_;
  size_t head_ = 0;  // slot of the next value (the oldest once full)
  size_t count_ = 0;
  double anchor_ = 0.0;  // K
  double s1_ = 0.0;      // sum(x - K) over the window
  double s2_ = 0.0;      // sum((x - K)^2) over the window
};

}  // namespace hft::strategy_engine
