#include "api/exchanges/binance/RateLimitTracker.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace hft::api::binance {

namespace {

constexpr common::TimestampNs kNsPerSecond = 1'000'000'000;

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

/// Non-negative decimal integer, surrounding blanks allowed; false otherwise.
bool parseCount(std::string_view s, int64_t& out) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

/// "10S" -> 10, "1M" -> 60, "1H" -> 3600, "1D" -> 86400 (unit letter in either case); 0 if bad.
uint32_t suffixSeconds(std::string_view s) noexcept {
  if (s.size() < 2) return 0;
  int64_t n = 0;
  if (!parseCount(s.substr(0, s.size() - 1), n) || n <= 0 || n > 1'000'000) return 0;
  switch (s.back()) {
    case 's': case 'S': return static_cast<uint32_t>(n);
    case 'm': case 'M': return static_cast<uint32_t>(n * 60);
    case 'h': case 'H': return static_cast<uint32_t>(n * 3600);
    case 'd': case 'D': return static_cast<uint32_t>(n * 86400);
    default: return 0;
  }
}

}  // namespace

RateLimitTracker::RateLimitTracker(std::span<const RateLimit> limits) : RateLimitTracker(limits, Config{}) {}

RateLimitTracker::RateLimitTracker(std::span<const RateLimit> limits, Config config) : config_(config) {
  if (limits.size() > kMaxLimits)
    throw std::invalid_argument("RateLimitTracker: " + std::to_string(limits.size()) + " limits, at most " +
                                std::to_string(kMaxLimits));
  if (config.usablePercent == 0 || config.usablePercent > 100)
    throw std::invalid_argument("RateLimitTracker: usablePercent must be 1..100");
  for (const RateLimit& l : limits) {
    if (l.intervalSeconds == 0 || l.limit <= 0)
      throw std::invalid_argument("RateLimitTracker: a limit needs a positive interval and limit");
    const int64_t usable = std::max<int64_t>(1, l.limit * config.usablePercent / 100);
    counters_[counterCount_++] = Counter{l, usable, 0, 0};
  }
}

common::TimestampNs RateLimitTracker::windowStart(const Counter& c, common::TimestampNs nowNs) const noexcept {
  const common::TimestampNs len = static_cast<common::TimestampNs>(c.limit.intervalSeconds) * kNsPerSecond;
  common::TimestampNs r = nowNs % len;
  if (r < 0) r += len;  // floor, for times before the epoch (tests)
  return nowNs - r;
}

int64_t RateLimitTracker::countAt(const Counter& c, common::TimestampNs nowNs) const noexcept {
  return c.windowStart == windowStart(c, nowNs) ? c.count : 0;
}

RateLimitTracker::Decision RateLimitTracker::maySend(uint32_t weight, uint32_t orders,
                                                     common::TimestampNs nowNs) const noexcept {
  if (nowNs < blockedUntil_) return {banned_ ? Verdict::Banned : Verdict::BackedOff, blockedUntil_};
  Decision d{Verdict::Ok, 0};
  for (size_t i = 0; i < counterCount_; ++i) {
    const Counter& c = counters_[i];
    const int64_t add = c.limit.type == RateLimitType::RequestWeight ? weight
                        : c.limit.type == RateLimitType::Orders      ? orders
                                                                     : 1;
    if (add == 0 || countAt(c, nowNs) + add <= c.usable) continue;
    const common::TimestampNs retry =
        windowStart(c, nowNs) + static_cast<common::TimestampNs>(c.limit.intervalSeconds) * kNsPerSecond;
    if (d.verdict == Verdict::Ok)
      d.verdict = c.limit.type == RateLimitType::RequestWeight ? Verdict::WeightLimit
                  : c.limit.type == RateLimitType::Orders      ? Verdict::OrderLimit
                                                               : Verdict::RawLimit;
    d.retryAtNs = std::max(d.retryAtNs, retry);  // every exhausted window must have reset
  }
  return d;
}

void RateLimitTracker::onSent(uint32_t weight, uint32_t orders, common::TimestampNs nowNs) noexcept {
  for (size_t i = 0; i < counterCount_; ++i) {
    Counter& c = counters_[i];
    const int64_t add = c.limit.type == RateLimitType::RequestWeight ? weight
                        : c.limit.type == RateLimitType::Orders      ? orders
                                                                     : 1;
    const common::TimestampNs start = windowStart(c, nowNs);
    if (c.windowStart != start) {
      if (start < c.windowStart) continue;  // a send stamped before the current window: already counted
      c.windowStart = start;
      c.count = 0;
    }
    c.count += add;
  }
}

bool RateLimitTracker::onHeader(std::string_view name, std::string_view value, common::TimestampNs nowNs) noexcept {
  static constexpr std::string_view kWeight = "x-mbx-used-weight-", kOrders = "x-mbx-order-count-";
  RateLimitType type;
  if (name.size() > kWeight.size() && equalsIgnoreCase(name.substr(0, kWeight.size()), kWeight))
    type = RateLimitType::RequestWeight;
  else if (name.size() > kOrders.size() && equalsIgnoreCase(name.substr(0, kOrders.size()), kOrders))
    type = RateLimitType::Orders;
  else
    return false;
  const uint32_t seconds = suffixSeconds(name.substr(kWeight.size()));  // both prefixes are 18 chars
  int64_t count = 0;
  if (seconds == 0 || !parseCount(value, count)) return false;
  for (size_t i = 0; i < counterCount_; ++i) {
    Counter& c = counters_[i];
    if (c.limit.type != type || c.limit.intervalSeconds != seconds) continue;
    const common::TimestampNs start = windowStart(c, nowNs);
    if (start < c.windowStart) return true;  // a late response about a window already gone
    if (start != c.windowStart) {
      c.windowStart = start;
      c.count = 0;
    }
    c.count = std::max(c.count, count);
    return true;
  }
  return false;
}

void RateLimitTracker::onHttpStatus(int status, std::string_view retryAfter, common::TimestampNs nowNs) noexcept {
  if (status != 429 && status != 418) return;
  int64_t seconds = 0;
  const bool given = parseCount(retryAfter, seconds);
  const common::TimestampNs wait = given ? seconds * kNsPerSecond
                                         : (status == 418 ? config_.default418BanNs : config_.default429BackoffNs);
  const common::TimestampNs until = nowNs + wait;
  if (status == 418) banned_ = true;
  else if (nowNs >= blockedUntil_) banned_ = false;  // a fresh back-off, not inside a ban
  blockedUntil_ = std::max(blockedUntil_, until);
}

int64_t RateLimitTracker::used(RateLimitType type, uint32_t intervalSeconds, common::TimestampNs nowNs) const noexcept {
  for (size_t i = 0; i < counterCount_; ++i) {
    const Counter& c = counters_[i];
    if (c.limit.type == type && c.limit.intervalSeconds == intervalSeconds) return countAt(c, nowNs);
  }
  return 0;
}

}  // namespace hft::api::binance
