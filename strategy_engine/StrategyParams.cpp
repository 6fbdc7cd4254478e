#include "strategy_engine/StrategyParams.h"

namespace hft::strategy_engine {

bool StrategyParams::present(const std::string& key) {
  known_.insert(key);
  return node_.json().is_object() && node_.has(key);
}

int64_t StrategyParams::integer(const std::string& key, int64_t min, int64_t max, int64_t fallback) {
  return present(key) ? node_.optionalInt(key, min, max, fallback) : fallback;
}

int64_t StrategyParams::requiredInteger(const std::string& key, int64_t min, int64_t max) {
  known_.insert(key);
  return node_.requiredInt(key, min, max);
}

double StrategyParams::number(const std::string& key, double min, double max, double fallback) {
  if (!present(key)) return fallback;
  const auto child = node_.child(key, "a number");
  if (!child.json().is_number())
    child.fail("a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  const double v = child.json().get<double>();
  if (!(v >= min && v <= max)) child.fail("a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  return v;
}

bool StrategyParams::flag(const std::string& key, bool fallback) {
  return present(key) ? node_.optionalBool(key, fallback) : fallback;
}

std::string StrategyParams::text(const std::string& key, const std::string& fallback) {
  return present(key) ? node_.optionalString(key, fallback) : fallback;
}

int64_t StrategyParams::decimal(const std::string& key, int scale, int64_t fallbackRaw) {
  return present(key) ? node_.optionalDecimal(key, scale, 0, "a non-negative decimal string", fallbackRaw) : fallbackRaw;
}

void StrategyParams::finish() const {
  if (!node_.json().is_object()) return;
  for (const auto& [key, value] : node_.json().items()) {
    if (known_.count(key)) continue;
    std::string valid;
    for (const auto& k : known_) valid.append(valid.empty() ? "" : ", ").append(k);
    node_.child(key, "").fail("one of the parameters " + valid, "unknown parameter \"" + key + "\"");
  }
}

void StrategyParams::fail(const std::string& key, const std::string& expected) const {
  if (node_.json().is_object() && node_.has(key)) node_.child(key, expected).fail(expected);
  node_.fail(expected);
}

}  // namespace hft::strategy_engine
