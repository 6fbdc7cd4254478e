#include "venues/SimBalances.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/FixedPoint.h"
#include "common/events/ExecutionReport.h"

namespace hft::test::conformance {

int64_t simAmount(const nlohmann::json& j, const char* key) {
  int64_t v = 0;
  if (!j.contains(key) || !j[key].is_string() ||
      common::parseDecimal(j[key].get<std::string>(), common::kAmountScale, v) != common::ParseStatus::Ok)
    throw std::runtime_error(std::string("/sim/state balances: '") + key + "' is not a decimal string");
  return v;
}

std::map<std::string, SimBalance> freeLockedBalances(const nlohmann::json& state) {
  if (!state.contains("balances") || !state["balances"].is_array()) throw std::runtime_error("/sim/state: no balances array");
  std::map<std::string, SimBalance> out;
  for (const auto& b : state["balances"]) out[b.value("asset", std::string())] = {simAmount(b, "free"), simAmount(b, "locked")};
  return out;
}

}  // namespace hft::test::conformance
