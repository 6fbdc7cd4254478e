#pragma once

namespace hft::strategy_engine {

/// Cumulative volume-weighted average price since construction or the last reset() (e.g. at
/// the session start): sum(price * qty) / sum(qty). update is O(1), noexcept, allocation-free.
class Vwap {
 public:
  /// Adds a trade (qty > 0); true once some quantity has been seen.
  bool update(double price, double qty) noexcept {
    pq_ += price * qty;
    q_ += qty;
    return ready();
  }
  bool ready() const noexcept { return q_ > 0; }
  /// The VWAP (0 before ready()).
  double value() const noexcept { return ready() ? pq_ / q_ : 0.0; }
  double volume() const noexcept { return q_; }
  void reset() noexcept { pq_ = q_ = 0.0; }

 private:
  double pq_ = 0.0;
  double q_ = 0.0;
};

}  // namespace hft::strategy_engine
