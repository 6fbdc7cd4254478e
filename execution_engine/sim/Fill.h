#pragma once
#include <cstdint>
#include <string>

#include "common/Ids.h"
#include "common/OrderEnums.h"

namespace hft::execution_engine::sim {

/// One simulated execution, as the backtester's results want it (the same fill is also sent to
/// the strategy as an ExecutionReport). Amounts as on the bus: price and qty at the
/// instrument's scales, fee at common::kAmountScale in fee_asset.
struct Fill {
  common::TimestampNs ts;  ///< venue time of the fill
  common::StrategyId strategy;
  common::ExchangeId venue;
  common::InstrumentId instrument;
  common::Side side;
  int64_t price;
  int64_t qty;
  int64_t fee;            ///< negative = rebate received
  std::string fee_asset;  ///< the instrument's quote asset
  common::Liquidity liquidity;
  common::VenueOrderId order_id;
  common::ClientOrderId client_order_id;
};

}  // namespace hft::execution_engine::sim
