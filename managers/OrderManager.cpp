#include "managers/OrderManager.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/Int128.h"
#include "config/JsonNode.h"

namespace hft::managers {

namespace {

using common::ClientOrderId;
using common::ExecType;
using common::OrderAction;
using common::Side;
using config::JsonNode;

inline size_t homeSlot(ClientOrderId id, int shift) noexcept {
  // Fibonacci hashing: sequential ids (the common case) spread over the whole table.
  return static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> shift);
}

bool validSide(Side s) noexcept { return s == Side::Buy || s == Side::Sell; }

common::TimestampNs receiveTime(const common::ExecutionReport& r) noexcept {
  return r.header.receive_ts_ns ? r.header.receive_ts_ns : r.venue_ts_ns;
}

constexpr struct {
  uint8_t bit;
  const char* name;
} kFlagNames[] = {{kFlagPendingCancel, "pending_cancel"},
                  {kFlagPendingModify, "pending_modify"},
                  {kFlagAmend, "amend"},
                  {kFlagQueryNeeded, "query_needed"}};

}  // namespace

const char* toString(RecordResult r) noexcept {
  switch (r) {
    case RecordResult::Recorded: return "recorded";
    case RecordResult::DuplicateId: return "duplicate_id";
    case RecordResult::UnknownOrder: return "unknown_order";
    case RecordResult::OrderDone: return "order_done";
    case RecordResult::TableFull: return "table_full";
    case RecordResult::InvalidRequest: return "invalid_request";
    case RecordResult::ModifyPending: return "modify_pending";
  }
  return "?";
}

OrderManager::OrderManager(OrderManagerSizes sizes) : sizes_(sizes) {
  if (sizes.max_live_orders == 0 || sizes.keep_terminal == 0 || sizes.max_live_orders > OrderManagerSizes::kMax ||
      sizes.keep_terminal > OrderManagerSizes::kMax)
    throw std::invalid_argument("OrderManager: max_live_orders and keep_terminal must be 1.." +
                                std::to_string(OrderManagerSizes::kMax));
  const size_t pool = static_cast<size_t>(sizes.max_live_orders) + sizes.keep_terminal;
  records_.assign(pool, OrderRecord{});
  free_.reserve(pool);
  for (size_t i = pool; i-- > 0;) free_.push_back(static_cast<int32_t>(i));  // slot 0 is handed out first
  // A record has at most two keys (its id and one alias); at most half full keeps probes short.
  const uint64_t capacity = std::bit_ceil(static_cast<uint64_t>(4 * pool));
  index_.assign(capacity, IndexSlot{});
  indexMask_ = capacity - 1;
  indexShift_ = 64 - std::countr_zero(capacity);
  ring_.assign(sizes.keep_terminal, kNone);
}

// ---- the table -----------------------------------------------------------------------------

int32_t OrderManager::lookup(ClientOrderId id) const noexcept {
  if (id == 0) return kNone;
  for (size_t i = homeSlot(id, indexShift_);; i = (i + 1) & indexMask_) {
    const IndexSlot& s = index_[i];
    if (s.id == id) return s.record;
    if (s.id == 0) return kNone;
  }
}

OrderRecord* OrderManager::record(ClientOrderId id) noexcept {
  const int32_t r = lookup(id);
  return r == kNone ? nullptr : &records_[static_cast<size_t>(r)];
}

const OrderRecord* OrderManager::find(ClientOrderId id) const noexcept {
  const int32_t r = lookup(id);
  return r == kNone ? nullptr : &records_[static_cast<size_t>(r)];
}

bool OrderManager::indexInsert(ClientOrderId id, int32_t rec) noexcept {
  if (id == 0) return false;
  size_t i = homeSlot(id, indexShift_);
  for (; index_[i].id != 0; i = (i + 1) & indexMask_)
    if (index_[i].id == id) return false;
  index_[i] = IndexSlot{id, rec};
  return true;
}

