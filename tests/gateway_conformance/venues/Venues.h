#pragma once
// The venues the conformance kit runs, one descriptor-building function per venue file.
#include <vector>

#include "ConformanceVenue.h"

namespace hft::test::conformance {

ConformanceVenue binanceSpotVenue();
ConformanceVenue binanceUsdmVenue();
ConformanceVenue upbitVenue();
ConformanceVenue bithumbVenue();

/// Every venue above, in this order; the suites instantiate over it (or over those with order entry).
const std::vector<ConformanceVenue>& allVenues();

}  // namespace hft::test::conformance
