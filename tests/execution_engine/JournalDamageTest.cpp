// The journal after crashes and corruption: torn tails at every byte, flipped bits, torn file
// headers. The reader delivers everything before the damage and names the file and offset;
// the writer truncates a torn tail and continues the sequence, and refuses mid-file damage.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ExecTestUtil.h"
#include "execution_engine/journal/Journal.h"
#include "execution_engine/journal/JournalReader.h"

namespace hft::test {
namespace {

using execution_engine::journal::AppendStatus;
using execution_engine::journal::Journal;
using execution_engine::journal::JournalOptions;
using execution_engine::journal::JournalReader;
using execution_engine::journal::JournalRecord;
using execution_engine::journal::ReadStatus;
using execution_engine::journal::SyncPolicy;
namespace jn = execution_engine::journal;

constexpr size_t kRequestRecord = sizeof(jn::RecordHeader) + sizeof(common::OrderRequest);
constexpr size_t kReportRecord = sizeof(jn::RecordHeader) + sizeof(common::ExecutionReport);
constexpr size_t kBalanceRecord = sizeof(jn::RecordHeader) + sizeof(common::BalanceUpdate);

JournalOptions quiet() {
  JournalOptions o;
  o.sync = SyncPolicy::Never;
  return o;
}

/// Writes: request, report, balance, request, report (the last record is the largest kind).
/// Returns the byte offset of each record in the file.
std::vector<size_t> writeFive(const std::string& dir) {
  Journal j(dir, quiet());
  EXPECT_EQ(j.appendAccepted(newOrder(1, 100, 1), 0), AppendStatus::Ok);
  EXPECT_EQ(j.appendReport(fillReport(1, 100, 1), 0), AppendStatus::Ok);
  EXPECT_EQ(j.appendBalance(balance("USDT", 1, 0), 0), AppendStatus::Ok);
  EXPECT_EQ(j.appendAccepted(newOrder(2, 100, 1), 0), AppendStatus::Ok);
  EXPECT_EQ(j.appendReport(fillReport(2, 100, 1), 0), AppendStatus::Ok);
  size_t at = sizeof(jn::FileHeader);
  std::vector<size_t> offsets;
  for (size_t bytes : {kRequestRecord, kReportRecord, kBalanceRecord, kRequestRecord, kReportRecord}) {
    offsets.push_back(at);
    at += bytes;
  }
  offsets.push_back(at);  // end of file
  return offsets;
}

struct ReadResult {
  std::vector<uint64_t> sequences;
  ReadStatus status;
  std::string error;
};

ReadResult readAllRecords(const std::string& dir) {
  JournalReader reader(dir);
  ReadResult r;
  JournalRecord rec;
  while ((r.status = reader.next(rec)) == ReadStatus::Record) r.sequences.push_back(rec.sequence);
  r.error = reader.error();
  return r;
}

const std::vector<uint64_t> kFirstFour{1, 2, 3, 4};

TEST(JournalDamage, tornTailAtEveryByteOfTheLastRecordIsReportedThenTruncatedAndTheSequenceResumes) {
  TempDir pristine;
  const std::vector<size_t> at = writeFive(pristine.str());
  const std::string original = readAll(pristine.sub(jn::journalFileName(1)));
  ASSERT_EQ(original.size(), at[5]);
  const size_t last = at[4];

  for (size_t cut = last + 1; cut < original.size(); ++cut) {
    SCOPED_TRACE("file cut at byte " + std::to_string(cut));
    TempDir dir;
    const std::string path = dir.sub(jn::journalFileName(1));
    writeAll(path, std::string_view(original).substr(0, cut));

    const ReadResult before = readAllRecords(dir.str());
    EXPECT_EQ(before.sequences, kFirstFour);
    EXPECT_EQ(before.status, ReadStatus::Error);
    expectMentions(before.error, {path, "truncated at byte " + std::to_string(cut),
                                  "record at byte " + std::to_string(last), "sequence 5 expected"});

    {
      Journal j(dir.str(), quiet());
      EXPECT_EQ(j.lastSequence(), 4u);
      expectMentions(j.recoveryNote(), {path, "torn tail at byte " + std::to_string(last),
                                        "truncated " + std::to_string(cut - last) + " bytes",
                                        "continues after sequence 4"});
      EXPECT_EQ(std::filesystem::file_size(path), last);
      ASSERT_EQ(j.appendBalance(balance("BTC", 2, 0), 0), AppendStatus::Ok);
      EXPECT_EQ(j.lastSequence(), 5u);
    }
    const ReadResult after = readAllRecords(dir.str());
    EXPECT_EQ(after.sequences, (std::vector<uint64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(after.status, ReadStatus::End) << after.error;
  }
}

TEST(JournalDamage, aCutOnARecordBoundaryIsNoDamage) {
  TempDir dir;
  const std::vector<size_t> at = writeFive(dir.str());
  const std::string path = dir.sub(jn::journalFileName(1));
  std::filesystem::resize_file(path, at[4]);
  const ReadResult r = readAllRecords(dir.str());
  EXPECT_EQ(r.sequences, kFirstFour);
  EXPECT_EQ(r.status, ReadStatus::End);
  Journal j(dir.str(), quiet());
  EXPECT_EQ(j.recoveryNote(), "");
  EXPECT_EQ(j.lastSequence(), 4u);
}

TEST(JournalDamage, aFlippedBitInAnyByteOfARecordStopsTheReaderAtThatRecord) {
  TempDir pristine;
  const std::vector<size_t> at = writeFive(pristine.str());
  const std::string original = readAll(pristine.sub(jn::journalFileName(1)));
  // Every byte of record 3 (the balance): magic, length, sequence, type, aux, CRC, payload.
  for (size_t byte = at[2]; byte < at[3]; ++byte) {
    SCOPED_TRACE("bit flipped in byte " + std::to_string(byte));
    TempDir dir;
    const std::string path = dir.sub(jn::journalFileName(1));
    std::string bytes = original;
    bytes[byte] = static_cast<char>(bytes[byte] ^ 0x10);
    writeAll(path, bytes);
    const ReadResult r = readAllRecords(dir.str());
    EXPECT_EQ(r.sequences, (std::vector<uint64_t>{1, 2}));
    EXPECT_EQ(r.status, ReadStatus::Error);
    expectMentions(r.error, {path, "record at byte " + std::to_string(at[2]), "sequence 3 expected"});
  }
}

TEST(JournalDamage, aFlippedPayloadBitIsACrcMismatchAndTheWriterRefusesToTruncateIntactRecords) {
  TempDir dir;
  const std::vector<size_t> at = writeFive(dir.str());
  const std::string path = dir.sub(jn::journalFileName(1));
  std::string bytes = readAll(path);
  const size_t byte = at[1] + sizeof(jn::RecordHeader) + 70;  // inside the report's payload
  bytes[byte] = static_cast<char>(bytes[byte] ^ 0x01);
  writeAll(path, bytes);

  const ReadResult r = readAllRecords(dir.str());
  EXPECT_EQ(r.sequences, (std::vector<uint64_t>{1}));
  expectMentions(r.error, {path, "CRC mismatch", "record at byte " + std::to_string(at[1])});
  try {
    Journal j(dir.str(), quiet());
    FAIL() << "the writer truncated a damaged record followed by intact ones";
  } catch (const std::runtime_error& e) {
    expectMentions(e.what(), {path, "damaged record at byte " + std::to_string(at[1]), "CRC mismatch",
                              "intact record (sequence 3 at byte " + std::to_string(at[2]), "refusing to truncate"});
  }
  EXPECT_EQ(readAll(path), bytes);  // untouched
}

TEST(JournalDamage, aDamagedLastRecordIsATornTail) {
  TempDir dir;
  const std::vector<size_t> at = writeFive(dir.str());
  const std::string path = dir.sub(jn::journalFileName(1));
  std::string bytes = readAll(path);
  bytes[at[4] + 100] = static_cast<char>(bytes[at[4] + 100] ^ 0x40);
  writeAll(path, bytes);
  Journal j(dir.str(), quiet());
  EXPECT_EQ(j.lastSequence(), 4u);
  expectMentions(j.recoveryNote(), {path, "torn tail at byte " + std::to_string(at[4]), "CRC mismatch"});
  EXPECT_EQ(std::filesystem::file_size(path), at[4]);
}

TEST(JournalDamage, garbageAfterTheLastRecordIsATornTail) {
  TempDir dir;
  const std::vector<size_t> at = writeFive(dir.str());
  const std::string path = dir.sub(jn::journalFileName(1));
  writeAll(path, readAll(path) + std::string(300, '\0'));  // e.g. zeroed blocks after a power loss
  const ReadResult r = readAllRecords(dir.str());
  EXPECT_EQ(r.sequences.size(), 5u);
  expectMentions(r.error, {path, "record at byte " + std::to_string(at[5]), "bad record magic"});
  Journal j(dir.str(), quiet());
  EXPECT_EQ(j.lastSequence(), 5u);
  EXPECT_EQ(std::filesystem::file_size(path), at[5]);
}

TEST(JournalDamage, aFileWhoseHeaderWasTornIsRemovedAndItsSequenceReused) {
  TempDir dir;
  JournalOptions o = quiet();
  o.max_file_bytes = sizeof(jn::FileHeader) + 2 * kRequestRecord;
  {
    Journal j(dir.str(), o);
    for (int i = 1; i <= 4; ++i) ASSERT_EQ(j.appendAccepted(newOrder(i, 100, 1), 0), AppendStatus::Ok);
  }
  // A crash while rotating to the file of sequence 5: only part of its header was written.
  const std::string torn = dir.sub(jn::journalFileName(5));
  writeAll(torn, std::string(jn::kFileMagic, 8) + "\x01");
  const ReadResult r = readAllRecords(dir.str());
  EXPECT_EQ(r.sequences, kFirstFour);
  expectMentions(r.error, {torn, "9 bytes", "file header"});
  {
    Journal j(dir.str(), o);
    expectMentions(j.recoveryNote(), {torn, "removed", "9 bytes"});
    EXPECT_EQ(j.lastSequence(), 4u);
    ASSERT_EQ(j.appendAccepted(newOrder(5, 100, 1), 0), AppendStatus::Ok);  // rotates: file 3 is full
    EXPECT_EQ(j.currentFile(), torn);
  }
  const ReadResult after = readAllRecords(dir.str());
  EXPECT_EQ(after.sequences, (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(after.status, ReadStatus::End) << after.error;
}

}  // namespace
}  // namespace hft::test
