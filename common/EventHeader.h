#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "common/EventType.h"
#include "common/Ids.h"

namespace hft::common {

/// Common header of every bus event (48 bytes).
///
///   0        8    10   12   14   16       20       24               32               40        48
///   +--------+----+----+----+----+--------+--------+----------------+----------------+---------+
///   |sequence|type|size|schv|exch|instr id| flags  | exchange_ts_ns | receive_ts_ns  |publish_ts|
///   +--------+----+----+----+----+--------+--------+----------------+----------------+---------+
///
/// `sequence` is owned by the ring that carries the event: the publisher stamps it, and
/// the ring uses the same word as its per-slot sequence, so the word a consumer spins on
/// shares a cache line with the payload. It is 1-based and gap-free per ring.
/// `size` is the whole event in bytes (header included); payloads with a variable number
/// of entries (BookDelta) use less than sizeof.
struct EventHeader {
  uint64_t sequence;
  EventType type;
  uint16_t size;
  uint16_t schema_version;
  ExchangeId exchange_id;
  InstrumentId instrument_id;
  uint32_t flags;               ///< per-type flags (e.g. BookDelta continuation)
  TimestampNs exchange_ts_ns;   ///< venue's event time (0 when the venue gives none)
  TimestampNs receive_ts_ns;    ///< local time the message was read from the socket/file
  TimestampNs publish_ts_ns;    ///< local time it was published on the bus
};

static_assert(std::is_trivially_copyable_v<EventHeader>);
static_assert(std::is_standard_layout_v<EventHeader>);
static_assert(sizeof(EventHeader) == 48);
static_assert(alignof(EventHeader) == 8);
static_assert(offsetof(EventHeader, sequence) == 0, "the ring's per-slot sequence word");
static_assert(offsetof(EventHeader, exchange_ts_ns) == 24);
static_assert(offsetof(EventHeader, publish_ts_ns) == 40);

/// The time an event is ordered by when merging sources: the venue's time, or the local
/// receive time where the venue gives none (e.g. Binance spot bookTicker).
constexpr TimestampNs eventTime(const EventHeader& e) noexcept {
  return e.exchange_ts_ns ? e.exchange_ts_ns : e.receive_ts_ns;
}

/// Fills the header fields every event needs; sequence and publish time are the publisher's.
template <class E>
constexpr EventHeader makeHeader(ExchangeId exchange, InstrumentId instrument, TimestampNs exchangeTs,
                                 TimestampNs receiveTs, uint16_t size = sizeof(E)) noexcept {
  return EventHeader{0, E::kType, size, kSchemaVersion, exchange, instrument, 0, exchangeTs, receiveTs, 0};
}

}  // namespace hft::common
