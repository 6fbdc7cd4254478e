#include "managers/RiskManager.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "common/FixedPoint.h"

namespace hft::managers {

namespace {

using common::OrderAction;
using common::OrderType;
using common::RejectReason;
using common::Side;

__extension__ using Int128 = __int128;

constexpr int64_t kNsPerDay = 86'400'000'000'000;
constexpr int64_t kBpsDenominator = 10'000;

int64_t saturate(Int128 v) noexcept {
  constexpr Int128 kMax = std::numeric_limits<int64_t>::max();
  constexpr Int128 kMin = std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v > kMax ? kMax : v < kMin ? kMin : v);
}

/// a * b * mul / div for a, b >= 0, rounded up or down, saturated at INT64_MAX. Either mul or
/// div is 1 (they come from one scale difference). The 64-bit path covers realistic orders;
/// the 128-bit one keeps absurd requests (a fat-fingered price) from wrapping around.
int64_t scaled(int64_t a, int64_t b, int64_t mul, int64_t div, bool roundUp) noexcept {
  int64_t p;
  if (!__builtin_mul_overflow(a, b, &p) && !__builtin_mul_overflow(p, mul, &p)) {
    const int64_t q = p / div;
    return roundUp && q * div != p ? q + 1 : q;
  }
  Int128 w = static_cast<Int128>(a) * b;
  if (mul > 1) return std::numeric_limits<int64_t>::max();  // >= 2^63 before multiplying by >= 10
  Int128 q = w / div;
  if (roundUp && q * div != w) ++q;
  return saturate(q);
}

int64_t abs64(int64_t v) noexcept { return v < 0 ? -v : v; }

bool validSide(Side s) noexcept { return s == Side::Buy || s == Side::Sell; }

/// |price - reference| / reference > bps / 10000, without division.
bool outsideBand(int64_t price, int64_t reference, int64_t bps) noexcept {
  const Int128 diff = static_cast<Int128>(price) - reference;
  return (diff < 0 ? -diff : diff) * kBpsDenominator > static_cast<Int128>(bps) * reference;
}

/// Loss so far today (> 0 = lost), saturated.
int64_t lossOf(int64_t baseline, int64_t total) noexcept { return saturate(static_cast<Int128>(baseline) - total); }

}  // namespace

