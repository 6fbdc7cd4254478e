#pragma once
#include <cstdint>
#include <stdexcept>

namespace hft::strategy_engine {

/// Relative strength index with Wilder's smoothing: the average gain and loss of the first n
/// changes are simple averages, then avg = (avg * (n - 1) + current) / n; RSI = 100 - 100 /
/// (1 + avgGain / avgLoss), 100 when there are no losses, 50 when the series is flat.
/// Ready after n + 1 values (n changes). update is O(1), noexcept and allocation-free.
class Rsi {
 public:
  /// Throws std::invalid_argument when n == 0.
  explicit Rsi(uint32_t n) : n_(n ? n : throw std::invalid_argument("Rsi period must be > 0")) {}

  /// Adds a value; true once n changes have been seen.
  bool update(double x) noexcept {
    if (!started_) {
      started_ = true;
      prev_ = x;
      return false;
    }
    const double change = x - prev_;
    prev_ = x;
    const double gain = change > 0 ? change : 0.0;
    const double loss = change < 0 ? -change : 0.0;
    if (changes_ < n_) {
      avgGain_ += gain;  // sums until the n-th change
      avgLoss_ += loss;
      if (++changes_ == n_) {
        avgGain_ /= n_;
        avgLoss_ /= n_;
      }
      return ready();
    }
    avgGain_ = (avgGain_ * (n_ - 1) + gain) / n_;
    avgLoss_ = (avgLoss_ * (n_ - 1) + loss) / n_;
    return true;
  }
  bool ready() const noexcept { return changes_ == n_; }
  /// In [0, 100] when ready() (0 before).
  double value() const noexcept {
    if (!ready()) return 0.0;
    if (avgLoss_ == 0.0) return avgGain_ == 0.0 ? 50.0 : 100.0;
    return 100.0 - 100.0 / (1.0 + avgGain_ / avgLoss_);
  }
  double averageGain() const noexcept { return avgGain_; }
  double averageLoss() const noexcept { return avgLoss_; }
  uint32_t period() const noexcept { return n_; }
  void reset() noexcept {
    started_ = false;
    changes_ = 0;
    avgGain_ = avgLoss_ = prev_ = 0.0;
  }

 private:
  uint32_t n_;
  bool started_ = false;
  uint32_t changes_ = 0;
  double prev_ = 0.0;
  double avgGain_ = 0.0;
  double avgLoss_ = 0.0;
};

}  // namespace hft::strategy_engine
