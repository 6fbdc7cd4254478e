#pragma once
#include "common/EventHeader.h"

namespace hft::common {

/// Balance of one asset on one venue (88 bytes); amounts at kAmountScale (ExecutionReport.h).
///   0 header(48) | 48 asset[8] | 56 free | 64 locked | 72 delta | 80 reserved
struct BalanceUpdate {
  static constexpr EventType kType = EventType::BalanceUpdate;
  EventHeader header;
  char asset[8];    ///< NUL-padded asset code
  int64_t free;
  int64_t locked;
  int64_t delta;    ///< change that caused this update (0 for a full refresh)
  uint64_t reserved;
};
static_assert(std::is_trivially_copyable_v<BalanceUpdate> && std::is_standard_layout_v<BalanceUpdate>);
static_assert(sizeof(BalanceUpdate) == 88 && alignof(BalanceUpdate) == 8);
static_assert(offsetof(BalanceUpdate, asset) == 48 && offsetof(BalanceUpdate, delta) == 72);

}  // namespace hft::common
