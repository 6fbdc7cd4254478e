#pragma once
// config/backtests/<name>.json: what to replay, which strategies, how the venue is simulated.
//   {"name": "demo", "recordings": ["data/demo/demo.bin.lz4"],
//    "strategies": ["config/strategies/market_maker.json"],
//    "simulation": {...}, "sample_interval_ms": 1000,
//    "order_rules": "config/order_rules/default.json"}   // optional: pre-trade risk as live
// Relative paths are resolved against the current directory (the repo root for scripts).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/JsonNode.h"

namespace hft::execution_engine::backtest {

struct BacktestConfig {
  std::string source;
  std::string name;
  std::vector<std::string> recordings;
  std::vector<std::string> strategies;  ///< strategy config files
  int64_t sample_interval_ns = 1'000'000'000;
  /// Pre-trade risk limits (config/order_rules/*.json), applied like the live executor; "" = none.
  std::string order_rules;
  nlohmann::json document;

  /// Throws config::ConfigError naming file, key path, expected and found.
  static BacktestConfig loadFile(const std::string& path);
  /// The "simulation" object (an empty object when absent).
  config::JsonNode simulation() const;
};

}  // namespace hft::execution_engine::backtest
