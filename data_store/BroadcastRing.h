#pragma once
// Single-producer, multi-consumer broadcast ring of bus events in shared memory.
//
// Segment layout (offsets in bytes):
//   0    SegmentHeader            written once by the producer (magic, versions, epoch, ...)
//   64   ProducerLine             producer-owned: last published sequence, heartbeat, closed
//   128  WakeSignal               doorbell for blocking consumers
//   192  Slot[capacity]           SlotBytes each, cache-line aligned
//
// Each slot holds one whole event. The event's first word (EventHeader::sequence) doubles as
// the slot's sequence stamp, so the word a consumer spins on shares a cache line with the
// payload: one cache-line transfer per small message, nothing else shared per message.
//
// Protocol (a seqlock per slot, in the fence-free form of Boehm, "Can seqlocks get along
// with programming language memory models?", so ThreadSanitizer understands it too):
//   producer: stamp = seq|kWriting; payload words (release stores); stamp = seq (release)
//   consumer: s1 = stamp (acquire); if s1 == want: payload words (acquire loads); s2 = stamp;
//             s2 == s1 -> a whole, untorn message; otherwise it was overwritten mid-copy.
// Payload words are atomic accesses, so a racing overwrite is defined behaviour, detected by
// the second stamp read and never delivered. On x86 all of these are plain movs.
// The producer never waits for consumers; a consumer that falls a lap behind notices the
// newer stamp, jumps to the newest message and reports how many it lost.
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/Events.h"
#include "data_store/ShmSegment.h"
#include "data_store/WakeSignal.h"

namespace hft::data_store {

/// Slot size of the market-data ring: holds the largest event (a full BookDelta).
inline constexpr uint32_t kMarketDataSlotBytes = 512;
/// Slot size of the execution-report ring (ExecutionReport, BalanceUpdate, PositionUpdate).
inline constexpr uint32_t kExecSlotBytes = 256;
static_assert(common::kMaxEventSize <= kMarketDataSlotBytes);
static_assert(sizeof(common::ExecutionReport) <= kExecSlotBytes);

/// Producer-owned cache line of a ring. Readers only look at it when joining, when lapped,
/// and from monitors.
struct alignas(64) ProducerLine {
  std::atomic<uint64_t> last_published{0};  ///< sequence of the newest complete message
  std::atomic<int64_t> heartbeat_ns{0};     ///< producer's last sign of life (wall clock)
  std::atomic<uint32_t> closed{0};          ///< 1 after a clean producer shutdown
};
static_assert(sizeof(ProducerLine) == 64);

inline constexpr size_t kRingHeaderBytes = 192;
inline constexpr uint64_t kWritingBit = 1ull << 63;

inline size_t ringSegmentBytes(uint32_t slotBytes, uint64_t capacity) noexcept {
  return kRingHeaderBytes + static_cast<size_t>(slotBytes) * capacity;
}

enum class ReadStatus : uint8_t {
  Empty = 0,   ///< nothing new yet
  Ok = 1,      ///< one message copied out
  Lapped = 2,  ///< the producer overran this consumer; cursor moved to the newest message
};

/// Where a new consumer starts reading.
enum class StartAt : uint8_t {
  Live = 0,    ///< only messages published after it attached
  Oldest = 1,  ///< everything still in the ring
};

template <uint32_t SlotBytes>
struct RingView {
  static_assert(SlotBytes % 64 == 0 && SlotBytes >= 64, "slots are whole cache lines");
  static_assert(SlotBytes >= sizeof(common::EventHeader));
  struct alignas(64) Slot {
    uint64_t words[SlotBytes / 8];
  };
  static_assert(sizeof(Slot) == SlotBytes);

  SegmentHeader* header = nullptr;
  ProducerLine* producer = nullptr;
  WakeSignal* wake = nullptr;
  Slot* slots = nullptr;
  uint64_t mask = 0;

