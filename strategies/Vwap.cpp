#include "strategies/Vwap.h"

#include <algorithm>
#include <cmath>

namespace hft::strategies {

namespace {
__extension__ using Int128 = __int128;  // -Wpedantic: a GCC/Clang extension, on purpose
}  // namespace

VwapExecution::VwapExecution(const ParentOrder& parent, uint32_t buckets, common::TimestampNs profileWindow,
                             int64_t participationPpm, int64_t aggressionTicks, bool completeAtEnd)
    : ExecutionAlgo(parent, aggressionTicks, completeAtEnd),
      buckets_(buckets),
      window_(profileWindow),
      participationPpm_(participationPpm),
      profile_(buckets, 0),
      targets_(buckets, 0) {}

void VwapExecution::onMarketTrade(const common::Trade& t) {
  if (phase() == Phase::Waiting) {
    const common::TimestampNs from = startTime() - window_;
    const common::TimestampNs now = ctx().now();
    if (now >= from && now < startTime())
      profile_[static_cast<size_t>(static_cast<Int128>(now - from) * buckets_ / window_)] += t.qty;
  } else if (phase() == Phase::Running) {
    bucketVolume_ += t.qty;
    tryTrade();
  }
}

void VwapExecution::onRun() {
  Int128 total = 0;
  for (const int64_t v : profile_) total += v;
  Int128 cumulative = 0;
  for (uint32_t i = 0; i < buckets_; ++i) {
    cumulative += total > 0 ? profile_[i] : 1;
    const Int128 denominator = total > 0 ? total : buckets_;
    targets_[i] = i + 1 == buckets_
                      ? parent().total_qty
                      : parent().floorLot(static_cast<int64_t>(parent().total_qty * cumulative / denominator));
  }
  enterBucket(0);
}

void VwapExecution::enterBucket(uint32_t i) noexcept {
  current_ = i;
  bucketVolume_ = 0;
  filledBeforeBucket_ = filled();
  if (i + 1 < buckets_) {
    const auto offset = static_cast<common::TimestampNs>(static_cast<Int128>(parent().duration) * (i + 1) / buckets_);
    schedule(startTime() + offset, i + 1);
  }
}

void VwapExecution::tryTrade() noexcept {
  if (working() > 0) return;  // one child at a time: its fills must count before the next
  const int64_t want = targets_[current_] - filled();
  const auto cap = static_cast<int64_t>(static_cast<Int128>(bucketVolume_) * participationPpm_ / 1'000'000);
  const int64_t room = cap - (filled() - filledBeforeBucket_);
  const int64_t qty = parent().floorLot(std::min(want, room));
  if (qty > 0) sendMarketable(qty);
}

std::unique_ptr<strategy_engine::IStrategy> makeVwapExecution(strategy_engine::StrategyParams& params,
                                                              const strategy_engine::StrategySetup& setup) {
  const ParentOrder parent = readParentOrder(params, setup, 1, 300'000);
  const auto buckets = static_cast<uint32_t>(params.integer("buckets", 1, 1'000, 10));
  const int64_t windowMs = params.integer("profile_window_ms", 1, 7LL * 24 * 3600 * 1000, 300'000);
  if (windowMs < buckets) params.fail("profile_window_ms", "at least one millisecond per bucket");
  if (parent.duration / 1'000'000 < buckets)
    params.fail("buckets", "at most one bucket per millisecond of duration_ms");
  const double participation = params.number("max_participation", 0.000001, 1.0, 0.1);
  const int64_t aggression = params.integer("aggression_ticks", 0, 10'000, 0);
  const bool complete = params.flag("complete_at_end", true);
  return std::make_unique<VwapExecution>(parent, buckets, windowMs * 1'000'000, std::llround(participation * 1e6),
                                         aggression, complete);
}

}  // namespace hft::strategies
