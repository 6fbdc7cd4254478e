// Binance USD-M futures: market data (BinanceGateway: /public and /market connections) and
// order entry (BinanceOrderGateway over REST, listenKey user stream) against
// `exchange_simulator --market usdm`.
#include "venues/BinanceCommon.h"
#include "venues/Venues.h"

namespace hft::test::conformance {

ConformanceVenue binanceUsdmVenue() {
  ConformanceVenue v = binance::venueFor(api::binance::Market::UsdM);
  v.name = "binance_usdm";
  v.symbols = {"BTCUSDT"};
  v.unsubscribed_symbol = "ETHUSDT";
  v.pushes_balance_split = false;  // ACCOUNT_UPDATE: wallet balance only
  return v;
}

}  // namespace hft::test::conformance
