#include "managers/ClientOrderIds.h"

namespace hft::managers {

namespace {

constexpr std::string_view kPrefix = "hft-";

/// Appends `v` in decimal at buf[pos]; returns the new position, or 0 when it does not fit.
size_t appendDecimal(uint32_t v, char* buf, size_t pos, size_t len) noexcept {
  char digits[10];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  if (pos + n > len) return 0;
  while (n > 0) buf[pos++] = digits[--n];
  return pos;
}

/// Reads a canonical decimal field (no sign, no leading zero unless it is "0") up to `max`,
/// from text[pos] to the next '-' or the end. Returns false on anything else.
bool readField(std::string_view text, size_t& pos, uint32_t max, uint32_t& out) noexcept {
  const size_t start = pos;
  uint64_t v = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    v = v * 10 + static_cast<uint64_t>(text[pos] - '0');
    if (v > max) return false;
    ++pos;
  }
  const size_t digits = pos - start;
  if (digits == 0 || (digits > 1 && text[start] == '0')) return false;
  out = static_cast<uint32_t>(v);
  return true;
}

}  // namespace

size_t ClientOrderIds::toVenueString(common::ClientOrderId id, char* buf, size_t len) noexcept {
  if (len < kPrefix.size()) return 0;
  size_t pos = 0;
  for (char c : kPrefix) buf[pos++] = c;
  const uint32_t fields[3] = {ownerOf(id), runOf(id), sequenceOf(id)};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (pos >= len) return 0;
      buf[pos++] = '-';
    }
    pos = appendDecimal(fields[i], buf, pos, len);
    if (pos == 0) return 0;
  }
  return pos;
}

std::string ClientOrderIds::toVenueString(common::ClientOrderId id) {
  char buf[kMaxVenueChars];
  return std::string(buf, toVenueString(id, buf, sizeof buf));
}

bool ClientOrderIds::fromVenueString(std::string_view text, common::ClientOrderId& out) noexcept {
  if (text.size() > kMaxVenueChars || text.substr(0, kPrefix.size()) != kPrefix) return false;
  size_t pos = kPrefix.size();
  uint32_t owner = 0, run = 0, sequence = 0;
  if (!readField(text, pos, kMaxStrategy, owner) || pos >= text.size() || text[pos++] != '-') return false;
  if (!readField(text, pos, kRunMask, run) || pos >= text.size() || text[pos++] != '-') return false;
  if (!readField(text, pos, kMaxSequence, sequence) || pos != text.size()) return false;
  out = make(owner, run, sequence);
  return true;
}

}  // namespace hft::managers