RiskManager::RiskManager(const RiskLimits& limits, const config::InstrumentRegistry& registry)
    : killSwitch_(limits.kill_switch_file) {
  auto addVenue = [&](const VenueLimits& l) {
    const auto raw = static_cast<uint16_t>(l.venue);
    if (raw == 0 || raw >= venueById_.size()) throw std::invalid_argument("RiskManager: venue id out of range");
    if (venueById_[raw] != 0) throw std::invalid_argument("RiskManager: venue listed twice");
    VenueState v;
    v.id = l.venue;
    v.futures = RiskLimits::isFuturesVenue(l.venue);
    v.check_balance = l.check_balance && !v.futures;
    v.max_notional = l.max_position_notional;
    v.max_leverage_x100 = l.max_leverage_x100;
    if (l.rate.enabled()) v.bucket = TokenBucket(l.rate.rate_milli, l.rate.burst);
    venues_.push_back(v);
    venueById_[raw] = static_cast<int8_t>(venues_.size());
  };
  if (limits.venues.size() + 1 > 127) throw std::invalid_argument("RiskManager: too many venues");
  for (const VenueLimits& l : limits.venues) addVenue(l);

  auto addBalance = [&](common::ExchangeId venue, const std::string& asset) -> int32_t {
    if (const int32_t b = balanceSlot(venue, asset); b != kNone) return b;
    Balance bal;
    bal.venue = venue;
    std::memcpy(bal.asset, asset.data(), std::min(asset.size(), sizeof bal.asset));
    balances_.push_back(bal);
    return static_cast<int32_t>(balances_.size() - 1);
  };

  common::InstrumentId maxId = 0;
  for (const InstrumentLimits& l : limits.instruments) maxId = std::max(maxId, l.instrument);
  instrumentById_.assign(static_cast<size_t>(maxId) + 1, kNone);
  for (const InstrumentLimits& l : limits.instruments) {
    const config::Instrument* inst = registry.byId(l.instrument);
    if (!inst)
      throw std::invalid_argument("RiskManager: limits name instrument " + std::to_string(l.instrument) +
                                  ", which the registry lacks");
    if (instrumentById_[l.instrument] != kNone) throw std::invalid_argument("RiskManager: instrument listed twice");
    if (venueSlot(inst->exchange) == kNone) {
      VenueLimits v;
      v.venue = inst->exchange;
      v.rate = RiskLimits::defaultVenueRate(inst->exchange);
      addVenue(v);
    }
    InstrumentState s;
    s.id = inst->id;
    s.exchange = inst->exchange;
    s.venue = venueSlot(inst->exchange);
    if (venues_[static_cast<size_t>(s.venue)].check_balance) {
      s.baseBalance = addBalance(inst->exchange, inst->base);
      s.quoteBalance = addBalance(inst->exchange, inst->quote);
    }
    s.tick = std::max<int64_t>(inst->tick_size, 1);
    s.lot = std::max<int64_t>(inst->lot_size, 1);
    s.min_notional = inst->min_notional;
    const int notionalShift = inst->price_scale + inst->qty_scale - common::kAmountScale;
    (notionalShift >= 0 ? s.notional_div : s.notional_mul) =
        common::pow10(notionalShift >= 0 ? notionalShift : -notionalShift);
    const int qtyShift = inst->qty_scale - common::kAmountScale;
    (qtyShift >= 0 ? s.qty_div : s.qty_mul) = common::pow10(qtyShift >= 0 ? qtyShift : -qtyShift);
    s.max_order_qty = l.max_order_qty;
    s.max_order_notional = l.max_order_notional;
    s.max_position = l.max_position;
    s.band_bps = l.price_band_bps;
    if (inst->quote != limits.global.loss_currency)
      for (const auto& [asset, rate] : limits.global.loss_rates)
        if (asset == inst->quote) s.loss_rate = rate;
    instrumentById_[l.instrument] = static_cast<int32_t>(instruments_.size());
    instruments_.push_back(s);
  }

  std::vector<const StrategyLimits*> sorted;
  for (const StrategyLimits& s : limits.strategies) sorted.push_back(&s);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->id < b->id; });
  strategies_.resize(sorted.size() + 1);  // [0]: strategies the rules do not list
  holdings_.resize(strategies_.size() * instruments_.size());
  for (size_t i = 0; i < sorted.size(); ++i) {
    const StrategyLimits& l = *sorted[i];
    if (l.id == 0 || (i > 0 && sorted[i - 1]->id == l.id))
      throw std::invalid_argument("RiskManager: strategy id 0 or listed twice: " + std::to_string(l.id));
    strategyIds_.push_back(l.id);
    StrategyState& s = strategies_[i + 1];
    s.id = l.id;
    s.max_open_orders = l.max_open_orders;
    s.daily_loss_limit = l.daily_loss_limit;
    if (l.rate.enabled()) s.bucket = TokenBucket(l.rate.rate_milli, l.rate.burst);
    for (const StrategyPositionLimit& p : l.max_position) {
      const int32_t slot = instrumentSlot(p.instrument);
      if (slot == kNone)
        throw std::invalid_argument("RiskManager: strategy " + std::to_string(l.id) +
                                    " limits an instrument without instrument limits");
      holding(static_cast<int32_t>(i + 1), slot).max_position = p.max_position;
    }
  }

  maxOpenOrders_ = limits.global.max_open_orders;
  if (maxOpenOrders_ < 1 || maxOpenOrders_ > RiskLimits::kMaxOpenOrders)
    throw std::invalid_argument("RiskManager: global max_open_orders out of range");
  // At most half full, so probes stay short and always meet an empty slot.
  const uint64_t capacity = std::bit_ceil(static_cast<uint64_t>(std::max<int64_t>(2 * maxOpenOrders_, 16)));
  orders_.assign(capacity, Order{});
  orderMask_ = capacity - 1;
  orderShift_ = 64 - std::countr_zero(capacity);
  maxOrders_ = static_cast<int64_t>(capacity / 2);
  dailyLossLimit_ = limits.global.daily_loss_limit;
  strict_ = limits.global.strict_strategies;
  noReference_ = limits.global.no_reference;
}

