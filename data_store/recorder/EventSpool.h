#pragma once
// In-process single-producer/single-consumer byte queue of variable-size events: the hand-off
// from the recorder's bus-reading thread to its writer thread, so the bus consumer never
// waits on compression or the disk. Records are [u32 size | u32 pad | event bytes] padded to
// 8 bytes; a record never wraps (a skip marker fills the tail instead).
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>

#include "common/EventHeader.h"

namespace hft::data_store::recorder {

class EventSpool {
 public:
  /// capacityBytes: power of two, at least 4 KiB.
  explicit EventSpool(size_t capacityBytes)
      : cap_(capacityBytes), mask_(capacityBytes - 1), buf_(new unsigned char[capacityBytes]) {}

  /// Producer: copies the event in; false when there is not enough room (the caller decides
  /// whether to wait — the recorder waits, which at worst makes it lapped on the bus, and the
  /// lap is then recorded as a Gap).
  [[nodiscard]] bool tryPush(const common::EventHeader& e) noexcept {
    const size_t need = recordBytes(e.size);
    size_t head = head_.load(std::memory_order_relaxed);
    const size_t tail = tail_.load(std::memory_order_acquire);
    size_t off = head & mask_;
    const size_t toEnd = cap_ - off;
    const size_t total = need <= toEnd ? need : toEnd + need;  // skip the tail if it does not fit
    if (cap_ - (head - tail) < total) return false;
    if (need > toEnd) {
      writeSize(off, kSkip);
      head += toEnd;
      off = 0;
    }
    writeSize(off, e.size);
    std::memcpy(buf_.get() + off + 8, &e, e.size);
    // Why release: the bytes above must be visible before the consumer sees the new head.
    head_.store(head + need, std::memory_order_release);
    return true;
  }

  /// Consumer: the next event, or nullptr when empty. Valid until pop().
  const common::EventHeader* front() noexcept {
    for (;;) {
      const size_t tail = tail_.load(std::memory_order_relaxed);
      if (tail == head_.load(std::memory_order_acquire)) return nullptr;
      const size_t off = tail & mask_;
      uint32_t size;
      std::memcpy(&size, buf_.get() + off, 4);
      if (size == kSkip) {
        tail_.store(tail + (cap_ - off), std::memory_order_release);
        continue;
      }
      frontBytes_ = recordBytes(size);
      return reinterpret_cast<const common::EventHeader*>(buf_.get() + off + 8);
    }
  }
  void pop() noexcept {
    // Why release: we are done reading the record before the producer may overwrite it.
    tail_.store(tail_.load(std::memory_order_relaxed) + frontBytes_, std::memory_order_release);
  }

  size_t usedBytes() const noexcept {
    return head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire);
  }

 private:
  static constexpr uint32_t kSkip = 0xFFFFFFFFu;
  static size_t recordBytes(uint32_t size) noexcept { return 8 + ((size + 7u) & ~size_t{7}); }
  void writeSize(size_t off, uint32_t size) noexcept { std::memcpy(buf_.get() + off, &size, 4); }

  const size_t cap_;
  const size_t mask_;
  std::unique_ptr<unsigned char[]> buf_;
  alignas(64) std::atomic<size_t> head_{0};  ///< producer-owned
  alignas(64) std::atomic<size_t> tail_{0};  ///< consumer-owned
  alignas(64) size_t frontBytes_ = 0;        ///< consumer-private
};

}  // namespace hft::data_store::recorder
