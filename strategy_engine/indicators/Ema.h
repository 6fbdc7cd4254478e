#pragma once
#include <cstdint>
#include <stdexcept>

namespace hft::strategy_engine {

/// Exponential moving average with alpha = 2 / (n + 1), seeded with the simple average of the
/// first n values (the StockCharts / TA-Lib convention): ready after n values, then
/// ema += alpha * (x - ema). update is O(1), noexcept and allocation-free.
class Ema {
 public:
  /// Throws std::invalid_argument when n == 0.
  explicit Ema(uint32_t n)
      : n_(n ? n : throw std::invalid_argument("Ema period must be > 0")), alpha_(2.0 / (n + 1.0)) {}

  /// Adds a value; true once n values have been seen.
  bool update(double x) noexcept {
    if (count_ < n_) {
      value_ += x;  // the seed's sum until the n-th value
      if (++count_ == n_) value_ /= n_;
      return ready();
    }
    value_ += alpha_ * (x - value_);
    return true;
  }
  bool ready() const noexcept { return count_ == n_; }
  /// The average (before ready(): meaningless, 0 before any value).
  double value() const noexcept { return value_; }
  uint32_t period() const noexcept { return n_; }
  double alpha() const noexcept { return alpha_; }
  void reset() noexcept {
    count_ = 0;
    value_ = 0.0;
  }

 private:
  uint32_t n_;
  double alpha_;
  uint32_t count_ = 0;
  double value_ = 0.0;
};

}  // namespace hft::strategy_engine
