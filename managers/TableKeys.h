#pragma once
// Keys of the managers' open-addressing tables: an asset code packed into one 64-bit word
// (NUL-padded, as in BalanceUpdate::asset and ExecutionReport::fee_asset) and the Fibonacci
// hash that spreads keys over a power-of-two table.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace hft::managers::keys {

/// The first 8 characters of `s`, NUL-padded, as one word.
inline uint64_t assetCode(std::string_view s) noexcept {
  char buf[8] = {};
  std::memcpy(buf, s.data(), std::min(s.size(), sizeof buf));
  uint64_t v;
  std::memcpy(&v, buf, sizeof v);
  return v;
}

inline uint64_t assetCode(const char (&a)[8]) noexcept {
  uint64_t v;
  std::memcpy(&v, a, sizeof v);
  return v;
}

/// The asset code back as text (cold path).
inline std::string assetName(uint64_t code) {
  char buf[8];
  std::memcpy(buf, &code, sizeof buf);
  return std::string(buf, strnlen(buf, sizeof buf));
}

/// Home slot of `key` in a table of 2^(64 - shift) slots.
inline size_t homeSlot(uint64_t key, int shift) noexcept {
  return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift);
}

}  // namespace hft::managers::keys
