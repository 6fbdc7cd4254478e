#pragma once
#include "common/EventHeader.h"
#include "common/OrderEnums.h"

namespace hft::common {

/// Strategy -> executor (112 bytes). header.exchange_id/instrument_id name the target.
///   0 header(48) | 48 client_order_id | 56 orig_client_order_id | 64 price | 72 qty
///   | 80 stop_price | 88 strategy_id(u32) | 92 action | 93 side | 94 type | 95 tif
///   | 96 reduce_only | 97 position_side | 98 pad[6] | 104 request_ts_ns
struct OrderRequest {
  static constexpr EventType kType = EventType::OrderRequest;
  EventHeader header;
  ClientOrderId client_order_id;       ///< id of this request's order (new id for modify)
  ClientOrderId orig_client_order_id;  ///< cancel/modify: the order to act on; else 0
  int64_t price;                       ///< limit price (0 for market)
  int64_t qty;
  int64_t stop_price;                  ///< trigger for stop/take-profit types; else 0
  StrategyId strategy_id;
  OrderAction action;
  Side side;
  OrderType type;
  TimeInForce tif;
  uint8_t reduce_only;                 ///< 1 = may only reduce a position (futures)
  PositionSide position_side;
  uint8_t pad[6];
  TimestampNs request_ts_ns;           ///< event time the strategy decided (from its input event)
};
static_assert(std::is_trivially_copyable_v<OrderRequest> && std::is_standard_layout_v<OrderRequest>);
static_assert(sizeof(OrderRequest) == 112 && alignof(OrderRequest) == 8);
static_assert(offsetof(OrderRequest, strategy_id) == 88 && offsetof(OrderRequest, request_ts_ns) == 104);

}  // namespace hft::common