  static RingView over(void* base) noexcept {
    auto* b = static_cast<unsigned char*>(base);
    RingView v;
    v.header = reinterpret_cast<SegmentHeader*>(b);
    v.producer = reinterpret_cast<ProducerLine*>(b + 64);
    v.wake = reinterpret_cast<WakeSignal*>(b + 128);
    v.slots = reinterpret_cast<Slot*>(b + kRingHeaderBytes);
    v.mask = v.header->capacity - 1;
    return v;
  }
  static std::atomic_ref<uint64_t> word(Slot& s, size_t i) noexcept { return std::atomic_ref<uint64_t>(s.words[i]); }
};

/// The single writer of a broadcast ring. Not thread-safe: one thread publishes.
template <uint32_t SlotBytes>
class BroadcastPublisher {
 public:
  /// Creates /dev/shm/<name> with `capacity` slots (a power of two). Throws on failure,
  /// including when a live process already owns the name.
  BroadcastPublisher(const std::string& name, uint64_t capacity, const ShmOptions& opts = {})
      : seg_(ShmSegment::create(name, makeHeader(capacity), opts)) {
    view_ = RingView<SlotBytes>::over(seg_.base());
    new (view_.producer) ProducerLine();
    new (view_.wake) WakeSignal();
    // Slots start zeroed (fresh tmpfs pages): stamp 0 means "never written".
    readyFlag(*view_.header).store(kSegmentLive, std::memory_order_release);
  }
  ~BroadcastPublisher() {
    if (view_.producer) {
      view_.producer->closed.store(1, std::memory_order_release);
      seg_.markReleased();
      view_.wake->ring();
    }
  }
  BroadcastPublisher(const BroadcastPublisher&) = delete;
  BroadcastPublisher& operator=(const BroadcastPublisher&) = delete;

  /// Ring the doorbell on every publish so blocking consumers wake at once. Costs a full
  /// fence per message: enable only when some consumer uses the blocking wait strategy.
  void setNotify(bool on) noexcept { notify_ = on; }

  /// Publishes `size` bytes (a whole event, size a multiple of 8 and <= SlotBytes). The first
  /// word of `msg` is ignored: it is replaced by the assigned sequence, which is returned.
  uint64_t publish(const void* msg, uint32_t size) noexcept {
    const uint64_t seq = ++next_;
    auto& slot = view_.slots[seq & view_.mask];
    auto stamp = RingView<SlotBytes>::word(slot, 0);
    stamp.store(seq | kWritingBit, std::memory_order_relaxed);
    // Why release on each payload word: a reader that sees any new payload word must also see
    // the "writing" mark stored before it. On x86 a release store is a plain mov.
    const auto* src = static_cast<const uint64_t*>(msg);
    const uint32_t words = size / 8;
    for (uint32_t i = 1; i < words; ++i) RingView<SlotBytes>::word(slot, i).store(src[i], std::memory_order_release);
    stamp.store(seq, std::memory_order_release);
    view_.producer->last_published.store(seq, std::memory_order_relaxed);
    if (notify_) view_.wake->ring();
    return seq;
  }

  /// Typed publish: stamps e.header.sequence with the assigned sequence.
  template <class E>
  uint64_t publish(E& e) noexcept {
    static_assert(sizeof(E) % 8 == 0 && sizeof(E) <= SlotBytes);
    e.header.sequence = publish(&e, e.header.size);
    return e.header.sequence;
  }

  uint64_t lastSequence() const noexcept { return next_; }
  void heartbeat(int64_t nowNs) noexcept { view_.producer->heartbeat_ns.store(nowNs, std::memory_order_relaxed); }
  uint64_t epoch() const noexcept { return view_.header->epoch; }
  uint64_t capacity() const noexcept { return view_.mask + 1; }
  const std::string& name() const noexcept { return seg_.name(); }

