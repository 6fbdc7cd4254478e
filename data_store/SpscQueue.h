#pragma once
// Single-producer, single-consumer lossless queue of fixed-size messages in shared memory:
// the order flow from one strategy_runner (producer, owner) to order_executor (consumer).
// Unlike the broadcast ring it never overwrites: a full queue refuses the push, because an
// order must never be silently lost.
//
// Segment layout:
//   0    SegmentHeader
//   64   ProducerLine: head (next position to write), for a monitor and a restarted producer
//   128  ConsumerLine: tail (next position to read), so a restarted consumer resumes
//   192  Slot[capacity]: { turn (8 bytes) | message (SlotBytes - 8) }
//
// Each slot has a `turn` word (as in rigtorp's MPMCQueue): for position p in lap L = p / cap,
// turn == 2L means free for the producer, 2L+1 means holds a message for the consumer. The
// release store of `turn` publishes the message; producer and consumer share nothing else
// per message.
#include <atomic>
#include <bit>
#include <cstring>
#include <string>

#include "common/Events.h"
#include "data_store/ShmSegment.h"

namespace hft::data_store {

/// Slot size of an order queue: turn word + OrderRequest.
inline constexpr uint32_t kOrderSlotBytes = 128;
static_assert(sizeof(common::OrderRequest) + 8 <= kOrderSlotBytes);

template <uint32_t SlotBytes>
struct SpscView {
  static_assert(SlotBytes % 64 == 0);
  struct alignas(64) Slot {
    std::atomic<uint64_t> turn;
    unsigned char bytes[SlotBytes - 8];
  };
  static_assert(sizeof(Slot) == SlotBytes);
  struct alignas(64) Line {
    std::atomic<uint64_t> pos{0};
    std::atomic<int64_t> heartbeat_ns{0};
    std::atomic<uint32_t> pid{0};
  };
  static_assert(sizeof(Line) == 64);

  SegmentHeader* header = nullptr;
  Line* producer = nullptr;
  Line* consumer = nullptr;
  Slot* slots = nullptr;
  uint64_t capacity = 0;

  static SpscView over(void* base) noexcept {
    auto* b = static_cast<unsigned char*>(base);
    SpscView v;
    v.header = reinterpret_cast<SegmentHeader*>(b);
    v.producer = reinterpret_cast<Line*>(b + 64);
    v.consumer = reinterpret_cast<Line*>(b + 128);
    v.slots = reinterpret_cast<Slot*>(b + 192);
    v.capacity = v.header->capacity;
    return v;
  }
  uint64_t lap(uint64_t pos) const noexcept { return pos / capacity; }
  Slot& at(uint64_t pos) const noexcept { return slots[pos & (capacity - 1)]; }
};

/// The producer side; creates (owns) the segment. One thread pushes.
template <uint32_t SlotBytes>
class SpscProducer {
 public:
  static constexpr uint32_t kMaxMessage = SlotBytes - 8;

  SpscProducer(const std::string& name, uint64_t capacity, const ShmOptions& opts = {})
      : seg_(ShmSegment::create(name, makeHeader(capacity), opts)) {
    view_ = SpscView<SlotBytes>::over(seg_.base());
    new (view_.producer) typename SpscView<SlotBytes>::Line();
    new (view_.consumer) typename SpscView<SlotBytes>::Line();
    view_.producer->pid.store(static_cast<uint32_t>(getpid()), std::memory_order_relaxed);
    for (uint64_t i = 0; i < capacity; ++i) new (&view_.slots[i].turn) std::atomic<uint64_t>(0);
    readyFlag(*view_.header).store(kSegmentLive, std::memory_order_release);
  }
  ~SpscProducer() { seg_.markReleased(); }
  SpscProducer(const SpscProducer&) = delete;
  SpscProducer& operator=(const SpscProducer&) = delete;

  /// Copies `size` bytes in. False when the queue is full (consumer slow or gone): the caller
  /// decides (retry, or refuse the order); nothing is overwritten.
  [[nodiscard]] bool tryPush(const void* msg, uint32_t size) noexcept {
    auto& slot = view_.at(head_);
    if (slot.turn.load(std::memory_order_acquire) != 2 * view_.lap(head_)) return false;
    std::memcpy(slot.bytes, msg, size);
    slot.turn.store(2 * view_.lap(head_) + 1, std::memory_order_release);
    ++head_;
    view_.producer->pos.store(head_, std::memory_order_relaxed);
    return true;
  }
  template <class E>
  [[nodiscard]] bool tryPush(const E& e) noexcept {
    static_assert(sizeof(E) <= kMaxMessage && std::is_trivially_copyable_v<E>);
    return tryPush(&e, sizeof(E));
  }

