#include "strategies/Twap.h"

namespace hft::strategies {

namespace {
__extension__ using Int128 = __int128;  // -Wpedantic: a GCC/Clang extension, on purpose
}  // namespace

int64_t Twap::target(uint32_t k) const noexcept {
  if (k + 1 >= slices_) return parent().total_qty;
  return parent().floorLot(static_cast<int64_t>(static_cast<Int128>(parent().total_qty) * (k + 1) / slices_));
}

void Twap::slice(uint32_t k) noexcept {
  current_ = k;
  if (k + 1 < slices_) {
    // From the start each time (not the previous slice time), so rounding never accumulates.
    const auto offset = static_cast<common::TimestampNs>(static_cast<Int128>(parent().duration) * (k + 1) / slices_);
    schedule(startTime() + offset, k + 1);
  }
  if (mode_ == Mode::Aggressive) {
    sendMarketable(target(k) - filled() - working());
  } else if (working() == 0) {
    quote();
  } else {
    requote_ = true;
    cancelWorking();
  }
}

void Twap::quote() noexcept {
  requote_ = false;
  sendPassive(target(current_) - filled() - working());
}

void Twap::onChildEnded(const common::ExecutionReport&) {
  if (requote_ && working() == 0) quote();
}

std::unique_ptr<strategy_engine::IStrategy> makeTwap(strategy_engine::StrategyParams& params,
                                                     const strategy_engine::StrategySetup& setup) {
  const ParentOrder parent = readParentOrder(params, setup, 1, 60'000);
  const auto slices = static_cast<uint32_t>(params.integer("slices", 1, 100'000, 10));
  if (parent.duration / 1'000'000 < slices) params.fail("slices", "at most one slice per millisecond of duration_ms");
  const std::string mode = params.text("mode", "aggressive");
  if (mode != "aggressive" && mode != "passive") params.fail("mode", "\"aggressive\" or \"passive\"");
  const int64_t aggression = params.integer("aggression_ticks", 0, 10'000, 0);
  const bool complete = params.flag("complete_at_end", true);
  return std::make_unique<Twap>(parent, slices, mode == "passive" ? Twap::Mode::Passive : Twap::Mode::Aggressive,
                                aggression, complete);
}

}  // namespace hft::strategies