// ---- lookups ------------------------------------------------------------------------------

int32_t RiskManager::instrumentSlot(common::InstrumentId id) const noexcept {
  return id < instrumentById_.size() ? instrumentById_[id] : kNone;
}

int32_t RiskManager::strategySlot(common::StrategyId id) const noexcept {
  const auto it = std::lower_bound(strategyIds_.begin(), strategyIds_.end(), id);
  if (it != strategyIds_.end() && *it == id) return static_cast<int32_t>(it - strategyIds_.begin()) + 1;
  return strict_ ? kNone : 0;
}

int32_t RiskManager::venueSlot(common::ExchangeId id) const noexcept {
  const auto raw = static_cast<uint16_t>(id);
  return raw < venueById_.size() ? venueById_[raw] - 1 : kNone;
}

int32_t RiskManager::balanceSlot(common::ExchangeId venue, std::string_view asset) const noexcept {
  if (asset.size() > sizeof(Balance::asset)) return kNone;
  for (size_t i = 0; i < balances_.size(); ++i) {
    const Balance& b = balances_[i];
    if (b.venue == venue && std::string_view(b.asset, strnlen(b.asset, sizeof b.asset)) == asset)
      return static_cast<int32_t>(i);
  }
  return kNone;
}

// ---- order table --------------------------------------------------------------------------

namespace {
inline size_t homeSlot(common::ClientOrderId id, int shift) noexcept {
  // Fibonacci hashing: sequential ids (the common case) spread over the whole table.
  return static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> shift);
}
}  // namespace

const RiskManager::Order* RiskManager::findOrder(common::ClientOrderId id) const noexcept {
  if (id == 0) return nullptr;
  for (size_t i = homeSlot(id, orderShift_);; i = (i + 1) & orderMask_) {
    const Order& o = orders_[i];
    if (o.id == id) return &o;
    if (o.id == 0) return nullptr;
  }
}

RiskManager::Order* RiskManager::findOrder(common::ClientOrderId id) noexcept {
  return const_cast<Order*>(static_cast<const RiskManager*>(this)->findOrder(id));
}

RiskManager::Order* RiskManager::insertOrder(common::ClientOrderId id) noexcept {
  if (id == 0 || openOrders_ >= maxOrders_) return nullptr;
  size_t i = homeSlot(id, orderShift_);
  while (orders_[i].id != 0) i = (i + 1) & orderMask_;
  orders_[i] = Order{};
  orders_[i].id = id;
  ++openOrders_;
  return &orders_[i];
}

void RiskManager::eraseOrder(Order* o) noexcept {
  // Backward-shift deletion: no tombstones, so lookups never slow down with churn.
  size_t hole = static_cast<size_t>(o - orders_.data());
  for (size_t j = (hole + 1) & orderMask_; orders_[j].id != 0; j = (j + 1) & orderMask_) {
    const size_t home = homeSlot(orders_[j].id, orderShift_);
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    orders_[hole] = orders_[j];
    hole = j;
  }
  orders_[hole] = Order{};
  --openOrders_;
}

// ---- helpers ------------------------------------------------------------------------------

RiskDecision RiskManager::reject(RejectReason reason, const char* detail) noexcept {
  ++rejects_[std::min<size_t>(static_cast<size_t>(reason), rejects_.size() - 1)];
  return RiskDecision{reason, detail};
}

void RiskManager::rollDay(common::TimestampNs now) noexcept {
  const int64_t day = now >= 0 ? now / kNsPerDay : (now + 1) / kNsPerDay - 1;  // floor, UTC days
  if (!dayStarted_) {
    dayStarted_ = true;
    day_ = day;
    return;
  }
  if (day <= day_) return;  // same day, or time went backwards: no rollover
  day_ = day;
  for (StrategyState& s : strategies_) s.baseline = s.total;
  globalBaseline_ = globalTotal_;
}

