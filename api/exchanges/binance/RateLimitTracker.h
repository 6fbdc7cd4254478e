#pragma once
// The venue's request limits, as the venue counts them: the usage it reports in response
// headers (X-MBX-USED-WEIGHT-1M, X-MBX-ORDER-COUNT-10S, -1D, -1M) against the limits of
// exchangeInfo "rateLimits", plus the local count of what was sent since; and the back-off
// a 429 or 418 imposes (Retry-After). Answers "may I send this now?" with the caller's time:
// no clock reads inside, so tests and replays drive it.
//
// Windows: the venue's counters cover fixed intervals aligned on the epoch (a minute counter
// resets on the minute), so a count belongs to the window [now - now % interval, + interval)
// and drops to 0 when a new window starts. Pass venue-aligned times (ServerTimeOffset) for
// exact boundaries. A reported count only raises the estimate within its window: an older
// response arriving late must not lower it, and weight is shared with other processes on the
// same IP, which the header includes and the local count cannot.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/Ids.h"

namespace hft::api::binance {

enum class RateLimitType : uint8_t {
  RequestWeight = 1,  ///< REQUEST_WEIGHT: per IP, reported as X-MBX-USED-WEIGHT-<n><unit>
  Orders = 2,         ///< ORDERS: per account, reported as X-MBX-ORDER-COUNT-<n><unit>
  RawRequests = 3,    ///< RAW_REQUESTS: per IP, not reported: counted locally
};

/// One entry of exchangeInfo "rateLimits".
struct RateLimit {
  RateLimitType type;
  uint32_t intervalSeconds;  ///< intervalNum x SECOND/MINUTE/HOUR/DAY
  int64_t limit;
};

class RateLimitTracker {
 public:
  static constexpr size_t kMaxLimits = 8;

  struct Config {
    uint32_t usablePercent = 90;                        ///< use at most this share of each limit
    common::TimestampNs default429BackoffNs = 60'000'000'000;   ///< 429 without Retry-After
    common::TimestampNs default418BanNs = 120'000'000'000;      ///< 418 without Retry-After (bans start at 2 min)
  };

  enum class Verdict : uint8_t {
    Ok = 0,
    WeightLimit = 1,   ///< the request weight would exceed a REQUEST_WEIGHT window
    OrderLimit = 2,    ///< one more order would exceed an ORDERS window
    RawLimit = 3,      ///< one more request would exceed a RAW_REQUESTS window
    BackedOff = 4,     ///< a 429 asked us to wait
    Banned = 5,        ///< a 418: the IP is banned
  };
  struct Decision {
    Verdict verdict;
    common::TimestampNs retryAtNs;  ///< when it may pass (the window's end, or the back-off's); 0 when Ok
    bool ok() const noexcept { return verdict == Verdict::Ok; }
  };

  /// Throws std::invalid_argument on more than kMaxLimits limits, a zero interval or limit, or
  /// usablePercent outside 1..100 (start-up).
  explicit RateLimitTracker(std::span<const RateLimit> limits);
  RateLimitTracker(std::span<const RateLimit> limits, Config config);

  /// May a request of `weight` that places `orders` orders go out at `nowNs`? Does not count it.
  [[nodiscard]] Decision maySend(uint32_t weight, uint32_t orders, common::TimestampNs nowNs) const noexcept;
  /// A request went out: counts it locally until a response header says better.
  void onSent(uint32_t weight, uint32_t orders, common::TimestampNs nowNs) noexcept;
  /// One response header (name case-insensitive). true when it was a usage header of a limit
  /// we track; usage headers of intervals without a limit, and other headers, are ignored.
  bool onHeader(std::string_view name, std::string_view value, common::TimestampNs nowNs) noexcept;
  /// The response's HTTP status and its Retry-After header ("" when absent): 429 backs off,
  /// 418 bans, until now + Retry-After seconds (or the configured default).
  void onHttpStatus(int status, std::string_view retryAfter, common::TimestampNs nowNs) noexcept;

  /// Current count of the limit of this type and interval (0 when untracked or the window passed).
  int64_t used(RateLimitType type, uint32_t intervalSeconds, common::TimestampNs nowNs) const noexcept;
  common::TimestampNs blockedUntilNs() const noexcept { return blockedUntil_; }

 private:
  struct Counter {
    RateLimit limit;
    int64_t usable;                   ///< limit * usablePercent / 100
    common::TimestampNs windowStart;  ///< start of the window `count` belongs to
    int64_t count;
  };
  int64_t countAt(const Counter& c, common::TimestampNs nowNs) const noexcept;
  common::TimestampNs windowStart(const Counter& c, common::TimestampNs nowNs) const noexcept;

  Config config_;
  Counter counters_[kMaxLimits];
  size_t counterCount_ = 0;
  common::TimestampNs blockedUntil_ = 0;
  bool banned_ = false;  ///< the block is a 418 ban (else a 429 back-off)
};

}  // namespace hft::api::binance
