#include "strategies/CrossExchangeArbitrage.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/FixedPoint.h"

namespace hft::strategies {

using common::ExecType;
using common::Side;

namespace {

using Int128 = CrossExchangeArbitrage::Int128;

Int128 pow10w(int n) noexcept {
  Int128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

bool mul(Int128 x, Int128 y, Int128& out) noexcept { return !__builtin_mul_overflow(x, y, &out); }

constexpr int64_t kBpsUnits = 10'000;                  // cost is held in 1e-4 bps
constexpr int64_t kWholeInUnits = 10'000 * kBpsUnits;  // 100% = 10^4 bps = 10^8 units

}  // namespace

CrossExchangeArbitrage::CrossExchangeArbitrage(const Config& c) noexcept
    : cfg_(c), scaleA_(pow10w(c.b.price_scale + kMultiplierScale)), scaleB_(pow10w(c.a.price_scale)) {}

bool CrossExchangeArbitrage::clears(Int128 sell, Int128 buy, Int128 reference) noexcept {
  Int128 lhs, rhs;
  if (!mul(sell - buy, kWholeInUnits, lhs) || !mul(reference, cfg_.cost, rhs)) {
    ++counters_.overflow;
    return false;
  }
  return lhs > rhs;
}

bool CrossExchangeArbitrage::edgeBuyA(int64_t askA, int64_t bidB) noexcept {
  Int128 a, b;
  if (!mul(askA, scaleA_, a) || !mul(static_cast<Int128>(bidB) * cfg_.multiplier_b, scaleB_, b)) {
    ++counters_.overflow;
    return false;
  }
  return clears(b, a, a);
}

bool CrossExchangeArbitrage::edgeSellA(int64_t bidA, int64_t askB) noexcept {
  Int128 a, b;
  if (!mul(bidA, scaleA_, a) || !mul(static_cast<Int128>(askB) * cfg_.multiplier_b, scaleB_, b)) {
    ++counters_.overflow;
    return false;
  }
  return clears(a, b, a);
}

void CrossExchangeArbitrage::onTopOfBook(const common::BestBidOffer& b) {
  const common::InstrumentId id = b.header.instrument_id;
  if (id != cfg_.a.instrument && id != cfg_.b.instrument) return;
  (id == cfg_.a.instrument ? touchA_ : touchB_).set(b);
  evaluate();
}

void CrossExchangeArbitrage::onBookUpdate(common::InstrumentId id, const strategy_engine::OrderBook& book) {
  if (id != cfg_.a.instrument && id != cfg_.b.instrument) return;
  (id == cfg_.a.instrument ? touchA_ : touchB_).set(book);
  evaluate();
}

void CrossExchangeArbitrage::onGap(const common::Gap& g) {
  // Prices may be stale until the next update: never trade on them.
  const common::InstrumentId id = g.header.instrument_id;
  if (id == 0 || id == cfg_.a.instrument) touchA_.clear();
  if (id == 0 || id == cfg_.b.instrument) touchB_.clear();
}

void CrossExchangeArbitrage::evaluate() noexcept {
  if (pairActive_ || hedge_.id != 0) return;
  if (hedge_.qty > 0) {
    if (ctx().now() >= hedgeRetryAt_) sendHedge();
    return;
  }
  if (paired_ && ctx().now() < lastPair_ + cfg_.cooldown) return;
  if (!touchA_.twoSided() || !touchB_.twoSided()) return;
  if (edgeBuyA(touchA_.ask, touchB_.bid)) {
    if (const int64_t q = pairQty(cfg_.a, cfg_.b)) sendPair(cfg_.a, cfg_.b, q);
  } else if (edgeSellA(touchA_.bid, touchB_.ask)) {
    if (const int64_t q = pairQty(cfg_.b, cfg_.a)) sendPair(cfg_.b, cfg_.a, q);
  }
}

int64_t CrossExchangeArbitrage::pairQty(const Venue& buy, const Venue& sell) noexcept {
  const int64_t posBuy = ctx().position(buy.instrument).qty * buy.to_common;
  const int64_t posSell = ctx().position(sell.instrument).qty * sell.to_common;
  // Touch quantities can be large: compare in 128 bits, the result is at most order_qty.
  Int128 q = cfg_.order_qty;
  q = std::min<Int128>(q, static_cast<Int128>(touchOf(buy).ask_qty) * buy.to_common);
  q = std::min<Int128>(q, static_cast<Int128>(touchOf(sell).bid_qty) * sell.to_common);
  q = std::min<Int128>(q, std::min(cfg_.max_position - posBuy, cfg_.max_position + posSell));
  if (q <= 0) return 0;
  return static_cast<int64_t>(q - q % cfg_.common_lot);
}

common::ClientOrderId CrossExchangeArbitrage::sendIoc(const Venue& v, Side side, int64_t qty) noexcept {
  strategy_engine::OrderParams o;
  o.instrument = v.instrument;
  o.side = side;
  o.tif = common::TimeInForce::IOC;
  o.price = touchOf(v).far(side);
  o.qty = qty;
  const common::ClientOrderId id = ctx().sendOrder(o);
  if (id == 0) ++counters_.refused;
  return id;
}

void CrossExchangeArbitrage::sendPair(const Venue& buy, const Venue& sell, int64_t qty) noexcept {
  Leg& buyLeg = &buy == &cfg_.a ? legA_ : legB_;
  Leg& sellLeg = &buy == &cfg_.a ? legB_ : legA_;
  buyLeg = Leg{&buy, Side::Buy, 0, 0};
  sellLeg = Leg{&sell, Side::Sell, 0, 0};
  // A first, then B, whichever side each is: a fixed order keeps runs reproducible.
  legA_.id = sendIoc(cfg_.a, legA_.side, qty / cfg_.a.to_common);
  if (legA_.id == 0) return;  // nothing went out
  legB_.id = sendIoc(cfg_.b, legB_.side, qty / cfg_.b.to_common);
  // A refused B leg is a leg that filled nothing: settled as an imbalance when A is done.
  pairActive_ = true;
  paired_ = true;
  lastPair_ = ctx().now();
  ++counters_.pairs;
}

void CrossExchangeArbitrage::onExecutionReport(const common::ExecutionReport& r) {
  const bool fill = r.exec_type == ExecType::PartiallyFilled || r.exec_type == ExecType::Filled;
  const bool done = r.exec_type != ExecType::New && r.exec_type != ExecType::PartiallyFilled;
  if (r.client_order_id == 0) return;
  if (r.client_order_id == hedge_.id) {
    if (fill) hedge_.qty = std::max<int64_t>(0, hedge_.qty - r.last_qty);
    if (done) hedge_.id = 0;  // any rest is retried on the next market update
    // A refusal (rate limit, risk) would come back at once for an immediate retry: wait out the
    // cooldown instead of sending one rejected order per market update.
    if (r.exec_type == ExecType::Rejected) {
      ++counters_.hedge_rejects;
      hedgeRetryAt_ = ctx().now() + cfg_.cooldown;
    }
    return;
  }
  for (Leg* leg : {&legA_, &legB_}) {
    if (r.client_order_id != leg->id) continue;
    if (fill) leg->filled += r.last_qty;
    if (done) leg->id = 0;
  }
  if (pairActive_ && legA_.id == 0 && legB_.id == 0) settlePair();
}

void CrossExchangeArbitrage::settlePair() noexcept {
  pairActive_ = false;
  const int64_t a = legA_.filled * cfg_.a.to_common;
  const int64_t b = legB_.filled * cfg_.b.to_common;
  if (a == b) return;
  ++counters_.imbalances;
  const Leg& over = a > b ? legA_ : legB_;
  const int64_t excess = (a > b ? a - b : b - a) / over.venue->to_common;
  const int64_t qty = excess - excess % over.venue->lot;
  if (qty <= 0) {
    ++counters_.dust;
    return;
  }
  hedge_ = Hedge{over.venue, over.side == Side::Buy ? Side::Sell : Side::Buy, 0, qty};
  sendHedge();
}

void CrossExchangeArbitrage::sendHedge() noexcept {
  if (touchOf(*hedge_.venue).far(hedge_.side) == 0) return;  // that side is empty: next update
  hedge_.id = sendIoc(*hedge_.venue, hedge_.side, hedge_.qty);
  if (hedge_.id != 0) ++counters_.hedges;
}

std::unique_ptr<strategy_engine::IStrategy> makeCrossExchangeArbitrage(strategy_engine::StrategyParams& params,
                                                                       const strategy_engine::StrategySetup& setup) {
  const char* two = "instruments: two of the same base asset on different venues";
  if (setup.instruments.size() != 2) params.fail("instruments", two);
  const config::Instrument* a = setup.registry.byId(setup.instruments[0]);
  const config::Instrument* b = setup.registry.byId(setup.instruments[1]);
  if (!a || !b || a->exchange == b->exchange || a->base != b->base) params.fail("instruments", two);

  CrossExchangeArbitrage::Config c;
  const int qs = std::max(a->qty_scale, b->qty_scale);
  c.a = {a->id, a->price_scale, a->lot_size, common::pow10(qs - a->qty_scale)};
  c.b = {b->id, b->price_scale, b->lot_size, common::pow10(qs - b->qty_scale)};
  c.common_lot = std::lcm(c.a.lot * c.a.to_common, c.b.lot * c.b.to_common);
  const std::string lotText = common::formatDecimal(c.common_lot, qs);

  const auto bpsUnits = [&](const char* key, double max, double fallback) {
    return std::llround(params.number(key, 0.0, max, fallback) * kBpsUnits);
  };
  c.cost =
      bpsUnits("fee_bps_a", 100.0, 10.0) + bpsUnits("fee_bps_b", 100.0, 10.0) + bpsUnits("min_edge_bps", 1000.0, 5.0);
  c.order_qty = params.decimal("order_qty", qs, 0);
  if (c.order_qty <= 0 || c.order_qty % c.common_lot != 0)
    params.fail("order_qty",
                std::string("order_qty: a positive multiple of ").append(lotText).append(" (valid on both venues)"));
  c.max_position = params.decimal("max_position", qs, c.order_qty);
  if (c.max_position < c.order_qty) params.fail("max_position", "at least order_qty");
  c.multiplier_b = params.decimal("price_multiplier_b", CrossExchangeArbitrage::kMultiplierScale, 0);
  if (c.multiplier_b == 0) {
    if (a->quote != b->quote)
      params.fail("price_multiplier_b", std::string("price_multiplier_b: a positive rate converting ")
                                            .append(b->quote)
                                            .append(" prices into ")
                                            .append(a->quote)
                                            .append(" (the quote currencies differ)"));
    c.multiplier_b = common::pow10(CrossExchangeArbitrage::kMultiplierScale);
  }
  c.cooldown = params.integer("cooldown_ms", 0, 3'600'000, 100) * 1'000'000;
  return std::make_unique<CrossExchangeArbitrage>(c);
}

std::string CrossExchangeArbitrage::exitSummary() const {
  const Counters& c = counters_;
  std::string s = "pairs ";
  s.append(std::to_string(c.pairs)).append(", imbalances ").append(std::to_string(c.imbalances));
  s.append(", hedges ").append(std::to_string(c.hedges)).append(", dust ").append(std::to_string(c.dust));
  s.append(", hedge rejects ").append(std::to_string(c.hedge_rejects));
  s.append(", overflow ").append(std::to_string(c.overflow)).append(", refused ").append(std::to_string(c.refused));
  return s;
}

}  // namespace hft::strategies
