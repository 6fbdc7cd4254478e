#include "execution_engine/exchange_sim/RateLimiter.h"

namespace hft::execution_engine::exchange_sim {

namespace {
constexpr int64_t kSecond = 1'000'000'000;
}

void RateLimiter::roll(common::TimestampNs nowNs) noexcept {
  const int64_t minute = nowNs / (60 * kSecond), ten = nowNs / (10 * kSecond), day = nowNs / (86400 * kSecond);
  if (minute != minute_) { minute_ = minute; weight_ = 0; }
  if (ten != tenSeconds_) { tenSeconds_ = ten; orders10s_ = 0; }
  if (day != day_) { day_ = day; ordersDay_ = 0; }
}

RateLimiter::Verdict RateLimiter::admit(common::TimestampNs nowNs, uint32_t weight, uint32_t orders) noexcept {
  roll(nowNs);
  weight_ += weight;
  if (weight_ > limits_.weight_per_minute) return Verdict::WeightExceeded;
  if (orders == 0) return Verdict::Ok;
  if (orders10s_ + orders > limits_.orders_per_10s || ordersDay_ + orders > limits_.orders_per_day)
    return Verdict::OrdersExceeded;
  orders10s_ += orders;
  ordersDay_ += orders;
  return Verdict::Ok;
}

int64_t RateLimiter::retryAfterSeconds(common::TimestampNs nowNs) const noexcept {
  const int64_t intoMinute = nowNs % (60 * kSecond);
  return (60 * kSecond - intoMinute + kSecond - 1) / kSecond;
}

}  // namespace hft::execution_engine::exchange_sim
