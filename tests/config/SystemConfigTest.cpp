// Loading and validation of config/system.json (config/SystemConfig.h).
#include "config/SystemConfig.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "ConfigTestUtil.h"
#include "config/InstrumentRegistry.h"

using namespace hft;
using namespace hft::config;
using hft::test::configErrorOf;
using hft::test::expectMentions;
using hft::test::TempDir;

namespace {

constexpr const char* kSource = "test/system.json";

std::string errorOf(const nlohmann::json& doc) {
  return configErrorOf([&] { SystemConfig::fromJson(doc, kSource, "test"); });
}

std::string busError(const char* key, const nlohmann::json& value) {
  return errorOf({{"bus", {{key, value}}}});
}

std::string processError(const char* key, const nlohmann::json& value) {
  return errorOf({{"processes", {{"datafeed", {{key, value}}}}}});
}

/// Sets an environment variable for one scope and restores the previous value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST(SystemConfig, loadsTheShippedSystemFile) {
  ScopedEnv noOverride("HFT_BUS_NAME", "");
  const std::string path = hft::test::shippedConfig("system.json");
  const SystemConfig c = SystemConfig::loadFile(path);
  EXPECT_EQ(c.source, path);
  EXPECT_EQ(c.bus.name, "main");
  EXPECT_EQ(c.bus.market_data_capacity, 65536u);
  EXPECT_EQ(c.bus.exec_capacity, 16384u);
  EXPECT_EQ(c.bus.order_queue_capacity, 1024u);
  EXPECT_EQ(c.bus.permissions, 0600u);
  EXPECT_TRUE(c.bus.prefault);
  EXPECT_FALSE(c.bus.lock_memory);
  for (const char* name : {"datafeed", "data_recorder", "order_executor", "bus_monitor"}) {
    ASSERT_EQ(c.processes.count(name), 1u) << name;
    EXPECT_EQ(c.process(name).core, -1) << "the shipped file runs unpinned on a shared dev box";
    EXPECT_EQ(c.process(name).wait, "spin_yield");
  }
  // The instruments path is resolved against the system file's folder, not the cwd.
  EXPECT_EQ(std::filesystem::path(c.instruments_file),
            std::filesystem::path(hft::test::shippedConfig("instruments.json")).lexically_normal());
  EXPECT_GT(InstrumentRegistry::loadFile(c.instruments_file).all().size(), 0u);
}

TEST(SystemConfig, usesDefaultsForWhatTheFileOmits) {
  const SystemConfig c = SystemConfig::fromJson(nlohmann::json::object(), kSource, "etc/hft");
  EXPECT_EQ(c.bus.name, "main");
  EXPECT_EQ(c.bus.market_data_capacity, uint64_t{1} << 16);
  EXPECT_EQ(c.bus.permissions, 0600u);
  EXPECT_TRUE(c.processes.empty());
  EXPECT_EQ(c.instruments_file, "etc/hft/instruments.json");
  const ProcessConfig p = c.process("strategy_runner");
  EXPECT_EQ(p.core, -1);
  EXPECT_EQ(p.wait, "spin_yield");
  EXPECT_FALSE(p.mlockall);
}

TEST(SystemConfig, readsEveryProcessKey) {
  const SystemConfig c = SystemConfig::fromJson(
      {{"processes", {{"order_executor", {{"core", 1}, {"wait", "busy_spin"}, {"mlockall", true}}}}}}, kSource, "");
  const ProcessConfig p = c.process("order_executor");
  EXPECT_EQ(p.core, 1);
  EXPECT_EQ(p.wait, "busy_spin");
  EXPECT_TRUE(p.mlockall);
  EXPECT_EQ(c.process("datafeed").wait, "spin_yield") << "absent process: defaults";
}

