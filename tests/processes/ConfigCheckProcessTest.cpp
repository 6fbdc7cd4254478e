// Integration: every daemon's --check-config validates the whole config directory
// (config::ConfigSet) and names the file and key path of what is wrong.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "ProcessRunner.h"

using hft::test::bin;
using hft::test::Process;
using hft::test::sourceFile;

namespace fs = std::filesystem;

namespace {

/// A scratch copy of the shipped config directory, with the executor file pointed at it.
class ConfigCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    root_ = fs::temp_directory_path() / ("hft-configcheck-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(root_);
    fs::copy(sourceFile("config"), dir(), fs::copy_options::recursive);
    std::ifstream in(dir() / "executor.json");
    nlohmann::json j = nlohmann::json::parse(in);
    j["order_rules"] = (dir() / "order_rules" / "default.json").string();
    j["data_root"] = (root_ / "data").string();
    j["journal"]["dir"] = (root_ / "data" / "journal").string();
    std::ofstream(dir() / "executor.json", std::ios::trunc) << j.dump(2);
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path dir() const { return root_ / "config"; }
  std::string system() const { return (dir() / "system.json").string(); }
  std::string out(const std::string& name) const { return (root_ / name).string(); }
  /// Replaces one key of an exchange file.
  void breakExchange(const std::string& venue, const nlohmann::json::json_pointer& key, const nlohmann::json& value) {
    const fs::path p = dir() / "exchanges" / (venue + ".json");
    std::ifstream in(p);
    nlohmann::json j = nlohmann::json::parse(in);
    j[key] = value;
    std::ofstream(p, std::ios::trunc) << j.dump(2);
  }

  fs::path root_;
};

}  // namespace

TEST_F(ConfigCheck, theShippedConfigPassesInEveryDaemon) {
  Process executor(bin("order_executor"),
                   {"--config", (dir() / "executor.json").string(), "--system", system(), "--check-config"}, out("ex"));
  EXPECT_EQ(executor.wait(20000), 0) << executor.output();
  EXPECT_NE(executor.output().find("order_executor: config set OK"), std::string::npos) << executor.output();
  EXPECT_NE(executor.output().find("configuration OK"), std::string::npos) << executor.output();
  Process datafeed(bin("datafeed"), {"--config", system(), "--check-config"}, out("df"));
  EXPECT_EQ(datafeed.wait(20000), 0) << datafeed.output();
  EXPECT_NE(datafeed.output().find("5 exchanges, 2 tick rules"), std::string::npos) << datafeed.output();
  Process recorder(bin("data_recorder"), {"--config", system(), "--check-config"}, out("rec"));
  EXPECT_EQ(recorder.wait(20000), 0) << recorder.output();
  Process runner(bin("strategy_runner"), {"--config", (dir() / "strategies" / "market_maker.json").string(), "--system",
                                          system(), "--check-config"}, out("run"));
  EXPECT_EQ(runner.wait(20000), 0) << runner.output();
}

TEST_F(ConfigCheck, aBrokenExchangeFileFailsTheCheckNamingFileAndKeyPath) {
  breakExchange("binance_futures", "/environments/production/ws_url"_json_pointer, "https://fstream.binance.com");
  breakExchange("upbit", "/active"_json_pointer, "staging");
  Process executor(bin("order_executor"),
                   {"--config", (dir() / "executor.json").string(), "--system", system(), "--check-config"}, out("ex"));
  EXPECT_NE(executor.wait(20000), 0) << executor.output();
  const std::string text = executor.output();
  EXPECT_NE(text.find("2 configuration error(s)"), std::string::npos) << text;
  EXPECT_NE(text.find("exchanges/binance_futures.json: environments.production.ws_url: expected a ws:// or wss:// URL"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("exchanges/upbit.json: active: expected one of production"), std::string::npos) << text;
  EXPECT_EQ(text.find("configuration OK"), std::string::npos) << text;

  Process datafeed(bin("datafeed"), {"--config", system(), "--check-config"}, out("df"));
  EXPECT_NE(datafeed.wait(20000), 0) << datafeed.output();
  EXPECT_NE(datafeed.output().find("exchanges/binance_futures.json: environments.production.ws_url"), std::string::npos)
      << datafeed.output();
}

TEST_F(ConfigCheck, aBrokenStrategyFileIsReportedByTheOrderExecutorToo) {
  std::ofstream(dir() / "strategies" / "twap.json", std::ios::trunc) << "{\"name\": \"twap\",";
  Process executor(bin("order_executor"),
                   {"--config", (dir() / "executor.json").string(), "--system", system(), "--check-config"}, out("ex"));
  EXPECT_NE(executor.wait(20000), 0) << executor.output();
  EXPECT_NE(executor.output().find("strategies/twap.json: invalid JSON at byte"), std::string::npos)
      << executor.output();
}
