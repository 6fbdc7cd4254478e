// backtester: takes the order executor's place in a replay. It reads the same strategy order
// queues and publishes ExecutionReports on the same ring, so strategy_runner runs unchanged;
// fills come from a simulated venue driven by the replayed market data (lockstep).
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <algorithm>
#include <queue>
#include <fstream>
#include <memory>

#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/Shutdown.h"
#include "common/log/LogService.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "data_store/DataStore.h"
#include "data_store/LockstepClock.h"
#include "execution_engine/backtest/BacktestConfig.h"
#include "execution_engine/backtest/BacktestResults.h"
#include "execution_engine/backtest/RecordedLatency.h"
#include "execution_engine/sim/SimulatedExchange.h"
#include "managers/RiskLimits.h"
#include "managers/RiskManager.h"
#include "processes/common/ConfigSetCheck.h"
#include "strategy_engine/StrategyConfig.h"

using namespace hft;
namespace bt = hft::execution_engine::backtest;
namespace sim = hft::execution_engine::sim;

namespace {

int run(int argc, char** argv, std::unique_ptr<common::log::LogService>& logs) {
  common::CommandLine cl("backtester", "Simulated venue for a lockstep replay (see scripts/backtest).");
  cl.option("config", "backtest config (config/backtests/NAME.json)")
      .option("system", "system config", "config/system.json")
      .option("out", "directory for backtest_results.csv, summary.json, report.html", "backtest-out")
      .flag("print-plan", "print the recordings and strategy configs of the backtest, one per line, and exit")
      .flag("check-config", "validate the configuration and exit");
  if (!cl.parse(argc, argv)) return 0;
  if (cl.get("config").empty()) throw std::invalid_argument("--config config/backtests/NAME.json is required");
  auto btc = bt::BacktestConfig::loadFile(cl.get("config"));
  if (cl.has("print-plan")) {
    for (const auto& r : btc.recordings) std::printf("recording %s\n", r.c_str());
    for (const auto& s : btc.strategies) std::printf("strategy %s\n", s.c_str());
    return 0;
  }
  const auto sys = config::SystemConfig::loadFile(cl.get("system"));
  const auto instruments = config::InstrumentRegistry::loadFile(sys.instruments_file);
  if (btc.document.contains("simulation")) bt::resolveRecordedLatency(btc.document["simulation"], btc.source);
  const auto simCfg = sim::SimConfig::fromJson(btc.simulation());
  std::vector<common::StrategyId> ids;
  std::vector<std::string> strategyNames;
  for (const auto& s : btc.strategies) {
    const auto sc = strategy_engine::StrategyConfig::loadFile(s, instruments);
    ids.push_back(sc.strategy_id);
    strategyNames.push_back(sc.name);
  }
  auto logConfig = common::log::LogConfig::fromJson(sys.logging, sys.source, "backtester");
  if (cl.has("check-config")) {
    if (!processes::checkConfigSet(cl.get("system"), "backtester")) return 1;
    if (!btc.order_rules.empty()) (void)managers::RiskLimits::loadFile(btc.order_rules, instruments);
    std::printf("backtester: configuration OK (%s: %zu recordings, %zu strategies)\n", btc.source.c_str(),
                btc.recordings.size(), ids.size());
    return 0;
  }
  logs = std::make_unique<common::log::LogService>(std::move(logConfig));
  common::log::Component& mainLog = logs->component("main");
  common::installShutdownHandlers();
  const data_store::BusNames names{sys.bus.name};
  const data_store::ShmOptions shm{sys.bus.permissions, sys.bus.prefault, sys.bus.lock_memory, sys.bus.huge_pages};
  data_store::ProcessRegistry registry(names.registry(), shm);
  data_store::ExecPublisher exec(names.execReports(), sys.bus.exec_capacity, shm);

  // The live executor's pre-trade risk, on the same rules. Its kill-switch file is a live
  // control: a file left on this machine must not change a backtest.
  std::unique_ptr<managers::RiskManager> risk;
  if (!btc.order_rules.empty()) {
    auto limits = managers::RiskLimits::loadFile(btc.order_rules, instruments);
    limits.kill_switch_file.clear();
    risk = std::make_unique<managers::RiskManager>(limits, instruments);
  }
  bt::BacktestResults results(instruments, btc.sample_interval_ns);
  results.setStartBalances(simCfg.balances);
  // Reports go out as the venue makes them: the simulated private stream is in receive-time
  // order, and each strategy reads exactly those due before its next market event.
  sim::SimulatedExchange venue(instruments, simCfg, [&](const common::EventHeader& e) {
    exec.publish(&e, e.size);
    if (e.type == common::EventType::ExecutionReport) results.onReport(reinterpret_cast<const common::ExecutionReport&>(e));
    else if (e.type == common::EventType::BalanceUpdate) results.onBalance(reinterpret_cast<const common::BalanceUpdate&>(e));
  });
  // Lookahead (data_store/LockstepClock.h): an order needs at least L to reach the venue, a
  // report at least ackMin to come back. L >= 1 ns: an order never reaches the venue at the
  // instant of the data it reacts to.
  venue.setRiskManager(risk.get());
  const int64_t L = std::max<int64_t>(1, simCfg.order_latency.minimum());
  const int64_t ackMin = std::max<int64_t>(0, simCfg.ack_latency.minimum());

  // The strategies create their order queues; they may start after us.
  std::vector<std::unique_ptr<data_store::OrderQueueConsumer>> queues;
  for (const auto id : ids) queues.push_back(std::make_unique<data_store::OrderQueueConsumer>(names.orderQueue(id), 30'000));

  data_store::RingConsumer<data_store::kMarketDataSlotBytes> md(names.marketData(), nullptr, data_store::WaitKind::SpinYield,
                                                               data_store::StartAt::Live, 30'000);
  auto& me = registry.attach("backtester", data_store::ProcessRole::Backtester, names.marketData(), -1);
  md.setRegistryEntry(&me);
  md.enableLockstep();
  logs->info(mainLog, "backtester: {}: {} strategies, reports on /dev/shm/{}, pid {}", btc.name, ids.size(),
             names.execReports(), getpid());
  // Each queue's strategy runner, by its registry name.
  std::vector<data_store::RegistryEntry*> peers(ids.size(), nullptr);
  for (int waited = 0; std::count(peers.begin(), peers.end(), nullptr) > 0; ++waited) {
    if (common::stopRequested()) return 1;
    if (waited == 30'000) throw std::runtime_error("strategy runners did not register within 30 s");
    data_store::RegistryEntry* e = registry.entries();
    for (size_t q = 0; q < ids.size(); ++q)
      for (uint32_t i = 0; i < data_store::kRegistryCapacity && !peers[q]; ++i)
        if (e[i].state.load(std::memory_order_acquire) == data_store::RegistryEntry::Active &&
            e[i].lockstep.load(std::memory_order_acquire) && std::string(e[i].name) == "strategy_runner:" + strategyNames[q])
          peers[q] = &e[i];
    usleep(1000);
  }

  // Orders popped but not yet given to the venue, merged across strategies by (request time,
  // queue): an order goes to the venue once no other strategy can still send an earlier one.
  struct Pending {
    common::TimestampNs sent;
    uint32_t queue;
    uint64_t seq;
    common::OrderRequest request;
    bool operator>(const Pending& o) const noexcept {
      return sent != o.sent ? sent > o.sent : queue != o.queue ? queue > o.queue : seq > o.seq;
    }
  };
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> pending;
  uint64_t pendingSeq = 0;
  std::vector<data_store::StrategyPromise> promises(ids.size());
  std::vector<common::TimestampNs> sendBounds(ids.size());

  common::EventBuffer mdBuf{};
  bool haveMd = false, mdEnded = false;
  common::TimestampNs tMd = data_store::kLockstepUnknown;  // lockstep time of the buffered event
  common::TimestampNs lastT = data_store::kLockstepUnknown;
  common::TimestampNs arrivalBound = data_store::kLockstepUnknown;  // every arrival not yet queued is >= this
  common::TimestampNs sendBound = data_store::kLockstepUnknown;
  uint64_t marketEvents = 0, waits = 0;
  common::OrderRequest req{};
  auto copyMd = [&](const common::EventHeader& e) { std::memcpy(mdBuf.bytes, &e, e.size); };
  auto submit = [&](const common::OrderRequest& r) {
    results.onOrderRequest(r);
    venue.onOrderRequest(r);
  };
  // Reads the promises, pops every queue (after the promises: orders sent later keep them),
  // gives the venue what is safe, and works out the bound on future arrivals.
  auto refresh = [&] {
    for (size_t q = 0; q < peers.size(); ++q) promises[q] = data_store::readStrategyPromise(*peers[q], exec.lastSequence());
    for (uint32_t q = 0; q < queues.size(); ++q)
      while (queues[q]->tryPop(req))
        pending.push({req.request_ts_ns != 0 ? req.request_ts_ns : common::eventTime(req.header), q, pendingSeq++, req});
    const common::TimestampNs mdLow = haveMd ? tMd : mdEnded ? data_store::kLockstepFinished : lastT;
    for (;;) {
      const common::TimestampNs pendingMin = pending.empty() ? data_store::kLockstepFinished : pending.top().sent;
      const common::TimestampNs floor =
          std::min({mdLow, venue.nextArrival(), data_store::saturatingAdd(pendingMin, L)});
      sendBound = data_store::strategySendBounds(promises, floor, L, sendBounds.data());
      if (pending.empty()) break;
      const Pending& p = pending.top();
      bool safe = true;
      for (size_t q = 0; q < sendBounds.size(); ++q) safe = safe && (q == p.queue || sendBounds[q] > p.sent);
      if (!safe) break;
      submit(p.request);
      pending.pop();
    }
    const common::TimestampNs pendingMin = pending.empty() ? data_store::kLockstepFinished : pending.top().sent;
    arrivalBound = std::min(data_store::saturatingAdd(sendBound, L), data_store::saturatingAdd(pendingMin, L));
  };
  // Our promise: every report from now on has receive_ts >= the next venue step + ackMin.
  auto promise = [&](common::TimestampNs mdLow) {
    const common::TimestampNs step = std::min({mdLow, venue.nextArrival(), arrivalBound});
    me.lockstep_clock_ns.store(data_store::saturatingAdd(step, ackMin), std::memory_order_release);
  };
  auto allFinished = [&] {
    for (const auto& p : promises)
      if (!p.finished()) return false;
    return true;
  };

  int rc = 0;
  const int64_t wall0 = common::monoNowNs();
  uint32_t spins = 0;
  bool strategyLost = false;
  while (!common::stopRequested()) {
    if (!haveMd && !mdEnded && md.poll(copyMd, 1) > 0) {
      haveMd = true;
      tMd = data_store::lockstepTime(lastT, mdBuf.header());
    }
    if (haveMd && tMd >= arrivalBound) refresh();
    if (haveMd && tMd < arrivalBound) {
      // Every order that reaches the venue by tMd is queued in it: apply the event.
      spins = 0;
      const common::EventHeader& e = mdBuf.header();
      haveMd = false;
      lastT = tMd;
      switch (e.type) {
        case common::EventType::Control:
          if (reinterpret_cast<const common::Control&>(e).command == common::ControlCommand::EndOfData) mdEnded = true;
          break;
        case common::EventType::Heartbeat:
          break;
        case common::EventType::BestBidOffer: {
          const auto& b = reinterpret_cast<const common::BestBidOffer&>(e);
          if (b.bid_qty > 0 && b.ask_qty > 0) results.onMark(tMd, e.instrument_id, (b.bid_price + b.ask_price) / 2);
          [[fallthrough]];
        }
        default:
          ++marketEvents;
          venue.onMarketData(e);
      }
      promise(tMd);
      continue;
    }
    // Caught up with the strategies in event time (or with the feed).
    refresh();
    if (mdEnded && allFinished()) break;
    const common::TimestampNs mdLow = haveMd ? tMd : mdEnded ? data_store::kLockstepFinished : lastT;
    // Arrivals before the next market event and before anything still unknown can be handled
    // now; a strategy may be waiting for their reports. After the data: only up to its end.
    const common::TimestampNs limit = std::min(arrivalBound, mdEnded ? data_store::saturatingAdd(lastT, 1) : mdLow);
    bool progressed = false;
    while (venue.nextArrival() < limit) {
      venue.advanceTo(venue.nextArrival());
      progressed = true;
    }
    promise(mdLow);
    if (progressed || (haveMd && tMd < arrivalBound)) continue;
    ++waits;
    if (++spins < 64) {
      common::cpuRelax();
    } else {
      if (!haveMd && !mdEnded) md.idle(0, copyMd);
      sched_yield();  // 3 processes on 2 cores: a strategy may need ours
      if ((spins & 4095) == 0)
        for (size_t q = 0; q < peers.size(); ++q)
          if (!promises[q].finished() && !data_store::processAlive(peers[q]->pid)) {
            // Once per lost runner, and the run is spoiled anyway: the cold log is fine here.
            logs->error(mainLog, "backtester: strategy runner {} (pid {}) is gone; results are incomplete",
                        strategyNames[q], peers[q]->pid);
            peers[q]->lockstep_clock_ns.store(data_store::kLockstepFinished, std::memory_order_relaxed);
            strategyLost = true;
          }
    }
  }
  // Every strategy has finished: its last orders (final cancels) go in, in merge order.
  for (uint32_t q = 0; q < queues.size(); ++q)
    while (queues[q]->tryPop(req))
      pending.push({req.request_ts_ns != 0 ? req.request_ts_ns : common::eventTime(req.header), q, pendingSeq++, req});
  for (; !pending.empty(); pending.pop()) submit(pending.top().request);
  venue.finish(lastT);
  results.finish(lastT);
  results.write(cl.get("out"), btc.name);
  const double secs = static_cast<double>(common::monoNowNs() - wall0) / 1e9;
  std::printf("backtester: %s: %" PRIu64 " market events in %.2f s (%.0f events/s), %zu fills\n", btc.name.c_str(),
              marketEvents, secs, static_cast<double>(marketEvents) / secs, results.fills().size());
  if (venue.counters().rejects) {
    std::printf("backtester: rejects by reason:");
    for (uint16_t r = 0; r < 64; ++r)
      if (const uint64_t n = venue.counters().rejectsFor(static_cast<common::RejectReason>(r)))
        std::printf(" %s %" PRIu64, common::toString(static_cast<common::RejectReason>(r)), n);
    std::printf("\n");
  }
  // Per venue: a strategy on several venues is read venue by venue (fills, fees, balances).
  const std::string perVenue = results.ledger().text();
  for (size_t b = 0, e; b < perVenue.size(); b = e + 1) {
    e = std::min(perVenue.find('\n', b), perVenue.size());
    std::printf("backtester: venue %s\n", perVenue.substr(b, e - b).c_str());
  }
  if (strategyLost) rc = 3;
  std::printf("backtester: lockstep: waited %" PRIu64 " times (lookahead %" PRId64 " ns order latency + %" PRId64
              " ns ack latency)\n", waits, L, ackMin);
  std::printf("backtester: results in %s/ (backtest_results.csv, summary.json, report.html)\n", cl.get("out").c_str());
  std::printf("%s", results.summaryJson().c_str());
  std::fflush(stdout);
  logs->info(mainLog, "backtester: {}: stopped: {} market events, {} fills, results in {}/", btc.name, marketEvents,
             results.fills().size(), cl.get("out"));
  registry.detach(me);
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
      logs->error(logs->component("main"), "backtester: error: {}", e.what());
    else
      std::fprintf(stderr, "backtester: error: %s\n", e.what());
    return 2;
  }
}
