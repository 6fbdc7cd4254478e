#pragma once
// Upbit's (and Bithumb's) private WebSocket frames -> common::ExecutionReport / BalanceUpdate,
// with simdjson On-Demand straight into fixed point (prices and volumes arrive as JSON numbers:
// shared::parseJsonDecimal, never a double). DEFAULT format only (the gateway subscribes so).
//
//   frame                                           kind       output
//   {"type":"myOrder", ...}                         MyOrder    report(), uuid(), tradeUuid()
//   {"type":"myAsset","assets":[{currency,balance,locked}],...}   MyAsset    balances()
//   {"status":"UP"}  (answer to the text "PING")    Status     -
//   {"error":{"name":"INVALID_AUTH",...}}           VenueError errorName()
//   anything else well-formed                       Other      -
//
// myOrder -> report (Upbit keys; Bithumb's client id key is the dialect's):
//   code -> instrument; uuid -> venue_order_id (venueOrderIdOf) and uuid(); ask_bid BID|ASK;
//   order_type limit|best -> Limit, price|market -> Market; time_in_force ioc|fok|post_only;
//   executed_volume -> cum_qty, remaining_volume -> leaves_qty, avg_price -> avg_price;
//   identifier (Bithumb client_order_id) -> client_order_id when decimal (else 0: not ours);
//   timestamp (ms) -> venue_ts_ns and header.exchange_ts_ns.
//   state wait|watch -> New (PartiallyFilled once executed_volume > 0); trade -> a fill:
//     last_price = price, last_qty = volume (in trade state they are the trade's, per the docs),
//     fee = trade_fee, liquidity from is_maker, trade_id = venueOrderIdOf(trade_uuid);
//     PartiallyFilled while remaining_volume > 0, else Filled;
//   done -> Filled (last_qty 0: the fills came before); cancel -> Canceled;
//   prevented (self-match prevention) -> Canceled.
//   order_price = price outside trade state (limit orders; market orders have none).
// myAsset -> one BalanceUpdate per asset: free = balance, locked = locked, delta 0, at
//   common::kAmountScale (digits beyond it are truncated: an amount, not a price).
// Failures name the field as in the frame ("price", "assets[2].locked") and its byte offset.
// One parser per thread; nothing allocates after construction unless a frame is larger than
// any before. Results stay valid until the next parse.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "api/exchanges/upbit/Dialect.h"
#include "api/exchanges/upbit/InstrumentResolver.h"
#include "api/exchanges/upbit/ParseResult.h"
#include "common/events/BalanceUpdate.h"
#include "common/events/ExecutionReport.h"

namespace hft::api::upbit {

enum class PrivateKind : uint8_t {
  None = 0,        ///< the parse failed before classification
  MyOrder = 1,
  MyAsset = 2,
  Status = 3,      ///< {"status":"UP"}
  VenueError = 4,  ///< {"error":{...}}
  Other = 5,       ///< well-formed, nothing to convert (another type, a SIMPLE frame)
};
const char* toString(PrivateKind k) noexcept;

struct PrivateResult {
  PrivateKind kind = PrivateKind::None;
  Status status = Status::Ok;
  const char* field = "";  ///< valid until the next parse
  uint32_t offset = 0;
  common::ParseStatus number = common::ParseStatus::Ok;
  std::string_view value;  ///< the failing text; valid until the next parse
  bool ok() const noexcept { return status == Status::Ok; }
};

class PrivateStreamParser {
 public:
  static constexpr size_t kMaxAssets = 256;
  static constexpr size_t kUuidChars = 64;

  PrivateStreamParser(const Dialect& dialect, InstrumentResolver& resolver, size_t initialFrameBytes = 1 << 14);
  ~PrivateStreamParser();
  PrivateStreamParser(const PrivateStreamParser&) = delete;
  PrivateStreamParser& operator=(const PrivateStreamParser&) = delete;

  [[nodiscard]] PrivateResult parse(std::string_view frame, common::TimestampNs receiveTs) noexcept;

  const common::ExecutionReport& report() const noexcept;   ///< MyOrder
  std::string_view uuid() const noexcept;                   ///< MyOrder: the order's uuid
  std::string_view tradeUuid() const noexcept;              ///< MyOrder in trade state; else ""
  std::string_view state() const noexcept;                  ///< MyOrder: "wait", "trade", ...
  std::span<const common::BalanceUpdate> balances() const noexcept;  ///< MyAsset
  std::string_view errorName() const noexcept;              ///< VenueError

 private:
  struct Impl;
  const Dialect& dialect_;
  InstrumentResolver& resolver_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hft::api::upbit
