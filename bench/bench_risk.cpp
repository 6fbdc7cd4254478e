// bench_risk: the cost of one full pre-trade check (managers::RiskManager::check) with every
// limit configured and tables of a realistic size: 64 instruments on four venues, 16 strategies
// with a position limit in every instrument, 2000 resting orders, balances, equity and PnL fed.
//
// Two parts, one binary:
//   1. a manual loop that times every call with the TSC into a histogram and prints percentiles
//      (p50/p99/p99.9/max), next to two baselines measured in the same run: the timer alone
//      (two TSC reads) and a "minimal check" (qty > 0, lot, tick, max qty: the least any
//      pre-trade gate does);
//   2. Google Benchmark means of the same calls (pass its flags through, e.g.
//      --benchmark_repetitions=5).
// Every timed check runs to the end and accepts (rates and balances are set so nothing stops it
// early): the costliest path. The requests cycle through 4096 prepared ones (limit, market,
// modify, both sides, every instrument and strategy) so branches and tables are not one hot line.
//
//   build/bin/bench_risk [--core=N] [--checks=N] [Google Benchmark flags]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/Tsc.h"
#include "common/Cpu.h"
#include "common/LatencyHistogram.h"
#include "managers/RiskManager.h"

namespace {

using namespace hft;
using common::ExchangeId;
using common::OrderAction;
using common::OrderRequest;
using common::OrderType;
using common::Side;

constexpr int kInstruments = 64;
constexpr int kStrategies = 16;
constexpr int kResting = 2000;
constexpr size_t kRequests = 4096;  // a power of two: the loops index with a mask
constexpr common::TimestampNs kT0 = 1'700'000'000'000'000'000;

struct VenueSpec {
  ExchangeId venue;
  const char* name;
  const char* quote;
  int count, price_scale, qty_scale;
  const char *tick, *lot, *min_notional;
  int64_t ref;  // reference price, raw
};
// 24 binance spot, 16 binance futures, 12 upbit (KRW), 12 simulated: 64 instruments.
constexpr VenueSpec kVenues[] = {
    {ExchangeId::Binance, "binance", "USDT", 24, 2, 5, "0.01", "0.00001", "5", 3'000'000},
    {ExchangeId::BinanceFutures, "binance_futures", "USDT", 16, 2, 3, "0.10", "0.001", "100", 3'000'000},
    {ExchangeId::Upbit, "upbit", "KRW", 12, 0, 8, "1000", "0.00000001", "5000", 40'000'000},
    {ExchangeId::Simulated, "simulated", "USDT", 12, 2, 5, "0.01", "0.00001", "5", 3'000'000},
};

struct Setup {
  config::InstrumentRegistry registry;
  std::unique_ptr<managers::RiskManager> risk;
  std::vector<OrderRequest> requests;        // kRequests, all accepted by check()
  std::vector<int64_t> lots, ticks, maxQty;  // per request, for the minimal-check baseline
  std::vector<size_t> fresh;                 // indexes of the New requests (the lifecycle loops use these)
  common::ClientOrderId nextId = 1;
};

std::string base(int i) {  // "C01".."C64": upper-case letters and digits, as asset codes must be
  std::string b = "C";
  if (i < 10) b += '0';
  b += std::to_string(i);
  return b;
}

Setup& setup() {
  static Setup* instance = [] {
    auto* st = new Setup{};
    nlohmann::json instruments = nlohmann::json::array();
    nlohmann::json rules = {{"kill_switch_file", "/nonexistent/hft.bench.kill"},
                            {"global", {{"max_open_orders", 4096}, {"daily_loss_limit", "100000"}, {"loss_rates", {{"KRW", "0.000725"}}}}}};
    int id = 1;
    for (const VenueSpec& v : kVenues) {
      // Rates far above any venue's: timed checks must run to the end, not stop at an empty bucket.
      nlohmann::json venue = {{"rate_limit", {{"orders_per_second", "1000000"}, {"burst", 1000000}}},
                              {"max_position_notional", v.venue == ExchangeId::Upbit ? "50000000000" : "100000000"}};
      if (v.venue == ExchangeId::BinanceFutures) venue["max_leverage"] = "10";
      rules["venues"][v.name] = venue;
      for (int i = 0; i < v.count; ++i, ++id) {
        instruments.push_back({{"id", id},
                               {"exchange", v.name},
                               {"base", base(id)},
                               {"quote", v.quote},
                               {"price_scale", v.price_scale},
                               {"qty_scale", v.qty_scale},
                               {"tick_size", v.tick},
                               {"lot_size", v.lot},
                               {"min_notional", v.min_notional}});
        rules["instruments"][std::string(v.name) + ":" + config::venueSymbol(v.venue, base(id), v.quote)] = {
            {"max_order_qty", "100"},
            {"max_order_notional", v.venue == ExchangeId::Upbit ? "5000000000" : "10000000"},
            {"max_position", "10000"},
            {"price_band_bps", 500}};
      }
    }
    st->registry = config::InstrumentRegistry::fromJson({{"instruments", instruments}}, "bench-instruments");
    for (int s = 1; s <= kStrategies; ++s) {
      nlohmann::json limits = {{"max_open_orders", 1000},
                               {"rate_limit", {{"orders_per_second", "1000000"}, {"burst", 1000000}}},
                               {"daily_loss_limit", "10000"}};
      for (const auto& [key, value] : rules["instruments"].items()) limits["max_position"][key] = "5000";
      rules["strategies"][std::to_string(s)] = limits;
    }
    const managers::RiskLimits limits = managers::RiskLimits::fromJson(rules, "bench-rules", st->registry);
    st->risk = std::make_unique<managers::RiskManager>(limits, st->registry);
    managers::RiskManager& risk = *st->risk;

    // Market state and account state, as an executor would have fed them.
    for (const config::Instrument& in : st->registry.all()) {
      const VenueSpec& v = *std::find_if(std::begin(kVenues), std::end(kVenues),
                                         [&](const VenueSpec& x) { return x.venue == in.exchange; });
      risk.onReferencePrice(in.id, v.ref);
      if (in.exchange != ExchangeId::BinanceFutures) risk.onBalance(in.exchange, in.base, 1'000'000'000'000'000);
    }
    for (const VenueSpec& v : kVenues)
      if (v.venue != ExchangeId::BinanceFutures) risk.onBalance(v.venue, v.quote, 1'000'000'000'000'000'000);
    risk.onEquity(ExchangeId::BinanceFutures, 1'000'000'000'000'000);
    for (int s = 1; s <= kStrategies; ++s)
      risk.onPnl(static_cast<common::StrategyId>(s), -100'000'000, 50'000'000, kT0);

    // A request on instrument i: price within 1% of the reference, a few lots to a few dozen.
    auto make = [&](int i, uint64_t k) {
      const config::Instrument& in = st->registry.all()[static_cast<size_t>(i)];
      const VenueSpec& v = *std::find_if(std::begin(kVenues), std::end(kVenues),
                                         [&](const VenueSpec& x) { return x.venue == in.exchange; });
      OrderRequest r{};
      r.header = common::makeHeader<OrderRequest>(in.exchange, in.id, 0, 0);
      r.client_order_id = st->nextId++;
      r.action = OrderAction::New;
      r.side = k % 2 ? Side::Sell : Side::Buy;
      r.type = OrderType::Limit;
      r.tif = common::TimeInForce::GTC;
      r.strategy_id = static_cast<common::StrategyId>(1 + k % kStrategies);
      const int64_t offsetTicks = static_cast<int64_t>((k * 7919) % 200) - 100;  // within +-1% at these scales
      r.price = (v.ref / in.tick_size + offsetTicks * (v.ref / in.tick_size / 10'000)) * in.tick_size;
      // Notional 2-9x min_notional. Smallest qty: min_notional * 10^(ps + qs - 8) / price, divided
      // first (min_notional * 10^(ps + qs) overflows int64 for KRW at qty scale 8), plus one lot.
      const int64_t minLots = in.min_notional / v.ref * common::pow10(in.price_scale + in.qty_scale) /
                                  common::pow10(common::kAmountScale) / in.lot_size +
                              1;
      r.qty = (minLots * static_cast<int64_t>(2 + k % 8)) * in.lot_size;
      return r;
    };

    // Resting orders: what the checks are made against (open counts, open qty, reservations).
    std::vector<OrderRequest> resting;
    for (int k = 0; k < kResting; ++k) {
      const OrderRequest r = make(k % kInstruments, static_cast<uint64_t>(k));
      if (!risk.check(r, kT0).accepted() || !risk.onAccepted(r)) {
        std::fprintf(stderr, "bench_risk: setup order %d refused: %s\n", k, risk.check(r, kT0).detail);
        std::exit(1);
      }
      resting.push_back(r);
    }
    for (size_t k = 0; k < kRequests; ++k) {
      OrderRequest r = make(static_cast<int>((k * 37) % kInstruments), k + 7);
      if (k % 10 == 3) {  // market order, sized at the reference
        r.type = OrderType::Market;
        r.price = 0;
      } else if (k % 10 == 7) {  // modify of a resting order of the same instrument, strategy and side
        const OrderRequest& orig = resting[(k * 13) % resting.size()];
        r = orig;
        r.client_order_id = st->nextId++;
        r.action = OrderAction::Modify;
        r.orig_client_order_id = orig.client_order_id;
        r.price += (r.side == Side::Buy ? -1 : 1) * st->registry.byId(orig.header.instrument_id)->tick_size;
      }
      const managers::RiskDecision d = risk.check(r, kT0);
      if (!d.accepted()) {
        std::fprintf(stderr, "bench_risk: request %zu refused: %s (%s)\n", k, common::toString(d.reason), d.detail);
        std::exit(1);
      }
      const config::Instrument* in = st->registry.byId(r.header.instrument_id);
      st->requests.push_back(r);
      st->lots.push_back(in->lot_size);
      st->ticks.push_back(in->tick_size);
      st->maxQty.push_back(100 * common::pow10(in->qty_scale));
      if (r.action == OrderAction::New) st->fresh.push_back(k);
    }
    return st;
  }();
  return *instance;
}

/// The floor any pre-trade gate pays: four comparisons on the request.
[[gnu::noinline]] bool minimalCheck(const OrderRequest& r, int64_t lot, int64_t tick, int64_t maxQty) noexcept {
  return r.qty > 0 && r.qty % lot == 0 && (r.type == OrderType::Market || r.price % tick == 0) && r.qty <= maxQty;
}

struct Percentiles {
  common::LatencyHistogram h;
  uint64_t accepted = 0;
};

void print(const char* what, const Percentiles& p, uint64_t n) {
  std::printf("%-34s p50 %6" PRIu64 " ns  p90 %6" PRIu64 "  p99 %6" PRIu64 "  p99.9 %7" PRIu64 "  max %8" PRIu64
              "  (n=%" PRIu64 ", accepted %.1f%%)\n",
              what, p.h.percentile(0.50), p.h.percentile(0.90), p.h.percentile(0.99), p.h.percentile(0.999), p.h.max(),
              n, 100.0 * static_cast<double>(p.accepted) / static_cast<double>(n));
}

void manualLoop(uint64_t n) {
  Setup& s = setup();
  managers::RiskManager& risk = *s.risk;
  const bench::TscClock clock = bench::TscClock::calibrate();
  const auto ns = [&](uint64_t ticks) { return static_cast<int64_t>(clock.toNs(ticks) + 0.5); };

  Percentiles timer, minimal, check, cycle;
  common::TimestampNs now = kT0;
  // Warm-up: caches, branch predictors, the first refill of every bucket.
  for (uint64_t i = 0; i < 100'000; ++i) benchmark::DoNotOptimize(risk.check(s.requests[i & (kRequests - 1)], now));

  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t a = bench::tscNow();
    const uint64_t b = bench::tscAfterLoads();
    timer.h.record(ns(b - a));
  }
  timer.accepted = n;
  for (uint64_t i = 0; i < n; ++i) {
    const size_t k = i & (kRequests - 1);
    const uint64_t a = bench::tscNow();
    const bool ok = minimalCheck(s.requests[k], s.lots[k], s.ticks[k], s.maxQty[k]);
    const uint64_t b = bench::tscAfterLoads();
    minimal.h.record(ns(b - a));
    minimal.accepted += ok;
  }
  for (uint64_t i = 0; i < n; ++i) {
    now += 1'000;
    const OrderRequest& r = s.requests[i & (kRequests - 1)];
    const uint64_t a = bench::tscNow();
    const managers::RiskDecision d = risk.check(r, now);
    const uint64_t b = bench::tscAfterLoads();
    check.h.record(ns(b - a));
    check.accepted += d.accepted();
  }
  // The whole life of an order as the executor drives it: check, onAccepted, onOrderDone. New
  // orders only (a Modify would replace a resting order and change the book for the next one).
  for (uint64_t i = 0; i < n; ++i) {
    now += 1'000;
    OrderRequest r = s.requests[s.fresh[i % s.fresh.size()]];
    r.client_order_id = s.nextId++;
    const uint64_t a = bench::tscNow();
    const managers::RiskDecision d = risk.check(r, now);
    if (d.accepted()) risk.onAccepted(r);
    risk.onOrderDone(r.client_order_id);
    const uint64_t b = bench::tscAfterLoads();
    cycle.h.record(ns(b - a));
    cycle.accepted += d.accepted();
  }

  std::printf("TSC %.3f GHz%s; %d instruments, %d strategies, %d resting orders, %zu distinct requests\n", clock.ghz(),
              bench::tscIsInvariant() ? "" : " (NOT invariant: figures unreliable)", kInstruments, kStrategies,
              kResting, kRequests);
  print("baseline: timer alone", timer, n);
  print("baseline: minimal check", minimal, n);
  print("RiskManager::check", check, n);
  print("check + onAccepted + onOrderDone", cycle, n);
  std::printf("p99 target <= 1000 ns: %s\n", check.h.percentile(0.99) <= 1000 ? "met" : "MISSED");
}

// ---- Google Benchmark ---------------------------------------------------------------------

void BM_RiskCheck(benchmark::State& state) {
  Setup& s = setup();
  common::TimestampNs now = kT0;
  size_t i = 0;
  for (auto _ : state) {
    now += 1'000;
    benchmark::DoNotOptimize(s.risk->check(s.requests[i++ & (kRequests - 1)], now));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RiskCheck);

void BM_RiskCheckKilled(benchmark::State& state) {  // the earliest exit: kill switch engaged
  Setup& s = setup();
  s.risk->killSwitch().engage("bench");
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(s.risk->check(s.requests[i++ & (kRequests - 1)], kT0));
  s.risk->killSwitch().clear();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RiskCheckKilled);

void BM_CheckAcceptDone(benchmark::State& state) {
  Setup& s = setup();
  common::TimestampNs now = kT0;
  size_t i = 0;
  for (auto _ : state) {
    now += 1'000;
    OrderRequest r = s.requests[s.fresh[i++ % s.fresh.size()]];
    r.client_order_id = s.nextId++;
    if (s.risk->check(r, now).accepted()) s.risk->onAccepted(r);
    s.risk->onOrderDone(r.client_order_id);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckAcceptDone);

void BM_MinimalCheck(benchmark::State& state) {  // baseline
  Setup& s = setup();
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ & (kRequests - 1);
    benchmark::DoNotOptimize(minimalCheck(s.requests[k], s.lots[k], s.ticks[k], s.maxQty[k]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MinimalCheck);

}  // namespace

int main(int argc, char** argv) {
  int core = common::onlineCpuCount() - 1;
  uint64_t checks = 1'000'000;
  // Our flags out, Google Benchmark's through.
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--core=", 7) == 0)
      core = std::atoi(argv[i] + 7);
    else if (std::strncmp(argv[i], "--checks=", 9) == 0)
      checks = std::strtoull(argv[i] + 9, nullptr, 10);
    else
      argv[out++] = argv[i];
  }
  argc = out;
  if (core >= 0) {
    if (const std::string err = common::pinThisThread(core); !err.empty())
      std::fprintf(stderr, "bench_risk: not pinned: %s\n", err.c_str());
    else
      std::printf("pinned to core %d\n", core);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  manualLoop(checks);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
