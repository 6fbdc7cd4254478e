#include "strategies/MarketMaker.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace hft::strategies {

using common::ClientOrderId;
using strategy_engine::OrderParams;

namespace {

__extension__ using Int128 = __int128;  // -Wpedantic: a GCC/Clang extension, on purpose

int64_t floorDiv(int64_t a, int64_t b) noexcept { return a / b - ((a % b != 0 && a < 0) ? 1 : 0); }
int64_t ceilDiv(int64_t a, int64_t b) noexcept { return -floorDiv(-a, b); }

}  // namespace

// --- per-side order slots ---------------------------------------------------------------

MarketMaker::Slot* MarketMaker::SideState::working() noexcept {
  for (auto& s : slots)
    if (s.id && !s.cancelling) return &s;
  return nullptr;
}

MarketMaker::Slot* MarketMaker::SideState::find(ClientOrderId id) noexcept {
  for (auto& s : slots)
    if (s.id == id) return &s;
  return nullptr;
}

MarketMaker::Slot* MarketMaker::SideState::freeSlot() noexcept { return find(0); }

bool MarketMaker::SideState::cancelInFlight() const noexcept {
  for (const auto& s : slots)
    if (s.id && s.cancelling) return true;
  return false;
}

// --- mid window -----------------------------------------------------------------------------

void MarketMaker::MidWindow::Queue::push(Sample s, bool keepMax) noexcept {
  // Monotonic queue: a sample dominated by a newer one can never be the extreme again.
  while (size > 0) {
    const Sample& back = ring[(head + size - 1) % kCapacity];
    if (keepMax ? back.midX2 > s.midX2 : back.midX2 < s.midX2) break;
    --size;
  }
  if (size == kCapacity) {
    head = (head + 1) % kCapacity;
    --size;
  }
  ring[(head + size) % kCapacity] = s;
  ++size;
}

void MarketMaker::MidWindow::Queue::expire(common::TimestampNs oldest) noexcept {
  while (size > 0 && ring[head].t < oldest) {
    head = (head + 1) % kCapacity;
    --size;
  }
}

void MarketMaker::MidWindow::push(common::TimestampNs t, int64_t midX2, common::TimestampNs window) noexcept {
  max.push({t, midX2}, true);
  min.push({t, midX2}, false);
  max.expire(t - window);
  min.expire(t - window);
}

// --- events ---------------------------------------------------------------------------------

void MarketMaker::onBookUpdate(common::InstrumentId instrument, const strategy_engine::OrderBook& book) {
  if (instrument != cfg_.instrument) return;
  const auto bid = book.bestBid();
  const auto ask = book.bestAsk();
  onTop(Top{bid.price, bid.qty, ask.price, ask.qty});
}

void MarketMaker::onTopOfBook(const common::BestBidOffer& b) {
  if (b.header.instrument_id != cfg_.instrument) return;
  // The L2 book, when the venue publishes one, is the better source: ignore the BBO then.
  if (const auto* book = ctx().book(cfg_.instrument); book && !book->empty()) return;
  onTop(Top{b.bid_price, b.bid_qty, b.ask_price, b.ask_qty});
}

void MarketMaker::onTop(const Top& top) noexcept {
  // A market-data update ends the back-off after a reject.
  sides_[kBid].rejected = sides_[kAsk].rejected = false;
  if (top.bidQty <= 0 || top.askQty <= 0 || top.bid <= 0 || top.ask <= top.bid) {
    // One-sided or crossed: there is no reference to quote around.
    top_ = Top{};
    quoteSide(kBid, false, 0);
    quoteSide(kAsk, false, 0);
    return;
  }
  top_ = top;
  if (cfg_.pull_ticks > 0) {
    const int64_t midX2 = top.bid + top.ask;
    window_.push(ctx().now(), midX2, cfg_.pull_window_ns);
    const int64_t limitX2 = 2 * cfg_.pull_ticks * cfg_.tick;
    const bool bidHit = sides_[kBid].working() && window_.max.front() - midX2 > limitX2;
    const bool askHit = sides_[kAsk].working() && midX2 - window_.min.front() > limitX2;
    if (bidHit || askHit) {
      pull();
      return;
    }
  }
  if (!paused()) quote(top);
}

