#pragma once
// Jittered exponential backoff for reconnects. Attempt n (0-based) waits a uniform random time
// in [max(initial, cap/2), cap], cap = min(max, initial * 2^n): always within [initial, max],
// growing until it reaches max. Seeded generator, so tests see a fixed sequence.
#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "common/Xoshiro256.h"

namespace hft::net {

struct BackoffConfig {
  int64_t initial_ns = 100'000'000;  ///< first wait (and lower bound of every wait)
  int64_t max_ns = 30'000'000'000;   ///< upper bound of every wait
  uint64_t seed = 0x5eed;            ///< jitter generator seed
};

class Backoff {
 public:
  explicit Backoff(const BackoffConfig& cfg) : cfg_(cfg), rng_(cfg.seed) {
    if (cfg.initial_ns <= 0 || cfg.max_ns < cfg.initial_ns)
      throw std::invalid_argument("backoff: need 0 < initial_ns <= max_ns");
  }

  /// The wait before the next attempt; advances the attempt count.
  int64_t next() noexcept {
    int64_t cap = cfg_.initial_ns;
    for (uint32_t i = 0; i < attempt_ && cap < cfg_.max_ns; ++i) cap = cap > cfg_.max_ns / 2 ? cfg_.max_ns : cap * 2;
    cap = std::min(cap, cfg_.max_ns);
    const int64_t lo = std::max(cfg_.initial_ns, cap / 2);
    ++attempt_;
    return lo + static_cast<int64_t>(rng_.uniform01() * static_cast<double>(cap - lo));
  }
  /// After a successful connection: the next wait starts from `initial` again.
  void reset() noexcept { attempt_ = 0; }
  uint32_t attempt() const noexcept { return attempt_; }
  const BackoffConfig& config() const noexcept { return cfg_; }

 private:
  BackoffConfig cfg_;
  common::Xoshiro256 rng_;
  uint32_t attempt_ = 0;
};

}  // namespace hft::net
