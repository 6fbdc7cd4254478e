// backtester: takes the order executor's place in a replay. It reads the same strategy order
// queues and publishes ExecutionReports on the same ring, so strategy_runner runs unchanged;
// fills come from a simulated venue driven by the replayed market data (lockstep).
#include <cinttypes>
#include <cstdio>
#include <deque>
#include <fstream>
#include <memory>

#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/Shutdown.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "data_store/DataStore.h"
#include "execution_engine/backtest/BacktestConfig.h"
#include "execution_engine/backtest/BacktestResults.h"
#include "execution_engine/sim/SimulatedExchange.h"
#include "strategy_engine/StrategyConfig.h"

using namespace hft;
namespace bt = hft::execution_engine::backtest;
namespace sim = hft::execution_engine::sim;

namespace {

int run(int argc, char** argv) {
  common::CommandLine cl("backtester", "Simulated venue for a lockstep replay (see scripts/backtest).");
  cl.option("config", "backtest config (config/backtests/NAME.json)")
      .option("system", "system config", "config/system.json")
      .option("out", "directory for backtest_results.csv, summary.json, report.html", "backtest-out")
      .flag("print-plan", "print the recordings and strategy configs of the backtest, one per line, and exit")
      .flag("check-config", "validate the configuration and exit");
  if (!cl.parse(argc, argv)) return 0;
  if (cl.get("config").empty()) throw std::invalid_argument("--config config/backtests/NAME.json is required");
  const auto btc = bt::BacktestConfig::loadFile(cl.get("config"));
  if (cl.has("print-plan")) {
    for (const auto& r : btc.recordings) std::printf("recording %s\n", r.c_str());
    for (const auto& s : btc.strategies) std::printf("strategy %s\n", s.c_str());
    return 0;
  }
  const auto sys = config::SystemConfig::loadFile(cl.get("system"));
  const auto instruments = config::InstrumentRegistry::loadFile(sys.instruments_file);
  const auto simCfg = sim::SimConfig::fromJson(btc.simulation());
  std::vector<common::StrategyId> ids;
  for (const auto& s : btc.strategies) ids.push_back(strategy_engine::StrategyConfig::loadFile(s, instruments).strategy_id);
  if (cl.has("check-config")) {
    std::printf("backtester: configuration OK (%s: %zu recordings, %zu strategies)\n", btc.source.c_str(),
                btc.recordings.size(), ids.size());
    return 0;
  }
  common::installShutdownHandlers();
  const data_store::BusNames names{sys.bus.name};
  const data_store::ShmOptions shm{sys.bus.permissions, sys.bus.prefault, sys.bus.lock_memory, sys.bus.huge_pages};
  data_store::ProcessRegistry registry(names.registry(), shm);
  data_store::ExecPublisher exec(names.execReports(), sys.bus.exec_capacity, shm);

  bt::BacktestResults results(instruments, btc.sample_interval_ns);
  // Reports reach strategies at their receive time (venue time + ack latency): held here and
  // published once replayed market time has reached it, in venue order.
  std::deque<common::EventBuffer> held;
  sim::SimulatedExchange venue(instruments, simCfg, [&](const common::EventHeader& e) {
    held.emplace_back();
    std::memcpy(held.back().bytes, &e, e.size);
    if (e.type == common::EventType::ExecutionReport) results.onReport(reinterpret_cast<const common::ExecutionReport&>(e));
  });
  auto release = [&](common::TimestampNs upTo) {
    while (!held.empty() && held.front().header().receive_ts_ns <= upTo) {
      exec.publish(held.front().bytes, held.front().header().size);
      held.pop_front();
    }
  };

  // The strategies create their order queues; they may start after us.
  std::vector<std::unique_ptr<data_store::OrderQueueConsumer>> queues;
  for (const auto id : ids) queues.push_back(std::make_unique<data_store::OrderQueueConsumer>(names.orderQueue(id), 30'000));

  data_store::RingConsumer<data_store::kMarketDataSlotBytes> md(names.marketData(), nullptr, data_store::WaitKind::SpinYield,
                                                               data_store::StartAt::Live, 30'000);
  auto& me = registry.attach("backtester", data_store::ProcessRole::Backtester, names.marketData(), -1);
  md.setRegistryEntry(&me);
  md.enableLockstep();
  std::fprintf(stderr, "backtester: %s: %zu strategies, reports on /dev/shm/%s\n", btc.name.c_str(), ids.size(),
               names.execReports().c_str());

  bool ended = false;
  common::TimestampNs lastT = 0;
  uint64_t marketEvents = 0;
  common::OrderRequest req{};
  auto onEvent = [&](const common::EventHeader& e) {
    // Orders the strategies sent in reaction to earlier events are all queued by now (lockstep):
    // hand them to the venue in strategy order, so the result never depends on timing.
    for (auto& q : queues)
      while (q->tryPop(req)) {
        results.onOrderRequest(req);
        venue.onOrderRequest(req);
      }
    switch (e.type) {
      case common::EventType::Control:
        if (reinterpret_cast<const common::Control&>(e).command == common::ControlCommand::EndOfData) ended = true;
        me.lockstep_output[e.sequence & 1].store(exec.lastSequence(), std::memory_order_release);
        return;
      case common::EventType::BestBidOffer: {
        const auto& b = reinterpret_cast<const common::BestBidOffer&>(e);
        if (b.bid_qty > 0 && b.ask_qty > 0) results.onMark(common::eventTime(e), e.instrument_id, (b.bid_price + b.ask_price) / 2);
        break;
      }
      case common::EventType::Heartbeat:
        me.lockstep_output[e.sequence & 1].store(exec.lastSequence(), std::memory_order_release);
        return;
      default:
        break;
    }
    lastT = std::max(lastT, common::eventTime(e));
    ++marketEvents;
    venue.onMarketData(e);
    release(common::eventTime(e));
    // Tell the strategies where this event's reports end (see RegistryEntry::lockstep_output);
    // stored before RingConsumer::poll marks the event done.
    me.lockstep_output[e.sequence & 1].store(exec.lastSequence(), std::memory_order_release);
  };
  const int64_t wall0 = common::monoNowNs();
  while (!common::stopRequested() && !ended) {
    const int n = md.poll(onEvent);
    md.idle(n, onEvent);
  }
  for (auto& q : queues)
    while (q->tryPop(req)) {
      results.onOrderRequest(req);
      venue.onOrderRequest(req);
    }
  venue.finish(lastT);
  release(INT64_MAX);
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
  std::printf("backtester: results in %s/ (backtest_results.csv, summary.json, report.html)\n", cl.get("out").c_str());
  std::printf("%s", results.summaryJson().c_str());
  std::fflush(stdout);
  registry.detach(me);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "backtester: error: %s\n", e.what());
    return 2;
  }
}
