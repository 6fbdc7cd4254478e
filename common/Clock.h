#pragma once
// Wall-clock and monotonic time in nanoseconds. Only processes that touch the outside world
// (gateways, executor, recorder, benchmarks) read these; strategies and the backtester take
// time from events.
#include <cstdint>
#include <ctime>

#include "common/Ids.h"

namespace hft::common {

/// CLOCK_REALTIME in ns since the Unix epoch (vDSO, no syscall on Linux x86-64).
inline TimestampNs wallNowNs() noexcept {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<TimestampNs>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/// CLOCK_MONOTONIC in ns: for measuring intervals.
inline int64_t monoNowNs() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/// Spin-loop hint: lets the sibling hyperthread run and saves power without giving up the core.
inline void cpuRelax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace hft::common
