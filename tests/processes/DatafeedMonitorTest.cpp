// Integration: the real datafeed and bus_monitor binaries on a private bus.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <iostream>
#include <regex>
#include <thread>

#include "ProcessRunner.h"

using hft::test::bin;
using hft::test::Process;
using hft::test::sourceFile;

namespace {

class BusProcesses : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    bus_ = "it" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    setenv("HFT_BUS_NAME", bus_.c_str(), 1);
    dir_ = std::filesystem::temp_directory_path() / ("hft-" + bus_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    for (const auto& e : std::filesystem::directory_iterator("/dev/shm"))
      if (e.path().filename().string().rfind("hft." + bus_ + ".", 0) == 0) std::filesystem::remove(e.path());
    std::filesystem::remove_all(dir_);
  }
  std::string out(const std::string& name) const { return (dir_ / name).string(); }
  std::vector<std::string> withConfig(std::vector<std::string> args) const {
    args.push_back("--config");
    args.push_back(sourceFile("config/system.json"));
    return args;
  }
  static nlohmann::json lastJsonLine(const std::string& text) {
    std::istringstream in(text);
    nlohmann::json last;
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line[0] == '{') last = nlohmann::json::parse(line);
    return last;
  }
  static uint64_t publishedCount(const std::string& feedOutput) {
    std::smatch m;
    if (!std::regex_search(feedOutput, m, std::regex("published (\\d+) events"))) return 0;
    return std::stoull(m[1]);
  }

  std::string bus_;
  std::filesystem::path dir_;
};

}  // namespace

TEST_F(BusProcesses, everyEventReachesAFastConsumerAndASlowOneCountsWhatItLost) {
  Process fast(bin("bus_monitor"), withConfig({"--name", "fast", "--until-end", "--json"}), out("fast"));
  Process slow(bin("bus_monitor"), withConfig({"--name", "slow", "--until-end", "--json", "--slow-us", "30"}), out("slow"));
  Process feed(bin("datafeed"), withConfig({"--events", "300000", "--speed", "0", "--wait-for-consumers", "2"}), out("feed"));
  ASSERT_EQ(feed.wait(), 0) << feed.output();
  ASSERT_EQ(fast.wait(), 0) << fast.output();
  ASSERT_EQ(slow.wait(), 0) << slow.output();
  if (getenv("HFT_TEST_VERBOSE")) std::cout << feed.output() << fast.output() << slow.output();
  const uint64_t published = publishedCount(feed.output());
  ASSERT_GT(published, 300000u) << feed.output();  // events + heartbeats + start/end controls
  const auto f = lastJsonLine(fast.output());
  const auto s = lastJsonLine(slow.output());
  ASSERT_FALSE(f.is_null()) << fast.output();
  ASSERT_FALSE(s.is_null()) << slow.output();
  EXPECT_EQ(f["events"].get<uint64_t>() + f["lost"].get<uint64_t>(), published);
  EXPECT_EQ(f["last_seq"].get<uint64_t>(), published);
  EXPECT_GT(f["events_by_type"]["BookDelta"].get<uint64_t>(), 0u);
  EXPECT_GT(f["events_by_type"]["Trade"].get<uint64_t>(), 0u);
  EXPECT_EQ(f["events_by_type"]["Control"].get<uint64_t>(), 2u) << "StartOfData and EndOfData";
  EXPECT_EQ(f["instruments"].get<uint64_t>(), 3u);
  // The slow consumer was lapped: it lost messages, knew it, and still saw the end.
  EXPECT_GT(s["lost"].get<uint64_t>(), 0u);
  EXPECT_GT(s["gaps"].get<uint64_t>(), 0u);
  EXPECT_EQ(s["events"].get<uint64_t>() + s["lost"].get<uint64_t>(), published);
  EXPECT_EQ(s["last_seq"].get<uint64_t>(), published);
}

TEST_F(BusProcesses, registryListsLiveProcessesAndMarksKilledOnesDead) {
  Process mon(bin("bus_monitor"), withConfig({"--name", "watcher", "--timeout-s", "20"}), out("mon"));
  Process feed(bin("datafeed"), withConfig({"--speed", "1", "--wait-for-consumers", "1"}), out("feed"));
  std::string listing;
  for (int i = 0; i < 200; ++i) {  // until both show up
    Process list(bin("bus_monitor"), withConfig({"--list"}), out("list"));
    ASSERT_EQ(list.wait(), 0) << list.output();
    listing = list.output();
    if (listing.find("datafeed:synthetic") != std::string::npos && listing.find("watcher") != std::string::npos) break;
    usleep(20000);
  }
  EXPECT_NE(listing.find("datafeed:synthetic"), std::string::npos) << listing;
  EXPECT_NE(listing.find("watcher"), std::string::npos) << listing;
  mon.signal(SIGKILL);
  mon.wait();
  Process list(bin("bus_monitor"), withConfig({"--list"}), out("list2"));
  ASSERT_EQ(list.wait(), 0);
  const std::string after = list.output();
  const auto line = after.find("watcher");
  ASSERT_NE(line, std::string::npos) << after;
  EXPECT_NE(after.rfind("DEAD", line), std::string::npos) << after;
  // SIGTERM: the feed stops cleanly and reports what it published.
  feed.signal(SIGTERM);
  EXPECT_EQ(feed.wait(), 0) << feed.output();
  EXPECT_GT(publishedCount(feed.output()), 0u) << feed.output();
}

TEST_F(BusProcesses, checkConfigAndHelpWork) {
  Process check(bin("datafeed"), withConfig({"--check-config"}), out("check"));
  EXPECT_EQ(check.wait(), 0);
  EXPECT_NE(check.output().find("configuration OK"), std::string::npos) << check.output();
  Process help(bin("bus_monitor"), {"--help"}, out("help"));
  EXPECT_EQ(help.wait(), 0);
  EXPECT_NE(help.output().find("--until-end"), std::string::npos);
}

TEST_F(BusProcesses, badConfigIsAClearErrorNamingTheFileAndKey) {
  const std::string bad = out("bad.json");
  std::ofstream(bad) << R"({"bus": {"name": "x", "market_data_capacity": 1000}})";
  Process feed(bin("datafeed"), {"--config", bad, "--check-config"}, out("feed"));
  EXPECT_EQ(feed.wait(), 2);
  const std::string o = feed.output();
  EXPECT_NE(o.find("bad.json"), std::string::npos) << o;
  EXPECT_NE(o.find("market_data_capacity"), std::string::npos) << o;
  Process typo(bin("datafeed"), withConfig({"--evnets", "5"}), out("typo"));
  EXPECT_EQ(typo.wait(), 2);
  EXPECT_NE(typo.output().find("unknown option --evnets"), std::string::npos) << typo.output();
}