RiskManager::Pricing RiskManager::pricing(const common::OrderRequest& r, const InstrumentState& in) const noexcept {
  Pricing p;
  switch (r.type) {
    case OrderType::Limit:
    case OrderType::StopLimit:
      p.price = r.price;
      break;
    case OrderType::StopMarket:
    case OrderType::TakeProfit:
      p.price = r.stop_price;
      break;
    case OrderType::Market:
      p.price = in.reference;
      break;
  }
  // Orders that execute at market may fill anywhere inside the band: reserve at its far edge.
  const bool atMarket =
      r.type == OrderType::Market || r.type == OrderType::StopMarket || r.type == OrderType::TakeProfit;
  p.reserve_price =
      atMarket ? saturate(static_cast<Int128>(p.price) + scaled(p.price, in.band_bps, 1, kBpsDenominator, true))
               : p.price;
  return p;
}

int64_t RiskManager::reservation(const InstrumentState& in, Side side, int64_t qty,
                                 int64_t reservePrice) const noexcept {
  if (in.quoteBalance == kNone || qty <= 0) return 0;
  return side == Side::Buy ? scaled(reservePrice, qty, in.notional_mul, in.notional_div, true)
                           : scaled(qty, 1, in.qty_mul, in.qty_div, true);
}

void RiskManager::recomputeExposure(InstrumentState& in) noexcept {
  const int64_t worst = std::max(abs64(in.position + in.open_buy), abs64(in.position - in.open_sell));
  const int64_t e = in.mark > 0 ? scaled(in.mark, worst, in.notional_mul, in.notional_div, true) : 0;
  VenueState& v = venues_[static_cast<size_t>(in.venue)];
  v.exposure = saturate(static_cast<Int128>(v.exposure) - in.exposure + e);
  in.exposure = e;
}

void RiskManager::addOpen(Order& o, int64_t sign) noexcept {
  InstrumentState& in = instruments_[static_cast<size_t>(o.instrument)];
  Holding& h = holding(o.strategy, o.instrument);
  const int64_t q = sign * o.remaining;
  if (o.side == Side::Buy) {
    in.open_buy += q;
    h.open_buy += q;
  } else {
    in.open_sell += q;
    h.open_sell += q;
  }
  if (o.balance != kNone) balances_[static_cast<size_t>(o.balance)].reserved += sign * o.reserved;
  recomputeExposure(in);
}

// ---- the check ----------------------------------------------------------------------------

