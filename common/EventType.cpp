#include "common/EventType.h"

#include <cstring>

namespace hft::common {

const char* toString(EventType t) noexcept {
  switch (t) {
    case EventType::Invalid: return "Invalid";
    case EventType::Trade: return "Trade";
    case EventType::BestBidOffer: return "BestBidOffer";
    case EventType::BookDelta: return "BookDelta";
    case EventType::BookSnapshot: return "BookSnapshot";
    case EventType::OrderRequest: return "OrderRequest";
    case EventType::ExecutionReport: return "ExecutionReport";
    case EventType::BalanceUpdate: return "BalanceUpdate";
    case EventType::PositionUpdate: return "PositionUpdate";
    case EventType::Heartbeat: return "Heartbeat";
    case EventType::Control: return "Control";
    case EventType::Gap: return "Gap";
    case EventType::Bar: return "Bar";
  }
  return "Unknown";
}

EventType eventTypeFromString(const char* name) noexcept {
  for (uint16_t i = 1; i < kEventTypeCount; ++i) {
    const auto t = static_cast<EventType>(i);
    if (std::strcmp(name, toString(t)) == 0) return t;
  }
  return EventType::Invalid;
}

}  // namespace hft::common
