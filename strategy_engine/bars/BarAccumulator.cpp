#include "strategy_engine/bars/BarAccumulator.h"

#include <limits>
#include <stdexcept>

#include "common/FixedPoint.h"

namespace hft::strategy_engine {

BarAccumulator::BarAccumulator(int priceScale, int qtyScale) {
  if (priceScale < 0 || priceScale > common::kMaxScale || qtyScale < 0 || qtyScale > common::kMaxScale)
    throw std::invalid_argument("bar: price and qty scales must be in [0, 18]");
  const int shift = priceScale + qtyScale - common::kAmountScale;
  for (int i = 0; i < shift; ++i) divisor_ *= 10;  // at most 10^28: fits 128 bits
  if (shift < 0) multiplier_ = common::pow10(-shift);
}

void BarAccumulator::add(const common::Trade& t) noexcept {
  if (bar_.trade_count == 0) {
    bar_.header = common::makeHeader<common::Bar>(t.header.exchange_id, t.header.instrument_id, 0, 0);
    bar_.open = bar_.high = bar_.low = t.price;
    first_ = common::eventTime(t.header);
  }
  if (t.price > bar_.high) bar_.high = t.price;
  if (t.price < bar_.low) bar_.low = t.price;
  bar_.close = t.price;
  bar_.volume += t.qty;
  if (t.aggressor == common::Side::Buy) bar_.taker_buy_volume += t.qty;
  ++bar_.trade_count;
  bar_.header.receive_ts_ns = t.header.receive_ts_ns;
  quoteRaw_ += static_cast<Int128>(t.price) * t.qty;
}

void BarAccumulator::finish(common::TimestampNs closeTs, int64_t intervalNs, common::Bar& out) noexcept {
  constexpr Int128 kMax = std::numeric_limits<int64_t>::max();
  Int128 q = quoteRaw_ / divisor_;
  if (q > kMax / multiplier_ || q < -kMax / multiplier_) {
    q = q > 0 ? kMax : -kMax;
    ++saturated_;
  } else {
    q *= multiplier_;
  }
  out = bar_;
  out.header.exchange_ts_ns = closeTs;
  out.quote_volume = static_cast<int64_t>(q);
  out.interval_ns = intervalNs;
  bar_ = common::Bar{};
  quoteRaw_ = 0;
}

}  // namespace hft::strategy_engine
