#pragma once
#include "common/EventHeader.h"
#include "common/OrderEnums.h"

namespace hft::common {

/// Position of one strategy in one instrument on one venue (96 bytes).
/// PnL amounts are in the quote asset at kAmountScale (ExecutionReport.h).
///   0 header(48) | 48 qty | 56 avg_entry_price | 64 realized_pnl | 72 unrealized_pnl
///   | 80 fees | 88 strategy_id(u32) | 92 position_side | 93 pad[3]
struct PositionUpdate {
  static constexpr EventType kType = EventType::PositionUpdate;
  EventHeader header;
  int64_t qty;              ///< signed: > 0 long, < 0 short (qty scale)
  int64_t avg_entry_price;  ///< price scale
  int64_t realized_pnl;
  int64_t unrealized_pnl;
  int64_t fees;
  StrategyId strategy_id;
  PositionSide position_side;
  uint8_t pad[3];
};
static_assert(std::is_trivially_copyable_v<PositionUpdate> && std::is_standard_layout_v<PositionUpdate>);
static_assert(sizeof(PositionUpdate) == 96 && alignof(PositionUpdate) == 8);
static_assert(offsetof(PositionUpdate, strategy_id) == 88);

}  // namespace hft::common
