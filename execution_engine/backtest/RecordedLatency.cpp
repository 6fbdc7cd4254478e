#include "execution_engine/backtest/RecordedLatency.h"

#include <cstring>

#include "common/Events.h"
#include "config/ConfigError.h"
#include "data_store/recording/SessionReader.h"
#include "execution_engine/sim/LatencyModel.h"

namespace hft::execution_engine::backtest {

RecordedLatency readRecordedLatency(const std::vector<std::string>& paths) {
  RecordedLatency out;
  sim::LatencyModel collector;
  for (const std::string& path : paths) {
    try {
      data_store::recording::SessionReader reader(path);
      const common::EventHeader* e = nullptr;
      data_store::recording::ReadResult res;
      while ((res = reader.next(e)) == data_store::recording::ReadResult::Event) {
        if (e->type != common::EventType::ExecutionReport) continue;
        ++out.reports;
        common::ExecutionReport r;
        std::memcpy(&r, e, sizeof r);  // the reader's bytes need not be aligned
        if (r.exec_type == common::ExecType::New && !collector.addSample(r)) ++out.skipped;
      }
      if (res == data_store::recording::ReadResult::Error) out.errors.push_back(reader.error());
    } catch (const std::exception& ex) {
      out.errors.push_back(ex.what());
    }
  }
  out.samples_ns = std::move(collector.samples);
  return out;
}

void resolveRecordedLatency(nlohmann::json& simulation, const std::string& source) {
  for (const char* key : {"order_latency", "ack_latency"}) {
    if (!simulation.is_object() || !simulation.contains(key)) continue;
    nlohmann::json& m = simulation[key];
    if (!m.is_object() || !m.contains("recordings") || m.value("kind", "") != "replayed") continue;
    const std::string where = std::string("simulation.") + key + ".recordings";
    if (!m["recordings"].is_array() || m["recordings"].empty())
      throw config::ConfigError(source, where, "a non-empty list of .bin.lz4 files", m["recordings"].dump());
    std::vector<std::string> paths;
    for (const auto& p : m["recordings"]) {
      if (!p.is_string()) throw config::ConfigError(source, where, "file names (strings)", p.dump());
      paths.push_back(p.get<std::string>());
    }
    const RecordedLatency measured = readRecordedLatency(paths);
    if (!measured.errors.empty()) throw config::ConfigError(source, where, "readable recordings", measured.errors.front());
    if (measured.samples_ns.empty())
      throw config::ConfigError(source, where, "recordings with acknowledged orders (ExecutionReport New with local send and venue times)",
                                std::to_string(measured.reports) + " execution reports, none usable");
    m = nlohmann::json{{"kind", "replayed"}, {"samples_ns", measured.samples_ns}};
  }
}

}  // namespace hft::execution_engine::backtest
