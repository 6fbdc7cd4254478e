#pragma once
// In-process single-producer, single-consumer ring of pre-constructed slots, used to hand
// requests and answers between a caller thread and an I/O thread without locks. The producer
// fills a slot in place (claim/publish) and the consumer reads it in place (front/pop), so
// slots can own buffers reserved at start-up and reused forever.
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>

namespace hft::net {

template <class T>
class SlotRing {
 public:
  /// `capacity` is rounded up to a power of two; `init(T&)` runs once per slot (reserve buffers).
  template <class Init>
  SlotRing(size_t capacity, Init init) : capacity_(std::bit_ceil(capacity < 2 ? size_t{2} : capacity)) {
    slots_ = std::make_unique<T[]>(capacity_);
    for (size_t i = 0; i < capacity_; ++i) init(slots_[i]);
  }
  explicit SlotRing(size_t capacity) : SlotRing(capacity, [](T&) {}) {}
  SlotRing(const SlotRing&) = delete;
  SlotRing& operator=(const SlotRing&) = delete;

  size_t capacity() const noexcept { return capacity_; }

  /// Producer: the next free slot to fill, or nullptr when full. Call publish() when filled.
  [[nodiscard]] T* claim() noexcept {
    if (head_ - cachedTail_ == capacity_) {
      cachedTail_ = tail_.load(std::memory_order_acquire);  // why acquire: the consumer is done with the slot
      if (head_ - cachedTail_ == capacity_) return nullptr;
    }
    return &slots_[head_ & (capacity_ - 1)];
  }
  /// Producer: makes the slot returned by claim() visible to the consumer.
  void publish() noexcept {
    ++head_;
    headPub_.store(head_, std::memory_order_release);  // why release: the slot's contents first
  }

  /// Consumer: the oldest published slot, or nullptr when empty. Call pop() when done.
  [[nodiscard]] T* front() noexcept {
    if (tail_.load(std::memory_order_relaxed) == cachedHead_) {
      cachedHead_ = headPub_.load(std::memory_order_acquire);  // why acquire: see the slot's contents
      if (tail_.load(std::memory_order_relaxed) == cachedHead_) return nullptr;
    }
    return &slots_[tail_.load(std::memory_order_relaxed) & (capacity_ - 1)];
  }
  /// Consumer: releases the slot returned by front() back to the producer.
  void pop() noexcept { tail_.store(tail_.load(std::memory_order_relaxed) + 1, std::memory_order_release); }

 private:
  size_t capacity_;
  std::unique_ptr<T[]> slots_;
  // Producer-owned line (head and its cache of tail), consumer-owned line: no false sharing.
  alignas(64) std::atomic<uint64_t> headPub_{0};
  uint64_t head_ = 0;
  uint64_t cachedTail_ = 0;
  alignas(64) std::atomic<uint64_t> tail_{0};
  uint64_t cachedHead_ = 0;
};

}  // namespace hft::net
