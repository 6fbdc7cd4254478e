#pragma once
// TWAP: works total_qty in `slices` equal parts over duration_ms, slice k at
// start + k * duration / slices (event-time timers).
//
// The schedule is cumulative: slice k brings filled + working up to (k + 1) / slices of the
// total (the last one to all of it), so whatever earlier slices did not fill rolls into the
// next slice, and nothing is ever sent beyond total_qty (see ExecutionAlgo).
//   aggressive: each slice is one IOC at the far touch + aggression_ticks, capped by
//               limit_price (skipped when the touch itself is beyond the limit);
//   passive:    each slice re-quotes: the working order is cancelled and, once its cancel is
//               confirmed, one post-only order for the whole shortfall joins the near touch.
// At start + duration the working order is cancelled and, when complete_at_end, one final IOC
// (as in aggressive mode) is sent for what is left.
#include <memory>

#include "strategies/ExecutionAlgo.h"

namespace hft::strategies {

class Twap final : public ExecutionAlgo {
 public:
  enum class Mode : uint8_t {
    Aggressive = 0,  ///< IOC at the far touch each slice
    Passive = 1,     ///< post-only at the near touch, re-quoted each slice
  };

  Twap(const ParentOrder& parent, uint32_t slices, Mode mode, int64_t aggressionTicks, bool completeAtEnd) noexcept
      : ExecutionAlgo(parent, aggressionTicks, completeAtEnd), slices_(slices), mode_(mode) {}

  /// Cumulative qty the schedule wants filled or working after slice k (0-based).
  int64_t target(uint32_t k) const noexcept;
  /// The slice being worked (0-based).
  uint32_t currentSlice() const noexcept { return current_; }

 private:
  void onRun() override { slice(0); }
  void onSchedule(uint64_t id) override { slice(static_cast<uint32_t>(id)); }
  void onChildEnded(const common::ExecutionReport& r) override;
  void slice(uint32_t k) noexcept;
  void quote() noexcept;

  uint32_t slices_;
  Mode mode_;
  uint32_t current_ = 0;
  bool requote_ = false;  ///< passive: a cancel is out; quote the shortfall once it is confirmed
};

/// Params: side, total_qty, start_offset_ms, duration_ms, limit_price (see ParentOrder), slices,
/// mode ("aggressive" | "passive"), aggression_ticks, complete_at_end.
std::unique_ptr<strategy_engine::IStrategy> makeTwap(strategy_engine::StrategyParams& params,
                                                     const strategy_engine::StrategySetup& setup);

}  // namespace hft::strategies