RiskDecision RiskManager::check(const common::OrderRequest& r, common::TimestampNs now) noexcept {
  if (r.action == OrderAction::Cancel) return {};  // pulling orders is never riskier than leaving them
  if (r.action != OrderAction::New && r.action != OrderAction::Modify)
    return reject(RejectReason::InvalidRequest, "action is not new, cancel or modify");
  if (killSwitch_.engaged()) return reject(RejectReason::KillSwitch, killSwitch_.reason());

  // ---- the request itself
  if (!validSide(r.side)) return reject(RejectReason::InvalidRequest, "side is not buy or sell");
  const auto type = static_cast<uint8_t>(r.type);
  if (type < static_cast<uint8_t>(OrderType::Market) || type > static_cast<uint8_t>(OrderType::TakeProfit))
    return reject(RejectReason::InvalidRequest, "order type out of range");
  const auto tif = static_cast<uint8_t>(r.tif);
  if (tif < static_cast<uint8_t>(common::TimeInForce::GTC) || tif > static_cast<uint8_t>(common::TimeInForce::PostOnly))
    return reject(RejectReason::InvalidRequest, "time in force out of range");
  const int32_t is = instrumentSlot(r.header.instrument_id);
  if (is == kNone || instruments_[static_cast<size_t>(is)].exchange != r.header.exchange_id)
    return reject(RejectReason::UnknownInstrument, "no order rules for this instrument on this venue");
  InstrumentState& in = instruments_[static_cast<size_t>(is)];
  const int32_t ss = strategySlot(r.strategy_id);
  if (ss == kNone) return reject(RejectReason::UnknownStrategy, "strategy not listed in the order rules");
  rollDay(now);

  if (r.qty <= 0) return reject(RejectReason::InvalidQuantity, "quantity <= 0");
  if (r.qty % in.lot != 0) return reject(RejectReason::OffLotQuantity, "quantity not a multiple of the lot size");
  const bool hasLimit = r.type == OrderType::Limit || r.type == OrderType::StopLimit;
  const bool hasStop =
      r.type == OrderType::StopMarket || r.type == OrderType::StopLimit || r.type == OrderType::TakeProfit;
  if (hasLimit && r.price <= 0) return reject(RejectReason::InvalidPrice, "limit price <= 0");
  if (hasLimit && r.price % in.tick != 0) return reject(RejectReason::OffTickPrice, "limit price not on the tick grid");
  if (hasStop && r.stop_price <= 0) return reject(RejectReason::InvalidPrice, "stop price <= 0");
  if (hasStop && r.stop_price % in.tick != 0)
    return reject(RejectReason::OffTickPrice, "stop price not on the tick grid");

  if (r.client_order_id == 0) return reject(RejectReason::DuplicateClientOrderId, "client order id 0 is reserved");
  if (findOrder(r.client_order_id)) return reject(RejectReason::DuplicateClientOrderId, "client order id already open");
  const Order* orig = nullptr;
  if (r.action == OrderAction::Modify) {
    orig = findOrder(r.orig_client_order_id);
    if (!orig) return reject(RejectReason::UnknownOrder, "modify of an order that is not open");
    if (orig->instrument != is || orig->strategy != ss || orig->side != r.side)
      return reject(RejectReason::UnknownOrder, "modify changes instrument, strategy or side");
  }

  // ---- fat finger
  const Pricing pr = pricing(r, in);
  if (in.reference == 0) {
    if (r.type == OrderType::Market) return reject(RejectReason::PriceBand, "market order without a reference price");
    if (noReference_ == NoReferencePolicy::Reject) return reject(RejectReason::PriceBand, "no reference price yet");
  } else if (r.type != OrderType::Market && outsideBand(pr.price, in.reference, in.band_bps)) {
    return reject(RejectReason::PriceBand, "price outside the band around the reference");
  }

  // ---- this order's size
  if (r.qty > in.max_order_qty) return reject(RejectReason::MaxOrderQuantity, "quantity above max_order_qty");
  // floor(n) >= min <=> n >= min and ceil(n) <= max <=> n <= max: exact at the boundary.
  if (in.min_notional > 0 && scaled(pr.price, r.qty, in.notional_mul, in.notional_div, false) < in.min_notional)
    return reject(RejectReason::BelowMinNotional, "notional below the instrument's min_notional");
  if (scaled(pr.price, r.qty, in.notional_mul, in.notional_div, true) > in.max_order_notional)
    return reject(RejectReason::MaxOrderNotional, "notional above max_order_notional");

  // ---- open orders
  StrategyState& st = strategies_[static_cast<size_t>(ss)];
  if (r.action == OrderAction::New) {
    if (st.open_orders >= st.max_open_orders)
      return reject(RejectReason::MaxOpenOrders, "strategy max_open_orders reached");
    if (openOrders_ >= maxOpenOrders_) return reject(RejectReason::MaxOpenOrders, "global max_open_orders reached");
  }

  // ---- positions, if every open order on the request's side filled (a Modify's original
  // replaced by the request)
  const Holding& h = holding(ss, is);
  int64_t inBuy = in.open_buy, inSell = in.open_sell, hBuy = h.open_buy, hSell = h.open_sell;
  if (orig) {
    (orig->side == Side::Buy ? inBuy : inSell) -= orig->remaining;
    (orig->side == Side::Buy ? hBuy : hSell) -= orig->remaining;
  }
  if (r.side == Side::Buy) {
    inBuy += r.qty;
    hBuy += r.qty;
    if (in.position + inBuy > in.max_position)
      return reject(RejectReason::MaxPosition, "instrument max_position (long side)");
    if (h.position + hBuy > h.max_position)
      return reject(RejectReason::MaxPosition, "strategy max_position (long side)");
  } else {
    inSell += r.qty;
    hSell += r.qty;
    if (inSell - in.position > in.max_position)
      return reject(RejectReason::MaxPosition, "instrument max_position (short side)");
    if (hSell - h.position > h.max_position)
      return reject(RejectReason::MaxPosition, "strategy max_position (short side)");
  }

  // ---- the venue's notional and leverage; only orders that add exposure are held to them, so
  // a venue over its limit (prices moved) can still be reduced
  VenueState& v = venues_[static_cast<size_t>(in.venue)];
  const int64_t worst = std::max(abs64(in.position + inBuy), abs64(in.position - inSell));
  const int64_t exposure = scaled(in.mark > 0 ? in.mark : pr.price, worst, in.notional_mul, in.notional_div, true);
  if (exposure > in.exposure) {
    const Int128 venueExposure = static_cast<Int128>(v.exposure) - in.exposure + exposure;
    if (venueExposure > v.max_notional) return reject(RejectReason::MaxPosition, "venue max_position_notional");
    if (v.max_leverage_x100 > 0) {
      if (v.equity <= 0) return reject(RejectReason::MaxLeverage, "no positive equity fed for the venue");
      if (venueExposure * 100 > static_cast<Int128>(v.equity) * v.max_leverage_x100)
        return reject(RejectReason::MaxLeverage, "venue max_leverage");
    }
  }

  // ---- losses today
  if (lossOf(st.baseline, st.total) > st.daily_loss_limit)
    return reject(RejectReason::DailyLossLimit, "strategy daily_loss_limit");
  if (lossOf(globalBaseline_, globalTotal_) > dailyLossLimit_)
    return reject(RejectReason::DailyLossLimit, "global daily_loss_limit");

  // ---- money: what the order would reserve against what is free and not yet reserved
  if (in.quoteBalance != kNone) {
    const int32_t b = r.side == Side::Buy ? in.quoteBalance : in.baseBalance;
    const Balance& bal = balances_[static_cast<size_t>(b)];
    Int128 available = static_cast<Int128>(bal.free) - bal.reserved;
    if (orig && orig->balance == b) available += orig->reserved;
    if (reservation(in, r.side, r.qty, pr.reserve_price) > available)
      return reject(RejectReason::InsufficientBalance, r.side == Side::Buy
                                                           ? "quote balance net of reservations too low"
                                                           : "base balance net of reservations too low");
  }

  // ---- rate, last: available() refills but takes nothing (onAccepted does)
  if (!st.bucket.available(now)) return reject(RejectReason::RateLimit, "strategy order rate");
  if (!v.bucket.available(now)) return reject(RejectReason::RateLimit, "venue order rate");
  return {};
}

