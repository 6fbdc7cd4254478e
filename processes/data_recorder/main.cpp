// data_recorder: writes every event of the market-data and execution-report rings into
// LZ4 session files. A bus thread copies events into an in-process spool; a writer thread
// compresses and writes, so the bus consumer never waits on the disk.
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/Cpu.h"
#include "common/Events.h"
#include "common/Shutdown.h"
#include "common/log/LogService.h"
#include "common/metrics/EventTypeCounters.h"
#include "common/metrics/MetricsCommandLine.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "data_store/DataStore.h"
#include "data_store/metrics/ConsumerMetrics.h"
#include "data_store/recorder/EventSpool.h"
#include "data_store/recorder/SessionRouter.h"
#include "processes/common/ConfigSetCheck.h"

using namespace hft;

namespace {

std::vector<data_store::recording::InstrumentInfo> instrumentTable(const config::InstrumentRegistry& reg,
                                                                   common::ExchangeId venue) {
  std::vector<data_store::recording::InstrumentInfo> out;
  for (const auto& i : reg.all())
    if (i.exchange == venue)
      out.push_back({i.id, i.exchange, static_cast<int8_t>(i.price_scale), static_cast<int8_t>(i.qty_scale),
                     i.venue_symbol, i.name});
  return out;
}

int run(int argc, char** argv, std::unique_ptr<common::log::LogService>& logs) {
  common::CommandLine cl("data_recorder", "Records every bus event into data/<venue>/<date>/<session>.bin.lz4.");
  cl.option("config", "system config file", "config/system.json")
      .option("out", "root directory of the recordings", "data")
      .option("session", "session file name prefix", "session")
      .option("rotate-minutes", "start new files at each UTC period of this length (0 = never)", "60")
      .option("rotate-mb", "start a new file after this many compressed MB", "1024")
      .option("flush-ms", "end an LZ4 frame (and write it) at least this often", "100")
      .option("spool-mb", "in-memory buffer between the bus thread and the writer thread", "256")
      .flag("from-oldest", "start with everything still in the rings instead of live data")
      .flag("no-exec", "do not record the execution-report ring")
      .flag("until-end", "stop after the market-data producer's EndOfData control event")
      .flag("check-config", "validate the configuration and exit");
  common::metrics::addMetricsOptions(cl);
  if (!cl.parse(argc, argv)) return 0;
  const auto sys = config::SystemConfig::loadFile(cl.get("config"));
  const auto instruments = config::InstrumentRegistry::loadFile(sys.instruments_file);
  const auto proc = sys.process("data_recorder");
  const auto wait = data_store::waitKindFromString(proc.wait).value_or(data_store::WaitKind::SpinYield);
  data_store::recorder::RouterOptions ro;
  ro.root = cl.get("out");
  ro.session_prefix = cl.get("session");
  ro.rotate_period_ns = cl.getInt("rotate-minutes") * 60'000'000'000;
  ro.rotate_bytes = static_cast<uint64_t>(cl.getInt("rotate-mb")) << 20;
  ro.writer.flush_interval_ns = cl.getInt("flush-ms") * 1'000'000;
  if (ro.writer.flush_interval_ns <= 0) throw std::invalid_argument("--flush-ms must be positive");
  size_t spoolBytes = 1;
  while (spoolBytes < (static_cast<size_t>(cl.getInt("spool-mb")) << 20)) spoolBytes <<= 1;
  auto logConfig = common::log::LogConfig::fromJson(sys.logging, sys.source, "data_recorder");
  if (cl.has("check-config")) {
    if (!processes::checkConfigSet(cl.get("config"), "data_recorder")) return 1;
    std::printf("data_recorder: configuration OK (%s, bus %s)\n", sys.source.c_str(), sys.bus.name.c_str());
    return 0;
  }
  logs = std::make_unique<common::log::LogService>(std::move(logConfig));
  common::log::Component& mainLog = logs->component("main");
  common::installShutdownHandlers();

  const data_store::BusNames names{sys.bus.name};
  data_store::ProcessRegistry registry(names.registry());
  const auto start = cl.has("from-oldest") ? data_store::StartAt::Oldest : data_store::StartAt::Live;
  data_store::RingConsumer<data_store::kMarketDataSlotBytes> md(names.marketData(), nullptr, wait, start, 30'000);
  std::unique_ptr<data_store::RingConsumer<data_store::kExecSlotBytes>> exec;
  if (!cl.has("no-exec")) {
    try {
      exec = std::make_unique<data_store::RingConsumer<data_store::kExecSlotBytes>>(names.execReports(), nullptr, wait,
                                                                                   start, 0);
    } catch (const std::exception&) {
      logs->warn(mainLog, "data_recorder: no execution-report ring on bus {} yet; recording market data only",
                 sys.bus.name);
    }
  }
  auto& me = registry.attach("data_recorder", data_store::ProcessRole::DataRecorder, names.marketData(), proc.core);
  md.setRegistryEntry(&me);
  logs->info(mainLog, "data_recorder: recording bus {} ({}) into {}/, pid {}", sys.bus.name,
             exec ? "market data and execution reports" : "market data", ro.root, getpid());

  data_store::recorder::EventSpool spool(spoolBytes);
  std::atomic<bool> busDone{false};
  std::atomic<uint64_t> lapsLost{0};
  std::string writerError;
  std::atomic<bool> writerFailed{false};

  // Metrics (cold). The writer thread sets its cells on each tick (it is not a hot thread); the
  // bus thread copies its plain counters every 100 ms from its idle path.
  namespace mx = common::metrics;
  mx::MetricsRegistry metrics;
  mx::EventTypeCounters recordedByType(metrics, "hft_events_handled_total", "Bus events the recorder took off the rings, by type");
  auto& cWritten = metrics.counter("hft_recorder_events_written_total", "Events written into session files");
  auto& cBytes = metrics.counter("hft_recorder_event_bytes_written_total", "Event bytes written (before compression)");
  auto& cFiles = metrics.counter("hft_recorder_files_opened_total", "Session files created");
  auto& gFileBytes = metrics.gauge("hft_recorder_file_bytes", "Bytes on disk of the session files this run created (compressed)");
  auto& cLapsLost = metrics.counter("hft_recorder_lost_total", "Events lost because a ring lapped the recorder");
  auto& gSpool = metrics.gauge("hft_recorder_spool_used_bytes", "Bytes waiting in the spool between the bus and writer threads");
  data_store::metrics::ConsumerMetrics mdMetrics(metrics, names.marketData());
  data_store::metrics::ConsumerMetrics execMetrics(metrics, names.execReports());
  auto metricsServer = mx::startMetricsServer(cl, metrics, "data_recorder", [&me, &writerFailed, &cWritten] {
    // Unhealthy when the writer failed or the bus loop stopped publishing its state.
    const int64_t ageNs = common::wallNowNs() - me.heartbeat_ns.load(std::memory_order_relaxed);
    const bool failed = writerFailed.load(std::memory_order_relaxed);
    mx::HealthStatus h;
    h.healthy = !failed && ageNs < 5'000'000'000;
    h.detail_json = "{\"writer_failed\":";
    h.detail_json.append(failed ? "true" : "false").append(",\"events_written\":").append(std::to_string(cWritten.value()));
    h.detail_json.append(",\"heartbeat_age_ms\":").append(std::to_string(ageNs / 1'000'000)).append("}");
    return h;
  });

  // Writer thread: compression and disk I/O.
  std::thread writer([&] {
    common::nameThisThread("recorder-write");
    data_store::recorder::SessionRouter router(ro, [&](common::ExchangeId v) { return instrumentTable(instruments, v); });
    uint64_t eventBytes = 0;
    int64_t lastFileStat = 0;
    auto publishWriterMetrics = [&](int64_t mono) {
      cWritten.set(router.eventsWritten());
      cBytes.set(eventBytes);
      cFiles.set(router.filesOpened());
      if (metricsServer && mono - lastFileStat >= 1'000'000'000) {  // one stat per file per second
        lastFileStat = mono;
        uint64_t onDisk = 0;
        std::error_code ec;
        for (const auto& p : router.paths()) {
          const auto n = std::filesystem::file_size(p, ec);
          if (!ec) onDisk += n;
        }
        gFileBytes.set(static_cast<int64_t>(onDisk));
      }
    };
    try {
      int64_t lastTick = 0;
      for (;;) {
        const common::EventHeader* e = spool.front();
        const int64_t mono = common::monoNowNs();
        if (e) {
          router.write(*e, common::wallNowNs());
          eventBytes += e->size;
          spool.pop();
        }
        if (!e || mono - lastTick >= 10'000'000) {
          lastTick = mono;
          router.tick(mono, common::wallNowNs());
          publishWriterMetrics(mono);
        }
        if (!e) {
          if (busDone.load(std::memory_order_acquire) && !spool.front()) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
      }
      router.closeAll();
      publishWriterMetrics(common::monoNowNs() + 1'000'000'000);
    } catch (const std::exception& ex) {
      writerError = ex.what();
      writerFailed.store(true, std::memory_order_relaxed);
      common::stopSignal().store(SIGTERM);
    }
    std::printf("data_recorder: wrote %" PRIu64 " events into %" PRIu64 " file(s)\n", router.eventsWritten(),
                router.filesOpened());
    for (const auto& p : router.paths()) std::printf("data_recorder:   %s\n", p.c_str());
  });

  // Bus thread (this one): copy events into the spool; a lap becomes a RecorderLapped gap.
  if (auto err = common::pinThisThread(proc.core); !err.empty()) throw std::runtime_error(err);
  uint64_t recorded = 0;
  uint64_t recordedTypes[common::kEventTypeCount]{};
  bool ended = false;
  const bool untilEnd = cl.has("until-end");
  auto handler = [&](const common::EventHeader& h) {
    if (h.type == common::EventType::Gap) {
      common::Gap g = reinterpret_cast<const common::Gap&>(h);
      if (g.reason == common::GapReason::ConsumerLapped) g.reason = common::GapReason::RecorderLapped;
      g.header.receive_ts_ns = g.header.publish_ts_ns = common::wallNowNs();
      lapsLost.fetch_add(g.lost_count, std::memory_order_relaxed);
      while (!spool.tryPush(g.header)) std::this_thread::yield();
    } else {
      // The spool is sized for disk hiccups; when it is full we wait, and if that makes the
      // ring lap us, the loss is recorded as a gap rather than hidden.
      while (!spool.tryPush(h)) std::this_thread::yield();
      if (h.type == common::EventType::Control &&
          reinterpret_cast<const common::Control&>(h).command == common::ControlCommand::EndOfData)
        ended = true;
    }
    ++recorded;
    ++recordedTypes[static_cast<size_t>(h.type) % common::kEventTypeCount];
  };
  auto copyMetrics = [&] {
    recordedByType.copy(recordedTypes);
    cLapsLost.set(lapsLost.load(std::memory_order_relaxed));
    gSpool.set(static_cast<int64_t>(spool.usedBytes()));
    mdMetrics.copy(md);
    if (exec) execMetrics.copy(*exec);
  };
  int64_t nextMetrics = 0;
  uint32_t busyRounds = 0;
  while (!common::stopRequested() && !(untilEnd && ended)) {
    int n = md.poll(handler);
    if (exec) n += exec->poll(handler);
    md.idle(n, handler);
    if (metricsServer && (n == 0 || (++busyRounds & 1023) == 0)) {
      const int64_t now = common::monoNowNs();
      if (now >= nextMetrics) {
        copyMetrics();
        nextMetrics = now + 100'000'000;
      }
    }
  }
  md.publishState();
  copyMetrics();
  busDone.store(true, std::memory_order_release);
  writer.join();
  registry.detach(me);
  std::printf("data_recorder: recorded %" PRIu64 " events, lost %" PRIu64 " to laps\n", recorded, lapsLost.load());
  logs->info(mainLog, "data_recorder: stopped: recorded {} events, lost {} to laps", recorded, lapsLost.load());
  if (!writerError.empty()) throw std::runtime_error("writer: " + writerError);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::unique_ptr<common::log::LogService> logs;  // set by run() once the configuration is read
  try {
    return run(argc, argv, logs);
  } catch (const std::exception& e) {
    // Through the log once it exists (errors are copied to stderr unless logging.stderr is false).
    if (logs)
      logs->error(logs->component("main"), "data_recorder: error: {}", e.what());
    else
      std::fprintf(stderr, "data_recorder: error: %s\n", e.what());
    return 2;
  }
}
