#pragma once
// Deterministic random numbers for the simulator: xoshiro256** (Blackman & Vigna 2018), its
// state seeded by SplitMix64. The std:: distributions are deliberately not used: their output
// is unspecified by the standard and differs between library versions, and a backtest must give
// the same fills from the same seed on every machine.
#include <cmath>
#include <cstdint>

#include "common/Xoshiro256.h"

namespace hft::execution_engine::sim {

class Rng {
 public:
  explicit Rng(uint64_t seed) noexcept : gen_(seed) {}

  uint64_t next() noexcept { return gen_.next(); }

  /// Uniform in [0, 1), from the top 53 bits (every value a multiple of 2^-53).
  double uniform01() noexcept { return gen_.uniform01(); }

  /// Uniform integer in [lo, hi] (lo <= hi), without modulo bias (Lemire 2019: multiply, and
  /// reject the few low products that would favour some values).
  int64_t uniformInt(int64_t lo, int64_t hi) noexcept {
    const uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
    if (range == 0) return static_cast<int64_t>(next());  // the whole int64 range
    UInt128 m = static_cast<UInt128>(next()) * range;
    if (static_cast<uint64_t>(m) < range) {
      const uint64_t threshold = (0 - range) % range;
      while (static_cast<uint64_t>(m) < threshold) m = static_cast<UInt128>(next()) * range;
    }
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + static_cast<uint64_t>(m >> 64));
  }

  /// Standard normal by the Box-Muller transform. Each call consumes exactly two words (the
  /// pair's second value is dropped) so that the stream position never depends on history.
  double normal() noexcept {
    const double u1 = 1.0 - uniform01();  // (0, 1]: log(0) never happens
    const double u2 = uniform01();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  __extension__ using UInt128 = unsigned __int128;

  common::Xoshiro256 gen_;
};

}  // namespace hft::execution_engine::sim
