#pragma once
// What Binance spot and USD-M share in their conformance descriptors: the gateways pointed at
// the simulator, the REST depth read, the /sim/state balances and the order prices.
#include "api/exchanges/binance/Market.h"
#include "ConformanceVenue.h"

namespace hft::test::conformance::binance {

/// Fills everything but name / symbols of a Binance descriptor for `market`.
ConformanceVenue venueFor(api::binance::Market market);

}  // namespace hft::test::conformance::binance
