#pragma once
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "data_store/SegmentHeader.h"

namespace boost::interprocess {
class shared_memory_object;
class mapped_region;
}  // namespace boost::interprocess

namespace hft::data_store {

/// Options that apply to creating a segment (from config; see config/system.json "bus").
struct ShmOptions {
  unsigned permissions = 0600;  ///< segments are private to the user unless configured
  bool prefault = true;         ///< touch every page at creation so the hot path never faults
  bool lock = false;            ///< mlock the mapping
  bool huge_pages = false;      ///< madvise(MADV_HUGEPAGE); effective when shmem THP is enabled
};

/// A named POSIX shared-memory segment in /dev/shm (Boost.Interprocess), mapped read-write.
/// Setup code: throws std::runtime_error with a clear message on failure.
class ShmSegment {
 public:
  /// Creates a segment as its single owner. A stale segment of the same name whose owner is
  /// dead (crashed run) is removed first; one whose owner is alive is an error naming its pid.
  static ShmSegment create(const std::string& name, const SegmentHeader& header, const ShmOptions& opts);
  /// Creates the segment, or opens it when another process created it first (registry).
  static ShmSegment createOrOpen(const std::string& name, const SegmentHeader& header,
                                 const SegmentExpectation& want, const ShmOptions& opts);
  /// Opens an existing segment, waiting up to timeout_ms for it to appear and be ready, and
  /// checks it against `want`.
  static ShmSegment open(const std::string& name, const SegmentExpectation& want, int timeout_ms);
  /// Removes the name from /dev/shm (mappings stay valid until unmapped).
  static bool remove(const std::string& name) noexcept;
  /// True if /dev/shm/<name> exists.
  static bool exists(const std::string& name) noexcept;

  ShmSegment(ShmSegment&&) noexcept;
  ShmSegment& operator=(ShmSegment&&) noexcept;
  ~ShmSegment();

  void* base() const noexcept { return base_; }
  size_t size() const noexcept { return size_; }
  const std::string& name() const noexcept { return name_; }
  SegmentHeader& header() const noexcept { return *static_cast<SegmentHeader*>(base_); }

  /// True when /dev/shm/<name> is no longer the object this mapping came from (removed, or
  /// replaced by a restarted producer). One stat() call: for idle paths only.
  bool replaced() const noexcept;

  /// Owner's clean shutdown: the name may be reused by a new owner even while this process lives.
  void markReleased() noexcept;

 private:
  ShmSegment() = default;
  static ShmSegment createExclusive(const std::string& name, const SegmentHeader& header, const ShmOptions& opts);
  std::string name_;
  std::unique_ptr<boost::interprocess::shared_memory_object> shm_;
  std::unique_ptr<boost::interprocess::mapped_region> region_;
  void* base_ = nullptr;
  size_t size_ = 0;
  ino_t inode_ = 0;
};

/// A fresh epoch value: unique per segment creation.
uint64_t newEpoch() noexcept;
/// True if a process with this pid exists (kill(pid, 0)).
bool processAlive(uint32_t pid) noexcept;

}  // namespace hft::data_store
