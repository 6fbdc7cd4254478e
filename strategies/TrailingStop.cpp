#include "strategies/TrailingStop.h"

#include "common/FixedPoint.h"
#include "strategies/ParentOrder.h"

namespace hft::strategies {

namespace {
__extension__ using Int128 = __int128;  // -Wpedantic: a GCC/Clang extension, on purpose
}  // namespace

int64_t TrailingStop::stopPrice() const noexcept {
  if (state_ == State::Inactive) return 0;
  const int64_t trail = cfg_.trail_ticks > 0
                            ? cfg_.trail_ticks * cfg_.tick
                            : static_cast<int64_t>(static_cast<Int128>(best_) * cfg_.trail_bps / 10'000);
  return sellExit() ? best_ - trail : best_ + trail;
}

void TrailingStop::onTrade(const common::Trade& t) {
  if (t.header.instrument_id == cfg_.instrument) onPrice(t.price);
}

void TrailingStop::onTopOfBook(const common::BestBidOffer& b) {
  if (b.header.instrument_id != cfg_.instrument) return;
  touch_.set(b);
  onPrice(touch_.far(cfg_.side));
}

void TrailingStop::onBookUpdate(common::InstrumentId id, const strategy_engine::OrderBook& book) {
  if (id != cfg_.instrument) return;
  touch_.set(book);
  onPrice(touch_.far(cfg_.side));
}

void TrailingStop::onPrice(int64_t price) noexcept {
  if (price <= 0 || state_ == State::Triggered) return;
  const bool sell = sellExit();
  if (state_ == State::Inactive) {
    if (cfg_.activation_price != 0 && (sell ? price < cfg_.activation_price : price > cfg_.activation_price)) return;
    state_ = State::Tracking;
    best_ = price;
    return;
  }
  if (sell ? price > best_ : price < best_) {
    best_ = price;
  } else if (sell ? price <= stopPrice() : price >= stopPrice()) {
    trigger(price);
  }
}

void TrailingStop::trigger(int64_t price) noexcept {
  state_ = State::Triggered;
  int64_t qty = cfg_.qty;
  if (qty == 0) {
    const int64_t position = ctx().position(cfg_.instrument).qty;
    qty = sellExit() ? position : -position;
    if (qty <= 0) return;  // nothing on the protected side: nothing to exit
  }
  strategy_engine::OrderParams o;
  o.instrument = cfg_.instrument;
  o.side = cfg_.side;
  o.qty = qty;
  o.reduce_only = cfg_.reduce_only;
  if (cfg_.market) {
    o.type = common::OrderType::Market;
  } else {
    const int64_t touch = touch_.far(cfg_.side);
    const int64_t base = touch != 0 ? touch : price;
    o.tif = common::TimeInForce::IOC;
    o.price = base + (sellExit() ? -cfg_.slippage_ticks : cfg_.slippage_ticks) * cfg_.tick;
    if (o.price <= 0) o.price = cfg_.tick;
  }
  exit_ = ctx().sendOrder(o);
}

std::unique_ptr<strategy_engine::IStrategy> makeTrailingStop(strategy_engine::StrategyParams& params,
                                                             const strategy_engine::StrategySetup& setup) {
  if (setup.instruments.size() != 1) params.fail("instruments", "instruments: exactly one for a trailing stop");
  const config::Instrument* inst = setup.registry.byId(setup.instruments[0]);
  if (!inst) params.fail("instruments", "instruments: a known instrument");
  TrailingStop::Config c;
  c.instrument = inst->id;
  c.tick = inst->tick_size;
  c.side = readSide(params, "side");
  c.qty = params.decimal("qty", inst->qty_scale, 0);
  if (c.qty % inst->lot_size != 0)
    params.fail("qty", std::string("qty: a multiple of the lot size ")
                           .append(common::formatDecimal(inst->lot_size, inst->qty_scale))
                           .append(" (0 or absent: the position at the trigger)"));
  c.trail_bps = params.integer("trail_bps", 0, 5'000, 0);
  c.trail_ticks = params.integer("trail_ticks", 0, 1'000'000, 0);
  if ((c.trail_bps > 0) == (c.trail_ticks > 0))
    params.fail(c.trail_bps > 0 ? "trail_ticks" : "trail_bps", "trail_bps or trail_ticks: exactly one of them above 0");
  c.activation_price = params.decimal("activation_price", inst->price_scale, 0);
  if (c.activation_price % c.tick != 0) params.fail("activation_price", "activation_price: a price on the tick grid");
  const std::string type = params.text("order_type", "market");
  if (type != "market" && type != "ioc") params.fail("order_type", "\"market\" or \"ioc\"");
  c.market = type == "market";
  c.slippage_ticks = params.integer("slippage_ticks", 0, 100'000, 10);
  c.reduce_only = params.flag("reduce_only", false);
  return std::make_unique<TrailingStop>(c);
}

}  // namespace hft::strategies
