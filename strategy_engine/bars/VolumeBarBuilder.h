#pragma once
#include <cstdint>

#include "common/Events.h"
#include "strategy_engine/bars/BarAccumulator.h"

namespace hft::strategy_engine {

/// Volume bars of one instrument from its trades: a bar closes on the trade that brings its
/// volume to at least `volumeRaw` (raw at the qty scale). Trades are not split, so a bar holds
/// volumeRaw or more (one large trade makes one large bar). Closed bars: header.exchange_ts_ns
/// = event time of the closing trade, interval_ns = its distance from the bar's first trade
/// (so close - interval is the open time, as for time bars); see BarAccumulator for quote
/// volume and header. onTrade is noexcept and allocation-free.
class VolumeBarBuilder {
 public:
  /// Throws std::invalid_argument when volumeRaw <= 0 or a scale is outside [0, 18].
  VolumeBarBuilder(int64_t volumeRaw, int priceScale, int qtyScale);

  /// Adds a trade; true when it completed a bar, now in bar().
  bool onTrade(const common::Trade& t) noexcept;
  /// Closes the open, partial bar (end of data); true when there was one, now in bar().
  bool flush() noexcept;
  /// The last completed bar (all zero before the first).
  const common::Bar& bar() const noexcept { return bar_; }
  bool hasOpenBar() const noexcept { return !acc_.empty(); }
  uint64_t saturatedBars() const noexcept { return acc_.saturatedBars(); }

 private:
  void close() noexcept { acc_.finish(last_, last_ - acc_.firstTime(), bar_); }

  int64_t threshold_;
  BarAccumulator acc_;
  common::Bar bar_{};
  common::TimestampNs last_ = 0;
};

}  // namespace hft::strategy_engine
