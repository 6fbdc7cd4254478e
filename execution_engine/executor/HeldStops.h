#pragma once
// The stop orders the executor holds itself for venues without native stop types (config
// gateways.<venue>.local_stops): a table of fixed capacity, filled on the hot path without
// allocating. One thread (the executor's). See README.md "Stop orders held locally".
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "common/Events.h"

namespace hft::execution_engine::executor {

/// One stop the executor holds. While `triggered_ts` is 0 the venue has not seen it; once the
/// trade price crossed its stop, the child order was sent at `triggered_ts` and the entry stays
/// until the venue's first answer about it (or request_timeout_ms, then it is queried).
struct HeldStop {
  common::OrderRequest request;      ///< the strategy's New as accepted (type, stop_price, price, ids)
  common::TimestampNs triggered_ts;  ///< 0 = held; else when the child order was sent
};
static_assert(std::is_trivially_copyable_v<HeldStop>);

class HeldStops {
 public:
  /// Reserves room for `capacity` stops (cold). The executor passes max_live_orders: every held
  /// stop is a live order of the OrderManager, so a request the OrderManager accepts always fits.
  explicit HeldStops(size_t capacity) { stops_.reserve(capacity); }

  /// The order types held: StopMarket, StopLimit, TakeProfit.
  static constexpr bool isStopType(common::OrderType t) noexcept {
    return t == common::OrderType::StopMarket || t == common::OrderType::StopLimit ||
           t == common::OrderType::TakeProfit;
  }
  /// Does a trade at `price` trigger `r`? Stops (StopMarket, StopLimit): a buy at price >=
  /// stop_price, a sell at price <= stop_price. TakeProfit the other way round: a buy at
  /// price <= stop_price, a sell at price >= stop_price.
  static constexpr bool triggers(const common::OrderRequest& r, int64_t price) noexcept {
    const bool buy = r.side == common::Side::Buy;
    const bool up = r.type == common::OrderType::TakeProfit ? !buy : buy;  // triggers on a rise
    return up ? price >= r.stop_price : price <= r.stop_price;
  }
  /// The order sent to the venue on trigger: StopMarket/TakeProfit -> Market (price 0),
  /// StopLimit -> Limit at the request's price; same ids, quantity and time in force.
  static common::OrderRequest child(const common::OrderRequest& r) noexcept {
    common::OrderRequest c = r;
    c.type = r.type == common::OrderType::StopLimit ? common::OrderType::Limit : common::OrderType::Market;
    if (c.type == common::OrderType::Market) c.price = 0;
    c.stop_price = 0;
    return c;
  }

  /// Adds a held (not yet triggered) stop; false when full (or when its id is held already).
  [[nodiscard]] bool add(const common::OrderRequest& r) noexcept {
    if (stops_.size() == stops_.capacity() || find(r.client_order_id)) return false;
    stops_.push_back({r, 0});
    return true;
  }
  HeldStop* find(common::ClientOrderId id) noexcept {
    for (HeldStop& s : stops_)
      if (s.request.client_order_id == id) return &s;
    return nullptr;
  }
  const HeldStop* find(common::ClientOrderId id) const noexcept {
    for (const HeldStop& s : stops_)
      if (s.request.client_order_id == id) return &s;
    return nullptr;
  }
  /// Held and not yet triggered.
  bool waiting(common::ClientOrderId id) const noexcept {
    const HeldStop* s = find(id);
    return s && s->triggered_ts == 0;
  }
  /// Removes `id` (swap with the last: order is not kept). False when not held.
  bool erase(common::ClientOrderId id) noexcept {
    for (size_t i = 0; i < stops_.size(); ++i)
      if (stops_[i].request.client_order_id == id) {
        stops_[i] = stops_.back();
        stops_.pop_back();
        return true;
      }
    return false;
  }
  void clear() noexcept { stops_.clear(); }

  size_t size() const noexcept { return stops_.size(); }
  size_t capacity() const noexcept { return stops_.capacity(); }
  bool empty() const noexcept { return stops_.empty(); }
  HeldStop& operator[](size_t i) noexcept { return stops_[i]; }
  const HeldStop& operator[](size_t i) const noexcept { return stops_[i]; }

 private:
  std::vector<HeldStop> stops_;  ///< dense; capacity fixed at construction
};

}  // namespace hft::execution_engine::executor
