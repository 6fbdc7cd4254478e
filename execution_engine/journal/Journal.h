#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/Events.h"
#include "execution_engine/journal/JournalFormat.h"
#include "execution_engine/journal/JournalOptions.h"

namespace hft::execution_engine::journal {

/// What an append (or a sync) did.
enum class AppendStatus : uint8_t {
  Ok = 0,             ///< written (and synced, if the policy said so)
  InvalidRecord = 1,  ///< the event's header type/size do not fit the record kind: nothing written
  WriteFailed = 2,    ///< write(2) or opening the next file failed; the journal is now failed
  SyncFailed = 3,     ///< written, but fdatasync failed: durability unknown; the journal is now failed
  Failed = 4,         ///< refused: the journal failed earlier (error() says how)
};
const char* toString(AppendStatus s) noexcept;

/// Append-only binary journal of the executor: every accepted and rejected request, every
/// execution report and balance update, copied verbatim, plus markers. Layout in
/// JournalFormat.h and README.md. Single-threaded: the thread that appends owns it.
///
/// Appends are a memcpy into a member buffer, a CRC-32 and one write(2) of the whole record:
/// after append returns, the record survives the process being killed; it survives a power
/// loss once synced (SyncPolicy). The journal reads no clock: appends and tick() take the
/// caller's monotonic time, used only by SyncPolicy::Interval. Files rotate when a record
/// would take one past max_file_bytes; names carry the first sequence and sort by it.
///
/// Hot path: the append functions and tick()/sync() are noexcept and do not allocate (also
/// when they rotate: the next path is formatted into a buffer sized at construction).
/// After a failed write or sync every later append returns Failed: an executor that cannot
/// journal must stop trading.
///
/// Restart: the constructor continues the journal in `dir`. The last file is scanned; a torn
/// tail (a record cut short by a crash, or a damaged last record after which nothing valid
/// follows) is truncated and reported by recoveryNote(); the sequence continues after the
/// last intact record. A last file shorter than its header (a crash while creating it) is
/// removed and reported. Damage followed by intact records is not a torn tail: the
/// constructor refuses to destroy data and throws, naming the file and byte offset.
class Journal {
 public:
  /// Creates `dir` if needed. Throws std::runtime_error naming the path on bad options,
  /// unreadable/foreign/other-version files, mid-file damage or I/O errors.
  explicit Journal(std::string dir, JournalOptions options = {});
  ~Journal();  ///< syncs (unless SyncPolicy::Never) and closes; swallows errors
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// A request that passed validation and risk. `monoNs`: the caller's CLOCK_MONOTONIC.
  [[nodiscard]] AppendStatus appendAccepted(const common::OrderRequest& r, int64_t monoNs) noexcept {
    return appendEvent(RecordType::RequestAccepted, 0, r.header, monoNs);
  }
  /// A request the executor refused, with why.
  [[nodiscard]] AppendStatus appendRejected(const common::OrderRequest& r, common::RejectReason why,
                                            int64_t monoNs) noexcept {
    return appendEvent(RecordType::RequestRejected, static_cast<uint16_t>(why), r.header, monoNs);
  }
  [[nodiscard]] AppendStatus appendReport(const common::ExecutionReport& r, int64_t monoNs) noexcept {
    return appendEvent(RecordType::Report, 0, r.header, monoNs);
  }
  [[nodiscard]] AppendStatus appendBalance(const common::BalanceUpdate& b, int64_t monoNs) noexcept {
    return appendEvent(RecordType::Balance, 0, b.header, monoNs);
  }
  [[nodiscard]] AppendStatus appendMarker(const JournalMarker& m, int64_t monoNs) noexcept {
    return append(RecordType::Marker, 0, &m, sizeof m, monoNs);
  }

  /// SyncPolicy::Interval: syncs records appended since the last sync once the interval has
  /// passed (call it from the idle loop so the last records do not wait for another append).
  /// Other policies: does nothing. Returns Ok or SyncFailed/Failed.
  [[nodiscard]] AppendStatus tick(int64_t monoNs) noexcept;
  /// fdatasync now if anything is unsynced (any policy; e.g. before a snapshot or on stop).
  [[nodiscard]] AppendStatus sync() noexcept;

  /// Sequence of the last record appended (or recovered); 0 for an empty journal.
  uint64_t lastSequence() const noexcept { return nextSequence_ - 1; }
  /// What the constructor repaired ("" when the journal was clean or new).
  const std::string& recoveryNote() const noexcept { return recoveryNote_; }
  /// Why the journal failed ("" while healthy).
  const std::string& error() const noexcept { return error_; }
  bool failed() const noexcept { return failed_; }
  /// fdatasync calls made (through the hook) since construction.
  uint64_t syncCount() const noexcept { return syncs_; }
  /// Files this instance created (the first one included when the directory was empty).
  uint64_t filesCreated() const noexcept { return filesCreated_; }
  /// The file being appended to.
  std::string currentFile() const { return std::string(path_.data()); }
  const std::string& directory() const noexcept { return dir_; }

 private:
  AppendStatus appendEvent(RecordType type, uint16_t aux, const common::EventHeader& e, int64_t monoNs) noexcept {
    if (e.type != payloadEventType(type) || e.size != payloadBytes(type)) [[unlikely]]
      return AppendStatus::InvalidRecord;
    return append(type, aux, &e, e.size, monoNs);
  }
  AppendStatus append(RecordType type, uint16_t aux, const void* payload, uint32_t length, int64_t monoNs) noexcept;
  void recover();
  bool openNewFile(uint64_t firstSequence) noexcept;
  bool syncFile() noexcept;
  AppendStatus fail(const char* call) noexcept;
  void setPath(uint64_t firstSequence) noexcept;

  std::string dir_;
  JournalOptions options_;
  int64_t intervalNs_ = 0;
  int fd_ = -1;
  int dirFd_ = -1;                 ///< kept open: fsync'd after a file is created
  std::vector<char> path_;         ///< NUL-terminated path of the current file; sized at construction
  uint64_t fileBytes_ = 0;
  uint64_t nextSequence_ = 1;
  bool dirty_ = false;             ///< records written since the last fdatasync
  int64_t lastSyncNs_ = 0;
  bool everSynced_ = false;        ///< Interval: the first append syncs at once
  bool failed_ = false;
  uint64_t syncs_ = 0;
  uint64_t filesCreated_ = 0;
  std::string recoveryNote_;
  std::string error_;              ///< capacity reserved: filling it on failure does not allocate
  alignas(8) unsigned char record_[kMaxRecordBytes];
};

}  // namespace hft::execution_engine::journal
