// datafeed: the only producer of market data. Runs one IGateway (synthetic market now;
// replay and venues in later issues) and publishes its events on the market-data ring.
#include <cstdio>
#include <map>
#include <memory>
#include <thread>

#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/Cpu.h"
#include "common/Events.h"
#include "common/FixedPoint.h"
#include "common/Shutdown.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "data_store/DataStore.h"
#include "gateways/SyntheticGateway.h"
#include "interfaces/IEventSink.h"

using namespace hft;

namespace {

/// Stamps the publish time and puts each gateway event on the ring; counts by type.
class RingSink final : public interfaces::IEventSink {
 public:
  explicit RingSink(data_store::MarketDataPublisher& pub) : pub_(pub) {}
  void onEvent(common::EventHeader& e) noexcept override {
    e.publish_ts_ns = common::wallNowNs();
    e.sequence = pub_.publish(&e, e.size);
    ++byType_[static_cast<size_t>(e.type) % common::kEventTypeCount];
    lastEventTs_ = e.exchange_ts_ns;
  }
  uint64_t count(common::EventType t) const noexcept { return byType_[static_cast<size_t>(t)]; }
  common::TimestampNs lastEventTs() const noexcept { return lastEventTs_; }

 private:
  data_store::MarketDataPublisher& pub_;
  uint64_t byType_[common::kEventTypeCount]{};
  common::TimestampNs lastEventTs_ = 0;
};

void publishControl(data_store::MarketDataPublisher& pub, common::ControlCommand cmd, uint32_t arg) {
  common::Control c{};
  c.header = common::makeHeader<common::Control>(common::ExchangeId::None, 0, 0, common::wallNowNs());
  c.header.publish_ts_ns = common::wallNowNs();
  c.command = cmd;
  c.arg = arg;
  pub.publish(c);
}

gateways::SyntheticConfig syntheticConfig(const config::InstrumentRegistry& instruments, const common::CommandLine& cl) {
  gateways::SyntheticConfig sc;
  sc.seed = static_cast<uint64_t>(cl.getInt("seed"));
  sc.max_events = static_cast<uint64_t>(cl.getInt("events"));
  sc.start_ns = common::wallNowNs();
  const auto wanted = cl.getList("instruments");
  for (const auto& inst : instruments.all()) {
    if (inst.exchange != common::ExchangeId::Simulated) continue;
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), inst.name) == wanted.end() &&
        std::find(wanted.begin(), wanted.end(), std::to_string(inst.id)) == wanted.end())
      continue;
    // Start prices: a plausible level for each, on the tick grid.
    int64_t start = 100 * common::pow10(inst.price_scale);
    if (inst.base == "BTC") start = 65'000 * common::pow10(inst.price_scale);
    if (inst.base == "ETH") start = 3'200 * common::pow10(inst.price_scale);
    if (inst.base == "SOL") start = 150 * common::pow10(inst.price_scale);
    start -= start % inst.tick_size;
    sc.instruments.push_back({inst.id, inst.exchange, start, inst.tick_size, inst.lot_size, inst.price_scale, inst.qty_scale});
  }
  if (sc.instruments.empty()) throw std::invalid_argument("no simulated instruments selected (see config instruments file)");
  return sc;
}