TEST(SystemConfig, resolvesTheInstrumentsFileAgainstTheSystemFilesFolder) {
  EXPECT_EQ(
      SystemConfig::fromJson({{"instruments", "../shared/instr.json"}}, kSource, "/etc/hft/live").instruments_file,
      "/etc/hft/shared/instr.json");
  EXPECT_EQ(SystemConfig::fromJson({{"instruments", "/abs/instr.json"}}, kSource, "/etc/hft").instruments_file,
            "/abs/instr.json");
  expectMentions(errorOf({{"instruments", ""}}), {kSource, "instruments", "a file path"});
  expectMentions(errorOf({{"instruments", 3}}), {kSource, "instruments", "expected a string"});
}

TEST(SystemConfig, readsPermissionsAsAnOctalString) {
  EXPECT_EQ(SystemConfig::fromJson({{"bus", {{"permissions", "600"}}}}, kSource, "").bus.permissions, 0600u);
  EXPECT_EQ(SystemConfig::fromJson({{"bus", {{"permissions", "0660"}}}}, kSource, "").bus.permissions, 0660u);
}

TEST(SystemConfig, rejectsPermissionsThatAreNotAnOctalModeWithin0777) {
  for (const nlohmann::json& bad : {nlohmann::json("1777"), nlohmann::json("0689"), nlohmann::json("60"),
                                    nlohmann::json("00600"), nlohmann::json("0400"), nlohmann::json(600)}) {
    expectMentions(busError("permissions", bad), {kSource, "bus.permissions", "octal mode string", "found"});
  }
}

TEST(SystemConfig, rejectsCapacitiesThatAreNotPowersOfTwoAtLeastTwo) {
  expectMentions(busError("market_data_capacity", 1000),
                 {kSource, "bus.market_data_capacity", "a power of two", "found 1000"});
  expectMentions(busError("exec_capacity", 1), {kSource, "bus.exec_capacity", "found 1"});
  expectMentions(busError("order_queue_capacity", 0), {"bus.order_queue_capacity", "found 0"});
  expectMentions(busError("order_queue_capacity", "1024"), {"bus.order_queue_capacity", "found \"1024\""});
  expectMentions(busError("market_data_capacity", uint64_t{1} << 40), {"bus.market_data_capacity", "1099511627776"});
  EXPECT_EQ(SystemConfig::fromJson({{"bus", {{"exec_capacity", 2}}}}, kSource, "").bus.exec_capacity, 2u);
}

TEST(SystemConfig, rejectsBusFlagsThatAreNotBooleans) {
  expectMentions(busError("prefault", "yes"), {kSource, "bus.prefault", "expected true or false", "found \"yes\""});
  expectMentions(busError("huge_pages", 1), {"bus.huge_pages", "found 1"});
}

TEST(SystemConfig, rejectsBusNamesThatCannotNameASegment) {
  for (const char* bad : {"", "a.b", "a/b", "main bus"})
    expectMentions(busError("name", bad), {kSource, "bus.name", "a bus name of 1 to 64"});
}

TEST(SystemConfig, rejectsUnknownWaitListingTheValidOnes) {
  expectMentions(processError("wait", "spin"), {kSource, "processes.datafeed.wait",
                                                "one of busy_spin, spin_yield, blocking", "found \"spin\""});
}

TEST(SystemConfig, rejectsCoreBelowMinusOne) {
  expectMentions(processError("core", -2), {kSource, "processes.datafeed.core", "from -1 to 1023", "found -2"});
}

TEST(SystemConfig, rejectsUnknownKeysListingTheValidOnes) {
  expectMentions(busError("prefualt", true),
                 {kSource, "bus.prefualt", "unknown key \"prefualt\"", "prefault", "huge_pages"});
  expectMentions(processError("cores", 1), {kSource, "processes.datafeed.cores", "core, wait, mlockall"});
  expectMentions(errorOf({{"instrument", "x.json"}}), {kSource, "instrument", "bus, processes, instruments"});
  expectMentions(errorOf({{"processes", {{"datafeed", 3}}}}), {"processes.datafeed", "expected an object"});
}

TEST(SystemConfig, environmentOverridesTheBusName) {
  ScopedEnv env("HFT_BUS_NAME", "test-bus_1");
  EXPECT_EQ(SystemConfig::loadFile(hft::test::shippedConfig("system.json")).bus.name, "test-bus_1");
}

