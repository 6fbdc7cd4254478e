#pragma once
#include "strategy_engine/StrategyRegistry.h"

namespace hft::strategies {

/// Registers every built-in strategy by name (explicitly, no static-initialization tricks).
void registerBuiltinStrategies(strategy_engine::StrategyRegistry& registry);

}  // namespace hft::strategies
