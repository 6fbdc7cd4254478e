// config/ConfigSet.h: the whole config directory, every error collected.
#include "config/ConfigSet.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "ConfigTestUtil.h"

using namespace hft;
using namespace hft::config;
using hft::test::expectMentions;
using hft::test::shippedConfig;
using hft::test::TempDir;

namespace fs = std::filesystem;

namespace {

ConfigSetOptions noEnv() {
  ConfigSetOptions o;
  o.env = EnvLookup{};
  return o;
}

std::string allErrors(const ConfigSet& set) {
  std::string s;
  for (const ConfigError& e : set.errors) s.append(e.what()).append("\n");
  return s;
}

/// A copy of the shipped config directory to break.
struct ConfigCopy {
  TempDir tmp;
  fs::path dir = tmp.path / "config";
  ConfigCopy() { fs::copy(shippedConfig(""), dir, fs::copy_options::recursive); }
  std::string system() const { return (dir / "system.json").string(); }
  void write(const std::string& rel, const std::string& text) const { std::ofstream(dir / rel, std::ios::trunc) << text; }
};

}  // namespace

TEST(ConfigSet, theShippedConfigDirectoryValidatesWithZeroErrors) {
  const ConfigSet set = ConfigSet::load(shippedConfig("system.json"), noEnv());
  EXPECT_TRUE(set.ok()) << allErrors(set);
  ASSERT_TRUE(set.system.has_value());
  ASSERT_TRUE(set.instruments.has_value());
  for (const char* venue : {"binance", "binance_futures", "upbit", "bithumb", "simulated"})
    EXPECT_EQ(set.exchanges.count(venue), 1u) << venue;
  EXPECT_EQ(set.tickRules.count("upbit_krw"), 1u);
  EXPECT_EQ(set.tickRules.count("bithumb_krw"), 1u);
  EXPECT_FALSE(set.orderRuleFiles.empty());
  EXPECT_GE(set.strategyFiles.size(), 7u);
}

TEST(ConfigSet, collectsEveryErrorInsteadOfStoppingAtTheFirst) {
  ConfigCopy c;
  c.write("exchanges/upbit.json", R"({"venue": "upbit", "active": "production", "order_entry": "rest",
      "environments": {"production": {"rest_url": "ftp://api.upbit.com", "ws_url": "wss://api.upbit.com/websocket/v1",
                                      "user_data": {"transport": "ws_api"}}}})");
  c.write("tick_rules/upbit_krw.json", R"({"venue": "upbit", "quote": "KRW", "price_scale": 0,
      "bands": [{"from": "0", "tick": "1"}, {"from": "0", "tick": "5"}]})");
  c.write("strategies/twap.json", "{\"name\": ");
  const ConfigSet set = ConfigSet::load(c.system(), noEnv());
  ASSERT_EQ(set.errors.size(), 3u) << allErrors(set);
  const std::string all = allErrors(set);
  expectMentions(all, {"exchanges/upbit.json: environments.production.rest_url: expected an http:// or https:// URL",
                       "tick_rules/upbit_krw.json: bands[1].from", "strategies/twap.json: invalid JSON at byte"});
  // The good files around them still loaded.
  EXPECT_EQ(set.exchanges.count("binance"), 1u);
  EXPECT_EQ(set.exchanges.count("upbit"), 0u);
}

TEST(ConfigSet, anExchangeFileMustDescribeTheVenueItIsNamedAfter) {
  ConfigCopy c;
  fs::copy_file(c.dir / "exchanges/binance.json", c.dir / "exchanges/binance_us.json");
  const ConfigSet set = ConfigSet::load(c.system(), noEnv());
  ASSERT_EQ(set.errors.size(), 1u) << allErrors(set);
  expectMentions(set.errors[0].what(), {"exchanges/binance_us.json", "venue", "\"binance_us\" (the file name)",
                                        "\"binance\""});
}

TEST(ConfigSet, aBrokenSystemFileIsReportedAndTheFoldersAreStillChecked) {
  ConfigCopy c;
  c.write("system.json", R"({"bus": {"name": "main", "exec_capacity": 1000}})");
  c.write("exchanges/simulated.json", R"({"venue": "simulated"})");
  const ConfigSet set = ConfigSet::load(c.system(), noEnv());
  const std::string all = allErrors(set);
  expectMentions(all, {"system.json: bus.exec_capacity", "exchanges/simulated.json: environments"});
  EXPECT_FALSE(set.instruments.has_value());
}

TEST(ConfigSet, validatorsRunOnOrderRulesAndStrategiesWithTheRegistry) {
  ConfigSetOptions o = noEnv();
  std::vector<std::string> seen;
  o.orderRules = [&](const std::string& path, const InstrumentRegistry& reg) {
    EXPECT_FALSE(reg.all().empty());
    seen.push_back(path);
  };
  o.strategy = [&](const std::string& path, const InstrumentRegistry&) {
    if (path.find("iceberg") != std::string::npos) throw std::runtime_error("iceberg: not today");
  };
  const ConfigSet set = ConfigSet::load(shippedConfig("system.json"), o);
  EXPECT_EQ(seen.size(), set.orderRuleFiles.size());
  ASSERT_EQ(set.errors.size(), 1u) << allErrors(set);
  expectMentions(set.errors[0].what(), {"strategies/iceberg.json", "iceberg: not today"});
}

TEST(ConfigSet, exchangesDirIsBesideTheSystemFile) {
  EXPECT_EQ(ConfigSet::exchangesDir("/etc/hft/system.json"), "/etc/hft/exchanges");
  EXPECT_EQ(ConfigSet::exchangesDir("system.json"), "exchanges");
}

TEST(ConfigSet, passesTheEnvironmentToTheExchangeFiles) {
  const std::map<std::string, std::string> vars{{"HFT_BINANCE_ENV", "testnet"}, {"HFT_UPBIT_ENV", "sandbox"}};
  ConfigSetOptions o;
  o.env = [&](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
  const ConfigSet set = ConfigSet::load(shippedConfig("system.json"), o);
  ASSERT_EQ(set.exchanges.count("binance"), 1u);
  EXPECT_EQ(set.exchanges.at("binance").active, "testnet");
  EXPECT_EQ(set.exchanges.at("binance").endpoints.rest_url, "https://testnet.binance.vision");
  ASSERT_EQ(set.errors.size(), 1u) << allErrors(set);
  expectMentions(set.errors[0].what(), {"exchanges/upbit.json", "HFT_UPBIT_ENV", "one of production", "\"sandbox\""});
}
