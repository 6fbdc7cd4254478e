#pragma once
#include <cstdint>

namespace hft::data_store {

/// What an attached process does. Persisted in the registry: explicit values.
enum class ProcessRole : uint32_t {
  Unknown = 0,
  Datafeed = 1,        ///< market-data producer (live gateway or replay)
  StrategyRunner = 2,
  OrderExecutor = 3,
  DataRecorder = 4,
  Backtester = 5,
  Monitor = 6,         ///< read-only tools (bus_monitor, hft-top)
  Benchmark = 7,
};
const char* toString(ProcessRole r) noexcept;

}  // namespace hft::data_store
