#include "data_store/ShmSegment.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "common/Clock.h"

namespace bip = boost::interprocess;

namespace hft::data_store {

const char* toString(SegmentKind k) noexcept {
  switch (k) {
    case SegmentKind::BroadcastRing: return "broadcast ring";
    case SegmentKind::SpscQueue: return "spsc queue";
    case SegmentKind::Registry: return "registry";
  }
  return "unknown kind";
}

std::string checkCompatible(const SegmentHeader& h, const SegmentExpectation& want, const std::string& name) {
  const std::string where = "shared memory segment /dev/shm/" + name;
  if (h.magic != kSegmentMagic) return where + " is not an hft segment (bad magic)";
  if (h.layout_version != kLayoutVersion)
    return where + ": layout version mismatch: segment has version " + std::to_string(h.layout_version) +
           ", this process was built with version " + std::to_string(kLayoutVersion);
  if (h.schema_version != want.schema_version)
    return where + ": event schema version mismatch: segment has version " + std::to_string(h.schema_version) +
           ", this process was built with version " + std::to_string(want.schema_version);
  if (h.kind != want.kind)
    return where + " is a " + toString(h.kind) + ", expected a " + toString(want.kind);
  if (want.slot_bytes != 0 && h.slot_bytes != want.slot_bytes)
    return where + ": slot size mismatch: segment has " + std::to_string(h.slot_bytes) +
           " bytes, this process expects " + std::to_string(want.slot_bytes);
  return {};
}

uint64_t newEpoch() noexcept {
  // Wall time in ns mixed with the pid: distinct across restarts and across creators.
  const auto t = static_cast<uint64_t>(common::wallNowNs());
  return t ^ (static_cast<uint64_t>(getpid()) << 48) ^ 0x9E3779B97F4A7C15ull;
}

bool processAlive(uint32_t pid) noexcept {
  if (pid == 0) return false;
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

namespace {

ino_t inodeOfName(const std::string& name) noexcept {
  struct stat st{};
  if (::stat(("/dev/shm/" + name).c_str(), &st) != 0) return 0;
  return st.st_ino;
}

ino_t inodeOfFd(int fd) noexcept {
  struct stat st{};
  if (::fstat(fd, &st) != 0) return 0;
  return st.st_ino;
}

void applyOptions(void* base, size_t size, const ShmOptions& opts) {
  if (opts.huge_pages) ::madvise(base, size, MADV_HUGEPAGE);  // best effort: tmpfs THP may be off
  if (opts.prefault) {
    // Write each page once so the kernel allocates it now, not on the first hot-path touch.
    auto* p = static_cast<volatile unsigned char*>(base);
    const long page = sysconf(_SC_PAGESIZE);
    for (size_t off = 0; off < size; off += static_cast<size_t>(page)) p[off] = p[off];
  }
  if (opts.lock && ::mlock(base, size) != 0)
    throw std::runtime_error(std::string("mlock of shared memory failed: ") + std::strerror(errno) +
                             " (raise LimitMEMLOCK / ulimit -l, or set bus.lock_memory=false)");
}

}  // namespace

bool ShmSegment::remove(const std::string& name) noexcept { return bip::shared_memory_object::remove(name.c_str()); }

bool ShmSegment::exists(const std::string& name) noexcept { return inodeOfName(name) != 0; }

ShmSegment::ShmSegment(ShmSegment&&) noexcept = default;
ShmSegment& ShmSegment::operator=(ShmSegment&&) noexcept = default;
ShmSegment::~ShmSegment() = default;

ShmSegment ShmSegment::createExclusive(const std::string& name, const SegmentHeader& header,
                                       const ShmOptions& opts) {
  ShmSegment seg;
  seg.name_ = name;
  bip::permissions perm;
  perm.set_permissions(opts.permissions);
  seg.shm_ = std::make_unique<bip::shared_memory_object>(bip::create_only, name.c_str(), bip::read_write, perm);
  seg.shm_->truncate(static_cast<bip::offset_t>(header.total_bytes));
  seg.region_ = std::make_unique<bip::mapped_region>(*seg.shm_, bip::read_write);
  // umask may have narrowed the mode; the configured permissions are what we promise.
  ::fchmod(seg.shm_->get_mapping_handle().handle, static_cast<mode_t>(opts.permissions));
  seg.base_ = seg.region_->get_address();
  seg.size_ = seg.region_->get_size();
  seg.inode_ = inodeOfFd(seg.shm_->get_mapping_handle().handle);
  applyOptions(seg.base_, seg.size_, opts);
  auto& h = seg.header();
  h.magic = header.magic;
  h.layout_version = header.layout_version;
  h.schema_version = header.schema_version;
  h.kind = header.kind;
  h.slot_bytes = header.slot_bytes;
  h.capacity = header.capacity;
  h.epoch = header.epoch;
  h.owner_pid = static_cast<uint32_t>(getpid());
  h.created_ns = common::wallNowNs();
  h.total_bytes = header.total_bytes;
  // `ready` stays 0: the caller initializes the body, then publishes ready=1 (release).
  return seg;
}

ShmSegment ShmSegment::create(const std::string& name, const SegmentHeader& header, const ShmOptions& opts) {
  if (exists(name)) {
    // A segment from an earlier run: remove it only if its owner is gone.
    try {
      bip::shared_memory_object old(bip::open_only, name.c_str(), bip::read_only);
      bip::offset_t sz = 0;
      old.get_size(sz);
      if (static_cast<size_t>(sz) >= sizeof(SegmentHeader)) {
        bip::mapped_region r(old, bip::read_only, 0, sizeof(SegmentHeader));
        const auto* h = static_cast<const SegmentHeader*>(r.get_address());
        // Read-only mapping, so no atomic_ref: the builtin does an acquire load of a const word.
        const uint32_t state = __atomic_load_n(&h->ready, __ATOMIC_ACQUIRE);
        if (h->magic == kSegmentMagic && state != kSegmentReleased && processAlive(h->owner_pid))
          throw std::runtime_error("shared memory segment /dev/shm/" + name + " is owned by running process " +
                                   std::to_string(h->owner_pid) + ": only one writer per ring");
      }
    } catch (const bip::interprocess_exception&) {
      // Unreadable leftovers are stale by definition.
    }
    remove(name);
  }
  try {
    return createExclusive(name, header, opts);
  } catch (const bip::interprocess_exception& e) {
    throw std::runtime_error("cannot create shared memory segment /dev/shm/" + name + ": " + e.what());
  }
}

ShmSegment ShmSegment::createOrOpen(const std::string& name, const SegmentHeader& header,
                                    const SegmentExpectation& want, const ShmOptions& opts) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (!exists(name)) {
      try {
        return createExclusive(name, header, opts);  // caller initializes the body, sets ready
      } catch (const bip::interprocess_exception&) {
        // Lost the creation race: open what the winner made.
      }
    }
    try {
      return open(name, want, 2000);
    } catch (const std::runtime_error&) {
      if (attempt == 2) throw;
    }
  }
  throw std::runtime_error("cannot create or open /dev/shm/" + name);
}

