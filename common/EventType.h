#pragma once
#include <cstdint>

namespace hft::common {

/// Bump when any event layout changes. Shared-memory rings and recordings carry it; a reader
/// refuses another version with a message naming both.
inline constexpr uint16_t kSchemaVersion = 1;

/// Every event type on the bus. Persisted in recordings: never renumber, only append.
enum class EventType : uint16_t {
  Invalid = 0,
  Trade = 1,            ///< one public trade
  BestBidOffer = 2,     ///< top of book
  BookDelta = 3,        ///< batch of price-level changes (qty 0 = level removed)
  BookSnapshot = 4,     ///< top N levels per side, replaces the book's top
  OrderRequest = 5,     ///< strategy -> executor: new / cancel / modify
  ExecutionReport = 6,  ///< executor (or backtester) -> strategies
  BalanceUpdate = 7,    ///< account balance of one asset on one venue
  PositionUpdate = 8,   ///< position of one strategy in one instrument
  Heartbeat = 9,        ///< liveness of a publisher
  Control = 10,         ///< start/stop/kill-switch/end-of-data markers
  Gap = 11,             ///< messages were lost (lapped consumer, feed reconnect)
  Bar = 12,             ///< OHLCV bar (kline) as published by the venue
};
inline constexpr uint16_t kEventTypeCount = 13;

const char* toString(EventType t) noexcept;
/// Parses the name printed by toString ("Trade", "BookDelta", ...); Invalid if unknown.
EventType eventTypeFromString(const char* name) noexcept;

}  // namespace hft::common
