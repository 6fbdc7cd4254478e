#pragma once
// Closed order-domain enums. Values are explicit because they are persisted in recordings
// and journals: never renumber, only append.
#include <cstdint>

namespace hft::common {

enum class Side : uint8_t {
  None = 0,  ///< unknown aggressor (some venues do not say)
  Buy = 1,
  Sell = 2,
};

enum class OrderAction : uint8_t {
  New = 1,     ///< place a new order
  Cancel = 2,  ///< cancel the order named by orig_client_order_id
  Modify = 3,  ///< change price/qty of orig_client_order_id (native amend or cancel-replace)
};

enum class OrderType : uint8_t {
  Market = 1,
  Limit = 2,
  StopMarket = 3,  ///< market order triggered at stop_price
  StopLimit = 4,   ///< limit order at price, triggered at stop_price
  TakeProfit = 5,  ///< market order triggered when price reaches stop_price favourably
};

enum class TimeInForce : uint8_t {
  GTC = 1,       ///< good till cancel
  IOC = 2,       ///< immediate or cancel (partial fills allowed)
  FOK = 3,       ///< fill or kill (all or nothing, immediately)
  PostOnly = 4,  ///< rests as maker or is rejected (Binance LIMIT_MAKER / GTX)
};

enum class PositionSide : uint8_t {
  Both = 0,   ///< one-way mode (spot, and futures one-way)
  Long = 1,   ///< futures hedge mode, long leg
  Short = 2,  ///< futures hedge mode, short leg
};

/// What an ExecutionReport reports. Also the order's status after the report.
enum class ExecType : uint8_t {
  New = 1,              ///< accepted by the venue (acked)
  PartiallyFilled = 2,  ///< a fill, order still working
  Filled = 3,           ///< a fill that completed the order
  Canceled = 4,
  Rejected = 5,         ///< refused by risk or by the venue; see RejectReason
  Expired = 6,          ///< IOC/FOK remainder, or venue expiry
};

enum class Liquidity : uint8_t {
  Unknown = 0,
  Maker = 1,
  Taker = 2,
};

/// Why an order (or cancel/modify) was refused. The strategy sees this code.
enum class RejectReason : uint16_t {
  None = 0,
  // Request validation (executor)
  InvalidQuantity = 1,       ///< zero or negative quantity
  InvalidPrice = 2,          ///< zero/negative price on a priced order
  OffTickPrice = 3,          ///< price not on the instrument's tick grid
  OffLotQuantity = 4,        ///< quantity not a multiple of the lot size
  UnknownInstrument = 5,
  UnknownStrategy = 6,
  UnknownOrder = 7,          ///< cancel/modify of an order the OMS does not know
  DuplicateClientOrderId = 8,
  BelowMinNotional = 9,
  // Pre-trade risk
  MaxOrderQuantity = 20,
  MaxOrderNotional = 21,
  MaxPosition = 22,
  MaxOpenOrders = 23,
  PriceBand = 24,            ///< fat-finger: too far from the reference price
  RateLimit = 25,            ///< token bucket empty
  DailyLossLimit = 26,
  MaxLeverage = 27,
  InsufficientBalance = 28,
  KillSwitch = 29,
  // Venue
  VenueRejected = 40,        ///< the venue refused; details in the executor log
  PostOnlyWouldCross = 41,
  FokNotFilled = 42,
  VenueUnavailable = 43,
  ReduceOnlyRejected = 44,
  // Request validation, appended
  InvalidRequest = 45,       ///< action, side, type or time in force outside its enum (corrupt request)
};

const char* toString(Side v) noexcept;
const char* toString(OrderAction v) noexcept;
const char* toString(OrderType v) noexcept;
const char* toString(TimeInForce v) noexcept;
const char* toString(PositionSide v) noexcept;
const char* toString(ExecType v) noexcept;
const char* toString(Liquidity v) noexcept;
const char* toString(RejectReason v) noexcept;

}  // namespace hft::common
