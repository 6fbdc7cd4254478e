#include "common/FixedPoint.h"

#include <limits>

namespace hft::common {

const char* toString(ParseStatus s) noexcept {
  switch (s) {
    case ParseStatus::Ok: return "ok";
    case ParseStatus::Empty: return "empty number";
    case ParseStatus::BadCharacter: return "bad character in number";
    case ParseStatus::TooManyDecimals: return "more decimals than the instrument scale";
    case ParseStatus::Overflow: return "number out of range";
    case ParseStatus::BadScale: return "scale out of range";
  }
  return "unknown";
}

namespace {

/// The careful path: any input, the exact reason on failure.
ParseStatus parseDecimalChecked(std::string_view text, int scale, int64_t& out) noexcept {
  if (scale < 0 || scale > kMaxScale) return ParseStatus::BadScale;
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  // Accumulate as unsigned magnitude so INT64_MIN-adjacent values do not overflow early.
  uint64_t mag = 0;
  constexpr uint64_t kLimit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  bool anyDigit = false;
  int decimals = -1;  // -1: before the point
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (decimals >= 0) return ParseStatus::BadCharacter;
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return ParseStatus::BadCharacter;
    anyDigit = true;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (decimals >= 0) {
      if (decimals == scale) {
        if (d != 0) return ParseStatus::TooManyDecimals;
        continue;  // trailing zero beyond the scale: harmless
      }
      ++decimals;
    }
    if (mag > (kLimit - d) / 10) return ParseStatus::Overflow;
    mag = mag * 10 + d;
  }
  if (!anyDigit) return ParseStatus::Empty;
  const int have = decimals < 0 ? 0 : decimals;
  for (int k = have; k < scale; ++k) {
    if (mag > kLimit / 10) return ParseStatus::Overflow;
    mag *= 10;
  }
  out = negative ? -static_cast<int64_t>(mag) : static_cast<int64_t>(mag);
  return ParseStatus::Ok;
}

constexpr uint64_t kPow10u[] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
                                100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
                                10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
                                100000000000000000ull, 1000000000000000000ull};

}  // namespace

// Market data is almost all well-formed decimals with a few digits ("61837.64000000"), converted
// by the thousand per message, so the common shape takes a fast path: [+-]digits[.digits], at
// most 18 digits once scaled (no overflow possible, so no per-digit check), every digit beyond
// the scale a '0'. Anything else (errors included) goes to parseDecimalChecked, which gives the
// same value whenever both succeed and the exact reason when it fails.
ParseStatus parseDecimal(std::string_view text, int scale, int64_t& out) noexcept {
  if (scale >= 0 && scale <= kMaxScale) {
    const char* p = text.data();
    const char* const end = p + text.size();
    bool negative = false;
    if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
    uint64_t mag = 0;  // wraps on more than 19 digits: such input fails the digit count below
    const char* const intStart = p;
    for (unsigned d; p < end && (d = static_cast<unsigned char>(*p) - '0') < 10; ++p) mag = mag * 10 + d;
    const auto intDigits = static_cast<int>(p - intStart);
    int decimals = 0;
    if (p < end && *p == '.') {
      ++p;
      for (unsigned d; p < end && decimals < scale && (d = static_cast<unsigned char>(*p) - '0') < 10; ++p, ++decimals)
        mag = mag * 10 + d;
      while (p < end && *p == '0') ++p;  // zeros beyond the scale
    }
    if (p == end && intDigits + decimals > 0 && intDigits + scale <= 18) {
      mag *= kPow10u[scale - decimals];
      out = negative ? -static_cast<int64_t>(mag) : static_cast<int64_t>(mag);
      return ParseStatus::Ok;
    }
  }
  return parseDecimalChecked(text, scale, out);
}

size_t formatDecimal(int64_t raw, int scale, char* buf, size_t len) noexcept {
  if (scale < 0 || scale > kMaxScale) return 0;
  char tmp[48];
  size_t n = 0;
  const bool negative = raw < 0;
  uint64_t mag = negative ? (~static_cast<uint64_t>(raw) + 1) : static_cast<uint64_t>(raw);
  int digits = 0;
  do {
    tmp[n++] = static_cast<char>('0' + mag % 10);
    mag /= 10;
    ++digits;
    if (digits == scale) tmp[n++] = '.';
  } while (mag != 0 || digits <= scale);
  if (scale > 0 && tmp[n - 1] == '.') tmp[n++] = '0';
  if (negative) tmp[n++] = '-';
  if (n > len) return 0;
  for (size_t k = 0; k < n; ++k) buf[k] = tmp[n - 1 - k];
  return n;
}

std::string formatDecimal(int64_t raw, int scale) {
  char buf[48];
  const size_t n = formatDecimal(raw, scale, buf, sizeof buf);
  return std::string(buf, n);
}

bool rescale(int64_t raw, int fromScale, int toScale, int64_t& out) noexcept {
  if (fromScale < 0 || toScale < 0 || fromScale > kMaxScale || toScale > kMaxScale) return false;
  if (toScale >= fromScale) {
    const int64_t m = pow10(toScale - fromScale);
    if (raw > std::numeric_limits<int64_t>::max() / m || raw < std::numeric_limits<int64_t>::min() / m)
      return false;
    out = raw * m;
    return true;
  }
  const int64_t d = pow10(fromScale - toScale);
  if (raw % d != 0) return false;
  out = raw / d;
  return true;
}

}  // namespace hft::common
