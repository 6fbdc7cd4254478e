#include "strategies/ParentOrder.h"

#include "common/FixedPoint.h"

namespace hft::strategies {

namespace {
constexpr int64_t kMaxMs = 7LL * 24 * 3600 * 1000;  // a week: longer schedules are config mistakes
constexpr int64_t kNsPerMs = 1'000'000;
}  // namespace

common::Side readSide(strategy_engine::StrategyParams& params, const std::string& key) {
  const std::string s = params.text(key, "");
  if (s == "buy") return common::Side::Buy;
  if (s == "sell") return common::Side::Sell;
  params.fail(key, std::string(key).append(": \"buy\" or \"sell\""));
}

ParentOrder readParentOrder(strategy_engine::StrategyParams& params, const strategy_engine::StrategySetup& setup,
                            int64_t minDurationMs, int64_t defaultDurationMs) {
  if (setup.instruments.size() != 1) params.fail("instruments", "instruments: exactly one for an execution algorithm");
  const config::Instrument* inst = setup.registry.byId(setup.instruments[0]);
  if (!inst) params.fail("instruments", "instruments: a known instrument");

  ParentOrder p;
  p.instrument = inst->id;
  p.tick = inst->tick_size;
  p.lot = inst->lot_size;
  p.side = readSide(params, "side");
  p.total_qty = params.decimal("total_qty", inst->qty_scale, 0);
  if (p.total_qty <= 0 || p.total_qty % p.lot != 0)
    params.fail("total_qty", std::string("total_qty: a positive multiple of the lot size ")
                                 .append(common::formatDecimal(p.lot, inst->qty_scale)));
  p.start_offset = params.integer("start_offset_ms", 0, kMaxMs, 0) * kNsPerMs;
  p.duration = params.integer("duration_ms", minDurationMs, kMaxMs, defaultDurationMs) * kNsPerMs;
  p.limit_price = params.decimal("limit_price", inst->price_scale, 0);
  if (p.limit_price % p.tick != 0)
    params.fail(
        "limit_price",
        std::string("limit_price: a price on the tick grid ").append(common::formatDecimal(p.tick, inst->price_scale)));
  return p;
}

}  // namespace hft::strategies
