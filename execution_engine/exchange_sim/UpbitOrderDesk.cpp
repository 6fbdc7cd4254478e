#include "execution_engine/exchange_sim/UpbitOrderDesk.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "common/FixedPoint.h"
#include "common/Int128.h"
#include "execution_engine/exchange_sim/BinanceJson.h"
#include "execution_engine/exchange_sim/EngineLink.h"
#include "execution_engine/sim/Amounts.h"

namespace hft::execution_engine::exchange_sim {

using common::ExecType;
using common::OrderType;
using common::RejectReason;
using common::Side;
using common::TimeInForce;

namespace {
UpbitError bad(std::string name, std::string message, int http = 400) {
  return UpbitError{http, std::move(name), std::move(message)};
}
const char* suffix(Side s) { return s == Side::Buy ? "_bid" : "_ask"; }
constexpr int64_t kMinTotalKrw = 5000;
constexpr uint64_t kTradeTag = 0xADE;  ///< trade uuids differ from order uuids of the same number  ///< KRW markets:
                                       ///< the smallest order total (docs.upbit.com)

const char* stateOf(const OrderRecord& o) {
  switch (o.status) {
    case ExecType::Filled:
      return "done";
    case ExecType::Canceled:
    case ExecType::Expired:
    case ExecType::Rejected:
      return "cancel";
    default:
      return "wait";
  }
}
/// A fill of `o` as the writers show it; `tradeUuid` must outlive the view.
upbit_json::FillView fillView(const OrderRecord& o, const FillRecord& fill, const std::string& tradeUuid, int64_t ms) {
  upbit_json::FillView f;
  f.trade_uuid = tradeUuid;
  f.price = fill.price;
  f.volume = fill.qty;
  f.funds = sim::Amounts(o.inst->price_scale, o.inst->qty_scale).notional(fill.price, fill.qty);
  f.fee = fill.fee;
  f.maker = fill.maker;
  f.ms = ms;
  return f;
}

const char* tifOf(const OrderRecord& o) {
  if (o.type_text != "limit" && o.type_text != "best") return "";
  switch (o.tif) {
    case TimeInForce::IOC:
      return "ioc";
    case TimeInForce::FOK:
      return "fok";
    case TimeInForce::PostOnly:
      return "post_only";
    default:
      return "";
  }
}
}  // namespace

UpbitOrderDesk::UpbitOrderDesk(const config::InstrumentRegistry& registry, const api::upbit::Dialect& dialect,
                               const VenueConfig& config, std::vector<const config::Instrument*> instruments,
                               api::shared::TickBands krwBands, common::TimestampNs startNs, Output out)
    : registry_(registry),
      dialect_(dialect),
      instruments_(std::move(instruments)),
      bands_(krwBands),
      out_(std::move(out)),
      exchange_(dialect.exchange),
      now_(startNs) {
  const char* fee = exchange_ == common::ExchangeId::Bithumb ? "0.0004" : "0.0005";
  const std::string maker = config.maker_fee.empty() ? fee : config.maker_fee;
  const std::string taker = config.taker_fee.empty() ? fee : config.taker_fee;
  auto balances = config.balances;
  if (balances.empty()) balances = {{"KRW", "100000000"}, {"BTC", "1"}, {"ETH", "10"}, {"USDT", "10000"}};
  sim::SimConfig simc = engineConfig(exchange_, maker, taker, balances);
  makerE8_ = simc.fees[exchange_].maker_fee_e8;
  takerE8_ = simc.fees[exchange_].taker_fee_e8;
  for (const auto& [asset, amount] : balances) currencies_.insert(asset);
  for (const config::Instrument* i : instruments_) {
    currencies_.insert(i->base);
    currencies_.insert(i->quote);
  }
  engine_ = std::make_unique<sim::SimulatedExchange>(registry_, simc, collectInto(reports_));
}

UpbitOrderDesk::~UpbitOrderDesk() = default;

std::string UpbitOrderDesk::uuidOf(uint64_t id, uint64_t tag) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-8%03llx-%012llx", static_cast<unsigned long long>(id >> 32),
                static_cast<unsigned long long>((id >> 16) & 0xFFFF), static_cast<unsigned long long>(tag & 0xFFF),
                static_cast<unsigned long long>((tag >> 12) & 0xFFF),
                static_cast<unsigned long long>(id & 0xFFFFFFFFFFFFULL));
  return buf;
}

