#pragma once
// The venue's record of one order, for REST/WS answers and queries after it is done.
#include <cstdint>
#include <string>
#include <vector>

#include "common/Ids.h"
#include "common/OrderEnums.h"
#include "config/InstrumentRegistry.h"

namespace hft::execution_engine::exchange_sim {

struct FillRecord {
  int64_t price = 0;  ///< instrument price scale
  int64_t qty = 0;    ///< instrument qty scale
  int64_t fee = 0;    ///< common::kAmountScale
  uint64_t trade_id = 0;
  bool maker = false;
};

struct OrderRecord {
  const config::Instrument* inst = nullptr;
  uint64_t order_id = 0;
  common::ClientOrderId cid = 0;  ///< the matching engine's numeric id
  std::string client_order_id;    ///< as the client spelled it
  common::Side side = common::Side::Buy;
  common::OrderType type = common::OrderType::Limit;
  common::TimeInForce tif = common::TimeInForce::GTC;
  std::string type_text;          ///< "LIMIT", "LIMIT_MAKER", "MARKET", ...
  int64_t price = 0, qty = 0, stop_price = 0;
  int64_t executed = 0;
  int64_t quote_qty = 0;          ///< cumulative quote, common::kAmountScale
  int64_t avg_price = 0;
  common::ExecType status = common::ExecType::New;
  bool reduce_only = false;
  int64_t time_ms = 0, update_ms = 0;
  std::vector<FillRecord> fills;  ///< every fill, in order
  bool working() const noexcept {
    return status == common::ExecType::New || status == common::ExecType::PartiallyFilled;
  }
};

}  // namespace hft::execution_engine::exchange_sim
