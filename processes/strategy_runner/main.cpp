// strategy_runner: one strategy per process. Reads the market-data ring and the
// execution-report ring, runs the strategy through a StrategyHost, and sends its order
// requests on its own queue to the executor (or the backtester).
#include <cinttypes>
#include <cstdio>
#include <memory>

#include <sched.h>
#include <unistd.h>

#include <cstring>

#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/Cpu.h"
#include "common/FixedPoint.h"
#include "common/Shutdown.h"
#include "common/log/LogService.h"
#include "common/metrics/EventTypeCounters.h"
#include "common/metrics/MetricsCommandLine.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "data_store/DataStore.h"
#include "data_store/LockstepClock.h"
#include "data_store/metrics/ConsumerMetrics.h"
#include "processes/common/ConfigSetCheck.h"
#include "strategies/StrategyCatalog.h"
#include "strategy_engine/StrategyConfig.h"
#include "strategy_engine/StrategyHost.h"

using namespace hft;

namespace {

/// The strategy's order queue to the executor. A full queue refuses the order (the strategy
/// sees 0 from sendOrder) rather than blocking the event loop.
class QueueSink final : public strategy_engine::IOrderSink {
 public:
  explicit QueueSink(data_store::OrderQueueProducer& q) : q_(q) {}
  bool send(const common::OrderRequest& r) noexcept override { return q_.tryPush(r); }

