#pragma once
// Lookahead lockstep for reproducible multi-process backtests.
//
// The strategies and the backtester each read the replayed market data at their own pace; the
// feed only keeps them from being lapped (LockstepBarrier). What keeps the run reproducible is
// that each side acts on the other's output exactly when event time says it must, whatever the
// scheduling:
//  - the backtester applies market event N (lockstep time T) only when every order that could
//    reach the venue by T is in its hands. An order sent at time s reaches the venue at
//    s + latency >= s + L (L = the order-latency model's minimum, at least 1 ns), so it needs
//    each strategy's promise "my future orders have request_ts >= S" with S + L > T;
//  - a strategy handles market event k (time T) after exactly the reports with
//    receive_ts <= T, in ring order (the simulated venue publishes them in receive-time order).
//    It needs the backtester's promise "my future reports have receive_ts >= R" with R > T.
// Each side publishes its promise in its registry entry (lockstep line) and advances while the
// other's promise allows; a side only waits when it has caught up with the other in event time.
// The promises are conservative lookahead (Chandy-Misra): the latency the venue model adds is
// what lets both sides run in parallel, L + ack latency of market time at a time.
//
// One case needs more than the published clocks: both sides waiting for the other across a gap
// in the data longer than the lookahead. A strategy that waits before event k (time T_k) with
// every report published so far read can only send again after a report arrives or once it
// handles k; a report needs a venue step, and a venue step before the next market event needs
// an order arrival, which needs a send at least L earlier. So its future orders have
// request_ts >= min(T_k, earliest future venue step), which the backtester knows (waitingBound).
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>

#include "common/EventHeader.h"
#include "data_store/ProcessRegistry.h"

namespace hft::data_store {

inline constexpr int64_t kLockstepUnknown = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kLockstepFinished = std::numeric_limits<int64_t>::max();

/// a + b without overflow past the int64 range (promises use INT64_MAX for "never").
constexpr int64_t saturatingAdd(int64_t a, int64_t b) noexcept {
  if (b > 0 && a > std::numeric_limits<int64_t>::max() - b) return std::numeric_limits<int64_t>::max();
  if (b < 0 && a < std::numeric_limits<int64_t>::min() - b) return std::numeric_limits<int64_t>::min();
  return a + b;
}

/// Lockstep time of a market-data event, computed identically by every side: the running
/// maximum of market event times. Bookkeeping events (control markers, heartbeats, gaps) carry
/// wall-clock stamps and keep the previous time.
constexpr common::TimestampNs lockstepTime(common::TimestampNs prev, const common::EventHeader& e) noexcept {
  switch (e.type) {
    case common::EventType::Trade:
    case common::EventType::BestBidOffer:
    case common::EventType::BookDelta:
    case common::EventType::BookSnapshot:
    case common::EventType::Bar: {
      const common::TimestampNs t = common::eventTime(e);
      return t > prev ? t : prev;
    }
    default:
      return prev;
  }
}

/// A strategy runner's side of the protocol: writes its promises into its registry entry.
class LockstepStrategyClock {
 public:
  explicit LockstepStrategyClock(RegistryEntry& me) noexcept : me_(me) {}

  /// Running: every order from now on has request_ts >= now (the strategy clock never goes
  /// back). Call after handling each event; orders pushed before are visible to the reader.
  void running(common::TimestampNs now) noexcept {
    if (waiting_) {
      me_.lockstep_waiting_at_ns.store(kLockstepUnknown, std::memory_order_release);
      waiting_ = false;
    }
    me_.lockstep_clock_ns.store(now, std::memory_order_release);
  }
  /// About to wait before the market event of lockstep time `next`, having read every report
  /// up to `reportsRead` (the exec ring sequence; a read-ahead report counts as read).
  void waiting(common::TimestampNs now, common::TimestampNs next, uint64_t reportsRead) noexcept {
    me_.lockstep_clock_ns.store(now, std::memory_order_release);
    me_.lockstep_reports_read.store(reportsRead, std::memory_order_relaxed);
    me_.lockstep_waiting_at_ns.store(next, std::memory_order_release);
    waiting_ = true;
  }
  /// No more orders (after the strategy stopped and sent its final cancels).
  void finished() noexcept {
    me_.lockstep_waiting_at_ns.store(kLockstepUnknown, std::memory_order_release);
    me_.lockstep_clock_ns.store(kLockstepFinished, std::memory_order_release);
  }

 private:
  RegistryEntry& me_;
  bool waiting_ = false;
};

/// What the backtester can rely on from one strategy.
struct StrategyPromise {
  common::TimestampNs clock = kLockstepUnknown;     ///< future orders: request_ts >= clock
  common::TimestampNs waitingAt = kLockstepUnknown;  ///< waiting before a market event of this time
  bool waitingWithAllReports = false;                ///< ... having read every report published
  bool finished() const noexcept { return clock == kLockstepFinished; }
};

/// Reads a strategy's promise. `reportsPublished` is the backtester's own last published
/// report sequence. Call before popping that strategy's queue: orders pushed before the
/// promise are then popped, orders pushed after it keep it.
inline StrategyPromise readStrategyPromise(const RegistryEntry& e, uint64_t reportsPublished) noexcept {
  StrategyPromise p;
  const int64_t w1 = e.lockstep_waiting_at_ns.load(std::memory_order_acquire);
  p.clock = e.lockstep_clock_ns.load(std::memory_order_acquire);
  if (w1 != kLockstepUnknown) {
    const uint64_t read = e.lockstep_reports_read.load(std::memory_order_acquire);
    // The same waiting time before and after: `read` belongs to a wait at that time (two
    // waits at the same time are interchangeable for the bound).
    if (e.lockstep_waiting_at_ns.load(std::memory_order_acquire) == w1) {
      p.waitingAt = w1;
      p.waitingWithAllReports = read == reportsPublished;
    }
  }
  return p;
}

/// Earliest request_ts of any future order of each strategy (into `out`, one per promise) and
/// of all of them (returned), given the earliest possible venue step that does not come from
/// one of their future orders (`venueStepFloor`: next market event, queued arrivals, orders
/// already sent). A waiting strategy that has read every report sends before its next event
/// only in reaction to a report, i.e. to a venue step (see the file comment), so its bound is
/// min(waitingAt, earliest venue step), and never below its clock.
template <class Promises>
common::TimestampNs strategySendBounds(const Promises& promises, common::TimestampNs venueStepFloor,
                                       int64_t minOrderLatency, common::TimestampNs* out) noexcept {
  common::TimestampNs runningMin = kLockstepFinished;
  for (const StrategyPromise& p : promises)
    if (!p.finished() && !p.waitingWithAllReports && p.clock < runningMin) runningMin = p.clock;
  // Orders of running strategies reach the venue at runningMin + L at the earliest: a venue
  // step the waiting strategies may react to.
  const common::TimestampNs floor = std::min(venueStepFloor, saturatingAdd(runningMin, minOrderLatency));
  common::TimestampNs all = kLockstepFinished;
  size_t i = 0;
  for (const StrategyPromise& p : promises) {
    common::TimestampNs b = p.clock;
    if (!p.finished() && p.waitingWithAllReports) b = std::max(p.clock, std::min(p.waitingAt, floor));
    out[i++] = b;
    all = std::min(all, b);
  }
  return all;
}

}  // namespace hft::data_store
