#pragma once
// Upbit's rate-limit header and a small tracker over it.
//
//   Remaining-Req: group=default; min=1800; sec=29
//
// `group` names the limit group the request counted against (default, order, order-test,
// market, candles, ...); `sec` is how many more requests that group allows in the current
// second; `min` is kept by the venue for compatibility (the docs describe it as no longer
// meaningful - not verified first-hand here). 429 = too many requests: wait; 418 = blocked for
// a while (the body says how long - not parsed here). Bithumb's REST limits could not be read
// (exchange-samples/bithumb/NOTES.md); whether it sends this header is unverified.
//
// The tracker answers "may I send to this group now?" with the caller's time (no clock
// reads): a group whose last header said sec=0 is closed until the next whole second; a 429
// closes every group for a back-off. Fixed storage, no allocation, not thread-safe.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/Ids.h"

namespace hft::api::upbit {

struct RemainingReq {
  std::string_view group;  ///< view into the header value
  int64_t min = -1;        ///< -1 when absent
  int64_t sec = -1;        ///< -1 when absent
};

enum class HeaderStatus : uint8_t {
  Ok = 0,
  MissingGroup = 1,  ///< no group=
  MissingSec = 2,    ///< no sec= (the value we act on)
  BadNumber = 3,     ///< min= or sec= not a non-negative integer
  BadSyntax = 4,     ///< an item without '=' or an empty key
};
const char* toString(HeaderStatus s) noexcept;

/// Parses the header value; `errorOffset` is the byte offset of the failing item.
[[nodiscard]] HeaderStatus parseRemainingReq(std::string_view value, RemainingReq& out, size_t& errorOffset) noexcept;

class RemainingReqTracker {
 public:
  static constexpr size_t kMaxGroups = 16;
  static constexpr size_t kMaxGroupName = 24;
  static constexpr common::TimestampNs kDefault429BackoffNs = 1'000'000'000;  ///< 1 s, then the header rules again

  /// One response's Remaining-Req value at `nowNs`. false when it does not parse (nothing changes).
  bool onHeader(std::string_view value, common::TimestampNs nowNs) noexcept;
  /// The response status: 429 closes everything for `backoffNs`, 418 for `blockNs` (from the body).
  void onHttpStatus(int status, common::TimestampNs nowNs, common::TimestampNs backoffNs = kDefault429BackoffNs) noexcept;

  /// true when a request to `group` may go at `nowNs`: not blocked, and the group's last
  /// header (if any in this second) left sec > 0. Unknown groups may send.
  [[nodiscard]] bool maySend(std::string_view group, common::TimestampNs nowNs) const noexcept;
  /// A request to `group` went out: counts it against the remaining budget of this second.
  void onSent(std::string_view group, common::TimestampNs nowNs) noexcept;
  /// Remaining requests of `group` in the second of `nowNs`; -1 when unknown.
  int64_t remaining(std::string_view group, common::TimestampNs nowNs) const noexcept;
  common::TimestampNs blockedUntilNs() const noexcept { return blockedUntil_; }

 private:
  struct Group {
    char name[kMaxGroupName];
    uint8_t nameLen;
    int64_t second;     ///< the whole second (ns / 1e9) `left` belongs to
    int64_t left;
  };
  Group* find(std::string_view group) noexcept;
  const Group* find(std::string_view group) const noexcept;

  Group groups_[kMaxGroups] = {};
  size_t groupCount_ = 0;
  common::TimestampNs blockedUntil_ = 0;
};

}  // namespace hft::api::upbit