 private:
  data_store::OrderQueueProducer& q_;
};

using MdConsumer = data_store::RingConsumer<data_store::kMarketDataSlotBytes>;

data_store::RegistryEntry* findBacktester(data_store::ProcessRegistry& registry) {
  data_store::RegistryEntry* e = registry.entries();
  for (uint32_t i = 0; i < data_store::kRegistryCapacity; ++i)
    if (e[i].state.load(std::memory_order_acquire) == data_store::RegistryEntry::Active &&
        e[i].role == data_store::ProcessRole::Backtester && e[i].lockstep.load(std::memory_order_acquire))
      return &e[i];
  return nullptr;
}

/// Lockstep with a backtester (see data_store/LockstepClock.h): before each market event of
/// lockstep time T, exactly the reports with receive_ts <= T, in ring order. Market data and
/// reports are read one ahead into local buffers, so "what comes next" is known without
/// handling it. Returns 0 at the end of the data, 3 when the backtester is gone or reports were
/// lost (the run would not be reproducible; said in `log`).
template <class OnEvent>
int runLockstep(data_store::ProcessRegistry& registry, const data_store::BusNames& names, MdConsumer& md,
                data_store::WaitKind wait, strategy_engine::StrategyHost& host,
                data_store::LockstepStrategyClock& clock, OnEvent&& onEvent, const bool& ended,
                common::log::LogService& log) {
  common::log::Component& mainLog = log.component("main");
  data_store::RegistryEntry* backtester = nullptr;
  for (int i = 0; i < 30'000 && !(backtester = findBacktester(registry)); ++i) {
    if (common::stopRequested()) return 0;
    usleep(1000);
  }
  if (!backtester) {
    log.error(mainLog, "strategy_runner: --lockstep: no backtester registered on the bus after 30 s");
    return 3;
  }
  const uint32_t backtesterPid = backtester->pid;
  // Every report of the run, from the first: the backtester made the ring before registering.
  data_store::RingConsumer<data_store::kExecSlotBytes> exec(names.execReports(), nullptr, wait, data_store::StartAt::Oldest, 5000);

  common::EventBuffer mdBuf{}, reportBuf{};
  bool haveMd = false, haveReport = false, lostReports = false;
  common::TimestampNs t = data_store::kLockstepUnknown;  // lockstep time of the buffered market event
  common::TimestampNs promised = data_store::kLockstepUnknown;  // backtester: reports from now on have receive_ts >= this
  auto copyMd = [&](const common::EventHeader& e) { std::memcpy(mdBuf.bytes, &e, e.size); };
  auto copyReport = [&](const common::EventHeader& e) {
    if (e.type == common::EventType::Gap) lostReports = true;
    std::memcpy(reportBuf.bytes, &e, e.size);
  };
  common::TimestampNs prevT = data_store::kLockstepUnknown;
  uint32_t spins = 0;
  while (!common::stopRequested() && !ended) {
    if (!haveMd) {
      if (md.poll(copyMd, 1) == 0) {
        clock.running(host.now());
        md.idle(0, copyMd);
        continue;
      }
      haveMd = true;
      t = data_store::lockstepTime(prevT, mdBuf.header());
    }
    // The reports due before this event: all with receive_ts <= t. The ring is in receive-time
    // order, so one report past t, or the backtester's promise past t, ends them.
    if (!haveReport) haveReport = exec.poll(copyReport, 1) > 0;
    if (lostReports) {
      log.error(mainLog,
                "strategy_runner: --lockstep: execution reports were lost (ring lapped); the run is not reproducible");
      return 3;
    }
    if (haveReport) {
      if (reportBuf.header().receive_ts_ns <= t) {
        spins = 0;
        clock.running(host.now());
        onEvent(reportBuf.header());
        haveReport = false;
        continue;
      }
    } else if (promised <= t) {
      promised = backtester->lockstep_clock_ns.load(std::memory_order_acquire);
      if (promised <= t) {
        if (spins == 0) clock.waiting(host.now(), t, exec.subscriber().cursor() - 1);
        if (++spins < 64) {
          common::cpuRelax();
        } else {
          sched_yield();  // 3 processes on 2 cores: the backtester may need ours
          if ((spins & 4095) == 0 && !data_store::processAlive(backtesterPid)) {
            log.error(mainLog, "strategy_runner: --lockstep: the backtester (pid {}) is gone", backtesterPid);
            return 3;
          }
        }
      }
      continue;  // read the reports published before that promise
    }
    spins = 0;
    onEvent(mdBuf.header());
    haveMd = false;
    prevT = t;
    clock.running(host.now());
  }
  return 0;
}

/// The log file's process name: strategy_runner-<name>, the name made safe for a file name.
std::string logProcessName(const std::string& strategyName) {
  std::string out = "strategy_runner-";
  for (const char ch : strategyName) {
    const bool safe =
        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    out.push_back(safe ? ch : '_');
  }
  return out;
}

int run(int argc, char** argv, std::unique_ptr<common::log::LogService>& logs) {
  common::CommandLine cl("strategy_runner", "Runs one strategy on the bus.");
  cl.option("config", "strategy config file (config/strategies/NAME.json)")
      .option("system", "system config file", "config/system.json")
      .flag("lockstep", "register for lockstep with a --lockstep datafeed (backtests); fixed run id")
      .flag("until-end", "stop after the feed's EndOfData control event")
      .flag("list", "list the registered strategies and exit")
      .flag("check-config", "validate the configuration and exit");
  common::metrics::addMetricsOptions(cl);
  if (!cl.parse(argc, argv)) return 0;
  strategy_engine::StrategyRegistry strategies;
  strategies::registerBuiltinStrategies(strategies);
  if (cl.has("list")) {
    for (const auto& [name, what] : strategies.list()) std::printf("%-26s %s\n", name.c_str(), what.c_str());
    return 0;
  }
  if (cl.get("config").empty()) throw std::invalid_argument("--config config/strategies/NAME.json is required");
  const auto sys = config::SystemConfig::loadFile(cl.get("system"));
  const auto instruments = config::InstrumentRegistry::loadFile(sys.instruments_file);
  const auto sc = strategy_engine::StrategyConfig::loadFile(cl.get("config"), instruments);
  strategy_engine::StrategyParams params(sc.params());
  auto strategy = strategies.create(sc.strategy, params, {instruments, sc.instruments});
  auto logConfig = common::log::LogConfig::fromJson(sys.logging, sys.source, logProcessName(sc.name));
  if (cl.has("check-config")) {
    if (!processes::checkConfigSet(cl.get("system"), "strategy_runner")) return 1;
    std::printf("strategy_runner: configuration OK (%s: %s, strategy id %u)\n", sc.source.c_str(), sc.strategy.c_str(),
                sc.strategy_id);
    return 0;
  }
  logs = std::make_unique<common::log::LogService>(std::move(logConfig));
  common::log::Component& mainLog = logs->component("main");
  common::installShutdownHandlers();
  if (auto err = common::pinThisThread(sc.core); !err.empty()) throw std::runtime_error(err);
  const auto wait = data_store::waitKindFromString(sc.wait).value_or(data_store::WaitKind::SpinYield);

  const data_store::BusNames names{sys.bus.name};
  const data_store::ShmOptions shm{sys.bus.permissions, sys.bus.prefault, sys.bus.lock_memory, sys.bus.huge_pages};
  data_store::ProcessRegistry registry(names.registry(), shm);
  data_store::OrderQueueProducer queue(names.orderQueue(sc.strategy_id), sys.bus.order_queue_capacity, shm);
  QueueSink sink(queue);
  const bool lockstep = cl.has("lockstep");
  // Live runs take a run id from the clock so client order ids never repeat across restarts;
  // lockstep (backtest) runs use a fixed one so results are byte-identical.
  const uint32_t runId = lockstep ? 1 : static_cast<uint32_t>(common::wallNowNs() / 1'000'000'000);
  strategy_engine::StrategyHost host(instruments, {sc.strategy_id, runId, sc.instruments, 256, 256}, *strategy, sink);

  data_store::RingConsumer<data_store::kMarketDataSlotBytes> md(names.marketData(), nullptr, wait,
                                                               data_store::StartAt::Live, 30'000);
  std::unique_ptr<data_store::RingConsumer<data_store::kExecSlotBytes>> exec;  // live only
  auto& me = registry.attach("strategy_runner:" + sc.name, data_store::ProcessRole::StrategyRunner, names.marketData(),
                             sc.core);
  md.setRegistryEntry(&me);
  if (lockstep) md.enableLockstep();
  logs->info(mainLog, "strategy_runner: {} ({}, id {}) on bus {}, orders on /dev/shm/{}{}, pid {}", sc.name,
             sc.strategy, sc.strategy_id, sys.bus.name, queue.name(), lockstep ? ", lockstep" : "", getpid());

  // Metrics (cold): the host's plain counters and positions are copied into these cells every
  // 100 ms from the live loop's idle path; the events-by-type array is a local of this thread.
  namespace mx = common::metrics;
  mx::MetricsRegistry metrics;
  const mx::Labels strategyLabel{{"strategy", sc.name}};
  mx::EventTypeCounters handledByType(metrics, "hft_events_handled_total", "Bus events handed to the strategy, by type",
                                      strategyLabel);
  auto& cEvents = metrics.counter("hft_strategy_events_total", "Events the strategy host processed", strategyLabel);
  const char* requestsHelp = "Order requests the strategy sent to the executor, by action";
  auto& cNew = metrics.counter("hft_strategy_requests_total", requestsHelp, {{"strategy", sc.name}, {"action", "new"}});
  auto& cCancel = metrics.counter("hft_strategy_requests_total", requestsHelp, {{"strategy", sc.name}, {"action", "cancel"}});
  auto& cModify = metrics.counter("hft_strategy_requests_total", requestsHelp, {{"strategy", sc.name}, {"action", "modify"}});
  auto& cFills = metrics.counter("hft_strategy_fills_total", "Fills the strategy received", strategyLabel);
  const char* rejectsHelp = "Requests refused: local (before leaving the process) or by the executor/venue";
  auto& cLocalRej = metrics.counter("hft_strategy_rejects_total", rejectsHelp, {{"strategy", sc.name}, {"where", "local"}});
  auto& cVenueRej = metrics.counter("hft_strategy_rejects_total", rejectsHelp, {{"strategy", sc.name}, {"where", "venue"}});
  auto& cGaps = metrics.counter("hft_strategy_gaps_total", "Gap events (lost messages) the strategy saw", strategyLabel);
  struct PositionCells {
    common::InstrumentId id;
    mx::Gauge *qty, *realized, *fees;
  };
  std::vector<PositionCells> positionCells;
  for (const auto id : sc.instruments) {
    const auto* inst = instruments.byId(id);
    const mx::Labels l{{"strategy", sc.name}, {"instrument", inst->name}, {"exchange", common::toString(inst->exchange)},
                       {"quote", inst->quote}};
    positionCells.push_back({id, &metrics.gauge("hft_strategy_position", "Signed position (base units)", l, inst->qty_scale),
                             &metrics.gauge("hft_strategy_realized_pnl", "Realized PnL before fees (quote units)", l,
                                            common::kAmountScale),
                             &metrics.gauge("hft_strategy_fees", "Fees paid (quote units)", l, common::kAmountScale)});
  }
  data_store::metrics::ConsumerMetrics mdMetrics(metrics, names.marketData(), strategyLabel);
  data_store::metrics::ConsumerMetrics execMetrics(metrics, names.execReports(), strategyLabel);
  // Publish (exchange publish stamp) to handled, wall clock, sampled 1 market event in 64 (live only).
  auto& mdLatency = metrics.histogram("hft_md_latency_seconds", "Market data: datafeed publish to strategy handling (sampled 1/64)",
                                      strategyLabel,
                                      {1'000, 2'000, 5'000, 10'000, 20'000, 50'000, 100'000, 200'000, 500'000, 1'000'000,
                                       10'000'000, 100'000'000},
                                      9);
  uint64_t handled[common::kEventTypeCount]{};
  uint64_t latencySample = 0;
  auto copyMetrics = [&] {
    handledByType.copy(handled);
    const auto& c = host.counters();
    cEvents.set(c.events);
    cNew.set(c.orders_sent);
    cCancel.set(c.cancels_sent);
    cModify.set(c.modifies_sent);
    cFills.set(c.fills);
    cLocalRej.set(c.local_rejects);
    cVenueRej.set(c.venue_rejects);
    cGaps.set(c.gaps);
    for (const auto& pc : positionCells) {
      const auto& p = host.position(pc.id);
      pc.qty->set(p.qty);
      pc.realized->set(p.realized_pnl);
      pc.fees->set(p.fees);
    }
    mdMetrics.copy(md);
    if (exec) execMetrics.copy(*exec);
  };
  auto metricsServer = mx::startMetricsServer(cl, metrics, std::string("strategy_runner:").append(sc.name), [&me, &cEvents, &sc, lockstep] {
    // Unhealthy when the event loop stopped publishing its state (every ~10 ms when idle).
    const int64_t ageNs = common::wallNowNs() - me.heartbeat_ns.load(std::memory_order_relaxed);
    mx::HealthStatus h;
    h.healthy = lockstep || ageNs < 5'000'000'000;
    h.detail_json = "{\"strategy\":\"";
    h.detail_json.append(sc.name).append("\",\"strategy_id\":").append(std::to_string(sc.strategy_id));
    h.detail_json.append(",\"events\":").append(std::to_string(cEvents.value()));
    h.detail_json.append(",\"heartbeat_age_ms\":").append(std::to_string(ageNs / 1'000'000)).append("}");
    return h;
  });

  bool ended = false;
  const bool untilEnd = cl.has("until-end");
  auto onEvent = [&](const common::EventHeader& e) {
    host.onEvent(e);
    ++handled[static_cast<size_t>(e.type) % common::kEventTypeCount];
    if (!lockstep && e.type <= common::EventType::BookSnapshot && (++latencySample & 63) == 0 && e.publish_ts_ns > 0)
      mdLatency.observe(common::wallNowNs() - e.publish_ts_ns);
    if (e.type == common::EventType::Control &&
        reinterpret_cast<const common::Control&>(e).command == common::ControlCommand::EndOfData)
      ended = true;
  };
  host.start();
  if (lockstep) {
    data_store::LockstepStrategyClock clock(me);
    clock.running(host.now());
    const int rc = runLockstep(registry, names, md, wait, host, clock, onEvent, ended, *logs);
    host.stop(sc.cancel_on_stop);
    clock.finished();  // after the final cancels: the backtester may now close the run
    if (rc != 0) {
      registry.detach(me);
      return rc;
    }
  } else {
    int64_t lastExecTry = 0;
    int64_t nextMetrics = 0;
    uint32_t busyRounds = 0;
    while (!common::stopRequested() && !(untilEnd && ended)) {
      int n = 0;
      if (!exec) {
        // The executor creates the report ring; look for it now and then.
        const int64_t now = common::monoNowNs();
        if (now - lastExecTry > 100'000'000) {
          lastExecTry = now;
          try {
            exec = std::make_unique<data_store::RingConsumer<data_store::kExecSlotBytes>>(names.execReports(), nullptr, wait,
                                                                                          data_store::StartAt::Live, 0);
          } catch (const std::exception&) {
          }
        }
      }
      // Reports first, so the strategy sees its fills before new data.
      if (exec) n += exec->poll(onEvent);
      n += md.poll(onEvent);
      md.idle(n, onEvent);
      if (metricsServer && (n == 0 || (++busyRounds & 1023) == 0)) {
        const int64_t now = common::monoNowNs();
        if (now >= nextMetrics) {
          copyMetrics();
          nextMetrics = now + 100'000'000;
        }
      }
    }
    host.stop(sc.cancel_on_stop);
  }
  md.publishState();
  copyMetrics();
  const auto& c = host.counters();
  std::printf("strategy_runner %s: %" PRIu64 " events, %" PRIu64 " orders, %" PRIu64 " cancels, %" PRIu64
              " modifies, %" PRIu64 " fills, %" PRIu64 " local rejects, %" PRIu64 " venue rejects, %" PRIu64 " gaps\n",
              sc.name.c_str(), c.events, c.orders_sent, c.cancels_sent, c.modifies_sent, c.fills, c.local_rejects,
              c.venue_rejects, c.gaps);
  if (const std::string own = strategy->exitSummary(); !own.empty())
    std::printf("strategy_runner %s: %s\n", sc.name.c_str(), own.c_str());
  for (const auto id : sc.instruments) {
    const auto& p = host.position(id);
    const auto* inst = instruments.byId(id);
    std::printf("  %s: position %s, realized pnl %s %s, fees %s\n", inst->name.c_str(),
                common::formatDecimal(p.qty, inst->qty_scale).c_str(),
                common::formatDecimal(p.realized_pnl, common::kAmountScale).c_str(), inst->quote.c_str(),
                common::formatDecimal(p.fees, common::kAmountScale).c_str());
  }
  std::fflush(stdout);
  logs->info(mainLog, "strategy_runner: {}: stopped: {} events, {} orders, {} fills", sc.name, c.events, c.orders_sent,
             c.fills);
  registry.detach(me);
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
      logs->error(logs->component("main"), "strategy_runner: error: {}", e.what());
    else
      std::fprintf(stderr, "strategy_runner: error: %s\n", e.what());
    return 2;
  }
}
