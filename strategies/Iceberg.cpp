#include "strategies/Iceberg.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/FixedPoint.h"

namespace hft::strategies {

void Iceberg::show() noexcept {
  if (price_ == 0) {
    const int64_t near = touch().near(parent().side);
    if (near == 0) return;  // no book yet: the next update shows the first slice
    price_ = parent().capped(near);
  }
  const int64_t qty = std::max(parent().lot, display_ + rng_.symmetric(jitterLots_) * parent().lot);
  if (sendResting(qty, price_, common::TimeInForce::GTC)) ++shown_;
}

void Iceberg::onChildEnded(const common::ExecutionReport& r) {
  if (r.exec_type == common::ExecType::Filled) {
    show();
  } else {
    stopped_ = true;
    finish();
  }
}

std::unique_ptr<strategy_engine::IStrategy> makeIceberg(strategy_engine::StrategyParams& params,
                                                        const strategy_engine::StrategySetup& setup) {
  const ParentOrder parent = readParentOrder(params, setup, 0, 0);
  const config::Instrument& inst = *setup.registry.byId(parent.instrument);
  const int64_t display = params.decimal("display_qty", inst.qty_scale, 0);
  if (display <= 0 || display % parent.lot != 0 || display > parent.total_qty)
    params.fail("display_qty", std::string("display_qty: a positive multiple of the lot size ")
                                   .append(common::formatDecimal(parent.lot, inst.qty_scale))
                                   .append(", at most total_qty"));
  const int64_t price = params.decimal("price", inst.price_scale, 0);
  if (price % parent.tick != 0 || (price != 0 && !parent.withinLimit(price)))
    params.fail("price", "price: a price on the tick grid within limit_price (or absent: the touch at the start)");
  const double jitter = params.number("display_jitter", 0.0, 0.95, 0.0);
  const auto seed = static_cast<uint64_t>(params.integer("seed", 0, std::numeric_limits<int64_t>::max(), 1));
  const auto jitterLots = static_cast<int64_t>(std::floor(static_cast<double>(display / parent.lot) * jitter));
  return std::make_unique<Iceberg>(parent, display, price, jitterLots, seed);
}

}  // namespace hft::strategies
