#pragma once
// The whole event family. Include this to get every bus event type.
#include <algorithm>
#include <cstring>

#include "common/EventHeader.h"
#include "common/events/BalanceUpdate.h"
#include "common/events/Bar.h"
#include "common/events/BestBidOffer.h"
#include "common/events/BookDelta.h"
#include "common/events/BookSnapshot.h"
#include "common/events/Control.h"
#include "common/events/ExecutionReport.h"
#include "common/events/Gap.h"
#include "common/events/Heartbeat.h"
#include "common/events/OrderRequest.h"
#include "common/events/PositionUpdate.h"
#include "common/events/Trade.h"

namespace hft::common {

/// Largest event of the family; a ring slot must hold it.
inline constexpr size_t kMaxEventSize =
    std::max({sizeof(Trade), sizeof(BestBidOffer), sizeof(BookDelta), sizeof(BookSnapshot),
              sizeof(OrderRequest), sizeof(ExecutionReport), sizeof(BalanceUpdate),
              sizeof(PositionUpdate), sizeof(Heartbeat), sizeof(Control), sizeof(Gap), sizeof(Bar)});
static_assert(kMaxEventSize == 464);

/// Expected size of a type: exact for fixed types, the bounds for BookDelta. Used by readers
/// of untrusted bytes (recordings) to reject a corrupt header before touching the payload.
constexpr bool isValidEventSize(EventType t, uint16_t size) noexcept {
  switch (t) {
    case EventType::Trade: return size == sizeof(Trade);
    case EventType::BestBidOffer: return size == sizeof(BestBidOffer);
    case EventType::BookDelta: return size >= BookDelta::kFixedBytes && size <= sizeof(BookDelta) &&
                                      (size - BookDelta::kFixedBytes) % sizeof(PriceLevelUpdate) == 0;
    case EventType::BookSnapshot: return size == sizeof(BookSnapshot);
    case EventType::OrderRequest: return size == sizeof(OrderRequest);
    case EventType::ExecutionReport: return size == sizeof(ExecutionReport);
    case EventType::BalanceUpdate: return size == sizeof(BalanceUpdate);
    case EventType::PositionUpdate: return size == sizeof(PositionUpdate);
    case EventType::Heartbeat: return size == sizeof(Heartbeat);
    case EventType::Control: return size == sizeof(Control);
    case EventType::Gap: return size == sizeof(Gap);
    case EventType::Bar: return size == sizeof(Bar);
    case EventType::Invalid: return false;
  }
  return false;
}

/// An event of any type, as bytes big enough for the largest; what a consumer copies into.
struct alignas(8) EventBuffer {
  unsigned char bytes[kMaxEventSize];
  const EventHeader& header() const noexcept { return *reinterpret_cast<const EventHeader*>(bytes); }
  EventHeader& header() noexcept { return *reinterpret_cast<EventHeader*>(bytes); }
  template <class E>
  const E& as() const noexcept { return *reinterpret_cast<const E*>(bytes); }
  template <class E>
  E& as() noexcept { return *reinterpret_cast<E*>(bytes); }
};
static_assert(std::is_trivially_copyable_v<EventBuffer> && sizeof(EventBuffer) == kMaxEventSize);

/// Copies a fixed-size asset code ("USDT") into a NUL-padded char[8].
inline void setAsset(char (&dst)[8], const char* src) noexcept {
  std::memset(dst, 0, sizeof dst);
  std::strncpy(dst, src, sizeof dst);
}

}  // namespace hft::common