 private:
  static SegmentHeader makeHeader(uint64_t capacity) {
    if (capacity < 2 || !std::has_single_bit(capacity))
      throw std::invalid_argument("ring capacity must be a power of two >= 2, got " + std::to_string(capacity));
    SegmentHeader h{};
    h.magic = kSegmentMagic;
    h.layout_version = kLayoutVersion;
    h.schema_version = common::kSchemaVersion;
    h.kind = SegmentKind::BroadcastRing;
    h.slot_bytes = SlotBytes;
    h.capacity = capacity;
    h.epoch = newEpoch();
    h.total_bytes = ringSegmentBytes(SlotBytes, capacity);
    return h;
  }

  ShmSegment seg_;
  RingView<SlotBytes> view_{};
  uint64_t next_ = 0;
  bool notify_ = false;
};

/// One reader of a broadcast ring with its own cursor. Not thread-safe: one thread reads.
/// Readers never write to the ring, so a reader killed at any instant harms nobody.
template <uint32_t SlotBytes>
class BroadcastSubscriber {
 public:
  /// Opens /dev/shm/<name>, waiting up to timeout_ms for the producer to create it. Throws
  /// with both versions named when the segment's layout or schema differs from ours.
  explicit BroadcastSubscriber(const std::string& name, StartAt start = StartAt::Live, int timeout_ms = 5000)
      : seg_(ShmSegment::open(name, {SegmentKind::BroadcastRing, SlotBytes, common::kSchemaVersion}, timeout_ms)) {
    view_ = RingView<SlotBytes>::over(seg_.base());
    const uint64_t last = view_.producer->last_published.load(std::memory_order_acquire);
    if (start == StartAt::Live || last <= view_.mask) {
      next_ = start == StartAt::Live ? last + 1 : 1;
    } else {
      // Keep a quarter ring of margin: the oldest slots are the next to be overwritten.
      next_ = last - view_.mask + (view_.mask + 1) / 4;
    }
  }
  BroadcastSubscriber(const BroadcastSubscriber&) = delete;
  BroadcastSubscriber& operator=(const BroadcastSubscriber&) = delete;

  /// Copies the next message into `out` (SlotBytes, 8-aligned). On Lapped, `lost` holds the
  /// number of messages skipped and the cursor sits on the newest message; nothing is copied.
  ReadStatus tryRead(void* out, uint64_t& lost) noexcept {
    auto& slot = view_.slots[next_ & view_.mask];
    auto stamp = RingView<SlotBytes>::word(slot, 0);
    const uint64_t s1 = stamp.load(std::memory_order_acquire);
    if (s1 != next_) {
      // An older stamp (or our sequence still being written) means not yet published.
      if ((s1 & ~kWritingBit) <= next_) return ReadStatus::Empty;
      return onLapped(s1, lost);
    }
    auto* dst = static_cast<uint64_t*>(out);
    dst[0] = s1;
    // Why acquire on each payload word: the stamp re-check below must not be reordered before
    // them, and if one of them saw an overwrite, the re-check must see its "writing" mark.
    // On x86 an acquire load is a plain mov.
    const uint64_t w1 = RingView<SlotBytes>::word(slot, 1).load(std::memory_order_acquire);
    dst[1] = w1;
    // EventHeader::size lives in bytes 10..11 of the slot (word 1, bits 16..31).
    uint32_t words = static_cast<uint32_t>((w1 >> 16) & 0xFFFF) / 8;
    if (words > SlotBytes / 8) words = SlotBytes / 8;  // torn size: the stamp check rejects it
    for (uint32_t i = 2; i < words; ++i) dst[i] = RingView<SlotBytes>::word(slot, i).load(std::memory_order_acquire);
    const uint64_t s2 = stamp.load(std::memory_order_relaxed);
    if (s2 != s1) return onLapped(s2, lost);
    ++next_;
    return ReadStatus::Ok;
  }

