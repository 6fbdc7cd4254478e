#include "strategy_engine/bars/TimeBarBuilder.h"

#include <stdexcept>

namespace hft::strategy_engine {

TimeBarBuilder::TimeBarBuilder(int64_t intervalNs, int priceScale, int qtyScale)
    : interval_(intervalNs), acc_(priceScale, qtyScale) {
  if (intervalNs <= 0) throw std::invalid_argument("time bar interval must be > 0 ns");
}

bool TimeBarBuilder::onTrade(const common::Trade& t) noexcept {
  const common::TimestampNs ts = common::eventTime(t.header);
  bool closed = false;
  if (!acc_.empty()) {
    if (ts - start_ >= interval_) {
      acc_.finish(start_ + interval_ - 1, interval_, bar_);
      closed = true;
    } else if (ts < start_) {
      ++late_;
    }
  }
  if (acc_.empty()) {
    const int64_t r = ts % interval_;
    start_ = ts - (r < 0 ? r + interval_ : r);  // floor, also before the epoch
  }
  acc_.add(t);
  return closed;
}

bool TimeBarBuilder::flush() noexcept {
  if (acc_.empty()) return false;
  acc_.finish(start_ + interval_ - 1, interval_, bar_);
  return true;
}

}  // namespace hft::strategy_engine
