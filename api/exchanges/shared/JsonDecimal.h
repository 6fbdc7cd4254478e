#pragma once
// JSON numbers straight to fixed point, without double. Upbit and Bithumb WebSocket payloads
// carry prices and sizes as JSON numbers ("trade_price":100473000.00000000, "as":7.9276E-4),
// so the parser takes the number's raw token from simdjson and converts it here: any number
// of trailing zeros, an exponent, and an exact result or an error, never a rounding.
#include <cstdint>
#include <string_view>

#include "common/FixedPoint.h"

namespace hft::api::shared {

/// Parses a JSON number token (-?digits[.digits][(e|E)[+-]digits]) at `scale` decimals.
///   Ok; Empty ("" or "-"); BadCharacter (anything else, "1.", ".5", "1e", leading '+');
///   TooManyDecimals (a non-zero digit below 10^-scale: "0.123" at scale 2);
///   Overflow (does not fit int64, or an exponent beyond +-400); BadScale (outside 0..18).
/// Trailing whitespace a raw token may carry is ignored. Never throws, never allocates.
[[nodiscard]] common::ParseStatus parseJsonDecimal(std::string_view token, int scale, int64_t& out) noexcept;

}  // namespace hft::api::shared
