#pragma once
#include <cstdint>
#include <stdexcept>

#include "strategy_engine/indicators/Ema.h"

namespace hft::strategy_engine {

/// Moving average convergence/divergence: line = EMA(fast) - EMA(slow), signal = EMA(signal)
/// of the line, histogram = line - signal; every EMA seeded with its simple average (see Ema).
/// The line exists from the slow-th value, the signal from value slow + signal - 1, which is
/// when ready() turns true (the StockCharts convention). update is O(1), noexcept and
/// allocation-free.
class Macd {
 public:
  /// Throws std::invalid_argument unless 0 < fast < slow and signal > 0.
  Macd(uint32_t fast, uint32_t slow, uint32_t signal)
      : fast_(fast < slow ? fast : throw std::invalid_argument("Macd needs 0 < fast < slow")),
        slow_(slow),
        signal_(signal) {}

  /// Adds a value; true once the signal line exists.
  bool update(double x) noexcept {
    fast_.update(x);
    if (slow_.update(x)) {
      line_ = fast_.value() - slow_.value();
      signal_.update(line_);
    }
    return ready();
  }
  bool ready() const noexcept { return signal_.ready(); }
  /// The MACD line (valid from the slow-th value).
  double value() const noexcept { return line_; }
  double signal() const noexcept { return signal_.value(); }
  double histogram() const noexcept { return line_ - signal_.value(); }
  bool lineReady() const noexcept { return slow_.ready(); }
  void reset() noexcept {
    fast_.reset();
    slow_.reset();
    signal_.reset();
    line_ = 0.0;
  }

 private:
  Ema fast_;
  Ema slow_;
  Ema signal_;
  double line_ = 0.0;
};

}  // namespace hft::strategy_engine
