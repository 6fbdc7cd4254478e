// datafeed: the only producer of market data. Runs one IGateway - the synthetic market, or a
// replay of recorded sessions (venues come with their issues) - and publishes its events on
// the market-data ring. In lockstep mode (backtests) it never laps a lockstep consumer: it runs
// up to half a ring ahead of the slowest (data_store/LockstepBarrier.h).
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/Cpu.h"
#include "common/Events.h"
#include "common/FixedPoint.h"
#include "common/Shutdown.h"
#include "common/log/LogService.h"
#include "common/metrics/EventTypeCounters.h"
#include "common/metrics/MetricsCommandLine.h"
#include "config/ConfigSet.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "data_store/DataStore.h"
#include "data_store/metrics/ProcessRegistryCollector.h"
#include "gateways/CompositeGateway.h"
#include "gateways/MarketDataSources.h"
#include "gateways/ReplayGateway.h"
#include "gateways/SyntheticGateway.h"
#include "interfaces/IEventSink.h"
#include "processes/common/ConfigSetCheck.h"

using namespace hft;

namespace {

/// Stamps the publish time and puts each event on the ring (after the lockstep barrier, when
/// there is one); counts by type. Every publish of this process goes through here.
class RingSink final : public interfaces::IEventSink {
 public:
  RingSink(data_store::MarketDataPublisher& pub, data_store::LockstepBarrier* lockstep, common::metrics::Gauge& head)
      : pub_(pub), lockstep_(lockstep), window_(pub.capacity() / 2), head_(head) {}
  void onEvent(common::EventHeader& e) noexcept override {
    // Lockstep: never overwrite what a consumer has not read (half a ring of margin).
    if (lockstep_ && pub_.lastSequence() >= window_) lockstep_->waitFor(pub_.lastSequence() + 1 - window_);
    e.publish_ts_ns = common::wallNowNs();
    e.sequence = pub_.publish(&e, e.size);
    head_.set(static_cast<int64_t>(e.sequence));  // relaxed store: a plain mov; the scrape's ring head
    ++byType_[static_cast<size_t>(e.type) % common::kEventTypeCount];
    if (e.type != common::EventType::Heartbeat && e.type != common::EventType::Control) lastEventTs_ = common::eventTime(e);
  }
  uint64_t count(common::EventType t) const noexcept { return byType_[static_cast<size_t>(t)]; }
  const uint64_t (&counts() const noexcept)[common::kEventTypeCount] { return byType_; }
  common::TimestampNs lastEventTs() const noexcept { return lastEventTs_; }

 private:
  data_store::MarketDataPublisher& pub_;
  data_store::LockstepBarrier* lockstep_;
  uint64_t window_;
  common::metrics::Gauge& head_;
  uint64_t byType_[common::kEventTypeCount]{};
  common::TimestampNs lastEventTs_ = 0;
};

void publishControl(RingSink& sink, common::ControlCommand cmd, uint32_t arg) {
  common::Control c{};
  // Stamped with the feed's event time, not the wall clock: in a replay, "now" is the data's.
  const common::TimestampNs t = sink.lastEventTs();
  c.header = common::makeHeader<common::Control>(common::ExchangeId::None, 0, t, t);
  c.command = cmd;
  c.arg = arg;
  sink.onEvent(c.header);
}

std::vector<common::InstrumentId> selectedIds(const config::InstrumentRegistry& reg, const std::vector<std::string>& wanted,
                                              bool simulatedOnly) {
  std::vector<common::InstrumentId> ids;
  for (const auto& inst : reg.all()) {
    if (simulatedOnly && inst.exchange != common::ExchangeId::Simulated) continue;
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), inst.name) == wanted.end() &&
        std::find(wanted.begin(), wanted.end(), std::to_string(inst.id)) == wanted.end() &&
        std::find(wanted.begin(), wanted.end(), inst.venue_symbol) == wanted.end())
      continue;
    ids.push_back(inst.id);
  }
  if (!wanted.empty() && ids.empty()) throw std::invalid_argument("--instruments: none of the given names is configured");
  return ids;
}

