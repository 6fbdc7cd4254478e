#pragma once
// Order-entry latency measured in recorded live sessions, for the simulated venue's "replayed"
// latency model. The executor's ExecutionReports carry the local time a request was written to
// the venue and the venue's own time of the answer; the recorder keeps them. For every New ack,
// venue_ts - local_send_ts is one decision-to-venue sample (sim::LatencyModel::addSample).
//
//   "order_latency": {"kind": "replayed", "recordings": ["data/binance/2026-11-20/live-0900.bin.lz4"]}
// becomes {"kind": "replayed", "samples_ns": [...]} before the simulation config is read.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hft::execution_engine::backtest {

struct RecordedLatency {
  std::vector<int64_t> samples_ns;  ///< in recording order
  uint64_t reports = 0;             ///< execution reports seen
  uint64_t skipped = 0;             ///< New acks without both timestamps, or venue time before send time
  std::vector<std::string> errors;  ///< damaged files: what was read before the damage is kept
};

/// Reads every execution report of the files (cold path).
RecordedLatency readRecordedLatency(const std::vector<std::string>& paths);

/// Replaces each latency object of `simulation` ("order_latency", "ack_latency") that says
/// {"kind": "replayed", "recordings": [...]} by its measured samples. Throws config::ConfigError
/// naming `source` and the key when a file cannot be read or holds no sample.
void resolveRecordedLatency(nlohmann::json& simulation, const std::string& source);

}  // namespace hft::execution_engine::backtest
