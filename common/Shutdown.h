#pragma once
// Process-wide stop flag set by SIGTERM/SIGINT, polled by agent loops. Daemons finish their
// current work, close files and detach cleanly instead of dying mid-write.
#include <atomic>
#include <csignal>

namespace hft::common {

inline std::atomic<int>& stopSignal() noexcept {
  static std::atomic<int> sig{0};
  return sig;
}

inline bool stopRequested() noexcept { return stopSignal().load(std::memory_order_relaxed) != 0; }

/// Installs handlers for SIGTERM and SIGINT (and ignores SIGPIPE: a closed socket or pipe is
/// an error code, not a death).
inline void installShutdownHandlers() noexcept {
  struct sigaction sa {};
  sa.sa_handler = [](int s) { stopSignal().store(s, std::memory_order_relaxed); };
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

}  // namespace hft::common
