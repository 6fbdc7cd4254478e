#pragma once
// Base of the algorithms that work one parent order on one instrument (TWAP, VWAP, iceberg).
// It owns what they share so each of them is only its schedule:
//   - the start, on event time: the first event the strategy sees + start_offset_ms;
//   - the touch of the instrument (book or BBO);
//   - the fill count and the in-flight accounting: a child is sent only for qty that is
//     neither filled nor working (cancel-pending orders count as working until their report),
//     so filled + working never exceeds total_qty even if every working order fills;
//   - child orders priced at the touch and never beyond limit_price;
//   - the end of the schedule: working children are cancelled and, once none is left, one final
//     marketable order for the rest when complete_at_end.
#include "strategies/ParentOrder.h"
#include "strategies/Touch.h"
#include "strategy_engine/IStrategy.h"

namespace hft::strategies {

class ExecutionAlgo : public strategy_engine::IStrategy {
 public:
  enum class Phase : uint8_t {
    Waiting = 0,    ///< before the start time
    Running = 1,    ///< working the schedule
    Finishing = 2,  ///< schedule over: waiting for cancels before the final order
    Done = 3,       ///< total filled or schedule finished; nothing more is sent
  };
  struct Counters {
    uint64_t children = 0;      ///< child orders accepted by the host (final order included)
    uint64_t final_orders = 0;  ///< marketable orders sent at the end for the remainder
    uint64_t limit_skips = 0;   ///< children not sent: the touch was beyond limit_price
    uint64_t no_touch = 0;      ///< children not sent: the needed side of the book was unknown
    uint64_t refused = 0;       ///< children refused by the host (table/queue full) or rejected by the venue
  };

  Phase phase() const noexcept { return phase_; }
  int64_t filled() const noexcept { return filled_; }
  const ParentOrder& parent() const noexcept { return parent_; }
  const Counters& counters() const noexcept { return counters_; }

  void onTrade(const common::Trade& t) final;
  void onTopOfBook(const common::BestBidOffer& b) final;
  void onBookUpdate(common::InstrumentId id, const strategy_engine::OrderBook& book) final;
  void onExecutionReport(const common::ExecutionReport& r) final;
  void onTimer(uint64_t id) final;
  /// The touch may be stale: forget it until the next update (children wait for it).
  void onGap(const common::Gap& g) final;

 protected:
  ExecutionAlgo(const ParentOrder& parent, int64_t aggressionTicks, bool completeAtEnd) noexcept
      : parent_(parent), aggressionTicks_(aggressionTicks), completeAtEnd_(completeAtEnd) {}

  /// The start time was reached (phase is now Running).
  virtual void onRun() = 0;
  /// A timer set with schedule() fired while Running.
  virtual void onSchedule(uint64_t /*id*/) {}
  /// A public trade of the instrument, in every phase (VWAP builds its profile before running).
  virtual void onMarketTrade(const common::Trade& /*t*/) {}
  /// The touch changed while Running.
  virtual void onQuote() {}
  /// A child's last report (Filled, Canceled, Expired or Rejected) while Running.
  virtual void onChildEnded(const common::ExecutionReport& /*r*/) {}

  /// Qty of children still working, cancel-pending ones included.
  int64_t working() const noexcept;
  /// Qty neither filled nor working: the most a new child may carry.
  int64_t unallocated() const noexcept { return parent_.total_qty - filled_ - working(); }
  /// An IOC at the far touch moved aggression_ticks through, pulled back to limit_price, for
  /// min(qty, unallocated()) floored to the lot. False (counted) when nothing was sent.
  bool sendMarketable(int64_t qty) noexcept;
  /// A post-only child joining the near touch (pulled back to limit_price), for
  /// min(qty, unallocated()) floored to the lot. False (counted) when nothing was sent.
  bool sendPassive(int64_t qty) noexcept;
  /// A resting child at `price` (the caller checked it against the limit).
  bool sendResting(int64_t qty, int64_t price, common::TimeInForce tif) noexcept;
  /// Cancels every working child not already cancelling; returns how many requests were sent.
  int cancelWorking() noexcept;
  /// Sets a timer for onSchedule (ids must be below kStartTimer).
  bool schedule(common::TimestampNs at, uint64_t id) noexcept { return ctx().setTimer(at, id); }
  /// Ends the schedule now (as at start + duration).
  void finish() noexcept;

  common::TimestampNs startTime() const noexcept { return start_; }
  const Touch& touch() const noexcept { return touch_; }

  static constexpr uint64_t kStartTimer = ~uint64_t{0} - 1;
  static constexpr uint64_t kEndTimer = ~uint64_t{0};

 private:
  /// On the first event: fixes the start time and runs at once when it has come. True when
  /// onRun was called now (the caller then skips its own hook for this event).
  bool begin() noexcept;
  void run() noexcept;
  void settleFinishing() noexcept;
  bool send(const strategy_engine::OrderParams& o) noexcept;

  ParentOrder parent_;
  int64_t aggressionTicks_;
  bool completeAtEnd_;
  Phase phase_ = Phase::Waiting;
  bool begun_ = false;
  common::TimestampNs start_ = 0;
  int64_t filled_ = 0;
  Touch touch_;
  Counters counters_;
};

}  // namespace hft::strategies
