#pragma once
// A broadcast-ring reader with the duties every consuming process has: publish its cursor,
// losses and liveness in the process registry; notice a restarted producer and reattach;
// idle with the configured wait strategy. Hot path: poll() = subscriber poll + counters.
#include <memory>
#include <string>

#include "common/Clock.h"
#include "data_store/BroadcastRing.h"
#include "data_store/ProcessRegistry.h"
#include "data_store/WaitStrategy.h"

namespace hft::data_store {

template <uint32_t SlotBytes>
class RingConsumer {
 public:
  /// `entry` may be null (no registry). Throws when the ring cannot be opened in time.
  RingConsumer(std::string ring, RegistryEntry* entry, WaitKind wait, StartAt start = StartAt::Live,
               int open_timeout_ms = 5000)
      : ring_(std::move(ring)), entry_(entry), wait_(wait),
        sub_(std::make_unique<BroadcastSubscriber<SlotBytes>>(ring_, start, open_timeout_ms)) {
    publishState();
  }

  /// Delivers up to `budget` events to handler(const EventHeader&); Gap events included.
  template <class Handler>
  int poll(Handler&& handler, int budget = 256) noexcept {
    const int n = sub_->poll(handler, budget);
    processed_ += static_cast<uint64_t>(n);
    // Lockstep: the handler has returned, so everything it did for these events (orders
    // included) is done; let the feed publish the next one.
    if (lockstep_ && n > 0) entry_->lockstep_done.store(sub_->cursor() - 1, std::memory_order_release);
    return n;
  }

  /// Registers this consumer for lockstep (backtests): the feed will not publish event N+1
  /// before poll() has returned from handling event N. Needs a registry entry.
  void enableLockstep() noexcept {
    if (!entry_) return;
    entry_->lockstep_done.store(sub_->cursor() - 1, std::memory_order_relaxed);
    entry_->lockstep.store(1, std::memory_order_release);
    lockstep_ = true;
  }

  /// Call after each poll with its result. When idle: registry upkeep every ~10 ms and a
  /// producer-restart check every ~100 ms (a stat() call, so never on a busy path).
  template <class Handler>
  void idle(int work, Handler&& handler) {
    if (work > 0 && ++sinceUpkeep_ < 4096) return;
    sinceUpkeep_ = 0;
    const int64_t now = common::monoNowNs();
    if (now - lastUpkeepNs_ >= 10'000'000) {
      lastUpkeepNs_ = now;
      publishState();
      if (now - lastReplaceCheckNs_ >= 100'000'000) {
        lastReplaceCheckNs_ = now;
        if (work == 0 && sub_->producerReplaced()) reattach(handler);
      }
    }
    if (work == 0) wait_.idle(0, [this](int64_t t) { sub_->waitForData(t); });
  }

  /// Attach the registry entry after the ring is open, so that "listed as reading the ring"
  /// implies "will see everything published from now on" (datafeed --wait-for-consumers).
  void setRegistryEntry(RegistryEntry* entry) noexcept {
    entry_ = entry;
    publishState();
  }

  BroadcastSubscriber<SlotBytes>& subscriber() noexcept { return *sub_; }
  uint64_t processed() const noexcept { return processed_; }
  uint64_t lost() const noexcept { return lostBefore_ + sub_->lostTotal(); }
  uint64_t reattachCount() const noexcept { return reattaches_; }

  /// Writes cursor, counters and heartbeat into the registry entry (cold path).
  void publishState() noexcept {
    if (!entry_) return;
    entry_->cursor.store(sub_->cursor(), std::memory_order_relaxed);
    entry_->lost.store(lost(), std::memory_order_relaxed);
    entry_->processed.store(processed_, std::memory_order_relaxed);
    entry_->heartbeat_ns.store(common::wallNowNs(), std::memory_order_relaxed);
  }

 private:
  template <class Handler>
  void reattach(Handler&& handler) {
    // Drain what the old producer wrote before it went away, then follow the new one.
    while (poll(handler) > 0) {
    }
    try {
      auto fresh = std::make_unique<BroadcastSubscriber<SlotBytes>>(ring_, StartAt::Oldest, 0);
      lostBefore_ += sub_->lostTotal();
      sub_ = std::move(fresh);
      ++reattaches_;
      if (lockstep_) entry_->lockstep_done.store(sub_->cursor() - 1, std::memory_order_release);
      common::Gap gap{};
      gap.header = common::makeHeader<common::Gap>(common::ExchangeId::None, 0, 0, 0);
      gap.header.sequence = sub_->cursor();
      gap.reason = common::GapReason::ProducerRestarted;
      std::memcpy(gapBuf_.bytes, &gap, sizeof gap);  // full-size buffer: see BroadcastSubscriber::poll
      handler(gapBuf_.header());
    } catch (const std::exception&) {
      // The new producer has not finished creating its ring: try again on a later check.
    }
  }

  std::string ring_;
  RegistryEntry* entry_;
  WaitStrategy wait_;
  std::unique_ptr<BroadcastSubscriber<SlotBytes>> sub_;
  uint64_t processed_ = 0;
  uint64_t lostBefore_ = 0;
  uint64_t reattaches_ = 0;
  bool lockstep_ = false;
  common::EventBuffer gapBuf_{};
  uint32_t sinceUpkeep_ = 0;
  int64_t lastUpkeepNs_ = 0;
  int64_t lastReplaceCheckNs_ = 0;
};

}  // namespace hft::data_store
