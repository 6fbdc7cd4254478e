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

/// Venues, by wire id (persisted in recordings: a value is never reused). The built-in venues
/// are named here; a new venue takes an id from its config/exchanges/<venue>.json
/// ("exchange_id"), registered at start-up (registerExchange), and is an ExchangeId of that value.
enum class ExchangeId : uint16_t {
  None = 0,
  Binance = 1,         ///< Binance Spot
  BinanceFutures = 2,  ///< Binance USD-M Futures
  Upbit = 3,
  Bithumb = 4,
  Simulated = 100,     ///< the project's own synthetic market (tests, demo)
};

/// The config name ("binance"); a registered venue's name; "unknown" otherwise.
const char* toString(ExchangeId id) noexcept;
/// Parses the lower-case config name ("binance", "binance_futures", ...) of a built-in or
/// registered venue; None if unknown.
ExchangeId exchangeFromString(const char* name) noexcept;

/// Why registerExchange refused.
enum class RegisterExchangeError : uint8_t { None = 0, IdTaken, NameTaken, BadName, BadId, TableFull };
/// Adds a venue that is not built in: a new exchange's wire id (persisted in recordings, so
/// never reused) and config name, from its config/exchanges/<venue>.json "exchange_id"
/// (config::registerExchangeFiles). Registering the same id with the same name again is a no-op
/// (every process reads the files). Start-up only: not thread-safe against readers.
RegisterExchangeError registerExchange(ExchangeId id, const char* name) noexcept;

}  // namespace hft::common
