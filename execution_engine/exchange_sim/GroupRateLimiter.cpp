#include "execution_engine/exchange_sim/GroupRateLimiter.h"

namespace hft::execution_engine::exchange_sim {

GroupRateLimiter::GroupRateLimiter() {
  groups_["order"].limit = 8;
  groups_["default"].limit = 30;
}

bool GroupRateLimiter::admit(std::string_view group, common::TimestampNs nowNs) {
  auto it = groups_.find(group);
  if (it == groups_.end()) return true;
  Group& g = it->second;
  const int64_t second = nowNs / 1'000'000'000, minute = second / 60;
  if (g.second != second) g.second = second, g.inSecond = 0;
  if (g.minute != minute) g.minute = minute, g.inMinute = 0;
  if (g.inSecond >= g.limit) return false;
  ++g.inSecond;
  ++g.inMinute;
  return true;
}

std::string GroupRateLimiter::header(std::string_view group, common::TimestampNs nowNs) const {
  uint32_t limit = 0, inSecond = 0, inMinute = 0;
  if (auto it = groups_.find(group); it != groups_.end()) {
    const Group& g = it->second;
    const int64_t second = nowNs / 1'000'000'000;
    limit = g.limit;
    if (g.second == second) inSecond = g.inSecond;
    if (g.minute == second / 60) inMinute = g.inMinute;
  }
  const uint32_t perMinute = 60 * limit;
  std::string out("group=");
  out.append(group)
      .append("; min=")
      .append(std::to_string(perMinute > inMinute ? perMinute - inMinute : 0))
      .append("; sec=")
      .append(std::to_string(limit > inSecond ? limit - inSecond : 0));
  return out;
}

std::string GroupRateLimiter::stateJson(common::TimestampNs nowNs) const {
  const int64_t second = nowNs / 1'000'000'000;
  std::string out("[");
  for (const auto& [name, g] : groups_) {
    if (out.size() > 1) out.push_back(',');
    out.append(R"({"rateLimitType":"REQUESTS","group":")")
        .append(name)
        .append(R"(","interval":"SECOND","intervalNum":1,"limit":)")
        .append(std::to_string(g.limit))
        .append(R"(,"count":)")
        .append(std::to_string(g.second == second ? g.inSecond : 0))
        .append("}");
  }
  out.push_back(']');
  return out;
}

}  // namespace hft::execution_engine::exchange_sim
