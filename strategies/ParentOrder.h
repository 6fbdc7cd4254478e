#pragma once
// The parent order an execution algorithm works (TWAP, VWAP, iceberg): what to trade, how
// much, when, and the worst acceptable price. Read once from the strategy's params; the
// instrument's grid is copied in so the strategy never needs the registry afterwards.
#include <string>

#include "common/Ids.h"
#include "common/OrderEnums.h"
#include "strategy_engine/StrategyParams.h"
#include "strategy_engine/StrategyRegistry.h"

namespace hft::strategies {

struct ParentOrder {
  common::InstrumentId instrument = 0;
  common::Side side = common::Side::Buy;
  int64_t total_qty = 0;                 ///< raw at the qty scale, a positive multiple of lot
  common::TimestampNs start_offset = 0;  ///< ns from the first event the strategy sees
  common::TimestampNs duration = 0;      ///< ns; 0 = no end (iceberg only)
  int64_t limit_price = 0;               ///< raw; buy: highest price paid, sell: lowest; 0 = none
  int64_t tick = 0;                      ///< price grid (raw)
  int64_t lot = 0;                       ///< qty grid (raw)

  bool buy() const noexcept { return side == common::Side::Buy; }
  /// Whether a child at `price` respects the limit (always, without one).
  bool withinLimit(int64_t price) const noexcept {
    return limit_price == 0 || (buy() ? price <= limit_price : price >= limit_price);
  }
  /// `price` pulled back to the limit when beyond it.
  int64_t capped(int64_t price) const noexcept { return withinLimit(price) ? price : limit_price; }
  /// `price` moved `ticks` towards the other side of the book (buy: up, sell: down).
  int64_t through(int64_t price, int64_t ticks) const noexcept { return price + (buy() ? ticks : -ticks) * tick; }
  int64_t floorLot(int64_t qty) const noexcept { return qty > 0 ? qty - qty % lot : 0; }
};

/// "buy" or "sell" under `key` (required). Throws config::ConfigError.
common::Side readSide(strategy_engine::StrategyParams& params, const std::string& key);

/// Reads side, total_qty, start_offset_ms, duration_ms (in [minDurationMs, 7 days], default
/// defaultDurationMs) and limit_price, for the single instrument the strategy is configured
/// with. Throws config::ConfigError naming the bad key.
ParentOrder readParentOrder(strategy_engine::StrategyParams& params, const strategy_engine::StrategySetup& setup,
                            int64_t minDurationMs, int64_t defaultDurationMs);

}  // namespace hft::strategies
