#pragma once
// The bus as the process registry shows it, for a metrics scrape: one series per claimed
// registry entry, labelled {process, role, pid} and, for consumers, {ring}. Read on the HTTP thread at scrape time
// (the entries are shared-memory atomics; alive = kill(pid, 0)), so nothing is added to any
// hot path. Header-only: hft_metrics (common) must not depend on data_store.
//
//   hft_bus_process_alive                  1 while the pid exists
//   hft_bus_process_heartbeat_age_seconds  wall time since its last sign of life
//   hft_bus_consumer_processed_total       messages it handled
//   hft_bus_consumer_lost_total            messages it lost to laps
//   hft_bus_consumer_lag                   head of its ring - its cursor + 1 (only for rings whose head is known)
#include <cstdint>
#include <functional>
#include <string>

#include "common/Clock.h"
#include "common/metrics/MetricsRegistry.h"
#include "data_store/ProcessRegistry.h"

namespace hft::data_store::metrics {

/// Last published sequence of a ring, by ring name; 0 = unknown (no lag series for it).
/// Called on the HTTP thread: must read only atomics.
using RingHeadFn = std::function<uint64_t(const std::string& ring)>;

inline void addProcessRegistryCollector(common::metrics::MetricsRegistry& reg, const ProcessRegistry& registry,
                                        RingHeadFn headOf) {
  namespace m = common::metrics;
  reg.addCollector([&registry, headOf = std::move(headOf)](std::vector<m::FamilySnapshot>& out) {
    const int64_t now = common::wallNowNs();
    // Families in a fixed order even when the registry is empty (HELP/TYPE are skipped then).
    m::familyOf(out, "hft_bus_process_alive", "1 while the registered process exists, 0 once it died without detaching",
                m::MetricType::Gauge);
    for (const auto& p : registry.list()) {
      m::Labels l{{"process", p.name}, {"role", toString(p.role)}, {"pid", std::to_string(p.pid)}};
      if (!p.reading.empty()) l.emplace_back("ring", p.reading);
      m::addSample(out, "hft_bus_process_alive", "1 while the registered process exists, 0 once it died without detaching",
                   m::MetricType::Gauge, l, {p.alive ? 1 : 0, 0});
      const int64_t ageMs = p.heartbeat_ns > 0 && now > p.heartbeat_ns ? (now - p.heartbeat_ns) / 1'000'000 : 0;
      m::addSample(out, "hft_bus_process_heartbeat_age_seconds", "Wall time since the process last showed life in the registry",
                   m::MetricType::Gauge, l, {ageMs, 3});
      if (p.reading.empty()) continue;
      m::addSample(out, "hft_bus_consumer_processed_total", "Messages the consumer handled (as it last published)",
                   m::MetricType::Counter, l, {static_cast<int64_t>(p.processed), 0});
      m::addSample(out, "hft_bus_consumer_lost_total", "Messages the consumer lost because the ring lapped it",
                   m::MetricType::Counter, l, {static_cast<int64_t>(p.lost), 0});
      const uint64_t head = headOf ? headOf(p.reading) : 0;
      if (head > 0 && p.cursor > 0)
        m::addSample(out, "hft_bus_consumer_lag", "Messages published on its ring that the consumer has not read yet",
                     m::MetricType::Gauge, l, {static_cast<int64_t>(head >= p.cursor ? head - p.cursor + 1 : 0), 0});
    }
  });
}

}  // namespace hft::data_store::metrics
