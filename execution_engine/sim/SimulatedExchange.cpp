#include "execution_engine/sim/SimulatedExchange.h"

#include <algorithm>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "execution_engine/sim/AssetCode.h"

namespace hft::execution_engine::sim {

using common::ExecType;
using common::Liquidity;
using common::OrderType;
using common::RejectReason;
using common::Side;
using common::TimeInForce;
using common::TimestampNs;

namespace {

/// Min-heap order for std::push_heap/pop_heap (which keep the "largest" first).
struct LaterArrival {
  template <class A>
  bool operator()(const A& a, const A& b) const noexcept {
    return a.at != b.at ? a.at > b.at : a.seq > b.seq;
  }
};

bool isStop(OrderType t) noexcept {
  return t == OrderType::StopMarket || t == OrderType::StopLimit || t == OrderType::TakeProfit;
}
bool isPriced(OrderType t) noexcept { return t == OrderType::Limit || t == OrderType::StopLimit; }

/// Stop buy: a trade at or above the stop; stop sell: at or below. Take-profit the reverse.
bool triggers(const SimOrder& o, int64_t tradePrice) noexcept {
  const bool up = tradePrice >= o.stop_price, down = tradePrice <= o.stop_price;
  if (o.type == OrderType::TakeProfit) return o.side == Side::Buy ? down : up;
  return o.side == Side::Buy ? up : down;
}

Side opposite(Side s) noexcept { return s == Side::Buy ? Side::Sell : Side::Buy; }

}  // namespace

SimulatedExchange::SimulatedExchange(const config::InstrumentRegistry& registry, SimConfig config, ReportSink sink)
    : registry_(registry),
      config_(std::move(config)),
      sink_(std::move(sink)),
      books_(registry),
      account_(config_, registry),
      orderLatency_(config_.order_latency),
      ackLatency_(config_.ack_latency) {
  for (const auto& [venue, lev] : config_.leverage)
    if (lev < 1 || lev > SimConfig::kMaxLeverage)
      throw std::invalid_argument(std::string("simulated exchange: leverage of ") + common::toString(venue) +
                                  " must be in [1, 125]");
  states_.reserve(registry.all().size());
  for (const config::Instrument& i : registry.all()) {
    InstrumentState s;
    s.inst = &i;
    s.amounts = Amounts(i.price_scale, i.qty_scale);
    s.base = account_.find(i.exchange, i.base);
    s.quote = account_.find(i.exchange, i.quote);
    if (const auto it = config_.leverage.find(i.exchange); it != config_.leverage.end()) {
      s.margin = true;
      s.leverage = it->second;
    }
    if (const auto it = config_.fees.find(i.exchange); it != config_.fees.end()) s.fees = it->second;
    s.fee_bound_e8 = std::max<int64_t>({s.fees.maker_fee_e8, s.fees.taker_fee_e8, 0});
    s.resting.reserve(64);
    s.held.reserve(16);
    if (i.id >= stateById_.size()) stateById_.resize(i.id + 1, 0);
    states_.push_back(std::move(s));
    stateById_[i.id] = static_cast<uint32_t>(states_.size());
  }
  levelBuf_.resize(kMaxWalkLevels);
  plan_.reserve(kMaxWalkLevels);
  scratch_.reserve(256);
  orders_.reserve(256);
  arrivals_.reserve(256);
  fills_.reserve(4096);
}

// ---------------------------------------------------------------------------------------------
// Clock

void SimulatedExchange::beginStep(TimestampNs t) noexcept {
  if (t > now_) now_ = t;
  stepHasReceive_ = false;
}

TimestampNs SimulatedExchange::receiveTs() noexcept {
  // One ack-latency draw per venue step (the reports of one step travel together), and never
  // before an earlier report: the private stream is one ordered channel.
  if (!stepHasReceive_) {
    stepReceive_ = std::max(now_ + ackLatency_.next(), lastReceive_);
    lastReceive_ = stepReceive_;
    stepHasReceive_ = true;
  }
  return stepReceive_;
}

void SimulatedExchange::emit(const common::EventHeader& e) {
  if (risk_ && e.type == common::EventType::BalanceUpdate) {
    // Every order of the account goes through this venue: free + locked is what the risk
    // manager's reservations come out of.
    const auto& b = reinterpret_cast<const common::BalanceUpdate&>(e);
    (void)risk_->onBalance(e.exchange_id, std::string_view(b.asset, strnlen(b.asset, sizeof b.asset)), b.free + b.locked);
  }
  if (sink_) sink_(e);
}

void SimulatedExchange::publishBalances() {
  if (!account_.dirty()) return;
  const TimestampNs recv = receiveTs();
  account_.publish(now_, recv, [this](const common::BalanceUpdate& u) { emit(u.header); });
}

void SimulatedExchange::onOrderRequest(const common::OrderRequest& r) {
  const TimestampNs sent = r.request_ts_ns != 0 ? r.request_ts_ns : common::eventTime(r.header);
  TimestampNs at = sent + orderLatency_.next();
  TimestampNs& last = lastArrival_.try_emplace(r.header.exchange_id, at).first->second;
  at = std::max(at, last);
  last = at;
  arrivals_.push_back(Arrival{at, arrivalSeq_++, r});
  std::push_heap(arrivals_.begin(), arrivals_.end(), LaterArrival{});
}

void SimulatedExchange::advanceTo(TimestampNs t) {
  if (!started_) {
    // The opening balances, once, at the first venue time: a full refresh (delta 0).
    started_ = true;
    beginStep(std::min(t, nextArrival()));
    account_.touchAll();
    publishBalances();
  }
  while (!arrivals_.empty() && arrivals_.front().at <= t) {
    std::pop_heap(arrivals_.begin(), arrivals_.end(), LaterArrival{});
    const Arrival a = arrivals_.back();
    arrivals_.pop_back();
    beginStep(a.at);
    handleRequest(a.request);
  }
  beginStep(t);
}

void SimulatedExchange::onMarketData(const common::EventHeader& e) {
  ++counters_.market_events;
  advanceTo(common::eventTime(e));
  switch (e.type) {
    case common::EventType::BookDelta:
    case common::EventType::BookSnapshot:
      onBook(e);
      if (risk_)
        if (const strategy_engine::OrderBook* b = books_.book(e.instrument_id)) {
          const common::BookLevel bid = b->bestBid(), ask = b->bestAsk();
          if (bid.qty > 0 && ask.qty > 0) risk_->onReferencePrice(e.instrument_id, (bid.price + ask.price) / 2);
        }
      break;
    case common::EventType::Trade:
      onTrade(reinterpret_cast<const common::Trade&>(e));
      if (risk_) risk_->onReferencePrice(e.instrument_id, reinterpret_cast<const common::Trade&>(e).price);
      break;
    case common::EventType::BestBidOffer:
      if (const auto& b = reinterpret_cast<const common::BestBidOffer&>(e); risk_ && b.bid_qty > 0 && b.ask_qty > 0)
        risk_->onReferencePrice(e.instrument_id, (b.bid_price + b.ask_price) / 2);
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

void SimulatedExchange::handleRequest(const common::OrderRequest& r) {
  switch (r.action) {
    case common::OrderAction::New:
      ++counters_.orders;
      if (!passesRisk(r)) return;
      if (const RejectReason why = validate(r); why != RejectReason::None) {
        rejectRequest(r, why);
        if (risk_) risk_->onOrderDone(r.client_order_id);
      } else {
        admit(r);
      }
      return;
    case common::OrderAction::Cancel:
      ++counters_.cancels;
      handleCancel(r);
      return;
    case common::OrderAction::Modify:
      ++counters_.modifies;
      if (!passesRisk(r)) return;
      handleModify(r);
      return;
  }
  rejectRequest(r, RejectReason::VenueRejected);
}

bool SimulatedExchange::passesRisk(const common::OrderRequest& r) {
  if (!risk_) return true;
  // Checked when the request reaches the venue, against the state the venue's own reports have
  // produced so far: a deterministic point in event time (see README "Pre-trade risk").
  if (const managers::RiskDecision d = risk_->check(r, now_); !d.accepted()) {
    ++counters_.risk_rejects;
    rejectRequest(r, d.reason);
    return false;
  }
  risk_->onAccepted(r);
  return true;
}

RejectReason SimulatedExchange::validate(const common::OrderRequest& r) noexcept {
  const InstrumentState* s = state(r.header.instrument_id);
  if (s == nullptr || s->inst->exchange != r.header.exchange_id) return RejectReason::UnknownInstrument;
  const auto type = static_cast<uint8_t>(r.type), tif = static_cast<uint8_t>(r.tif);
  if ((r.side != Side::Buy && r.side != Side::Sell) || type < 1 || type > 5 || tif < 1 || tif > 4)
    return RejectReason::VenueRejected;
  const bool priced = isPriced(r.type);
  if (!priced && r.tif == TimeInForce::PostOnly) return RejectReason::VenueRejected;  // a market order cannot make
  if (r.qty <= 0) return RejectReason::InvalidQuantity;
  if (r.qty % s->inst->lot_size != 0) return RejectReason::OffLotQuantity;
  if (priced) {
    if (r.price <= 0) return RejectReason::InvalidPrice;
    if (r.price % s->inst->tick_size != 0) return RejectReason::OffTickPrice;
    if (s->inst->min_notional > 0 && s->amounts.notional(r.price, r.qty) < s->inst->min_notional)
      return RejectReason::BelowMinNotional;
  }
  if (isStop(r.type)) {
    if (r.stop_price <= 0) return RejectReason::InvalidPrice;
    if (r.stop_price % s->inst->tick_size != 0) return RejectReason::OffTickPrice;
  }
  if (open_.contains(r.client_order_id)) return RejectReason::DuplicateClientOrderId;
  if (r.reduce_only && s->margin) {
    const int64_t pos = s->position.qty;
    const bool reduces = r.side == Side::Buy ? pos < 0 && r.qty <= -pos : pos > 0 && r.qty <= pos;
    if (!reduces) return RejectReason::ReduceOnlyRejected;
  }
  return RejectReason::None;
}

uint32_t SimulatedExchange::allocOrder() {
  if (!freeOrders_.empty()) {
    const uint32_t slot = freeOrders_.back();
    freeOrders_.pop_back();
    return slot;
  }
  orders_.emplace_back();
  return static_cast<uint32_t>(orders_.size() - 1);
}

/// A validated New (or the new half of a Modify): becomes an order, held or activated.
void SimulatedExchange::admit(const common::OrderRequest& r) {
  const uint32_t slot = allocOrder();
  SimOrder& o = orders_[slot];
  o = SimOrder{};
  o.client_id = r.client_order_id;
  o.strategy = r.strategy_id;
  o.send_ts = r.request_ts_ns;
  o.instrument = stateById_[r.header.instrument_id] - 1;
  o.side = r.side;
  o.type = r.type;
  o.tif = r.tif;
  o.reduce_only = r.reduce_only != 0;
  o.price = isPriced(r.type) ? r.price : 0;
  o.stop_price = isStop(r.type) ? r.stop_price : 0;
  o.qty = r.qty;
  o.replaces = r.action == common::OrderAction::Modify ? r.orig_client_order_id : 0;
  if (!isStop(o.type)) {
    activate(slot, false);
    return;
  }
  // Held until a trade reaches stop_price. Reserve now, valued at the limit price (stop-limit)
  // or the stop price (stop-market, take-profit); activation re-checks at real prices.
  const InstrumentState& s = states_[o.instrument];
  const int64_t ref = o.type == OrderType::StopLimit ? o.price : o.stop_price;
  const int64_t amount = required(o, s, ref, o.qty, s.fee_bound_e8);
  const SimAccount::AssetId asset = reserveAsset(o, s);
  if (!account_.tryLock(asset, amount)) {
    refuse(slot, RejectReason::InsufficientBalance, false);
    return;
  }
  o.reserve_asset = asset;
  o.reserved = amount;
  o.venue_id = nextVenueOrderId_++;
  o.state = SimOrder::State::Held;
  open_.emplace(o.client_id, slot);
  states_[o.instrument].held.push_back(slot);
  report(o, ExecType::New, RejectReason::None, 0, 0, 0, Liquidity::Unknown, 0, o.replaces, o.send_ts);
  publishBalances();
}

void SimulatedExchange::handleCancel(const common::OrderRequest& r) {
  const auto it = open_.find(r.orig_client_order_id);
  if (it == open_.end() || orders_[it->second].strategy != r.strategy_id) {
    rejectRequest(r, RejectReason::UnknownOrder);
    return;
  }
  cancel(it->second, r);
}

void SimulatedExchange::handleModify(const common::OrderRequest& r) {
  // Cancel-replace: the new order is checked first (a bad one leaves the old working), then the
  // old one is canceled and the new one admitted like a New: it joins the back of its queue.
  const auto it = open_.find(r.orig_client_order_id);
  if (it == open_.end() || orders_[it->second].strategy != r.strategy_id) {
    rejectRequest(r, RejectReason::UnknownOrder);
    if (risk_ && risk_->onModifyRejected(r.client_order_id)) risk_->onOrderDone(r.orig_client_order_id);
    return;
  }
  if (const RejectReason why = validate(r); why != RejectReason::None) {
    rejectRequest(r, why);
    if (risk_) (void)risk_->onModifyRejected(r.client_order_id);  // the original keeps working
    return;
  }
  cancel(it->second, r);
  admit(r);
}

void SimulatedExchange::rejectRequest(const common::OrderRequest& r, RejectReason reason) {
  common::ExecutionReport x{};
  x.header =
      common::makeHeader<common::ExecutionReport>(r.header.exchange_id, r.header.instrument_id, now_, receiveTs());
  x.client_order_id = r.client_order_id;
  x.order_price = r.price;
  if (const InstrumentState* s = state(r.header.instrument_id)) copyAsset(x.fee_asset, s->inst->quote);
  x.local_send_ts_ns = r.request_ts_ns;
  x.venue_ts_ns = now_;
  x.strategy_id = r.strategy_id;
  x.exec_type = ExecType::Rejected;
  x.side = r.side;
  x.order_type = r.type;
  x.reject_reason = reason;
  x.tif = r.tif;
  x.orig_client_order_id = r.orig_client_order_id;
  ++counters_.rejects;
  if (static_cast<size_t>(reason) < counters_.rejects_by_reason.size())
    ++counters_.rejects_by_reason[static_cast<size_t>(reason)];
  emit(x.header);
}

// ---------------------------------------------------------------------------------------------
// Order life

SimAccount::AssetId SimulatedExchange::reserveAsset(const SimOrder& o, const InstrumentState& s) const noexcept {
  return s.margin || o.side == Side::Buy ? s.quote : s.base;
}

/// What an order must have locked to trade qty at price: spot buy = notional + fee at the
/// given rate, spot sell = the base quantity, margin = notional / leverage + fee (reduce-only:
/// nothing). Fees are only reserved when positive (a rebate is not counted in advance).
int64_t SimulatedExchange::required(const SimOrder& o, const InstrumentState& s, int64_t price, int64_t qty,
                                    int64_t feeRateE8) const noexcept {
  if (!s.margin && o.side == Side::Sell) return s.amounts.base(qty);
  if (s.margin && o.reduce_only) return 0;
  const int64_t n = s.amounts.notional(price, qty);
  const int64_t fee = std::max<int64_t>(Amounts::fee(n, feeRateE8), 0);
  return (s.margin ? Amounts::margin(n, s.leverage) : n) + fee;
}

void SimulatedExchange::releaseReservation(SimOrder& o) noexcept {
  account_.unlock(o.reserve_asset, o.reserved);
  o.reserved = 0;
}

/// Runs an order that is (now) a market or limit order: post-only check, walk plan, balance
/// check and New ack (not for a triggered stop: it was acked when it arrived), FOK check, the
/// taker fills, then rest / expire.
void SimulatedExchange::activate(uint32_t slot, bool triggered) {
  SimOrder& o = orders_[slot];
  InstrumentState& s = states_[o.instrument];
  const strategy_engine::OrderBook& b = bookOf(s);
  const bool market = o.marketable();
  if (!market && o.tif == TimeInForce::PostOnly) {
    const common::BookLevel opp = o.side == Side::Buy ? b.bestAsk() : b.bestBid();
    const bool crosses = opp.qty != 0 && (o.side == Side::Buy ? o.price >= opp.price : o.price <= opp.price);
    if (crosses) {
      refuse(slot, RejectReason::PostOnlyWouldCross, triggered);
      return;
    }
  }
  const int64_t planned = planTake(b, o.side, market ? 0 : o.price, o.leaves());

  int64_t amount = 0;
  if (!market || (!s.margin && o.side == Side::Sell)) {
    amount = required(o, s, o.price, o.leaves(), s.fee_bound_e8);
  } else {
    for (const Leg& l : plan_) amount += required(o, s, l.price, l.qty, s.fees.taker_fee_e8);
  }
  const SimAccount::AssetId asset = reserveAsset(o, s);
  if (!account_.tryLock(asset, amount)) {
    refuse(slot, RejectReason::InsufficientBalance, triggered);
    return;
  }
  o.reserve_asset = asset;
  o.reserved = amount;
  o.state = SimOrder::State::Resting;
  if (!triggered) {
    o.venue_id = nextVenueOrderId_++;
    open_.emplace(o.client_id, slot);
    report(o, ExecType::New, RejectReason::None, 0, 0, 0, Liquidity::Unknown, 0, o.replaces, o.send_ts);
    publishBalances();
  }
  if (o.tif == TimeInForce::FOK && planned < o.leaves()) {
    expire(slot, RejectReason::FokNotFilled);
    return;
  }
  for (size_t i = 0; i < plan_.size(); ++i) {
    const Leg l = plan_[i];
    consume(s, opposite(o.side), l.price, l.qty);
    fill(slot, l.price, l.qty, Liquidity::Taker);
  }
  if (o.state == SimOrder::State::Free) return;  // filled completely
  if (market || o.tif == TimeInForce::IOC || o.tif == TimeInForce::FOK) {
    expire(slot, RejectReason::None);
  } else {
    rest(slot);
  }
}

/// Refuses an order: Rejected when it has just arrived (the slot was never open), Expired when
/// it is a stop that was accepted earlier and cannot be activated.
void SimulatedExchange::refuse(uint32_t slot, RejectReason reason, bool triggered) {
  if (triggered) {
    expire(slot, reason);
    return;
  }
  SimOrder& o = orders_[slot];
  report(o, ExecType::Rejected, reason, 0, 0, 0, Liquidity::Unknown, 0, o.replaces, o.send_ts);
  if (risk_) risk_->onOrderDone(o.client_id);
  ++counters_.rejects;
  if (static_cast<size_t>(reason) < counters_.rejects_by_reason.size())
    ++counters_.rejects_by_reason[static_cast<size_t>(reason)];
  o.state = SimOrder::State::Free;
  freeOrders_.push_back(slot);
}

void SimulatedExchange::rest(uint32_t slot) {
  SimOrder& o = orders_[slot];
  InstrumentState& s = states_[o.instrument];
  // At arrival we join the back of the level: everything displayed there is ahead of us.
  o.queue = QueuePosition{bookOf(s).qtyAt(o.side, o.price), 0};
  o.level_before = o.queue.ahead;
  s.resting.push_back(slot);
}

void SimulatedExchange::fill(uint32_t slot, int64_t price, int64_t qty, Liquidity liquidity) {
  SimOrder& o = orders_[slot];
  InstrumentState& s = states_[o.instrument];
  const int64_t notional = s.amounts.notional(price, qty);
  const int64_t fee = Amounts::fee(notional, liquidity == Liquidity::Maker ? s.fees.maker_fee_e8 : s.fees.taker_fee_e8);

  // Release this fill's share of the reservation (market orders reserved their walk at its own
  // prices; priced orders at their limit), then pay and receive.
  const int64_t share =
      o.marketable() ? required(o, s, price, qty, s.fees.taker_fee_e8) : required(o, s, o.price, qty, s.fee_bound_e8);
  const int64_t release = std::min(o.reserved, share);
  account_.unlock(o.reserve_asset, release);
  o.reserved -= release;
  if (s.margin) {
    const int64_t marginBefore = s.position.margin(s.amounts, s.leverage);
    const int64_t realized = s.position.apply(o.side, price, qty, s.amounts);
    account_.lock(s.quote, s.position.margin(s.amounts, s.leverage) - marginBefore);
    account_.credit(s.quote, realized - fee);
  } else if (o.side == Side::Buy) {
    account_.credit(s.quote, -(notional + fee));
    account_.credit(s.base, s.amounts.base(qty));
  } else {
    account_.credit(s.base, -s.amounts.base(qty));
    account_.credit(s.quote, notional - fee);
  }

  o.cum_qty += qty;
  o.cum_px_qty += static_cast<common::Int128>(price) * qty;
  const bool done = o.leaves() == 0;
  if (done) releaseReservation(o);
  const uint64_t tradeId = nextTradeId_++;
  report(o, done ? ExecType::Filled : ExecType::PartiallyFilled, RejectReason::None, price, qty, fee, liquidity,
         tradeId, 0, o.send_ts);
  if (risk_) risk_->onFill(o.client_id, o.strategy, s.inst->id, o.side, qty, price);
  fills_.push_back(Fill{now_, o.strategy, s.inst->exchange, s.inst->id, o.side, price, qty, fee, s.inst->quote,
                        liquidity, o.venue_id, o.client_id});
  ++counters_.fills;
  if (liquidity == Liquidity::Maker) {
    ++counters_.maker_fills;
    counters_.maker_notional += notional;
  } else {
    ++counters_.taker_fills;
    counters_.taker_notional += notional;
  }
  publishBalances();
  if (done) close(slot);
}

void SimulatedExchange::expire(uint32_t slot, RejectReason reason) {
  SimOrder& o = orders_[slot];
  releaseReservation(o);
  report(o, ExecType::Expired, reason, 0, 0, 0, Liquidity::Unknown, 0, 0, o.send_ts);
  ++counters_.expired;
  publishBalances();
  close(slot);
}

void SimulatedExchange::cancel(uint32_t slot, const common::OrderRequest& r) {
  SimOrder& o = orders_[slot];
  releaseReservation(o);
  // client_order_id is the canceled order's (what the strategy tracks); the cancel request's
  // own send time is the one the report carries.
  report(o, ExecType::Canceled, RejectReason::None, 0, 0, 0, Liquidity::Unknown, 0, o.client_id, r.request_ts_ns);
  ++counters_.canceled;
  publishBalances();
  close(slot);
}

void SimulatedExchange::close(uint32_t slot) {
  SimOrder& o = orders_[slot];
  if (risk_) risk_->onOrderDone(o.client_id);
  InstrumentState& s = states_[o.instrument];
  open_.erase(o.client_id);
  std::vector<uint32_t>& list = o.state == SimOrder::State::Held ? s.held : s.resting;
  if (const auto it = std::find(list.begin(), list.end(), slot); it != list.end()) list.erase(it);
  o.state = SimOrder::State::Free;
  freeOrders_.push_back(slot);
}

void SimulatedExchange::report(const SimOrder& o, ExecType type, RejectReason reason, int64_t lastPrice,
                               int64_t lastQty, int64_t fee, Liquidity liquidity, uint64_t tradeId,
                               common::ClientOrderId orig, TimestampNs sendTs) {
  const config::Instrument& inst = *states_[o.instrument].inst;
  common::ExecutionReport x{};
  x.header = common::makeHeader<common::ExecutionReport>(inst.exchange, inst.id, now_, receiveTs());
  x.client_order_id = o.client_id;
  x.venue_order_id = o.venue_id;
  x.last_price = lastPrice;
  x.last_qty = lastQty;
  x.cum_qty = o.cum_qty;
  x.leaves_qty = type == ExecType::New || type == ExecType::PartiallyFilled ? o.leaves() : 0;
  x.order_price = o.price;
  x.fee = fee;
  copyAsset(x.fee_asset, inst.quote);
  x.local_send_ts_ns = sendTs;
  x.venue_ts_ns = now_;
  x.strategy_id = o.strategy;
  x.exec_type = type;
  x.side = o.side;
  x.liquidity = liquidity;
  x.order_type = o.type;
  x.reject_reason = reason;
  x.tif = o.tif;
  x.orig_client_order_id = orig;
  x.avg_price = o.avgPrice();
  x.trade_id = tradeId;
  emit(x.header);
}

// ---------------------------------------------------------------------------------------------
// Taking liquidity

/// Fills plan_ with the levels a taker of `side` takes for up to qty, at prices no worse than
/// limit (0 = any); returns the planned quantity. Reads the book in growing chunks (8, 64, 512,
/// 4096 levels) so a small order costs a few levels, not kMaxWalkLevels.
int64_t SimulatedExchange::planTake(const strategy_engine::OrderBook& b, Side side, int64_t limit, int64_t qty) {
  plan_.clear();
  const Side opp = opposite(side);
  int64_t remaining = qty;
  uint32_t want = 8, seen = 0;
  for (;;) {
    const uint32_t got = b.topLevels(opp, std::span<common::BookLevel>(levelBuf_.data(), want));
    for (uint32_t i = seen; i < got; ++i) {
      const common::BookLevel l = levelBuf_[i];
      if (limit != 0 && (side == Side::Buy ? l.price > limit : l.price < limit)) return qty - remaining;
      const int64_t take = std::min(l.qty, remaining);
      plan_.push_back(Leg{l.price, take});
      remaining -= take;
      if (remaining == 0) return qty;
    }
    if (got < want || want == kMaxWalkLevels) return qty - remaining;
    seen = got;
    want = std::min<uint32_t>(want * 8, kMaxWalkLevels);
  }
}

/// Takes qty off the venue's book at (side, price): the level shrinks until the feed next sets
/// it. Our resting orders at that level move up by what was taken (it was ahead of them).
void SimulatedExchange::consume(InstrumentState& s, Side side, int64_t price, int64_t qty) {
  const strategy_engine::OrderBook& b = bookOf(s);
  const int64_t left = std::max<int64_t>(b.qtyAt(side, price) - qty, 0);
  common::BookDelta d{};
  d.header =
      common::makeHeader<common::BookDelta>(s.inst->exchange, s.inst->id, now_, now_, common::BookDelta::sizeFor(1));
  d.first_update_id = d.last_update_id = b.lastUpdateId();
  d.count = 1;
  // Inside a feed batch, keep the book's "batch in progress" mark.
  d.flags = b.midBatch() ? common::BookDelta::kContinuation : 0;
  d.levels[0] = common::PriceLevelUpdate{price, left, side, {}};
  books_.onEvent(d.header);
  for (uint32_t slot : s.resting) {
    SimOrder& o = orders_[slot];
    if (o.side != side || o.price != price) continue;
    o.queue.ahead = std::min(std::max<int64_t>(o.queue.ahead - qty, 0), left);
    if (b.midBatch()) o.level_before = std::max<int64_t>(o.level_before - qty, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Market data

void SimulatedExchange::onBook(const common::EventHeader& e) {
  InstrumentState* s = state(e.instrument_id);
  if (s == nullptr) {
    books_.onEvent(e);  // counted there as an unknown instrument
    return;
  }
  const strategy_engine::OrderBook& b = bookOf(*s);
  const bool resync = e.type == common::EventType::BookSnapshot ||
                      (reinterpret_cast<const common::BookDelta&>(e).flags & common::BookDelta::kClearBook) != 0;
  if (!b.midBatch()) {
    // A batch begins: remember each resting order's level as it was before it.
    s->resync = resync;
    for (uint32_t slot : s->resting) orders_[slot].level_before = b.qtyAt(orders_[slot].side, orders_[slot].price);
  } else if (resync) {
    s->resync = true;
  }
  if (books_.onEvent(e) == nullptr || b.midBatch() || s->resting.empty()) return;

  // The batch is complete: queue positions follow the level changes...
  for (uint32_t slot : s->resting) {
    SimOrder& o = orders_[slot];
    const int64_t after = b.qtyAt(o.side, o.price);
    // A resync that does not show our level at all may simply not reach that deep: keep our place.
    if (after != o.level_before && !(s->resync && after == 0))
      o.queue.onLevelChange(config_.queue, o.level_before, after);
    o.level_before = after;
  }
  // ...and a book whose opposite side reaches our price has traded through us.
  const common::BookLevel ask = b.bestAsk(), bid = b.bestBid();
  scratch_.assign(s->resting.begin(), s->resting.end());
  for (uint32_t slot : scratch_) {
    const SimOrder& o = orders_[slot];
    if (o.state != SimOrder::State::Resting) continue;
    const bool through =
        o.side == Side::Buy ? ask.qty != 0 && ask.price <= o.price : bid.qty != 0 && bid.price >= o.price;
    if (through) fill(slot, o.price, o.leaves(), Liquidity::Maker);
  }
}

void SimulatedExchange::onTrade(const common::Trade& t) {
  InstrumentState* s = state(t.header.instrument_id);
  if (s == nullptr || t.qty <= 0) return;
  if (!s->resting.empty()) fillFromTrade(*s, t);
  if (!s->held.empty()) triggerStops(*s, t.price);
}

/// A public trade at price P reaches our resting orders on the side it hit (aggressor Sell hits
/// bids, Buy hits asks, None: both). Orders priced better than P were traded through: filled
/// completely. Orders at P advance in their queue by the trade's qty; what goes beyond the queue
/// ahead fills them, shared among our orders at P in our own time priority.
void SimulatedExchange::fillFromTrade(InstrumentState& s, const common::Trade& t) {
  const bool hitsBids = t.aggressor != Side::Buy, hitsAsks = t.aggressor != Side::Sell;
  int64_t claimedBid = 0, claimedAsk = 0;
  scratch_.assign(s.resting.begin(), s.resting.end());
  for (uint32_t slot : scratch_) {
    SimOrder& o = orders_[slot];
    if (o.state != SimOrder::State::Resting) continue;
    const bool buy = o.side == Side::Buy;
    if (buy ? !hitsBids : !hitsAsks) continue;
    if (buy ? o.price > t.price : o.price < t.price) {
      fill(slot, o.price, o.leaves(), Liquidity::Maker);
      continue;
    }
    if (o.price != t.price) continue;
    int64_t& claimed = buy ? claimedBid : claimedAsk;
    const int64_t reached = o.queue.onTrade(t.qty) - claimed;
    if (reached <= 0) continue;
    const int64_t q = std::min(reached, o.leaves());
    claimed += q;
    fill(slot, o.price, q, Liquidity::Maker);
  }
}

void SimulatedExchange::triggerStops(InstrumentState& s, int64_t tradePrice) {
  scratch_.assign(s.held.begin(), s.held.end());
  for (uint32_t slot : scratch_) {
    SimOrder& o = orders_[slot];
    if (o.state != SimOrder::State::Held || !triggers(o, tradePrice)) continue;
    ++counters_.triggered;
    // Now a market (stop-market, take-profit) or limit (stop-limit) order: its estimate
    // reservation is given back and activate() reserves at real prices.
    s.held.erase(std::find(s.held.begin(), s.held.end(), slot));
    releaseReservation(o);
    o.state = SimOrder::State::Resting;
    activate(slot, true);
  }
}

// ---------------------------------------------------------------------------------------------
// Inspection

int64_t SimulatedExchange::position(common::InstrumentId id) const noexcept {
  if (id >= stateById_.size() || stateById_[id] == 0) return 0;
  return states_[stateById_[id] - 1].position.qty;
}

int64_t SimulatedExchange::queueAhead(common::ClientOrderId id) const noexcept {
  const auto it = open_.find(id);
  if (it == open_.end() || orders_[it->second].state != SimOrder::State::Resting) return -1;
  return orders_[it->second].queue.ahead;
}

}  // namespace hft::execution_engine::sim