void UpbitOrderDesk::onMarketData(const common::EventHeader& e) {
  const common::TimestampNs t = common::eventTime(e);
  if (t > now_) now_ = t;
  engine_->onMarketData(e);
  drain();
}

void UpbitOrderDesk::advanceTo(common::TimestampNs nowNs) {
  if (nowNs > now_) now_ = nowNs;
  engine_->advanceTo(now_);
  drain();
}

void UpbitOrderDesk::drain() {
  if (reports_.empty()) return;
  std::vector<common::EventBuffer> batch;
  batch.swap(reports_);
  for (const auto& b : batch) onReport(b.header());
  if (!assetsChanged_) return;
  assetsChanged_ = false;
  if (out_.asset) out_.asset(upbit_json::myAsset(assets(), now_ / 1'000'000));
}

void UpbitOrderDesk::onReport(const common::EventHeader& e) {
  if (e.type == common::EventType::BalanceUpdate) {
    assetsChanged_ = true;
    return;
  }
  if (e.type != common::EventType::ExecutionReport) return;
  const auto& r = reinterpret_cast<const common::ExecutionReport&>(e);
  if (r.exec_type == ExecType::Rejected) {
    if (r.client_order_id == watch_) watchReject_ = r.reject_reason;
    return;
  }
  auto it = records_.find(r.client_order_id);
  if (it == records_.end()) return;
  OrderRecord& o = it->second;
  FillRecord fill;
  const bool isFill = applyReport(o, r, fill);
  if (!out_.order) return;
  const std::string& uuid = uuidOf_.at(o.cid);
  const int64_t ms = r.venue_ts_ns / 1'000'000;
  upbit_json::OrderView v = view(o, uuid);
  if (isFill) {
    const std::string tradeUuid = uuidOf(fill.trade_id, kTradeTag);
    const upbit_json::FillView f = fillView(o, fill, tradeUuid, ms);
    v.state = "trade";
    out_.order(*o.inst, upbit_json::myOrder(v, &f, ms));
    if (o.status != ExecType::Filled) return;
    v.state = "done";
  }
  out_.order(*o.inst, upbit_json::myOrder(v, nullptr, ms));
}

RejectReason UpbitOrderDesk::submit(const common::OrderRequest& r) {
  watch_ = r.client_order_id;
  watchReject_ = RejectReason::None;
  engine_->onOrderRequest(r);
  engine_->advanceTo(now_);
  drain();
  watch_ = 0;
  return watchReject_;
}

