#include "api/exchanges/shared/QueryParams.h"

#include <cstring>

#include "common/FixedPoint.h"

namespace hft::api::shared {

namespace {

bool urlSafe(char c, bool key) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || (key && (c == '[' || c == ']'));
}

bool allSafe(std::string_view s, bool key) noexcept {
  for (char c : s)
    if (!urlSafe(c, key)) return false;
  return true;
}

struct Out {
  std::span<char> buf;
  size_t n = 0;
  bool overflow = false;
  void put(std::string_view s) noexcept {
    if (overflow || s.size() > buf.size() - n) {
      overflow = true;
      return;
    }
    std::memcpy(buf.data() + n, s.data(), s.size());
    n += s.size();
  }
};

}  // namespace

bool QueryParams::store(std::string_view s, uint16_t& off, uint16_t& len) noexcept {
  if (s.size() > kArenaBytes - used_) return false;
  std::memcpy(arena_ + used_, s.data(), s.size());
  off = used_;
  len = static_cast<uint16_t>(s.size());
  used_ = static_cast<uint16_t>(used_ + s.size());
  return true;
}

bool QueryParams::add(std::string_view key, std::string_view value) noexcept {
  if (overflowed_ || count_ == kMaxParams || key.empty() || !allSafe(key, true) || !allSafe(value, false)) {
    overflowed_ = true;
    return false;
  }
  Entry& e = entries_[count_];
  if (!store(key, e.keyOff, e.keyLen) || !store(value, e.valueOff, e.valueLen)) {
    overflowed_ = true;
    return false;
  }
  ++count_;
  return true;
}

bool QueryParams::addUint(std::string_view key, uint64_t value) noexcept {
  char buf[24];
  size_t n = 0;
  do {
    buf[sizeof buf - 1 - n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  return add(key, {buf + sizeof buf - n, n});
}

bool QueryParams::addDecimal(std::string_view key, int64_t raw, int scale) noexcept {
  char buf[48];
  const size_t n = formatShortestDecimal(raw, scale, buf);
  if (n == 0) {
    overflowed_ = true;
    return false;
  }
  return add(key, {buf, n});
}

std::string_view QueryParams::find(std::string_view key) const noexcept {
  for (size_t i = 0; i < count_; ++i)
    if (this->key(i) == key) return value(i);
  return {};
}

size_t QueryParams::renderQuery(std::span<char> out) const noexcept {
  Out o{out};
  for (size_t i = 0; i < count_; ++i) {
    if (i > 0) o.put("&");
    o.put(key(i));
    o.put("=");
    o.put(value(i));
  }
  return o.overflow ? 0 : o.n;
}

size_t QueryParams::renderJson(std::span<char> out) const noexcept {
  // Keys and values are URL-safe (checked in add()), so none needs JSON escaping.
  Out o{out};
  o.put("{");
  for (size_t i = 0; i < count_; ++i) {
    if (i > 0) o.put(",");
    o.put("\"");
    o.put(key(i));
    o.put("\":\"");
    o.put(value(i));
    o.put("\"");
  }
  o.put("}");
  return o.overflow ? 0 : o.n;
}

size_t formatShortestDecimal(int64_t raw, int scale, std::span<char> out) noexcept {
  char buf[48];
  size_t n = common::formatDecimal(raw, scale, buf, sizeof buf);
  if (n == 0) return 0;
  if (scale > 0) {  // formatDecimal writes every decimal of the scale; the venue wants the shortest
    while (buf[n - 1] == '0') --n;
    if (buf[n - 1] == '.') --n;
  }
  if (n > out.size()) return 0;
  std::memcpy(out.data(), buf, n);
  return n;
}

}  // namespace hft::api::shared
