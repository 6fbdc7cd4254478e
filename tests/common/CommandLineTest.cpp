#include "common/CommandLine.h"

#include <gtest/gtest.h>

using hft::common::CommandLine;

namespace {
bool parse(CommandLine& cl, std::vector<std::string> args) {
  std::vector<char*> argv{const_cast<char*>("prog")};
  for (auto& a : args) argv.push_back(a.data());
  return cl.parse(static_cast<int>(argv.size()), argv.data());
}
}  // namespace

TEST(CommandLine, readsValuesFlagsAndDefaults) {
  CommandLine cl("prog", "test");
  cl.option("events", "n", "10").option("cores", "list").flag("json", "j");
  ASSERT_TRUE(parse(cl, {"--events=5", "--cores", "1,2,3", "--json", "file.bin"}));
  EXPECT_EQ(cl.getInt("events"), 5);
  EXPECT_EQ(cl.getList("cores"), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_TRUE(cl.has("json"));
  EXPECT_EQ(cl.positional(), std::vector<std::string>{"file.bin"});
  CommandLine d("prog", "test");
  d.option("events", "n", "10");
  ASSERT_TRUE(parse(d, {}));
  EXPECT_EQ(d.getInt("events"), 10);
}

TEST(CommandLine, unknownOptionsAndBadNumbersAreNamedErrors) {
  CommandLine cl("prog", "test");
  cl.option("events", "n");
  try {
    parse(cl, {"--evnets", "5"});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown option --evnets"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("--events"), std::string::npos) << "lists what is valid";
  }
  CommandLine c2("prog", "test");
  c2.option("events", "n");
  ASSERT_TRUE(parse(c2, {"--events", "12x"}));
  EXPECT_THROW(c2.getInt("events"), std::invalid_argument);
  CommandLine c3("prog", "test");
  c3.option("events", "n");
  EXPECT_THROW(parse(c3, {"--events"}), std::invalid_argument);
}
