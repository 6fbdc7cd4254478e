#include "venues/Venues.h"

namespace hft::test::conformance {

const std::vector<ConformanceVenue>& allVenues() {
  static const std::vector<ConformanceVenue> venues{
      binanceSpotVenue(),
      binanceUsdmVenue(),
      upbitVenue(),
      bithumbVenue(),
  };
  return venues;
}

}  // namespace hft::test::conformance
