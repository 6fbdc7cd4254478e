#pragma once
#include <cstdint>
// The venue's request-weight and order-count limits, as fixed windows aligned on the clock like
// Binance's (a minute for weight, 10 s and a day for orders). The counts are what the
// X-MBX-USED-WEIGHT-1M / X-MBX-ORDER-COUNT-10S / -1D headers report.
#include "common/Ids.h"

namespace hft::execution_engine::exchange_sim {

struct RateLimits {
  uint32_t weight_per_minute = 6000;  ///< spot REQUEST_WEIGHT per minute (USD-M: 2400)
  uint32_t orders_per_10s = 100;      ///< spot ORDERS per 10 s (USD-M: 300)
  uint32_t orders_per_day = 200000;   ///< spot ORDERS per day
  uint32_t upbit_order_per_second = 8;     ///< Upbit/Bithumb group "order" (POST/DELETE orders)
  uint32_t upbit_default_per_second = 30;  ///< Upbit/Bithumb group "default" (other private REST)
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimits limits = {}) noexcept : limits_(limits) {}

  /// What admitting a request did.
  enum class Verdict : uint8_t {
    Ok = 0,
    WeightExceeded = 1,  ///< -1003, HTTP 429 with Retry-After
    OrdersExceeded = 2,  ///< -1015 Too many new orders
  };
  /// Counts `weight` (and `orders` order units) at wall time nowNs; refuses when a limit would be
  /// passed (a refused request still counts its weight, as on the venue).
  Verdict admit(common::TimestampNs nowNs, uint32_t weight, uint32_t orders) noexcept;

  uint32_t usedWeight() const noexcept { return weight_; }
  uint32_t orders10s() const noexcept { return orders10s_; }
  uint32_t ordersDay() const noexcept { return ordersDay_; }
  /// Seconds until the weight window resets (Retry-After).
  int64_t retryAfterSeconds(common::TimestampNs nowNs) const noexcept;
  const RateLimits& limits() const noexcept { return limits_; }

 private:
  void roll(common::TimestampNs nowNs) noexcept;

  RateLimits limits_;
  int64_t minute_ = -1, tenSeconds_ = -1, day_ = -1;
  uint32_t weight_ = 0, orders10s_ = 0, ordersDay_ = 0;
};

}  // namespace hft::execution_engine::exchange_sim
