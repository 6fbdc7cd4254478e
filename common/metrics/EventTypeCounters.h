#pragma once
// One counter per bus event type, labelled {type="Trade"} etc.: what a daemon published or
// handled. The hot thread counts into a plain array it owns and copies it here now and then
// (copy(), idle path), so the per-event cost stays one increment of a local.
#include <array>
#include <string>

#include "common/EventType.h"
#include "common/metrics/MetricsRegistry.h"

namespace hft::common::metrics {

class EventTypeCounters {
 public:
  /// Cold: registers `name`{type=...} for every event type but Invalid, plus `extra` labels.
  EventTypeCounters(MetricsRegistry& reg, const std::string& name, const std::string& help, const Labels& extra = {}) {
    for (uint16_t t = 1; t < kEventTypeCount; ++t) {
      Labels l = extra;
      l.emplace_back("type", toString(static_cast<EventType>(t)));
      cells_[t] = &reg.counter(name, help, std::move(l));
    }
  }
  /// Owning thread: `counts` indexed by EventType value.
  void copy(const uint64_t (&counts)[kEventTypeCount]) noexcept {
    for (uint16_t t = 1; t < kEventTypeCount; ++t) cells_[t]->set(counts[t]);
  }

 private:
  std::array<Counter*, kEventTypeCount> cells_{};
};

}  // namespace hft::common::metrics