void OrderManager::indexErase(ClientOrderId id) noexcept {
  if (id == 0) return;
  size_t hole = homeSlot(id, indexShift_);
  for (; index_[hole].id != id; hole = (hole + 1) & indexMask_)
    if (index_[hole].id == 0) return;
  // Backward-shift deletion: no tombstones, so lookups never slow down with churn.
  for (size_t j = (hole + 1) & indexMask_; index_[j].id != 0; j = (j + 1) & indexMask_) {
    const size_t home = homeSlot(index_[j].id, indexShift_);
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    index_[hole] = index_[j];
    hole = j;
  }
  index_[hole] = IndexSlot{};
}

int32_t OrderManager::allocate() noexcept {
  if (free_.empty()) return kNone;
  const int32_t r = free_.back();
  free_.pop_back();
  return r;
}

void OrderManager::retire(int32_t rec) noexcept {
  const size_t n = ring_.size();
  if (ringCount_ == n) {
    evict(ring_[ringHead_]);
    ring_[ringHead_] = rec;
    ringHead_ = (ringHead_ + 1) % n;
  } else {
    ring_[(ringHead_ + ringCount_) % n] = rec;
    ++ringCount_;
  }
}

void OrderManager::evict(int32_t rec) noexcept {
  OrderRecord& o = records_[static_cast<size_t>(rec)];
  indexErase(o.id);
  indexErase(o.prev_id);
  o = OrderRecord{};
  free_.push_back(rec);  // capacity reserved for the whole pool: no allocation
  ++counters_.evicted;
}

// ---- requests ------------------------------------------------------------------------------

RecordResult OrderManager::check(const common::OrderRequest& r, ModifyMode mode) const noexcept {
  switch (r.action) {
    case OrderAction::New:
      if (r.client_order_id == 0 || r.qty <= 0 || !validSide(r.side)) return RecordResult::InvalidRequest;
      if (lookup(r.client_order_id) != kNone) return RecordResult::DuplicateId;
      if (live_ >= sizes_.max_live_orders) return RecordResult::TableFull;
      return RecordResult::Recorded;
    case OrderAction::Cancel: {
      const int32_t o = lookup(r.orig_client_order_id);
      if (o == kNone) return RecordResult::UnknownOrder;
      return isTerminal(records_[static_cast<size_t>(o)].state) ? RecordResult::OrderDone : RecordResult::Recorded;
    }
    case OrderAction::Modify: {
      if (r.client_order_id == 0 || r.qty <= 0 ||
          (mode != ModifyMode::CancelReplace && mode != ModifyMode::NativeAmend))
        return RecordResult::InvalidRequest;
      const int32_t oi = lookup(r.orig_client_order_id);
      if (oi == kNone) return RecordResult::UnknownOrder;
      const OrderRecord& o = records_[static_cast<size_t>(oi)];
      if (isTerminal(o.state)) return RecordResult::OrderDone;
      if (r.strategy_id != o.strategy || r.header.instrument_id != o.instrument || r.header.exchange_id != o.venue ||
          r.side != o.side)
        return RecordResult::InvalidRequest;
      if (o.has(kFlagPendingModify)) return RecordResult::ModifyPending;
      if (lookup(r.client_order_id) != kNone) return RecordResult::DuplicateId;
      if (mode == ModifyMode::CancelReplace && live_ >= sizes_.max_live_orders) return RecordResult::TableFull;
      return RecordResult::Recorded;
    }
  }
  return RecordResult::InvalidRequest;
}

RecordResult OrderManager::refuse(RecordResult why) noexcept {
  ++counters_.refused[static_cast<size_t>(why)];
  return why;
}

