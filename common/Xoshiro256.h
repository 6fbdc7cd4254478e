#pragma once
// The project's one deterministic random generator: xoshiro256** (Blackman & Vigna 2018),
// its state seeded with SplitMix64 (Steele, Lea & Flood). Used instead of <random>, whose
// distributions are unspecified by the standard and differ between library versions: the
// synthetic market, the simulated venue and seeded strategies must give the same numbers
// from the same seed on every machine. Distributions are built on top by each user.
#include <cstdint>

namespace hft::common {

/// One SplitMix64 step: advances `state` and returns the next output.
constexpr uint64_t splitMix64(uint64_t& state) noexcept {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Xoshiro256 {
 public:
  explicit constexpr Xoshiro256(uint64_t seed) noexcept {
    for (uint64_t& w : s_) w = splitMix64(seed);
  }

  constexpr uint64_t next() noexcept {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1) from the top 53 bits (every value a multiple of 2^-53).
  double uniform01() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4]{};
};

}  // namespace hft::common
