#pragma once
// The growth step every venue parser shares: a message is copied into a buffer with simdjson's
// padding behind it and parsed by a reused On-Demand parser, and both are grown (cold) when a
// longer message than any before arrives. Header-only: the parsers already link simdjson.
#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>

namespace hft::api::shared {

/// Grows `buf` (capacity `bufCap`, padding included) and `parser` so a message of `len` bytes
/// fits. Doubling keeps growth rare. False when memory ran out.
inline bool reservePadded(std::unique_ptr<char[]>& buf, size_t& bufCap, simdjson::ondemand::parser& parser,
                          size_t len) noexcept {
  if (len + simdjson::SIMDJSON_PADDING > bufCap) {
    const size_t cap = std::max(len, 2 * bufCap) + simdjson::SIMDJSON_PADDING;
    std::unique_ptr<char[]> grown(new (std::nothrow) char[cap]);
    if (!grown) return false;
    buf = std::move(grown);
    bufCap = cap;
  }
  if (parser.capacity() < len) return parser.allocate(std::max(len, 2 * parser.capacity())) == simdjson::SUCCESS;
  return true;
}

}  // namespace hft::api::shared
