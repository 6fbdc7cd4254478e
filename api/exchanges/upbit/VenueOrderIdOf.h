#pragma once
// The venues name orders by UUID text ("cdd92199-2897-4e14-9448-f923320408ad"); the bus carries
// a numeric common::VenueOrderId. This is the one mapping used everywhere (gateway acks, stream
// events, query answers), so the same order always gets the same number: FNV-1a 64 of the text.
// It is an id for logs and matching, not a key the venue understands: cancels and queries go
// by our client order id (or by the uuid string the gateway keeps).
#include <cstdint>
#include <string_view>

#include "common/Ids.h"

namespace hft::api::upbit {

constexpr common::VenueOrderId venueOrderIdOf(std::string_view uuid) noexcept {
  if (uuid.empty()) return 0;
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : uuid) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ull;
  }
  return h == 0 ? 1 : h;  // 0 means "none" on the bus
}

}  // namespace hft::api::upbit
