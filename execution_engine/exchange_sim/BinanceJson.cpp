#include "execution_engine/exchange_sim/BinanceJson.h"

#include "common/FixedPoint.h"
#include "common/events/ExecutionReport.h"
#include "execution_engine/sim/Amounts.h"

namespace hft::execution_engine::exchange_sim::json {

using common::ExecType;

std::string decimal(int64_t raw, int scale) { return common::formatDecimal(raw, scale); }

const char* statusText(ExecType t) noexcept {
  switch (t) {
    case ExecType::New: return "NEW";
    case ExecType::PartiallyFilled: return "PARTIALLY_FILLED";
    case ExecType::Filled: return "FILLED";
    case ExecType::Canceled: return "CANCELED";
    case ExecType::Rejected: return "REJECTED";
    case ExecType::Expired: return "EXPIRED";
  }
  return "NEW";
}

const char* execTypeText(ExecType t) noexcept {
  switch (t) {
    case ExecType::PartiallyFilled:
    case ExecType::Filled: return "TRADE";
    default: return statusText(t);
  }
}

const char* sideText(common::Side s) noexcept { return s == common::Side::Sell ? "SELL" : "BUY"; }

const char* tifText(common::TimeInForce t, api::binance::Market m) noexcept {
  switch (t) {
    case common::TimeInForce::IOC: return "IOC";
    case common::TimeInForce::FOK: return "FOK";
    case common::TimeInForce::PostOnly: return m == api::binance::Market::UsdM ? "GTX" : "GTC";
    default: return "GTC";
  }
}

Json error(int code, const std::string& msg) {
  Json j;
  j["code"] = code;
  j["msg"] = msg;
  return j;
}

namespace {
std::string price(const OrderRecord& o, int64_t raw) { return decimal(raw, o.inst->price_scale); }
std::string qty(const OrderRecord& o, int64_t raw) { return decimal(raw, o.inst->qty_scale); }
std::string amount(int64_t raw) { return decimal(raw, common::kAmountScale); }

void orderBody(Json& j, const OrderRecord& o) {
  j["price"] = price(o, o.price);
  j["origQty"] = qty(o, o.qty);
  j["executedQty"] = qty(o, o.executed);
  j["origQuoteOrderQty"] = "0.00000000";
  j["cummulativeQuoteQty"] = amount(o.quote_qty);
  j["status"] = statusText(o.status);
  j["timeInForce"] = tifText(o.tif, api::binance::Market::Spot);
  j["type"] = o.type_text;
  j["side"] = sideText(o.side);
}
}  // namespace

Json spotOrder(const OrderRecord& o, const std::string& respType, size_t firstFill, int64_t transactMs) {
  Json j;
  j["symbol"] = o.inst->venue_symbol;
  j["orderId"] = o.order_id;
  j["orderListId"] = -1;
  j["clientOrderId"] = o.client_order_id;
  j["transactTime"] = transactMs;
  if (respType == "ACK") return j;
  orderBody(j, o);
  if (o.stop_price != 0) j["stopPrice"] = price(o, o.stop_price);
  j["workingTime"] = o.time_ms;
  j["selfTradePreventionMode"] = "EXPIRE_MAKER";
  if (respType == "FULL") {
    Json fills = Json::array();
    for (size_t i = firstFill; i < o.fills.size(); ++i) {
      const FillRecord& f = o.fills[i];
      Json x;
      x["price"] = price(o, f.price);
      x["qty"] = qty(o, f.qty);
      x["commission"] = amount(f.fee);
      x["commissionAsset"] = o.inst->quote;
      x["tradeId"] = f.trade_id;
      fills.push_back(std::move(x));
    }
    j["fills"] = std::move(fills);
  }
  return j;
}

Json spotOrderQuery(const OrderRecord& o) {
  Json j;
  j["symbol"] = o.inst->venue_symbol;
  j["orderId"] = o.order_id;
  j["orderListId"] = -1;
  j["clientOrderId"] = o.client_order_id;
  orderBody(j, o);
  j["stopPrice"] = price(o, o.stop_price);
  j["icebergQty"] = "0.00000000";
  j["time"] = o.time_ms;
  j["updateTime"] = o.update_ms;
  j["isWorking"] = o.working();
  j["workingTime"] = o.time_ms;
  j["origQuoteOrderQty"] = "0.00000000";
  j["selfTradePreventionMode"] = "EXPIRE_MAKER";
  return j;
}

Json spotCancel(const OrderRecord& o, const std::string& cancelId, int64_t transactMs) {
  Json j;
  j["symbol"] = o.inst->venue_symbol;
  j["origClientOrderId"] = o.client_order_id;
  j["orderId"] = o.order_id;
  j["orderListId"] = -1;
  j["clientOrderId"] = cancelId;
  j["transactTime"] = transactMs;
  orderBody(j, o);
  j["selfTradePreventionMode"] = "EXPIRE_MAKER";
  return j;
}

Json futuresOrder(const OrderRecord& o) {
  Json j;
  j["clientOrderId"] = o.client_order_id;
  j["cumQty"] = qty(o, o.executed);
  j["cumQuote"] = amount(o.quote_qty);
  j["executedQty"] = qty(o, o.executed);
  j["orderId"] = o.order_id;
  j["avgPrice"] = price(o, o.avg_price);
  j["origQty"] = qty(o, o.qty);
  j["price"] = price(o, o.price);
  j["reduceOnly"] = o.reduce_only;
  j["side"] = sideText(o.side);
  j["positionSide"] = "BOTH";
  j["status"] = statusText(o.status);
  j["stopPrice"] = price(o, o.stop_price);
  j["closePosition"] = false;
  j["symbol"] = o.inst->venue_symbol;
  j["timeInForce"] = tifText(o.tif, api::binance::Market::UsdM);
  j["type"] = o.type_text;
  j["origType"] = o.type_text;
  j["updateTime"] = o.update_ms;
  j["workingType"] = "CONTRACT_PRICE";
  j["priceProtect"] = false;
  j["priceMatch"] = "NONE";
  j["selfTradePreventionMode"] = "EXPIRE_MAKER";
  j["goodTillDate"] = 0;
  return j;
}

Json executionReport(const OrderRecord& o, ExecType x, const FillRecord* fill, const std::string& cancelId,
                     int64_t eventMs) {
  Json j;
  j["e"] = "executionReport";
  j["E"] = eventMs;
  j["s"] = o.inst->venue_symbol;
  j["c"] = x == ExecType::Canceled && !cancelId.empty() ? cancelId : o.client_order_id;
  j["S"] = sideText(o.side);
  j["o"] = o.type_text;
  j["f"] = tifText(o.tif, api::binance::Market::Spot);
  j["q"] = qty(o, o.qty);
  j["p"] = price(o, o.price);
  j["P"] = price(o, o.stop_price);
  j["F"] = "0.00000000";
  j["g"] = -1;
  j["C"] = x == ExecType::Canceled && !cancelId.empty() ? o.client_order_id : std::string();
  j["x"] = execTypeText(x);
  j["X"] = statusText(x);
  j["r"] = "NONE";
  j["i"] = o.order_id;
  j["l"] = qty(o, fill ? fill->qty : 0);
  j["z"] = qty(o, o.executed);
  j["L"] = price(o, fill ? fill->price : 0);
  j["n"] = amount(fill ? fill->fee : 0);
  if (fill) j["N"] = o.inst->quote;
  else j["N"] = nullptr;
  j["T"] = eventMs;
  j["t"] = fill ? static_cast<int64_t>(fill->trade_id) : -1;
  j["v"] = 0;
  j["I"] = o.order_id * 2 + (fill ? 1 : 0);
  j["w"] = o.working();
  j["m"] = fill ? fill->maker : false;
  j["M"] = false;
  j["O"] = o.time_ms;
  j["Z"] = amount(o.quote_qty);
  j["Y"] = amount(fill ? sim::Amounts(o.inst->price_scale, o.inst->qty_scale).notional(fill->price, fill->qty) : 0);
  j["Q"] = "0.00000000";
  j["W"] = o.time_ms;
  j["V"] = "EXPIRE_MAKER";
  return j;
}

Json orderTradeUpdate(const OrderRecord& o, ExecType x, const FillRecord* fill, int64_t eventMs) {
  Json in;
  in["s"] = o.inst->venue_symbol;
  in["c"] = o.client_order_id;
  in["S"] = sideText(o.side);
  in["o"] = o.type_text;
  in["f"] = tifText(o.tif, api::binance::Market::UsdM);
  in["q"] = qty(o, o.qty);
  in["p"] = price(o, o.price);
  in["ap"] = price(o, o.avg_price);
  in["sp"] = price(o, o.stop_price);
  in["x"] = execTypeText(x);
  in["X"] = statusText(x);
  in["i"] = o.order_id;
  in["l"] = qty(o, fill ? fill->qty : 0);
  in["z"] = qty(o, o.executed);
  in["L"] = price(o, fill ? fill->price : 0);
  in["N"] = o.inst->quote;
  in["n"] = amount(fill ? fill->fee : 0);
  in["T"] = eventMs;
  in["t"] = fill ? fill->trade_id : 0;
  in["b"] = "0";
  in["a"] = "0";
  in["m"] = fill ? fill->maker : false;
  in["R"] = o.reduce_only;
  in["wt"] = "CONTRACT_PRICE";
  in["ot"] = o.type_text;
  in["ps"] = "BOTH";
  in["cp"] = false;
  in["rp"] = "0";
  in["pP"] = false;
  in["si"] = 0;
  in["ss"] = 0;
  in["V"] = "EXPIRE_MAKER";
  in["pm"] = "NONE";
  in["gtd"] = 0;
  Json j;
  j["e"] = "ORDER_TRADE_UPDATE";
  j["E"] = eventMs;
  j["T"] = eventMs;
  j["o"] = std::move(in);
  return j;
}

}  // namespace hft::execution_engine::exchange_sim::json
