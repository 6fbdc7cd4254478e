#pragma once
#include "common/EventHeader.h"

namespace hft::common {

/// Liveness of a publisher (64 bytes: one cache line).
///   0 header(48) | 48 pid(u32) | 52 role(u32) | 56 counter
struct Heartbeat {
  static constexpr EventType kType = EventType::Heartbeat;
  EventHeader header;
  uint32_t pid;
  uint32_t role;      ///< data_store::ProcessRole
  uint64_t counter;   ///< increments per heartbeat
};
static_assert(std::is_trivially_copyable_v<Heartbeat> && std::is_standard_layout_v<Heartbeat>);
static_assert(sizeof(Heartbeat) == 64 && alignof(Heartbeat) == 8);

}  // namespace hft::common
