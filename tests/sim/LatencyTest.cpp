// Time: order and ack latency, arrival order, latency models, determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "SimHarness.h"
#include "execution_engine/sim/LatencySampler.h"

namespace hft::test {
namespace {

using execution_engine::sim::LatencySampler;

constexpr TimestampNs kT = 5'000'000'000;
constexpr TimestampNs kMs = 1'000'000;

TEST(SimLatency, orderArrivingAfterABookChangeSeesTheNewBook) {
  SimConfig c = instantConfig();
  c.order_latency = LatencyModel::constant(5 * kMs);
  c.ack_latency = LatencyModel::constant(1 * kMs);
  Harness h(c);
  h.md(snapshot(kT, {{9900, 1000}}, {{10000, 1000}}));
  h.send(market(kT, 1, Side::Buy, 1000));                                          // decided on the 100.00 offer...
  h.md(delta(kT + 2 * kMs, {{Side::Sell, 10000, 0}, {Side::Sell, 10050, 1000}}));  // ...which is gone before it lands
  EXPECT_TRUE(h.reports().empty());
  h.sim.advanceTo(kT + 10 * kMs);
  const auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].last_price, 10050);
  EXPECT_EQ(r[1].header.exchange_ts_ns, kT + 5 * kMs);
  EXPECT_EQ(r[1].venue_ts_ns, kT + 5 * kMs);
  EXPECT_EQ(r[1].header.receive_ts_ns, kT + 6 * kMs);
  EXPECT_EQ(r[1].local_send_ts_ns, kT);
}

TEST(SimLatency, ordersArrivingBeforeAMarketEventAreHandledBeforeItIsApplied) {
  SimConfig c = instantConfig();
  c.order_latency = LatencyModel::constant(1 * kMs);
  Harness h(c);
  h.md(snapshot(kT, {{9900, 1000}}, {{10000, 1000}}));
  h.send(market(kT, 1, Side::Buy, 1000));
  h.md(delta(kT + 1 * kMs, {{Side::Sell, 10000, 0}, {Side::Sell, 10050, 1000}}));  // same instant as the arrival
  EXPECT_EQ(h.reportsFor(1).back().last_price, 10000);
}

TEST(SimLatency, requestsOnOneVenueDoNotOvertakeEachOther) {
  SimConfig c = instantConfig();
  c.order_latency.kind = LatencyModel::Replayed;
  c.order_latency.samples = {5 * kMs, 1 * kMs};
  Harness h(c);
  h.md(snapshot(kT, {{9900, 1000}}, {{10100, 1000}}));
  h.send(limit(kT, 1, Side::Buy, 9800, 1000));
  h.send(cancelOf(kT + 1 * kMs, 2, 1));  // drawn 1 ms: would land before the order it cancels
  h.sim.advanceTo(kT + 20 * kMs);
  EXPECT_EQ(h.execTypes(1), (std::vector<ExecType>{ExecType::New, ExecType::Canceled}));
  EXPECT_EQ(h.reportsFor(1)[1].venue_ts_ns, kT + 5 * kMs);
}

TEST(SimLatency, replayedSamplesAreDrawnInOrderCyclically) {
  LatencyModel m;
  m.kind = LatencyModel::Replayed;
  m.samples = {30, 10, 20};
  LatencySampler s(m);
  std::vector<int64_t> drawn;
  for (int i = 0; i < 7; ++i) drawn.push_back(s.next());
  EXPECT_EQ(drawn, (std::vector<int64_t>{30, 10, 20, 30, 10, 20, 30}));

  SimConfig c = instantConfig();
  c.order_latency = m;
  c.order_latency.samples = {5 * kMs, 1 * kMs};
  Harness h(c);
  h.md(snapshot(kT, {{9900, 1000}}, {{10100, 1000}}));
  h.send(limit(kT, 1, Side::Buy, 9800, 1000));
  h.send(limit(kT + 10 * kMs, 2, Side::Buy, 9800, 1000));
  h.send(limit(kT + 20 * kMs, 3, Side::Buy, 9800, 1000));
  h.sim.advanceTo(kT + 30 * kMs);
  EXPECT_EQ(h.reportsFor(1)[0].venue_ts_ns, kT + 5 * kMs);
  EXPECT_EQ(h.reportsFor(2)[0].venue_ts_ns, kT + 11 * kMs);
  EXPECT_EQ(h.reportsFor(3)[0].venue_ts_ns, kT + 25 * kMs);
}

TEST(SimLatency, replayedSamplesCanBeTakenFromLiveNewAcks) {
  LatencyModel m;
  common::ExecutionReport ack{};
  ack.exec_type = ExecType::New;
  ack.local_send_ts_ns = 1000;
  ack.venue_ts_ns = 1750;
  EXPECT_TRUE(m.addSample(ack));
  ack.exec_type = ExecType::Filled;
  EXPECT_FALSE(m.addSample(ack));
  ack.exec_type = ExecType::New;
  ack.local_send_ts_ns = 0;
  EXPECT_FALSE(m.addSample(ack));
  EXPECT_EQ(m.samples, (std::vector<int64_t>{750}));
}

