#pragma once
// The cells a hot thread writes: a counter, a gauge and a fixed-bucket histogram. Each is
// created once by MetricsRegistry (cold) and never moves; the owning thread keeps a reference
// and only does relaxed atomic stores/adds on it, the HTTP thread only loads. Relaxed is
// enough everywhere: each cell is an independent value, and a scrape needs no ordering between
// cells (a histogram's count is derived from its buckets at scrape time, so it always equals
// the +Inf bucket).
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace hft::common::metrics {

class Counter {
 public:
  /// Any thread. A locked add: prefer set() from one owning thread on the hottest paths.
  void add(uint64_t n = 1) noexcept { v_.fetch_add(n, std::memory_order_relaxed); }
  /// The owning thread copies its own plain (monotone) counter here: a plain store on x86.
  void set(uint64_t total) noexcept { v_.store(total, std::memory_order_relaxed); }
  uint64_t value() const noexcept { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

/// Fixed point: the exposed value is raw / 10^scale (scale chosen at registration).
class Gauge {
 public:
  explicit Gauge(int scale = 0) noexcept : scale_(scale) {}
  void set(int64_t raw) noexcept { v_.store(raw, std::memory_order_relaxed); }
  void add(int64_t raw) noexcept { v_.fetch_add(raw, std::memory_order_relaxed); }
  int64_t value() const noexcept { return v_.load(std::memory_order_relaxed); }
  int scale() const noexcept { return scale_; }

 private:
  std::atomic<int64_t> v_{0};
  int scale_;
};

/// Observations are int64 raw units (e.g. ns); upper bounds are in the same units and the
/// exposition divides everything by 10^scale (ns with scale 9 -> seconds).
class Histogram {
 public:
  /// `upperBounds` strictly increasing (checked by the registry); an implicit +Inf bucket follows.
  Histogram(std::vector<int64_t> upperBounds, int scale)
      : bounds_(std::move(upperBounds)), counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)),
        scale_(scale) {}

  /// Any thread; no allocation: a linear scan of the (few) bounds and two relaxed adds.
  void observe(int64_t v) noexcept {
    size_t i = 0;
    while (i < bounds_.size() && v > bounds_[i]) ++i;
    counts_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
  }

  const std::vector<int64_t>& upperBounds() const noexcept { return bounds_; }
  /// Observations in bucket i alone (i == upperBounds().size() is the +Inf overflow bucket).
  uint64_t bucketCount(size_t i) const noexcept { return counts_[i].load(std::memory_order_relaxed); }
  int64_t sum() const noexcept { return sum_.load(std::memory_order_relaxed); }
  int scale() const noexcept { return scale_; }

 private:
  std::vector<int64_t> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<int64_t> sum_{0};
  int scale_;
};

}  // namespace hft::common::metrics
