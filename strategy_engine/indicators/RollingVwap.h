#pragma once
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace hft::strategy_engine {

/// Volume-weighted average price of the last n trades (a window by count, not time): a ring of
/// n (price * qty, qty) pairs and their running sums. update is O(1), noexcept and
/// allocation-free.
class RollingVwap {
 public:
  /// Throws std::invalid_argument when n == 0.
  explicit RollingVwap(uint32_t n) : ring_(n ? n : throw std::invalid_argument("RollingVwap window must be > 0")) {}

  /// Adds a trade (qty > 0); true once n trades have been seen.
  bool update(double price, double qty) noexcept {
    Entry& e = ring_[head_];
    if (count_ == ring_.size()) {
      pq_ -= e.pq;
      q_ -= e.q;
    } else {
      ++count_;
    }
    e = {price * qty, qty};
    pq_ += e.pq;
    q_ += e.q;
    if (++head_ == ring_.size()) head_ = 0;
    return ready();
  }
  bool ready() const noexcept { return count_ == ring_.size(); }
  /// The VWAP of the window (before ready(): of the trades so far; 0 without quantity).
  double value() const noexcept { return q_ > 0 ? pq_ / q_ : 0.0; }
  /// Quantity in the window.
  double volume() const noexcept { return q_; }
  uint32_t window() const noexcept { return static_cast<uint32_t>(ring_.size()); }
  void reset() noexcept {
    count_ = head_ = 0;
    pq_ = q_ = 0.0;
  }

 private:
  struct Entry {
    double pq;
    double q;
  };
  std::vector<Entry> ring_;
  size_t head_ = 0;  // slot of the next trade (the oldest once full)
  size_t count_ = 0;
  double pq_ = 0.0;
  double q_ = 0.0;
};

}  // namespace hft::strategy_engine
