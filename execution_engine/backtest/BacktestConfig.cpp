#include "execution_engine/backtest/BacktestConfig.h"

namespace hft::execution_engine::backtest {

BacktestConfig BacktestConfig::loadFile(const std::string& path) {
  BacktestConfig c;
  c.source = path;
  c.document = config::readJsonFile(path);
  const config::JsonNode root(c.document, path);
  root.expectObject({"name", "recordings", "strategies", "simulation", "sample_interval_ms", "order_rules"});
  c.name = root.requiredString("name");
  for (const auto& r : root.child("recordings", "a list of .bin.lz4 files").elements()) c.recordings.push_back(r.asString());
  if (c.recordings.empty()) root.child("recordings", "").fail("at least one recording");
  for (const auto& s : root.child("strategies", "a list of strategy config files").elements())
    c.strategies.push_back(s.asString());
  if (c.strategies.empty()) root.child("strategies", "").fail("at least one strategy config");
  c.sample_interval_ns = root.optionalInt("sample_interval_ms", 1, 86'400'000, 1000) * 1'000'000;
  c.order_rules = root.optionalString("order_rules", "");
  return c;
}

config::JsonNode BacktestConfig::simulation() const {
  static const nlohmann::json empty = nlohmann::json::object();
  const config::JsonNode root(document, source);
  return root.has("simulation") ? root.child("simulation", "an object") : config::JsonNode(empty, source);
}

}  // namespace hft::execution_engine::backtest
