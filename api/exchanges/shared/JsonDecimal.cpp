#include "api/exchanges/shared/JsonDecimal.h"

#include <algorithm>
#include <limits>

namespace hft::api::shared {

using common::ParseStatus;

namespace {
bool isDigit(char c) noexcept { return c >= '0' && c <= '9'; }
}  // namespace

ParseStatus parseJsonDecimal(std::string_view s, int scale, int64_t& out) noexcept {
  if (scale < 0 || scale > common::kMaxScale) return ParseStatus::BadScale;
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  size_t i = 0;
  const bool negative = i < s.size() && s[i] == '-';
  if (negative) ++i;
  if (i == s.size()) return ParseStatus::Empty;

  const size_t intBegin = i;
  while (i < s.size() && isDigit(s[i])) ++i;
  const size_t intEnd = i;
  if (intEnd == intBegin) return ParseStatus::BadCharacter;
  size_t fracBegin = i, fracEnd = i;
  if (i < s.size() && s[i] == '.') {
    fracBegin = ++i;
    while (i < s.size() && isDigit(s[i])) ++i;
    fracEnd = i;
    if (fracEnd == fracBegin) return ParseStatus::BadCharacter;
  }
  int64_t exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool expNegative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) expNegative = s[i++] == '-';
    const size_t expBegin = i;
    while (i < s.size() && isDigit(s[i])) {
      if (exponent > 400) return ParseStatus::Overflow;
      exponent = exponent * 10 + (s[i] - '0');
      ++i;
    }
    if (i == expBegin) return ParseStatus::BadCharacter;
    if (exponent > 400) return ParseStatus::Overflow;
    if (expNegative) exponent = -exponent;
  }
  if (i != s.size()) return ParseStatus::BadCharacter;

  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (exponent == 0) {  // the usual form: one pass over the digits
    uint64_t v = 0;
    auto push = [&v](char c) noexcept {
      const auto d = static_cast<uint64_t>(c - '0');
      if (v > (kMax - d) / 10) return false;
      v = v * 10 + d;
      return true;
    };
    for (size_t k = intBegin; k < intEnd; ++k)
      if (!push(s[k])) return ParseStatus::Overflow;
    const size_t fracLen = fracEnd - fracBegin, take = std::min(fracLen, static_cast<size_t>(scale));
    for (size_t k = fracLen; k-- > take;)  // digits below the scale must be zeros
      if (s[fracBegin + k] != '0') return ParseStatus::TooManyDecimals;
    for (size_t k = 0; k < take; ++k)
      if (!push(s[fracBegin + k])) return ParseStatus::Overflow;
    for (size_t k = take; k < static_cast<size_t>(scale) && v != 0; ++k) {
      if (v > kMax / 10) return ParseStatus::Overflow;
      v *= 10;
    }
    out = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
    return ParseStatus::Ok;
  }

  // value = D * 10^(exponent - fracLen), D the digit string int+frac; raw = D * 10^shift.
  const int64_t fracLen = static_cast<int64_t>(fracEnd - fracBegin);
  const int64_t shift = exponent - fracLen + scale;
  const int64_t digitCount = static_cast<int64_t>((intEnd - intBegin) + (fracEnd - fracBegin));
  // Digits below the scale (the last -shift of D) must all be zeros.
  const int64_t keep = shift < 0 ? digitCount + shift : digitCount;
  auto digitAt = [&](int64_t k) noexcept {
    const size_t intLen = intEnd - intBegin;
    return static_cast<size_t>(k) < intLen ? s[intBegin + static_cast<size_t>(k)]
                                            : s[fracBegin + (static_cast<size_t>(k) - intLen)];
  };
  for (int64_t k = keep < 0 ? 0 : keep; k < digitCount; ++k)
    if (digitAt(k) != '0') return ParseStatus::TooManyDecimals;

  uint64_t v = 0;
  for (int64_t k = 0; k < keep; ++k) {
    const auto d = static_cast<uint64_t>(digitAt(k) - '0');
    if (v > (kMax - d) / 10) return ParseStatus::Overflow;
    v = v * 10 + d;
  }
  for (int64_t k = 0; k < shift && v != 0; ++k) {
    if (v > kMax / 10) return ParseStatus::Overflow;
    v *= 10;
  }
  out = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return ParseStatus::Ok;
}

}  // namespace hft::api::shared