// ---- bookkeeping --------------------------------------------------------------------------

bool RiskManager::onAccepted(const common::OrderRequest& r) noexcept {
  if (r.action == OrderAction::Cancel) return true;
  if ((r.action != OrderAction::New && r.action != OrderAction::Modify) || !validSide(r.side) || r.qty <= 0)
    return false;
  const int32_t is = instrumentSlot(r.header.instrument_id);
  if (is == kNone || instruments_[static_cast<size_t>(is)].exchange != r.header.exchange_id) return false;
  const int32_t ss = strategySlot(r.strategy_id);
  if (ss == kNone || r.client_order_id == 0 || findOrder(r.client_order_id)) return false;
  InstrumentState& in = instruments_[static_cast<size_t>(is)];
  StrategyState& st = strategies_[static_cast<size_t>(ss)];

  Order replaced;  // a Modify's original, kept for onModifyRejected
  if (r.action == OrderAction::Modify) {
    Order* orig = findOrder(r.orig_client_order_id);
    if (!orig || orig->instrument != is || orig->strategy != ss || orig->side != r.side) return false;
    replaced = *orig;
    addOpen(*orig, -1);
    eraseOrder(orig);  // frees the slot the new id takes: insertOrder below cannot fail
  }
  Order* o = insertOrder(r.client_order_id);
  if (!o) return false;  // New only: table full
  const Pricing pr = pricing(r, in);
  o->remaining = r.qty;
  o->reserve_price = pr.reserve_price;
  o->instrument = is;
  o->strategy = ss;
  o->side = r.side;
  o->balance = in.quoteBalance == kNone ? kNone : r.side == Side::Buy ? in.quoteBalance : in.baseBalance;
  o->reserved = reservation(in, r.side, r.qty, pr.reserve_price);
  if (replaced.id != 0) {
    o->prev_id = replaced.id;
    o->prev_remaining = replaced.remaining;
    o->prev_reserve_price = replaced.reserve_price;
  } else {
    ++st.open_orders;
  }
  if (in.mark == 0 && pr.price > 0) in.mark = pr.price;  // no reference yet: price exposure at the order's price
  addOpen(*o, +1);
  st.bucket.consume();
  venues_[static_cast<size_t>(in.venue)].bucket.consume();
  return true;
}

