// order_executor: the one process that sends orders to venues. Reads every strategy's order
// queue, checks requests (OMS + pre-trade risk), journals them before sending, and publishes
// the venues' execution reports on the report ring. The engine lives in
// execution_engine/executor (OrderExecutor.h); this file only wires it to the bus.
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string_view>
#include <vector>

#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/ProcessLock.h"
#include "common/Shutdown.h"
#include "common/log/LogService.h"
#include "common/metrics/MetricsCommandLine.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "data_store/DataStore.h"
#include "execution_engine/executor/ExecutorConfig.h"
#include "execution_engine/executor/OrderExecutor.h"
#include "managers/KillSwitch.h"
#include "managers/RiskLimits.h"
#include "config/ConfigSet.h"
#include "processes/common/ConfigSetCheck.h"

using namespace hft;
namespace ex = hft::execution_engine::executor;

namespace {

/// Each refused request as one "risk" line, from the engine's thread through a HotLogger (the
/// arguments are copied, the line is formatted by the log thread).
struct RejectLog {
  common::log::HotLogger* hot = nullptr;
  const common::log::Component* risk = nullptr;
  /// By strategy id. The hot lines keep these pointers until the log thread formats them, so
  /// they point into names() (static: outlives the LogService), never into the engine.
  std::vector<std::pair<common::StrategyId, const char*>> strategies;