UpbitError UpbitOrderDesk::place(const nlohmann::ordered_json& body, const OrderRecord*& out) {
  out = nullptr;
  if (!body.is_object()) return bad("invalid_parameter", "the body must be a JSON object");
  const auto field = [&](const char* k) -> std::string {
    if (!body.contains(k) || body[k].is_null()) return {};
    return body[k].is_string() ? body[k].get<std::string>() : body[k].dump();
  };
  const std::string idKey(dialect_.clientIdKey);
  const std::string clientId = field(idKey.c_str());
  if (!clientId.empty() && !usedClientIds_.insert(clientId).second) {
    ++clientIdReuses_;
    return bad("invalid_parameter",
               idKey + " '" + clientId + "' was used before (an " + idKey + " is unique forever, even after errors)");
  }
  const std::string market = field("market");
  if (market.empty()) return bad("invalid_parameter", "market is required");
  const config::Instrument* inst = nullptr;
  for (const config::Instrument* i : instruments_)
    if (i->venue_symbol == market) inst = i;
  if (inst == nullptr) return bad("notfoundmarket", "market not found: " + market);
  OrderRecord rec;
  rec.inst = inst;
  const std::string side = field("side"), ordType = field("ord_type"), tif = field("time_in_force");
  if (side == "bid")
    rec.side = Side::Buy;
  else if (side == "ask")
    rec.side = Side::Sell;
  else
    return bad("invalid_parameter", "side must be bid or ask, found '" + side + "'");
  if (ordType != "limit" && ordType != "price" && ordType != "market" && ordType != "best")
    return bad("invalid_parameter", "ord_type must be limit, price, market or best, found '" + ordType + "'");
  if (tif.empty())
    rec.tif = TimeInForce::GTC;
  else if (tif == "ioc")
    rec.tif = TimeInForce::IOC;
  else if (tif == "fok")
    rec.tif = TimeInForce::FOK;
  else if (tif == "post_only" && ordType == "limit")
    rec.tif = TimeInForce::PostOnly;
  else
    return bad("invalid_time_in_force", "time_in_force '" + tif + "' is not allowed with ord_type " + ordType);
  if (ordType == "best" && tif != "ioc" && tif != "fok")
    return bad("invalid_time_in_force", "ord_type best needs time_in_force ioc or fok");
  rec.type_text = ordType;
  const std::string priceText = field("price"), volumeText = field("volume");
  const sim::Amounts amounts(inst->price_scale, inst->qty_scale);
  const int64_t minTotal = std::max<int64_t>(
      inst->min_notional, inst->quote == "KRW" ? kMinTotalKrw * common::pow10(common::kAmountScale) : 0);
  const bool byAmount = rec.side == Side::Buy && ordType != "limit";   // price, best bid: a KRW amount
  const bool byVolume = rec.side == Side::Sell && ordType != "limit";  // market, best ask
  if (ordType == "price" && rec.side != Side::Buy)
    return bad("invalid_parameter", "ord_type price is a bid (buy by amount)");
  if (ordType == "market" && rec.side != Side::Sell)
    return bad("invalid_parameter", "ord_type market is an ask (sell by volume)");
  if (ordType == "limit" || byAmount) {
    if (priceText.empty()) return bad("invalid_parameter", "price is required");
    if (common::parseDecimal(priceText, inst->price_scale, rec.price) != common::ParseStatus::Ok || rec.price <= 0)
      return bad("invalid_parameter", "price '" + priceText + "' is not a positive decimal at " +
                                          std::to_string(inst->price_scale) + " decimals");
  } else if (!priceText.empty()) {
    return bad("invalid_parameter", "price must be empty for ord_type " + ordType + " " + side);
  }
  if (ordType == "limit" || byVolume) {
    if (volumeText.empty()) return bad("invalid_parameter", "volume is required");
    if (common::parseDecimal(volumeText, inst->qty_scale, rec.qty) != common::ParseStatus::Ok || rec.qty <= 0)
      return bad("invalid_parameter", "volume '" + volumeText + "' is not a positive decimal at " +
                                          std::to_string(inst->qty_scale) + " decimals");
  } else if (!volumeText.empty()) {
    return bad("invalid_parameter", "volume must be empty for ord_type " + ordType + " " + side);
  }
  const strategy_engine::OrderBook* book = engine_->book(inst->id);
  if (ordType == "limit") {
    const bool offTick = inst->quote == "KRW" && bands_.bands().size() > 0
                             ? bands_.check(rec.price, inst->price_scale) != api::shared::TickCheck::Ok
                             : rec.price % inst->tick_size != 0;
    if (offTick)
      return bad(std::string("invalid_price").append(suffix(rec.side)),
                 "price " + priceText + " is not on the price unit of its band");
    if (amounts.notional(rec.price, rec.qty) < minTotal)
      return bad(std::string("under_min_total").append(suffix(rec.side)),
                 "the order total is under the minimum of 5000 KRW");
    rec.type = OrderType::Limit;
  } else if (byAmount) {  // buy for `price` KRW: the volume the best ask gives, rounded down to the lot
    const int64_t amount = rec.price;
    if (amounts.notional(amount, common::pow10(inst->qty_scale)) < minTotal)
      return bad("under_min_total_bid", "the order total is under the minimum of 5000 KRW");
    const int64_t ask = book ? book->bestAsk().price : 0;
    if (ask <= 0) return bad("invalid_parameter", "no ask to buy from");
    rec.qty = static_cast<int64_t>(static_cast<common::Int128>(amount) * common::pow10(inst->qty_scale) / ask) /
              inst->lot_size * inst->lot_size;
    rec.type = OrderType::Market;
    rec.tif = TimeInForce::IOC;
  } else {
    const int64_t bid = book ? book->bestBid().price : 0;
    if (bid > 0 && amounts.notional(bid, rec.qty) < minTotal)
      return bad("under_min_total_ask", "the order total is under the minimum of 5000 KRW");
    rec.type = OrderType::Market;
    rec.tif = TimeInForce::IOC;
  }
  uint64_t numeric = 0;
  rec.cid = numericClientId(clientId, numeric) ? numeric : kGeneratedIdBase + nextGeneratedId_++;
  rec.client_order_id = clientId;
  rec.time_ms = rec.update_ms = now_ / 1'000'000;

  common::OrderRequest r = newOrderRequest(exchange_, rec, now_);
  if (rec.type != OrderType::Limit) r.price = 0;  // ord_type price keeps its KRW amount in rec.price
  // The record exists before the engine answers, so this request's reports find it.
  const std::string uuid = uuidOf(rec.cid);
  records_[rec.cid] = rec;
  uuidOf_[rec.cid] = uuid;
  const RejectReason why = submit(r);
  if (why != RejectReason::None) {
    records_.erase(rec.cid);
    uuidOf_.erase(rec.cid);
    const std::string sfx = suffix(rec.side);
    switch (why) {
      case RejectReason::OffTickPrice:
      case RejectReason::InvalidPrice:
        return bad("invalid_price" + sfx, "price " + priceText + " is not on the price unit");
      case RejectReason::BelowMinNotional:
        return bad("under_min_total" + sfx, "the order total is under the minimum");
      case RejectReason::InsufficientBalance:
        return bad("insufficient_funds" + sfx, rec.side == Side::Buy ? "not enough " + inst->quote + " to buy"
                                                                     : "not enough " + inst->base + " to sell");
      case RejectReason::PostOnlyWouldCross:
        return bad("invalid_time_in_force", "a post_only order would have traded at once");
      case RejectReason::OffLotQuantity:
      case RejectReason::InvalidQuantity:
        return bad("invalid_parameter", "volume " + volumeText + " is not a whole lot");
      default:
        return bad("invalid_parameter", std::string("order refused: ").append(common::toString(why)));
    }
  }
  byUuid_[uuid] = rec.cid;
  if (!clientId.empty()) byClientId_[clientId] = rec.cid;
  out = &records_.at(rec.cid);
  return {};
}

