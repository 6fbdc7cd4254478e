#pragma once
// 128-bit integers for price * quantity products of int64 fixed-point values (they overflow
// int64 at realistic scales). GCC/Clang extension; __extension__ keeps -Wpedantic quiet.

#include <cstdint>

namespace hft::common {

__extension__ using Int128 = __int128;

/// price (10^-priceScale) * qty (10^-qtyScale) rescaled to an amount at 10^-amountScale,
/// truncated toward zero.
inline int64_t scaleProduct(Int128 priceTimesQty, int priceScale, int qtyScale, int amountScale) noexcept {
  int shift = priceScale + qtyScale - amountScale;
  Int128 v = priceTimesQty;
  for (; shift > 0; --shift) v /= 10;
  for (; shift < 0; ++shift) v *= 10;
  return static_cast<int64_t>(v);
}

}  // namespace hft::common
