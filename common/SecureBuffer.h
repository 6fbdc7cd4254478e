#pragma once
// Memory for secrets (API secrets, passphrases, derived keys): its own pages, locked in RAM,
// left out of core dumps and wiped before they are given back. Start-up and tooling only.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace hft::common {

/// A fixed-capacity byte buffer on private anonymous pages that are
///  - mlock()ed before anything is written (never swapped out),
///  - madvise(MADV_DONTDUMP)ed (never in a core dump) and MADV_WIPEONFORK'd (a fork()ed child
///    sees zeros, not the secret), both best effort,
///  - wiped with explicit_bzero (the compiler may not drop it) before munlock and munmap,
///    on destruction, on clear() and on the tail given up by a shrinking resize().
///
/// Non-copyable (a copy is a second place to wipe); movable (the pages move, nothing is
/// copied). Deliberately nothing that formats it: no operator<<, no std::string conversion.
/// view() is for handing the bytes to the one consumer that needs them (a signer, a header
/// value); do not copy its result into a std::string.
///
/// Not thread-safe. Allocation (constructor) throws; every other member is noexcept except
/// resize() beyond the capacity.
class SecureBuffer {
 public:
  /// What to do when mlock() fails (RLIMIT_MEMLOCK, `ulimit -l`).
  enum class LockPolicy : uint8_t {
    Require = 0,     ///< throw std::system_error naming the limit
    BestEffort = 1,  ///< keep the buffer unlocked and say why in degradedReason()
  };

  /// An empty buffer with no pages (capacity 0): a placeholder to move into.
  SecureBuffer() noexcept = default;
  /// `capacity` usable bytes (rounded up to whole pages underneath), zero-filled, size() 0.
  /// Throws std::invalid_argument for capacity 0, std::system_error when the pages cannot be
  /// mapped, or locked under LockPolicy::Require.
  explicit SecureBuffer(size_t capacity, LockPolicy policy = LockPolicy::Require);
  ~SecureBuffer();
  SecureBuffer(SecureBuffer&& other) noexcept;
  SecureBuffer& operator=(SecureBuffer&& other) noexcept;
  SecureBuffer(const SecureBuffer&) = delete;
  SecureBuffer& operator=(const SecureBuffer&) = delete;

  unsigned char* data() noexcept { return page_; }
  const unsigned char* data() const noexcept { return page_; }
  size_t size() const noexcept { return size_; }
  size_t capacity() const noexcept { return capacity_; }
  bool empty() const noexcept { return size_ == 0; }
  std::span<const unsigned char> bytes() const noexcept { return {page_, size_}; }
  /// The bytes as characters, for the consumer that needs them. Not for printing.
  std::string_view view() const noexcept { return {reinterpret_cast<const char*>(page_), size_}; }

  /// Sets size(); growing exposes zeros (or bytes written beyond size() through data()),
  /// shrinking wipes the tail. Throws std::length_error beyond capacity().
  void resize(size_t n);
  /// Appends one byte; false (and nothing written) when full.
  [[nodiscard]] bool push_back(unsigned char c) noexcept;
  /// Appends bytes; false (and nothing written) when they do not fit.
  [[nodiscard]] bool append(const void* bytes, size_t n) noexcept;
  /// Wipes the used bytes; size() 0, capacity kept.
  void clear() noexcept;

  /// True when the pages are locked in RAM.
  bool locked() const noexcept { return locked_; }
  /// True when the kernel accepted MADV_DONTDUMP.
  bool excludedFromDumps() const noexcept { return dontDump_; }
  /// Empty when locked and excluded from dumps; otherwise what failed and why
  /// ("mlock: Cannot allocate memory (RLIMIT_MEMLOCK 65536 bytes; raise `ulimit -l`)").
  std::string degradedReason() const;

  /// Test hook: called with the pages after they are wiped and before they are unmapped,
  /// so a test can check that nothing is left. nullptr (the default) turns it off.
  using ReleaseObserver = void (*)(const unsigned char* pages, size_t bytes) noexcept;
  static void setReleaseObserverForTesting(ReleaseObserver observer) noexcept;

 private:
  void release() noexcept;

  unsigned char* page_ = nullptr;  // start of the mapping (page-aligned)
  size_t mapped_ = 0;              // bytes mapped (whole pages)
  size_t capacity_ = 0;            // usable bytes, as requested
  size_t size_ = 0;                // bytes in use
  int lockErrno_ = 0;              // mlock's errno when it failed (BestEffort), else 0
  int dumpErrno_ = 0;              // madvise(MADV_DONTDUMP)'s errno when it failed, else 0
  bool locked_ = false;
  bool dontDump_ = false;
};

}  // namespace hft::common
