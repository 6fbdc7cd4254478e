#include "strategy_engine/StrategyConfig.h"

#include "common/Ids.h"

namespace hft::strategy_engine {

StrategyConfig StrategyConfig::loadFile(const std::string& path, const config::InstrumentRegistry& registry) {
  StrategyConfig c;
  c.source = path;
  c.document = config::readJsonFile(path);
  const config::JsonNode root(c.document, path);
  root.expectObject({"name", "strategy", "strategy_id", "instruments", "params", "core", "wait", "cancel_on_stop"});
  c.name = root.requiredString("name");
  c.strategy = root.requiredString("strategy");
  c.strategy_id = static_cast<common::StrategyId>(root.requiredInt("strategy_id", 1, 4095));
  for (const auto& node : root.child("instruments", "a list of instruments").elements()) {
    const config::Instrument* inst = nullptr;
    if (node.json().is_number_integer()) {
      inst = registry.byId(static_cast<common::InstrumentId>(node.asInt(1, 65535)));
    } else {
      const std::string s = node.asString();
      const auto colon = s.find(':');
      if (colon != std::string::npos) {
        const auto ex = common::exchangeFromString(s.substr(0, colon).c_str());
        inst = registry.byVenueSymbol(ex, s.substr(colon + 1));
      }
    }
    if (!inst) node.fail("an instrument id or \"<exchange>:<venue symbol>\" from the instruments file");
    c.instruments.push_back(inst->id);
  }
  if (c.instruments.empty()) root.child("instruments", "").fail("at least one instrument");
  c.core = static_cast<int>(root.optionalInt("core", -1, 1023, -1));
  c.wait = root.optionalString("wait", "spin_yield");
  if (c.wait != "busy_spin" && c.wait != "spin_yield" && c.wait != "blocking")
    root.child("wait", "").fail("one of busy_spin, spin_yield, blocking");
  c.cancel_on_stop = root.optionalBool("cancel_on_stop", true);
  return c;
}

config::JsonNode StrategyConfig::params() const {
  static const nlohmann::json empty = nlohmann::json::object();
  const config::JsonNode root(document, source);
  return root.has("params") ? root.child("params", "an object of parameters") : config::JsonNode(empty, source);
}

}  // namespace hft::strategy_engine
