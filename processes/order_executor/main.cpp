// order_executor: the one process that sends orders to venues. Reads every strategy's order
// queue, checks requests (OMS + pre-trade risk), journals them before sending, and publishes
// the venues' execution reports on the report ring. The engine lives in
// execution_engine/executor (OrderExecutor.h); this file only wires it to the bus.
#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/ProcessLock.h"
#include "common/Shutdown.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "data_store/DataStore.h"
#include "execution_engine/executor/ExecutorConfig.h"
#include "execution_engine/executor/OrderExecutor.h"
#include "managers/KillSwitch.h"
#include "managers/RiskLimits.h"

using namespace hft;
namespace ex = hft::execution_engine::executor;

namespace {

int run(int argc, char** argv) {
  common::CommandLine cl("order_executor", "Routes strategy orders through the OMS and risk to the venues.");
  cl.option("config", "executor config", "config/executor.json")
      .option("system", "system config", "config/system.json")
      .flag("check-config", "validate the configuration and exit");
  if (!cl.parse(argc, argv)) return 0;
  const auto sys = config::SystemConfig::loadFile(cl.get("system"));
  const auto instruments = config::InstrumentRegistry::loadFile(sys.instruments_file);
  const auto cfg = ex::ExecutorConfig::loadFile(cl.get("config"));
  auto limits = managers::RiskLimits::loadFile(cfg.order_rules, instruments);
  if (cl.has("check-config")) {
    std::printf("order_executor: configuration OK (%s: %zu gateways, %zu strategies, rules %s)\n", cfg.source.c_str(),
                cfg.gateways.size(), limits.strategies.size(), cfg.order_rules.c_str());
    return 0;
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
  std::vector<std::FILE*> logs;
  auto gateways = ex::makeGateways(cfg, instruments, logs);
  int rc = 0;
  {
    ex::OrderExecutor engine(cfg, instruments, std::move(limits), exec, std::move(gateways), names);
    auto& me = registry.attach("order_executor", data_store::ProcessRole::OrderExecutor, names.execReports(),
                               sys.process("order_executor").core);
    std::fprintf(stderr, "order_executor: bus %s, reports on /dev/shm/%s, journal %s, %zu strategy queues\n",
                 sys.bus.name.c_str(), names.execReports().c_str(), cfg.journal_dir.c_str(), engine.queueCount());
    (void)engine.recover();

    const std::string wait = sys.process("order_executor").wait;
    const int64_t housekeepingNs = cfg.housekeeping_ms * 1'000'000;
    int64_t nextHousekeeping = common::monoNowNs() + housekeepingNs;
    uint32_t idle = 0;
    while (!common::stopRequested()) {
      const int n = engine.doWork();
      const int64_t mono = common::monoNowNs();
      if (mono >= nextHousekeeping) {
        engine.housekeeping();
        me.heartbeat_ns.store(common::wallNowNs(), std::memory_order_relaxed);
        nextHousekeeping = mono + housekeepingNs;
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
    std::printf("%s", engine.summary().c_str());
    if (engine.counters().journal_errors) rc = 3;
    registry.detach(me);
  }
  for (std::FILE* f : logs) std::fclose(f);
  std::fflush(stdout);
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "order_executor: error: %s\n", e.what());
    return 2;
  }
}
