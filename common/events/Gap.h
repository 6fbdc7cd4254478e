#pragma once
#include "common/EventHeader.h"

namespace hft::common {

enum class GapReason : uint32_t {
  ConsumerLapped = 1,  ///< this consumer was overrun by the producer
  FeedReconnect = 2,   ///< the venue connection dropped; data between is missing
  FeedSequenceGap = 3, ///< venue update ids were not contiguous; book resynced
  RecorderLapped = 4,  ///< the recorder lost bus messages (written into the recording)
  ProducerRestarted = 5, ///< the ring's producer restarted; the consumer reattached to the new ring
};
const char* toString(GapReason r) noexcept;

/// Messages were lost (64 bytes). Never a silent hole: whoever notices a loss says so.
///   0 header(48) | 48 lost_count | 56 reason(u32) | 60 pad
struct Gap {
  static constexpr EventType kType = EventType::Gap;
  /// header.flags: only trades were lost (a separate trade connection dropped); the book
  /// stream is intact and no resync follows. 0 = anything may be lost.
  static constexpr uint32_t kTradesOnly = 1u << 0;
  EventHeader header;  ///< header.sequence: first sequence after the hole
  uint64_t lost_count;
  GapReason reason;
  uint32_t pad;
};
static_assert(std::is_trivially_copyable_v<Gap> && std::is_standard_layout_v<Gap>);
static_assert(sizeof(Gap) == 64 && alignof(Gap) == 8);

}  // namespace hft::common
