#include "common/SecureBuffer.h"

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace hft::common {

namespace {

std::atomic<SecureBuffer::ReleaseObserver> gReleaseObserver{nullptr};

size_t pageBytes() noexcept {
  const long page = sysconf(_SC_PAGESIZE);
  return page > 0 ? static_cast<size_t>(page) : 4096;
}

std::string memlockLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_MEMLOCK, &lim) != 0) return "RLIMIT_MEMLOCK unknown";
  if (lim.rlim_cur == RLIM_INFINITY) return "RLIMIT_MEMLOCK unlimited";
  std::string s = "RLIMIT_MEMLOCK ";
  s.append(std::to_string(lim.rlim_cur)).append(" bytes; raise `ulimit -l`");
  return s;
}

}  // namespace

SecureBuffer::SecureBuffer(size_t capacity, LockPolicy policy) {
  if (capacity == 0) throw std::invalid_argument("SecureBuffer: capacity must be at least 1 byte");
  const size_t page = pageBytes();
  if (capacity > SIZE_MAX - page) throw std::invalid_argument("SecureBuffer: capacity too large");
  const size_t mapped = (capacity + page - 1) / page * page;
  void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "SecureBuffer: mmap");
  page_ = static_cast<unsigned char*>(p);
  mapped_ = mapped;
  capacity_ = capacity;
  // Locked before the caller can write anything, so a secret is never in swappable memory.
  if (mlock(page_, mapped_) == 0) {
    locked_ = true;
  } else {
    lockErrno_ = errno;
    if (policy == LockPolicy::Require) {
      const int err = lockErrno_;
      std::string what = "SecureBuffer: mlock of ";
      what.append(std::to_string(mapped_)).append(" bytes (").append(memlockLimit()).append(")");
      munmap(page_, mapped_);
      page_ = nullptr;
      throw std::system_error(err, std::generic_category(), what);
    }
  }
  // Best effort: older kernels lack one or the other; the pages are still private and wiped.
  if (madvise(page_, mapped_, MADV_DONTDUMP) == 0)
    dontDump_ = true;
  else
    dumpErrno_ = errno;
#ifdef MADV_WIPEONFORK
  (void)madvise(page_, mapped_, MADV_WIPEONFORK);
#endif
}

SecureBuffer::~SecureBuffer() { release(); }

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept
    : page_(other.page_), mapped_(other.mapped_), capacity_(other.capacity_), size_(other.size_),
      lockErrno_(other.lockErrno_), dumpErrno_(other.dumpErrno_), locked_(other.locked_), dontDump_(other.dontDump_) {
  other.page_ = nullptr;
  other.mapped_ = other.capacity_ = other.size_ = 0;
  other.locked_ = other.dontDump_ = false;
}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept {
  if (this != &other) {
    release();
    page_ = other.page_;
    mapped_ = other.mapped_;
    capacity_ = other.capacity_;
    size_ = other.size_;
    lockErrno_ = other.lockErrno_;
    dumpErrno_ = other.dumpErrno_;
    locked_ = other.locked_;
    dontDump_ = other.dontDump_;
    other.page_ = nullptr;
    other.mapped_ = other.capacity_ = other.size_ = 0;
    other.locked_ = other.dontDump_ = false;
  }
  return *this;
}

void SecureBuffer::release() noexcept {
  if (page_ == nullptr) return;
  // The whole mapping, not just size_: bytes may have been written through data() past size().
  explicit_bzero(page_, mapped_);
  if (ReleaseObserver observer = gReleaseObserver.load(std::memory_order_acquire)) observer(page_, mapped_);
  if (locked_) munlock(page_, mapped_);
  munmap(page_, mapped_);
  page_ = nullptr;
  mapped_ = capacity_ = size_ = 0;
  locked_ = dontDump_ = false;
}

void SecureBuffer::resize(size_t n) {
  if (n > capacity_) throw std::length_error("SecureBuffer: resize beyond capacity");
  if (n < size_) explicit_bzero(page_ + n, size_ - n);
  size_ = n;
}

bool SecureBuffer::push_back(unsigned char c) noexcept {
  if (size_ >= capacity_) return false;
  page_[size_++] = c;
  return true;
}

bool SecureBuffer::append(const void* bytes, size_t n) noexcept {
  if (n > capacity_ - size_) return false;
  if (n != 0) std::memcpy(page_ + size_, bytes, n);
  size_ += n;
  return true;
}

void SecureBuffer::clear() noexcept {
  if (page_ != nullptr) explicit_bzero(page_, size_);
  size_ = 0;
}

std::string SecureBuffer::degradedReason() const {
  std::string why;
  if (page_ != nullptr && !locked_) {
    why.append("mlock: ").append(std::strerror(lockErrno_)).append(" (").append(memlockLimit()).append(")");
  }
  if (page_ != nullptr && !dontDump_) {
    if (!why.empty()) why.append("; ");
    why.append("madvise(MADV_DONTDUMP): ").append(std::strerror(dumpErrno_));
  }
  return why;
}

void SecureBuffer::setReleaseObserverForTesting(ReleaseObserver observer) noexcept {
  gReleaseObserver.store(observer, std::memory_order_release);
}

}  // namespace hft::common
