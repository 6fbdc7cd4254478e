#pragma once
// Reading figures out of what the daemons print and the simulators answer, for the integration
// tests: a decimal amount string at common::kAmountScale, and the first number a pattern captures.
#include <cstdint>
#include <regex>
#include <string>

namespace hft::test {

/// "0.99700000" -> 99700000 at 8 decimals (common::kAmountScale).
inline int64_t amount(const std::string& s) {
  const bool neg = !s.empty() && s[0] == '-';
  const std::string t = neg ? s.substr(1) : s;
  const size_t dot = t.find('.');
  std::string frac = dot == std::string::npos ? "" : t.substr(dot + 1);
  frac.resize(8, '0');
  const int64_t v = std::stoll(t.substr(0, dot)) * 100'000'000 + std::stoll(frac);
  return neg ? -v : v;
}

/// The first capture of `pattern` in `text` as a number; UINT64_MAX when it does not match.
inline uint64_t number(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern))) return UINT64_MAX;
  return std::stoull(m[1]);
}

}  // namespace hft::test