void MarketMaker::quote(const Top& top) noexcept {
  const int64_t tick = cfg_.tick;
  // Everything in doubled price units, so that a mid between two ticks stays exact.
  int64_t refX2 = top.bid + top.ask;
  if (cfg_.microprice) {
    // Weighted towards the side with less size: that side is the likelier to go.
    const Int128 num = 2 * (static_cast<Int128>(top.bid) * top.askQty + static_cast<Int128>(top.ask) * top.bidQty);
    const Int128 den = static_cast<Int128>(top.bidQty) + top.askQty;
    refX2 = static_cast<int64_t>((num + den / 2) / den);
  }
  int64_t halfX2 = 2 * cfg_.half_spread_ticks * tick;
  if (cfg_.half_spread_centibps > 0)  // 2*half = refX2 * bps / 10^4 = refX2 * centibps / 10^6
    halfX2 = std::max<int64_t>(
        2 * tick, static_cast<int64_t>(static_cast<Int128>(refX2) * cfg_.half_spread_centibps / 1'000'000));
  const int64_t pos = ctx().position(cfg_.instrument).qty;
  const int64_t skewX2 = static_cast<int64_t>(static_cast<Int128>(2 * tick) * cfg_.skew_milliticks * pos /
                                              (static_cast<Int128>(1000) * cfg_.order_qty));
  // Never at or through the far touch: a post-only quote there would be rejected.
  const int64_t bid = std::min(floorDiv(refX2 - halfX2 - skewX2, 2 * tick) * tick, top.ask - tick);
  const int64_t ask = std::max(ceilDiv(refX2 + halfX2 - skewX2, 2 * tick) * tick, top.bid + tick);
  quoteSide(kBid, pos + cfg_.order_qty <= cfg_.max_position && bid > 0, bid);
  quoteSide(kAsk, pos - cfg_.order_qty >= -cfg_.max_position, ask);
}

void MarketMaker::quoteSide(int side, bool wanted, int64_t price) noexcept {
  SideState& s = sides_[side];
  if (s.cancelInFlight()) return;  // at most one outstanding cancel/replace per side
  Slot* w = s.working();
  if (!wanted) {
    if (w && ctx().cancelOrder(w->id)) w->cancelling = true;
    return;
  }
  if (s.rejected || ctx().now() < s.throttledUntil) return;
  if (w && std::abs(price - w->price) < cfg_.requote_ticks * cfg_.tick) return;
  Slot* free = s.freeSlot();
  if (!free) return;
  if (w) {
    const ClientOrderId id = ctx().modifyOrder(w->id, price, cfg_.order_qty);
    if (!id) return;
    w->cancelling = true;
    *free = Slot{id, price, w->id, false};
    return;
  }
  OrderParams p;
  p.instrument = cfg_.instrument;
  p.side = side == kBid ? common::Side::Buy : common::Side::Sell;
  p.type = common::OrderType::Limit;
  p.tif = cfg_.post_only ? common::TimeInForce::PostOnly : common::TimeInForce::GTC;
  p.price = price;
  p.qty = cfg_.order_qty;
  if (const ClientOrderId id = ctx().sendOrder(p)) *free = Slot{id, price, 0, false};
}

void MarketMaker::cancelQuotes() noexcept {
  ctx().cancelAll(cfg_.instrument);
  for (auto& s : sides_)
    for (auto& slot : s.slots)
      if (slot.id) reconcile(slot);
}

void MarketMaker::pull() noexcept {
  cancelQuotes();
  pausedUntil_ = ctx().now() + cfg_.pause_ns;
  // The move that caused this pull must not cause another one after the pause.
  window_.clear();
  // If the timer table is full, the first update after pausedUntil_ resumes instead.
  if (cfg_.pause_ns > 0) (void)ctx().setTimer(pausedUntil_, kResumeTimer);
}