RecordResult OrderManager::onRequestSent(const common::OrderRequest& r, common::TimestampNs sendTs,
                                         ModifyMode mode) noexcept {
  if (const RecordResult c = check(r, mode); c != RecordResult::Recorded) return refuse(c);
  auto create = [&](ClientOrderId replaces) {
    const int32_t idx = allocate();  // check() saw live_ < max_live_orders, so a slot is free
    OrderRecord& o = records_[static_cast<size_t>(idx)];
    o = OrderRecord{};
    o.id = r.client_order_id;
    o.replaces = replaces;
    o.price = r.price;
    o.qty = r.qty;
    o.leaves_qty = r.qty;
    o.local_send_ts = sendTs;
    o.last_update_ts = sendTs;
    o.strategy = r.strategy_id;
    o.instrument = r.header.instrument_id;
    o.venue = r.header.exchange_id;
    o.side = r.side;
    o.type = r.type;
    o.tif = r.tif;
    o.state = OrderState::PendingNew;
    indexInsert(o.id, idx);
    ++live_;
  };
  if (r.action == OrderAction::New) {
    create(0);
    return RecordResult::Recorded;
  }
  const int32_t oi = lookup(r.orig_client_order_id);
  OrderRecord& orig = records_[static_cast<size_t>(oi)];
  orig.last_update_ts = sendTs;
  if (r.action == OrderAction::Cancel) {
    orig.flags |= kFlagPendingCancel;
    return RecordResult::Recorded;
  }
  if (mode == ModifyMode::CancelReplace) {
    create(orig.id);
    orig.flags |= kFlagPendingModify;
    orig.pending_id = r.client_order_id;  // not a key: the replacement is an order of its own
    return RecordResult::Recorded;
  }
  // Native amend: the new id finds the same order from now on (a venue that renames on amend
  // reports under it). At most two keys per order: the id before a previous amend goes.
  if (orig.prev_id != 0) {
    indexErase(orig.prev_id);
    orig.prev_id = 0;
  }
  indexInsert(r.client_order_id, oi);
  orig.pending_id = r.client_order_id;
  orig.pending_price = r.price;
  orig.pending_qty = r.qty;
  orig.flags |= kFlagPendingModify | kFlagAmend;
  return RecordResult::Recorded;
}

Verdict OrderManager::onRequestOutcomeUnknown(ClientOrderId id) noexcept {
  OrderRecord* o = record(id);
  Verdict v = Verdict::UnknownOrder;
  if (o) {
    const Transition t = transition(o->state, OrderEvent::NoAnswer);
    v = t.verdict;
    if (v == Verdict::Applied) {
      o->state = t.state;
      o->flags |= kFlagQueryNeeded;
    }
  }
  ++counters_.verdicts[static_cast<size_t>(v)];
  return v;
}

// ---- reports -------------------------------------------------------------------------------

void OrderManager::clearModify(OrderRecord& o) noexcept {
  if (o.has(kFlagAmend)) indexErase(o.pending_id);
  o.pending_id = 0;
  o.pending_price = 0;
  o.pending_qty = 0;
  o.flags &= static_cast<uint8_t>(~(kFlagPendingModify | kFlagAmend));
}

void OrderManager::finish(OrderRecord& o) noexcept {
  clearModify(o);
  o.flags = 0;
  o.leaves_qty = 0;
  --live_;
  retire(static_cast<int32_t>(&o - records_.data()));
}

ApplyResult OrderManager::applyRequestReject(const common::ExecutionReport& r, OrderRecord* named) noexcept {
  // A cancel or cancel-replace refused: the report names the order by orig_client_order_id (its
  // own client id is the cancel's, which the table does not hold, or the order's own).
  OrderRecord* o = named && r.client_order_id == r.orig_client_order_id ? named : record(r.orig_client_order_id);
  ApplyResult res;
  if (o) {
    res.before = o->state;
    if (o->has(kFlagPendingCancel) || (o->has(kFlagPendingModify) && !o->has(kFlagAmend))) {
      o->flags &= static_cast<uint8_t>(~kFlagPendingCancel);
      if (!o->has(kFlagAmend)) clearModify(*o);
      o->last_update_ts = receiveTime(r);
      res.verdict = Verdict::Applied;
      res.changes = kChangeRequestRejected;
    } else {
      // Nothing pending: a repeat, or (terminal) a cancel that raced the order's end.
      res.verdict = isTerminal(o->state) ? Verdict::Stale : Verdict::Duplicate;
    }
    o->flags &= static_cast<uint8_t>(~kFlagQueryNeeded);
    res.after = o->state;
    res.order = o->id;
  }
  ++counters_.verdicts[static_cast<size_t>(res.verdict)];
  return res;
}

