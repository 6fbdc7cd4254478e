#pragma once
// Lockstep for reproducible multi-process backtests, the feed's side: no lockstep consumer is
// ever lapped. Consumers mark how far they read in their registry entry
// (RingConsumer::enableLockstep); the feed waits here before publishing an event that would
// overwrite one a consumer has not read. The order of data, orders and reports between the
// consumers is their own protocol (LockstepClock.h), so the feed may run up to a ring's
// length ahead of them.
#include <vector>

#include "data_store/ProcessRegistry.h"

namespace hft::data_store {

class LockstepBarrier {
 public:
  LockstepBarrier(const ProcessRegistry& registry, std::string ring) : registry_(registry), ring_(std::move(ring)) {}

  /// Blocks until every live lockstep consumer of the ring has read `seq`. Consumers that
  /// die or leave are dropped (their pid is checked after 100 ms of waiting), so a crashed
  /// strategy cannot hang a backtest forever. Returns the number of consumers waited for.
  /// Cheap when every consumer is known to be past `seq` already (no shared-memory read).
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
  uint64_t allPast_ = 0;  ///< every member had read at least this far when last looked at
};

}  // namespace hft::data_store
