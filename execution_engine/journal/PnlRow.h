#pragma once
#include <cstdint>
#include <string>

namespace hft::execution_engine::journal {

/// One line of the daily PnL report: one strategy's result in one instrument on one venue
/// over one UTC day. Amounts are fixed-point at common::kAmountScale (8 decimals) in the
/// reporting currency the caller chose (the trade manager's); names are as configured.
struct PnlRow {
  std::string strategy;        ///< strategy name (or id as text)
  std::string venue;           ///< "binance", as common::toString(ExchangeId)
  std::string instrument;      ///< normalized "BTC/USDT"
  int64_t realized_pnl = 0;    ///< closed PnL, fees not deducted
  int64_t unrealized_pnl = 0;  ///< open position marked at the report time
  int64_t fees = 0;            ///< fees paid (negative = rebates received)
  int64_t volume = 0;          ///< traded notional, sum of |price * qty|
  uint64_t fills = 0;          ///< number of fills
};

}  // namespace hft::execution_engine::journal
