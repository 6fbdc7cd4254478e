#include "execution_engine/sim/SimConfig.h"

#include <limits>
#include <string_view>

namespace hft::execution_engine::sim {

namespace {

constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
constexpr const char* kVenueNames = "a venue name (binance, binance_futures, upbit, bithumb, simulated)";

std::string inQuotes(std::string_view s) {
  std::string q = "\"";
  q.append(s);
  q.append("\"");
  return q;
}

common::ExchangeId venueOf(const std::string& key, const config::JsonNode& member) {
  const common::ExchangeId id = common::exchangeFromString(key.c_str());
  if (id == common::ExchangeId::None) member.fail(kVenueNames, inQuotes(key));
  return id;
}

/// mu / sigma: decimal strings (never JSON numbers, like every decimal in this project), read at
/// 9 decimals and only then turned into double.
double readReal(const config::JsonNode& node, std::string_view key, int64_t minRaw, std::string_view expected) {
  constexpr int kScale = 9;
  return static_cast<double>(node.requiredDecimal(key, kScale, minRaw, expected)) / 1e9;
}

LatencyModel readLatency(const config::JsonNode& node) {
  if (!node.json().is_object())
    node.fail("an object {\"kind\": \"constant\" | \"uniform\" | \"lognormal\" | \"replayed\", ...}");
  const std::string kind = node.requiredString("kind");
  LatencyModel m;
  if (kind == "constant") {
    node.expectObject({"kind", "ns"});
    m.kind = LatencyModel::Constant;
    m.constant_ns = node.requiredInt("ns", 0, kMaxInt);
  } else if (kind == "uniform") {
    node.expectObject({"kind", "min_ns", "max_ns", "seed"});
    m.kind = LatencyModel::Uniform;
    m.min_ns = node.requiredInt("min_ns", 0, kMaxInt);
    m.max_ns = node.requiredInt("max_ns", m.min_ns, kMaxInt);
    m.seed = static_cast<uint64_t>(node.optionalInt("seed", 0, kMaxInt, 1));
  } else if (kind == "lognormal") {
    node.expectObject({"kind", "mu", "sigma", "min_ns", "max_ns", "seed"});
    m.kind = LatencyModel::LogNormal;
    m.mu = readReal(node, "mu", -100'000'000'000,
                    "a decimal string from -100 to 100, e.g. \"13.8\" (ln of the median ns)");
    if (m.mu > 100.0) node.child("mu", "").fail("a decimal string from -100 to 100 (ln of the median ns)");
    m.sigma = readReal(node, "sigma", 0, "a decimal string from 0 to 10, e.g. \"0.5\"");
    if (m.sigma > 10.0) node.child("sigma", "").fail("a decimal string from 0 to 10");
    m.min_ns = node.optionalInt("min_ns", 0, kMaxInt, 0);
    m.max_ns = node.optionalInt("max_ns", 0, kMaxInt, 0);
    if (m.max_ns != 0 && m.max_ns < m.min_ns)
      node.child("max_ns", "").fail("0 (no cap) or an integer >= min_ns (" + std::to_string(m.min_ns) + ")");
    m.seed = static_cast<uint64_t>(node.optionalInt("seed", 0, kMaxInt, 1));
  } else if (kind == "replayed") {
    node.expectObject({"kind", "samples_ns"});
    m.kind = LatencyModel::Replayed;
    const std::vector<config::JsonNode> samples = node.child("samples_ns", "an array of integers >= 0").elements();
    if (samples.empty()) node.child("samples_ns", "").fail("a non-empty array of integers >= 0");
    m.samples.reserve(samples.size());
    for (const config::JsonNode& s : samples) m.samples.push_back(s.asInt(0, kMaxInt));
  } else {
    node.child("kind", "").fail("one of \"constant\", \"uniform\", \"lognormal\", \"replayed\"");
  }
  return m;
}

bool validAsset(std::string_view a) {
  if (a.empty() || a.size() > 8) return false;
  for (char c : a)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

}  // namespace

SimConfig SimConfig::fromJson(const config::JsonNode& node) {
  node.expectObject({"queue", "order_latency", "ack_latency", "fees", "balances", "leverage"});
  SimConfig c;
  if (node.has("queue")) {
    const config::JsonNode q = node.child("queue", "");
    if (!queueModelFromString(q.asString(), c.queue))
      q.fail("one of \"pessimistic\", \"proportional\", \"optimistic\"");
  }
  if (node.has("order_latency")) c.order_latency = readLatency(node.child("order_latency", ""));
  if (node.has("ack_latency")) c.ack_latency = readLatency(node.child("ack_latency", ""));

  if (node.has("fees")) {
    for (const auto& [venue, f] : node.child("fees", "").members()) {
      const common::ExchangeId id = venueOf(venue, f);
      f.expectObject({"maker", "taker"});
      constexpr std::string_view kRate = "a fee rate from -0.01 to 0.1 as a decimal string, e.g. \"0.001\" for 0.1%";
      VenueFees fees;
      fees.maker_fee_e8 = f.requiredDecimal("maker", common::kAmountScale, -1'000'000, kRate);
      fees.taker_fee_e8 = f.requiredDecimal("taker", common::kAmountScale, -1'000'000, kRate);
      if (fees.maker_fee_e8 > 10'000'000) f.child("maker", "").fail(kRate);
      if (fees.taker_fee_e8 > 10'000'000) f.child("taker", "").fail(kRate);
      c.fees[id] = fees;
    }
  }
  if (node.has("balances")) {
    for (const auto& [venue, assets] : node.child("balances", "").members()) {
      const common::ExchangeId id = venueOf(venue, assets);
      std::map<std::string, int64_t>& out = c.balances[id];
      for (const auto& [asset, amount] : assets.members()) {
        if (!validAsset(asset)) amount.fail("an asset code of 1 to 8 upper-case letters or digits", inQuotes(asset));
        out[asset] =
            amount.asDecimal(common::kAmountScale, 0, "an amount >= 0 with at most 8 decimals, as a decimal string");
      }
    }
  }
  if (node.has("leverage")) {
    for (const auto& [venue, lev] : node.child("leverage", "").members())
      c.leverage[venueOf(venue, lev)] = static_cast<int>(lev.asInt(1, kMaxLeverage));
  }
  return c;
}

}  // namespace hft::execution_engine::sim
