#pragma once
// Calendar fields of a nanosecond UTC timestamp, for file paths (logs/YYYY/MM/DD, snapshots
// YYYYMMDD-HH) and ISO-8601 text. Pure functions: no clock reads, no time zone but UTC.
#include <cstdint>
#include <string>

#include "common/Ids.h"

namespace hft::execution_engine::journal {

struct UtcTime {
  int year;
  int month;        ///< 1..12
  int day;          ///< 1..31
  int hour;         ///< 0..23
  int minute;
  int second;
  int64_t nanos;    ///< 0..999'999'999
};

/// Splits ts (ns since the Unix epoch, negative allowed) into UTC calendar fields.
UtcTime utcTime(common::TimestampNs ts) noexcept;

/// "2024-05-01T12:34:56.123456789Z" (always nine decimals, so the text sorts as time does).
std::string isoUtc(common::TimestampNs ts);

/// "2024-05-01": the UTC day, as CSV and JSON write it.
std::string isoDate(common::TimestampNs ts);

/// "<root>/logs/2024/05/01": the folder of one UTC day's logs.
std::string dayLogDirectory(const std::string& root, common::TimestampNs ts);

/// Start of the UTC hour that holds ts, in ns (floor, also for negative ts).
common::TimestampNs hourStart(common::TimestampNs ts) noexcept;

}  // namespace hft::execution_engine::journal
