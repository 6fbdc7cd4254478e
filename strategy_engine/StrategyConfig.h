#pragma once
// config/strategies/<name>.json: which strategy, on which instruments, with which parameters,
// on which core and wait strategy.
//
//   {"name": "mm_btc", "strategy": "market_maker", "strategy_id": 1,
//    "instruments": ["simulated:BTC-USDT"],     // "<exchange>:<venue symbol>" or an id
//    "params": {...}, "core": -1, "wait": "spin_yield", "cancel_on_stop": true}
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/InstrumentRegistry.h"
#include "config/JsonNode.h"

namespace hft::strategy_engine {

struct StrategyConfig {
  std::string source;  ///< file it came from
  std::string name;
  std::string strategy;
  common::StrategyId strategy_id = 0;
  std::vector<common::InstrumentId> instruments;
  int core = -1;
  std::string wait = "spin_yield";
  bool cancel_on_stop = true;
  nlohmann::json document;  ///< the parsed file; params() points into it

  /// Throws config::ConfigError naming file, key path, expected and found.
  static StrategyConfig loadFile(const std::string& path, const config::InstrumentRegistry& registry);
  config::JsonNode params() const;
};

}  // namespace hft::strategy_engine
