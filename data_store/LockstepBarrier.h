#pragma once
// Lockstep for reproducible multi-process backtests: the feed publishes event N+1 only after
// every consumer registered for lockstep has marked event N as fully handled (including any
// orders it sent in reaction). Consumers mark progress in their registry entry
// (RingConsumer::enableLockstep); the feed waits here before each publish.
#include <vector>

#include "data_store/ProcessRegistry.h"

namespace hft::data_store {

class LockstepBarrier {
 public:
  LockstepBarrier(const ProcessRegistry& registry, std::string ring) : registry_(registry), ring_(std::move(ring)) {}

  /// Blocks until every live lockstep consumer of the ring has handled `seq`. Consumers that
  /// die or leave are dropped (their pid is checked after 100 ms of waiting), so a crashed
  /// strategy cannot hang a backtest forever. Returns the number of consumers waited for.
  size_t waitFor(uint64_t seq) noexcept;

  /// Blocks up to timeout_ms until at least `n` lockstep consumers are registered.
  bool waitForConsumers(size_t n, int timeout_ms) noexcept;

  /// Total time spent waiting (ns) and number of waits, for the cost measurement.
  int64_t waitedNs() const noexcept { return waitedNs_; }
  uint64_t waits() const noexcept { return waits_; }

 private:
  void refresh() noexcept;
  const ProcessRegistry& registry_;
  std::string ring_;
  std::vector<RegistryEntry*> members_;
  int64_t lastRefreshNs_ = 0;
  int64_t waitedNs_ = 0;
  uint64_t waits_ = 0;
};

}  // namespace hft::data_store
