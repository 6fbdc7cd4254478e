#pragma once
// What a scrape sees: plain values copied out of the registry's atomic cells (and produced by
// collectors) on the HTTP thread. PrometheusText renders these; nothing here is shared with a
// hot thread.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hft::common::metrics {

/// The three Prometheus metric types we expose. Explicit values: they name `# TYPE` lines.
enum class MetricType : uint8_t {
  Counter = 0,    ///< monotone total ("_total" by convention)
  Gauge = 1,      ///< a value that goes up and down
  Histogram = 2,  ///< fixed buckets: _bucket{le=...} (cumulative), _sum, _count
};
const char* toString(MetricType t) noexcept;  // "counter", "gauge", "histogram"

/// Label name/value pairs of one series, in the order they are rendered.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// An exact decimal: raw / 10^scale (scale 0..18). Fixed-point prices, PnL, seconds from
/// nanoseconds all render without going through double.
struct Decimal {
  int64_t raw = 0;
  int scale = 0;
};
/// "12.5", "-0.00000001", "3" (trailing zeros and a bare point dropped).
std::string formatDecimal(Decimal d);

struct BucketSnapshot {
  Decimal upper_bound;   ///< `le`; the +Inf bucket is not listed (it is `count`)
  uint64_t cumulative;   ///< observations <= upper_bound
};

struct SeriesSnapshot {
  Labels labels;
  Decimal value;                        ///< counter or gauge
  std::vector<BucketSnapshot> buckets;  ///< histogram only
  Decimal sum;                          ///< histogram only
  uint64_t count = 0;                   ///< histogram only (= the +Inf bucket)
};

struct FamilySnapshot {
  std::string name;
  std::string help;
  MetricType type = MetricType::Gauge;
  std::vector<SeriesSnapshot> series;
};

/// Helpers for collectors (cold): append a series, creating the family on first use.
FamilySnapshot& familyOf(std::vector<FamilySnapshot>& out, const std::string& name, const std::string& help,
                         MetricType type);
void addSample(std::vector<FamilySnapshot>& out, const std::string& name, const std::string& help, MetricType type,
               Labels labels, Decimal value);

}  // namespace hft::common::metrics
