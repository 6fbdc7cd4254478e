#pragma once
// Strategies register by name; the runner creates one from its config. An unknown name or a
// bad parameter is an error that lists what is valid.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/InstrumentRegistry.h"
#include "strategy_engine/IStrategy.h"
#include "strategy_engine/StrategyParams.h"

namespace hft::strategy_engine {

/// What a strategy factory gets besides its parameters.
struct StrategySetup {
  const config::InstrumentRegistry& registry;
  std::vector<common::InstrumentId> instruments;  ///< as configured, in order
};

class StrategyRegistry {
 public:
  using Factory = std::function<std::unique_ptr<IStrategy>(StrategyParams&, const StrategySetup&)>;

  void add(const std::string& name, const std::string& description, Factory factory);
  /// Creates the strategy and checks that every parameter was understood. Throws
  /// std::invalid_argument for an unknown name (listing the valid ones) and
  /// config::ConfigError for a bad or unknown parameter.
  std::unique_ptr<IStrategy> create(const std::string& name, StrategyParams& params, const StrategySetup& setup) const;
  /// name -> description, sorted.
  std::map<std::string, std::string> list() const;

 private:
  struct Entry {
    std::string description;
    Factory factory;
  };
  std::map<std::string, Entry> entries_;
};

}  // namespace hft::strategy_engine
