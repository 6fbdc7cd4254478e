#pragma once
#include "common/EventHeader.h"
#include "common/OrderEnums.h"

namespace hft::common {

/// One public trade (80 bytes).
///   0 header(48) | 48 price | 56 qty | 64 trade_id | 72 aggressor | 73 pad[7]
struct Trade {
  static constexpr EventType kType = EventType::Trade;
  EventHeader header;
  int64_t price;      ///< raw fixed-point at the instrument's price scale
  int64_t qty;        ///< raw fixed-point at the instrument's qty scale, > 0
  uint64_t trade_id;  ///< venue trade id (0 if none)
  Side aggressor;     ///< taker side; Binance m=true (buyer is maker) -> Sell
  uint8_t pad[7];
};
static_assert(std::is_trivially_copyable_v<Trade> && std::is_standard_layout_v<Trade>);
static_assert(sizeof(Trade) == 80 && alignof(Trade) == 8);
static_assert(offsetof(Trade, price) == 48 && offsetof(Trade, aggressor) == 72);

}  // namespace hft::common
