#include "common/OrderEnums.h"

namespace hft::common {

const char* toString(Side v) noexcept {
  switch (v) {
    case Side::None: return "none";
    case Side::Buy: return "buy";
    case Side::Sell: return "sell";
  }
  return "?";
}
const char* toString(OrderAction v) noexcept {
  switch (v) {
    case OrderAction::New: return "new";
    case OrderAction::Cancel: return "cancel";
    case OrderAction::Modify: return "modify";
  }
  return "?";
}
const char* toString(OrderType v) noexcept {
  switch (v) {
    case OrderType::Market: return "market";
    case OrderType::Limit: return "limit";
    case OrderType::StopMarket: return "stop_market";
    case OrderType::StopLimit: return "stop_limit";
    case OrderType::TakeProfit: return "take_profit";
  }
  return "?";
}
const char* toString(TimeInForce v) noexcept {
  switch (v) {
    case TimeInForce::GTC: return "gtc";
    case TimeInForce::IOC: return "ioc";
    case TimeInForce::FOK: return "fok";
    case TimeInForce::PostOnly: return "post_only";
  }
  return "?";
}
const char* toString(PositionSide v) noexcept {
  switch (v) {
    case PositionSide::Both: return "both";
    case PositionSide::Long: return "long";
    case PositionSide::Short: return "short";
  }
  return "?";
}
const char* toString(ExecType v) noexcept {
  switch (v) {
    case ExecType::New: return "new";
    case ExecType::PartiallyFilled: return "partially_filled";
    case ExecType::Filled: return "filled";
    case ExecType::Canceled: return "canceled";
    case ExecType::Rejected: return "rejected";
    case ExecType::Expired: return "expired";
  }
  return "?";
}
const char* toString(Liquidity v) noexcept {
  switch (v) {
    case Liquidity::Unknown: return "unknown";
    case Liquidity::Maker: return "maker";
    case Liquidity::Taker: return "taker";
  }
  return "?";
}
const char* toString(RejectReason v) noexcept {
  switch (v) {
    case RejectReason::None: return "none";
    case RejectReason::InvalidQuantity: return "invalid_quantity";
    case RejectReason::InvalidPrice: return "invalid_price";
    case RejectReason::OffTickPrice: return "off_tick_price";
    case RejectReason::OffLotQuantity: return "off_lot_quantity";
    case RejectReason::UnknownInstrument: return "unknown_instrument";
    case RejectReason::UnknownStrategy: return "unknown_strategy";
    case RejectReason::UnknownOrder: return "unknown_order";
    case RejectReason::DuplicateClientOrderId: return "duplicate_client_order_id";
    case RejectReason::BelowMinNotional: return "below_min_notional";
    case RejectReason::MaxOrderQuantity: return "max_order_quantity";
    case RejectReason::MaxOrderNotional: return "max_order_notional";
    case RejectReason::MaxPosition: return "max_position";
    case RejectReason::MaxOpenOrders: return "max_open_orders";
    case RejectReason::PriceBand: return "price_band";
    case RejectReason::RateLimit: return "rate_limit";
    case RejectReason::DailyLossLimit: return "daily_loss_limit";
    case RejectReason::MaxLeverage: return "max_leverage";
    case RejectReason::InsufficientBalance: return "insufficient_balance";
    case RejectReason::KillSwitch: return "kill_switch";
    case RejectReason::VenueRejected: return "venue_rejected";
    case RejectReason::PostOnlyWouldCross: return "post_only_would_cross";
    case RejectReason::FokNotFilled: return "fok_not_filled";
    case RejectReason::VenueUnavailable: return "venue_unavailable";
    case RejectReason::ReduceOnlyRejected: return "reduce_only_rejected";
    case RejectReason::InvalidRequest: return "invalid_request";
  }
  return "?";
}

}  // namespace hft::common
