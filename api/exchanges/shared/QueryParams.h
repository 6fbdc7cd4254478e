#pragma once
// The parameters of one Upbit/Bithumb REST request, in order, in a fixed arena, and the two
// renderings the venues need:
//   query  "market=KRW-BTC&states[]=wait&states[]=watch&limit=10"  - the GET/DELETE query string
//          as sent, and for every method the string whose SHA-512 is the JWT query_hash (POST:
//          the body's keys and values in the body's order). Not URL-encoded: the docs hash the
//          raw form, brackets included; encoders only put URL-safe values in.
//   json   {"market":"KRW-BTC","side":"bid",...}  - the POST body; every value a JSON string
//          (the venues document numbers as "NumberString").
// Filling and rendering never allocate.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace hft::api::shared {

class QueryParams {
 public:
  static constexpr size_t kMaxParams = 32;
  static constexpr size_t kArenaBytes = 1024;

  void clear() noexcept {
    count_ = 0;
    used_ = 0;
    overflowed_ = false;
  }
  /// Appends key=value (an array parameter is the same key, "states[]", added once per value).
  /// false when it does not fit, or the key or value holds a character that is not URL-safe
  /// ([A-Za-z0-9-._~], plus '[' ']' in keys); overflowed() then stays true until clear().
  bool add(std::string_view key, std::string_view value) noexcept;
  bool addUint(std::string_view key, uint64_t value) noexcept;
  /// `raw` at `scale` decimals as the shortest exact decimal ((1500, 3) -> "1.5"); no double.
  bool addDecimal(std::string_view key, int64_t raw, int scale) noexcept;

  size_t size() const noexcept { return count_; }
  bool overflowed() const noexcept { return overflowed_; }
  std::string_view key(size_t i) const noexcept { return {arena_ + entries_[i].keyOff, entries_[i].keyLen}; }
  std::string_view value(size_t i) const noexcept { return {arena_ + entries_[i].valueOff, entries_[i].valueLen}; }
  /// First value of `key`; "" when absent.
  std::string_view find(std::string_view key) const noexcept;

  /// "k=v&k=v" into out; returns the length, 0 when it does not fit (or the list is empty).
  size_t renderQuery(std::span<char> out) const noexcept;
  /// {"k":"v",...} into out; returns the length, 0 when it does not fit.
  size_t renderJson(std::span<char> out) const noexcept;

 private:
  struct Entry {
    uint16_t keyOff, keyLen, valueOff, valueLen;
  };
  bool store(std::string_view s, uint16_t& off, uint16_t& len) noexcept;

  Entry entries_[kMaxParams];
  char arena_[kArenaBytes];
  uint16_t count_ = 0;
  uint16_t used_ = 0;
  bool overflowed_ = false;
};

/// `raw` at `scale` decimals as the shortest exact decimal ("1.5", "9000", "-0.01"); returns
/// the length, 0 when `out` is too small or the scale is outside [0, 18].
size_t formatShortestDecimal(int64_t raw, int scale, std::span<char> out) noexcept;

}  // namespace hft::api::shared
