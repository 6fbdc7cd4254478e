// common/log: hot records formatted later by the service, per-component levels, a full ring
// drops instead of blocking, rotation, and configuration errors that name the key.
#include "common/log/LogService.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace hft::common::log;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("hft-log-" + std::to_string(getpid()) + "-" + std::to_string(counter()++));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

LogConfig config(const TempDir& d) {
  LogConfig c;
  c.dir = d.path.string();
  c.process = "unit";
  c.also_stderr = false;
  c.flush_interval_ms = 3'600'000;  // the test drains explicitly
  return c;
}

enum class Reason : uint8_t { PriceBand = 3 };

}  // namespace

TEST(HotLog, recordsAreFormattedByTheServiceInOrderWithTheirComponent) {
  TempDir d;
  LogService logs(config(d));
  Component& risk = logs.component("risk");
  HotLogger& hot = logs.hotLogger(64);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(hot.log(risk, Level::Warn, "order {} refused: {} ({})", 1000 + i, "price_band", static_cast<int>(Reason::PriceBand)));
  // Nothing is written until the service formats it.
  EXPECT_EQ(slurp(logs.path()).find("refused"), std::string::npos);
  logs.drainNow();
  const std::string text = slurp(logs.path());
  const size_t a = text.find("[risk] order 1000 refused: price_band (3)");
  const size_t b = text.find("[risk] order 1001 refused");
  const size_t c = text.find("[risk] order 1002 refused");
  ASSERT_NE(a, std::string::npos) << text;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_NE(text.find(" warning "), std::string::npos) << "level in the line: " << text;
}

TEST(HotLog, componentLevelsDecideAndBelowThresholdCostsNothing) {
  TempDir d;
  LogConfig c = config(d);
  c.level = Level::Warn;
  c.components["risk"] = Level::Debug;
  LogService logs(c);
  Component& risk = logs.component("risk");
  Component& feed = logs.component("feed");
  HotLogger& hot = logs.hotLogger(64);
  EXPECT_TRUE(hot.log(risk, Level::Debug, "risk debug {}", 1));
  EXPECT_FALSE(hot.log(feed, Level::Info, "feed info {}", 2)) << "below the default level: not queued";
  feed.level.store(Level::Info);  // levels may change at run time
  EXPECT_TRUE(hot.log(feed, Level::Info, "feed info {}", 3));
  logs.drainNow();
  const std::string text = slurp(logs.path());
  EXPECT_NE(text.find("[risk] risk debug 1"), std::string::npos) << text;
  EXPECT_EQ(text.find("feed info 2"), std::string::npos) << text;
  EXPECT_NE(text.find("[feed] feed info 3"), std::string::npos) << text;
  EXPECT_EQ(logs.dropped(), 0u);
}

TEST(HotLog, aFullRingDropsAndCountsInsteadOfWaiting) {
  TempDir d;
  LogService logs(config(d));
  Component& c = logs.component("x");
  HotLogger& hot = logs.hotLogger(8);
  int accepted = 0;
  for (int i = 0; i < 20; ++i) accepted += hot.log(c, Level::Info, "line {}", i);
  EXPECT_EQ(accepted, 8);
  EXPECT_EQ(logs.dropped(), 12u);
  logs.drainNow();
  EXPECT_TRUE(hot.log(c, Level::Info, "after drain {}", 1)) << "room again once drained";
}

TEST(HotLog, aBadPatternIsReportedInTheLogNotThrownAtTheHotThread) {
  TempDir d;
  LogService logs(config(d));
  Component& c = logs.component("x");
  HotLogger& hot = logs.hotLogger(8);
  EXPECT_TRUE(hot.log(c, Level::Info, "two {} {} but one argument", 1));
  logs.drainNow();
  EXPECT_NE(slurp(logs.path()).find("bad log pattern"), std::string::npos);
}

TEST(LogService, coldLinesAndRotationBySize) {
  TempDir d;
  LogConfig c = config(d);
  c.max_file_bytes = 4096;
  c.max_files = 3;
  {
    LogService logs(c);
    Component& x = logs.component("x");
    for (int i = 0; i < 400; ++i) logs.info(x, "cold line {} {}", i, std::string(40, 'a'));
  }
  EXPECT_TRUE(fs::exists(d.path / "unit.log"));
  EXPECT_TRUE(fs::exists(d.path / "unit.1.log")) << "rotated";
  EXPECT_FALSE(fs::exists(d.path / "unit.4.log")) << "at most max_files kept";
}

TEST(LogConfig, errorsNameTheFileAndKey) {
  auto fails = [](const char* json) {
    try {
      (void)LogConfig::fromJson(nlohmann::json::parse(json), "system.json", "p");
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(fails(R"({"level": "loud"})").find("system.json: logging.level: expected one of"), std::string::npos);
  EXPECT_NE(fails(R"({"components": {"risk": 3}})").find("logging.components.risk"), std::string::npos);
  EXPECT_NE(fails(R"({"colour": true})").find("logging.colour: unknown key"), std::string::npos);
  const LogConfig ok = LogConfig::fromJson(nlohmann::json::parse(R"({"level": "debug", "components": {"risk": "trace"}, "max_files": 2})"), "s", "p");
  EXPECT_EQ(ok.level, Level::Debug);
  EXPECT_EQ(ok.components.at("risk"), Level::Trace);
  EXPECT_EQ(ok.max_files, 2u);
}
