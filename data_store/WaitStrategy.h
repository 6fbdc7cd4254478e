#pragma once
// How a consumer thread idles when there is nothing to read. Chosen by config per process:
// busy-spin on a pinned core for live trading, spin-then-yield when sharing cores, blocking
// (futex) for oversubscribed machines and backtests.
#include <sched.h>

#include <cstdint>
#include <optional>
#include <string>

#include "common/Clock.h"

namespace hft::data_store {

enum class WaitKind : uint8_t {
  BusySpin = 0,   ///< never yields the core: lowest latency, burns 100% of a core
  SpinYield = 1,  ///< spins, then sched_yield(): shares the core with other runnable threads
  Blocking = 2,   ///< spins briefly, then sleeps on the ring's futex doorbell
};
const char* toString(WaitKind k) noexcept;
/// "busy_spin", "spin_yield", "blocking"; nullopt if unknown.
std::optional<WaitKind> waitKindFromString(const std::string& s) noexcept;

/// An idle strategy: call idle(work) after each poll with the amount of work it did.
/// `waitFor` is the blocking action (e.g. subscriber.waitForData(timeout)).
class WaitStrategy {
 public:
  explicit WaitStrategy(WaitKind kind, uint32_t spins = 200, uint32_t yields = 50) noexcept
      : kind_(kind), spins_(spins), yields_(yields) {}

  template <class BlockingWait>
  void idle(int work, BlockingWait&& waitFor) noexcept {
    if (work > 0) {
      idleCount_ = 0;
      return;
    }
    ++idleCount_;
    switch (kind_) {
      case WaitKind::BusySpin:
        common::cpuRelax();
        return;
      case WaitKind::SpinYield:
        if (idleCount_ <= spins_) common::cpuRelax();
        else sched_yield();
        return;
      case WaitKind::Blocking:
        if (idleCount_ <= spins_) common::cpuRelax();
        else if (idleCount_ <= spins_ + yields_) sched_yield();
        else waitFor(kBlockTimeoutNs);
        return;
    }
  }
  void idle(int work) noexcept {
    idle(work, [](int64_t) { sched_yield(); });
  }

  WaitKind kind() const noexcept { return kind_; }
  /// Longest sleep in the blocking strategy: bounds the cost of a missed doorbell and how long
  /// a consumer takes to notice a stopped or restarted producer.
  static constexpr int64_t kBlockTimeoutNs = 1'000'000;

 private:
  WaitKind kind_;
  uint32_t spins_;
  uint32_t yields_;
  uint32_t idleCount_ = 0;
};

}  // namespace hft::data_store
