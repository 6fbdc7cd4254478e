#pragma once
#include <array>
#include <cstdint>

#include "common/OrderEnums.h"

namespace hft::execution_engine::sim {

/// What the simulated venue did, cumulatively. Read after a run (or between calls: one thread).
struct SimCounters {
  uint64_t orders = 0;    ///< New requests that arrived
  uint64_t cancels = 0;   ///< Cancel requests that arrived
  uint64_t modifies = 0;  ///< Modify requests that arrived
  uint64_t risk_rejects = 0;  ///< New/Modify refused by pre-trade risk (also counted in rejects_by_reason)
  uint64_t rejects = 0;   ///< Rejected reports (any action)
  /// Rejected reports by RejectReason value (the enum's values are below 64).
  std::array<uint64_t, 64> rejects_by_reason{};
  uint64_t canceled = 0;   ///< Canceled reports (cancels and the old side of modifies)
  uint64_t expired = 0;    ///< Expired reports (IOC/FOK/market remainders, failed stop activations)
  uint64_t triggered = 0;  ///< stop / take-profit orders activated by a trade
  uint64_t fills = 0;
  uint64_t maker_fills = 0;
  uint64_t taker_fills = 0;
  /// Notional of maker / taker fills at common::kAmountScale, summed over instruments in their
  /// own quote assets (meaningful as one number only when every instrument shares a quote).
  int64_t maker_notional = 0;
  int64_t taker_notional = 0;
  uint64_t market_events = 0;  ///< events given to onMarketData

  uint64_t rejectsFor(common::RejectReason r) const noexcept {
    const auto i = static_cast<size_t>(r);
    return i < rejects_by_reason.size() ? rejects_by_reason[i] : 0;
  }
};

}  // namespace hft::execution_engine::sim
