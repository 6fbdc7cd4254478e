#pragma once
#include <cstdint>

namespace hft::execution_engine::sim {

/// Fee rates of one venue as a fraction * 1e8 (0.1% = 100'000). A fill's fee is
/// notional * rate / 1e8 in the quote asset; a negative maker rate is a rebate (paid to us).
struct VenueFees {
  int64_t maker_fee_e8 = 0;  ///< resting orders that are hit
  int64_t taker_fee_e8 = 0;  ///< orders that take liquidity on arrival (or on a stop trigger)
};

}  // namespace hft::execution_engine::sim
