#pragma once
// Binance order-entry replies and user-data events -> common::ExecutionReport / BalanceUpdate,
// with simdjson On-Demand, straight into the instrument's fixed point.
//
//   input                                             kind              output
//   REST new/cancel/query/modify reply (RESULT, FULL) Order             reports()[0] (+ fills() for FULL)
//   REST new-order reply with newOrderRespType=ACK    OrderAck          reports()[0]: ids, time, New
//   spot cancelReplace reply (success or -2021/-2022) CancelReplace     items()[0] cancel, items()[1] new order
//   USD-M batchOrders reply (array)                   Batch             items()[i], one per order sent
//   {"code":-2010,"msg":"..."}                        VenueError        error()
//   GET /api/v3/time, /fapi/v1/time                   ServerTime        serverTimeMs()
//   executionReport (spot), ORDER_TRADE_UPDATE (USD-M) ExecutionReport  reports()[0]
//   outboundAccountPosition, ACCOUNT_UPDATE           Balances          balances()
//   listenKeyExpired, eventStreamTerminated           StreamExpired     -
//   any other well-formed reply or event              Other             -
//
// User-data events are accepted bare, in the WebSocket API subscription wrapper
// {"subscriptionId":N,"event":{..}} (spot's current delivery) and in the combined-stream
// wrapper {"stream":..,"data":{..}}. Unknown keys are ignored; `null` is accepted where the
// venue sends it (N, n on USD-M). Key order does not matter.
//
// Client order ids: ours are decimal strings of the 64-bit id (OrderEncoder). Any other id
// (orders placed elsewhere, "autoclose-..." liquidations, venue-generated cancel ids) gives
// client_order_id 0; its text stays available through clientOrderIdText().
//
// A cancel names two ids, as in FIX: client_order_id is the cancel request's id (spot's
// newClientOrderId on the cancel, `c` in the event) and orig_client_order_id the order that
// was canceled (`origClientOrderId`, `C`). USD-M cancels have no id of their own: the report
// carries the order's id in client_order_id.
//
// Fields the venue does not send are 0 (an ACK reply has no side or type: order_type and side
// stay 0, which is no enumerator). strategy_id and local_send_ts_ns are the executor's to fill.
// Prices and quantities must sit on the instrument's scale (more decimals is BadNumber);
// fees, balances and average prices are amounts and are truncated to their scale.
//
// One parser per thread. After construction nothing throws and nothing allocates unless a
// message is larger than any before. Results stay valid until the next parse.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "api/exchanges/binance/InstrumentResolver.h"
#include "api/exchanges/binance/Market.h"
#include "common/FixedPoint.h"
#include "common/events/BalanceUpdate.h"
#include "common/events/ExecutionReport.h"