std::unique_ptr<interfaces::IGateway> makeGateway(const config::InstrumentRegistry& reg, const common::CommandLine& cl) {
  const auto wanted = cl.getList("instruments");
  if (!cl.positional().empty() || cl.has("replay")) {
    gateways::ReplayOptions ro;
    ro.files = cl.positional();
    if (ro.files.empty()) throw std::invalid_argument("--replay needs at least one FILE");
    ro.from_ns = cl.getInt("from");
    if (cl.getInt("to") > 0) ro.to_ns = cl.getInt("to");
    if (!wanted.empty()) ro.instruments = selectedIds(reg, wanted, false);
    return std::make_unique<gateways::ReplayGateway>(ro);
  }
  if (cl.get("source") != "synthetic") {
    // Live venues, by their registered names (gateways/venues/<Venue>.cpp); several, comma
    // separated, run in this one datafeed (CompositeGateway): one producer for the ring.
    const std::vector<std::string> names = cl.getList("source");
    const std::vector<std::string> symbols = cl.getList("symbols");
    if (names.size() > 1 && (!cl.get("rest-url").empty() || !cl.get("ws-url").empty()))
      throw std::invalid_argument("--rest-url/--ws-url name one venue's endpoints: with several sources, set them in "
                                  "exchanges/<venue>.json or HFT_<VENUE>_REST_URL / HFT_<VENUE>_WS_URL");
    std::vector<std::unique_ptr<interfaces::IGateway>> venues;
    for (const std::string& name : names) {
      const gateways::MarketDataSource* venue = gateways::findMarketDataSource(name);
      if (venue == nullptr)
        throw std::invalid_argument("--source: unknown source \"" + name + "\" (valid: synthetic, " +
                                    gateways::marketDataSourceNames() + ", several comma-separated; or --replay FILE...)");
      gateways::MarketDataRequest req{reg, config::ConfigSet::exchangesDir(cl.get("config")), {}, cl.get("rest-url"),
                                      cl.get("ws-url")};
      // --symbols: each venue takes the ones it lists (all of them when there is one venue).
      const common::ExchangeId id = common::exchangeFromString(name.c_str());
      for (const std::string& s : symbols)
        if (names.size() == 1 || reg.byVenueSymbol(id, s) != nullptr) req.symbols.push_back(s);
      if (names.size() > 1 && !symbols.empty() && req.symbols.empty())
        throw std::invalid_argument("--symbols: none of them is an instrument of " + name);
      venues.push_back(venue->make(req));
    }
    if (venues.size() == 1) return std::move(venues.front());
    return std::make_unique<gateways::CompositeGateway>(std::move(venues));
  }
  gateways::SyntheticConfig sc;
  sc.seed = static_cast<uint64_t>(cl.getInt("seed"));
  sc.max_events = static_cast<uint64_t>(cl.getInt("events"));
  sc.start_ns = common::wallNowNs();
  for (const auto id : selectedIds(reg, wanted, true)) {
    const auto& inst = *reg.byId(id);
    // Start prices: a plausible level for each, on the tick grid and deep enough for the book.
    int64_t start = (inst.base == "BTC" ? 65'000 : inst.base == "ETH" ? 3'200 : 150) * common::pow10(inst.price_scale);
    start -= start % inst.tick_size;
    sc.instruments.push_back({id, inst.exchange, start, inst.tick_size, inst.lot_size, inst.price_scale, inst.qty_scale});
  }
  if (sc.instruments.empty()) throw std::invalid_argument("no simulated instruments configured");
  return std::make_unique<gateways::SyntheticGateway>(sc);
}

