#pragma once
// The baseline the broadcast ring is compared with: the least a sequence-per-slot ring can do.
// One writer stores the payload with plain copies, then the slot's sequence word (release);
// a reader waits for the sequence it wants and copies. No seqlock (a reader overtaken
// mid-copy gets a torn message without knowing), no lap detection beyond "a newer sequence
// means I missed some", no header, no version, no notify. Not for production: only to show
// what the real ring's safety costs on the same machine, in the same run.
//
//   Slot (SlotBytes, cache-line aligned): 0 seq (u64) | 8 payload (SlotBytes - 8)
#include <atomic>
#include <cstdint>
#include <cstring>

namespace hft::bench {

template <uint32_t SlotBytes>
struct MinimalRing {
  static_assert(SlotBytes % 64 == 0, "slots are whole cache lines");
  struct alignas(64) Slot {
    std::atomic<uint64_t> seq;
    unsigned char payload[SlotBytes - 8];
  };
  static_assert(sizeof(Slot) == SlotBytes);

  /// `memory` holds `capacity` (a power of two) zeroed slots; shared by the writer and readers.
  static Slot* over(void* memory) noexcept { return static_cast<Slot*>(memory); }
  static size_t bytes(uint64_t capacity) noexcept { return SlotBytes * capacity; }

  class Writer {
   public:
    Writer(void* memory, uint64_t capacity) noexcept : slots_(over(memory)), mask_(capacity - 1) {}
    /// `msg` is a whole event: its first 8 bytes (the event's sequence) are not copied.
    void publish(const void* msg, uint32_t size) noexcept {
      Slot& s = slots_[++next_ & mask_];
      std::memcpy(s.payload, static_cast<const unsigned char*>(msg) + 8, size - 8);
      s.seq.store(next_, std::memory_order_release);
    }

   private:
    Slot* slots_;
    uint64_t mask_;
    uint64_t next_ = 0;
  };

  class Reader {
   public:
    Reader(void* memory, uint64_t capacity) noexcept : slots_(over(memory)), mask_(capacity - 1) {}
    /// Copies the next message (its sequence into the first word). False if not yet written.
    [[nodiscard]] bool tryRead(void* out, uint32_t size) noexcept {
      Slot& s = slots_[next_ & mask_];
      const uint64_t seq = s.seq.load(std::memory_order_acquire);
      if (seq < next_) return false;
      lost_ += seq - next_;  // a newer sequence: the writer lapped us
      std::memcpy(static_cast<unsigned char*>(out) + 8, s.payload, size - 8);
      std::memcpy(out, &seq, 8);
      next_ = seq + 1;
      return true;
    }
    uint64_t lost() const noexcept { return lost_; }

   private:
    Slot* slots_;
    uint64_t mask_;
    uint64_t next_ = 1;
    uint64_t lost_ = 0;
  };
};

}  // namespace hft::bench
