#pragma once
// The metrics of one process. Start-up code registers every series (name, help, labels) and
// keeps the returned cell; the hot thread then only touches its cells (Metric.h), never the
// registry. The HTTP thread calls snapshot() to copy every cell out, plus whatever the
// collectors produce (series whose label sets are only known at scrape time, e.g. the
// processes attached to a bus).
//
//   MetricsRegistry reg;
//   Counter& trades = reg.counter("hft_events_published_total", "Events published", {{"type", "Trade"}});
//   ... hot thread: trades.set(localTradeCount);   HTTP thread: render(reg.snapshot())
//
// Threads: registration, addCollector() and snapshot() take a mutex (cold; any thread). Cells
// are stable in memory for the registry's lifetime.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/metrics/Metric.h"
#include "common/metrics/MetricsSnapshot.h"

namespace hft::common::metrics {

class MetricsRegistry {
 public:
  /// Appends families/series to the scrape (HTTP thread, under the registry mutex: must not
  /// call back into the registry). A family with a registered name is merged into it when the
  /// types match and dropped otherwise; a series repeating another's labels is dropped.
  using Collector = std::function<void(std::vector<FamilySnapshot>& out)>;

  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  /// Throws std::invalid_argument on an invalid metric or label name, a name already
  /// registered with another type or help, a label set already registered under that name, or
  /// (histograms) the reserved label `le` or bounds that are not strictly increasing.
  Counter& counter(const std::string& name, const std::string& help, Labels labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, Labels labels = {}, int scale = 0);
  Histogram& histogram(const std::string& name, const std::string& help, Labels labels, std::vector<int64_t> upperBounds,
                       int scale = 0);

  void addCollector(Collector c);

  /// Every registered family in registration order (series in registration order), then the
  /// collectors' output. Values are relaxed loads: each one is a value the cell really held.
  std::vector<FamilySnapshot> snapshot() const;

 private:
  struct Series {
    Labels labels;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
  };
  struct Family {
    std::string name, help;
    MetricType type;
    std::vector<Series> series;
  };
  Series& add(const std::string& name, const std::string& help, MetricType type, Labels& labels);

  mutable std::mutex mutex_;
  std::vector<Family> families_;
  std::vector<Collector> collectors_;
};

/// [a-zA-Z_:][a-zA-Z0-9_:]*
bool isValidMetricName(const std::string& name) noexcept;
/// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved by Prometheus).
bool isValidLabelName(const std::string& name) noexcept;

}  // namespace hft::common::metrics
