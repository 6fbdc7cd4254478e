#pragma once
// Fixed-point decimal numbers: an int64 count of 10^-scale units. Prices and quantities
// on the bus are always these, never floating point; the scale (number of decimals) is a
// property of the instrument (see config::InstrumentRegistry), not of the value.
#include <cstdint>
#include <string>
#include <string_view>

namespace hft::common {

inline constexpr int kMaxScale = 18;

/// Powers of ten that fit in int64 (10^0 .. 10^18).
constexpr int64_t pow10(int n) noexcept {
  int64_t v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

enum class ParseStatus : uint8_t {
  Ok = 0,
  Empty = 1,          ///< no digits at all
  BadCharacter = 2,   ///< something other than [+-]digits[.digits]
  TooManyDecimals = 3,///< more significant decimals than the scale holds (would lose value)
  Overflow = 4,       ///< does not fit int64 at this scale
  BadScale = 5,       ///< scale outside [0, kMaxScale]
};

const char* toString(ParseStatus s) noexcept;

/// Parses a decimal string ("123.4500", "-0.1", "7") into raw units at `scale` decimals
/// without going through double. Trailing zeros beyond the scale are accepted ("1.2300"
/// at scale 2); non-zero digits beyond it are TooManyDecimals. Never throws, never allocates.
[[nodiscard]] ParseStatus parseDecimal(std::string_view text, int scale, int64_t& out) noexcept;

/// Formats raw units at `scale` decimals, e.g. (123450, 3) -> "123.450". Cold path.
std::string formatDecimal(int64_t raw, int scale);

/// Writes the same text into buf (no allocation); returns chars written, or 0 if buf is too small.
size_t formatDecimal(int64_t raw, int scale, char* buf, size_t len) noexcept;

/// Rescales raw units from one scale to another; returns false when precision would be lost
/// or on overflow.
[[nodiscard]] bool rescale(int64_t raw, int fromScale, int toScale, int64_t& out) noexcept;

}  // namespace hft::common
