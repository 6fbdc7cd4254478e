#pragma once
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/Ids.h"

namespace hft::execution_engine::journal {

/// A snapshot as loaded back.
struct LoadedSnapshot {
  bool found = false;              ///< false: no valid snapshot (a fresh start replays the whole journal)
  std::string path;
  uint64_t journal_sequence = 0;   ///< every journal record up to this one is in `state`
  common::TimestampNs written_ns = 0;
  nlohmann::json state;            ///< what the caller gave write()
  std::vector<std::string> skipped;  ///< newer files that were not valid: "<path>: <why>"
};

/// Hourly snapshots of the executor's state: `<root>/snapshots/YYYYMMDD-HH.json` (UTC hour of
/// the caller's time). Each is one JSON document:
///   {"format": "hft-executor-snapshot", "version": 1, "journal_sequence": "<n>",
///    "written_ns": "<ns>", "written": "<ISO-8601>", "state_crc32": <n>, "state": {...}}
/// `state` is the caller's; `state_crc32` is the CRC-32 of state.dump(), so a flipped bit that
/// still parses is caught. Restart = loadNewest() + replay the journal after journal_sequence.
///
/// Writes are atomic (temporary file, fsync, rename, fsync of the directory): a crash leaves
/// the previous snapshot or the new one, never a torn one. Cold path: allocates, throws
/// nothing on I/O errors (returns false with a message). Single-threaded.
class SnapshotStore {
 public:
  static constexpr int kVersion = 1;

  /// `keep`: how many snapshots prune() leaves (>= 1). Looks at existing files to know which
  /// hour is already covered (dueAt).
  explicit SnapshotStore(std::string root = "data", size_t keep = 48);

  /// True when no snapshot has been written for the UTC hour holding `now` (nor a later one).
  bool dueAt(common::TimestampNs now) const noexcept;

  /// Writes `state` covering journal records up to `journalSequence` as the snapshot of the
  /// hour holding `now` (replacing one written earlier in the same hour). Returns false with
  /// `error` naming the file on failure; the previous snapshots are untouched then.
  [[nodiscard]] bool write(const nlohmann::json& state, uint64_t journalSequence, common::TimestampNs now,
                           std::string& error);

  /// The newest snapshot that parses and checks out; newer files that do not are listed in
  /// `skipped` with the reason (truncated JSON, CRC mismatch, other version, ...).
  LoadedSnapshot loadNewest() const;

  /// Removes all but the `keep` newest snapshots, and leftover temporary files of an
  /// interrupted write. Returns how many files were removed.
  size_t prune();

  /// Snapshot files present, oldest first.
  std::vector<std::string> list() const;
  /// "<root>/snapshots/20240501-13.json" for a time in that hour.
  std::string pathFor(common::TimestampNs ts) const;
  const std::string& directory() const noexcept { return dir_; }

 private:
  std::string dir_;
  size_t keep_;
  std::string newest_;  ///< name of the newest snapshot ("YYYYMMDD-HH"), "" when none: names sort as hours
};

}  // namespace hft::execution_engine::journal