ApplyResult OrderManager::apply(const common::ExecutionReport& r) noexcept {
  OrderRecord* named = record(r.client_order_id);
  if (r.exec_type == ExecType::Rejected) {
    if (named && named->has(kFlagAmend) && named->pending_id == r.client_order_id) {
      // The venue refused a native amend: the order keeps its terms and id.
      const OrderState s = named->state;
      clearModify(*named);
      named->flags &= static_cast<uint8_t>(~kFlagQueryNeeded);
      named->last_update_ts = receiveTime(r);
      ++counters_.verdicts[static_cast<size_t>(Verdict::Applied)];
      return {Verdict::Applied, s, s, kChangeRequestRejected, named->id};
    }
    // An order's own rejection names it by client id, and its orig (if any) is the order it was
    // to replace; anything else is the refusal of a cancel or modify of orig.
    if (!named || r.client_order_id == r.orig_client_order_id) return applyRequestReject(r, named);
  }
  OrderRecord* o = named;
  // Cancels: Binance names the cancel request in client id and the order in orig.
  if (r.exec_type == ExecType::Canceled && r.orig_client_order_id != 0)
    if (OrderRecord* byOrig = record(r.orig_client_order_id)) o = byOrig;
  if (!o) {
    ++counters_.verdicts[static_cast<size_t>(Verdict::UnknownOrder)];
    return {};
  }

  ApplyResult res;
  res.before = o->state;
  const common::TimestampNs ts = receiveTime(r);
  if (r.exec_type == ExecType::New && o->has(kFlagAmend) && o->pending_id == r.client_order_id) {
    // The venue accepted a native amend: same order, new terms, known by the amend's id from now
    // on (the old id still finds it).
    o->prev_id = o->id;
    o->id = o->pending_id;
    o->price = o->pending_price;
    o->qty = o->pending_qty;
    o->pending_id = 0;
    clearModify(*o);
    o->flags &= static_cast<uint8_t>(~kFlagQueryNeeded);
    if (const Transition t = transition(o->state, OrderEvent::Ack); t.verdict == Verdict::Applied) o->state = t.state;
    o->leaves_qty = std::max<int64_t>(0, o->qty - o->cum_qty);
    if (r.venue_order_id != 0 && o->venue_order_id == 0) o->venue_order_id = r.venue_order_id;
    o->last_update_ts = ts;
    res.verdict = Verdict::Applied;
    res.changes = kChangeTerms | (o->state != res.before ? kChangeState : 0);
    res.after = o->state;
    res.order = o->id;
    ++counters_.verdicts[static_cast<size_t>(Verdict::Applied)];
    return res;
  }

  // Which event is this report to this order? cum_qty decides between news and repeats.
  const int64_t known = o->cum_qty;
  const int64_t limit = std::max(o->qty, o->has(kFlagAmend) ? o->pending_qty : 0);  // an amend may raise qty
  const bool cumAhead = r.cum_qty > known && r.cum_qty <= limit;  // the venue counts more than we do
  OrderEvent ev = OrderEvent::Ack;
  int64_t covered = 0;  // quantity of the advance this report shows as a fill
  bool advance = false;
  bool malformed = false;
  switch (r.exec_type) {
    case ExecType::New:
      advance = cumAhead;  // e.g. a query answer: working, partly filled
      ev = advance ? OrderEvent::PartialFill : OrderEvent::Ack;
      break;
    case ExecType::PartiallyFilled:
    case ExecType::Filled:
      if (r.cum_qty <= 0 || r.last_qty < 0 || r.cum_qty > limit || r.last_qty > r.cum_qty) {
        malformed = true;
      } else if (r.cum_qty > known) {
        malformed = r.last_qty > r.cum_qty - known;  // would count quantity already counted
        advance = true;
        covered = r.last_qty;
        ev = r.exec_type == ExecType::Filled ? OrderEvent::Fill : OrderEvent::PartialFill;
      } else if (r.last_qty > 0 && o->hole_hi > o->hole_lo && r.cum_qty - r.last_qty >= o->hole_lo &&
                 r.cum_qty <= o->hole_hi) {
        ev = OrderEvent::HoleFill;
      } else {
        ev = r.cum_qty == known ? OrderEvent::RepeatFill : OrderEvent::OldFill;
      }
      break;
    case ExecType::Canceled:
      ev = OrderEvent::Canceled;
      advance = cumAhead;
      break;
    case ExecType::Expired:
      ev = OrderEvent::Expired;
      advance = cumAhead;
      break;
    case ExecType::Rejected:
      ev = OrderEvent::Rejected;
      break;
    default:
      malformed = true;
      break;
  }
  const Transition t = malformed ? Transition{o->state, Verdict::Illegal} : transition(o->state, ev);
  res.verdict = t.verdict;
  res.order = o->id;
  if (t.verdict != Verdict::Illegal) {
    o->flags &= static_cast<uint8_t>(~kFlagQueryNeeded);  // any sane report about it answers a query
    if (r.venue_order_id != 0 && o->venue_order_id == 0) o->venue_order_id = r.venue_order_id;
  }
  if (t.verdict == Verdict::Applied) {
    if (advance) {
      const int64_t jumpedTo = r.cum_qty - covered;  // (known, jumpedTo] has no fill report yet
      if (jumpedTo > known) {
        if (o->hole_hi == o->hole_lo) {
          o->hole_lo = known;
          o->hole_hi = jumpedTo;
        } else if (o->hole_hi == known) {
          o->hole_hi = jumpedTo;  // adjacent to the hole we track: one hole still
        } else {
          o->lost_qty += jumpedTo - known;
        }
        ++counters_.fill_gaps;
        res.changes |= kChangeUnreported;
      }
      if (r.avg_price > 0) {
        o->avg_price = r.avg_price;
      } else if (covered > 0) {
        const common::Int128 notional =
            static_cast<common::Int128>(o->avg_price) * known + static_cast<common::Int128>(r.last_price) * covered;
        o->avg_price = static_cast<int64_t>(notional / (known + covered));
      }
      o->cum_qty = r.cum_qty;
      if (covered > 0) res.changes |= kChangeFill;
    }
    if (ev == OrderEvent::HoleFill) {
      const int64_t lo = r.cum_qty - r.last_qty, hi = r.cum_qty;
      if (lo == o->hole_lo) {
        o->hole_lo = hi;
      } else if (hi == o->hole_hi) {
        o->hole_hi = lo;
      } else {  // inside: keep tracking the larger side, the smaller one is left to a trade query
        const int64_t left = lo - o->hole_lo, right = o->hole_hi - hi;
        if (left >= right) {
          o->lost_qty += right;
          o->hole_hi = lo;
        } else {
          o->lost_qty += left;
          o->hole_lo = hi;
        }
      }
      if (o->hole_lo >= o->hole_hi) o->hole_lo = o->hole_hi = 0;
      ++counters_.hole_fills;
      res.changes |= kChangeFill;
    }
    o->state = t.state;
    o->last_update_ts = ts;
    if (t.state != res.before) res.changes |= kChangeState;
    if (isTerminal(t.state) && !isTerminal(res.before)) {
      finish(*o);
      res.changes |= kChangeDone;
    } else if (!isTerminal(t.state)) {
      o->leaves_qty = std::max<int64_t>(0, o->qty - o->cum_qty);
    }
    if (ev == OrderEvent::Rejected && o->replaces != 0) {
      // A refused replacement: the original keeps working with its old terms.
      if (OrderRecord* orig = record(o->replaces); orig && orig->pending_id == o->id && !orig->has(kFlagAmend)) {
        clearModify(*orig);
        orig->last_update_ts = ts;
      }
    }
  }
  res.after = o->state;
  ++counters_.verdicts[static_cast<size_t>(res.verdict)];
  return res;
}

