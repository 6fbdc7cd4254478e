#pragma once
// VWAP execution: works total_qty over duration_ms in proportion to the volume the market is
// expected to trade in each part of it (VwapExecution, not to be confused with the Vwap
// indicator).
//
// Volume model: the last profile_window_ms before the start, cut into `buckets` equal bins, is
// the shape of volume over the execution window cut into as many buckets: execution bucket i
// is expected to see the share v_i / sum(v) of the volume, so the cumulative target after
// bucket i is total_qty * (v_0 + ... + v_i) / sum(v), floored to the lot (the last bucket's is
// total_qty). Trades are seen from the first event on: set start_offset_ms >= profile_window_ms
// for a full profile. With no volume at all the schedule is uniform. The profile is frozen at
// the start; a shortfall in one bucket rolls into the next through the cumulative targets.
//
// Participation cap: within execution bucket i, the strategy's fills in the bucket plus its
// working qty stay at or below max_participation of the public volume traded in the bucket so
// far (on a live venue that volume includes the strategy's own prints). Children are therefore
// sent on trades: one IOC at a time, at the far touch + aggression_ticks capped by
// limit_price, for min(target shortfall, participation room).
// At start + duration, with complete_at_end, one final IOC takes the rest regardless of the cap.
#include <memory>
#include <vector>

#include "strategies/ExecutionAlgo.h"

namespace hft::strategies {

class VwapExecution final : public ExecutionAlgo {
 public:
  /// participationPpm: max_participation in parts per million (1..1'000'000).
  VwapExecution(const ParentOrder& parent, uint32_t buckets, common::TimestampNs profileWindow,
                int64_t participationPpm, int64_t aggressionTicks, bool completeAtEnd);

  /// Cumulative target after execution bucket i (valid once running).
  int64_t target(uint32_t i) const noexcept { return targets_[i]; }
  /// Volume seen in profile bin i (bin 0 starts profile_window_ms before the start).
  int64_t profileVolume(uint32_t i) const noexcept { return profile_[i]; }
  uint32_t currentBucket() const noexcept { return current_; }

 private:
  void onRun() override;
  void onSchedule(uint64_t id) override { enterBucket(static_cast<uint32_t>(id)); }
  void onMarketTrade(const common::Trade& t) override;
  void enterBucket(uint32_t i) noexcept;
  void tryTrade() noexcept;

  uint32_t buckets_;
  common::TimestampNs window_;
  int64_t participationPpm_;
  std::vector<int64_t> profile_;  // sized at construction: no allocation on events
  std::vector<int64_t> targets_;
  uint32_t current_ = 0;
  int64_t bucketVolume_ = 0;        ///< public volume in the current execution bucket
  int64_t filledBeforeBucket_ = 0;  ///< filled() when the current bucket began
};

/// Params: side, total_qty, start_offset_ms, duration_ms, limit_price (see ParentOrder),
/// buckets, profile_window_ms, max_participation, aggression_ticks, complete_at_end.
std::unique_ptr<strategy_engine::IStrategy> makeVwapExecution(strategy_engine::StrategyParams& params,
                                                              const strategy_engine::StrategySetup& setup);

}  // namespace hft::strategies
