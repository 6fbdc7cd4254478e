#include "api/exchanges/upbit/OrderEncoder.h"

namespace hft::api::upbit {

using common::OrderAction;
using common::OrderType;
using common::RejectReason;
using common::Side;
using common::TimeInForce;

const char* toString(HttpMethod m) noexcept {
  switch (m) {
    case HttpMethod::Get: return "GET";
    case HttpMethod::Post: return "POST";
    case HttpMethod::Delete: return "DELETE";
  }
  return "?";
}

const char* toString(EncodeStatus s) noexcept {
  switch (s) {
    case EncodeStatus::Ok: return "ok";
    case EncodeStatus::InvalidQuantity: return "invalid quantity";
    case EncodeStatus::InvalidPrice: return "invalid price";
    case EncodeStatus::OffTick: return "price off the tick grid";
    case EncodeStatus::OffLot: return "quantity off the lot size";
    case EncodeStatus::InvalidEnum: return "enum value out of range";
    case EncodeStatus::Unsupported: return "not supported by the venue";
    case EncodeStatus::MissingOrderId: return "missing client order id";
    case EncodeStatus::WrongInstrument: return "instrument not on this venue";
    case EncodeStatus::TooLarge: return "request too large";
    case EncodeStatus::BadUuid: return "bad uuid";
  }
  return "unknown";
}

RejectReason toRejectReason(EncodeStatus s) noexcept {
  switch (s) {
    case EncodeStatus::Ok: return RejectReason::None;
    case EncodeStatus::InvalidQuantity: return RejectReason::InvalidQuantity;
    case EncodeStatus::InvalidPrice: return RejectReason::InvalidPrice;
    case EncodeStatus::OffTick: return RejectReason::OffTickPrice;
    case EncodeStatus::OffLot: return RejectReason::OffLotQuantity;
    case EncodeStatus::WrongInstrument: return RejectReason::UnknownInstrument;
    case EncodeStatus::MissingOrderId:
    case EncodeStatus::InvalidEnum:
    case EncodeStatus::Unsupported:
    case EncodeStatus::TooLarge:
    case EncodeStatus::BadUuid: return RejectReason::InvalidRequest;
  }
  return RejectReason::InvalidRequest;
}

namespace {

constexpr std::string_view kOrderGroup = "order";      // POST/DELETE orders (Upbit's documented group)
constexpr std::string_view kDefaultGroup = "default";  // other Exchange API calls

bool validUuid(std::string_view u) noexcept {
  if (u.empty() || u.size() > 64) return false;
  for (char c : u)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) return false;
  return true;
}

EncodeStatus finish(const shared::QueryParams& out) noexcept {
  return out.overflowed() ? EncodeStatus::TooLarge : EncodeStatus::Ok;
}

}  // namespace

EncodeStatus OrderEncoder::checkCommon(const common::OrderRequest& r, const config::Instrument& inst) const noexcept {
  if (inst.exchange != dialect_.exchange || r.header.instrument_id != inst.id) return EncodeStatus::WrongInstrument;
  if (r.side != Side::Buy && r.side != Side::Sell) return EncodeStatus::InvalidEnum;
  if (r.client_order_id == 0) return EncodeStatus::MissingOrderId;
  if (r.reduce_only != 0 || r.position_side != common::PositionSide::Both) return EncodeStatus::Unsupported;
  return EncodeStatus::Ok;
}

EncodeStatus OrderEncoder::checkPrice(int64_t price, const config::Instrument& inst) const noexcept {
  if (price <= 0) return EncodeStatus::InvalidPrice;
  if (!bands_.bands().empty()) {
    switch (bands_.check(price, inst.price_scale)) {
      case shared::TickCheck::Ok: break;
      case shared::TickCheck::NotPositive: return EncodeStatus::InvalidPrice;
      case shared::TickCheck::OffTick:
      case shared::TickCheck::OutOfRange: return EncodeStatus::OffTick;
    }
  }
  if (inst.tick_size > 0 && price % inst.tick_size != 0 && bands_.bands().empty()) return EncodeStatus::OffTick;
  return EncodeStatus::Ok;
}

EncodeStatus OrderEncoder::encode(const common::OrderRequest& request, const config::Instrument& instrument,
                                  shared::QueryParams& out, Endpoint& endpoint) const noexcept {
  switch (request.action) {
    case OrderAction::New: return encodeNew(request, instrument, out, endpoint);
    case OrderAction::Cancel: return encodeCancel(request, instrument, out, endpoint);
    case OrderAction::Modify: out.clear(); return EncodeStatus::Unsupported;
  }
  out.clear();
  return EncodeStatus::InvalidEnum;
}

