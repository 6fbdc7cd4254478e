#pragma once
// Fixed-point money arithmetic of the simulated venue: notionals, fees and margins at
// common::kAmountScale from prices and quantities at an instrument's scales. Every rounding is
// in the venue's favour and stated once here, so balances can never be created by rounding.
#include <cstdint>

#include "common/FixedPoint.h"
#include "common/Int128.h"
#include "common/events/ExecutionReport.h"

namespace hft::execution_engine::sim {

/// Converts price * qty and qty of one instrument to amounts. Built once per instrument (the
/// power of ten is precomputed); the conversions are noexcept and do not allocate.
class Amounts {
 public:
  Amounts() = default;
  Amounts(int priceScale, int qtyScale) noexcept
      : notionalShift_(priceScale + qtyScale - common::kAmountScale),
        notionalPow_(common::pow10(notionalShift_ < 0 ? -notionalShift_ : notionalShift_)),
        qtyShift_(qtyScale - common::kAmountScale),
        qtyPow_(common::pow10(qtyShift_ < 0 ? -qtyShift_ : qtyShift_)) {}

  /// price * qty in the quote asset, rounded down (a buyer never pays for a fraction it
  /// was not charged, a seller never receives one).
  int64_t notional(int64_t price, int64_t qty) const noexcept {
    const common::Int128 p = static_cast<common::Int128>(price) * qty;
    return static_cast<int64_t>(notionalShift_ >= 0 ? p / notionalPow_ : p * notionalPow_);
  }
  /// A quantity as an amount of the base asset, rounded down (exact for qty scales <= 8).
  int64_t base(int64_t qty) const noexcept { return qtyShift_ >= 0 ? qty / qtyPow_ : qty * qtyPow_; }

  /// notional * rate / 1e8, rounded up: a fee is never under-charged and a rebate (negative
  /// rate) never over-paid.
  static int64_t fee(int64_t notional, int64_t rateE8) noexcept {
    const common::Int128 v = static_cast<common::Int128>(notional) * rateE8;
    constexpr int64_t kRateScale = 100'000'000;
    common::Int128 q = v / kRateScale;
    if (v % kRateScale > 0) ++q;
    return static_cast<int64_t>(q);
  }
  /// notional / leverage, rounded up.
  static int64_t margin(int64_t notional, int leverage) noexcept {
    return leverage <= 1 ? notional : (notional + leverage - 1) / leverage;
  }

 private:
  int notionalShift_ = 0;
  int64_t notionalPow_ = 1;
  int qtyShift_ = 0;
  int64_t qtyPow_ = 1;
};

}  // namespace hft::execution_engine::sim
