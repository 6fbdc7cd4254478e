#pragma once
// Upbit (and Bithumb 2.x) order-entry REST replies -> common::ExecutionReport, with simdjson
// On-Demand straight into the instrument's fixed point.
//
//   body                                               kind         output
//   order object (POST /v1/orders 201, DELETE /v1/order, GET /v1/order)   Order     reports()[0], uuid(0)
//   array of order objects (GET /v1/orders/open)       Orders       reports()[i], uuid(i)
//   {"error":{"name":"...","message":"..."}}           VenueError   error(): the venue's name kept,
//                                                                   mapped to a RejectReason
//   anything else well-formed                          Other        -
//
// Report fields: client_order_id from `identifier` (Bithumb: `client_order_id`) when it is one
// of ours (a decimal 64-bit id), else 0; venue_order_id 0 (the venue's id is a UUID: uuid(i));
// cum_qty executed_volume, leaves_qty remaining_volume, order_price price (limit and best
// orders; market orders have none, and ord_type=price's `price` is an amount), fee paid_fee
// (kAmountScale, in the quote currency), venue_ts_ns and header.exchange_ts_ns created_at.
// exec_type from state: wait/watch -> New (PartiallyFilled once executed_volume > 0),
// done -> Filled, cancel -> Canceled. A DELETE reply carries the order's state when the cancel
// was accepted (usually wait): the cancel itself is confirmed by a later query or myOrder event.
// `null` is accepted where the venue sends it (price of a market sell, volume of ord_type=price).
// Unknown keys are ignored. strategy_id and local_send_ts_ns are the executor's to fill.
//
// One parser per thread; after construction nothing throws and nothing allocates unless a body
// is larger than any before. Results stay valid until the next parse.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "api/exchanges/upbit/Dialect.h"
#include "api/exchanges/upbit/InstrumentResolver.h"
#include "api/exchanges/upbit/ParseResult.h"
#include "common/events/ExecutionReport.h"

namespace hft::api::upbit {

enum class ResponseKind : uint8_t {
  None = 0,        ///< the parse failed before classification
  Order = 1,       ///< one order object
  Orders = 2,      ///< an array of order objects
  VenueError = 3,  ///< {"error":{...}}
  Other = 4,       ///< well-formed, nothing to convert
};
const char* toString(ResponseKind k) noexcept;

/// Outcome of one parse (field and offset as in ParseResult; `item` = index in an array reply).
struct ResponseResult {
  ResponseKind kind = ResponseKind::None;
  Status status = Status::Ok;
  const char* field = "";
  uint32_t offset = 0;
  uint32_t item = 0;
  common::ParseStatus number = common::ParseStatus::Ok;
  std::string_view value;
  bool ok() const noexcept { return status == Status::Ok; }
};

struct VenueError {
  std::string_view name;     ///< "insufficient_funds_bid", "invalid_price_ask", ...; kept for logs
  std::string_view message;  ///< the venue's (Korean) text
  common::RejectReason reason = common::RejectReason::None;
};

/// Maps a venue error name to the strategy's reject code (unknown names: VenueRejected).
/// Names from the docs' examples and error guide; see README.md for which were seen verbatim.
common::RejectReason rejectReasonOf(std::string_view errorName) noexcept;

/// "2025-07-04T15:00:00+09:00" (also fractional seconds, "Z") -> ns since the epoch.
[[nodiscard]] bool parseIsoTimestamp(std::string_view text, common::TimestampNs& out) noexcept;

class OrderResponseParser {
 public:
  struct Limits {
    size_t maxOrders = 100;                ///< GET /v1/orders/open returns at most 100
    size_t initialMessageBytes = 1 << 16;
  };
  static constexpr size_t kUuidChars = 36;

  OrderResponseParser(const Dialect& dialect, InstrumentResolver& resolver);
  OrderResponseParser(const Dialect& dialect, InstrumentResolver& resolver, Limits limits);
  ~OrderResponseParser();
  OrderResponseParser(const OrderResponseParser&) = delete;
  OrderResponseParser& operator=(const OrderResponseParser&) = delete;

  /// One REST reply body; reports are stamped with `receiveTs`.
  [[nodiscard]] ResponseResult parse(std::string_view body, common::TimestampNs receiveTs) noexcept;

  std::span<const common::ExecutionReport> reports() const noexcept;
  /// The venue's order id of reports()[i] (36-char UUID text).
  std::string_view uuid(size_t i) const noexcept;
  const VenueError& error() const noexcept;

 private:
  struct Impl;
  const Dialect& dialect_;
  InstrumentResolver& resolver_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hft::api::upbit
