#pragma once
#include <cstdint>
#include <string_view>

namespace hft::execution_engine::sim {

/// Who a cancellation at our price level is assumed to come from, when the book shows the
/// level's displayed quantity falling by more than the trades at that price explain. See
/// README.md ("Queue position") for the exact arithmetic.
enum class QueueModel : uint8_t {
  Pessimistic = 0,   ///< every cancellation was behind us: the queue ahead does not move
  Proportional = 1,  ///< cancellations are spread evenly over the level: ahead shrinks by its share
  Optimistic = 2,    ///< every cancellation was ahead of us (until nothing is left ahead)
};

/// "pessimistic", "proportional", "optimistic".
const char* toString(QueueModel m) noexcept;
/// Parses the name printed by toString; false when unknown.
[[nodiscard]] bool queueModelFromString(std::string_view name, QueueModel& out) noexcept;

}  // namespace hft::execution_engine::sim
