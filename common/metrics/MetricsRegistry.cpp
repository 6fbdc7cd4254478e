#include "common/metrics/MetricsRegistry.h"

#include <algorithm>
#include <stdexcept>

namespace hft::common::metrics {

namespace {

bool sameLabelSet(Labels a, Labels b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

std::invalid_argument error(const std::string& name, const char* what) {
  std::string m = "metric ";
  m.append(name).append(": ").append(what);
  return std::invalid_argument(m);
}

}  // namespace

bool isValidMetricName(const std::string& name) noexcept {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool isValidLabelName(const std::string& name) noexcept {
  if (name.empty() || name.rfind("__", 0) == 0) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

MetricsRegistry::Series& MetricsRegistry::add(const std::string& name, const std::string& help, MetricType type,
                                              Labels& labels) {
  if (!isValidMetricName(name)) throw error(name, "invalid metric name");
  for (size_t i = 0; i < labels.size(); ++i) {
    if (!isValidLabelName(labels[i].first)) throw error(name, "invalid label name");
    if (type == MetricType::Histogram && labels[i].first == "le") throw error(name, "label \"le\" is reserved for buckets");
    for (size_t j = 0; j < i; ++j)
      if (labels[j].first == labels[i].first) throw error(name, "label name repeated");
  }
  auto it = std::find_if(families_.begin(), families_.end(), [&](const Family& f) { return f.name == name; });
  if (it == families_.end()) {
    families_.push_back({name, help, type, {}});
    it = families_.end() - 1;
  } else {
    if (it->type != type) throw error(name, "already registered with another type");
    if (it->help != help) throw error(name, "already registered with another help text");
    for (const auto& s : it->series)
      if (sameLabelSet(s.labels, labels)) throw error(name, "series with these labels already registered");
  }
  it->series.push_back({std::move(labels), nullptr, nullptr, nullptr});
  return it->series.back();
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help, Labels labels) {
  std::lock_guard lock(mutex_);
  auto& s = add(name, help, MetricType::Counter, labels);
  s.counter = std::make_unique<Counter>();
  return *s.counter;
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help, Labels labels, int scale) {
  if (scale < 0 || scale > 18) throw error(name, "scale must be 0..18");
  std::lock_guard lock(mutex_);
  auto& s = add(name, help, MetricType::Gauge, labels);
  s.gauge = std::make_unique<Gauge>(scale);
  return *s.gauge;
}

Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help, Labels labels,
                                      std::vector<int64_t> upperBounds, int scale) {
  if (scale < 0 || scale > 18) throw error(name, "scale must be 0..18");
  for (size_t i = 1; i < upperBounds.size(); ++i)
    if (upperBounds[i] <= upperBounds[i - 1]) throw error(name, "bucket bounds must be strictly increasing");
  std::lock_guard lock(mutex_);
  auto& s = add(name, help, MetricType::Histogram, labels);
  s.histogram = std::make_unique<Histogram>(std::move(upperBounds), scale);
  return *s.histogram;
}

void MetricsRegistry::addCollector(Collector c) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(c));
}

std::vector<FamilySnapshot> MetricsRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<FamilySnapshot> out;
  out.reserve(families_.size());
  for (const auto& f : families_) {
    FamilySnapshot fs{f.name, f.help, f.type, {}};
    fs.series.reserve(f.series.size());
    for (const auto& s : f.series) {
      SeriesSnapshot ss;
      ss.labels = s.labels;
      if (s.counter) ss.value = {static_cast<int64_t>(s.counter->value()), 0};
      if (s.gauge) ss.value = {s.gauge->value(), s.gauge->scale()};
      if (s.histogram) {
        const auto& h = *s.histogram;
        // Count = the sum of the buckets as read now, so _count always equals the +Inf bucket
        // even while a writer is observing.
        uint64_t cumulative = 0;
        for (size_t i = 0; i < h.upperBounds().size(); ++i) {
          cumulative += h.bucketCount(i);
          ss.buckets.push_back({{h.upperBounds()[i], h.scale()}, cumulative});
        }
        ss.count = cumulative + h.bucketCount(h.upperBounds().size());
        ss.sum = {h.sum(), h.scale()};
      }
      fs.series.push_back(std::move(ss));
    }
    out.push_back(std::move(fs));
  }
  std::vector<FamilySnapshot> extra;
  for (const auto& c : collectors_) c(extra);
  for (auto& f : extra) {
    auto it = std::find_if(out.begin(), out.end(), [&](const FamilySnapshot& o) { return o.name == f.name; });
    if (it == out.end()) {
      out.push_back(std::move(f));
    } else if (it->type == f.type) {
      for (auto& s : f.series) it->series.push_back(std::move(s));
    }
    // else: a collector clashing with a registered family of another type is dropped
  }
  return out;
}

}  // namespace hft::common::metrics