void RiskManager::onFill(common::ClientOrderId id, common::StrategyId strategy, common::InstrumentId instrument,
                         Side side, int64_t qty, int64_t price) noexcept {
  if (qty <= 0 || !validSide(side)) return;
  const int32_t is = instrumentSlot(instrument);
  if (is == kNone) return;
  InstrumentState& in = instruments_[static_cast<size_t>(is)];
  int32_t ss = strategySlot(strategy);

  if (Order* o = findOrder(id); o && o->instrument == is && o->side == side) {
    ss = o->strategy;
    addOpen(*o, -1);
    o->remaining -= std::min(qty, o->remaining);
    if (o->remaining == 0) {
      --strategies_[static_cast<size_t>(o->strategy)].open_orders;
      eraseOrder(o);
    } else {
      if (o->balance != kNone) o->reserved = reservation(in, side, o->remaining, o->reserve_price);
      addOpen(*o, +1);
    }
  }

  const int64_t signedQty = side == Side::Buy ? qty : -qty;
  in.position += signedQty;
  if (ss != kNone) holding(ss, is).position += signedQty;

  // Shadow balances until the venue's next update says what really happened (fees included).
  // Outflows round up and inflows down, so the estimate never shows more than there is.
  if (in.quoteBalance != kNone && price > 0) {
    Balance& quote = balances_[static_cast<size_t>(in.quoteBalance)];
    Balance& base = balances_[static_cast<size_t>(in.baseBalance)];
    const bool buy = side == Side::Buy;
    const int64_t quoteAmount = scaled(price, qty, in.notional_mul, in.notional_div, buy);
    const int64_t baseAmount = scaled(qty, 1, in.qty_mul, in.qty_div, !buy);
    quote.free = saturate(static_cast<Int128>(quote.free) + (buy ? -quoteAmount : quoteAmount));
    base.free = saturate(static_cast<Int128>(base.free) + (buy ? baseAmount : -baseAmount));
  }
  if (in.reference == 0 && price > 0) in.mark = price;
  recomputeExposure(in);
}

void RiskManager::onOrderDone(common::ClientOrderId id) noexcept {
  Order* o = findOrder(id);
  if (!o) return;
  addOpen(*o, -1);
  --strategies_[static_cast<size_t>(o->strategy)].open_orders;
  eraseOrder(o);
}

bool RiskManager::onModifyRejected(common::ClientOrderId newId) noexcept {
  Order* o = findOrder(newId);
  if (!o || o->prev_id == 0 || findOrder(o->prev_id)) return false;
  const Order replacement = *o;
  addOpen(*o, -1);
  eraseOrder(o);
  Order* back = insertOrder(replacement.prev_id);  // the slot just freed: cannot fail
  if (!back) return false;
  *back = replacement;
  back->id = replacement.prev_id;
  back->prev_id = 0;
  back->remaining = replacement.prev_remaining;
  back->reserve_price = replacement.prev_reserve_price;
  back->reserved = back->balance == kNone ? 0
                                          : reservation(instruments_[static_cast<size_t>(back->instrument)], back->side,
                                                        back->remaining, back->reserve_price);
  addOpen(*back, +1);
  return true;
}

// ---- feeds --------------------------------------------------------------------------------

void RiskManager::onReferencePrice(common::InstrumentId instrument, int64_t price) noexcept {
  const int32_t is = instrumentSlot(instrument);
  if (is == kNone || price <= 0) return;
  InstrumentState& in = instruments_[static_cast<size_t>(is)];
  in.reference = price;
  in.mark = price;
  recomputeExposure(in);
}

void RiskManager::onPnl(common::StrategyId strategy, int64_t realized, int64_t unrealized,
                        common::TimestampNs now) noexcept {
  rollDay(now);
  const int32_t ss = strategySlot(strategy);
  if (ss <= 0) return;  // unlisted strategies share slot 0: their totals would overwrite each other
  StrategyState& s = strategies_[static_cast<size_t>(ss)];
  const int64_t total = saturate(static_cast<Int128>(realized) + unrealized);
  globalTotal_ = saturate(static_cast<Int128>(globalTotal_) + total - s.total);
  s.total = total;
}

