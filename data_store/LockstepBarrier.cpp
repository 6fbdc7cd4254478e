#include "data_store/LockstepBarrier.h"

#include <sched.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "common/Clock.h"

namespace hft::data_store {

void LockstepBarrier::refresh() noexcept {
  members_.clear();
  RegistryEntry* e = registry_.entries();
  for (uint32_t i = 0; i < kRegistryCapacity; ++i) {
    if (e[i].state.load(std::memory_order_acquire) != RegistryEntry::Active) continue;
    if (e[i].lockstep.load(std::memory_order_acquire) == 0) continue;
    if (std::strncmp(e[i].reading, ring_.c_str(), sizeof e[i].reading) != 0) continue;
    members_.push_back(&e[i]);
  }
}

bool LockstepBarrier::waitForConsumers(size_t n, int timeout_ms) noexcept {
  const int64_t deadline = common::monoNowNs() + int64_t{timeout_ms} * 1'000'000;
  for (;;) {
    refresh();
    if (members_.size() >= n) return true;
    if (common::monoNowNs() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

size_t LockstepBarrier::waitFor(uint64_t seq) noexcept {
  if (seq <= allPast_) return members_.size();
  // New consumers can join at any time; a cheap rescan every 50 ms finds them.
  const int64_t start = common::monoNowNs();
  if (start - lastRefreshNs_ > 50'000'000) {
    refresh();
    lastRefreshNs_ = start;
  }
  bool waited = false;
  uint64_t minDone = UINT64_MAX;
  for (auto it = members_.begin(); it != members_.end();) {
    RegistryEntry& m = **it;
    uint32_t spins = 0;
    bool gone = false;
    while (m.lockstep_done.load(std::memory_order_acquire) < seq) {
      waited = true;
      if (m.lockstep.load(std::memory_order_acquire) == 0 ||
          m.state.load(std::memory_order_acquire) != RegistryEntry::Active) {
        gone = true;
        break;
      }
      if (++spins < 64) {
        common::cpuRelax();
      } else {
        // On an oversubscribed box the consumers need our core; a feed a ring ahead of them
        // can afford to sleep.
        if (spins < 1024)
          sched_yield();
        else
          std::this_thread::sleep_for(std::chrono::microseconds(50));
        if ((spins & 1023) == 0 && common::monoNowNs() - start > 100'000'000 && !processAlive(m.pid)) {
          gone = true;
          break;
        }
      }
    }
    if (!gone) minDone = std::min(minDone, m.lockstep_done.load(std::memory_order_acquire));
    it = gone ? members_.erase(it) : it + 1;
  }
  // With no members yet, keep looking on every call (a consumer may be about to join).
  allPast_ = members_.empty() ? 0 : minDone;
  if (waited) {
    ++waits_;
    waitedNs_ += common::monoNowNs() - start;
  }
  return members_.size();
}

}  // namespace hft::data_store