TEST(SystemConfig, fromJsonIgnoresTheEnvironment) {
  ScopedEnv env("HFT_BUS_NAME", "test-bus");
  EXPECT_EQ(SystemConfig::fromJson(nlohmann::json::object(), kSource, "").bus.name, "main");
}

TEST(SystemConfig, rejectsAnInvalidBusNameFromTheEnvironment) {
  ScopedEnv env("HFT_BUS_NAME", "../etc");
  const std::string path = hft::test::shippedConfig("system.json");
  expectMentions(configErrorOf([&] { SystemConfig::loadFile(path); }),
                 {path, "HFT_BUS_NAME", "a bus name of 1 to 64", "found \"../etc\""});
}

TEST(SystemConfig, loadFileReportsMalformedJsonAndMissingFiles) {
  TempDir dir;
  const std::string path = dir.write("system.json", R"({"bus": {"name": "main"})");
  expectMentions(configErrorOf([&] { SystemConfig::loadFile(path); }), {path, "invalid JSON at byte"});
  expectMentions(configErrorOf([&] { SystemConfig::loadFile(dir.path / "absent.json"); }), {"absent.json"});
}

TEST(SystemConfig, rejectsABadLoggingLevelInTheFileNamingLoggingLevel) {
  TempDir dir;
  const std::string path = dir.write("system.json", R"({"logging": {"dir": "logs", "level": "verbose"}})");
  expectMentions(configErrorOf([&] { SystemConfig::loadFile(path); }),
                 {path, "logging.level", "one of trace, debug, info, warn, error, critical, off", "found \"verbose\""});
}

TEST(SystemConfig, validatesEveryLoggingKey) {
  const auto logging = [](const char* key, const nlohmann::json& value) {
    return errorOf({{"logging", {{key, value}}}});
  };
  expectMentions(logging("components", {{"risk", "loud"}}), {kSource, "logging.components.risk", "found \"loud\""});
  expectMentions(logging("level", 2), {kSource, "logging.level", "found 2"});
  expectMentions(logging("dir", ""), {kSource, "logging.dir", "a directory"});
  expectMentions(logging("max_file_mb", 0), {kSource, "logging.max_file_mb", "from 1 to 4096"});
  expectMentions(logging("max_files", 1001), {kSource, "logging.max_files", "from 1 to 1000"});
  expectMentions(logging("stderr", "no"), {kSource, "logging.stderr", "expected true or false"});
  expectMentions(logging("levle", "info"), {kSource, "logging.levle", "unknown key", "dir, level, components"});
  expectMentions(errorOf({{"logging", "info"}}), {kSource, "logging", "expected an object"});
  const SystemConfig c = SystemConfig::fromJson(
      {{"logging", {{"level", "warn"}, {"components", {{"risk", "debug"}}}, {"max_files", 3}, {"stderr", false}}}},
      kSource, "");
  EXPECT_EQ(c.logging["components"]["risk"], "debug") << "kept as given, for common::log::LogConfig::fromJson";
  EXPECT_EQ(SystemConfig::fromJson(nlohmann::json::object(), kSource, "").logging, nlohmann::json::object());
}

TEST(SystemConfig, theShippedFileLogsToDataLogsDaemonsAndTheEnvironmentOverridesTheDir) {
  const std::string path = hft::test::shippedConfig("system.json");
  {
    ScopedEnv unset("HFT_LOG_DIR", "");
    const SystemConfig c = SystemConfig::loadFile(path);
    EXPECT_EQ(c.logging["dir"], "data/logs/daemons");
    EXPECT_EQ(c.logging["level"], "info");
  }
  ScopedEnv env("HFT_LOG_DIR", "/tmp/elsewhere");
  EXPECT_EQ(SystemConfig::loadFile(path).logging["dir"], "/tmp/elsewhere");
  EXPECT_EQ(SystemConfig::loadFile(path).logging["level"], "info") << "only the dir is replaced";
}