std::vector<ClientOrderId> OrderManager::ordersNeedingQuery() const {
  std::vector<ClientOrderId> out;
  forEachOpen([&](const OrderRecord& o) {
    if (o.state == OrderState::Unknown || o.has(kFlagQueryNeeded)) out.push_back(o.id);
  });
  return out;
}

// ---- snapshot ------------------------------------------------------------------------------

namespace {

nlohmann::json orderToJson(const OrderRecord& o) {
  nlohmann::json flags = nlohmann::json::array();
  for (const auto& f : kFlagNames)
    if (o.has(f.bit)) flags.push_back(f.name);
  return nlohmann::json{{"id", o.id},
                        {"prev_id", o.prev_id},
                        {"pending_id", o.pending_id},
                        {"replaces", o.replaces},
                        {"venue_order_id", o.venue_order_id},
                        {"strategy", o.strategy},
                        {"venue", common::toString(o.venue)},
                        {"instrument", o.instrument},
                        {"side", common::toString(o.side)},
                        {"type", common::toString(o.type)},
                        {"tif", common::toString(o.tif)},
                        {"state", toString(o.state)},
                        {"flags", flags},
                        {"price", o.price},
                        {"qty", o.qty},
                        {"cum_qty", o.cum_qty},
                        {"leaves_qty", o.leaves_qty},
                        {"avg_price", o.avg_price},
                        {"pending_price", o.pending_price},
                        {"pending_qty", o.pending_qty},
                        {"hole_lo", o.hole_lo},
                        {"hole_hi", o.hole_hi},
                        {"lost_qty", o.lost_qty},
                        {"local_send_ts", o.local_send_ts},
                        {"last_update_ts", o.last_update_ts}};
}

uint64_t readU64(const JsonNode& parent, std::string_view key) {
  const JsonNode n = parent.child(key, "an unsigned integer");
  // Text parses non-negative integers as unsigned; a document built in code may hold them signed.
  if (n.json().is_number_unsigned()) return n.json().get<uint64_t>();
  if (n.json().is_number_integer() && n.json().get<int64_t>() >= 0) return static_cast<uint64_t>(n.json().get<int64_t>());
  n.fail("an unsigned integer");
}

/// One of `values` by its toString() name.
template <class E, size_t N>
E readEnum(const JsonNode& parent, std::string_view key, const E (&values)[N]) {
  const JsonNode n = parent.child(key, "a name");
  const std::string s = n.asString();
  std::string names;
  for (E v : values) {
    if (s == toString(v)) return v;
    names.append(names.empty() ? "" : ", ").append(toString(v));
  }
  n.fail("one of " + names);
}

constexpr common::ExchangeId kVenues[] = {common::ExchangeId::Binance, common::ExchangeId::BinanceFutures,
                                          common::ExchangeId::Upbit, common::ExchangeId::Bithumb,
                                          common::ExchangeId::Simulated};
constexpr Side kSides[] = {Side::Buy, Side::Sell};
constexpr common::OrderType kTypes[] = {common::OrderType::Market, common::OrderType::Limit,
                                        common::OrderType::StopMarket, common::OrderType::StopLimit,
                                        common::OrderType::TakeProfit};
constexpr common::TimeInForce kTifs[] = {common::TimeInForce::GTC, common::TimeInForce::IOC,
                                         common::TimeInForce::FOK, common::TimeInForce::PostOnly};
constexpr OrderState kStates[] = {OrderState::PendingNew, OrderState::Acked,    OrderState::PartiallyFilled,
                                  OrderState::Filled,     OrderState::Canceled, OrderState::Rejected,
                                  OrderState::Expired,    OrderState::Unknown};

constexpr int64_t kMaxI64 = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinI64 = std::numeric_limits<int64_t>::min();

OrderRecord orderFromJson(const JsonNode& n) {
  n.expectObject({"id", "prev_id", "pending_id", "replaces", "venue_order_id", "strategy", "venue", "instrument",
                  "side", "type", "tif", "state", "flags", "price", "qty", "cum_qty", "leaves_qty", "avg_price",
                  "pending_price", "pending_qty", "hole_lo", "hole_hi", "lost_qty", "local_send_ts",
                  "last_update_ts"});
  OrderRecord o{};
  o.id = readU64(n, "id");
  if (o.id == 0) n.child("id", "").fail("a client order id other than 0");
  o.prev_id = readU64(n, "prev_id");
  o.pending_id = readU64(n, "pending_id");
  o.replaces = readU64(n, "replaces");
  o.venue_order_id = readU64(n, "venue_order_id");
  o.strategy = static_cast<common::StrategyId>(n.requiredInt("strategy", 0, std::numeric_limits<uint32_t>::max()));
  o.venue = readEnum(n, "venue", kVenues);
  o.instrument =
      static_cast<common::InstrumentId>(n.requiredInt("instrument", 0, std::numeric_limits<uint32_t>::max()));
  o.side = readEnum(n, "side", kSides);
  o.type = readEnum(n, "type", kTypes);
  o.tif = readEnum(n, "tif", kTifs);
  o.state = readEnum(n, "state", kStates);
  for (const JsonNode& f : n.child("flags", "an array of flag names").elements()) {
    const std::string name = f.asString();
    bool known = false;
    for (const auto& k : kFlagNames)
      if (name == k.name) {
        o.flags |= k.bit;
        known = true;
      }
    if (!known) f.fail("one of pending_cancel, pending_modify, amend, query_needed");
  }
  o.price = n.requiredInt("price", kMinI64, kMaxI64);
  o.qty = n.requiredInt("qty", 1, kMaxI64);
  o.cum_qty = n.requiredInt("cum_qty", 0, kMaxI64);
  o.leaves_qty = n.requiredInt("leaves_qty", 0, kMaxI64);
  o.avg_price = n.requiredInt("avg_price", kMinI64, kMaxI64);
  o.pending_price = n.requiredInt("pending_price", kMinI64, kMaxI64);
  o.pending_qty = n.requiredInt("pending_qty", 0, kMaxI64);
  o.hole_lo = n.requiredInt("hole_lo", 0, kMaxI64);
  o.hole_hi = n.requiredInt("hole_hi", o.hole_lo, kMaxI64);
  o.lost_qty = n.requiredInt("lost_qty", 0, kMaxI64);
  o.local_send_ts = n.requiredInt("local_send_ts", kMinI64, kMaxI64);
  o.last_update_ts = n.requiredInt("last_update_ts", kMinI64, kMaxI64);
  return o;
}

constexpr const char* kCounterKeys[] = {"applied", "duplicate", "stale", "illegal", "unknown_order"};

}  // namespace