EncodeStatus OrderEncoder::encodeNew(const common::OrderRequest& r, const config::Instrument& inst,
                                     shared::QueryParams& out, Endpoint& endpoint) const noexcept {
  out.clear();
  if (const EncodeStatus st = checkCommon(r, inst); st != EncodeStatus::Ok) return st;
  if (r.qty <= 0) return EncodeStatus::InvalidQuantity;
  if (inst.lot_size > 0 && r.qty % inst.lot_size != 0) return EncodeStatus::OffLot;

  const bool buy = r.side == Side::Buy;
  std::string_view tif;
  switch (r.type) {
    case OrderType::Limit:
      if (const EncodeStatus st = checkPrice(r.price, inst); st != EncodeStatus::Ok) return st;
      switch (r.tif) {
        case TimeInForce::GTC: break;
        case TimeInForce::IOC: tif = "ioc"; break;
        case TimeInForce::FOK: tif = "fok"; break;
        case TimeInForce::PostOnly: tif = "post_only"; break;
        default: return EncodeStatus::InvalidEnum;
      }
      break;
    case OrderType::Market:
      if (buy) return EncodeStatus::Unsupported;  // by amount only: encodeMarketBuyByAmount
      if (r.price != 0) return EncodeStatus::InvalidPrice;
      if (r.tif != TimeInForce::GTC && r.tif != TimeInForce::IOC) return EncodeStatus::Unsupported;
      break;
    case OrderType::StopMarket:
    case OrderType::StopLimit:
    case OrderType::TakeProfit: return EncodeStatus::Unsupported;
    default: return EncodeStatus::InvalidEnum;
  }

  // Body order as in the venues' examples: market, side, volume, price, ord_type, then options.
  out.add("market", inst.venue_symbol);
  out.add("side", buy ? "bid" : "ask");
  out.addDecimal("volume", r.qty, inst.qty_scale);
  if (r.type == OrderType::Limit) out.addDecimal("price", r.price, inst.price_scale);
  out.add("ord_type", r.type == OrderType::Limit ? "limit" : "market");
  out.addUint(dialect_.clientIdKey, r.client_order_id);
  if (!tif.empty()) out.add("time_in_force", tif);
  endpoint = Endpoint{HttpMethod::Post, dialect_.newOrderPath, kOrderGroup};
  return finish(out);
}

EncodeStatus OrderEncoder::encodeMarketBuyByAmount(const common::OrderRequest& r, int64_t amount,
                                                   const config::Instrument& inst, shared::QueryParams& out,
                                                   Endpoint& endpoint) const noexcept {
  out.clear();
  if (const EncodeStatus st = checkCommon(r, inst); st != EncodeStatus::Ok) return st;
  if (r.side != Side::Buy || r.type != OrderType::Market) return EncodeStatus::InvalidEnum;
  if (amount <= 0) return EncodeStatus::InvalidPrice;
  out.add("market", inst.venue_symbol);
  out.add("side", "bid");
  out.addDecimal("price", amount, inst.price_scale);
  out.add("ord_type", "price");
  out.addUint(dialect_.clientIdKey, r.client_order_id);
  endpoint = Endpoint{HttpMethod::Post, dialect_.newOrderPath, kOrderGroup};
  return finish(out);
}

EncodeStatus OrderEncoder::encodeCancel(const common::OrderRequest& r, const config::Instrument& inst,
                                        shared::QueryParams& out, Endpoint& endpoint) const noexcept {
  out.clear();
  if (inst.exchange != dialect_.exchange || r.header.instrument_id != inst.id) return EncodeStatus::WrongInstrument;
  if (r.orig_client_order_id == 0) return EncodeStatus::MissingOrderId;
  out.addUint(dialect_.clientIdKey, r.orig_client_order_id);
  endpoint = Endpoint{HttpMethod::Delete, dialect_.cancelPath, kOrderGroup};
  return finish(out);
}

EncodeStatus OrderEncoder::encodeCancelByUuid(std::string_view uuid, shared::QueryParams& out,
                                              Endpoint& endpoint) const noexcept {
  out.clear();
  if (!validUuid(uuid)) return EncodeStatus::BadUuid;
  out.add("uuid", uuid);
  endpoint = Endpoint{HttpMethod::Delete, dialect_.cancelPath, kOrderGroup};
  return finish(out);
}

EncodeStatus OrderEncoder::encodeQuery(common::ClientOrderId id, shared::QueryParams& out,
                                       Endpoint& endpoint) const noexcept {
  out.clear();
  if (id == 0) return EncodeStatus::MissingOrderId;
  out.addUint(dialect_.clientIdKey, id);
  endpoint = Endpoint{HttpMethod::Get, dialect_.queryPath, kDefaultGroup};
  return finish(out);
}

EncodeStatus OrderEncoder::encodeQueryByUuid(std::string_view uuid, shared::QueryParams& out,
                                             Endpoint& endpoint) const noexcept {
  out.clear();
  if (!validUuid(uuid)) return EncodeStatus::BadUuid;
  out.add("uuid", uuid);
  endpoint = Endpoint{HttpMethod::Get, dialect_.queryPath, kDefaultGroup};
  return finish(out);
}

EncodeStatus OrderEncoder::encodeOpenOrders(const config::Instrument& inst, uint32_t limit, shared::QueryParams& out,
                                            Endpoint& endpoint) const noexcept {
  out.clear();
  if (inst.exchange != dialect_.exchange) return EncodeStatus::WrongInstrument;
  if (limit > 100) return EncodeStatus::TooLarge;
  out.add("market", inst.venue_symbol);
  out.add("states[]", "wait");
  if (dialect_.hasWatchState) out.add("states[]", "watch");
  if (limit > 0) out.addUint("limit", limit);
  endpoint = Endpoint{HttpMethod::Get, dialect_.openOrdersPath, kDefaultGroup};
  return finish(out);
}

}  // namespace hft::api::upbit
