#pragma once
#include <cstdint>
#include <functional>
#include <string_view>

namespace hft::execution_engine::journal {

/// When the journal asks the kernel to put appended records on the disk (fdatasync).
enum class SyncPolicy : uint8_t {
  EveryRecord = 1,  ///< "every_record": fdatasync after every append; a record is durable when append returns
  Interval = 2,     ///< "interval_ms": fdatasync at most every sync_interval_ms, checked on append and tick
  Never = 3,        ///< "never": the OS writes back when it likes (survives a process crash, not a power loss)
};
const char* toString(SyncPolicy p) noexcept;  ///< the config names above
/// Parses a config name; false when unknown.
[[nodiscard]] bool parseSyncPolicy(std::string_view name, SyncPolicy& out) noexcept;

struct JournalOptions {
  SyncPolicy sync = SyncPolicy::Interval;
  int64_t sync_interval_ms = 10;          ///< Interval: at most one fdatasync per this many ms (> 0)
  uint64_t max_file_bytes = 64ull << 20;  ///< a record that would take a file past this starts a new file
  /// The fdatasync the journal calls on its file descriptor (0 = success, -1 + errno = failure).
  /// Empty = ::fdatasync. Tests count calls and inject failures through it.
  std::function<int(int fd)> sync_hook;
};

}  // namespace hft::execution_engine::journal