void MarketMaker::reconcile(Slot& slot) noexcept {
  const strategy_engine::OpenOrder* o = ctx().order(slot.id);
  if (!o)
    slot = Slot{};
  else
    slot.cancelling = o->cancel_pending;
}

void MarketMaker::onExecutionReport(const common::ExecutionReport& r) {
  for (auto& s : sides_) {
    Slot* slot = s.find(r.client_order_id);
    if (!slot || r.client_order_id == 0) continue;
    // Back off: the next order of this side waits for the next market-data update.
    if (r.exec_type == common::ExecType::Rejected) {
      s.rejected = true;
      if (r.reject_reason == common::RejectReason::RateLimit) s.throttledUntil = ctx().now() + cfg_.throttle_ns;
    }
    const ClientOrderId replaced = slot->replaces;
    reconcile(*slot);
    // A rejected replacement leaves the original working (the host clears its cancel mark).
    if (!slot->id && replaced)
      if (Slot* old = s.find(replaced)) reconcile(*old);
    return;
  }
}

void MarketMaker::onTimer(uint64_t id) {
  if (id == kResumeTimer && !paused() && top_.bidQty > 0) quote(top_);
}

void MarketMaker::onGap(const common::Gap& g) {
  if (g.header.instrument_id != 0 && g.header.instrument_id != cfg_.instrument) return;
  // The book may be stale until it resyncs: stop quoting on it.
  cancelQuotes();
  top_ = Top{};
  window_.clear();
}

// --- factory --------------------------------------------------------------------------------

std::unique_ptr<strategy_engine::IStrategy> makeMarketMaker(strategy_engine::StrategyParams& p,
                                                            const strategy_engine::StrategySetup& setup) {
  if (setup.instruments.size() != 1)
    throw std::invalid_argument("market_maker quotes exactly one instrument, got " +
                                std::to_string(setup.instruments.size()));
  const config::Instrument* inst = setup.registry.byId(setup.instruments[0]);
  if (!inst) throw std::invalid_argument("market_maker: unknown instrument id " + std::to_string(setup.instruments[0]));

  MarketMaker::Config c;
  c.instrument = inst->id;
  c.tick = inst->tick_size;
  const std::string reference = p.text("reference", "mid");
  if (reference != "mid" && reference != "microprice") p.fail("reference", "\"mid\" or \"microprice\"");
  c.microprice = reference == "microprice";

  const int64_t ticks = p.integer("half_spread_ticks", 1, 1'000'000, 0);  // 0: not given
  const double bps = p.number("half_spread_bps", 0, 1'000, 0);
  if (ticks > 0 && bps > 0) p.fail("half_spread_bps", "either half_spread_ticks or half_spread_bps, not both");
  c.half_spread_ticks = ticks > 0 ? ticks : 1;
  c.half_spread_centibps = std::llround(bps * 100);

  c.order_qty = p.decimal("order_qty", inst->qty_scale, 0);
  if (c.order_qty <= 0 || c.order_qty % inst->lot_size != 0) {
    std::string expected = "order_qty > 0, a multiple of the lot size ";
    expected.append(common::formatDecimal(inst->lot_size, inst->qty_scale));
    p.fail("order_qty", expected);
  }
  c.skew_milliticks = std::llround(p.number("skew_ticks_per_unit", 0, 1'000'000, 0) * 1000);
  c.max_position = p.decimal("max_position", inst->qty_scale, 10 * c.order_qty);
  if (c.max_position < c.order_qty) p.fail("max_position", "max_position >= order_qty");
  c.requote_ticks = p.integer("requote_ticks", 1, 1'000'000, 1);
  c.pull_ticks = p.integer("pull_ticks", 0, 1'000'000, 0);
  c.pull_window_ns = p.integer("pull_window_ms", 1, 3'600'000, 100) * 1'000'000;
  c.pause_ns = p.integer("pause_ms", 0, 3'600'000, 1'000) * 1'000'000;
  c.throttle_ns = p.integer("throttle_ms", 0, 3'600'000, 1'000) * 1'000'000;
  c.post_only = p.flag("post_only", true);
  return std::make_unique<MarketMaker>(c);
}

}  // namespace hft::strategies
