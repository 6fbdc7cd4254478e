#pragma once
// Upbit-style request limits per group and second (the `Remaining-Req: group=<g>; min=<m>; sec=<s>`
// header): `order` (POST /v1/orders, DELETE /v1/order) 8 per second, `default` (the other private
// endpoints) 30 per second, counted in whole wall-clock seconds (and minutes, for `min`). The
// caller passes the time: no clock inside.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/Ids.h"

namespace hft::execution_engine::exchange_sim {

class GroupRateLimiter {
 public:
  struct Limit {
    uint32_t per_second = 0;
  };
  /// Groups and their per-second limits; min = 60 x per_second.
  GroupRateLimiter();

  /// Counts a request to `group` at `nowNs`; false when the group's second is full (429: the
  /// request is not counted). Unknown groups are admitted and not counted.
  bool admit(std::string_view group, common::TimestampNs nowNs);
  /// The Remaining-Req value after the request ("group=order; min=479; sec=7").
  std::string header(std::string_view group, common::TimestampNs nowNs) const;
  void setLimit(const std::string& group, uint32_t perSecond) { groups_[group].limit = perSecond; }
  /// Each group's limit and count in the second of `nowNs`, for /sim/state: the Binance profile's
  /// rate_limits shape ({"rateLimitType","interval","intervalNum","limit","count"}) plus "group".
  std::string stateJson(common::TimestampNs nowNs) const;

 private:
  struct Group {
    uint32_t limit = 0;
    int64_t second = -1, minute = -1;
    uint32_t inSecond = 0, inMinute = 0;
  };
  std::map<std::string, Group, std::less<>> groups_;
};

}  // namespace hft::execution_engine::exchange_sim