  uint64_t pushed() const noexcept { return head_; }
  /// Messages pushed but not yet taken by the consumer.
  uint64_t depth() const noexcept { return head_ - view_.consumer->pos.load(std::memory_order_relaxed); }
  const std::string& name() const noexcept { return seg_.name(); }

 private:
  static SegmentHeader makeHeader(uint64_t capacity) {
    if (capacity < 2 || !std::has_single_bit(capacity))
      throw std::invalid_argument("queue capacity must be a power of two >= 2, got " + std::to_string(capacity));
    SegmentHeader h{};
    h.magic = kSegmentMagic;
    h.layout_version = kLayoutVersion;
    h.schema_version = common::kSchemaVersion;
    h.kind = SegmentKind::SpscQueue;
    h.slot_bytes = SlotBytes;
    h.capacity = capacity;
    h.epoch = newEpoch();
    h.total_bytes = 192 + static_cast<size_t>(SlotBytes) * capacity;
    return h;
  }
  ShmSegment seg_;
  SpscView<SlotBytes> view_{};
  uint64_t head_ = 0;
};

/// The consumer side; attaches to a producer's segment and resumes where the last consumer
/// of this segment stopped (a restarted executor does not re-read or skip orders).
template <uint32_t SlotBytes>
class SpscConsumer {
 public:
  explicit SpscConsumer(const std::string& name, int timeout_ms = 5000)
      : seg_(ShmSegment::open(name, {SegmentKind::SpscQueue, SlotBytes, common::kSchemaVersion}, timeout_ms)) {
    view_ = SpscView<SlotBytes>::over(seg_.base());
    tail_ = view_.consumer->pos.load(std::memory_order_acquire);
    // A consumer killed between releasing a slot and saving its position left tail one
    // behind: skip slots already marked consumed for their lap.
    while (view_.at(tail_).turn.load(std::memory_order_acquire) == 2 * view_.lap(tail_) + 2) ++tail_;
    view_.consumer->pos.store(tail_, std::memory_order_relaxed);
  }
  SpscConsumer(const SpscConsumer&) = delete;
  SpscConsumer& operator=(const SpscConsumer&) = delete;

  /// Copies the next message into out (SlotBytes - 8 bytes). False when empty.
  [[nodiscard]] bool tryPop(void* out) noexcept { return popInto(out, SlotBytes - 8); }
  template <class E>
  [[nodiscard]] bool tryPop(E& e) noexcept {
    static_assert(sizeof(E) <= SlotBytes - 8 && std::is_trivially_copyable_v<E>);
    return popInto(&e, sizeof(E));
  }

  bool empty() const noexcept {
    return view_.at(tail_).turn.load(std::memory_order_acquire) != 2 * view_.lap(tail_) + 1;
  }
  uint64_t popped() const noexcept { return tail_; }
  uint32_t producerPid() const noexcept { return view_.header->owner_pid; }
  uint64_t epoch() const noexcept { return view_.header->epoch; }
  bool producerReplaced() const noexcept { return seg_.replaced(); }
  const std::string& name() const noexcept { return seg_.name(); }

 private:
  bool popInto(void* out, size_t size) noexcept {
    auto& slot = view_.at(tail_);
    if (slot.turn.load(std::memory_order_acquire) != 2 * view_.lap(tail_) + 1) return false;
    std::memcpy(out, slot.bytes, size);
    // Why release: our reads of the slot must finish before the producer may reuse it.
    slot.turn.store(2 * view_.lap(tail_) + 2, std::memory_order_release);
    ++tail_;
    view_.consumer->pos.store(tail_, std::memory_order_relaxed);
    return true;
  }

  ShmSegment seg_;
  SpscView<SlotBytes> view_{};
  uint64_t tail_ = 0;
};

using OrderQueueProducer = SpscProducer<kOrderSlotBytes>;
using OrderQueueConsumer = SpscConsumer<kOrderSlotBytes>;

}  // namespace hft::data_store
