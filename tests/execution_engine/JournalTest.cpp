// The journal writer and reader on intact files: round trip, restart, rotation, sync policies.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "ExecTestUtil.h"
#include "execution_engine/journal/Journal.h"
#include "execution_engine/journal/JournalReader.h"

namespace hft::test {
namespace {

using execution_engine::journal::AppendStatus;
using execution_engine::journal::Journal;
using execution_engine::journal::JournalMarker;
using execution_engine::journal::JournalOptions;
using execution_engine::journal::JournalReader;
using execution_engine::journal::JournalRecord;
using execution_engine::journal::MarkerKind;
using execution_engine::journal::ReadStatus;
using execution_engine::journal::RecordType;
using execution_engine::journal::SyncPolicy;
namespace jn = execution_engine::journal;

constexpr int64_t kMs = 1'000'000;
constexpr size_t kRequestRecord = sizeof(jn::RecordHeader) + sizeof(common::OrderRequest);  // 136

JournalOptions quiet() {
  JournalOptions o;
  o.sync = SyncPolicy::Never;  // the tests that count syncs say so
  return o;
}

std::vector<uint64_t> readSequences(const std::string& dir, uint64_t after, std::string* error = nullptr) {
  JournalReader reader(dir, after);
  std::vector<uint64_t> seqs;
  JournalRecord rec;
  ReadStatus s;
  while ((s = reader.next(rec)) == ReadStatus::Record) seqs.push_back(rec.sequence);
  if (error != nullptr) *error = s == ReadStatus::Error ? reader.error() : "";
  else EXPECT_EQ(s, ReadStatus::End) << reader.error();
  return seqs;
}

TEST(Journal, roundTripDeliversEveryRecordVerbatimInSequence) {
  TempDir dir;
  const common::OrderRequest accepted = newOrder(11, 5'000'010, 100);
  const common::OrderRequest rejected = newOrder(12, 4'000'000, 200, common::Side::Sell);
  const common::ExecutionReport report = fillReport(11, 5'000'010, 100);
  const common::BalanceUpdate bal = balance("USDT", 123'00000000, 5'00000000);
  JournalMarker marker{};
  marker.ts_ns = kMay1Noon;
  marker.kind = MarkerKind::Snapshot;
  marker.value = 3;
  std::strcpy(marker.text, "hourly");
  {
    Journal j(dir.str(), quiet());
    EXPECT_EQ(j.lastSequence(), 0u);
    EXPECT_EQ(j.recoveryNote(), "");
    EXPECT_EQ(j.appendAccepted(accepted, 0), AppendStatus::Ok);
    EXPECT_EQ(j.appendRejected(rejected, common::RejectReason::MaxPosition, 0), AppendStatus::Ok);
    EXPECT_EQ(j.appendReport(report, 0), AppendStatus::Ok);
    EXPECT_EQ(j.appendBalance(bal, 0), AppendStatus::Ok);
    EXPECT_EQ(j.appendMarker(marker, 0), AppendStatus::Ok);
    EXPECT_EQ(j.lastSequence(), 5u);
    EXPECT_EQ(j.filesCreated(), 1u);
  }
  JournalReader reader(dir.str());
  JournalRecord r;
  ASSERT_EQ(reader.next(r), ReadStatus::Record);
  EXPECT_EQ(r.type, RecordType::RequestAccepted);
  EXPECT_EQ(r.sequence, 1u);
  EXPECT_EQ(std::memcmp(&r.as<common::OrderRequest>(), &accepted, sizeof accepted), 0);
  ASSERT_EQ(reader.next(r), ReadStatus::Record);
  EXPECT_EQ(r.type, RecordType::RequestRejected);
  EXPECT_EQ(r.rejectReason(), common::RejectReason::MaxPosition);
  EXPECT_EQ(std::memcmp(&r.as<common::OrderRequest>(), &rejected, sizeof rejected), 0);
  ASSERT_EQ(reader.next(r), ReadStatus::Record);
  EXPECT_EQ(r.type, RecordType::Report);
  ASSERT_NE(r.event(), nullptr);
  EXPECT_EQ(r.event()->type, common::EventType::ExecutionReport);
  EXPECT_EQ(std::memcmp(&r.as<common::ExecutionReport>(), &report, sizeof report), 0);
  ASSERT_EQ(reader.next(r), ReadStatus::Record);
  EXPECT_EQ(r.type, RecordType::Balance);
  EXPECT_EQ(std::memcmp(&r.as<common::BalanceUpdate>(), &bal, sizeof bal), 0);
  ASSERT_EQ(reader.next(r), ReadStatus::Record);
  EXPECT_EQ(r.type, RecordType::Marker);
  EXPECT_EQ(r.event(), nullptr);
  EXPECT_EQ(r.sequence, 5u);
  const JournalMarker m = r.marker();
  EXPECT_EQ(m.kind, MarkerKind::Snapshot);
  EXPECT_EQ(m.value, 3);
  EXPECT_STREQ(m.text, "hourly");
  EXPECT_EQ(reader.next(r), ReadStatus::End);
  EXPECT_EQ(reader.next(r), ReadStatus::End);
  EXPECT_EQ(reader.recordsRead(), 5u);
  EXPECT_EQ(reader.lastSequence(), 5u);
}

TEST(Journal, refusesAnEventThatDoesNotFitTheRecordKind) {
  TempDir dir;
  Journal j(dir.str(), quiet());
  common::OrderRequest r = newOrder(1, 100, 1);
  r.header.type = common::EventType::Trade;
  EXPECT_EQ(j.appendAccepted(r, 0), AppendStatus::InvalidRecord);
  r = newOrder(1, 100, 1);
  r.header.size = 64;
  EXPECT_EQ(j.appendAccepted(r, 0), AppendStatus::InvalidRecord);
  EXPECT_EQ(j.lastSequence(), 0u);
  EXPECT_FALSE(j.failed());  // a bad event is the caller's bug, not a journal failure
  EXPECT_EQ(j.appendAccepted(newOrder(1, 100, 1), 0), AppendStatus::Ok);
  EXPECT_EQ(readSequences(dir.str(), 0), (std::vector<uint64_t>{1}));
}

TEST(Journal, continuesTheSequenceAfterARestart) {
  TempDir dir;
  {
    Journal j(dir.str(), quiet());
    for (int i = 1; i <= 3; ++i) ASSERT_EQ(j.appendAccepted(newOrder(i, 100, 1), 0), AppendStatus::Ok);
  }
  {
    Journal j(dir.str(), quiet());
    EXPECT_EQ(j.lastSequence(), 3u);
    EXPECT_EQ(j.recoveryNote(), "");
    EXPECT_EQ(j.filesCreated(), 0u);  // appends to the same file
    ASSERT_EQ(j.appendReport(fillReport(1, 100, 1), 0), AppendStatus::Ok);
    EXPECT_EQ(j.lastSequence(), 4u);
  }
  EXPECT_EQ(readSequences(dir.str(), 0), (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(jn::listJournalFiles(dir.str()).size(), 1u);
}

TEST(Journal, readerStartsAfterTheGivenSequence) {
  TempDir dir;
  {
    Journal j(dir.str(), quiet());
    for (int i = 1; i <= 10; ++i) ASSERT_EQ(j.appendAccepted(newOrder(i, 100, 1), 0), AppendStatus::Ok);
  }
  EXPECT_EQ(readSequences(dir.str(), 6), (std::vector<uint64_t>{7, 8, 9, 10}));
  EXPECT_EQ(readSequences(dir.str(), 10), (std::vector<uint64_t>{}));
  std::string error;
  EXPECT_EQ(readSequences(dir.str(), 12, &error), (std::vector<uint64_t>{}));
  expectMentions(error, {"ends at sequence 10", "after 12"});
}

TEST(Journal, rotatesBySizeIntoFilesNamedByTheirFirstSequence) {
  TempDir dir;
  JournalOptions o = quiet();
  o.max_file_bytes = sizeof(jn::FileHeader) + 3 * kRequestRecord;  // exactly three requests per file
  {
    Journal j(dir.str(), o);
    for (int i = 1; i <= 10; ++i) ASSERT_EQ(j.appendAccepted(newOrder(i, 100, 1), 0), AppendStatus::Ok);
    EXPECT_EQ(j.filesCreated(), 4u);
    EXPECT_EQ(j.currentFile(), dir.sub(jn::journalFileName(10)));
  }
  const auto files = jn::listJournalFiles(dir.str());
  ASSERT_EQ(files.size(), 4u);
  const uint64_t firsts[] = {1, 4, 7, 10};
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(files[i].first_sequence, firsts[i]);
    EXPECT_EQ(files[i].path, dir.sub(jn::journalFileName(firsts[i])));
    EXPECT_LE(std::filesystem::file_size(files[i].path), o.max_file_bytes);
  }
  EXPECT_EQ(std::filesystem::file_size(files[0].path), o.max_file_bytes);
  EXPECT_EQ(readSequences(dir.str(), 0), (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(readSequences(dir.str(), 5), (std::vector<uint64_t>{6, 7, 8, 9, 10}));
  EXPECT_EQ(readSequences(dir.str(), 6), (std::vector<uint64_t>{7, 8, 9, 10}));
  {
    Journal j(dir.str(), o);  // a restart continues in the last file, then rotates when it is full
    EXPECT_EQ(j.lastSequence(), 10u);
    for (int i = 11; i <= 13; ++i) ASSERT_EQ(j.appendAccepted(newOrder(i, 100, 1), 0), AppendStatus::Ok);
    EXPECT_EQ(j.filesCreated(), 1u);
  }
  EXPECT_EQ(jn::listJournalFiles(dir.str()).back().first_sequence, 13u);
  EXPECT_EQ(readSequences(dir.str(), 9), (std::vector<uint64_t>{10, 11, 12, 13}));
}

TEST(Journal, fileNamesSortAsSequences) {
  EXPECT_EQ(jn::journalFileName(42), "journal-00000000000000000042.jnl");
  EXPECT_LT(jn::journalFileName(9), jn::journalFileName(10));
  EXPECT_LT(jn::journalFileName(99'999), jn::journalFileName(100'000));
  EXPECT_EQ(jn::journalFileName(UINT64_MAX).size(), jn::journalFileName(1).size());
}

TEST(Journal, readerReportsAMissingFirstFileAndAGapBetweenFiles) {
  TempDir dir;
  JournalOptions o = quiet();
  o.max_file_bytes = sizeof(jn::FileHeader) + 3 * kRequestRecord;
  {
    Journal j(dir.str(), o);
    for (int i = 1; i <= 9; ++i) ASSERT_EQ(j.appendAccepted(newOrder(i, 100, 1), 0), AppendStatus::Ok);
  }
  std::filesystem::remove(dir.sub(jn::journalFileName(4)));
  std::string error;
  EXPECT_EQ(readSequences(dir.str(), 0, &error), (std::vector<uint64_t>{1, 2, 3}));
  expectMentions(error, {jn::journalFileName(7), "sequence gap", "ends at sequence 3", "starts at 7"});
  std::filesystem::remove(dir.sub(jn::journalFileName(1)));
  EXPECT_EQ(readSequences(dir.str(), 0, &error), (std::vector<uint64_t>{}));
  expectMentions(error, {jn::journalFileName(7), "starts at sequence 7"});
  EXPECT_EQ(readSequences(dir.str(), 6), (std::vector<uint64_t>{7, 8, 9}));  // nothing missing from there
}

TEST(Journal, everyRecordPolicySyncsEachAppend) {
  TempDir dir;
  JournalOptions o;
  o.sync = SyncPolicy::EveryRecord;
  std::vector<int> fds;
  o.sync_hook = [&fds](int fd) {
    fds.push_back(fd);
    return 0;
  };
  {
    Journal j(dir.str(), o);
    for (int i = 1; i <= 5; ++i) {
      ASSERT_EQ(j.appendAccepted(newOrder(i, 100, 1), 0), AppendStatus::Ok);
      EXPECT_EQ(j.syncCount(), static_cast<uint64_t>(i));
    }
    EXPECT_EQ(j.tick(1'000 * kMs), AppendStatus::Ok);
    EXPECT_EQ(j.sync(), AppendStatus::Ok);  // nothing unsynced: no call
    EXPECT_EQ(j.syncCount(), 5u);
  }
  ASSERT_EQ(fds.size(), 5u);  // and none on close: nothing was left unsynced
  for (int fd : fds) EXPECT_GE(fd, 0);
}

TEST(Journal, intervalPolicySyncsAtMostOncePerInterval) {
  TempDir dir;
  JournalOptions o;
  o.sync = SyncPolicy::Interval;
  o.sync_interval_ms = 10;
  int calls = 0;
  o.sync_hook = [&calls](int) {
    ++calls;
    return 0;
  };
  {
    Journal j(dir.str(), o);
    // One append per ms from t = 0 to 25 ms: syncs at 0, 10 and 20 ms.
    for (int t = 0; t <= 25; ++t) ASSERT_EQ(j.appendAccepted(newOrder(t + 1, 100, 1), t * kMs), AppendStatus::Ok);
    EXPECT_EQ(calls, 3);
    EXPECT_EQ(j.tick(29 * kMs), AppendStatus::Ok);
    EXPECT_EQ(calls, 3);  // not due yet
    EXPECT_EQ(j.tick(30 * kMs), AppendStatus::Ok);
    EXPECT_EQ(calls, 4);  // due, and 21..25 were unsynced
    EXPECT_EQ(j.tick(100 * kMs), AppendStatus::Ok);
    EXPECT_EQ(calls, 4);  // due, but nothing to sync
    ASSERT_EQ(j.appendAccepted(newOrder(100, 100, 1), 101 * kMs), AppendStatus::Ok);
    EXPECT_EQ(calls, 5);  // 71 ms since the last sync
    ASSERT_EQ(j.appendAccepted(newOrder(101, 100, 1), 102 * kMs), AppendStatus::Ok);
    EXPECT_EQ(calls, 5);
    EXPECT_EQ(j.syncCount(), 5u);
  }
  EXPECT_EQ(calls, 6);  // the destructor syncs the last record
}

TEST(Journal, neverPolicyLeavesSyncingToTheOs) {
  TempDir dir;
  JournalOptions o;
  o.sync = SyncPolicy::Never;
  int calls = 0;
  o.sync_hook = [&calls](int) {
    ++calls;
    return 0;
  };
  {
    Journal j(dir.str(), o);
    for (int i = 1; i <= 5; ++i) ASSERT_EQ(j.appendAccepted(newOrder(i, 100, 1), i * 100 * kMs), AppendStatus::Ok);
    EXPECT_EQ(j.tick(10'000 * kMs), AppendStatus::Ok);
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(j.sync(), AppendStatus::Ok);  // an explicit sync still syncs
    EXPECT_EQ(calls, 1);
    ASSERT_EQ(j.appendAccepted(newOrder(6, 100, 1), 0), AppendStatus::Ok);
  }
  EXPECT_EQ(calls, 1);
}

TEST(Journal, rotationSyncsTheFileItLeaves) {
  TempDir dir;
  JournalOptions o;
  o.sync = SyncPolicy::Interval;
  o.sync_interval_ms = 1'000;
  o.max_file_bytes = sizeof(jn::FileHeader) + 2 * kRequestRecord;
  int calls = 0;
  o.sync_hook = [&calls](int) {
    ++calls;
    return 0;
  };
  Journal j(dir.str(), o);
  ASSERT_EQ(j.appendAccepted(newOrder(1, 100, 1), 0), AppendStatus::Ok);  // first append syncs
  ASSERT_EQ(j.appendAccepted(newOrder(2, 100, 1), 1), AppendStatus::Ok);  // not due
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(j.appendAccepted(newOrder(3, 100, 1), 2), AppendStatus::Ok);  // rotates: record 2 synced first
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(j.filesCreated(), 2u);
}

TEST(Journal, aFailedSyncFailsTheJournalForGood) {
  TempDir dir;
  JournalOptions o;
  o.sync = SyncPolicy::EveryRecord;
  o.sync_hook = [](int) {
    errno = EIO;
    return -1;
  };
  Journal j(dir.str(), o);
  EXPECT_EQ(j.appendAccepted(newOrder(1, 100, 1), 0), AppendStatus::SyncFailed);
  EXPECT_TRUE(j.failed());
  expectMentions(j.error(), {jn::journalFileName(1), "fdatasync", std::strerror(EIO)});
  EXPECT_EQ(j.appendAccepted(newOrder(2, 100, 1), 0), AppendStatus::Failed);
  EXPECT_EQ(j.sync(), AppendStatus::Failed);
  EXPECT_EQ(j.lastSequence(), 1u);  // the record was written, only its durability is unknown
}

TEST(Journal, syncPolicyNamesParse) {
  SyncPolicy p{};
  ASSERT_TRUE(jn::parseSyncPolicy("every_record", p));
  EXPECT_EQ(p, SyncPolicy::EveryRecord);
  ASSERT_TRUE(jn::parseSyncPolicy("interval_ms", p));
  EXPECT_EQ(p, SyncPolicy::Interval);
  ASSERT_TRUE(jn::parseSyncPolicy("never", p));
  EXPECT_EQ(p, SyncPolicy::Never);
  EXPECT_FALSE(jn::parseSyncPolicy("always", p));
  EXPECT_STREQ(jn::toString(SyncPolicy::Interval), "interval_ms");
}

TEST(Journal, badOptionsAreRefusedNamingTheOption) {
  TempDir dir;
  JournalOptions o;
  o.sync = SyncPolicy::Interval;
  o.sync_interval_ms = 0;
  try {
    Journal j(dir.str(), o);
    FAIL() << "no throw";
  } catch (const std::runtime_error& e) {
    expectMentions(e.what(), {dir.str(), "sync_interval_ms", "got 0"});
  }
  o = {};
  o.max_file_bytes = 100;
  try {
    Journal j(dir.str(), o);
    FAIL() << "no throw";
  } catch (const std::runtime_error& e) {
    expectMentions(e.what(), {"max_file_bytes", "got 100"});
  }
}

TEST(Journal, readerOfAMissingDirectoryThrowsAndOfAnEmptyOneEnds) {
  TempDir dir;
  try {
    JournalReader r(dir.sub("nope"));
    FAIL() << "no throw";
  } catch (const std::runtime_error& e) {
    expectMentions(e.what(), {dir.sub("nope"), "does not exist"});
  }
  JournalReader r(dir.str());
  JournalRecord rec;
  EXPECT_EQ(r.next(rec), ReadStatus::End);
}

TEST(Journal, foreignAndOtherVersionFilesAreRefusedNamingBoth) {
  TempDir dir;
  { Journal j(dir.str(), quiet()); }
  const std::string path = dir.sub(jn::journalFileName(1));
  std::string bytes = readAll(path);
  bytes[8] = 2;  // format_version 2
  writeAll(path, bytes);
  JournalReader reader(dir.str());
  JournalRecord rec;
  EXPECT_EQ(reader.next(rec), ReadStatus::Error);
  expectMentions(reader.error(), {path, "format version 2", "reads version 1"});
  try {
    Journal j(dir.str(), quiet());
    FAIL() << "no throw";
  } catch (const std::runtime_error& e) {
    expectMentions(e.what(), {path, "format version 2", "reads version 1"});
  }
  writeAll(path, std::string(64, 'x'));
  try {
    Journal j(dir.str(), quiet());
    FAIL() << "no throw";
  } catch (const std::runtime_error& e) {
    expectMentions(e.what(), {path, "not a journal file"});
  }
}

}  // namespace
}  // namespace hft::test