ShmSegment ShmSegment::open(const std::string& name, const SegmentExpectation& want, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string lastError = "shared memory segment /dev/shm/" + name + " does not exist (is its producer running?)";
  for (;;) {
    try {
      ShmSegment seg;
      seg.name_ = name;
      seg.shm_ = std::make_unique<bip::shared_memory_object>(bip::open_only, name.c_str(), bip::read_write);
      bip::offset_t sz = 0;
      seg.shm_->get_size(sz);
      if (static_cast<size_t>(sz) >= sizeof(SegmentHeader)) {
        seg.region_ = std::make_unique<bip::mapped_region>(*seg.shm_, bip::read_write);
        seg.base_ = seg.region_->get_address();
        seg.size_ = seg.region_->get_size();
        seg.inode_ = inodeOfFd(seg.shm_->get_mapping_handle().handle);
        auto& h = seg.header();
        const uint32_t state = readyFlag(h).load(std::memory_order_acquire);
        if (state == kSegmentReleased) {
          // Left behind by a producer that exited: its successor will replace it. Attaching
          // now would read a dead ring (and in lockstep, wave the feed through).
          lastError = "shared memory segment /dev/shm/" + name +
                      " belongs to a producer that has exited (is its producer running?)";
        } else if (state == kSegmentLive) {
          // Magic and versions are checked before anything else is trusted.
          std::string err = checkCompatible(h, want, name);
          if (!err.empty()) throw std::invalid_argument(err);
          if (h.total_bytes != seg.size_)
            throw std::invalid_argument("shared memory segment /dev/shm/" + name + " has size " +
                                        std::to_string(seg.size_) + " but its header says " +
                                        std::to_string(h.total_bytes));
          return seg;
        } else {
          lastError = "shared memory segment /dev/shm/" + name + " exists but was never initialized";
        }
      } else {
        lastError = "shared memory segment /dev/shm/" + name + " is too small to hold a header";
      }
    } catch (const bip::interprocess_exception& e) {
      lastError = "cannot open shared memory segment /dev/shm/" + name + ": " + e.what() +
                  " (is its producer running?)";
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(e.what());  // incompatibility does not go away by waiting
    }
    if (std::chrono::steady_clock::now() >= deadline) throw std::runtime_error(lastError);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void ShmSegment::markReleased() noexcept { readyFlag(header()).store(kSegmentReleased, std::memory_order_release); }

bool ShmSegment::replaced() const noexcept { return inodeOfName(name_) != inode_; }

}  // namespace hft::data_store
