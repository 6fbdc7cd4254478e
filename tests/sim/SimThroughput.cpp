// Throughput of the simulated venue alone on a synthetic stream: book deltas and trades around a
// random-walking mid, with a quoting strategy's requests (cancel + two quotes every 100 market
// events, a market order every 1000) so that resting orders, queue updates and fills are on the
// path. Baseline in the same run: the bare OrderBookManager applying the same market events
// (what any consumer of the stream pays). Prints the median of 7 runs of each, events/s.
//
//   sim_throughput [events=2000000] [core=-1]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/Cpu.h"
#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/sim/Rng.h"
#include "execution_engine/sim/Sim.h"
#include "strategy_engine/book/OrderBookManager.h"

namespace {

using namespace hft;
using common::Side;

constexpr common::InstrumentId kId = 1;
constexpr common::ExchangeId kVenue = common::ExchangeId::Simulated;

config::InstrumentRegistry registry() {
  const nlohmann::json doc = {{"instruments",
                               {{{"id", 1},
                                 {"exchange", "simulated"},
                                 {"base", "BTC"},
                                 {"quote", "USDT"},
                                 {"price_scale", 2},
                                 {"qty_scale", 3},
                                 {"tick_size", "0.10"},
                                 {"lot_size", "0.010"}}}}};
  return config::InstrumentRegistry::fromJson(doc, "sim_throughput");
}

/// Market events and order requests in time order, packed at their own sizes (8-byte aligned)
/// the way a recording hands them out, so the run measures the venue, not memory bandwidth.
struct Stream {
  std::vector<uint64_t> arena;
  std::vector<size_t> offsets;  ///< in words
  size_t market = 0;
  size_t requests = 0;

  const common::EventHeader& at(size_t i) const {
    return *reinterpret_cast<const common::EventHeader*>(arena.data() + offsets[i]);
  }
};

template <class E>
void push(Stream& s, const E& e) {
  const size_t words = (e.header.size + 7) / 8;
  s.offsets.push_back(s.arena.size());
  s.arena.resize(s.arena.size() + words);
  std::memcpy(s.arena.data() + s.offsets.back(), &e, e.header.size);
}

Stream makeStream(size_t n) {
  Stream s;
  s.arena.reserve(n * 14);
  s.offsets.reserve(n + n / 20);
  execution_engine::sim::Rng rng(12345);
  int64_t mid = 1'000'000;  // 10000.00, in ticks of 10 raw
  common::ClientOrderId next = 1, bid = 0, ask = 0;
  common::BookSnapshot snap{};
  snap.header = common::makeHeader<common::BookSnapshot>(kVenue, kId, 1'000'000'000, 1'000'000'000);
  for (uint16_t i = 0; i < common::BookSnapshot::kDepth; ++i) {
    snap.bids[snap.bid_count++] = {mid - 10 * (i + 1), 5000 + 100 * i};
    snap.asks[snap.ask_count++] = {mid + 10 * (i + 1), 5000 + 100 * i};
  }
  push(s, snap);
  ++s.market;
  auto request = [&](common::TimestampNs t, common::OrderAction action, common::ClientOrderId id, Side side,
                     common::OrderType type, int64_t price, int64_t qty, common::ClientOrderId orig) {
    common::OrderRequest r{};
    r.header = common::makeHeader<common::OrderRequest>(kVenue, kId, t, t);
    r.action = action;
    r.client_order_id = id;
    r.orig_client_order_id = orig;
    r.side = side;
    r.type = type;
    r.tif = type == common::OrderType::Market ? common::TimeInForce::IOC : common::TimeInForce::GTC;
    r.price = price;
    r.qty = qty;
    r.strategy_id = 1;
    r.request_ts_ns = t;
    push(s, r);
    ++s.requests;
  };
  for (size_t i = 1; i < n; ++i) {
    const common::TimestampNs t = 1'000'000'000 + static_cast<common::TimestampNs>(i) * 1000;
    if (i % 50 == 0) mid += 10 * static_cast<int64_t>(rng.uniformInt(-1, 1));
    if (rng.uniformInt(0, 9) < 7) {
      common::BookDelta d{};
      d.count = 2;
      const int64_t off = 10 * rng.uniformInt(1, 10);
      d.levels[0] = {mid - off, rng.uniformInt(0, 3) == 0 ? 0 : rng.uniformInt(1, 900) * 10, Side::Buy, {}};
      d.levels[1] = {mid + off, rng.uniformInt(0, 3) == 0 ? 0 : rng.uniformInt(1, 900) * 10, Side::Sell, {}};
      d.header = common::makeHeader<common::BookDelta>(kVenue, kId, t, t, common::BookDelta::sizeFor(2));
      push(s, d);
    } else {
      common::Trade tr{};
      tr.header = common::makeHeader<common::Trade>(kVenue, kId, t, t);
      const bool buy = rng.uniformInt(0, 1) == 1;
      tr.aggressor = buy ? Side::Buy : Side::Sell;
      tr.price = buy ? mid + 10 * rng.uniformInt(1, 2) : mid - 10 * rng.uniformInt(1, 2);
      tr.qty = rng.uniformInt(1, 300) * 10;
      push(s, tr);
    }
    ++s.market;
    if (i % 100 == 0) {
      if (bid) request(t, common::OrderAction::Cancel, next++, Side::Buy, common::OrderType::Limit, 0, 0, bid);
      if (ask) request(t, common::OrderAction::Cancel, next++, Side::Sell, common::OrderType::Limit, 0, 0, ask);
      bid = next++;
      request(t, common::OrderAction::New, bid, Side::Buy, common::OrderType::Limit, mid - 10, 1000, 0);
      ask = next++;
      request(t, common::OrderAction::New, ask, Side::Sell, common::OrderType::Limit, mid + 10, 1000, 0);
    }
    if (i % 1000 == 0)
      request(t, common::OrderAction::New, next++, i % 2000 ? Side::Buy : Side::Sell, common::OrderType::Market, 0, 500,
              0);
  }
  return s;
}

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2'000'000;
  const int core = argc > 2 ? std::atoi(argv[2]) : -1;
  if (core >= 0) {
    const std::string err = common::pinThisThread(core);
    if (!err.empty()) std::fprintf(stderr, "pin: %s\n", err.c_str());
  }
  const config::InstrumentRegistry reg = registry();
  const Stream s = makeStream(n);
  std::printf("stream: %zu market events, %zu order requests\n", s.market, s.requests);

