// bus_monitor: a read-only consumer of a bus ring that prints what flowed (counts by type and
// instrument, losses, publish-to-consume latency), or with --list the process registry.
#include <cinttypes>
#include <cstdio>
#include <map>
#include <string>

#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/Cpu.h"
#include "common/Events.h"
#include "common/LatencyHistogram.h"
#include "common/Shutdown.h"
#include "config/SystemConfig.h"
#include "data_store/DataStore.h"

using namespace hft;

namespace {

std::string ringName(const data_store::BusNames& names, const std::string& which) {
  if (which == "md") return names.marketData();
  if (which == "exec") return names.execReports();
  throw std::invalid_argument("--ring: expected md or exec, found \"" + which + "\"");
}

int listProcesses(const data_store::BusNames& names) {
  auto reg = data_store::ProcessRegistry::openExisting(names.registry(), 1000);
  const int64_t now = common::wallNowNs();
  std::printf("%-4s %-8s %-5s %-16s %-32s %5s %10s %10s %10s %12s %8s\n", "slot", "pid", "alive", "role", "name",
              "core", "cursor", "lag", "lost", "processed", "hb_age");
  for (const auto& p : reg.list()) {
    uint64_t lag = 0;
    if (!p.reading.empty() && p.cursor > 0) {
      try {
        const bool exec = p.reading.size() > 5 && p.reading.compare(p.reading.size() - 5, 5, ".exec") == 0;
        const uint64_t head = exec ? data_store::ExecSubscriber(p.reading, data_store::StartAt::Live, 0).producerSequence()
                                   : data_store::MarketDataSubscriber(p.reading, data_store::StartAt::Live, 0).producerSequence();
        lag = head >= p.cursor ? head - p.cursor + 1 : 0;
      } catch (const std::exception&) {
        // the ring it reads is gone (producer exited): lag is unknown, shown as 0
      }
    }
    std::printf("%-4u %-8u %-5s %-16s %-32s %5d %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %12" PRIu64 " %7.1fs\n",
                p.slot, p.pid, p.alive ? "yes" : "DEAD", data_store::toString(p.role), p.name.c_str(), p.core,
                p.cursor, lag, p.lost, p.processed, static_cast<double>(now - p.heartbeat_ns) / 1e9);
  }
  return 0;
}

struct Stats {
  uint64_t byType[common::kEventTypeCount]{};
  std::map<common::InstrumentId, uint64_t> byInstrument;
  uint64_t gaps = 0, lostInGaps = 0, restarts = 0, firstSeq = 0, lastSeq = 0;
  common::LatencyHistogram latency;  // publish -> this consumer, wall clock ns
};

void printSummary(const Stats& s, const std::string& who, bool json, double secs, uint64_t total) {
  if (json) {
    std::printf("{\"monitor\":\"%s\",\"events\":%" PRIu64 ",\"seconds\":%.3f,\"events_by_type\":{", who.c_str(), total, secs);
    bool first = true;
    for (uint16_t t = 1; t < common::kEventTypeCount; ++t) {
      if (!s.byType[t]) continue;
      std::printf("%s\"%s\":%" PRIu64, first ? "" : ",", common::toString(static_cast<common::EventType>(t)), s.byType[t]);
      first = false;
    }
    std::printf("},\"instruments\":%zu,\"gaps\":%" PRIu64 ",\"lost\":%" PRIu64 ",\"first_seq\":%" PRIu64
                ",\"last_seq\":%" PRIu64 ",\"latency_p50_ns\":%" PRIu64 ",\"latency_p99_ns\":%" PRIu64
                ",\"latency_max_ns\":%" PRIu64 "}\n",
                s.byInstrument.size(), s.gaps, s.lostInGaps, s.firstSeq, s.lastSeq, s.latency.percentile(0.5),
                s.latency.percentile(0.99), s.latency.max());
  } else {
    std::printf("[%s] %" PRIu64 " events in %.2f s, sequences %" PRIu64 "..%" PRIu64 "\n", who.c_str(), total, secs,
                s.firstSeq, s.lastSeq);
    for (uint16_t t = 1; t < common::kEventTypeCount; ++t)
      if (s.byType[t]) std::printf("[%s]   %-16s %12" PRIu64 "\n", who.c_str(), common::toString(static_cast<common::EventType>(t)), s.byType[t]);
    std::printf("[%s]   instruments %zu, gaps %" PRIu64 " (%" PRIu64 " messages lost)\n", who.c_str(),
                s.byInstrument.size(), s.gaps, s.lostInGaps);
    std::printf("[%s]   publish->consume latency p50 %" PRIu64 " ns, p99 %" PRIu64 " ns, max %" PRIu64 " ns\n", who.c_str(),
                s.latency.percentile(0.5), s.latency.percentile(0.99), s.latency.max());
  }
  std::fflush(stdout);
}

template <uint32_t SlotBytes>
int consume(const common::CommandLine& cl, const data_store::BusNames& names, const std::string& ring,
            data_store::WaitKind wait, const config::ProcessConfig& proc) {
  data_store::ProcessRegistry registry(names.registry());
  data_store::RingConsumer<SlotBytes> consumer(ring, nullptr, wait, data_store::StartAt::Live, 10'000);
  auto& me = registry.attach(cl.get("name"), data_store::ProcessRole::Monitor, ring, proc.core);
  consumer.setRegistryEntry(&me);
  if (cl.has("lockstep")) consumer.enableLockstep();
  Stats s;
  bool ended = false;
  const int64_t slowNs = cl.getInt("slow-us") * 1000;
  const int64_t timeoutNs = cl.getInt("timeout-s") * 1'000'000'000;
  const int64_t intervalNs = cl.getInt("interval-ms") * 1'000'000;
  const bool untilEnd = cl.has("until-end");
  auto handler = [&](const common::EventHeader& h) {
    if (h.type == common::EventType::Gap) {
      const auto& g = reinterpret_cast<const common::Gap&>(h);
      ++s.gaps;
      s.lostInGaps += g.lost_count;
      if (g.reason == common::GapReason::ProducerRestarted) ++s.restarts;
      return;
    }
    if (!s.firstSeq) s.firstSeq = h.sequence;
    s.lastSeq = h.sequence;
    ++s.byType[static_cast<size_t>(h.type) % common::kEventTypeCount];
    if (h.instrument_id) ++s.byInstrument[h.instrument_id];
    s.latency.record(common::wallNowNs() - h.publish_ts_ns);
    if (h.type == common::EventType::Control &&
        reinterpret_cast<const common::Control&>(h).command == common::ControlCommand::EndOfData)
      ended = true;
    if (slowNs > 0) {
      const int64_t until = common::monoNowNs() + slowNs;
      while (common::monoNowNs() < until) common::cpuRelax();
    }
  };
  const int64_t start = common::monoNowNs();
  int64_t lastPrint = start;
  while (!common::stopRequested() && !(untilEnd && ended)) {
    const int n = consumer.poll(handler);
    consumer.idle(n, handler);
    if (n == 0 || intervalNs || timeoutNs) {
      const int64_t now = common::monoNowNs();
      if (timeoutNs && now - start >= timeoutNs) break;
      if (intervalNs && now - lastPrint >= intervalNs) {
        lastPrint = now;
        std::printf("[%s] %" PRIu64 " events, lag %" PRIu64 ", lost %" PRIu64 "\n", cl.get("name").c_str(),
                    consumer.processed(), consumer.subscriber().lag(), consumer.lost());
        std::fflush(stdout);
      }
    }
  }
  consumer.publishState();
  uint64_t total = 0;
  for (auto c : s.byType) total += c;
  printSummary(s, cl.get("name"), cl.has("json"), static_cast<double>(common::monoNowNs() - start) / 1e9, total);
  registry.detach(me);
  return 0;
}

int run(int argc, char** argv) {
  common::CommandLine cl("bus_monitor", "Reads a bus ring and prints what flowed, or lists attached processes.");
  cl.option("config", "system config file", "config/system.json")
      .option("ring", "which ring: md (market data) or exec (execution reports)", "md")
      .option("name", "name shown in the registry", "bus_monitor")
      .option("timeout-s", "stop after this many seconds (0 = never)", "0")
      .option("slow-us", "busy-wait this long per event (demonstrates a lapped consumer)", "0")
      .option("interval-ms", "print progress this often (0 = only at the end)", "0")
      .option("wait", "wait strategy: busy_spin, spin_yield, blocking (default from config)")
      .flag("until-end", "exit after the producer's EndOfData control event")
      .flag("lockstep", "register for lockstep: a --lockstep datafeed waits for this consumer")
      .flag("list", "print the process registry and exit")
      .flag("json", "print the final summary as one JSON object");
  if (!cl.parse(argc, argv)) return 0;
  const auto sys = config::SystemConfig::loadFile(cl.get("config"));
  const data_store::BusNames names{sys.bus.name};
  if (cl.has("list")) return listProcesses(names);

  const auto proc = sys.process("bus_monitor");
  const std::string waitName = cl.has("wait") ? cl.get("wait") : proc.wait;
  const auto wait = data_store::waitKindFromString(waitName);
  if (!wait) throw std::invalid_argument("--wait: expected busy_spin, spin_yield or blocking, found \"" + waitName + "\"");
  common::installShutdownHandlers();
  if (auto err = common::pinThisThread(proc.core); !err.empty()) throw std::runtime_error(err);
  const std::string ring = ringName(names, cl.get("ring"));
  if (cl.get("ring") == "exec") return consume<data_store::kExecSlotBytes>(cl, names, ring, *wait, proc);
  return consume<data_store::kMarketDataSlotBytes>(cl, names, ring, *wait, proc);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bus_monitor: error: %s\n", e.what());
    return 2;
  }
}
