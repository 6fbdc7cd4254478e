// Binance spot: market data (BinanceGateway) and order entry (BinanceOrderGateway over REST)
// against `exchange_simulator --market spot`.
#include "venues/BinanceCommon.h"
#include "venues/Venues.h"

namespace hft::test::conformance {

ConformanceVenue binanceSpotVenue() {
  ConformanceVenue v = binance::venueFor(api::binance::Market::Spot);
  v.name = "binance_spot";
  v.symbols = {"BTCUSDT"};
  v.unsubscribed_symbol = "ETHUSDT";
  return v;
}

}  // namespace hft::test::conformance