const OrderRecord* UpbitOrderDesk::find(const QueryString& q, UpbitError& e) const {
  const std::string idKey(dialect_.clientIdKey);
  const std::map<std::string, common::ClientOrderId, std::less<>>* index = nullptr;
  std::string_view key;
  if (q.has("uuid"))
    index = &byUuid_, key = q.get("uuid");
  else if (q.has(idKey))
    index = &byClientId_, key = q.get(idKey);
  else {
    e = bad("invalid_parameter", "uuid or " + idKey + " is required");
    return nullptr;
  }
  auto it = index->find(key);
  if (it == index->end()) {
    e = bad("order_not_found", "order not found: " + std::string(key), 404);
    return nullptr;
  }
  return &records_.at(it->second);
}

UpbitError UpbitOrderDesk::query(const QueryString& q, const OrderRecord*& out) const {
  UpbitError e;
  out = find(q, e);
  return e;
}

UpbitError UpbitOrderDesk::cancel(const QueryString& q, const OrderRecord*& out) {
  UpbitError e;
  const OrderRecord* target = find(q, e);
  out = nullptr;
  if (e) return e;
  if (!target->working())
    return bad("invalid_parameter", "order is not open (state " + std::string(stateOf(*target)) + ")");
  const common::OrderRequest r = cancelRequest(exchange_, *target, kGeneratedIdBase + nextGeneratedId_++, now_);
  if (submit(r) != RejectReason::None) return bad("invalid_parameter", "order is not open");
  out = target;
  return {};
}

std::vector<const OrderRecord*> UpbitOrderDesk::openOrders(std::string_view market) const {
  return workingOrders(records_, market);
}

