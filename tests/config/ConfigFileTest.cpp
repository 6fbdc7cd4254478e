// Reading JSON files and the shape of every error message (config/JsonNode.h, ConfigError.h).
#include "config/JsonNode.h"

#include <gtest/gtest.h>

#include "ConfigTestUtil.h"
#include "config/ConfigError.h"
#include "config/InstrumentRegistry.h"

using namespace hft;
using namespace hft::config;
using hft::test::configErrorOf;
using hft::test::expectMentions;
using hft::test::TempDir;

TEST(ConfigFile, errorNamesFileKeyPathExpectedAndFound) {
  const ConfigError e("config/instruments.json", "instruments[3].tick_size",
                      "a positive decimal string on the price grid", "\"abc\"");
  EXPECT_STREQ(e.what(),
               "config/instruments.json: instruments[3].tick_size: expected a positive decimal string on the "
               "price grid, found \"abc\"");
  EXPECT_EQ(e.file(), "config/instruments.json");
  EXPECT_EQ(e.keyPath(), "instruments[3].tick_size");
}

TEST(ConfigFile, reportsAMissingFileByItsPath) {
  const std::string msg = configErrorOf([] { readJsonFile("/nonexistent/hft/system.json"); });
  expectMentions(msg, {"/nonexistent/hft/system.json", "No such file"});
}

TEST(ConfigFile, reportsMalformedJsonWithFileAndPosition) {
  TempDir dir;
  // Trailing comma on line 3: the parser stops at the '}' that follows, the 36th byte.
  const std::string path = dir.write("broken.json", "{\n  \"bus\": {\n    \"name\": \"main\",\n  }\n}\n");
  const std::string msg = configErrorOf([&] { readJsonFile(path); });
  expectMentions(msg, {path, "invalid JSON at byte 36", "line 4, column 3"});
  EXPECT_EQ(msg.find("json.exception"), std::string::npos) << "library tag should be dropped: " << msg;
}

TEST(ConfigFile, reportsAnEmptyFileAsMalformed) {
  TempDir dir;
  const std::string path = dir.write("empty.json", "");
  expectMentions(configErrorOf([&] { readJsonFile(path); }), {path, "invalid JSON at byte"});
}

TEST(ConfigFile, rejectsADuplicateKeyNamingItsPath) {
  // Plain JSON parsing keeps the last of two equal keys: a silently ignored first value.
  TempDir dir;
  const std::string path = dir.write(
      "dup.json", R"({"instruments": [{"id": 1}, {"id": 2, "tick_size": "0.01", "tick_size": "0.1"}]})");
  expectMentions(configErrorOf([&] { readJsonFile(path); }),
                 {path, "instruments[1].tick_size", "each key once per object", "a second \"tick_size\""});
}

TEST(ConfigFile, acceptsEqualKeysInDifferentObjects) {
  TempDir dir;
  const std::string path = dir.write("ok.json", R"({"a": {"x": 1}, "b": {"x": [{"x": 2}, {"x": 3}]}})");
  const nlohmann::json j = readJsonFile(path);
  EXPECT_EQ(j["b"]["x"][1]["x"], 3);
}

TEST(ConfigFile, loaderErrorsNameTheFileTheyRead) {
  TempDir dir;
  const std::string path = dir.write("instruments.json", R"({"instruments": [{"id": "one"}]})");
  expectMentions(configErrorOf([&] { InstrumentRegistry::loadFile(path); }),
                 {path + ": instruments[0].id: expected an integer from 1 to 65535, found \"one\""});
}

TEST(ConfigFile, showsLongValuesShortened) {
  const nlohmann::json big = std::string(500, 'x');
  const std::string shown = describeJson(big);
  EXPECT_LT(shown.size(), 80u);
  EXPECT_EQ(shown.substr(shown.size() - 3), "...");
}
