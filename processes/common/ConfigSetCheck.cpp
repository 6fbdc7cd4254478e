#include "processes/common/ConfigSetCheck.h"

#include <cstdio>

#include "config/ConfigSet.h"
#include "managers/RiskLimits.h"
#include "strategy_engine/StrategyConfig.h"

namespace hft::processes {

bool checkConfigSet(const std::string& systemFile, const char* process) {
  config::ConfigSetOptions options;
  options.orderRules = [](const std::string& path, const config::InstrumentRegistry& instruments) {
    (void)managers::RiskLimits::loadFile(path, instruments);
  };
  options.strategy = [](const std::string& path, const config::InstrumentRegistry& instruments) {
    (void)strategy_engine::StrategyConfig::loadFile(path, instruments);
  };
  const config::ConfigSet set = config::ConfigSet::load(systemFile, options);
  if (!set.ok()) {
    std::fprintf(stderr, "%s: %zu configuration error(s) in %s:\n", process, set.errors.size(), set.dir.c_str());
    for (const config::ConfigError& e : set.errors) std::fprintf(stderr, "%s: %s\n", process, e.what());
    return false;
  }
  std::printf("%s: config set OK (%s: %zu exchanges, %zu tick rules, %zu order rules, %zu strategies)\n", process,
              set.dir.c_str(), set.exchanges.size(), set.tickRules.size(), set.orderRuleFiles.size(),
              set.strategyFiles.size());
  return true;
}

}  // namespace hft::processes