/// Lets a demo or test start its consumers first without losing the start of the feed.
/// False when they did not all come within 10 s.
bool waitForConsumers(const data_store::ProcessRegistry& registry, const std::string& ring, size_t want) {
  const int64_t deadline = common::monoNowNs() + 10'000'000'000;
  while (want > 0 && !common::stopRequested() && common::monoNowNs() < deadline) {
    size_t n = 0;
    for (const auto& p : registry.list()) n += p.alive && p.reading == ring;
    if (n >= want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return want == 0;
}

int run(int argc, char** argv, std::unique_ptr<common::log::LogService>& logs) {
  std::string usage = "Publishes market data on the shared-memory bus.\n"
                      "  datafeed [--source synthetic]          a synthetic market\n"
                      "  datafeed --replay FILE...              recorded sessions, merged by exchange time\n"
                      "  datafeed --source VENUE[,VENUE...] [--symbols S,...] [--rest-url URL] [--ws-url URL]   live venue market data:";
  for (const auto& venue : gateways::marketDataSources())
    usage.append("\n    ").append(venue.name).append(": ").append(venue.usage);
  common::CommandLine cl("datafeed", usage);
  cl.option("config", "system config file", "config/system.json")
      .option("source", "market-data source when not replaying: synthetic, or venues, comma-separated (" +
                            gateways::marketDataSourceNames() + ")",
              "synthetic")
      .option("symbols", "venues: comma-separated venue symbols (default: every configured one of the venue)")
      .option("rest-url", "venues: REST base URL (default: exchanges/<source>.json beside the system file)")
      .option("ws-url", "venues: market-data WebSocket URL (binance_futures: the base whose /public/stream carries books and "
                        "/market/stream trades; default: exchanges/<source>.json beside the system file)")
      .flag("replay", "replay the .bin.lz4 files given as arguments")
      .option("from", "replay: first event time (ns since epoch, inclusive)", "0")
      .option("to", "replay: last event time (ns since epoch, inclusive; 0 = end)", "0")
      .option("events", "synthetic: stop after this many events (0 = run until SIGTERM)", "0")
      .option("speed", "event time / wall time (1 = real time, 10 = 10x, 0 = as fast as possible)", "1")
      .option("seed", "synthetic market seed", "42")
      .option("instruments", "comma-separated instrument names, symbols or ids (default: all)")
      .option("wait-for-consumers", "before publishing, wait (up to 10 s) until this many consumers read the ring", "0")
      .flag("lockstep", "never lap a lockstep consumer: wait for the slowest before overwriting (backtests)")
      .flag("check-config", "validate the configuration and exit");
  common::metrics::addMetricsOptions(cl);
  if (!cl.parse(argc, argv)) return 0;
  const auto sys = config::SystemConfig::loadFile(cl.get("config"));
  const auto instruments = config::InstrumentRegistry::loadFile(sys.instruments_file);
  const auto proc = sys.process("datafeed");
  const auto waitKind = data_store::waitKindFromString(proc.wait);
  auto gateway = makeGateway(instruments, cl);
  auto logConfig = common::log::LogConfig::fromJson(sys.logging, sys.source, "datafeed");
  if (cl.has("check-config")) {
    if (!processes::checkConfigSet(cl.get("config"), "datafeed")) return 1;
    std::printf("datafeed: configuration OK (%s, bus %s, %zu instruments)\n", sys.source.c_str(),
                sys.bus.name.c_str(), instruments.all().size());
    return 0;
  }
  logs = std::make_unique<common::log::LogService>(std::move(logConfig));
  common::log::Component& mainLog = logs->component("main");
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
  std::unique_ptr<data_store::LockstepBarrier> lockstep;
  if (cl.has("lockstep")) lockstep = std::make_unique<data_store::LockstepBarrier>(registry, names.marketData());
  // Metrics: registered here (cold); the loop below copies its plain counters every 100 ms.
  common::metrics::MetricsRegistry metrics;
  common::metrics::EventTypeCounters publishedByType(metrics, "hft_events_published_total",
                                                     "Events this datafeed published on the market-data ring, by type");
  const common::metrics::Labels ringLabel{{"ring", names.marketData()}};
  auto& headGauge = metrics.gauge("hft_ring_head_sequence", "Sequence of the last event published on the ring", ringLabel);
  metrics.gauge("hft_ring_capacity", "Slots in the ring", ringLabel).set(static_cast<int64_t>(pub.capacity()));
  auto& heartbeatsCounter = metrics.counter("hft_heartbeats_published_total", "Heartbeat events published");
  const std::string mdRing = names.marketData();
  data_store::metrics::addProcessRegistryCollector(metrics, registry, [&headGauge, mdRing](const std::string& ring) {
    return ring == mdRing ? static_cast<uint64_t>(headGauge.value()) : 0;
  });
  RingSink sink(pub, lockstep.get(), headGauge);
  const bool lockstepRun = lockstep != nullptr;
  const std::string gatewayName = gateway->name();
  auto metricsServer = common::metrics::startMetricsServer(cl, metrics, "datafeed", [&me, &headGauge, lockstepRun, gatewayName] {
    // Unhealthy when the publishing loop stopped showing life (heartbeats are 1 s apart; none in lockstep).
    const int64_t ageNs = common::wallNowNs() - me.heartbeat_ns.load(std::memory_order_relaxed);
    common::metrics::HealthStatus h;
    h.healthy = lockstepRun || ageNs < 5'000'000'000;
    h.detail_json = "{\"source\":\"";
    h.detail_json.append(gatewayName).append("\",\"published\":").append(std::to_string(headGauge.value()));
    h.detail_json.append(",\"heartbeat_age_ms\":").append(std::to_string(ageNs / 1'000'000)).append("}");
    return h;
  });
  {
    std::string banner = fmt::format("datafeed: publishing {} on /dev/shm/{} ({} slots){}, pid {}", gateway->name(),
                                     names.marketData(), pub.capacity(), lockstep ? " in lockstep" : "", getpid());
    logs->info(mainLog, "{}", banner);
    // Also on stderr as before: scripts/backtest and the replay tests read this banner there.
    std::fprintf(stderr, "%s\n", banner.c_str());
  }

  const auto wantConsumers = static_cast<size_t>(cl.getInt("wait-for-consumers"));
  if (lockstep && wantConsumers > 0 && !lockstep->waitForConsumers(wantConsumers, 10'000))
    logs->warn(mainLog, "datafeed: waited 10 s for {} lockstep consumers; starting anyway", wantConsumers);
  else if (!lockstep && !waitForConsumers(registry, names.marketData(), wantConsumers))
    logs->warn(mainLog, "datafeed: waited 10 s for {} consumers; starting anyway", wantConsumers);
  gateway->start(sink);
  publishControl(sink, common::ControlCommand::StartOfData, static_cast<uint32_t>(instruments.all().size()));
  // Live venues are not paced: their events are published as they arrive.
  const double speed = gateway->isLive() ? 0.0 : cl.getDouble("speed");
  const int64_t wallStart = common::monoNowNs();
  common::TimestampNs firstEventTs = 0;
  int64_t lastHeartbeat = wallStart;
  uint64_t heartbeats = 0;
  int64_t nextMetrics = 0;
  auto copyMetrics = [&] {
    publishedByType.copy(sink.counts());
    heartbeatsCounter.set(heartbeats);
  };
  while (!common::stopRequested() && !gateway->finished()) {
    const int64_t now = common::monoNowNs();
    if (metricsServer && now >= nextMetrics) {
      copyMetrics();
      nextMetrics = now + 100'000'000;
    }
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
    // Heartbeats are wall-clock liveness: not in lockstep runs, which must be reproducible.
    if (!lockstep && now - lastHeartbeat >= 1'000'000'000) {
      lastHeartbeat = now;
      common::Heartbeat hb{};
      hb.header = common::makeHeader<common::Heartbeat>(common::ExchangeId::None, 0, 0, common::wallNowNs());
      hb.pid = static_cast<uint32_t>(getpid());
      hb.role = static_cast<uint32_t>(data_store::ProcessRole::Datafeed);
      hb.counter = ++heartbeats;
      sink.onEvent(hb.header);
      pub.heartbeat(common::wallNowNs());
      me.heartbeat_ns.store(common::wallNowNs(), std::memory_order_relaxed);
      me.processed.store(pub.lastSequence(), std::memory_order_relaxed);
    }
  }
  gateway->stop();
  publishControl(sink, common::ControlCommand::EndOfData, 0);
  if (lockstep) lockstep->waitFor(pub.lastSequence());  // consumers finish before we report
  me.processed.store(pub.lastSequence(), std::memory_order_relaxed);
  copyMetrics();
  const double secs = static_cast<double>(common::monoNowNs() - wallStart) / 1e9;
  std::printf("datafeed: published %" PRIu64 " events in %.2f s (%.0f events/s): Trade %" PRIu64 ", BestBidOffer %" PRIu64
              ", BookDelta %" PRIu64 ", BookSnapshot %" PRIu64 ", Bar %" PRIu64 ", Gap %" PRIu64 ", Heartbeat %" PRIu64 "\n",
              pub.lastSequence(), secs, static_cast<double>(pub.lastSequence()) / secs, sink.count(common::EventType::Trade),
              sink.count(common::EventType::BestBidOffer), sink.count(common::EventType::BookDelta),
              sink.count(common::EventType::BookSnapshot), sink.count(common::EventType::Bar),
              sink.count(common::EventType::Gap), heartbeats);
  if (lockstep && lockstep->waits())
    std::printf("datafeed: lockstep: waited %" PRIu64 " times, %.0f ns per published event on average\n", lockstep->waits(),
                static_cast<double>(lockstep->waitedNs()) / static_cast<double>(std::max<uint64_t>(1, pub.lastSequence())));
  for (const std::string& line : gateway->statusLines()) std::printf("datafeed: %s\n", line.c_str());
  int rc = 0;
  if (auto* replay = dynamic_cast<gateways::ReplayGateway*>(gateway.get())) {
    for (const auto& err : replay->errors()) {
      std::printf("datafeed: replay stopped early: %s\n", err.c_str());
      logs->warn(mainLog, "datafeed: replay stopped early: {}", err);
      rc = 1;
    }
  }
  logs->info(mainLog, "datafeed: stopped: published {} events in {:.2f} s", pub.lastSequence(), secs);
  std::fflush(stdout);
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
    if (logs) logs->error(logs->component("main"), "datafeed: error: {}", e.what());
    else std::fprintf(stderr, "datafeed: error: %s\n", e.what());
    return 2;
  }
}