namespace hft::api::binance {

enum class ResponseKind : uint8_t {
  None = 0,             ///< nothing recognised (the parse failed first)
  OrderAck = 1,         ///< REST new order, newOrderRespType=ACK: ids and time only
  Order = 2,            ///< REST reply with the order's state (new, cancel, query, USD-M modify)
  CancelReplace = 3,    ///< spot cancelReplace reply (see items())
  Batch = 4,            ///< USD-M batchOrders reply (see items())
  VenueError = 5,       ///< {"code":..,"msg":..} (see error())
  ExecutionReport = 6,  ///< executionReport / ORDER_TRADE_UPDATE
  Balances = 7,         ///< outboundAccountPosition / ACCOUNT_UPDATE
  StreamExpired = 8,    ///< listenKeyExpired / eventStreamTerminated: subscribe again
  ServerTime = 9,       ///< {"serverTime":..}
  Other = 10,           ///< well-formed, nothing to convert (balanceUpdate, listStatus, TRADE_LITE, {}, ...)
};
const char* toString(ResponseKind k) noexcept;

/// Why a message could not be converted. Hot path: a code, never an exception.
enum class ResponseStatus : uint8_t {
  Ok = 0,
  InvalidJson = 1,    ///< not well-formed (truncated, ...) or not an object/array at the top
  MissingField = 2,   ///< a field this message needs is absent
  WrongType = 3,      ///< a field has another JSON type (a number where a string belongs, ...)
  BadNumber = 4,      ///< a decimal or integer does not convert (see ResponseResult::number)
  BadValue = 5,       ///< an enum text this parser does not know ("X":"PENDING_CANCEL", ...)
  UnknownSymbol = 6,  ///< the resolver knows no instrument for the symbol
  TooManyItems = 7,   ///< more fills, balances or batch items than the parser was sized for
  TooLarge = 8,       ///< the message did not fit and the buffers could not grow
};
const char* toString(ResponseStatus s) noexcept;

/// Outcome of one parse. On failure `field` names the key and `offset` is the byte offset in
/// the message of the failing value (of the object lacking a missing field; of the point
/// where the JSON broke).
struct ResponseResult {
  ResponseKind kind = ResponseKind::None;
  Market market = Market::Spot;
  ResponseStatus status = ResponseStatus::Ok;
  std::string_view field;  ///< "executedQty", "fills[].price", "B[].f"; valid until the next parse
  uint32_t offset = 0;
  common::ParseStatus number = common::ParseStatus::Ok;  ///< detail of BadNumber
  std::string_view value;  ///< the text that failed (BadNumber, BadValue); valid until the next parse
  bool ok() const noexcept { return status == ResponseStatus::Ok; }
};

/// A venue error body {"code":-2010,"msg":"..."}.
struct VenueError {
  int32_t code = 0;                                           ///< the venue's code, kept for logs and decisions
  common::RejectReason reason = common::RejectReason::None;  ///< rejectReasonOf(code, message)
  bool executionUnknown = false;  ///< the request may or may not have executed (-1006, -1007): reconcile
  std::string_view message;       ///< valid until the next parse
};

/// Maps a venue error to the strategy's reject code. The message matters for the -1013
/// filter failures and the -2010 new-order rejections, which share a code.
common::RejectReason rejectReasonOf(Market market, int32_t code, std::string_view message) noexcept;
/// -1006 / -1007: the venue does not know whether the request executed.
bool executionUnknown(int32_t code) noexcept;

/// One fill of a FULL new-order reply.
struct ParsedFill {
  int64_t price;         ///< instrument price scale
  int64_t qty;           ///< instrument qty scale
  int64_t fee;           ///< common::kAmountScale
  char fee_asset[8];     ///< NUL-padded
  uint64_t trade_id;
};

/// One part of a reply that bundles outcomes: order i of a batch, or the cancel (index 0) and
/// the new order (index 1) of a cancel-replace.
struct ReplyItem {
  enum class Outcome : uint8_t {
    Report = 1,        ///< succeeded: `report`
    Error = 2,         ///< refused: `error`
    NotAttempted = 3,  ///< cancel-replace: the new order was not tried because the cancel failed
  };
  Outcome outcome;
  common::ExecutionReport report;
  VenueError error;
};

class OrderResponseParser {
 public:
  struct Limits {
    size_t maxFills = 256;                 ///< fills of one FULL reply
    size_t maxBalances = 512;              ///< assets of one account event
    size_t initialMessageBytes = 1 << 16;  ///< larger messages grow the buffers once
  };
  static constexpr size_t kMaxItems = 10;  ///< batch replies: 5 new orders, 10 cancels

  /// Allocates every buffer. `resolver` must outlive the parser.
  explicit OrderResponseParser(InstrumentResolver& resolver);
  OrderResponseParser(InstrumentResolver& resolver, Limits limits);
  ~OrderResponseParser();
  OrderResponseParser(const OrderResponseParser&) = delete;
  OrderResponseParser& operator=(const OrderResponseParser&) = delete;

  /// A REST reply body from `market` (the caller knows which endpoint it called). Reports are
  /// stamped with `receiveTs`.
  [[nodiscard]] ResponseResult parseRest(Market market, std::string_view body, common::TimestampNs receiveTs) noexcept;
  /// One user-data message; the market follows from the event.
  [[nodiscard]] ResponseResult parseUserData(std::string_view message, common::TimestampNs receiveTs) noexcept;

  std::span<const common::ExecutionReport> reports() const noexcept;  ///< Order, OrderAck, ExecutionReport
  std::span<const ReplyItem> items() const noexcept;                  ///< CancelReplace, Batch
  std::span<const ParsedFill> fills() const noexcept;                 ///< Order from a FULL reply
  std::span<const common::BalanceUpdate> balances() const noexcept;   ///< Balances
  /// Assets left out of balances() because their code is longer than BalanceUpdate::asset holds.
  size_t skippedAssets() const noexcept;
  const VenueError& error() const noexcept;  ///< VenueError (also the summary of a failed cancel-replace)
  int64_t serverTimeMs() const noexcept;     ///< ServerTime
  /// Client order id text of reports()[0] (or of items()[i].report); "" when none.
  std::string_view clientOrderIdText(size_t item = 0) const noexcept;
  /// Event type of the last user-data message ("executionReport", "TRADE_LITE", ...).
  std::string_view eventType() const noexcept;

 private:
  struct Impl;  // simdjson state and scratch: keeps simdjson.h out of this header
  InstrumentResolver& resolver_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hft::api::binance
