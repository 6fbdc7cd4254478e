#pragma once
#include <cstdint>

#include "common/Ids.h"

namespace hft::api::binance {

/// Which Binance market a message belongs to. The two share symbols ("BTCUSDT") and most
/// payload shapes, so the parser tells them apart by content (see MarketDataParser.h).
enum class Market : uint8_t {
  Spot = 1,  ///< Binance Spot: ExchangeId::Binance
  UsdM = 2,  ///< Binance USD-M futures: ExchangeId::BinanceFutures
};

constexpr common::ExchangeId exchangeOf(Market m) noexcept {
  return m == Market::Spot ? common::ExchangeId::Binance : common::ExchangeId::BinanceFutures;
}

constexpr const char* toString(Market m) noexcept { return m == Market::Spot ? "spot" : "usdm"; }

}  // namespace hft::api::binance
