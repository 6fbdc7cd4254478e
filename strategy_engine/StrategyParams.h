#pragma once
// A strategy's "params" object with typed, range-checked reads. Every key a strategy reads is
// remembered, so finish() can reject any other key (a typo) and list the valid ones.
#include <set>
#include <string>

#include "config/ConfigError.h"
#include "config/JsonNode.h"

namespace hft::strategy_engine {

class StrategyParams {
 public:
  /// `node` is the "params" object (or null when absent); errors name its file and key path.
  explicit StrategyParams(config::JsonNode node) : node_(std::move(node)) {}

  int64_t integer(const std::string& key, int64_t min, int64_t max, int64_t fallback);
  int64_t requiredInteger(const std::string& key, int64_t min, int64_t max);
  double number(const std::string& key, double min, double max, double fallback);
  bool flag(const std::string& key, bool fallback);
  std::string text(const std::string& key, const std::string& fallback);
  /// A decimal string ("0.5") as raw units at `scale` decimals (prices, quantities).
  int64_t decimal(const std::string& key, int scale, int64_t fallbackRaw);
  /// Throws ConfigError naming any key that was not read, listing the valid ones.
  void finish() const;
  /// Throws ConfigError for `key` (a combination of values that is not allowed).
  [[noreturn]] void fail(const std::string& key, const std::string& expected) const;

 private:
  bool present(const std::string& key);
  config::JsonNode node_;
  std::set<std::string> known_;
};

}  // namespace hft::strategy_engine