TEST(SimLatency, uniformStaysWithinBoundsAndReachesBoth) {
  LatencyModel m;
  m.kind = LatencyModel::Uniform;
  m.min_ns = 10;
  m.max_ns = 20;
  m.seed = 42;
  LatencySampler s(m);
  int64_t lo = 100, hi = 0;
  for (int i = 0; i < 2000; ++i) {
    const int64_t v = s.next();
    ASSERT_GE(v, 10);
    ASSERT_LE(v, 20);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  EXPECT_EQ(lo, 10);
  EXPECT_EQ(hi, 20);
}

TEST(SimLatency, lognormalHasTheConfiguredMedianAndTheSameSeedGivesTheSameSequence) {
  LatencyModel m;
  m.kind = LatencyModel::LogNormal;
  m.mu = std::log(1e6);
  m.sigma = 0.5;
  m.seed = 7;
  LatencySampler a(m), b(m);
  std::vector<int64_t> va, vb;
  for (int i = 0; i < 10001; ++i) {
    va.push_back(a.next());
    vb.push_back(b.next());
  }
  EXPECT_EQ(va, vb);
  std::nth_element(va.begin(), va.begin() + 5000, va.end());
  EXPECT_NEAR(static_cast<double>(va[5000]), 1e6, 0.05e6);
  m.seed = 8;
  LatencySampler c(m);
  EXPECT_NE(c.next(), vb[0]);
}

TEST(SimLatency, inconsistentModelsAreRefusedAtConstruction) {
  LatencyModel m;
  m.kind = LatencyModel::Uniform;
  m.min_ns = 5;
  m.max_ns = 4;
  EXPECT_THROW(LatencySampler{m}, std::invalid_argument);
  m.kind = LatencyModel::Replayed;
  EXPECT_THROW(LatencySampler{m}, std::invalid_argument);
}

/// A scripted session touching every path: latencies drawn at random, resting orders, trades,
/// cancels, modifies, stops, balances.
std::vector<unsigned char> runScript() {
  SimConfig c = instantConfig(QueueModel::Proportional);
  c.order_latency.kind = LatencyModel::LogNormal;
  c.order_latency.mu = std::log(2e5);
  c.order_latency.sigma = 0.8;
  c.order_latency.seed = 99;
  c.ack_latency.kind = LatencyModel::Uniform;
  c.ack_latency.min_ns = 1000;
  c.ack_latency.max_ns = 90'000;
  c.ack_latency.seed = 5;
  c.balances[ExchangeId::Simulated] = {{"USDT", 100'000 * kE8}, {"BTC", 10 * kE8}};
  c.fees[ExchangeId::Simulated] = {-5'000, 40'000};
  Harness h(c);
  h.md(snapshot(kT, {{9900, 5000}, {9890, 8000}}, {{9910, 4000}, {9920, 9000}}));
  common::ClientOrderId id = 1;
  for (int i = 0; i < 200; ++i) {
    const TimestampNs t = kT + i * kMs;
    const int64_t px = 9800 + (i * 37 % 20) * 10;
    if (i % 4 == 0) h.send(limit(t, id++, Side::Buy, px, 1000 + (i % 3) * 10));
    if (i % 4 == 1) h.send(limit(t, id++, Side::Sell, px + 200, 1000));
    if (i % 7 == 2) h.send(market(t, id++, i % 2 ? Side::Buy : Side::Sell, 500));
    if (i % 9 == 3) {
      h.send(cancelOf(t, id, id - 4));
      ++id;
    }
    if (i % 11 == 4) {
      h.send(modifyOf(t, id, id - 2, Side::Buy, px - 10, 2000));
      ++id;
    }
    if (i % 13 == 5) h.send(stop(t, id++, Side::Sell, OrderType::StopMarket, 9850, 0, 300));
    h.md(delta(t + 100, {{Side::Buy, px, 3000 + i * 10}, {Side::Sell, px + 110, 2000 + i * 5}}));
    h.md(trade(t + 200, px + (i % 3) * 10, 700 + i, i % 2 ? Side::Buy : Side::Sell));
  }
  h.sim.finish(kT + 300 * kMs);
  EXPECT_GT(h.sim.fills().size(), 10u);
  std::vector<unsigned char> bytes;
  for (const auto& b : h.out) bytes.insert(bytes.end(), b.bytes, b.bytes + b.header().size);
  return bytes;
}

TEST(SimDeterminism, theSameInputsTwiceGiveIdenticalReportBytes) {
  const auto a = runScript();
  const auto b = runScript();
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a.size(), b.size());
  EXPECT_TRUE(a == b);
}

}  // namespace
}  // namespace hft::test