upbit_json::OrderView UpbitOrderDesk::view(const OrderRecord& o, const std::string& uuid) const {
  const sim::Amounts amounts(o.inst->price_scale, o.inst->qty_scale);
  upbit_json::OrderView v;
  v.instrument = o.inst;
  v.uuid = uuid;
  v.client_id_key = dialect_.clientIdKey;
  v.client_id = o.client_order_id;
  v.ord_type = o.type_text;
  v.time_in_force = tifOf(o);
  v.side = o.side;
  v.state = stateOf(o);
  const bool byAmount = o.side == Side::Buy && o.type_text != "limit";
  v.has_price = o.type_text == "limit" || byAmount;
  v.has_volume = !byAmount;
  v.price = o.price;
  v.volume = o.qty;
  v.executed = o.executed;
  v.remaining = o.working() ? o.qty - o.executed : 0;
  v.avg_price = o.avg_price;
  v.trades_count = static_cast<uint32_t>(o.fills.size());
  for (const FillRecord& f : o.fills) v.paid_fee += f.fee;
  v.executed_funds = o.quote_qty;
  const int64_t rate = std::max(makerE8_, takerE8_);
  const int64_t total = o.type_text == "limit" ? amounts.notional(o.price, o.qty)
                        : byAmount             ? amounts.notional(o.price, common::pow10(o.inst->qty_scale))
                                               : 0;
  v.reserved_fee = sim::Amounts::fee(total, rate);
  if (o.working() && o.type_text == "limit") {
    v.remaining_fee = sim::Amounts::fee(amounts.notional(o.price, v.remaining), rate);
    v.locked =
        o.side == Side::Buy ? amounts.notional(o.price, v.remaining) + v.remaining_fee : amounts.base(v.remaining);
  }
  v.created_ms = o.time_ms;
  return v;
}

std::string UpbitOrderDesk::orderJson(const OrderRecord& o, bool withTrades, const char* state) const {
  const std::string& uuid = uuidOf_.at(o.cid);
  upbit_json::OrderView v = view(o, uuid);
  if (state) v.state = state;
  if (!withTrades) return upbit_json::restOrder(v, nullptr);
  std::vector<std::string> ids;
  ids.reserve(o.fills.size());
  std::vector<upbit_json::FillView> trades;
  for (const FillRecord& f : o.fills) {
    ids.push_back(uuidOf(f.trade_id, kTradeTag));
    trades.push_back(fillView(o, f, ids.back(), o.update_ms));
  }
  return upbit_json::restOrder(v, &trades);
}

std::vector<upbit_json::AssetView> UpbitOrderDesk::assets() const {
  std::vector<upbit_json::AssetView> v;
  for (const std::string& c : currencies_) {
    const auto b = engine_->balance(exchange_, c);
    v.push_back({c, b.free, b.locked});
  }
  return v;
}

std::string UpbitOrderDesk::accountsJson() const { return upbit_json::accounts(assets(), "KRW"); }

nlohmann::ordered_json UpbitOrderDesk::state() const {
  nlohmann::ordered_json j;
  j["market"] = exchange_ == common::ExchangeId::Bithumb ? "bithumb" : "upbit";
  j["time_ms"] = now_ / 1'000'000;
  nlohmann::ordered_json balances = nlohmann::ordered_json::array();
  for (const auto& a : assets())
    balances.push_back({{"asset", std::string(a.currency)},
                        {"free", json::decimal(a.balance, common::kAmountScale)},
                        {"locked", json::decimal(a.locked, common::kAmountScale)}});
  j["balances"] = std::move(balances);
  nlohmann::ordered_json open = nlohmann::ordered_json::array();
  for (const OrderRecord* o : openOrders("")) open.push_back(nlohmann::ordered_json::parse(orderJson(*o, false)));
  j["open_orders"] = std::move(open);
  j["positions"] = nlohmann::ordered_json::array();
  j["orders_accepted"] = records_.size();
  j["client_order_id_reuses"] = clientIdReuses_;
  j["fills"] = engine_->fills().size();
  j["books"] = nlohmann::ordered_json::object();
  return j;
}

}  // namespace hft::execution_engine::exchange_sim
