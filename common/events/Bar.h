#pragma once
#include "common/EventHeader.h"

namespace hft::common {

/// One OHLCV bar (kline) as the venue published it (120 bytes). header.exchange_ts_ns is the
/// bar's close time; open time = close - interval + 1 ms granularity as the venue defines it.
///   0 header(48) | 48 open | 56 high | 64 low | 72 close | 80 volume | 88 taker_buy_volume
///   | 96 quote_volume | 104 trade_count | 112 interval_ns
struct Bar {
  static constexpr EventType kType = EventType::Bar;
  EventHeader header;
  int64_t open;              ///< price scale
  int64_t high;
  int64_t low;
  int64_t close;
  int64_t volume;            ///< qty scale
  int64_t taker_buy_volume;  ///< qty scale
  int64_t quote_volume;      ///< quote currency at kAmountScale (8 decimals)
  uint64_t trade_count;
  int64_t interval_ns;       ///< e.g. 60'000'000'000 for 1m
};
static_assert(std::is_trivially_copyable_v<Bar> && std::is_standard_layout_v<Bar>);
static_assert(sizeof(Bar) == 120 && alignof(Bar) == 8);
static_assert(offsetof(Bar, open) == 48 && offsetof(Bar, interval_ns) == 112);

}  // namespace hft::common
