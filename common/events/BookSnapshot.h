#pragma once
#include "common/EventHeader.h"

namespace hft::common {

struct BookLevel {
  int64_t price;
  int64_t qty;
};
static_assert(std::is_trivially_copyable_v<BookLevel> && sizeof(BookLevel) == 16);

/// Top kDepth levels per side (fixed size, 384 bytes). Bids best (highest) first, asks best
/// (lowest) first; unused entries have qty 0.
///   0 header(48) | 48 last_update_id | 56 bid_count(u16) | 58 ask_count(u16) | 60 pad
///   | 64 bids[10] | 224 asks[10]
struct BookSnapshot {
  static constexpr EventType kType = EventType::BookSnapshot;
  static constexpr uint16_t kDepth = 10;
  EventHeader header;
  uint64_t last_update_id;
  uint16_t bid_count;
  uint16_t ask_count;
  uint32_t pad;
  BookLevel bids[kDepth];
  BookLevel asks[kDepth];
};
static_assert(std::is_trivially_copyable_v<BookSnapshot> && std::is_standard_layout_v<BookSnapshot>);
static_assert(sizeof(BookSnapshot) == 384 && alignof(BookSnapshot) == 8);
static_assert(offsetof(BookSnapshot, bids) == 64 && offsetof(BookSnapshot, asks) == 224);

}  // namespace hft::common
