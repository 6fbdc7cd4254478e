#pragma once
#include "common/EventHeader.h"

namespace hft::common {

enum class ControlCommand : uint16_t {
  StartOfData = 1,      ///< a feed or replay begins (arg = number of instruments)
  EndOfData = 2,        ///< a replay finished: consumers may finish and exit
  KillSwitchOn = 3,     ///< cancel all and block new orders
  KillSwitchOff = 4,
  SnapshotMarker = 5,   ///< a book resync starts here (after reconnect/gap)
  Pause = 6,
  Resume = 7,
};
const char* toString(ControlCommand c) noexcept;

/// Control marker (64 bytes).
///   0 header(48) | 48 command(u16) | 50 pad(u16) | 52 arg(u32) | 56 value
struct Control {
  static constexpr EventType kType = EventType::Control;
  EventHeader header;
  ControlCommand command;
  uint16_t pad;
  uint32_t arg;
  int64_t value;
};
static_assert(std::is_trivially_copyable_v<Control> && std::is_standard_layout_v<Control>);
static_assert(sizeof(Control) == 64 && alignof(Control) == 8);

}  // namespace hft::common
