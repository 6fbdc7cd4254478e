#include "execution_engine/exchange_sim/Venue.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <cstring>

#include "common/FixedPoint.h"
#include "common/Int128.h"
#include "execution_engine/exchange_sim/EngineLink.h"

namespace hft::execution_engine::exchange_sim {

using common::ExecType;
using common::OrderType;
using common::Side;
using common::TimeInForce;
using json::Json;

namespace {
std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

VenueError err(int code, std::string msg, int http = 400) { return VenueError{http, code, std::move(msg)}; }
VenueError mandatory(const char* name) {
  return err(-1102, std::string("Mandatory parameter '").append(name).append(
                        "' was not sent, was empty/null, or malformed."));
}
}  // namespace

/// One symbol's public book as the feed shows it, and the diff being aggregated.
struct Venue::Book {
  const config::Instrument* inst = nullptr;
  std::string symbolLower;
  std::map<int64_t, int64_t, std::greater<>> bids;
  std::map<int64_t, int64_t> asks;
  uint64_t lastUpdateId = 0;   ///< of the book as applied (what a snapshot says)
  uint64_t lastSentU = 0;      ///< u of the last diff sent (or dropped): the next diff's pu
  uint64_t pendingU = 0;       ///< U of the diff being aggregated; 0 = none
  std::map<int64_t, int64_t> pendingBids, pendingAsks;
  common::TimestampNs lastFlushNs = 0;
  uint64_t aggId = 0;
};

Venue::Venue(const config::InstrumentRegistry& registry, VenueConfig config, common::TimestampNs startNs, Output out)
    : registry_(registry), config_(std::move(config)), out_(std::move(out)),
      exchange_(api::binance::exchangeOf(config_.market)), now_(startNs) {
  if (config_.symbols.empty())
    for (const auto& i : registry_.all())
      if (i.exchange == exchange_) config_.symbols.push_back(i.venue_symbol);
  if (config_.symbols.empty()) throw std::invalid_argument("exchange_sim: no instruments for the market in the registry");

  gateways::SyntheticConfig sc;
  sc.seed = config_.seed;
  sc.start_ns = startNs;
  sc.events_per_second = config_.events_per_second;
  sc.book_depth = config_.book_depth;
  sc.volatility_bps_per_sqrt_s = config_.volatility_bps_per_sqrt_s;
  sc.burst_probability = config_.burst_probability;
  sc.burst_multiplier = config_.burst_multiplier;
  sc.burst_mean_s = config_.burst_mean_s;
  for (const auto& s : config_.symbols) {
    const config::Instrument* inst = registry_.byVenueSymbol(exchange_, s);
    if (!inst)
      throw std::invalid_argument("exchange_sim: symbol " + s + " is not a " + api::binance::toString(config_.market) +
                                  " instrument of the registry");
    gateways::SyntheticInstrument si;
    si.id = inst->id;
    si.exchange = exchange_;
    si.tick_size = inst->tick_size;
    si.lot_size = inst->lot_size;
    si.price_scale = inst->price_scale;
    si.qty_scale = inst->qty_scale;
    std::string start = inst->base == "BTC" ? "60000" : inst->base == "ETH" ? "3000" : "100";
    if (auto it = config_.start_prices.find(s); it != config_.start_prices.end()) start = it->second;
    int64_t p = 0;
    if (common::parseDecimal(start, inst->price_scale, p) != common::ParseStatus::Ok || p <= 0)
      throw std::invalid_argument("exchange_sim: bad start price '" + start + "' for " + s);
    si.start_price = p / inst->tick_size * inst->tick_size;
    // 1000 lots at the touch (0.01 BTC, 0.1 ETH): room for test orders of a few lots.
    si.touch_qty = 1000 * inst->lot_size;
    sc.instruments.push_back(si);
    auto b = std::make_unique<Book>();
    b->inst = inst;
    b->symbolLower = lower(inst->venue_symbol);
    bookById_[inst->id] = b.get();
    books_.push_back(std::move(b));
  }
  market_ = std::make_unique<gateways::SyntheticMarket>(sc);

  auto balances = config_.balances;
  if (balances.empty()) {
    balances["USDT"] = "100000";
    if (spot()) {
      balances["BTC"] = "1";
      balances["ETH"] = "10";
    }
  }
  sim::SimConfig simc = engineConfig(exchange_, config_.maker_fee.empty() ? "0.001" : config_.maker_fee,
                                     config_.taker_fee.empty() ? "0.001" : config_.taker_fee, balances);
  if (!spot()) simc.leverage[exchange_] = config_.leverage;
  engine_ = std::make_unique<sim::SimulatedExchange>(registry_, simc, collectInto(reports_));
  hasNext_ = market_->next(next_);
  // The initial books (all at startNs): a snapshot asked right after start-up is not empty.
  while (hasNext_ && common::eventTime(next_.header()) <= startNs) {
    apply(next_.header());
    hasNext_ = market_->next(next_);
  }
}

Venue::~Venue() = default;

const config::Instrument* Venue::instrument(std::string_view symbol) const noexcept {
  const config::Instrument* i = registry_.byVenueSymbol(exchange_, symbol);
  return i && bookById_.count(i->id) ? i : nullptr;
}

// -- market ---------------------------------------------------------------------------------------

void Venue::advance(common::TimestampNs nowNs, const std::function<bool()>& dropDiff) {
  while (hasNext_ && common::eventTime(next_.header()) <= nowNs) {
    apply(next_.header());
    hasNext_ = market_->next(next_);
  }
  if (nowNs > now_) now_ = nowNs;
  engine_->advanceTo(now_);
  drain();
  const common::TimestampNs interval = config_.depth_interval_ms * 1'000'000;
  for (auto& b : books_)
    if (now_ - b->lastFlushNs >= interval) {
      b->lastFlushNs = now_;
      flush(*b, dropDiff);
    }
}

void Venue::apply(const common::EventHeader& e) {
  const common::TimestampNs t = common::eventTime(e);
  if (t > now_) now_ = t;
  engine_->onMarketData(e);
  drain();
  auto it = bookById_.find(e.instrument_id);
  if (it == bookById_.end()) return;
  Book& b = *it->second;
  const int64_t ms = t / 1'000'000;
  const config::Instrument& inst = *b.inst;
  switch (e.type) {
    case common::EventType::BookDelta: {
      const auto& d = reinterpret_cast<const common::BookDelta&>(e);
      const bool initial = (d.flags & common::BookDelta::kFromSnapshot) != 0;
      if (d.flags & common::BookDelta::kClearBook) {
        b.bids.clear();
        b.asks.clear();
      }
      for (uint16_t i = 0; i < d.count; ++i) {
        const common::PriceLevelUpdate& l = d.levels[i];
        if (l.side == Side::Buy) {
          if (l.qty == 0) b.bids.erase(l.price);
          else b.bids[l.price] = l.qty;
          if (!initial) b.pendingBids[l.price] = l.qty;
        } else {
          if (l.qty == 0) b.asks.erase(l.price);
          else b.asks[l.price] = l.qty;
          if (!initial) b.pendingAsks[l.price] = l.qty;
        }
      }
      if (initial) {
        b.lastUpdateId = d.last_update_id;
        b.lastSentU = d.last_update_id;
      } else {
        if (b.pendingU == 0) b.pendingU = d.first_update_id;
        b.lastUpdateId = d.last_update_id;
      }
      break;
    }
    case common::EventType::Trade: {
      const auto& tr = reinterpret_cast<const common::Trade&>(e);
      const bool buyerMaker = tr.aggressor == Side::Sell;
      Json j;
      j["e"] = "trade";
      j["E"] = ms;
      j["s"] = inst.venue_symbol;
      j["t"] = tr.trade_id;
      j["p"] = json::decimal(tr.price, inst.price_scale);
      j["q"] = json::decimal(tr.qty, inst.qty_scale);
      j["T"] = ms;
      j["m"] = buyerMaker;
      if (spot()) j["M"] = true;
      else j["X"] = "MARKET";
      out_.market(StreamKind::Trade, b.symbolLower, j.dump());
      ++b.aggId;
      Json a;
      a["e"] = "aggTrade";
      a["E"] = ms;
      a["s"] = inst.venue_symbol;
      a["a"] = b.aggId;
      a["p"] = json::decimal(tr.price, inst.price_scale);
      a["q"] = json::decimal(tr.qty, inst.qty_scale);
      a["f"] = tr.trade_id;
      a["l"] = tr.trade_id;
      a["T"] = ms;
      a["m"] = buyerMaker;
      if (spot()) a["M"] = true;
      out_.market(StreamKind::AggTrade, b.symbolLower, a.dump());
      break;
    }
    case common::EventType::BestBidOffer: {
      const auto& q = reinterpret_cast<const common::BestBidOffer&>(e);
      Json j;
      if (!spot()) {
        j["e"] = "bookTicker";
        j["u"] = q.update_id;
        j["E"] = ms;
        j["T"] = ms;
      } else {
        j["u"] = q.update_id;
      }
      j["s"] = inst.venue_symbol;
      j["b"] = json::decimal(q.bid_price, inst.price_scale);
      j["B"] = json::decimal(q.bid_qty, inst.qty_scale);
      j["a"] = json::decimal(q.ask_price, inst.price_scale);
      j["A"] = json::decimal(q.ask_qty, inst.qty_scale);
      out_.market(StreamKind::BookTicker, b.symbolLower, j.dump());
      break;
    }
    default: break;
  }
}

void Venue::flush(Book& b, const std::function<bool()>& dropDiff) {
  if (b.pendingU == 0) return;
  const bool drop = dropDiff && dropDiff();
  if (!drop) {
    const config::Instrument& inst = *b.inst;
    Json j;
    j["e"] = "depthUpdate";
    j["E"] = nowMs();
    if (!spot()) j["T"] = nowMs();
    j["s"] = inst.venue_symbol;
    j["U"] = b.pendingU;
    j["u"] = b.lastUpdateId;
    if (!spot()) j["pu"] = b.lastSentU;
    Json bids = Json::array(), asks = Json::array();
    for (auto it = b.pendingBids.rbegin(); it != b.pendingBids.rend(); ++it)
      bids.push_back(Json::array({json::decimal(it->first, inst.price_scale), json::decimal(it->second, inst.qty_scale)}));
    for (const auto& [p, q] : b.pendingAsks)
      asks.push_back(Json::array({json::decimal(p, inst.price_scale), json::decimal(q, inst.qty_scale)}));
    j["b"] = std::move(bids);
    j["a"] = std::move(asks);
    out_.market(StreamKind::Depth, b.symbolLower, j.dump());
  }
  b.lastSentU = b.lastUpdateId;
  b.pendingU = 0;
  b.pendingBids.clear();
  b.pendingAsks.clear();
}

Json Venue::depth(const config::Instrument& inst, size_t limit) const {
  const Book& b = *bookById_.at(inst.id);
  Json j;
  j["lastUpdateId"] = b.lastUpdateId;
  if (!spot()) {
    j["E"] = nowMs();
    j["T"] = nowMs();
  }
  Json bids = Json::array(), asks = Json::array();
  for (const auto& [p, q] : b.bids) {
    if (bids.size() >= limit) break;
    bids.push_back(Json::array({json::decimal(p, inst.price_scale), json::decimal(q, inst.qty_scale)}));
  }
  for (const auto& [p, q] : b.asks) {
    if (asks.size() >= limit) break;
    asks.push_back(Json::array({json::decimal(p, inst.price_scale), json::decimal(q, inst.qty_scale)}));
  }
  j["bids"] = std::move(bids);
  j["asks"] = std::move(asks);
  return j;
}

// -- orders ---------------------------------------------------------------------------------------

common::ClientOrderId Venue::clientIdOf(std::string_view text, bool& generated) {
  uint64_t v = 0;
  generated = false;
  if (numericClientId(text, v)) return v;
  if (!text.empty())
    if (auto it = byClientText_.find(text); it != byClientText_.end()) return it->second;
  generated = true;
  return kGeneratedIdBase + nextGeneratedId_++;
}

VenueError Venue::submit(const common::OrderRequest& r, common::ClientOrderId watch) {
  watch_ = watch;
  watchRejected_ = false;
  watchReject_ = common::RejectReason::None;
  engine_->onOrderRequest(r);
  engine_->advanceTo(now_);
  drain();
  watch_ = 0;
  if (!watchRejected_) return {};
  using common::RejectReason;
  const bool fut = !spot();
  switch (watchReject_) {
    case RejectReason::OffTickPrice:
    case RejectReason::InvalidPrice:
      return fut ? err(-4014, "Price not increased by tick size.") : err(-1013, "Filter failure: PRICE_FILTER");
    case RejectReason::OffLotQuantity:
    case RejectReason::InvalidQuantity:
      return fut ? err(-4023, "Quantity not increased by step size.") : err(-1013, "Filter failure: LOT_SIZE");
    case RejectReason::BelowMinNotional:
      return fut ? err(-4164, "Order's notional must be no smaller than 5 (unless you choose reduce only).")
                 : err(-1013, "Filter failure: NOTIONAL");
    case RejectReason::InsufficientBalance:
      return fut ? err(-2019, "Margin is insufficient.")
                 : err(-2010, "Account has insufficient balance for requested action.");
    case RejectReason::PostOnlyWouldCross:
      return fut ? err(-5022, "Due to the order could not be executed as maker, the Post Only order will be rejected.")
                 : err(-2010, "Order would immediately match and take.");
    case RejectReason::DuplicateClientOrderId: return err(-2010, "Duplicate order sent.");
    case RejectReason::UnknownOrder: return err(-2011, "Unknown order sent.");
    case RejectReason::ReduceOnlyRejected: return err(-2022, "ReduceOnly Order is rejected.");
    default: return err(-2010, "Order rejected.");
  }
}

VenueError Venue::place(const QueryString& q, const OrderRecord*& out, size_t& firstFill) {
  out = nullptr;
  firstFill = 0;
  if (!q.has("symbol")) return mandatory("symbol");
  const config::Instrument* inst = instrument(q.get("symbol"));
  if (!inst) return err(-1121, "Invalid symbol.");
  if (!q.has("side")) return mandatory("side");
  if (!q.has("type")) return mandatory("type");
  const std::string_view sideText = q.get("side"), typeText = q.get("type"), tifText = q.get("timeInForce");
  OrderRecord rec;
  rec.inst = inst;
  if (sideText == "BUY") rec.side = Side::Buy;
  else if (sideText == "SELL") rec.side = Side::Sell;
  else return err(-1117, "Invalid side.");
  bool priced = true;
  bool needsTif = true;
  if (typeText == "LIMIT") rec.type = OrderType::Limit;
  else if (typeText == "MARKET") rec.type = OrderType::Market, priced = false, needsTif = false;
  else if (typeText == "LIMIT_MAKER" && spot()) rec.type = OrderType::Limit, needsTif = false;
  else if (typeText == "STOP_LOSS" && spot()) rec.type = OrderType::StopMarket, priced = false, needsTif = false;
  else if (typeText == "STOP_LOSS_LIMIT" && spot()) rec.type = OrderType::StopLimit;
  else if (typeText == "TAKE_PROFIT" && spot()) rec.type = OrderType::TakeProfit, priced = false, needsTif = false;
  else if (!spot() && (typeText == "STOP" || typeText == "STOP_MARKET" || typeText == "TAKE_PROFIT" ||
                       typeText == "TAKE_PROFIT_MARKET" || typeText == "TRAILING_STOP_MARKET"))
    return err(-4120, "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.");
  else return err(-1116, "Invalid orderType.");
  rec.type_text = std::string(typeText);
  if (typeText == "LIMIT_MAKER") rec.tif = TimeInForce::PostOnly;
  else if (needsTif) {
    if (tifText.empty()) return mandatory("timeInForce");
    if (tifText == "GTC") rec.tif = TimeInForce::GTC;
    else if (tifText == "IOC") rec.tif = TimeInForce::IOC;
    else if (tifText == "FOK") rec.tif = TimeInForce::FOK;
    else if (tifText == "GTX" && !spot()) rec.tif = TimeInForce::PostOnly;
    else return err(-1115, "Invalid timeInForce.");
  } else {
    rec.tif = rec.type == OrderType::Market ? TimeInForce::IOC : TimeInForce::GTC;
  }
  if (!q.has("quantity")) return mandatory("quantity");
  const auto tooPrecise = [&](const char* what) {
    return spot() ? err(-1013, std::string("Filter failure: ").append(what))
                  : err(-1111, "Precision is over the maximum defined for this asset.");
  };
  if (common::parseDecimal(q.get("quantity"), inst->qty_scale, rec.qty) != common::ParseStatus::Ok)
    return tooPrecise("LOT_SIZE");
  if (priced) {
    if (!q.has("price")) return mandatory("price");
    if (common::parseDecimal(q.get("price"), inst->price_scale, rec.price) != common::ParseStatus::Ok)
      return tooPrecise("PRICE_FILTER");
  }
  if (rec.type == OrderType::StopMarket || rec.type == OrderType::StopLimit || rec.type == OrderType::TakeProfit) {
    if (!q.has("stopPrice")) return mandatory("stopPrice");
    if (common::parseDecimal(q.get("stopPrice"), inst->price_scale, rec.stop_price) != common::ParseStatus::Ok)
      return tooPrecise("PRICE_FILTER");
  }
  rec.reduce_only = q.get("reduceOnly") == "true";
  bool generated = false;
  const std::string_view idText = q.get("newClientOrderId");
  rec.cid = clientIdOf(idText, generated);
  if (!generated && records_.count(rec.cid)) {
    ++clientIdReuses_;
    if (records_.at(rec.cid).working())
      return spot() ? err(-2010, "Duplicate order sent.") : err(-4116, "ClientOrderId is duplicated.");
  }
  rec.client_order_id = idText.empty() ? std::to_string(rec.cid) : std::string(idText);
  rec.time_ms = rec.update_ms = nowMs();

  const common::OrderRequest r = newOrderRequest(exchange_, rec, now_);
  // The record exists before the engine answers, so the reports of this request find it; a
  // rejected order is forgotten again (Binance keeps no rejected orders: a query says -2013).
  const bool replacing = records_.count(rec.cid) != 0;
  OrderRecord previous;
  if (replacing) previous = records_.at(rec.cid);
  records_[rec.cid] = rec;
  VenueError e = submit(r, rec.cid);
  if (e) {
    if (replacing) records_[rec.cid] = previous;
    else records_.erase(rec.cid);
    return e;
  }
  OrderRecord& stored = records_.at(rec.cid);
  byOrderId_[stored.order_id] = rec.cid;
  byClientText_[stored.client_order_id] = rec.cid;
  out = &stored;
  return {};
}

VenueError Venue::query(const QueryString& q, const OrderRecord*& out) const {
  out = nullptr;
  if (!q.has("symbol")) return mandatory("symbol");
  const config::Instrument* inst = instrument(q.get("symbol"));
  if (!inst) return err(-1121, "Invalid symbol.");
  const OrderRecord* found = nullptr;
  if (q.has("orderId")) {
    uint64_t id = 0;
    const std::string_view t = q.get("orderId");
    std::from_chars(t.data(), t.data() + t.size(), id);
    if (auto it = byOrderId_.find(id); it != byOrderId_.end()) found = &records_.at(it->second);
  } else if (q.has("origClientOrderId")) {
    if (auto it = byClientText_.find(q.get("origClientOrderId")); it != byClientText_.end())
      found = &records_.at(it->second);
  } else {
    return err(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
  }
  if (!found || found->inst != inst) return err(-2013, "Order does not exist.");
  out = found;
  return {};
}

VenueError Venue::cancel(const QueryString& q, const OrderRecord*& out, std::string& cancelId) {
  const OrderRecord* target = nullptr;
  if (VenueError e = query(q, target)) {
    if (e.code == -2013) return err(-2011, "Unknown order sent.");
    return e;
  }
  bool generated = false;
  const std::string_view idText = q.get("newClientOrderId");
  common::ClientOrderId cancelCid = clientIdOf(idText, generated);
  if (!generated && records_.count(cancelCid)) cancelCid = kGeneratedIdBase + nextGeneratedId_++;
  cancelId = idText.empty() ? std::string("sim-cancel-").append(std::to_string(cancelCid - kGeneratedIdBase))
                            : std::string(idText);
  if (!target->working()) return err(-2011, "Unknown order sent.");
  const common::OrderRequest r = cancelRequest(exchange_, *target, cancelCid, now_);
  pendingCancelId_ = cancelId;
  VenueError e = submit(r, cancelCid);
  pendingCancelId_.clear();
  if (e) return err(-2011, "Unknown order sent.");
  out = target;
  return {};
}

std::vector<const OrderRecord*> Venue::openOrders(std::string_view symbol) const {
  return workingOrders(records_, symbol);
}

// -- engine reports -------------------------------------------------------------------------------

void Venue::drain() {
  if (reports_.empty()) return;
  std::vector<common::EventBuffer> batch;
  batch.swap(reports_);
  for (const auto& b : batch) onReport(b.header());
  if (changedAssets_.empty()) return;
  Json j;
  if (spot()) {
    j["e"] = "outboundAccountPosition";
    j["E"] = nowMs();
    j["u"] = nowMs();
    Json list = Json::array();
    for (const auto& a : changedAssets_) {
      const auto bal = engine_->balance(exchange_, a);
      list.push_back(Json{{"a", a},
                          {"f", json::decimal(bal.free, common::kAmountScale)},
                          {"l", json::decimal(bal.locked, common::kAmountScale)}});
    }
    j["B"] = std::move(list);
  } else {
    j["e"] = "ACCOUNT_UPDATE";
    j["E"] = nowMs();
    j["T"] = nowMs();
    Json a;
    a["m"] = "ORDER";
    Json list = Json::array();
    for (const auto& asset : changedAssets_) {
      const auto bal = engine_->balance(exchange_, asset);
      const std::string wb = json::decimal(bal.free + bal.locked, common::kAmountScale);
      list.push_back(Json{{"a", asset}, {"wb", wb}, {"cw", wb}, {"bc", "0"}});
    }
    a["B"] = std::move(list);
    Json pos = Json::array();
    for (const auto& [id, p] : positions_) {
      const config::Instrument* inst = registry_.byId(id);
      pos.push_back(Json{{"s", inst->venue_symbol},
                         {"pa", json::decimal(p.qty, inst->qty_scale)},
                         {"ep", json::decimal(p.entry, inst->price_scale)},
                         {"cr", "0"},
                         {"up", "0"},
                         {"mt", "cross"},
                         {"iw", "0"},
                         {"ps", "BOTH"}});
    }
    a["P"] = std::move(pos);
    j["a"] = std::move(a);
  }
  changedAssets_.clear();
  out_.user(j.dump());
}

void Venue::onReport(const common::EventHeader& e) {
  if (e.type == common::EventType::BalanceUpdate) {
    const auto& u = reinterpret_cast<const common::BalanceUpdate&>(e);
    changedAssets_.insert(std::string(u.asset, strnlen(u.asset, sizeof u.asset)));
    return;
  }
  if (e.type != common::EventType::ExecutionReport) return;
  const auto& r = reinterpret_cast<const common::ExecutionReport&>(e);
  if (r.exec_type == ExecType::Rejected) {
    if (r.client_order_id == watch_) {
      watchRejected_ = true;
      watchReject_ = r.reject_reason;
    }
    return;
  }
  auto it = records_.find(r.client_order_id);
  if (it == records_.end()) return;
  OrderRecord& o = it->second;
  FillRecord fill;
  const bool isFill = applyReport(o, r, fill);
  if (isFill) {
    if (!spot()) {
      Position& p = positions_[o.inst->id];
      const int64_t signedQty = o.side == Side::Buy ? fill.qty : -fill.qty;
      const int64_t next = p.qty + signedQty;
      if (p.qty == 0 || (p.qty > 0) == (signedQty > 0)) {
        const common::Int128 cost = static_cast<common::Int128>(p.entry) * (p.qty < 0 ? -p.qty : p.qty) +
                                    static_cast<common::Int128>(fill.price) * fill.qty;
        const int64_t absNext = next < 0 ? -next : next;
        p.entry = absNext ? static_cast<int64_t>(cost / absNext) : 0;
      } else if (next == 0) {
        p.entry = 0;
      } else if ((next > 0) != (p.qty > 0)) {
        p.entry = fill.price;  // flipped: the remainder opened at this price
      }
      p.qty = next;
    }
  }
  const std::string& cancelId = r.exec_type == ExecType::Canceled ? pendingCancelId_ : std::string();
  const int64_t ms = r.venue_ts_ns / 1'000'000;
  if (spot()) out_.user(json::executionReport(o, r.exec_type, isFill ? &fill : nullptr, cancelId, ms).dump());
  else out_.user(json::orderTradeUpdate(o, r.exec_type, isFill ? &fill : nullptr, ms).dump());
}

// -- views ----------------------------------------------------------------------------------------

std::vector<std::string> Venue::assetsOf() const {
  std::set<std::string> s;
  for (const auto& b : books_) {
    s.insert(b->inst->base);
    s.insert(b->inst->quote);
  }
  for (const auto& [a, v] : config_.balances) s.insert(a);
  if (!spot()) {
    std::set<std::string> q;
    for (const auto& b : books_) q.insert(b->inst->quote);
    for (const auto& [a, v] : config_.balances) q.insert(a);
    if (config_.balances.empty()) q.insert("USDT");
    return {q.begin(), q.end()};
  }
  return {s.begin(), s.end()};
}

Json Venue::exchangeInfo(const Json& rateLimits) const {
  Json j;
  j["timezone"] = "UTC";
  j["serverTime"] = nowMs();
  j["rateLimits"] = rateLimits;
  j["exchangeFilters"] = Json::array();
  Json symbols = Json::array();
  for (const auto& b : books_) {
    const config::Instrument& i = *b->inst;
    Json s;
    s["symbol"] = i.venue_symbol;
    if (!spot()) {
      s["pair"] = i.venue_symbol;
      s["contractType"] = "PERPETUAL";
    }
    s["status"] = "TRADING";
    s["baseAsset"] = i.base;
    s["quoteAsset"] = i.quote;
    if (spot()) {
      s["baseAssetPrecision"] = 8;
      s["quotePrecision"] = 8;
      s["quoteAssetPrecision"] = 8;
      s["orderTypes"] = Json::array({"LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT"});
      s["icebergAllowed"] = false;
      s["ocoAllowed"] = false;
      s["cancelReplaceAllowed"] = true;
      s["isSpotTradingAllowed"] = true;
      s["isMarginTradingAllowed"] = false;
    } else {
      s["marginAsset"] = i.quote;
      s["pricePrecision"] = i.price_scale;
      s["quantityPrecision"] = i.qty_scale;
      s["orderTypes"] = Json::array({"LIMIT", "MARKET"});
      s["timeInForce"] = Json::array({"GTC", "IOC", "FOK", "GTX"});
    }
    const std::string tick = json::decimal(i.tick_size, i.price_scale);
    const std::string step = json::decimal(i.lot_size, i.qty_scale);
    Json filters = Json::array();
    filters.push_back(Json{{"filterType", "PRICE_FILTER"},
                           {"minPrice", tick},
                           {"maxPrice", json::decimal(common::pow10(7 + i.price_scale), i.price_scale)},
                           {"tickSize", tick}});
    filters.push_back(Json{{"filterType", "LOT_SIZE"},
                           {"minQty", step},
                           {"maxQty", json::decimal(common::pow10(4 + i.qty_scale), i.qty_scale)},
                           {"stepSize", step}});
    const std::string minNotional = json::decimal(i.min_notional, common::kAmountScale);
    if (spot()) {
      filters.push_back(Json{{"filterType", "NOTIONAL"},
                             {"minNotional", minNotional},
                             {"applyMinToMarket", true},
                             {"maxNotional", "9000000.00000000"},
                             {"applyMaxToMarket", false},
                             {"avgPriceMins", 5}});
      filters.push_back(Json{{"filterType", "PERCENT_PRICE_BY_SIDE"},
                             {"bidMultiplierUp", "5"},
                             {"bidMultiplierDown", "0.2"},
                             {"askMultiplierUp", "5"},
                             {"askMultiplierDown", "0.2"},
                             {"avgPriceMins", 5}});
    } else {
      filters.push_back(Json{{"filterType", "MIN_NOTIONAL"}, {"notional", minNotional}});
      filters.push_back(Json{{"filterType", "PERCENT_PRICE"},
                             {"multiplierUp", "1.0500"},
                             {"multiplierDown", "0.9500"},
                             {"multiplierDecimal", "4"}});
    }
    s["filters"] = std::move(filters);
    symbols.push_back(std::move(s));
  }
  j["symbols"] = std::move(symbols);
  return j;
}

Json Venue::spotAccount() const {
  Json j;
  j["makerCommission"] = 10;
  j["takerCommission"] = 10;
  j["buyerCommission"] = 0;
  j["sellerCommission"] = 0;
  j["canTrade"] = true;
  j["canWithdraw"] = false;
  j["canDeposit"] = false;
  j["brokered"] = false;
  j["requireSelfTradePrevention"] = false;
  j["preventSor"] = false;
  j["updateTime"] = nowMs();
  j["accountType"] = "SPOT";
  Json list = Json::array();
  for (const auto& a : assetsOf()) {
    const auto bal = engine_->balance(exchange_, a);
    list.push_back(Json{{"asset", a},
                        {"free", json::decimal(bal.free, common::kAmountScale)},
                        {"locked", json::decimal(bal.locked, common::kAmountScale)}});
  }
  j["balances"] = std::move(list);
  j["permissions"] = Json::array({"SPOT"});
  j["uid"] = 1;
  return j;
}

Json Venue::futuresBalances() const {
  Json list = Json::array();
  for (const auto& a : assetsOf()) {
    const auto bal = engine_->balance(exchange_, a);
    list.push_back(Json{{"accountAlias", "SimAccount"},
                        {"asset", a},
                        {"balance", json::decimal(bal.free + bal.locked, common::kAmountScale)},
                        {"crossWalletBalance", json::decimal(bal.free + bal.locked, common::kAmountScale)},
                        {"crossUnPnl", "0.00000000"},
                        {"availableBalance", json::decimal(bal.free, common::kAmountScale)},
                        {"maxWithdrawAmount", json::decimal(bal.free, common::kAmountScale)},
                        {"marginAvailable", true},
                        {"updateTime", nowMs()}});
  }
  return list;
}

Json Venue::futuresPositions(std::string_view symbol) const {
  Json list = Json::array();
  for (const auto& b : books_) {
    const config::Instrument& i = *b->inst;
    if (!symbol.empty() && i.venue_symbol != symbol) continue;
    Position p;
    if (auto it = positions_.find(i.id); it != positions_.end()) p = it->second;
    list.push_back(Json{{"symbol", i.venue_symbol},
                        {"positionSide", "BOTH"},
                        {"positionAmt", json::decimal(p.qty, i.qty_scale)},
                        {"entryPrice", json::decimal(p.entry, i.price_scale)},
                        {"unRealizedProfit", "0.00000000"},
                        {"leverage", std::to_string(config_.leverage)},
                        {"marginType", "cross"},
                        {"updateTime", nowMs()}});
  }
  return list;
}

Json Venue::state() const {
  Json j;
  j["market"] = api::binance::toString(config_.market);
  j["time_ms"] = nowMs();
  j["balances"] = spot() ? spotAccount()["balances"] : futuresBalances();
  Json open = Json::array();
  for (const OrderRecord* o : openOrders("")) open.push_back(spot() ? json::spotOrderQuery(*o) : json::futuresOrder(*o));
  j["open_orders"] = std::move(open);
  j["positions"] = spot() ? Json::array() : futuresPositions("");
  j["orders_accepted"] = records_.size();
  j["client_order_id_reuses"] = clientIdReuses_;
  j["fills"] = engine_->fills().size();
  Json books = Json::object();
  for (const auto& b : books_) books[b->inst->venue_symbol] = Json{{"lastUpdateId", b->lastUpdateId}};
  j["books"] = std::move(books);
  return j;
}

}  // namespace hft::execution_engine::exchange_sim
