#pragma once
#include "common/EventHeader.h"
#include "common/OrderEnums.h"

namespace hft::common {

/// One price-level change: the level's new total quantity (0 = level removed).
struct PriceLevelUpdate {
  int64_t price;
  int64_t qty;
  Side side;
  uint8_t pad[7];
};
static_assert(std::is_trivially_copyable_v<PriceLevelUpdate> && sizeof(PriceLevelUpdate) == 24);

/// A batch of price-level updates (variable size: header.size = kFixedBytes + count * 24).
/// A venue message with more levels than kMaxLevels is split into several BookDelta events
/// with the same update ids; all but the last carry kContinuation, so a book consumer can
/// apply the batch atomically (publish derived data only after the last piece).
///
///   0 header(48) | 48 first_update_id | 56 last_update_id | 64 prev_update_id
///   | 72 count(u16) | 74 flags(u16) | 76 pad(u32) | 80 levels[count] (24 bytes each)
struct BookDelta {
  static constexpr EventType kType = EventType::BookDelta;
  static constexpr uint16_t kMaxLevels = 16;
  static constexpr uint16_t kContinuation = 1;  ///< more pieces of the same update follow
  static constexpr uint16_t kClearBook = 2;     ///< drop the book before applying (start of a snapshot)
  static constexpr uint16_t kFromSnapshot = 4;  ///< levels come from a REST snapshot, not a diff
  EventHeader header;
  uint64_t first_update_id;  ///< Binance U
  uint64_t last_update_id;   ///< Binance u
  uint64_t prev_update_id;   ///< Binance futures pu (0 when the venue has none)
  uint16_t count;
  uint16_t flags;
  uint32_t pad;
  PriceLevelUpdate levels[kMaxLevels];

  static constexpr uint16_t kFixedBytes = 80;
  static constexpr uint16_t sizeFor(uint16_t n) noexcept {
    return static_cast<uint16_t>(kFixedBytes + n * sizeof(PriceLevelUpdate));
  }
};
static_assert(std::is_trivially_copyable_v<BookDelta> && std::is_standard_layout_v<BookDelta>);
static_assert(offsetof(BookDelta, levels) == BookDelta::kFixedBytes);
static_assert(sizeof(BookDelta) == 80 + 16 * 24 && alignof(BookDelta) == 8);

}  // namespace hft::common
