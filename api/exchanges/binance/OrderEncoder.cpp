#include "api/exchanges/binance/OrderEncoder.h"

#include <charconv>
#include <stdexcept>

namespace hft::api::binance {

using common::OrderRequest;
using common::OrderType;
using common::PositionSide;
using common::Side;
using common::TimeInForce;

const char* toString(HttpMethod m) noexcept {
  switch (m) {
    case HttpMethod::Get: return "GET";
    case HttpMethod::Post: return "POST";
    case HttpMethod::Put: return "PUT";
    case HttpMethod::Delete: return "DELETE";
  }
  return "?";
}

const char* toString(EncodeStatus s) noexcept {
  switch (s) {
    case EncodeStatus::Ok: return "ok";
    case EncodeStatus::InvalidQuantity: return "quantity must be > 0";
    case EncodeStatus::InvalidPrice: return "price must be > 0 on a priced order";
    case EncodeStatus::InvalidStopPrice: return "stop price must be > 0 on a stop/take-profit order";
    case EncodeStatus::InvalidEnum: return "action, side, type, time in force or position side outside its enum";
    case EncodeStatus::Unsupported: return "not supported on this market";
    case EncodeStatus::MissingOrderId: return "client order id (or the order to act on) is 0";
    case EncodeStatus::WrongInstrument: return "instrument is not the request's, or not on this market";
    case EncodeStatus::TooLarge: return "request does not fit the parameter list";
    case EncodeStatus::BadBatchSize: return "batch is empty or too large";
  }
  return "unknown";
}

common::RejectReason toRejectReason(EncodeStatus s) noexcept {
  using common::RejectReason;
  switch (s) {
    case EncodeStatus::Ok: return RejectReason::None;
    case EncodeStatus::InvalidQuantity: return RejectReason::InvalidQuantity;
    case EncodeStatus::InvalidPrice:
    case EncodeStatus::InvalidStopPrice: return RejectReason::InvalidPrice;
    case EncodeStatus::WrongInstrument: return RejectReason::UnknownInstrument;
    case EncodeStatus::InvalidEnum:
    case EncodeStatus::Unsupported:
    case EncodeStatus::MissingOrderId:
    case EncodeStatus::TooLarge:
    case EncodeStatus::BadBatchSize: return RejectReason::InvalidRequest;
  }
  return RejectReason::InvalidRequest;
}

namespace {

/// The id as the decimal string the venue echoes back (OrderResponseParser reads it back).
struct IdText {
  char buf[24];
  size_t len;
  explicit IdText(uint64_t id) noexcept {
    const auto r = std::to_chars(buf, buf + sizeof buf, id);
    len = static_cast<size_t>(r.ptr - buf);
  }
  std::string_view view() const noexcept { return {buf, len}; }
};

std::string_view respTypeText(OrderRespType t) noexcept {
  switch (t) {
    case OrderRespType::Ack: return "ACK";
    case OrderRespType::Result: return "RESULT";
    case OrderRespType::Full: return "FULL";
  }
  return "RESULT";
}

/// timeInForce for GTC/IOC/FOK; "" for PostOnly (spelled per market by the caller) or out of range.
std::string_view tifText(TimeInForce t) noexcept {
  switch (t) {
    case TimeInForce::GTC: return "GTC";
    case TimeInForce::IOC: return "IOC";
    case TimeInForce::FOK: return "FOK";
    case TimeInForce::PostOnly: return "";
  }
  return "";
}

bool validTif(TimeInForce t) noexcept { return t >= TimeInForce::GTC && t <= TimeInForce::PostOnly; }

/// Bounded JSON writer for the batch parameters (keys and values are our own ASCII tokens;
/// '"', '\\' and control characters are still escaped so that the output is always JSON).
struct JsonWriter {
  char* p;
  size_t cap;
  size_t n = 0;
  bool ok = true;
  void put(char c) noexcept {
    if (n < cap) p[n++] = c;
    else ok = false;
  }
  void putString(std::string_view s) noexcept {
    put('"');
    for (char c : s) {
      if (c == '"' || c == '\\') {
        put('\\');
        put(c);
      } else if (static_cast<unsigned char>(c) < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        put('\\'); put('u'); put('0'); put('0');
        put(kHex[(c >> 4) & 0x0f]);
        put(kHex[c & 0x0f]);
      } else {
        put(c);
      }
    }
    put('"');
  }
  void putObject(const ParamList& params) noexcept {
    put('{');
    for (size_t i = 0; i < params.size(); ++i) {
      if (i > 0) put(',');
      putString(params.key(i));
      put(':');
      putString(params.value(i));
    }
    put('}');
  }
  std::string_view view() const noexcept { return {p, n}; }
};

}  // namespace

OrderEncoder::OrderEncoder(Market market, OrderRespType respType) : market_(market), respType_(respType) {
  if (market == Market::UsdM && respType == OrderRespType::Full)
    throw std::invalid_argument("OrderEncoder: USD-M futures take newOrderRespType ACK or RESULT, not FULL");
}

EncodeStatus OrderEncoder::checkInstrument(const OrderRequest& r, const config::Instrument& inst) const noexcept {
  const common::ExchangeId venue = exchangeOf(market_);
  if (inst.exchange != venue || r.header.exchange_id != venue || r.header.instrument_id != inst.id)
    return EncodeStatus::WrongInstrument;
  return EncodeStatus::Ok;
}

EncodeStatus OrderEncoder::orderParams(const OrderRequest& r, const config::Instrument& inst,
                                       ParamList& out) const noexcept {
  const bool spot = market_ == Market::Spot;
  if (r.side != Side::Buy && r.side != Side::Sell) return EncodeStatus::InvalidEnum;
  if (!validTif(r.tif) || r.position_side > PositionSide::Short) return EncodeStatus::InvalidEnum;
  if (r.qty <= 0) return EncodeStatus::InvalidQuantity;
  const bool postOnly = r.tif == TimeInForce::PostOnly;

  std::string_view type;
  bool sendTif = false, sendPrice = false, sendStop = false;
  switch (r.type) {
    case OrderType::Market:
      if (postOnly) return EncodeStatus::Unsupported;  // a market order always takes
      type = "MARKET";
      break;
    case OrderType::Limit:
      type = spot && postOnly ? "LIMIT_MAKER" : "LIMIT";
      sendTif = !(spot && postOnly);  // LIMIT_MAKER takes no timeInForce
      sendPrice = true;
      break;
    case OrderType::StopMarket:
    case OrderType::StopLimit:
    case OrderType::TakeProfit:
      // USD-M conditional orders go through the Algo API (POST /fapi/v1/algoOrder) since
      // 2025-12-09; /fapi/v1/order answers -4120. Not wired here yet.
      if (!spot) return EncodeStatus::Unsupported;
      if (postOnly) return EncodeStatus::Unsupported;
      type = r.type == OrderType::StopMarket ? "STOP_LOSS" : r.type == OrderType::StopLimit ? "STOP_LOSS_LIMIT" : "TAKE_PROFIT";
      sendTif = sendPrice = r.type == OrderType::StopLimit;
      sendStop = true;
      break;
    default: return EncodeStatus::InvalidEnum;
  }
  if (sendPrice && r.price <= 0) return EncodeStatus::InvalidPrice;
  if (sendStop && r.stop_price <= 0) return EncodeStatus::InvalidStopPrice;

  out.add("side", r.side == Side::Buy ? "BUY" : "SELL");
  out.add("type", type);
  if (sendTif) out.add("timeInForce", postOnly ? std::string_view("GTX") : tifText(r.tif));
  out.addDecimal("quantity", r.qty, inst.qty_scale);
  if (sendPrice) out.addDecimal("price", r.price, inst.price_scale);
  if (sendStop) out.addDecimal("stopPrice", r.stop_price, inst.price_scale);

  if (spot) {
    if (r.reduce_only != 0 || r.position_side != PositionSide::Both) return EncodeStatus::Unsupported;
  } else if (r.position_side == PositionSide::Both) {
    if (r.reduce_only != 0) out.add("reduceOnly", "true");
  } else {
    out.add("positionSide", r.position_side == PositionSide::Long ? "LONG" : "SHORT");
    // Hedge mode refuses reduceOnly (-1106); the side/positionSide pair already closes or opens.
    const bool closes = (r.position_side == PositionSide::Long) == (r.side == Side::Sell);
    if (r.reduce_only != 0 && !closes) return EncodeStatus::Unsupported;
  }
  return EncodeStatus::Ok;
}

EncodeStatus OrderEncoder::encode(const OrderRequest& request, const config::Instrument& instrument, ParamList& out,
                                  Endpoint& endpoint) const noexcept {
  switch (request.action) {
    case common::OrderAction::New: return encodeNew(request, instrument, out, endpoint);
    case common::OrderAction::Cancel: return encodeCancel(request, instrument, out, endpoint);
    case common::OrderAction::Modify: return encodeModify(request, instrument, out, endpoint);
  }
  return EncodeStatus::InvalidEnum;
}

EncodeStatus OrderEncoder::encodeNew(const OrderRequest& r, const config::Instrument& inst, ParamList& out,
                                     Endpoint& endpoint) const noexcept {
  out.clear();
  if (auto st = checkInstrument(r, inst); st != EncodeStatus::Ok) return st;
  if (r.client_order_id == 0) return EncodeStatus::MissingOrderId;
  out.add("symbol", inst.venue_symbol);
  if (auto st = orderParams(r, inst, out); st != EncodeStatus::Ok) return st;
  out.add("newClientOrderId", IdText(r.client_order_id).view());
  out.add("newOrderRespType", respTypeText(respType_));
  endpoint = market_ == Market::Spot ? Endpoint{HttpMethod::Post, "/api/v3/order", "order.place", 1, 1}
                                     : Endpoint{HttpMethod::Post, "/fapi/v1/order", "order.place", 0, 1};
  return out.overflowed() ? EncodeStatus::TooLarge : EncodeStatus::Ok;
}

EncodeStatus OrderEncoder::encodeCancel(const OrderRequest& r, const config::Instrument& inst, ParamList& out,
                                        Endpoint& endpoint) const noexcept {
  out.clear();
  if (auto st = checkInstrument(r, inst); st != EncodeStatus::Ok) return st;
  if (r.orig_client_order_id == 0) return EncodeStatus::MissingOrderId;
  out.add("symbol", inst.venue_symbol);
  out.add("origClientOrderId", IdText(r.orig_client_order_id).view());
  if (market_ == Market::Spot) {
    // Spot names the cancel itself (it comes back as clientOrderId); USD-M has no such field.
    if (r.client_order_id != 0) out.add("newClientOrderId", IdText(r.client_order_id).view());
    endpoint = {HttpMethod::Delete, "/api/v3/order", "order.cancel", 1, 0};
  } else {
    endpoint = {HttpMethod::Delete, "/fapi/v1/order", "order.cancel", 1, 0};
  }
  return out.overflowed() ? EncodeStatus::TooLarge : EncodeStatus::Ok;
}

EncodeStatus OrderEncoder::encodeModify(const OrderRequest& r, const config::Instrument& inst, ParamList& out,
                                        Endpoint& endpoint) const noexcept {
  out.clear();
  if (auto st = checkInstrument(r, inst); st != EncodeStatus::Ok) return st;
  if (r.orig_client_order_id == 0) return EncodeStatus::MissingOrderId;
  if (market_ == Market::Spot) {
    if (r.client_order_id == 0) return EncodeStatus::MissingOrderId;
    out.add("symbol", inst.venue_symbol);
    if (auto st = orderParams(r, inst, out); st != EncodeStatus::Ok) return st;
    // STOP_ON_FAILURE: no new order when the cancel fails (the old one may have filled).
    out.add("cancelReplaceMode", "STOP_ON_FAILURE");
    out.add("cancelOrigClientOrderId", IdText(r.orig_client_order_id).view());
    out.add("newClientOrderId", IdText(r.client_order_id).view());
    out.add("newOrderRespType", respTypeText(respType_));
    endpoint = {HttpMethod::Post, "/api/v3/order/cancelReplace", "order.cancelReplace", 1, 1};
  } else {
    // PUT /fapi/v1/order amends LIMIT orders in place: side, quantity and price are all
    // mandatory, and the order keeps its original client order id.
    if (r.type != OrderType::Limit) return EncodeStatus::Unsupported;
    if (r.side != Side::Buy && r.side != Side::Sell) return EncodeStatus::InvalidEnum;
    if (r.qty <= 0) return EncodeStatus::InvalidQuantity;
    if (r.price <= 0) return EncodeStatus::InvalidPrice;
    out.add("symbol", inst.venue_symbol);
    out.add("origClientOrderId", IdText(r.orig_client_order_id).view());
    out.add("side", r.side == Side::Buy ? "BUY" : "SELL");
    out.addDecimal("quantity", r.qty, inst.qty_scale);
    out.addDecimal("price", r.price, inst.price_scale);
    endpoint = {HttpMethod::Put, "/fapi/v1/order", "order.modify", 0, 1};
  }
  return out.overflowed() ? EncodeStatus::TooLarge : EncodeStatus::Ok;
}

EncodeStatus OrderEncoder::encodeQuery(common::ClientOrderId id, const config::Instrument& inst, ParamList& out,
                                       Endpoint& endpoint) const noexcept {
  out.clear();
  if (inst.exchange != exchangeOf(market_)) return EncodeStatus::WrongInstrument;
  if (id == 0) return EncodeStatus::MissingOrderId;
  out.add("symbol", inst.venue_symbol);
  out.add("origClientOrderId", IdText(id).view());
  endpoint = market_ == Market::Spot ? Endpoint{HttpMethod::Get, "/api/v3/order", "order.status", 4, 0}
                                     : Endpoint{HttpMethod::Get, "/fapi/v1/order", "order.status", 1, 0};
  return out.overflowed() ? EncodeStatus::TooLarge : EncodeStatus::Ok;
}

EncodeStatus OrderEncoder::encodeBatchNew(std::span<const OrderRequest> requests,
                                          std::span<const config::Instrument* const> instruments, ParamList& out,
                                          Endpoint& endpoint) const noexcept {
  out.clear();
  if (market_ != Market::UsdM) return EncodeStatus::Unsupported;
  if (requests.empty() || requests.size() > kMaxBatchOrders || instruments.size() != requests.size())
    return EncodeStatus::BadBatchSize;
  char json[ParamList::kArenaBytes];
  JsonWriter w{json, sizeof json};
  ParamList one;
  w.put('[');
  for (size_t i = 0; i < requests.size(); ++i) {
    const OrderRequest& r = requests[i];
    Endpoint single;
    if (instruments[i] == nullptr) return EncodeStatus::WrongInstrument;
    if (r.action != common::OrderAction::New) return EncodeStatus::Unsupported;
    if (auto st = encodeNew(r, *instruments[i], one, single); st != EncodeStatus::Ok) return st;
    if (i > 0) w.put(',');
    w.putObject(one);
  }
  w.put(']');
  if (!w.ok) return EncodeStatus::TooLarge;
  out.add("batchOrders", w.view());
  endpoint = {HttpMethod::Post, "/fapi/v1/batchOrders", "", 5, static_cast<uint16_t>(requests.size())};
  return out.overflowed() ? EncodeStatus::TooLarge : EncodeStatus::Ok;
}

EncodeStatus OrderEncoder::encodeBatchCancel(std::span<const common::ClientOrderId> ids,
                                             const config::Instrument& inst, ParamList& out,
                                             Endpoint& endpoint) const noexcept {
  out.clear();
  if (market_ != Market::UsdM) return EncodeStatus::Unsupported;
  if (inst.exchange != exchangeOf(market_)) return EncodeStatus::WrongInstrument;
  if (ids.empty() || ids.size() > kMaxBatchCancels) return EncodeStatus::BadBatchSize;
  char json[kMaxBatchCancels * 24 + 2];
  JsonWriter w{json, sizeof json};
  w.put('[');
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == 0) return EncodeStatus::MissingOrderId;
    if (i > 0) w.put(',');  // the venue wants no space after the comma
    w.putString(IdText(ids[i]).view());
  }
  w.put(']');
  if (!w.ok) return EncodeStatus::TooLarge;
  out.add("symbol", inst.venue_symbol);
  out.add("origClientOrderIdList", w.view());
  endpoint = {HttpMethod::Delete, "/fapi/v1/batchOrders", "", 1, 0};
  return out.overflowed() ? EncodeStatus::TooLarge : EncodeStatus::Ok;
}

}  // namespace hft::api::binance
