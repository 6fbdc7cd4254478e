#pragma once
// Identifier types shared by every process. Plain integers on the bus (POD), named here so
// that signatures say which id they take.
#include <cstdint>

namespace hft::common {

using InstrumentId = uint32_t;   ///< dense id from the instrument registry; 0 = none
using StrategyId = uint32_t;     ///< configured per strategy_runner; 0 = none / system
using ClientOrderId = uint64_t;  ///< unique across restarts (see execution_engine)
using VenueOrderId = uint64_t;   ///< the venue's numeric order id (0 when unknown)
using TimestampNs = int64_t;     ///< nanoseconds since the Unix epoch (UTC)

/// Venues. Closed enum with explicit values: they are persisted in recordings.
enum class ExchangeId : uint16_t {
  None = 0,
  Binance = 1,         ///< Binance Spot
  BinanceFutures = 2,  ///< Binance USD-M Futures
  Upbit = 3,
  Bithumb = 4,
  Simulated = 100,     ///< the project's own synthetic market (tests, demo)
};

const char* toString(ExchangeId id) noexcept;
/// Parses the lower-case config name ("binance", "binance_futures", ...); None if unknown.
ExchangeId exchangeFromString(const char* name) noexcept;

}  // namespace hft::common
