#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/Events.h"
#include "execution_engine/journal/JournalFormat.h"

namespace hft::execution_engine::journal {

/// One record as the reader hands it out. `payload` points into the reader's 8-aligned
/// buffer and is valid until the next call to next().
struct JournalRecord {
  RecordType type = RecordType::Marker;
  uint16_t aux = 0;
  uint64_t sequence = 0;
  uint32_t length = 0;
  const unsigned char* payload = nullptr;

  /// The bus event of every type but Marker (nullptr for a Marker).
  const common::EventHeader* event() const noexcept {
    return type == RecordType::Marker ? nullptr : reinterpret_cast<const common::EventHeader*>(payload);
  }
  /// The payload as an event type; the caller has checked `type` (e.g. Report -> ExecutionReport).
  template <class E>
  const E& as() const noexcept {
    return *reinterpret_cast<const E*>(payload);
  }
  /// RequestRejected: why the executor refused the request.
  common::RejectReason rejectReason() const noexcept { return static_cast<common::RejectReason>(aux); }
  /// Marker: a copy of the payload.
  JournalMarker marker() const noexcept {
    JournalMarker m;
    std::memcpy(&m, payload, sizeof m);
    return m;
  }
};

enum class ReadStatus : uint8_t {
  Record = 0,  ///< `record` holds the next record
  End = 1,     ///< every record of the journal was delivered
  Error = 2,   ///< damage or a gap: error() names the file and byte offset; every intact record
               ///< before it was delivered. Sticky.
};

/// Reads the journal in a directory from the record after `afterSequence` (0 = from the
/// start), across files, checking every record: magic, type, length, CRC-32, the sequence
/// (+1 per record, continuous across files) and the payload's event header. Single-threaded.
///
/// Each file is read whole into memory when reached (files are bounded by the writer's
/// max_file_bytes); records are handed out by pointer into that buffer, no per-record copy.
/// The reader sees each file as it was when it reached it.
///
/// Open the writer (Journal) first when restarting: it truncates a torn tail, so the reader
/// then reads to End; a reader on an unrepaired journal reports the tail as an Error (after
/// delivering everything before it).
class JournalReader {
 public:
  /// Lists the journal files; throws std::runtime_error naming the directory when it is
  /// missing or unreadable. Everything else is reported by next().
  explicit JournalReader(const std::string& dir, uint64_t afterSequence = 0);

  ReadStatus next(JournalRecord& record);

  /// Set when next() returned Error, e.g. "<dir>/journal-...01.jnl: record at byte 1234
  /// (sequence 17 expected): CRC mismatch (stored 0x..., computed 0x...)".
  const std::string& error() const noexcept { return error_; }
  /// Sequence of the last record delivered (afterSequence before the first).
  uint64_t lastSequence() const noexcept { return delivered_; }
  uint64_t recordsRead() const noexcept { return recordsRead_; }
  /// The file being read ("" before the first, after the last).
  const std::string& currentFile() const noexcept { return file_; }

 private:
  bool openNextFile();
  const unsigned char* bytes() const noexcept { return reinterpret_cast<const unsigned char*>(buf_.get()); }
  ReadStatus fail(std::string why);

  std::string dir_;
  uint64_t after_ = 0;
  std::vector<JournalFile> files_;
  size_t nextFile_ = 0;
  std::string file_;
  std::unique_ptr<uint64_t[]> buf_;  ///< the current file, 8-aligned
  size_t size_ = 0;
  size_t pos_ = 0;
  uint64_t scanSequence_ = 1;  ///< sequence the next record in the file must carry
  uint64_t delivered_ = 0;     ///< last sequence handed out (afterSequence before the first)
  bool any_ = false;           ///< a file has been opened
  uint64_t recordsRead_ = 0;
  ReadStatus state_ = ReadStatus::Record;
  std::string error_;
};

}  // namespace hft::execution_engine::journal
