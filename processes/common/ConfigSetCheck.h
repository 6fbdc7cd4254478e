#pragma once
// --check-config's whole-directory part, shared by every daemon: the system file and everything
// beside it (exchanges/, tick_rules/, order_rules/, strategies/) through config::ConfigSet, with
// order rules checked by managers::RiskLimits and strategies by strategy_engine::StrategyConfig.
#include <string>

namespace hft::processes {

/// Loads the set around `systemFile`. Every error goes to stderr as "<process>: <error>" (each
/// names file, key path, expected and found); returns false when there was any. On success
/// prints one summary line to stdout. Never prints a secret: the set holds none.
bool checkConfigSet(const std::string& systemFile, const char* process);

}  // namespace hft::processes
