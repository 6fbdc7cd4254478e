// SimConfig::fromJson: every key read, and errors that name the file and the key path.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "SimHarness.h"
#include "config/ConfigError.h"

namespace hft::test {
namespace {

using execution_engine::sim::VenueFees;

/// Parses `simulation` as the "simulation" object of a backtest file named bt.json.
SimConfig parse(const std::string& simulation) {
  const nlohmann::json doc = nlohmann::json::parse("{\"simulation\": " + simulation + "}");
  const config::JsonNode root(doc, "bt.json");
  return SimConfig::fromJson(root.child("simulation", "an object"));
}

std::string errorOf(const std::string& simulation) {
  try {
    parse(simulation);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "(no ConfigError thrown)";
}

TEST(SimConfig, readsEveryKey) {
  const SimConfig c = parse(R"({
    "queue": "optimistic",
    "order_latency": {"kind": "lognormal", "mu": "13.5", "sigma": "0.25", "min_ns": 100, "max_ns": 5000000, "seed": 3},
    "ack_latency": {"kind": "uniform", "min_ns": 10, "max_ns": 20, "seed": 4},
    "fees": {"binance": {"maker": "-0.0001", "taker": "0.001"}},
    "balances": {"binance": {"USDT": "1000.5", "BTC": "0.25"}},
    "leverage": {"binance_futures": 20}
  })");
  EXPECT_EQ(c.queue, QueueModel::Optimistic);
  EXPECT_EQ(c.order_latency.kind, LatencyModel::LogNormal);
  EXPECT_DOUBLE_EQ(c.order_latency.mu, 13.5);
  EXPECT_DOUBLE_EQ(c.order_latency.sigma, 0.25);
  EXPECT_EQ(c.order_latency.min_ns, 100);
  EXPECT_EQ(c.order_latency.max_ns, 5'000'000);
  EXPECT_EQ(c.order_latency.seed, 3u);
  EXPECT_EQ(c.ack_latency.kind, LatencyModel::Uniform);
  EXPECT_EQ(c.ack_latency.max_ns, 20);
  EXPECT_EQ(c.fees.at(ExchangeId::Binance).maker_fee_e8, -10'000);
  EXPECT_EQ(c.fees.at(ExchangeId::Binance).taker_fee_e8, 100'000);
  EXPECT_EQ(c.balances.at(ExchangeId::Binance).at("USDT"), 1000 * kE8 + kE8 / 2);
  EXPECT_EQ(c.balances.at(ExchangeId::Binance).at("BTC"), kE8 / 4);
  EXPECT_EQ(c.leverage.at(ExchangeId::BinanceFutures), 20);
}

TEST(SimConfig, emptyObjectGivesTheDocumentedDefaults) {
  const SimConfig c = parse("{}");
  EXPECT_EQ(c.queue, QueueModel::Proportional);
  EXPECT_EQ(c.order_latency.kind, LatencyModel::Constant);
  EXPECT_EQ(c.order_latency.constant_ns, 1'000'000);
  EXPECT_EQ(c.ack_latency.constant_ns, 0);
  EXPECT_TRUE(c.fees.empty() && c.balances.empty() && c.leverage.empty());
}

TEST(SimConfig, constantAndReplayedLatencies) {
  const SimConfig c = parse(R"({"order_latency": {"kind": "constant", "ns": 250000},
                               "ack_latency": {"kind": "replayed", "samples_ns": [5, 7, 9]}})");
  EXPECT_EQ(c.order_latency.constant_ns, 250'000);
  EXPECT_EQ(c.ack_latency.kind, LatencyModel::Replayed);
  EXPECT_EQ(c.ack_latency.samples, (std::vector<int64_t>{5, 7, 9}));
}

/// Every part must occur in the message.
void expectMentions(const std::string& message, std::initializer_list<std::string_view> parts) {
  for (std::string_view p : parts)
    EXPECT_NE(message.find(p), std::string::npos) << "message lacks \"" << p << "\": " << message;
}

TEST(SimConfig, invalidJsonErrorsNameTheFileAndTheKeyPath) {
  expectMentions(errorOf(R"({"queue": "fifo"})"), {"bt.json", "simulation.queue", "pessimistic", "\"fifo\""});
  expectMentions(errorOf(R"({"latency": {}})"), {"bt.json", "simulation.latency", "unknown key"});
  expectMentions(errorOf(R"({"fees": {"binanse": {"maker": "0", "taker": "0"}}})"),
                 {"simulation.fees.binanse", "venue name", "\"binanse\""});
  expectMentions(errorOf(R"({"fees": {"binance": {"maker": "0.5", "taker": "0.001"}}})"),
                 {"simulation.fees.binance.maker", "fee rate"});
  expectMentions(errorOf(R"({"fees": {"binance": {"maker": 0.001, "taker": "0.001"}}})"),
                 {"simulation.fees.binance.maker", "decimal string"});
  expectMentions(errorOf(R"({"fees": {"binance": {"maker": "0.001"}}})"), {"simulation.fees.binance.taker", "missing"});
  expectMentions(errorOf(R"({"balances": {"binance": {"usdt": "10"}}})"),
                 {"simulation.balances.binance.usdt", "asset code"});
  expectMentions(errorOf(R"({"balances": {"binance": {"USDT": "-1"}}})"), {"simulation.balances.binance.USDT"});
  expectMentions(errorOf(R"({"leverage": {"binance_futures": 0}})"),
                 {"simulation.leverage.binance_futures", "1 to 125"});
  expectMentions(errorOf(R"({"order_latency": {"kind": "uniform", "min_ns": 10, "max_ns": 5}})"),
                 {"simulation.order_latency.max_ns", ">= 10"});
  expectMentions(errorOf(R"({"order_latency": {"kind": "gaussian"}})"), {"simulation.order_latency.kind", "lognormal"});
  expectMentions(errorOf(R"({"order_latency": {"kind": "constant"}})"), {"simulation.order_latency.ns", "missing"});
  expectMentions(errorOf(R"({"order_latency": {"kind": "constant", "ns": 5, "seed": 1}})"),
                 {"simulation.order_latency.seed", "unknown key"});
  expectMentions(errorOf(R"({"ack_latency": {"kind": "replayed", "samples_ns": []}})"),
                 {"simulation.ack_latency.samples_ns", "non-empty"});
  expectMentions(errorOf(R"({"ack_latency": {"kind": "replayed", "samples_ns": [1, -2]}})"),
                 {"simulation.ack_latency.samples_ns[1]"});
  expectMentions(errorOf(R"({"ack_latency": {"kind": "lognormal", "mu": "13", "sigma": "11"}})"),
                 {"simulation.ack_latency.sigma"});
  expectMentions(errorOf(R"({"ack_latency": 5})"), {"simulation.ack_latency", "an object"});
}

TEST(SimConfig, venueRefusesALeverageOutOfRangeBuiltInCode) {
  SimConfig c = instantConfig();
  c.leverage[ExchangeId::BinanceFutures] = 0;
  const config::InstrumentRegistry registry = testRegistry();
  EXPECT_THROW(SimulatedExchange(registry, c, nullptr), std::invalid_argument);
}

}  // namespace
}  // namespace hft::test