  constexpr int kRuns = 7;
  std::vector<double> base, sim, funded;
  uint64_t checksum = 0;
  size_t fills = 0, reports = 0;
  for (int run = 0; run < kRuns + 1; ++run) {  // run 0 warms up
    {
      strategy_engine::OrderBookManager books(reg);
      const auto t0 = std::chrono::steady_clock::now();
      for (size_t i = 0; i < s.offsets.size(); ++i)
        if (const common::EventHeader& e = s.at(i); e.type != common::EventType::OrderRequest)
          checksum += books.onEvent(e) != nullptr;
      const double dt = seconds(std::chrono::steady_clock::now() - t0);
      if (run) base.push_back(static_cast<double>(s.market) / dt);
    }
    for (int withBalances = 0; withBalances < 2; ++withBalances) {
      execution_engine::sim::SimConfig c;
      c.order_latency = execution_engine::sim::LatencyModel::constant(50'000);
      if (withBalances) {
        c.balances[kVenue] = {{"USDT", 1'000'000'000 * int64_t{100'000'000}}, {"BTC", 1'000 * int64_t{100'000'000}}};
        c.fees[kVenue] = {-1'000, 40'000};
      }
      size_t out = 0;
      execution_engine::sim::SimulatedExchange x(reg, c, [&out](const common::EventHeader&) { ++out; });
      const auto t0 = std::chrono::steady_clock::now();
      for (size_t i = 0; i < s.offsets.size(); ++i) {
        const common::EventHeader& e = s.at(i);
        if (e.type == common::EventType::OrderRequest)
          x.onOrderRequest(reinterpret_cast<const common::OrderRequest&>(e));
        else
          x.onMarketData(e);
      }
      const double dt = seconds(std::chrono::steady_clock::now() - t0);
      if (run) (withBalances ? funded : sim).push_back(static_cast<double>(s.offsets.size()) / dt);
      fills = x.fills().size();
      reports = out;
    }
  }
  std::printf("baseline OrderBookManager alone : %6.2f M market events/s\n", median(base) / 1e6);
  std::printf("SimulatedExchange, unfunded     : %6.2f M events/s (market + requests)\n", median(sim) / 1e6);
  std::printf("SimulatedExchange, balances+fees: %6.2f M events/s (%zu fills, %zu reports+balance updates)\n",
              median(funded) / 1e6, fills, reports);
  std::printf("(checksum %llu)\n", static_cast<unsigned long long>(checksum));
  return 0;
}
