#pragma once
#include <cstdint>

#include "common/Events.h"

namespace hft::strategy_engine {

/// The running OHLCV of one bar's trades, shared by the bar builders. Quote volume is the sum
/// of price * qty, kept exact in 128 bits at scale priceScale + qtyScale and rescaled to
/// common::kAmountScale (truncating) once, when the bar is finished. Bounds: the 128-bit sum
/// is exact while it stays below 2^127 (1.7e38 raw, e.g. 1.7e10 trades of price 1e15 raw times
/// qty 1e13 raw); the rescaled result saturates at INT64_MAX (9.2e10 quote units at 8
/// decimals), counted by saturatedBars(). Volumes are int64 sums of raw quantities.
/// noexcept and allocation-free.
class BarAccumulator {
 public:
  /// Throws std::invalid_argument when a scale is outside [0, common::kMaxScale].
  BarAccumulator(int priceScale, int qtyScale);

  bool empty() const noexcept { return bar_.trade_count == 0; }
  int64_t volume() const noexcept { return bar_.volume; }
  /// Event time of the bar's first trade (valid when !empty()).
  common::TimestampNs firstTime() const noexcept { return first_; }

  void add(const common::Trade& t) noexcept;
  /// Writes the bar into `out` and starts an empty one. out.header: type Bar, the exchange and
  /// instrument of the trades, exchange_ts_ns = closeTs, receive_ts_ns = receive time of the
  /// bar's last trade; sequence and publish time are left 0 for the publisher.
  void finish(common::TimestampNs closeTs, int64_t intervalNs, common::Bar& out) noexcept;
  uint64_t saturatedBars() const noexcept { return saturated_; }

 private:
  __extension__ using Int128 = __int128;

  common::Bar bar_{};  // header, OHLC, volumes and count of the open bar (quote volume below)
  Int128 quoteRaw_ = 0;
  Int128 divisor_ = 1;   // 10^(priceScale + qtyScale - kAmountScale) when positive
  int64_t multiplier_ = 1;  // 10^(kAmountScale - priceScale - qtyScale) when positive
  common::TimestampNs first_ = 0;
  uint64_t saturated_ = 0;
};

}  // namespace hft::strategy_engine
