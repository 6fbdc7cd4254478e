#pragma once
// Renders a metrics snapshot in the Prometheus text exposition format 0.0.4:
//
//   # HELP hft_events_published_total Events published on the market-data ring.
//   # TYPE hft_events_published_total counter
//   hft_events_published_total{type="Trade"} 1234
//   # HELP hft_md_latency_seconds Publish to handle.
//   # TYPE hft_md_latency_seconds histogram
//   hft_md_latency_seconds_bucket{le="0.00001"} 3
//   hft_md_latency_seconds_bucket{le="+Inf"} 5
//   hft_md_latency_seconds_sum 0.000123
//   hft_md_latency_seconds_count 5
//
// One HELP/TYPE block per family; a family without series is omitted; a series repeating an
// earlier one's label set (in any order) is dropped, so the output never holds duplicates. HELP
// text escapes `\` and newline; label values escape `\`, `"` and newline. Pure function: any
// thread.
#include <string>
#include <vector>

#include "common/metrics/MetricsSnapshot.h"

namespace hft::common::metrics {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string renderPrometheusText(const std::vector<FamilySnapshot>& families);

/// `\` -> `\\`, `"` -> `\"`, newline -> `\n`.
std::string escapeLabelValue(const std::string& v);
/// `\` -> `\\`, newline -> `\n`.
std::string escapeHelp(const std::string& v);

}  // namespace hft::common::metrics
