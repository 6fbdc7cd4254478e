// Integration: a daemon writes its own log file (common/log) where HFT_LOG_DIR says, with its
// start-up and shutdown lines; a bad logging section stops it before it starts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "ProcessRunner.h"

using hft::test::bin;
using hft::test::Process;
using hft::test::sourceFile;

namespace {

class DaemonLog : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    bus_ = "lg" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    setenv("HFT_BUS_NAME", bus_.c_str(), 1);
    dir_ = std::filesystem::temp_directory_path() / ("hft-" + bus_);
    std::filesystem::create_directories(dir_);
    setenv("HFT_LOG_DIR", (dir_ / "logs").c_str(), 1);
    // The shipped executor config, pointed at the scratch folder (as OrderExecutorProcessTest).
    std::ifstream in(sourceFile("config/executor.json"));
    nlohmann::json j = nlohmann::json::parse(in);
    j["order_rules"] = sourceFile("config/order_rules/default.json");
    j["data_root"] = (dir_ / "data").string();
    j["journal"]["dir"] = (dir_ / "data" / "journal").string();
    std::ofstream(config()) << j.dump(2);
  }
  void TearDown() override {
    unsetenv("HFT_LOG_DIR");
    for (const auto& e : std::filesystem::directory_iterator("/dev/shm"))
      if (e.path().filename().string().rfind("hft." + bus_ + ".", 0) == 0) std::filesystem::remove(e.path());
    std::filesystem::remove_all(dir_);
  }
  std::string config() const { return (dir_ / "executor.json").string(); }
  std::string out(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path logFile() const { return dir_ / "logs" / "order_executor.log"; }
  std::string logText() const {
    std::ifstream f(logFile());
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }

  std::string bus_;
  std::filesystem::path dir_;
};

bool eventually(const std::function<bool()>& f, int timeoutMs = 10000) {
  for (int i = 0; i < timeoutMs / 10; ++i) {
    if (f()) return true;
    usleep(10000);
  }
  return f();
}

}  // namespace

TEST_F(DaemonLog, orderExecutorWritesItsStartupAndShutdownLinesIntoHftLogDir) {
  Process executor(bin("order_executor"), {"--config", config(), "--system", sourceFile("config/system.json")},
                   out("executor"));
  // Cold lines are written (and, below warn, flushed by the log thread) within ~200 ms.
  ASSERT_TRUE(eventually([&] { return logText().find("order_executor: bus " + bus_) != std::string::npos; }))
      << "log: " << logText() << "\noutput: " << executor.output();
  executor.signal(SIGTERM);
  ASSERT_EQ(executor.wait(10000), 0) << executor.output();
  const std::string log = logText();
  // <ISO time>Z info [main] order_executor: bus <bus>, reports on ..., pid N
  std::string startup = " info [main] order_executor: bus ";
  startup.append(bus_).append(", reports on /dev/shm/hft.").append(bus_);
  EXPECT_NE(log.find(startup), std::string::npos) << log;
  EXPECT_NE(log.find("pid " + std::to_string(executor.pid())), std::string::npos) << log;
  EXPECT_NE(log.find("order_executor: stopped:"), std::string::npos) << log;
  EXPECT_NE(executor.output().find("requests"), std::string::npos) << "the summary still goes to stdout";
}

TEST_F(DaemonLog, checkConfigRejectsABadLoggingSectionWithoutCreatingALog) {
  nlohmann::json sys = nlohmann::json::parse(std::ifstream(sourceFile("config/system.json")));
  sys["instruments"] = sourceFile("config/instruments.json");
  sys["logging"]["level"] = "chatty";
  const std::string bad = out("system.json");
  std::ofstream(bad) << sys.dump(2);
  Process check(bin("order_executor"), {"--config", config(), "--system", bad, "--check-config"}, out("check"));
  EXPECT_EQ(check.wait(10000), 2) << check.output();
  EXPECT_NE(check.output().find(bad), std::string::npos) << check.output();
  EXPECT_NE(check.output().find("logging.level"), std::string::npos) << check.output();

  Process good(bin("order_executor"), {"--config", config(), "--system", sourceFile("config/system.json"), "--check-config"},
               out("good"));
  EXPECT_EQ(good.wait(10000), 0) << good.output();
  EXPECT_FALSE(std::filesystem::exists(logFile())) << "--check-config starts nothing";
}