int64_t RiskManager::toLossCurrency(common::InstrumentId instrument, int64_t amount) const noexcept {
  const int32_t is = instrumentSlot(instrument);
  if (is == kNone) return amount;
  const int64_t rate = instruments_[static_cast<size_t>(is)].loss_rate;
  if (rate == 0) return amount;
  return saturate(static_cast<Int128>(amount) * rate / static_cast<Int128>(common::pow10(kLossRateScale)));
}

bool RiskManager::onBalance(common::ExchangeId venue, std::string_view asset, int64_t free) noexcept {
  const int32_t b = balanceSlot(venue, asset);
  if (b == kNone) return false;
  balances_[static_cast<size_t>(b)].free = free;
  return true;
}

bool RiskManager::onEquity(common::ExchangeId venue, int64_t equity) noexcept {
  const int32_t v = venueSlot(venue);
  if (v == kNone) return false;
  venues_[static_cast<size_t>(v)].equity = equity;
  return true;
}

// ---- queries ------------------------------------------------------------------------------

int64_t RiskManager::position(common::InstrumentId instrument) const noexcept {
  const int32_t is = instrumentSlot(instrument);
  return is == kNone ? 0 : instruments_[static_cast<size_t>(is)].position;
}

int64_t RiskManager::position(common::StrategyId strategy, common::InstrumentId instrument) const noexcept {
  const int32_t is = instrumentSlot(instrument), ss = strategySlot(strategy);
  if (is == kNone || ss == kNone) return 0;
  return holdings_[static_cast<size_t>(ss) * instruments_.size() + static_cast<size_t>(is)].position;
}

int64_t RiskManager::openOrders(common::StrategyId strategy) const noexcept {
  const int32_t ss = strategySlot(strategy);
  return ss == kNone ? 0 : strategies_[static_cast<size_t>(ss)].open_orders;
}

int64_t RiskManager::openQty(common::InstrumentId instrument, Side side) const noexcept {
  const int32_t is = instrumentSlot(instrument);
  if (is == kNone) return 0;
  const InstrumentState& in = instruments_[static_cast<size_t>(is)];
  return side == Side::Buy ? in.open_buy : side == Side::Sell ? in.open_sell : 0;
}

int64_t RiskManager::available(common::ExchangeId venue, std::string_view asset) const noexcept {
  const int32_t b = balanceSlot(venue, asset);
  if (b == kNone) return 0;
  const Balance& bal = balances_[static_cast<size_t>(b)];
  return saturate(static_cast<Int128>(bal.free) - bal.reserved);
}

int64_t RiskManager::reserved(common::ExchangeId venue, std::string_view asset) const noexcept {
  const int32_t b = balanceSlot(venue, asset);
  return b == kNone ? 0 : balances_[static_cast<size_t>(b)].reserved;
}

int64_t RiskManager::dailyPnl(common::StrategyId strategy) const noexcept {
  const int32_t ss = strategySlot(strategy);
  if (ss <= 0) return 0;
  const StrategyState& s = strategies_[static_cast<size_t>(ss)];
  return saturate(static_cast<Int128>(s.total) - s.baseline);
}

int64_t RiskManager::globalDailyPnl() const noexcept {
  return saturate(static_cast<Int128>(globalTotal_) - globalBaseline_);
}

int64_t RiskManager::venueExposure(common::ExchangeId venue) const noexcept {
  const int32_t v = venueSlot(venue);
  return v == kNone ? 0 : venues_[static_cast<size_t>(v)].exposure;
}

int64_t RiskManager::strategyTokens(common::StrategyId strategy) const noexcept {
  const int32_t ss = strategySlot(strategy);
  return ss == kNone ? 0 : strategies_[static_cast<size_t>(ss)].bucket.tokens();
}

int64_t RiskManager::venueTokens(common::ExchangeId venue) const noexcept {
  const int32_t v = venueSlot(venue);
  return v == kNone ? 0 : venues_[static_cast<size_t>(v)].bucket.tokens();
}

uint64_t RiskManager::rejectCount(RejectReason reason) const noexcept {
  return rejects_[std::min<size_t>(static_cast<size_t>(reason), rejects_.size() - 1)];
}

}  // namespace hft::managers
