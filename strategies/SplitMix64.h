#pragma once
// A tiny deterministic pseudo-random generator (Steele, Lea & Flood's SplitMix64). Used
// instead of <random> distributions because their output is not specified across standard
// library versions, and a strategy's orders must be reproducible from its seed everywhere.
#include <cstdint>

#include "common/Xoshiro256.h"

namespace hft::strategies {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) noexcept : state_(seed) {}

  uint64_t next() noexcept { return common::splitMix64(state_); }
  /// Uniform in [-span, span] (span >= 0). The modulo bias is below 2^-40 for spans under 2^24.
  int64_t symmetric(int64_t span) noexcept {
    if (span <= 0) return 0;
    return static_cast<int64_t>(next() % static_cast<uint64_t>(2 * span + 1)) - span;
  }

 private:
  uint64_t state_;
};

}  // namespace hft::strategies
