// strategy_latency: market_maker from book update to order decision, per event, through the
// real StrategyHost (book apply + strategy callback + order request into a null sink), over a
// synthetic market. Each event is timed with the TSC; percentiles from a histogram. Baseline
// in the same run: the host with a strategy that does nothing (book apply + dispatch only).
//   strategy_latency [--events N] [--core C]
#include <cinttypes>
#include <cstdio>

#include "bench/Tsc.h"
#include "common/CommandLine.h"
#include "common/Cpu.h"
#include "common/LatencyHistogram.h"
#include "gateways/SyntheticMarket.h"
#include "strategies/MarketMaker.h"
#include "strategy_engine/StrategyHost.h"
#include "strategy_engine/StrategyParams.h"

using namespace hft;

namespace {

/// Keeps the last requests so the loop can acknowledge them outside the timed section: an
/// instant venue, so the market maker keeps requoting as it would live.
struct AckingSink final : strategy_engine::IOrderSink {
  uint64_t sent = 0;
  common::OrderRequest pending[16];
  int n = 0;
  bool send(const common::OrderRequest& r) noexcept override {
    ++sent;
    if (n < 16) pending[n++] = r;
    return true;
  }
  void acknowledge(strategy_engine::StrategyHost& host) noexcept {
    for (int i = 0; i < n; ++i) {
      const auto& r = pending[i];
      common::ExecutionReport e{};
      e.header = common::makeHeader<common::ExecutionReport>(r.header.exchange_id, r.header.instrument_id,
                                                             r.header.exchange_ts_ns, r.header.exchange_ts_ns);
      e.strategy_id = r.strategy_id;
      e.side = r.side;
      e.order_price = r.price;
      e.leaves_qty = r.qty;
      if (r.action == common::OrderAction::New) {
        e.client_order_id = r.client_order_id;
        e.exec_type = common::ExecType::New;
        host.onEvent(e.header);
      } else {  // cancel, or the cancel half of a cancel-replace, then the replacement's ack
        e.client_order_id = r.orig_client_order_id;
        e.exec_type = common::ExecType::Canceled;
        host.onEvent(e.header);
        if (r.action == common::OrderAction::Modify) {
          e.client_order_id = r.client_order_id;
          e.exec_type = common::ExecType::New;
          host.onEvent(e.header);
        }
      }
    }
    n = 0;
  }
};

struct Idle final : strategy_engine::IStrategy {};

config::InstrumentRegistry instruments() {
  return config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 101, "exchange": "simulated", "base": "BTC", "quote": "USDT", "price_scale": 2, "qty_scale": 5,
     "tick_size": "0.01", "lot_size": "0.00001", "min_notional": "1"}]})"), "bench");
}

struct Result {
  common::LatencyHistogram hist;
  uint64_t orders = 0;
};

Result run(strategy_engine::IStrategy& strategy, const config::InstrumentRegistry& reg, uint64_t events,
           const bench::TscClock& clock) {
  AckingSink sink;
  strategy_engine::StrategyHost host(reg, {1, 1, {101}, 256, 256}, strategy, sink);
  host.start();
  gateways::SyntheticConfig sc;
  sc.max_events = events;
  sc.instruments = {{101, common::ExchangeId::Simulated, 6'500'000, 1, 1, 2, 5}};
  gateways::SyntheticMarket market(sc);
  common::EventBuffer buf{};
  Result r;
  uint64_t n = 0;
  while (market.next(buf)) {
    const auto& h = buf.header();
    const uint64_t t0 = bench::tscNow();
    host.onEvent(h);
    const uint64_t t1 = bench::tscAfterLoads();
    // Book updates are what the issue asks about; warm-up excluded.
    if (h.type == common::EventType::BookDelta && ++n > 10'000)
      r.hist.record(static_cast<int64_t>(clock.toNs(t1 - t0)));
    sink.acknowledge(host);
  }
  r.orders = sink.sent;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  common::CommandLine cl("strategy_latency", "market_maker: book update -> order decision, ns per event.");
  cl.option("events", "synthetic events", "2000000").option("core", "pin to this core (-1 = no)", "1");
  try {
    if (!cl.parse(argc, argv)) return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  if (auto err = common::pinThisThread(static_cast<int>(cl.getInt("core"))); !err.empty())
    std::fprintf(stderr, "strategy_latency: %s (running unpinned)\n", err.c_str());
  const auto reg = instruments();
  const auto clock = bench::TscClock::calibrate();
  const auto events = static_cast<uint64_t>(cl.getInt("events"));
  nlohmann::json p = nlohmann::json::parse(
      R"({"reference": "microprice", "half_spread_ticks": 20, "order_qty": "0.001", "skew_ticks_per_unit": 10,
          "max_position": "0.01", "requote_ticks": 5, "pull_ticks": 5000, "pull_window_ms": 500, "pause_ms": 2000})");
  strategy_engine::StrategyParams params(config::JsonNode(p, "bench"));
  auto mm = strategies::makeMarketMaker(params, {reg, {101}});
  Idle idle;
  const Result base = run(idle, reg, events, clock);
  const Result mmr = run(*mm, reg, events, clock);
  auto line = [](const char* what, const Result& r) {
    std::printf("%-34s p50 %5" PRIu64 " ns  p99 %6" PRIu64 " ns  p99.9 %6" PRIu64 " ns  (%" PRIu64 " book updates, %" PRIu64
                " order requests)\n",
                what, r.hist.percentile(0.5), r.hist.percentile(0.99), r.hist.percentile(0.999), r.hist.count(), r.orders);
  };
  line("baseline: host, idle strategy", base);
  line("market_maker: update -> decision", mmr);
  return 0;
}
