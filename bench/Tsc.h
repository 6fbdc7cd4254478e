#pragma once
// The time-stamp counter as a clock shared by processes on one host. Needs an invariant TSC
// (constant_tsc + nonstop_tsc): every core then counts at one rate from one origin, so a stamp
// taken by a producer on one core can be subtracted from one taken by a consumer on another.
#include <cstdint>
#include <fstream>
#include <string>

#include "common/Clock.h"

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace hft::bench {

#if defined(__x86_64__)
inline uint64_t tscNow() noexcept { return __rdtsc(); }
/// Waits for earlier loads to finish: a receive stamp must not be taken before the read it times.
inline uint64_t tscAfterLoads() noexcept {
  unsigned aux;
  return __rdtscp(&aux);
}
#else
inline uint64_t tscNow() noexcept { return static_cast<uint64_t>(common::monoNowNs()); }
inline uint64_t tscAfterLoads() noexcept { return tscNow(); }
#endif

/// Tick rate measured against CLOCK_MONOTONIC at start-up; copied into children by fork.
struct TscClock {
  double ns_per_tick = 1.0;

  double toNs(uint64_t ticks) const noexcept { return static_cast<double>(ticks) * ns_per_tick; }
  double toNs(int64_t ticks) const noexcept { return static_cast<double>(ticks) * ns_per_tick; }
  uint64_t ticks(double ns) const noexcept { return static_cast<uint64_t>(ns / ns_per_tick); }
  double ghz() const noexcept { return 1.0 / ns_per_tick; }

  /// Spins for `window_ns`; each end is a monotonic read bracketed by two TSC reads, the
  /// narrowest of several tries, so a preemption mid-sample cannot skew the rate.
  static TscClock calibrate(int64_t window_ns = 100'000'000) noexcept {
    auto sample = [](uint64_t& tsc, int64_t& mono) {
      uint64_t best = ~0ull;
      for (int i = 0; i < 16; ++i) {
        const uint64_t a = tscNow();
        const int64_t m = common::monoNowNs();
        const uint64_t b = tscNow();
        if (b - a >= best) continue;
        best = b - a;
        tsc = a + (b - a) / 2;
        mono = m;
      }
    };
    uint64_t t0 = 0, t1 = 0;
    int64_t m0 = 0, m1 = 0;
    sample(t0, m0);
    do sample(t1, m1);
    while (m1 - m0 < window_ns);
    return TscClock{static_cast<double>(m1 - m0) / static_cast<double>(t1 - t0)};
  }
};

/// True if /proc/cpuinfo advertises an invariant TSC (always true off x86: we use the clock).
inline bool tscIsInvariant() {
#if defined(__x86_64__)
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("flags", 0) == 0)
      return line.find(" constant_tsc") != std::string::npos && line.find(" nonstop_tsc") != std::string::npos;
  return false;
#else
  return true;
#endif
}

}  // namespace hft::bench