nlohmann::json OrderManager::toJson() const {
  std::vector<const OrderRecord*> live;
  for (const OrderRecord& o : records_)
    if (o.id != 0 && !isTerminal(o.state)) live.push_back(&o);
  std::sort(live.begin(), live.end(), [](const OrderRecord* a, const OrderRecord* b) { return a->id < b->id; });
  nlohmann::json liveJson = nlohmann::json::array();
  for (const OrderRecord* o : live) liveJson.push_back(orderToJson(*o));
  nlohmann::json terminal = nlohmann::json::array();
  for (size_t i = 0; i < ringCount_; ++i)
    terminal.push_back(orderToJson(records_[static_cast<size_t>(ring_[(ringHead_ + i) % ring_.size()])]));

  nlohmann::json counters = nlohmann::json::object();
  for (int v = 0; v < kVerdictCount; ++v) counters[kCounterKeys[v]] = counters_.verdicts[v];
  nlohmann::json refused = nlohmann::json::object();
  for (int v = 1; v < kRecordResultCount; ++v) refused[toString(static_cast<RecordResult>(v))] = counters_.refused[v];
  counters["refused"] = refused;
  counters["fill_gaps"] = counters_.fill_gaps;
  counters["hole_fills"] = counters_.hole_fills;
  counters["evicted"] = counters_.evicted;
  return nlohmann::json{{"format", kFormat}, {"version", kVersion}, {"counters", counters},
                        {"live", liveJson},  {"terminal", terminal}};
}

