// Integration: the real order_executor binary (dry-run venue) with datafeed and strategy_runner
// on a private bus and a scratch data root.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "ProcessRunner.h"

using hft::test::bin;
using hft::test::Process;
using hft::test::sourceFile;
using hft::test::waitForOutput;

namespace {

class ExecutorProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    bus_ = "ox" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    setenv("HFT_BUS_NAME", bus_.c_str(), 1);
    dir_ = std::filesystem::temp_directory_path() / ("hft-" + bus_);
    std::filesystem::create_directories(dir_);
    // The shipped executor config, pointed at the scratch folder.
    std::ifstream in(sourceFile("config/executor.json"));
    nlohmann::json j = nlohmann::json::parse(in);
    j["order_rules"] = sourceFile("config/order_rules/default.json");
    j["data_root"] = (dir_ / "data").string();
    j["journal"]["dir"] = (dir_ / "data" / "journal").string();
    std::ofstream(config()) << j.dump(2);
  }
  void TearDown() override {
    for (const auto& e : std::filesystem::directory_iterator("/dev/shm"))
      if (e.path().filename().string().rfind("hft." + bus_ + ".", 0) == 0) std::filesystem::remove(e.path());
    std::filesystem::remove_all(dir_);
  }
  std::string config() const { return (dir_ / "executor.json").string(); }
  std::string out(const std::string& name) const { return (dir_ / name).string(); }
  std::vector<std::string> executorArgs() const {
    return {"--config", config(), "--system", sourceFile("config/system.json")};
  }

  std::string bus_;
  std::filesystem::path dir_;
};


}  // namespace

TEST_F(ExecutorProcess, aSecondExecutorOnTheSameBusRefusesToStartNamingTheHolder) {
  Process first(bin("order_executor"), executorArgs(), out("first"));
  ASSERT_TRUE(waitForOutput(first, "reconcile:")) << first.output();
  Process second(bin("order_executor"), executorArgs(), out("second"));
  EXPECT_NE(second.wait(10000), 0);
  EXPECT_NE(second.output().find("pid " + std::to_string(first.pid())), std::string::npos) << second.output();
  first.signal(SIGTERM);
  EXPECT_EQ(first.wait(10000), 0) << first.output();
}

TEST_F(ExecutorProcess, checkConfigValidatesAndHelpListsTheOptions) {
  Process check(bin("order_executor"), {"--config", config(), "--system", sourceFile("config/system.json"), "--check-config"}, out("check"));
  EXPECT_EQ(check.wait(10000), 0) << check.output();
  EXPECT_NE(check.output().find("configuration OK"), std::string::npos) << check.output();
  Process help(bin("order_executor"), {"--help"}, out("help"));
  EXPECT_EQ(help.wait(10000), 0);
  EXPECT_NE(help.output().find("--check-config"), std::string::npos) << help.output();
}

TEST_F(ExecutorProcess, checkConfigNamesMissingBinanceCredentialsAndNeverPrintsThem) {
  std::ifstream in(config());
  nlohmann::json j = nlohmann::json::parse(in);
  j["gateways"] = {{"binance", {{"kind", "binance"}, {"order_entry", "ws_api"}}}};
  const std::string live = out("executor_binance.json");
  std::ofstream(live) << j.dump(2);
  unsetenv("HFT_BINANCE_API_KEY");
  unsetenv("HFT_BINANCE_API_SECRET");
  Process missing(bin("order_executor"), {"--config", live, "--system", sourceFile("config/system.json"), "--check-config"}, out("missing"));
  EXPECT_EQ(missing.wait(10000), 1) << missing.output();
  EXPECT_NE(missing.output().find("HFT_BINANCE_API_KEY and HFT_BINANCE_API_SECRET not set"), std::string::npos) << missing.output();
  setenv("HFT_BINANCE_API_KEY", "visibleKeyId", 1);
  setenv("HFT_BINANCE_API_SECRET", "hiddenSecretValue123", 1);
  Process present(bin("order_executor"), {"--config", live, "--system", sourceFile("config/system.json"), "--check-config"}, out("present"));
  EXPECT_EQ(present.wait(10000), 0) << present.output();
  EXPECT_NE(present.output().find("configuration OK"), std::string::npos) << present.output();
  EXPECT_EQ(present.output().find("hiddenSecretValue123"), std::string::npos) << present.output();
  EXPECT_EQ(present.output().find("visibleKeyId"), std::string::npos) << present.output();
  unsetenv("HFT_BINANCE_API_KEY");
  unsetenv("HFT_BINANCE_API_SECRET");
}

TEST_F(ExecutorProcess, marketMakerTradesThroughTheDryRunExecutorAndEverythingIsLogged) {
  const std::string system = sourceFile("config/system.json");
  Process feed(bin("datafeed"), {"--config", system, "--source", "synthetic"}, out("feed"));
  Process executor(bin("order_executor"), executorArgs(), out("executor"));
  ASSERT_TRUE(waitForOutput(executor, "reconcile:")) << executor.output();
  Process strategy(bin("strategy_runner"),
                   {"--config", sourceFile("config/strategies/market_maker.json"), "--system", system}, out("strategy"));
  usleep(2'000'000);  // ~2 s of quoting; the assertions below count what happened, not how fast
  strategy.signal(SIGTERM);
  ASSERT_EQ(strategy.wait(10000), 0) << strategy.output();
  usleep(300'000);  // the final cancels reach the executor
  executor.signal(SIGTERM);
  feed.signal(SIGTERM);
  ASSERT_EQ(executor.wait(10000), 0) << executor.output();
  feed.wait(10000);

  std::smatch m;
  const std::string s = strategy.output();
  ASSERT_TRUE(std::regex_search(s, m, std::regex(R"((\d+) orders, (\d+) cancels, (\d+) modifies, (\d+) fills, (\d+) local rejects, (\d+) venue rejects)")))
      << s;
  EXPECT_GT(std::stoull(m[1]), 0u) << s;
  const std::string e = executor.output();
  ASSERT_TRUE(std::regex_search(e, m, std::regex(R"((\d+) requests, (\d+) accepted)"))) << e;
  EXPECT_GT(std::stoull(m[2]), 0u) << e;
  // The strategy's rejects are all ones the rules allow for: no reference price yet at the
  // start (price band), the rate limit while requoting; nothing else.
  std::regex reasons(R"(rejected by reason:(.*))");
  if (std::regex_search(e, m, reasons)) {
    std::string rest = m[1];
    rest = std::regex_replace(rest, std::regex(R"( (price_band|rate_limit|unknown_order) \d+)"), "");
    EXPECT_TRUE(rest.empty()) << "unexpected rejects:" << rest << "\n" << e;
  }

  EXPECT_TRUE(std::filesystem::is_directory(dir_ / "data" / "journal"));
  int logs = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir_ / "data" / "logs")) {
    if (f.path().filename() != "trades.jsonl") continue;
    ++logs;
    // logs/YYYY/MM/DD/trades.jsonl
    EXPECT_TRUE(std::regex_search(f.path().string(), std::regex(R"(logs/\d{4}/\d{2}/\d{2}/trades\.jsonl$)"))) << f.path();
    std::ifstream in(f.path());
    int lines = 0;
    for (std::string line; std::getline(in, line); ++lines) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      EXPECT_FALSE(j.is_discarded()) << line;
      EXPECT_TRUE(j.contains("exec_type")) << line;
    }
    EXPECT_GT(lines, 0);
  }
  EXPECT_EQ(logs, 1);
}
