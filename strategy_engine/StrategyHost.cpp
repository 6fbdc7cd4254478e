#include "strategy_engine/StrategyHost.h"

#include <algorithm>
#include <stdexcept>

#include "common/FixedPoint.h"
#include "common/Int128.h"

namespace hft::strategy_engine {

using common::ExecType;
using common::OrderAction;

StrategyHost::StrategyHost(const config::InstrumentRegistry& instruments, HostConfig cfg, IStrategy& strategy,
                           IOrderSink& sink)
    : registry_(instruments), cfg_(std::move(cfg)), strategy_(strategy), sink_(sink), books_(instruments) {
  if (cfg_.strategy_id == 0 || cfg_.strategy_id > 0xFFF)
    throw std::invalid_argument("strategy_id must be 1..4095, got " + std::to_string(cfg_.strategy_id));
  common::InstrumentId maxId = 0;
  for (const auto& i : registry_.all()) maxId = std::max(maxId, i.id);
  subscribed_.assign(maxId + 1, false);
  positions_.resize(maxId + 1);
  for (const auto id : cfg_.instruments) {
    if (!registry_.byId(id)) throw std::invalid_argument("unknown instrument id " + std::to_string(id));
    subscribed_[id] = true;
  }
  for (common::InstrumentId id = 0; id <= maxId; ++id) positions_[id].instrument = id;
  open_.reserve(cfg_.max_open_orders);
  timers_.reserve(cfg_.max_timers);
  strategy_.bind(*this);
}

void StrategyHost::start() { strategy_.onStart(); }

void StrategyHost::stop(bool cancelOpenOrders) {
  strategy_.onStop();
  if (cancelOpenOrders) cancelAll(0);
}

const OrderBook* StrategyHost::book(common::InstrumentId instrument) const noexcept {
  return subscribed(instrument) ? books_.book(instrument) : nullptr;
}

const Position& StrategyHost::position(common::InstrumentId instrument) const noexcept {
  return instrument < positions_.size() ? positions_[instrument] : none_;
}

const config::Instrument* StrategyHost::instrument(common::InstrumentId instrument) const noexcept {
  return registry_.byId(instrument);
}

const OpenOrder* StrategyHost::order(common::ClientOrderId id) const noexcept {
  for (const auto& o : open_)
    if (o.id == id) return &o;
  return nullptr;
}

OpenOrder* StrategyHost::findOpen(common::ClientOrderId id) noexcept {
  for (auto& o : open_)
    if (o.id == id) return &o;
  return nullptr;
}

void StrategyHost::removeOpen(common::ClientOrderId id) noexcept {
  for (size_t i = 0; i < open_.size(); ++i) {
    if (open_[i].id != id) continue;
    open_[i] = open_.back();  // order of open_ is not meaningful; O(1) removal
    open_.pop_back();
    return;
  }
}

bool StrategyHost::validPriceQty(const config::Instrument& inst, common::OrderType type, int64_t price,
                                 int64_t qty) const noexcept {
  if (qty <= 0 || qty % inst.lot_size != 0) return false;
  const bool priced = type == common::OrderType::Limit || type == common::OrderType::StopLimit;
  if (priced && (price <= 0 || price % inst.tick_size != 0)) return false;
  return true;
}

common::OrderRequest StrategyHost::request(OrderAction action, const config::Instrument& inst) const noexcept {
  common::OrderRequest r{};
  r.header = common::makeHeader<common::OrderRequest>(inst.exchange, inst.id, now_, now_);
  r.action = action;
  r.strategy_id = cfg_.strategy_id;
  r.request_ts_ns = now_;
  return r;
}

common::ClientOrderId StrategyHost::sendOrder(const OrderParams& p) noexcept {
  const config::Instrument* inst = subscribed(p.instrument) ? registry_.byId(p.instrument) : nullptr;
  if (!inst || !validPriceQty(*inst, p.type, p.price, p.qty) || open_.size() >= cfg_.max_open_orders ||
      nextOrder_ >= 0xFFFFFFF) {
    ++counters_.local_rejects;
    return 0;
  }
  common::OrderRequest r = request(OrderAction::New, *inst);
  r.client_order_id = makeOrderId(cfg_.strategy_id, cfg_.run_id, ++nextOrder_);
  r.side = p.side;
  r.type = p.type;
  r.tif = p.tif;
  r.price = p.price;
  r.qty = p.qty;
  r.stop_price = p.stop_price;
  r.reduce_only = p.reduce_only ? 1 : 0;
  r.position_side = p.position_side;
  if (!sink_.send(r)) {
    ++counters_.local_rejects;
    return 0;
  }
  open_.push_back(OpenOrder{r.client_order_id, p.instrument, p.side, p.type, p.tif, p.price, p.qty, 0, false, false, now_});
  ++counters_.orders_sent;
  return r.client_order_id;
}

bool StrategyHost::cancelOrder(common::ClientOrderId id) noexcept {
  OpenOrder* o = findOpen(id);
  if (!o || o->cancel_pending) return false;
  const config::Instrument* inst = registry_.byId(o->instrument);
  common::OrderRequest r = request(OrderAction::Cancel, *inst);
  r.orig_client_order_id = id;
  r.side = o->side;
  if (!sink_.send(r)) return false;
  o->cancel_pending = true;
  ++counters_.cancels_sent;
  return true;
}

common::ClientOrderId StrategyHost::modifyOrder(common::ClientOrderId id, int64_t price, int64_t qty) noexcept {
  OpenOrder* o = findOpen(id);
  // Not before the venue has acknowledged it: a replace racing its own New (or a fill) names an
  // order the venue may never have (had), and a chain of such replaces is refused link by link.
  if (!o || !o->acked || o->cancel_pending || open_.size() >= cfg_.max_open_orders) return 0;
  const config::Instrument* inst = registry_.byId(o->instrument);
  if (!validPriceQty(*inst, o->type, price, qty)) {
    ++counters_.local_rejects;
    return 0;
  }
  common::OrderRequest r = request(OrderAction::Modify, *inst);
  r.orig_client_order_id = id;
  r.client_order_id = makeOrderId(cfg_.strategy_id, cfg_.run_id, ++nextOrder_);
  r.side = o->side;
  r.type = o->type;
  r.tif = o->tif;
  r.price = price;
  r.qty = qty;
  if (!sink_.send(r)) return 0;
  // The old order is being replaced: it goes away on its Canceled report; the new one is
  // tracked from now on.
  o->cancel_pending = true;
  const OpenOrder replacement{r.client_order_id, o->instrument, o->side, o->type, o->tif, price, qty, 0, false, false, now_};
  open_.push_back(replacement);
  ++counters_.modifies_sent;
  return r.client_order_id;
}

int StrategyHost::cancelAll(common::InstrumentId instrument) noexcept {
  int n = 0;
  // cancelOrder does not change open_'s layout (only marks), so indexing is safe.
  for (size_t i = 0; i < open_.size(); ++i)
    if ((instrument == 0 || open_[i].instrument == instrument) && cancelOrder(open_[i].id)) ++n;
  return n;
}

bool StrategyHost::setTimer(common::TimestampNs at, uint64_t id) noexcept {
  if (timers_.size() >= cfg_.max_timers) return false;
  // Kept sorted latest-first so the next timer is at the back.
  const auto pos = std::upper_bound(timers_.begin(), timers_.end(), at,
                                    [](common::TimestampNs t, const Timer& x) { return t > x.at; });
  timers_.insert(pos, Timer{at, id});
  return true;
}

void StrategyHost::fireTimers() noexcept {
  while (!timers_.empty() && timers_.back().at <= now_) {
    const uint64_t id = timers_.back().id;
    timers_.pop_back();
    strategy_.onTimer(id);
  }
}

void StrategyHost::applyFill(const common::ExecutionReport& r) noexcept {
  const config::Instrument* inst = registry_.byId(r.header.instrument_id);
  if (!inst || r.last_qty <= 0) return;
  Position& p = positions_[inst->id];
  const int64_t signedQty = r.side == common::Side::Buy ? r.last_qty : -r.last_qty;
  auto amount = [inst](common::Int128 priceTimesQty) {
    return common::scaleProduct(priceTimesQty, inst->price_scale, inst->qty_scale, common::kAmountScale);
  };
  if (p.qty == 0 || (p.qty > 0) == (signedQty > 0)) {
    // Opening or adding: new average entry, weighted by quantity.
    const common::Int128 notional = static_cast<common::Int128>(p.avg_price) * (p.qty < 0 ? -p.qty : p.qty) +
                              static_cast<common::Int128>(r.last_price) * r.last_qty;
    const int64_t newAbs = (p.qty < 0 ? -p.qty : p.qty) + r.last_qty;
    p.avg_price = static_cast<int64_t>(notional / newAbs);
    p.qty += signedQty;
  } else {
    // Reducing, closing or flipping: realize PnL on the closed part.
    const int64_t held = p.qty < 0 ? -p.qty : p.qty;
    const int64_t closed = std::min(held, r.last_qty);
    const common::Int128 diff = static_cast<common::Int128>(r.last_price - p.avg_price) * closed;
    p.realized_pnl += amount(p.qty > 0 ? diff : -diff);
    p.qty += signedQty;
    if (p.qty == 0) p.avg_price = 0;
    else if ((p.qty > 0) == (signedQty > 0)) p.avg_price = r.last_price;  // flipped: the rest opened here
  }
  if (std::string_view(r.fee_asset, strnlen(r.fee_asset, sizeof r.fee_asset)) == inst->quote) p.fees += r.fee;
  (r.side == common::Side::Buy ? p.bought : p.sold) += r.last_qty;
  ++p.fills;
  ++counters_.fills;
}

void StrategyHost::onReport(const common::ExecutionReport& r) noexcept {
  OpenOrder* o = findOpen(r.client_order_id);
  switch (r.exec_type) {
    case ExecType::New:
      if (o) o->acked = true;
      break;
    case ExecType::PartiallyFilled:
    case ExecType::Filled:
      applyFill(r);
      if (o) {
        o->acked = true;
        o->filled = r.cum_qty;
        if (r.exec_type == ExecType::Filled || o->filled >= o->qty) removeOpen(r.client_order_id);
      }
      break;
    case ExecType::Rejected:
      ++counters_.venue_rejects;
      // A rejected cancel/modify leaves the original working.
      if (r.orig_client_order_id)
        if (OpenOrder* orig = findOpen(r.orig_client_order_id)) orig->cancel_pending = false;
      if (o) removeOpen(r.client_order_id);
      break;
    case ExecType::Canceled:
    case ExecType::Expired:
      if (o) removeOpen(r.client_order_id);
      break;
  }
  strategy_.onExecutionReport(r);
}

void StrategyHost::onEvent(const common::EventHeader& e) noexcept {
  ++counters_.events;
  // Event time comes from market data and the venue's reports only: bus bookkeeping (control
  // markers, heartbeats) is stamped with local wall time, which must never leak into a
  // strategy's clock (a replay would jump to "today").
  switch (e.type) {
    case common::EventType::Trade:
    case common::EventType::BestBidOffer:
    case common::EventType::BookDelta:
    case common::EventType::BookSnapshot:
    case common::EventType::Bar:
    case common::EventType::ExecutionReport:
      if (const common::TimestampNs t = common::eventTime(e); t > now_) now_ = t;
      break;
    default:
      break;
  }
  fireTimers();
  switch (e.type) {
    case common::EventType::BookDelta:
    case common::EventType::BookSnapshot:
      if (!subscribed(e.instrument_id)) return;
      books_.onEvent(e);
      if (e.type == common::EventType::BookSnapshot ||
          !(reinterpret_cast<const common::BookDelta&>(e).flags & common::BookDelta::kContinuation))
        if (const OrderBook* b = books_.book(e.instrument_id)) strategy_.onBookUpdate(e.instrument_id, *b);
      return;
    case common::EventType::Trade:
      if (subscribed(e.instrument_id)) strategy_.onTrade(reinterpret_cast<const common::Trade&>(e));
      return;
    case common::EventType::BestBidOffer:
      if (subscribed(e.instrument_id)) strategy_.onTopOfBook(reinterpret_cast<const common::BestBidOffer&>(e));
      return;
    case common::EventType::Bar:
      if (subscribed(e.instrument_id)) strategy_.onBar(reinterpret_cast<const common::Bar&>(e));
      return;
    case common::EventType::ExecutionReport: {
      const auto& r = reinterpret_cast<const common::ExecutionReport&>(e);
      if (r.strategy_id == cfg_.strategy_id) onReport(r);
      return;
    }
    case common::EventType::Gap:
      ++counters_.gaps;
      strategy_.onGap(reinterpret_cast<const common::Gap&>(e));
      return;
    default:
      return;
  }
}

}  // namespace hft::strategy_engine