  static std::vector<std::string>& names() {
    static std::vector<std::string> v;
    return v;
  }
  static void onReject(void* self, const common::OrderRequest& r, common::RejectReason why) noexcept {
    const auto& log = *static_cast<const RejectLog*>(self);
    const char* strategy = "?";
    for (const auto& [id, name] : log.strategies)
      if (id == r.strategy_id) strategy = name;
    (void)log.hot->log(*log.risk, common::log::Level::Info, "refused client id {} strategy {} ({}): {}",
                       r.client_order_id, r.strategy_id, strategy, common::toString(why));
  }
};

int run(int argc, char** argv, std::unique_ptr<common::log::LogService>& logs) {
  common::CommandLine cl("order_executor", "Routes strategy orders through the OMS and risk to the venues.");
  cl.option("config", "executor config", "config/executor.json")
      .option("system", "system config", "config/system.json")
      .flag("check-config", "validate the configuration and exit");
  common::metrics::addMetricsOptions(cl);
  if (!cl.parse(argc, argv)) return 0;
  const auto sys = config::SystemConfig::loadFile(cl.get("system"));
  const auto instruments = config::InstrumentRegistry::loadFile(sys.instruments_file);
  const auto cfg = [&] {
    auto c = ex::ExecutorConfig::loadFile(cl.get("config"));
    // The venues' files are the system's (config/exchanges beside system.json), wherever the
    // executor file is: a demo or test writes its own executor.json elsewhere.
    c.exchanges_dir = config::ConfigSet::exchangesDir(cl.get("system"));
    return c;
  }();
  auto limits = managers::RiskLimits::loadFile(cfg.order_rules, instruments);
  auto logConfig = common::log::LogConfig::fromJson(sys.logging, sys.source, "order_executor");
  if (cl.has("check-config")) {
    if (!processes::checkConfigSet(cl.get("system"), "order_executor")) return 1;
    // Live venue gateways read their credentials from the environment: say which are missing
    // (variable names only, never a value).
    const std::vector<std::string> missing = ex::missingCredentials(cfg);
    for (const std::string& m : missing) std::printf("order_executor: credentials missing: %s\n", m.c_str());
    if (!missing.empty()) {
      std::printf("order_executor: configuration NOT OK (%s): live gateways without credentials\n", cfg.source.c_str());
      return 1;
    }
    std::printf("order_executor: configuration OK (%s: %zu gateways, %zu strategies, rules %s)\n", cfg.source.c_str(),
                cfg.gateways.size(), limits.strategies.size(), cfg.order_rules.c_str());
    return 0;
  }
  logs = std::make_unique<common::log::LogService>(std::move(logConfig));
  common::log::Component& mainLog = logs->component("main");
  RejectLog rejectLog{&logs->hotLogger(), &logs->component("risk"), {}};
  RejectLog::names().reserve(limits.strategies.size());  // no reallocation: the c_str()s stay valid
  for (const auto& st : limits.strategies) {
    RejectLog::names().push_back(st.name.empty() ? std::to_string(st.id) : st.name);
    rejectLog.strategies.emplace_back(st.id, RejectLog::names().back().c_str());
  }
  const data_store::BusNames names{sys.bus.name};
  // One executor per bus: two would both send orders. The lock dies with the process.
  std::string lockPath = "/dev/shm/";
  lockPath.append(names.prefix()).append("order_executor.lock");
  common::ProcessLock lock(lockPath);

  common::installShutdownHandlers();
  managers::KillSwitch::installSignalHandler();
  const data_store::ShmOptions shm{sys.bus.permissions, sys.bus.prefault, sys.bus.lock_memory, sys.bus.huge_pages};
  data_store::ProcessRegistry registry(names.registry(), shm);
  data_store::ExecPublisher exec(names.execReports(), sys.bus.exec_capacity, shm);
  std::vector<std::FILE*> gatewayLogs;  // the gateways' own files, closed at exit
  auto gateways = ex::makeGateways(cfg, instruments, gatewayLogs, &logs->hotLogger(), &logs->component("gateway"));
  int rc = 0;
  {
    ex::OrderExecutor engine(cfg, instruments, std::move(limits), exec, std::move(gateways), names);
    engine.setRejectHook(&RejectLog::onReject, &rejectLog);
    auto& me = registry.attach("order_executor", data_store::ProcessRole::OrderExecutor, names.execReports(),
                               sys.process("order_executor").core);
    logs->info(mainLog, "order_executor: bus {}, reports on /dev/shm/{}, journal {}, {} strategy queues, pid {}",
               sys.bus.name, names.execReports(), cfg.journal_dir, engine.queueCount(), getpid());
    (void)engine.recover();

    // Metrics (cold): engine.counters() and the positions are plain fields of this thread,
    // copied into the registry's cells every 100 ms by the loop below.
    namespace mx = common::metrics;
    mx::MetricsRegistry metrics;
    struct Copy {
      mx::Counter* cell;
      const uint64_t* field;
    };
    const auto& c = engine.counters();
    std::vector<Copy> copies;
    auto counter = [&](const char* name, const char* help, const uint64_t& field, mx::Labels l = {}) {
      copies.push_back({&metrics.counter(name, help, std::move(l)), &field});
    };
    counter("hft_executor_requests_total", "Requests popped from the strategy queues (and kill-switch cancels)", c.requests);
    counter("hft_executor_orders_accepted_total", "Requests sent to a venue", c.accepted);
    counter("hft_executor_orders_rejected_total", "Requests refused by the executor, all reasons", c.rejected);
    for (size_t r = 1; r < c.rejected_by_reason.size(); ++r) {
      const char* reason = common::toString(static_cast<common::RejectReason>(r));
      if (std::string_view(reason) != "?")
        counter("hft_executor_rejects_total", "Requests refused by the executor, by reason", c.rejected_by_reason[r],
                {{"reason", reason}});
    }
    counter("hft_executor_reports_total", "Applied execution reports published", c.reports);
    counter("hft_executor_reports_ignored_total", "Duplicate, stale, illegal or unknown-order reports", c.reports_ignored);
    counter("hft_executor_fills_total", "Applied reports carrying a new fill", c.fills);
    counter("hft_executor_balance_updates_total", "Balance updates published", c.balances);
    counter("hft_executor_timeouts_total", "Requests unanswered past request_timeout_ms", c.timeouts);
    counter("hft_executor_queries_total", "Order status queries sent to gateways", c.queries);
    counter("hft_executor_kill_cancels_total", "Cancels made when the kill switch engaged", c.kill_cancels);
    counter("hft_executor_journal_errors_total", "Journal appends that failed", c.journal_errors);
    counter("hft_executor_trade_log_errors_total", "Trade log lines that could not be written", c.trade_log_errors);
    counter("hft_executor_snapshots_total", "State snapshots written", c.snapshots);
    auto& openOrders = metrics.gauge("hft_executor_open_orders", "Live orders in the OMS");
    auto& queuesOpen = metrics.gauge("hft_executor_strategy_queues_open", "Strategy order queues opened");
    metrics.gauge("hft_executor_strategy_queues", "Strategy order queues configured").set(static_cast<int64_t>(engine.queueCount()));
    auto& killEngaged = metrics.gauge("hft_executor_kill_switch_engaged", "1 while the kill switch is engaged");
    struct PositionCells {
      common::InstrumentId id;
      mx::Gauge *qty, *realized, *unrealized, *fees;
    };
    std::vector<PositionCells> positions;
    for (const auto& inst : instruments.all()) {
      const mx::Labels l{{"instrument", inst.name}, {"exchange", common::toString(inst.exchange)}, {"quote", inst.quote}};
      positions.push_back(
          {inst.id, &metrics.gauge("hft_executor_position", "Net position over all strategies (base units)", l, inst.qty_scale),
           &metrics.gauge("hft_executor_realized_pnl", "Realized PnL before fees (quote units)", l, common::kAmountScale),
           &metrics.gauge("hft_executor_unrealized_pnl", "Unrealized PnL at the last mark (quote units)", l, common::kAmountScale),
           &metrics.gauge("hft_executor_fees", "Fees paid (quote units)", l, common::kAmountScale)});
    }
    auto copyMetrics = [&] {
      for (const auto& cp : copies) cp.cell->set(*cp.field);
      openOrders.set(static_cast<int64_t>(engine.orders().liveCount()));
      queuesOpen.set(static_cast<int64_t>(engine.queuesOpen()));
      killEngaged.set(engine.risk().killSwitch().engaged() ? 1 : 0);
      for (const auto& p : positions) {
        const auto v = engine.trades().instrumentPosition(p.id);
        p.qty->set(v.qty);
        p.realized->set(v.realized_pnl);
        p.unrealized->set(v.unrealized_pnl);
        p.fees->set(v.fees);
      }
    };
    copyMetrics();
    const managers::KillSwitch& killSwitch = engine.risk().killSwitch();
    const int64_t staleNs = std::max<int64_t>(5'000'000'000, 3 * cfg.housekeeping_ms * 1'000'000);
    auto metricsServer = mx::startMetricsServer(cl, metrics, "order_executor", [&me, &killSwitch, &openOrders, staleNs] {
      // Unhealthy while the kill switch is engaged (no new orders) or the loop stopped housekeeping.
      const int64_t ageNs = common::wallNowNs() - me.heartbeat_ns.load(std::memory_order_relaxed);
      const bool killed = killSwitch.engaged();
      mx::HealthStatus h;
      h.healthy = !killed && ageNs < staleNs;
      h.detail_json = "{\"kill_switch\":";
      h.detail_json.append(killed ? "true" : "false");
      if (killed) h.detail_json.append(",\"kill_switch_reason\":\"").append(killSwitch.reason()).append("\"");
      h.detail_json.append(",\"open_orders\":").append(std::to_string(openOrders.value()));
      h.detail_json.append(",\"heartbeat_age_ms\":").append(std::to_string(ageNs / 1'000'000)).append("}");
      return h;
    });

    const std::string wait = sys.process("order_executor").wait;
    const int64_t housekeepingNs = cfg.housekeeping_ms * 1'000'000;
    int64_t nextHousekeeping = common::monoNowNs() + housekeepingNs;
    int64_t nextMetrics = 0;
    uint32_t idle = 0;
    while (!common::stopRequested()) {
      const int n = engine.doWork();
      const int64_t mono = common::monoNowNs();
      if (mono >= nextHousekeeping) {
        engine.housekeeping();
        me.heartbeat_ns.store(common::wallNowNs(), std::memory_order_relaxed);
        nextHousekeeping = mono + housekeepingNs;
      }
      if (metricsServer && mono >= nextMetrics) {
        copyMetrics();
        nextMetrics = mono + 100'000'000;
      }
      if (n > 0) {
        idle = 0;
      } else if (wait == "busy_spin" || ++idle < 64) {
        common::cpuRelax();
      } else if (wait == "blocking") {
        usleep(100);
      } else {
        sched_yield();
      }
    }
    engine.shutdown();
    engine.setRejectHook(nullptr, nullptr);
    copyMetrics();
    std::printf("%s", engine.summary().c_str());
    if (engine.counters().journal_errors) rc = 3;
    const auto& k = engine.counters();
    logs->info(mainLog, "order_executor: stopped: {} requests, {} accepted, {} rejected, {} fills", k.requests,
               k.accepted, k.rejected, k.fills);
    if (const uint64_t lost = logs->dropped())
      logs->warn(mainLog, "order_executor: {} hot log lines dropped (ring full)", lost);
    if (rc != 0) logs->error(mainLog, "order_executor: {} journal appends failed", k.journal_errors);
    registry.detach(me);
  }
  for (std::FILE* f : gatewayLogs) std::fclose(f);
  std::fflush(stdout);
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  std::unique_ptr<common::log::LogService> logs;  // set by run() once the configuration is read
  try {
    return run(argc, argv, logs);
  } catch (const std::exception& e) {
    // Through the log once it exists (errors are copied to stderr unless logging.stderr is false).
    if (logs)
      logs->error(logs->component("main"), "order_executor: error: {}", e.what());
    else
      std::fprintf(stderr, "order_executor: error: %s\n", e.what());
    return 2;
  }
}