/// Lets a demo or test start its consumers first without losing the start of the feed.
void waitForConsumers(const data_store::ProcessRegistry& registry, const std::string& ring, size_t want) {
  const int64_t deadline = common::monoNowNs() + 10'000'000'000;
  while (want > 0 && !common::stopRequested() && common::monoNowNs() < deadline) {
    size_t n = 0;
    for (const auto& p : registry.list()) n += p.alive && p.reading == ring;
    if (n >= want) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (want > 0) std::fprintf(stderr, "datafeed: waited 10 s for %zu consumers; starting anyway\n", want);
}

int run(int argc, char** argv) {
  common::CommandLine cl("datafeed", "Publishes market data on the shared-memory bus.");
  cl.option("config", "system config file", "config/system.json")
      .option("source", "market-data source: synthetic", "synthetic")
      .option("events", "stop after this many events (0 = run until SIGTERM)", "0")
      .option("speed", "event time / wall time (1 = real time, 10 = 10x, 0 = as fast as possible)", "1")
      .option("seed", "synthetic market seed", "42")
      .option("instruments", "comma-separated instrument names or ids (default: all simulated)")
      .option("wait-for-consumers", "before publishing, wait (up to 10 s) until this many consumers read the ring", "0")
      .flag("check-config", "validate the configuration and exit");
  if (!cl.parse(argc, argv)) return 0;
  const auto sys = config::SystemConfig::loadFile(cl.get("config"));
  const auto instruments = config::InstrumentRegistry::loadFile(sys.instruments_file);
  const auto proc = sys.process("datafeed");
  const auto waitKind = data_store::waitKindFromString(proc.wait);
  if (cl.get("source") != "synthetic")
    throw std::invalid_argument("--source: unknown source \"" + cl.get("source") + "\" (valid: synthetic)");
  auto gateway = std::make_unique<gateways::SyntheticGateway>(syntheticConfig(instruments, cl));
  if (cl.has("check-config")) {
    std::printf("datafeed: configuration OK (%s, bus %s, %zu instruments)\n", sys.source.c_str(),
                sys.bus.name.c_str(), instruments.all().size());
    return 0;
  }
  common::installShutdownHandlers();
  if (auto err = common::pinThisThread(proc.core); !err.empty()) throw std::runtime_error(err);
  if (proc.mlockall)
    if (auto err = common::lockAllMemory(); !err.empty()) throw std::runtime_error(err);

  const data_store::BusNames names{sys.bus.name};
  data_store::ShmOptions shm{sys.bus.permissions, sys.bus.prefault, sys.bus.lock_memory, sys.bus.huge_pages};
  data_store::ProcessRegistry registry(names.registry(), shm);
  auto& me = registry.attach("datafeed:" + gateway->name(), data_store::ProcessRole::Datafeed, "", proc.core);
  data_store::MarketDataPublisher pub(names.marketData(), sys.bus.market_data_capacity, shm);
  pub.setNotify(waitKind != data_store::WaitKind::BusySpin);  // see BroadcastPublisher::setNotify
  RingSink sink(pub);
  std::fprintf(stderr, "datafeed: publishing %s on /dev/shm/%s (%llu slots), pid %d\n", gateway->name().c_str(),
               names.marketData().c_str(), static_cast<unsigned long long>(pub.capacity()), getpid());

  waitForConsumers(registry, names.marketData(), static_cast<size_t>(cl.getInt("wait-for-consumers")));
  gateway->start(sink);
  publishControl(pub, common::ControlCommand::StartOfData, static_cast<uint32_t>(instruments.all().size()));
  const double speed = cl.getDouble("speed");
  const int64_t wallStart = common::monoNowNs();
  common::TimestampNs firstEventTs = 0;
  int64_t lastHeartbeat = 0;
  uint64_t heartbeats = 0;
  while (!common::stopRequested() && !gateway->finished()) {
    const int64_t now = common::monoNowNs();
    if (speed > 0 && firstEventTs != 0) {
      // Pace by event time: do not publish ahead of (event time elapsed / speed).
      const auto due = static_cast<int64_t>(static_cast<double>(sink.lastEventTs() - firstEventTs) / speed);
      if (now - wallStart < due) {
        if (due - (now - wallStart) > 200'000) std::this_thread::sleep_for(std::chrono::microseconds(100));
        continue;
      }
    }
    gateway->poll();
    if (firstEventTs == 0) firstEventTs = sink.lastEventTs();
    if (now - lastHeartbeat >= 1'000'000'000) {
      lastHeartbeat = now;
      common::Heartbeat hb{};
      hb.header = common::makeHeader<common::Heartbeat>(common::ExchangeId::None, 0, 0, common::wallNowNs());
      hb.header.publish_ts_ns = common::wallNowNs();
      hb.pid = static_cast<uint32_t>(getpid());
      hb.role = static_cast<uint32_t>(data_store::ProcessRole::Datafeed);
      hb.counter = ++heartbeats;
      pub.publish(hb);
      pub.heartbeat(common::wallNowNs());
      me.heartbeat_ns.store(common::wallNowNs(), std::memory_order_relaxed);
      me.processed.store(pub.lastSequence(), std::memory_order_relaxed);
    }
  }
  gateway->stop();
  publishControl(pub, common::ControlCommand::EndOfData, 0);
  me.processed.store(pub.lastSequence(), std::memory_order_relaxed);
  const double secs = static_cast<double>(common::monoNowNs() - wallStart) / 1e9;
  std::printf("datafeed: published %llu events in %.2f s (%.0f events/s): Trade %llu, BestBidOffer %llu, "
              "BookDelta %llu, BookSnapshot %llu, Heartbeat %llu\n",
              static_cast<unsigned long long>(pub.lastSequence()), secs, static_cast<double>(pub.lastSequence()) / secs,
              static_cast<unsigned long long>(sink.count(common::EventType::Trade)),
              static_cast<unsigned long long>(sink.count(common::EventType::BestBidOffer)),
              static_cast<unsigned long long>(sink.count(common::EventType::BookDelta)),
              static_cast<unsigned long long>(sink.count(common::EventType::BookSnapshot)),
              static_cast<unsigned long long>(heartbeats));
  std::fflush(stdout);
  registry.detach(me);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "datafeed: error: %s\n", e.what());
    return 2;
  }
}
