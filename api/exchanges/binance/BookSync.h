#pragma once
// Binance's documented procedure for keeping a local order book in sync with a diff-depth
// stream and a REST snapshot, spot and USD-M variants (summary and differences in
// exchange-samples/binance/local-order-book-procedure.md). Pure sequencing: no I/O, no book.
// It decides which diffs to drop, buffer or apply, and hands out what to publish as chains of
// common::BookDelta; a consumer rebuilds the book from those alone.
//
//   state              diff                                   snapshot (lastUpdateId L)
//   AwaitingSnapshot   buffer                                 drop stale buffered diffs; the first left
//   NeedsResync        buffer                                 must bracket L, else SnapshotTooOld; emit
//                                                             the snapshot, then the buffered diffs -> Synced
//   Synced             first after the snapshot: bracket L;   L <= book id: Stale; else a fresh start
//                      then contiguous, else Gap -> NeedsResync
//
//   rule               spot                                   USD-M
//   stale              u <= L (then u <= book id)             u < L (then u <= book id)
//   first applied      U <= L + 1 <= u                        U <= L <= u
//   contiguous         U == previous u + 1                    pu == previous u
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

#include "api/exchanges/binance/Market.h"
#include "api/exchanges/binance/ParsedMessages.h"
#include "common/events/BookDelta.h"

namespace hft::api::binance {

class BookSync {
 public:
  enum class State : uint8_t {
    AwaitingSnapshot = 1,  ///< buffering diffs until a snapshot arrives (the initial state)
    Synced = 2,            ///< the book is published; diffs are applied as they come
    NeedsResync = 3,       ///< a gap was seen: buffering again until a new snapshot
  };

  /// What onDiff / onSnapshot did.
  enum class Result : uint8_t {
    Buffered = 1,        ///< diff held until a snapshot arrives; nothing emitted
    Applied = 2,         ///< emitted (a snapshot: itself, then every buffered diff that follows it)
    Stale = 3,           ///< older than the book: dropped, nothing emitted (normal around a snapshot)
    Gap = 4,             ///< update ids not contiguous: now NeedsResync. The caller publishes a Gap
                         ///< (GapReason::FeedSequenceGap) and fetches a new snapshot
    SnapshotTooOld = 5,  ///< the snapshot predates the first buffered diff: nothing emitted, fetch another
  };

  /// Receives each BookDelta piece, in order, synchronously. Not owning: a view of any
  /// callable `void(common::BookDelta&)` that outlives the call it is passed to.
  class Sink {
   public:
    template <class F>
      requires(!std::is_same_v<std::remove_cvref_t<F>, Sink> && std::is_invocable_v<F&, common::BookDelta&>)
    Sink(F&& f) noexcept  // implicit on purpose: callers pass a lambda inline
        : obj_(static_cast<void*>(std::addressof(f))),
          fn_([](void* o, common::BookDelta& d) { (*static_cast<std::remove_reference_t<F>*>(o))(d); }) {}
    void operator()(common::BookDelta& d) const { fn_(obj_, d); }

   private:
    void* obj_;
    void (*fn_)(void*, common::BookDelta&);
  };

  struct Config {
    common::ExchangeId exchange = common::ExchangeId::Binance;
    common::InstrumentId instrument = 0;
    Market market = Market::Spot;
    uint32_t maxBufferedDiffs = 4096;       ///< when full, the oldest buffered diff is dropped
    uint32_t maxBufferedLevels = 1u << 16;  ///< levels across all buffered diffs, likewise
  };

  /// Allocates the buffers; nothing allocates afterwards.
  explicit BookSync(const Config& config);

  /// One diff of this instrument (diff.snapshot == false). `receiveTs` stamps what it emits.
  Result onDiff(const ParsedDepth& diff, common::TimestampNs receiveTs, Sink emit) noexcept;

  /// A REST snapshot of this instrument. Everything it emits, buffered diffs included, carries
  /// `receiveTs`: they become usable only now, and receive times stay in order downstream.
  Result onSnapshot(const ParsedDepth& snapshot, common::TimestampNs receiveTs, Sink emit) noexcept;

  /// Forgets the book and the buffer (after a reconnect): AwaitingSnapshot.
  void reset() noexcept;

  State state() const noexcept { return state_; }
  /// Last update id the published book reflects (0 before the first snapshot).
  uint64_t bookUpdateId() const noexcept { return bookId_; }
  /// Buffered diffs waiting for a snapshot.
  size_t buffered() const noexcept { return pending_.size(); }
  /// Buffered diffs dropped because the buffer was full (a snapshot took too long).
  uint64_t droppedForSpace() const noexcept { return droppedForSpace_; }

  /// Publishes bids then asks as BookDelta pieces of at most kMaxLevels levels; every piece
  /// but the last has kContinuation, the first also `firstFlags` (e.g. kClearBook), all of
  /// them `allFlags` (e.g. kFromSnapshot). An empty update is still one piece (its ids count).
  static void emitChain(const common::EventHeader& header, uint64_t first, uint64_t last, uint64_t prev,
                        std::span<const common::BookLevel> bids, std::span<const common::BookLevel> asks,
                        uint16_t firstFlags, uint16_t allFlags, Sink emit) noexcept;

 private:
  enum class Verdict : uint8_t { Apply, Stale, Gap };
  struct Buffered {
    uint64_t first, last, prev;
    common::TimestampNs exchangeTs;
    uint32_t levelBegin, bidCount, askCount;
  };

  Verdict judge(uint64_t first, uint64_t last, uint64_t prev) const noexcept;
  void buffer(const ParsedDepth& diff) noexcept;
  void eraseFront(size_t n) noexcept;  // drops the n oldest buffered diffs
  void apply(uint64_t first, uint64_t last, uint64_t prev, common::TimestampNs exchangeTs,
             common::TimestampNs receiveTs, std::span<const common::BookLevel> bids,
             std::span<const common::BookLevel> asks, Sink emit) noexcept;

  Config config_;
  State state_ = State::AwaitingSnapshot;
  uint64_t bookId_ = 0;
  bool firstAfterSnapshot_ = false;  ///< the next diff must bracket bookId_ (the snapshot's L)
  uint64_t droppedForSpace_ = 0;
  std::vector<Buffered> pending_;            // reserved in the constructor, never grown
  std::vector<common::BookLevel> levels_;    // likewise: levels of pending_, in order
};

const char* toString(BookSync::State s) noexcept;
const char* toString(BookSync::Result r) noexcept;

}  // namespace hft::api::binance
