#pragma once
#include <cstdint>

#include "common/Ids.h"

namespace hft::strategy_engine {

/// A strategy's position in one instrument, from its own fills.
/// PnL and fees are in the quote currency at common::kAmountScale (8 decimals).
struct Position {
  common::InstrumentId instrument = 0;
  int64_t qty = 0;             ///< signed, qty scale: > 0 long, < 0 short
  int64_t avg_price = 0;       ///< price scale; 0 when flat
  int64_t realized_pnl = 0;    ///< before fees
  int64_t fees = 0;            ///< fees paid in the quote currency (other fee assets not included)
  uint64_t fills = 0;
  int64_t bought = 0;          ///< total qty bought (turnover, qty scale)
  int64_t sold = 0;
};

}  // namespace hft::strategy_engine
