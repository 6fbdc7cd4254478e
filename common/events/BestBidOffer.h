#pragma once
#include "common/EventHeader.h"

namespace hft::common {

/// Top of book (88 bytes).
///   0 header(48) | 48 bid_price | 56 bid_qty | 64 ask_price | 72 ask_qty | 80 update_id
struct BestBidOffer {
  static constexpr EventType kType = EventType::BestBidOffer;
  EventHeader header;
  int64_t bid_price;
  int64_t bid_qty;     ///< 0 when the side is empty
  int64_t ask_price;
  int64_t ask_qty;
  uint64_t update_id;  ///< venue book update id this quote belongs to (0 if none)
};
static_assert(std::is_trivially_copyable_v<BestBidOffer> && std::is_standard_layout_v<BestBidOffer>);
static_assert(sizeof(BestBidOffer) == 88 && alignof(BestBidOffer) == 8);
static_assert(offsetof(BestBidOffer, bid_price) == 48 && offsetof(BestBidOffer, update_id) == 80);

}  // namespace hft::common
