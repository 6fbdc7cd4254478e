#pragma once
#include "common/Ids.h"
#include "common/OrderEnums.h"

namespace hft::strategy_engine {

/// What a strategy asks for when it sends an order. Prices and quantities are raw fixed-point
/// at the instrument's scales (StrategyContext::instrument gives them).
struct OrderParams {
  common::InstrumentId instrument = 0;
  common::Side side = common::Side::Buy;
  common::OrderType type = common::OrderType::Limit;
  common::TimeInForce tif = common::TimeInForce::GTC;
  int64_t price = 0;       ///< limit price; 0 for market
  int64_t qty = 0;
  int64_t stop_price = 0;  ///< trigger for stop / take-profit types
  bool reduce_only = false;
  common::PositionSide position_side = common::PositionSide::Both;
};

}  // namespace hft::strategy_engine
