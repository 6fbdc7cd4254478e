#pragma once
#include "common/EventHeader.h"
#include "common/OrderEnums.h"

namespace hft::common {

/// Fees and balances are fixed-point with this many decimals, whatever the asset.
inline constexpr int kAmountScale = 8;

/// Executor/backtester -> strategies (176 bytes). header.exchange_ts_ns is the venue's event
/// time; local_send_ts_ns and venue_ts_ns let a recording hold measured order round trips.
///   0 header(48) | 48 client_order_id | 56 venue_order_id | 64 last_price | 72 last_qty
///   | 80 cum_qty | 88 leaves_qty | 96 order_price | 104 fee | 112 fee_asset[8]
///   | 120 local_send_ts_ns | 128 venue_ts_ns | 136 strategy_id | 140 exec_type | 141 side
///   | 142 liquidity | 143 order_type | 144 reject_reason(u16) | 146 tif | 147 pad[5]
///   | 152 orig_client_order_id | 160 avg_price | 168 trade_id
struct ExecutionReport {
  static constexpr EventType kType = EventType::ExecutionReport;
  EventHeader header;
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;
  int64_t last_price;       ///< price of this fill (0 when not a fill)
  int64_t last_qty;         ///< qty of this fill (0 when not a fill)
  int64_t cum_qty;          ///< total filled so far
  int64_t leaves_qty;       ///< still working
  int64_t order_price;      ///< the order's limit price
  int64_t fee;              ///< this fill's fee at kAmountScale, in fee_asset
  char fee_asset[8];        ///< NUL-padded asset code, e.g. "USDT", "BNB"
  TimestampNs local_send_ts_ns;  ///< when the executor wrote the request to the venue
  TimestampNs venue_ts_ns;       ///< venue transaction time of this report
  StrategyId strategy_id;
  ExecType exec_type;
  Side side;
  Liquidity liquidity;
  OrderType order_type;
  RejectReason reject_reason;
  TimeInForce tif;
  uint8_t pad[5];
  ClientOrderId orig_client_order_id;  ///< for modify/cancel reports
  int64_t avg_price;        ///< average fill price so far
  uint64_t trade_id;        ///< venue trade id of this fill
};
static_assert(std::is_trivially_copyable_v<ExecutionReport> && std::is_standard_layout_v<ExecutionReport>);
static_assert(sizeof(ExecutionReport) == 176 && alignof(ExecutionReport) == 8);
static_assert(offsetof(ExecutionReport, fee_asset) == 112 && offsetof(ExecutionReport, strategy_id) == 136);
static_assert(offsetof(ExecutionReport, reject_reason) == 144 && offsetof(ExecutionReport, trade_id) == 168);

}  // namespace hft::common
