#pragma once
#include <atomic>
#include <cstdint>

#include "data_store/Futex.h"

namespace hft::data_store {

/// A doorbell in shared memory that lets consumers sleep instead of spinning (blocking wait
/// strategy). The producer rings it only when `waiters` is non-zero; checking costs a locked
/// instruction, so a producer enables it only when some consumer may block (see publisher notify).
struct alignas(64) WakeSignal {
  std::atomic<uint32_t> word{0};     ///< futex word, bumped on every ring
  std::atomic<uint32_t> waiters{0};  ///< consumers currently inside wait()

  /// Producer side, after publishing.
  void ring() noexcept {
    // Why an RMW and not a load: it reads the newest `waiters` and orders our publish before
    // it (Dekker with the waiter's increment-then-recheck). Either it sees the waiter, or the
    // waiter's increment comes later and synchronizes with it, so the waiter's re-check sees
    // the data. A plain load could miss both and let a waiter sleep on published data.
    if (waiters.fetch_add(0, std::memory_order_acq_rel) != 0) {
      word.fetch_add(1, std::memory_order_release);
      futexWakeAll(&word);
    }
  }

  /// Consumer side: sleeps until rung or timeout unless `ready()` turns true first.
  template <class Ready>
  void wait(Ready&& ready, int64_t timeout_ns) noexcept {
    const uint32_t seen = word.load(std::memory_order_acquire);
    waiters.fetch_add(1, std::memory_order_acq_rel);
    if (!ready()) futexWait(&word, seen, timeout_ns);
    waiters.fetch_sub(1, std::memory_order_relaxed);
  }
};
static_assert(sizeof(WakeSignal) == 64);

}  // namespace hft::data_store