  /// Reads up to `budget` messages into handler(const EventHeader&). On a lap the handler
  /// gets a Gap event (reason ConsumerLapped) first. Returns the number of handler calls.
  template <class Handler>
  int poll(Handler&& handler, int budget = 64) noexcept {
    int n = 0;
    while (n < budget) {
      uint64_t lost = 0;
      const ReadStatus st = tryRead(buf_, lost);
      if (st == ReadStatus::Empty) break;
      if (st == ReadStatus::Lapped) {
        common::Gap gap{};
        gap.header = common::makeHeader<common::Gap>(common::ExchangeId::None, 0, 0, 0);
        gap.header.sequence = next_;
        gap.lost_count = lost;
        gap.reason = common::GapReason::ConsumerLapped;
        // Delivered from the slot-sized buffer like any event, so a handler may look at it
        // through any event type after checking header.type.
        std::memcpy(buf_, &gap, sizeof gap);
        handler(*reinterpret_cast<const common::EventHeader*>(buf_));
      } else {
        handler(*reinterpret_cast<const common::EventHeader*>(buf_));
      }
      ++n;
    }
    return n;
  }

  /// True if a message is ready at the cursor (or we were lapped). Cheap: one load.
  bool hasData() const noexcept {
    auto& slot = view_.slots[next_ & view_.mask];
    const uint64_t s = RingView<SlotBytes>::word(slot, 0).load(std::memory_order_acquire);
    return s == next_ || (s & ~kWritingBit) > next_;
  }

  /// Blocks up to timeout_ns until hasData() (blocking wait strategy).
  void waitForData(int64_t timeout_ns) noexcept {
    view_.wake->wait([this] { return hasData(); }, timeout_ns);
  }

  uint64_t cursor() const noexcept { return next_; }  ///< sequence of the next message to read
  uint64_t lostTotal() const noexcept { return lost_total_; }
  uint64_t producerSequence() const noexcept { return view_.producer->last_published.load(std::memory_order_relaxed); }
  /// Messages published but not yet read.
  uint64_t lag() const noexcept {
    const uint64_t p = producerSequence();
    return p >= next_ ? p - next_ + 1 : 0;
  }
  bool producerClosed() const noexcept { return view_.producer->closed.load(std::memory_order_acquire) != 0; }
  uint32_t producerPid() const noexcept { return view_.header->owner_pid; }
  int64_t producerHeartbeatNs() const noexcept { return view_.producer->heartbeat_ns.load(std::memory_order_relaxed); }
  uint64_t epoch() const noexcept { return view_.header->epoch; }
  /// Idle-path check (one stat): the producer restarted and made a new segment, or removed it.
  bool producerReplaced() const noexcept { return seg_.replaced(); }
  const std::string& name() const noexcept { return seg_.name(); }

 private:
  /// `observed` is the newer stamp found in our slot: the producer is at least that far.
  ReadStatus onLapped(uint64_t observed, uint64_t& lost) noexcept {
    uint64_t newest = view_.producer->last_published.load(std::memory_order_acquire);
    const uint64_t seen = observed & ~kWritingBit;
    // The stamp can be visible before last_published; a stamp still being written means the
    // newest complete message is the one before it.
    const uint64_t fromStamp = (observed & kWritingBit) ? seen - 1 : seen;
    if (fromStamp > newest) newest = fromStamp;
    lost = newest - next_;
    next_ = newest;
    lost_total_ += lost;
    return ReadStatus::Lapped;
  }

  ShmSegment seg_;
  RingView<SlotBytes> view_{};
  uint64_t next_ = 1;
  uint64_t lost_total_ = 0;
  alignas(64) uint64_t buf_[SlotBytes / 8]{};
};

using MarketDataPublisher = BroadcastPublisher<kMarketDataSlotBytes>;
using MarketDataSubscriber = BroadcastSubscriber<kMarketDataSlotBytes>;
using ExecPublisher = BroadcastPublisher<kExecSlotBytes>;
using ExecSubscriber = BroadcastSubscriber<kExecSlotBytes>;

}  // namespace hft::data_store
