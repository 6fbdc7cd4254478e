#pragma once
#include <cstdint>

#include "common/Events.h"
#include "strategy_engine/bars/BarAccumulator.h"

namespace hft::strategy_engine {

/// Time bars of one instrument from its trades, on event time (common::eventTime). Bars are
/// aligned to multiples of the interval since the epoch: [k * interval, (k + 1) * interval).
/// A bar closes when the first trade at or after its end arrives (that trade opens the next
/// bar), or on flush(); nothing closes a bar without a trade, so an interval without trades
/// produces no bar (the next bar starts at the interval of the next trade). A trade older than
/// the open bar's start (out of order after a merge) joins the open bar and is counted.
/// Closed bars: header.exchange_ts_ns = the last nanosecond of the interval (start + interval
/// - 1, Binance's close-time convention at ns granularity), interval_ns = interval; see
/// BarAccumulator for quote volume and header. onTrade is noexcept and allocation-free.
class TimeBarBuilder {
 public:
  /// Throws std::invalid_argument when intervalNs <= 0 or a scale is outside [0, 18].
  TimeBarBuilder(int64_t intervalNs, int priceScale, int qtyScale);

  /// Adds a trade; true when it closed the previous bar, now in bar().
  bool onTrade(const common::Trade& t) noexcept;
  /// Closes the open bar (end of data); true when there was one, now in bar().
  bool flush() noexcept;
  /// The last completed bar (all zero before the first).
  const common::Bar& bar() const noexcept { return bar_; }
  bool hasOpenBar() const noexcept { return !acc_.empty(); }
  /// Start of the open bar's interval (valid when hasOpenBar()).
  common::TimestampNs openBarStart() const noexcept { return start_; }
  uint64_t lateTrades() const noexcept { return late_; }
  uint64_t saturatedBars() const noexcept { return acc_.saturatedBars(); }

 private:
  int64_t interval_;
  BarAccumulator acc_;
  common::Bar bar_{};
  common::TimestampNs start_ = 0;
  uint64_t late_ = 0;
};

}  // namespace hft::strategy_engine
