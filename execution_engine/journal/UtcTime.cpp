#include "execution_engine/journal/UtcTime.h"

#include <cstdio>

namespace hft::execution_engine::journal {
namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr int64_t kSecondsPerDay = 86'400;

int64_t floorDiv(int64_t a, int64_t b) noexcept { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/// Days since 1970-01-01 -> civil date (Howard Hinnant's days_from_civil inverse; exact for
/// every int64 day count that matters here, no time-zone database).
void civilFromDays(int64_t z, int& y, int& m, int& d) noexcept {
  z += 719468;
  const int64_t era = floorDiv(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

}  // namespace

UtcTime utcTime(common::TimestampNs ts) noexcept {
  const int64_t secs = floorDiv(ts, kNsPerSecond);
  const int64_t days = floorDiv(secs, kSecondsPerDay);
  const int64_t sod = secs - days * kSecondsPerDay;
  UtcTime t{};
  civilFromDays(days, t.year, t.month, t.day);
  t.hour = static_cast<int>(sod / 3600);
  t.minute = static_cast<int>(sod % 3600 / 60);
  t.second = static_cast<int>(sod % 60);
  t.nanos = ts - secs * kNsPerSecond;
  return t;
}

std::string isoUtc(common::TimestampNs ts) {
  const UtcTime t = utcTime(ts);
  char s[48];
  std::snprintf(s, sizeof s, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", t.year, t.month, t.day, t.hour, t.minute,
                t.second, static_cast<long long>(t.nanos));
  return s;
}

std::string isoDate(common::TimestampNs ts) {
  const UtcTime t = utcTime(ts);
  char s[24];
  std::snprintf(s, sizeof s, "%04d-%02d-%02d", t.year, t.month, t.day);
  return s;
}

std::string dayLogDirectory(const std::string& root, common::TimestampNs ts) {
  const UtcTime t = utcTime(ts);
  char s[32];
  std::snprintf(s, sizeof s, "/logs/%04d/%02d/%02d", t.year, t.month, t.day);
  std::string dir = root;
  dir.append(s);
  return dir;
}

common::TimestampNs hourStart(common::TimestampNs ts) noexcept {
  constexpr int64_t kNsPerHour = 3600 * kNsPerSecond;
  return floorDiv(ts, kNsPerHour) * kNsPerHour;
}

}  // namespace hft::execution_engine::journal