OrderManager OrderManager::fromJson(const nlohmann::json& j, OrderManagerSizes sizes, const std::string& source) {
  OrderManager om(sizes);
  const JsonNode root(j, source);
  root.expectObject({"format", "version", "counters", "live", "terminal"});
  if (root.requiredString("format") != kFormat)
    root.child("format", "").fail(std::string("\"") + kFormat + "\"");
  if (const int64_t v = root.requiredInt("version", 0, kMaxI64); v != kVersion)
    root.child("version", "").fail("version " + std::to_string(kVersion) + " (the only one this build reads)");

  const JsonNode counters = root.child("counters", "an object");
  counters.expectObject(
      {"applied", "duplicate", "stale", "illegal", "unknown_order", "refused", "fill_gaps", "hole_fills", "evicted"});
  for (int v = 0; v < kVerdictCount; ++v) om.counters_.verdicts[v] = readU64(counters, kCounterKeys[v]);
  const JsonNode refused = counters.child("refused", "an object");
  for (int v = 1; v < kRecordResultCount; ++v)
    om.counters_.refused[v] = readU64(refused, toString(static_cast<RecordResult>(v)));
  om.counters_.fill_gaps = readU64(counters, "fill_gaps");
  om.counters_.hole_fills = readU64(counters, "hole_fills");
  om.counters_.evicted = readU64(counters, "evicted");

  auto place = [&](const JsonNode& n, const OrderRecord& o) -> int32_t {
    const int32_t idx = om.allocate();
    om.records_[static_cast<size_t>(idx)] = o;
    for (ClientOrderId key : {o.id, o.prev_id, o.has(kFlagAmend) ? o.pending_id : ClientOrderId{0}})
      if (key != 0 && !om.indexInsert(key, idx)) n.fail("client order ids held once", std::to_string(key) + " twice");
    return idx;
  };
  for (const JsonNode& n : root.child("live", "an array of orders").elements()) {
    const OrderRecord o = orderFromJson(n);
    if (isTerminal(o.state)) n.child("state", "").fail("a live state (terminal orders belong in \"terminal\")");
    if (om.live_ >= sizes.max_live_orders)
      n.fail("at most " + std::to_string(sizes.max_live_orders) + " live orders (max_live_orders)", "one more");
    place(n, o);
    ++om.live_;
  }
  const std::vector<JsonNode> terminal = root.child("terminal", "an array of orders").elements();
  const size_t skip = terminal.size() > sizes.keep_terminal ? terminal.size() - sizes.keep_terminal : 0;
  for (size_t i = 0; i < terminal.size(); ++i) {
    const OrderRecord o = orderFromJson(terminal[i]);  // validated even when dropped
    if (!isTerminal(o.state)) terminal[i].child("state", "").fail("a terminal state");
    if (i < skip) continue;
    om.retire(place(terminal[i], o));
  }
  return om;
}

}  // namespace hft::managers
