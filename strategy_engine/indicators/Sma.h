#pragma once
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace hft::strategy_engine {

/// Simple moving average of the last n values: a ring of n values and their running sum
/// (rounding error grows like sqrt(updates) * 1e-16 relative: negligible for a signal).
/// update is O(1), noexcept and allocation-free.
class Sma {
 public:
  /// Throws std::invalid_argument when n == 0.
  explicit Sma(uint32_t n) : ring_(n ? n : throw std::invalid_argument("Sma period must be > 0")) {}

  /// Adds a value; true once n values have been seen.
  bool update(double x) noexcept {
    if (count_ == ring_.size()) {
      sum_ -= ring_[head_];
    } else {
      ++count_;
    }
    ring_[head_] = x;
    sum_ += x;
    if (++head_ == ring_.size()) head_ = 0;
    return ready();
  }
  bool ready() const noexcept { return count_ == ring_.size(); }
  /// The mean of the last n values (before ready(): of the values so far; 0 before any).
  double value() const noexcept { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  uint32_t period() const noexcept { return static_cast<uint32_t>(ring_.size()); }
  void reset() noexcept {
    count_ = head_ = 0;
    sum_ = 0.0;
  }

 private:
  std::vector<double> ring_;
  size_t head_ = 0;   // slot of the next value (the oldest once full)
  size_t count_ = 0;
  double sum_ = 0.0;
};

}  // namespace hft::strategy_engine
