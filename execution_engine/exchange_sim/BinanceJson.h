#pragma once
// Binance JSON as the venue writes it (spot /api/v3 and USD-M /fapi), from the simulator's own
// records. Decimals are fixed-point integers written at their scale; never a double.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "api/exchanges/binance/Market.h"
#include "common/OrderEnums.h"
#include "execution_engine/exchange_sim/OrderRecord.h"

namespace hft::execution_engine::exchange_sim::json {

using Json = nlohmann::ordered_json;

std::string decimal(int64_t raw, int scale);
/// "NEW", "PARTIALLY_FILLED", "FILLED", "CANCELED", "REJECTED", "EXPIRED".
const char* statusText(common::ExecType t) noexcept;
/// executionReport `x`: NEW, TRADE, CANCELED, REJECTED, EXPIRED.
const char* execTypeText(common::ExecType t) noexcept;
const char* sideText(common::Side s) noexcept;
const char* tifText(common::TimeInForce t, api::binance::Market m) noexcept;

Json error(int code, const std::string& msg);

/// Spot order reply (POST/DELETE/GET /api/v3/order) at `respType` "ACK", "RESULT" or "FULL";
/// `fills` only for FULL (the fills of this request).
Json spotOrder(const OrderRecord& o, const std::string& respType, size_t firstFill, int64_t transactMs);
/// Spot GET order / openOrders entry.
Json spotOrderQuery(const OrderRecord& o);
/// Spot DELETE order reply; `cancelId` is the cancel's own client id (origClientOrderId = the order's).
Json spotCancel(const OrderRecord& o, const std::string& cancelId, int64_t transactMs);
/// USD-M order reply (POST/DELETE/GET /fapi/v1/order).
Json futuresOrder(const OrderRecord& o);

/// Spot executionReport for one engine report on order `o` (after the report was applied).
Json executionReport(const OrderRecord& o, common::ExecType x, const FillRecord* fill, const std::string& cancelId,
                     int64_t eventMs);
/// USD-M ORDER_TRADE_UPDATE.
Json orderTradeUpdate(const OrderRecord& o, common::ExecType x, const FillRecord* fill, int64_t eventMs);

}  // namespace hft::execution_engine::exchange_sim::json
