#pragma once
#include <cstdint>

#include "common/Ids.h"
#include "common/Int128.h"
#include "common/OrderEnums.h"
#include "execution_engine/sim/QueuePosition.h"
#include "execution_engine/sim/SimAccount.h"

namespace hft::execution_engine::sim {

/// An order the simulated venue has accepted and still works: resting in a book (Resting) or
/// waiting for its trigger (Held). Lives in SimulatedExchange's order pool.
struct SimOrder {
  enum class State : uint8_t {
    Free = 0,     ///< pool slot unused
    Held = 1,     ///< stop / take-profit waiting for a trade to reach stop_price
    Resting = 2,  ///< limit order in the book (or being executed on arrival)
  };

  common::ClientOrderId client_id = 0;
  common::VenueOrderId venue_id = 0;
  common::StrategyId strategy = 0;
  common::ClientOrderId replaces = 0;  ///< Modify: the order this one replaced (its New report says so)
  common::TimestampNs send_ts = 0;     ///< request_ts_ns of the request that created it
  uint32_t instrument = 0;             ///< index into SimulatedExchange's instrument states
  State state = State::Free;
  common::Side side = common::Side::None;
  common::OrderType type = common::OrderType::Limit;  ///< as requested (reports say this)
  common::TimeInForce tif = common::TimeInForce::GTC;
  bool reduce_only = false;
  int64_t price = 0;  ///< limit price (0 for market types)
  int64_t stop_price = 0;
  int64_t qty = 0;
  int64_t cum_qty = 0;
  common::Int128 cum_px_qty = 0;  ///< sum of price * qty of the fills (for avg_price)

  SimAccount::AssetId reserve_asset = SimAccount::kNone;
  int64_t reserved = 0;  ///< still locked for this order (kAmountScale, in reserve_asset)

  QueuePosition queue;
  int64_t level_before = 0;  ///< our level's displayed qty when the current book batch began

  int64_t leaves() const noexcept { return qty - cum_qty; }
  int64_t avgPrice() const noexcept { return cum_qty ? static_cast<int64_t>(cum_px_qty / cum_qty) : 0; }
  /// Limit orders and triggered stop-limits are priced; the rest execute as market orders.
  bool marketable() const noexcept {
    return type == common::OrderType::Market || type == common::OrderType::StopMarket ||
           type == common::OrderType::TakeProfit;
  }
};

}  // namespace hft::execution_engine::sim
