#pragma once
// A table in shared memory of every process attached to a bus: who it is, which ring it
// reads, how far it got, when it last showed life and how many messages it lost. Monitors
// read it to show lag and find dead processes. Each process writes only its own entry.
//
// Segment layout: SegmentHeader (64) | RegistryEntry[capacity] (320 bytes each)
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "data_store/ProcessRole.h"
#include "data_store/ShmSegment.h"

namespace hft::data_store {

/// One attached process (320 bytes). `state` is claimed with a CAS; the rest is written by
/// the owner only. Counters are atomics read by monitors while the owner runs.
///   0 state | 4 pid | 8 role | 12 core | 16 start_ns | 24 name[64] | 88 reading[96]
///   | 184 pad | 192 cursor | 200 heartbeat_ns | 208 lost | 216 processed | 224 lockstep
///   | 228 pad2 | 232 lockstep_done | 240 pad3[16]
///   | 256 lockstep_clock_ns | 264 lockstep_waiting_at_ns | 272 lockstep_reports_read | 280 pad4[40]
/// The last line is the lookahead protocol of lockstep backtests (data_store/LockstepClock.h),
/// on a line of its own: its peers read it while the owner's counters keep changing.
struct alignas(64) RegistryEntry {
  enum State : uint32_t { Free = 0, Claiming = 1, Active = 2 };
  std::atomic<uint32_t> state;
  uint32_t pid;
  ProcessRole role;
  int32_t core;                  ///< pinned core, -1 if not pinned
  int64_t start_ns;
  char name[64];                 ///< e.g. "strategy_runner:mm_btc"
  char reading[96];              ///< ring it consumes (longest: hft.<64-char bus>.orders.<id>)
  uint8_t pad[8];
  std::atomic<uint64_t> cursor;        ///< next sequence it will read
  std::atomic<int64_t> heartbeat_ns;   ///< wall clock of its last sign of life
  std::atomic<uint64_t> lost;          ///< messages it lost to laps
  std::atomic<uint64_t> processed;     ///< messages it handled
  std::atomic<uint32_t> lockstep;      ///< 1 = the feed waits for this consumer (backtests)
  uint32_t pad2;
  std::atomic<uint64_t> lockstep_done; ///< last market-data sequence read (lockstep: the feed never laps it)
  uint8_t pad3[16];
  /// Strategy runner: every order it sends from now on has request_ts_ns >= this.
  /// Backtester: every report it publishes from now on has receive_ts_ns >= this.
  /// INT64_MAX once finished; INT64_MIN until known.
  std::atomic<int64_t> lockstep_clock_ns;
  /// Strategy runner: waiting to handle a market event of this lockstep time until the reports
  /// due before it are known (INT64_MIN = not waiting).
  std::atomic<int64_t> lockstep_waiting_at_ns;
  /// Strategy runner, while waiting: the last execution-report sequence it has read.
  std::atomic<uint64_t> lockstep_reports_read;
  uint8_t pad4[40];
};
static_assert(sizeof(RegistryEntry) == 320);
static_assert(offsetof(RegistryEntry, lockstep_clock_ns) == 256);
static_assert(offsetof(RegistryEntry, reading) == 88 && offsetof(RegistryEntry, cursor) == 192);

inline constexpr uint32_t kRegistryCapacity = 64;

/// A copy of one entry for display.
struct ProcessInfo {
  uint32_t slot;
  uint32_t pid;
  ProcessRole role;
  int32_t core;
  std::string name;
  std::string reading;
  uint64_t cursor;
  int64_t heartbeat_ns;
  int64_t start_ns;
  uint64_t lost;
  uint64_t processed;
  bool alive;        ///< the pid exists
  bool lockstep;
};

class ProcessRegistry {
 public:
  /// Creates /dev/shm/<name> or opens it when another process made it first.
  explicit ProcessRegistry(const std::string& name, const ShmOptions& opts = {});
  /// Opens an existing registry read-only in spirit (monitors never claim entries).
  static ProcessRegistry openExisting(const std::string& name, int timeout_ms);

  /// Claims an entry for this process; entries of dead processes are reclaimed. Throws when
  /// the table is full of live processes.
  RegistryEntry& attach(const std::string& processName, ProcessRole role, const std::string& reading, int core);
  /// Frees our entry (clean shutdown).
  void detach(RegistryEntry& e) noexcept;

  /// Snapshot of every claimed entry, dead ones included (alive=false).
  std::vector<ProcessInfo> list() const;
  RegistryEntry* entries() const noexcept;
  const std::string& name() const noexcept { return seg_.name(); }

 private:
  explicit ProcessRegistry(ShmSegment seg) : seg_(std::move(seg)) {}
  ShmSegment seg_;
};

}  // namespace hft::data_store
