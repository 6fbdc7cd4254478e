#include "strategy_engine/StrategyRegistry.h"

#include <stdexcept>

namespace hft::strategy_engine {

void StrategyRegistry::add(const std::string& name, const std::string& description, Factory factory) {
  if (!entries_.emplace(name, Entry{description, std::move(factory)}).second)
    throw std::logic_error("strategy \"" + name + "\" registered twice");
}

std::unique_ptr<IStrategy> StrategyRegistry::create(const std::string& name, StrategyParams& params,
                                                    const StrategySetup& setup) const {
  const auto it = entries_.find(name);
  if (it == entries_.end()) {
    std::string valid;
    for (const auto& [n, e] : entries_) valid.append(valid.empty() ? "" : ", ").append(n);
    throw std::invalid_argument("unknown strategy \"" + name + "\" (valid: " + valid + ")");
  }
  auto s = it->second.factory(params, setup);
  params.finish();
  return s;
}

std::map<std::string, std::string> StrategyRegistry::list() const {
  std::map<std::string, std::string> out;
  for (const auto& [n, e] : entries_) out[n] = e.description;
  return out;
}

}  // namespace hft::strategy_engine
