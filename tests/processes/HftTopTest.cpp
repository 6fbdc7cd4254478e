// hft-top under tmux, as an operator uses it: the real binary in a detached tmux session on a
// private bus with a running datafeed; the test reads the screen (capture-pane) and presses keys.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "ProcessRunner.h"

using hft::test::bin;
using hft::test::Process;
using hft::test::sourceFile;
namespace fs = std::filesystem;

namespace {

std::string sh(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

/// Polls `check` for up to 10 s (a loaded machine is slow; the check is what matters).
template <class F>
bool eventually(F&& check) {
  for (int i = 0; i < 200; ++i) {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return check();
}

class HftTop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (sh("command -v tmux").empty()) GTEST_SKIP() << "tmux is not installed (scripts/setup installs it)";
    bus_ = "top" + std::to_string(getpid());
    setenv("HFT_BUS_NAME", bus_.c_str(), 1);
    dir_ = fs::temp_directory_path() / ("hft-" + bus_);
    fs::create_directories(dir_);
    socket_ = "hft-top-test-" + std::to_string(getpid());
  }
  void TearDown() override {
    if (!socket_.empty()) sh("tmux -L " + socket_ + " kill-server 2>/dev/null");
    for (const auto& e : fs::directory_iterator("/dev/shm"))
      if (e.path().filename().string().rfind("hft." + bus_ + ".", 0) == 0) fs::remove(e.path());
    fs::remove_all(dir_);
  }
  std::string screen() const { return sh("tmux -L " + socket_ + " capture-pane -p -t top 2>/dev/null"); }
  void keys(const std::string& k) const { sh("tmux -L " + socket_ + " send-keys -t top " + k); }

  std::string bus_, socket_;
  fs::path dir_;
};

}  // namespace

TEST_F(HftTop, showsTheRunningDatafeedAndDrivesTheKillSwitchFile) {
  // Order rules whose kill file lives in the test's directory.
  auto rules = nlohmann::json::parse(std::ifstream(sourceFile("config/order_rules/default.json")));
  const fs::path kill = dir_ / "kill";
  rules["kill_switch_file"] = kill.string();
  const fs::path rulesFile = dir_ / "rules.json";
  std::ofstream(rulesFile) << rules.dump();

  Process feed(bin("datafeed"), {"--source", "synthetic", "--config", sourceFile("config/system.json")},
               (dir_ / "feed.txt").string());
  const std::string cmd = "tmux -L " + socket_ + " new-session -d -s top -x 200 -y 50 -e HFT_BUS_NAME=" + bus_ + " '" +
                          bin("hft-top") + " --system " + sourceFile("config/system.json") + " --rules " +
                          rulesFile.string() + " --interval-ms 100'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);

  ASSERT_TRUE(eventually([&] { return screen().find("datafeed:synthetic") != std::string::npos; })) << screen();
  EXPECT_NE(screen().find("events/s"), std::string::npos);
  EXPECT_NE(screen().find("kill switch: off"), std::string::npos) << screen();

  // k asks first; n leaves everything as it was.
  keys("k");
  ASSERT_TRUE(eventually([&] { return screen().find("y/n") != std::string::npos; })) << screen();
  keys("n");
  ASSERT_TRUE(eventually([&] { return screen().find("not engaged") != std::string::npos; })) << screen();
  EXPECT_FALSE(fs::exists(kill));

  keys("k");
  ASSERT_TRUE(eventually([&] { return screen().find("y/n") != std::string::npos; })) << screen();
  keys("y");
  ASSERT_TRUE(eventually([&] { return fs::exists(kill); })) << screen();
  EXPECT_TRUE(eventually([&] { return screen().find("ENGAGED") != std::string::npos; })) << screen();

  keys("c");
  ASSERT_TRUE(eventually([&] { return !fs::exists(kill); })) << screen();
  EXPECT_TRUE(eventually([&] { return screen().find("kill switch: off") != std::string::npos; })) << screen();

  // Filter: a name that matches nothing hides the datafeed row.
  keys("f");
  keys("nomatch Enter");
  EXPECT_TRUE(eventually([&] { return screen().find("filter: nomatch") != std::string::npos &&
                                      screen().find("datafeed:synthetic") == std::string::npos; }))
      << screen();

  keys("q");
  // The session ends with its only program.
  EXPECT_TRUE(eventually([&] { return std::system(("tmux -L " + socket_ + " has-session -t top 2>/dev/null").c_str()) != 0; }))
      << "q quits";
  feed.signal(SIGINT);
  feed.wait();
}
