#pragma once
// A consuming daemon's own view of one ring it reads (RingConsumer): processed, lost to laps,
// and lag (published but not read yet), labelled {ring}. The owning thread calls copy() on its
// idle path; the cells are read by the metrics HTTP thread. Header-only (see
// ProcessRegistryCollector.h).
#include <string>

#include "common/metrics/MetricsRegistry.h"
#include "data_store/RingConsumer.h"

namespace hft::data_store::metrics {

class ConsumerMetrics {
 public:
  /// Cold. `ring`: the ring's name (hft.<bus>.md); `extra`: labels added to every series.
  ConsumerMetrics(common::metrics::MetricsRegistry& reg, const std::string& ring, common::metrics::Labels extra = {}) {
    extra.emplace_back("ring", ring);
    processed_ = &reg.counter("hft_consumer_processed_total", "Messages this process read from the ring", extra);
    lost_ = &reg.counter("hft_consumer_lost_total", "Messages this process lost because the ring lapped it", extra);
    lag_ = &reg.gauge("hft_consumer_lag", "Messages published on the ring that this process has not read yet", extra);
  }

  /// Owning thread, idle path (lag() reads the producer's shared line).
  template <uint32_t SlotBytes>
  void copy(RingConsumer<SlotBytes>& c) noexcept {
    processed_->set(c.processed());
    lost_->set(c.lost());
    lag_->set(static_cast<int64_t>(c.subscriber().lag()));
  }

 private:
  common::metrics::Counter* processed_;
  common::metrics::Counter* lost_;
  common::metrics::Gauge* lag_;
};

}  // namespace hft::data_store::metrics
