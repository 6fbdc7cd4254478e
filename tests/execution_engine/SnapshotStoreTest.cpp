// Hourly snapshots: atomic writes, newest valid one loaded, corrupt ones skipped with a reason.
#include <gtest/gtest.h>

#include <filesystem>

#include "ExecTestUtil.h"
#include "execution_engine/journal/SnapshotStore.h"

namespace hft::test {
namespace {

using execution_engine::journal::LoadedSnapshot;
using execution_engine::journal::SnapshotStore;

nlohmann::json state(int orders) {
  return {{"open_orders", orders}, {"positions", {{"BTC/USDT", "0.5"}}}, {"pnl", -1.25}};
}

TEST(SnapshotStore, writesHourlyFilesAndLoadsTheNewestBack) {
  TempDir dir;
  SnapshotStore store(dir.str());
  EXPECT_FALSE(store.loadNewest().found);
  std::string error;
  ASSERT_TRUE(store.write(state(1), 10, kMay1Noon + 5, error)) << error;
  ASSERT_TRUE(store.write(state(2), 20, kMay1Noon + kHourNs + 5, error)) << error;
  EXPECT_EQ(store.list(), (std::vector<std::string>{dir.str() + "/snapshots/20240501-12.json",
                                                    dir.str() + "/snapshots/20240501-13.json"}));
  const LoadedSnapshot s = store.loadNewest();
  ASSERT_TRUE(s.found);
  EXPECT_EQ(s.path, dir.str() + "/snapshots/20240501-13.json");
  EXPECT_EQ(s.journal_sequence, 20u);
  EXPECT_EQ(s.written_ns, kMay1Noon + kHourNs + 5);
  EXPECT_EQ(s.state, state(2));
  EXPECT_TRUE(s.skipped.empty());
  for (const auto& e : std::filesystem::directory_iterator(store.directory()))
    EXPECT_FALSE(e.path().string().ends_with(".tmp")) << e.path();
}

TEST(SnapshotStore, isDueOncePerUtcHourAlsoAcrossARestart) {
  TempDir dir;
  std::string error;
  {
    SnapshotStore store(dir.str());
    EXPECT_TRUE(store.dueAt(kMay1Noon));
    ASSERT_TRUE(store.write(state(1), 1, kMay1Noon + 10, error)) << error;
    EXPECT_FALSE(store.dueAt(kMay1Noon + 20));
    EXPECT_FALSE(store.dueAt(kMay1Noon + kHourNs - 1));
    EXPECT_TRUE(store.dueAt(kMay1Noon + kHourNs));
    EXPECT_FALSE(store.dueAt(kMay1Noon - 1));  // an earlier hour is covered by a later snapshot
  }
  SnapshotStore again(dir.str());
  EXPECT_FALSE(again.dueAt(kMay1Noon + 30));
  EXPECT_TRUE(again.dueAt(kMay1Noon + kHourNs + 30));
}

TEST(SnapshotStore, aTruncatedNewestFileFallsBackToThePreviousOne) {
  TempDir dir;
  SnapshotStore store(dir.str());
  std::string error;
  ASSERT_TRUE(store.write(state(1), 10, kMay1Noon, error)) << error;
  ASSERT_TRUE(store.write(state(2), 20, kMay1Noon + kHourNs, error)) << error;
  const std::string newest = store.pathFor(kMay1Noon + kHourNs);
  const std::string text = readAll(newest);
  writeAll(newest, text.substr(0, text.size() / 2));
  const LoadedSnapshot s = store.loadNewest();
  ASSERT_TRUE(s.found);
  EXPECT_EQ(s.journal_sequence, 10u);
  EXPECT_EQ(s.state, state(1));
  ASSERT_EQ(s.skipped.size(), 1u);
  expectMentions(s.skipped[0], {newest, "not valid JSON"});
}

TEST(SnapshotStore, aChangedValueThatStillParsesIsACrcMismatch) {
  TempDir dir;
  SnapshotStore store(dir.str());
  std::string error;
  ASSERT_TRUE(store.write(state(1), 10, kMay1Noon, error)) << error;
  ASSERT_TRUE(store.write(state(7), 20, kMay1Noon + kHourNs, error)) << error;
  const std::string newest = store.pathFor(kMay1Noon + kHourNs);
  std::string text = readAll(newest);
  const size_t at = text.find("\"open_orders\": 7");
  ASSERT_NE(at, std::string::npos) << text;
  text[at + 15] = '8';  // a flipped bit in a digit
  writeAll(newest, text);
  const LoadedSnapshot s = store.loadNewest();
  ASSERT_TRUE(s.found);
  EXPECT_EQ(s.journal_sequence, 10u);
  ASSERT_EQ(s.skipped.size(), 1u);
  expectMentions(s.skipped[0], {newest, "state CRC mismatch"});
}

TEST(SnapshotStore, anotherVersionIsSkippedNamingBothVersions) {
  TempDir dir;
  SnapshotStore store(dir.str());
  std::string error;
  ASSERT_TRUE(store.write(state(1), 10, kMay1Noon, error)) << error;
  ASSERT_TRUE(store.write(state(2), 20, kMay1Noon + kHourNs, error)) << error;
  const std::string newest = store.pathFor(kMay1Noon + kHourNs);
  nlohmann::json doc = nlohmann::json::parse(readAll(newest));
  doc["version"] = 2;
  writeAll(newest, doc.dump());
  const LoadedSnapshot s = store.loadNewest();
  EXPECT_EQ(s.journal_sequence, 10u);
  ASSERT_EQ(s.skipped.size(), 1u);
  expectMentions(s.skipped[0], {newest, "snapshot version 2", "reads version 1"});
  writeAll(store.pathFor(kMay1Noon), "");  // and with nothing valid left: not found, both reported
  const LoadedSnapshot none = store.loadNewest();
  EXPECT_FALSE(none.found);
  EXPECT_EQ(none.skipped.size(), 2u);
}

TEST(SnapshotStore, aLeftoverTemporaryFileIsIgnoredAndPruned) {
  TempDir dir;
  SnapshotStore store(dir.str(), 2);
  std::string error;
  for (int h = 0; h < 4; ++h) ASSERT_TRUE(store.write(state(h), 10 + h, kMay1Noon + h * kHourNs, error)) << error;
  // A crash mid-write of the next hour's snapshot leaves its temporary file.
  writeAll(store.pathFor(kMay1Noon + 4 * kHourNs) + ".tmp", "{\"format\": \"hft-exec");
  EXPECT_EQ(store.loadNewest().journal_sequence, 13u);
  EXPECT_EQ(store.list().size(), 4u);
  EXPECT_EQ(store.prune(), 3u);  // the two oldest and the temporary file
  EXPECT_EQ(store.list(), (std::vector<std::string>{store.pathFor(kMay1Noon + 2 * kHourNs),
                                                    store.pathFor(kMay1Noon + 3 * kHourNs)}));
  EXPECT_FALSE(std::filesystem::exists(store.pathFor(kMay1Noon + 4 * kHourNs) + ".tmp"));
}

TEST(SnapshotStore, aSecondWriteInTheSameHourReplacesTheFirst) {
  TempDir dir;
  SnapshotStore store(dir.str());
  std::string error;
  ASSERT_TRUE(store.write(state(1), 10, kMay1Noon, error)) << error;
  ASSERT_TRUE(store.write(state(2), 11, kMay1Noon + 60'000'000'000, error)) << error;
  EXPECT_EQ(store.list().size(), 1u);
  EXPECT_EQ(store.loadNewest().journal_sequence, 11u);
}

}  // namespace
}  // namespace hft::test
