#pragma once
// A tiny deterministic pseudo-random generator (Steele, Lea & Flood's SplitMix64). Used
// instead of <random> distributions because their output is not specified across standard
// library versions, and a strategy's orders must be reproducible from its seed everywhere.
#include <cstdint>

namespace hft::strategies {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) noexcept : state_(seed) {}

  uint64_t next() noexcept {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [-span, span] (span >= 0). The modulo bias is below 2^-40 for spans under 2^24.
  int64_t symmetric(int64_t span) noexcept {
    if (span <= 0) return 0;
    return static_cast<int64_t>(next() % static_cast<uint64_t>(2 * span + 1)) - span;
  }

 private:
  uint64_t state_;
};

}  // namespace hft::strategies
