#include "api/exchanges/binance/BookSync.h"

#include <algorithm>

namespace hft::api::binance {

using common::BookDelta;
using common::BookLevel;

const char* toString(BookSync::State s) noexcept {
  switch (s) {
    case BookSync::State::AwaitingSnapshot: return "awaiting snapshot";
    case BookSync::State::Synced: return "synced";
    case BookSync::State::NeedsResync: return "needs resync";
  }
  return "unknown";
}

const char* toString(BookSync::Result r) noexcept {
  switch (r) {
    case BookSync::Result::Buffered: return "buffered";
    case BookSync::Result::Applied: return "applied";
    case BookSync::Result::Stale: return "stale";
    case BookSync::Result::Gap: return "gap";
    case BookSync::Result::SnapshotTooOld: return "snapshot too old";
  }
  return "unknown";
}

BookSync::BookSync(const Config& config) : config_(config) {
  pending_.reserve(config.maxBufferedDiffs);
  levels_.reserve(config.maxBufferedLevels);
}

void BookSync::reset() noexcept {
  state_ = State::AwaitingSnapshot;
  bookId_ = 0;
  firstAfterSnapshot_ = false;
  pending_.clear();
  levels_.clear();
}

BookSync::Verdict BookSync::judge(uint64_t first, uint64_t last, uint64_t prev) const noexcept {
  const bool spot = config_.market == Market::Spot;
  if (firstAfterSnapshot_) {  // bookId_ is the snapshot's lastUpdateId L
    if (spot ? last <= bookId_ : last < bookId_) return Verdict::Stale;
    return first <= (spot ? bookId_ + 1 : bookId_) ? Verdict::Apply : Verdict::Gap;
  }
  if (last <= bookId_) return Verdict::Stale;  // already applied: a duplicate
  return (spot ? first == bookId_ + 1 : prev == bookId_) ? Verdict::Apply : Verdict::Gap;
}

BookSync::Result BookSync::onDiff(const ParsedDepth& diff, common::TimestampNs receiveTs, Sink emit) noexcept {
  if (state_ != State::Synced) {
    buffer(diff);
    return Result::Buffered;
  }
  switch (judge(diff.first_update_id, diff.last_update_id, diff.prev_update_id)) {
    case Verdict::Stale: return Result::Stale;
    case Verdict::Gap:
      // The book is unusable from here. This diff starts the new buffer: the next snapshot
      // may well fall inside it.
      state_ = State::NeedsResync;
      pending_.clear();
      levels_.clear();
      buffer(diff);
      return Result::Gap;
    case Verdict::Apply: break;
  }
  apply(diff.first_update_id, diff.last_update_id, diff.prev_update_id, diff.event_ns, receiveTs, diff.bids,
        diff.asks, emit);
  return Result::Applied;
}

BookSync::Result BookSync::onSnapshot(const ParsedDepth& snapshot, common::TimestampNs receiveTs,
                                      Sink emit) noexcept {
  const uint64_t lastUpdateId = snapshot.last_update_id;
  // Synced: nothing is buffered; a snapshot no newer than the book adds nothing, a newer one
  // restarts the book from it (the diffs up to it are still in flight and will be stale).
  if (state_ == State::Synced && lastUpdateId <= bookId_) return Result::Stale;

  const uint64_t keptId = bookId_;
  const bool keptFirst = firstAfterSnapshot_;
  bookId_ = lastUpdateId;
  firstAfterSnapshot_ = true;
  size_t next = 0;
  auto verdictAt = [&](size_t i) { return judge(pending_[i].first, pending_[i].last, pending_[i].prev); };
  while (next < pending_.size() && verdictAt(next) == Verdict::Stale) ++next;
  if (next < pending_.size() && verdictAt(next) == Verdict::Gap) {
    // The first diff we still hold starts after the snapshot: the diffs between are lost to
    // us, so this snapshot cannot start the book. The stale ones go; the rest wait.
    eraseFront(next);
    bookId_ = keptId;
    firstAfterSnapshot_ = keptFirst;
    return Result::SnapshotTooOld;
  }

  state_ = State::Synced;
  const auto header = common::makeHeader<BookDelta>(config_.exchange, config_.instrument, snapshot.event_ns,
                                                    receiveTs);
  emitChain(header, lastUpdateId, lastUpdateId, 0, snapshot.bids, snapshot.asks, BookDelta::kClearBook,
            BookDelta::kFromSnapshot, emit);
  for (; next < pending_.size(); ++next) {
    const Buffered& b = pending_[next];
    const Verdict v = verdictAt(next);
    if (v == Verdict::Stale) continue;
    if (v == Verdict::Gap) {
      state_ = State::NeedsResync;
      eraseFront(next);
      return Result::Gap;
    }
    const BookLevel* lv = levels_.data() + b.levelBegin;
    apply(b.first, b.last, b.prev, b.exchangeTs, receiveTs, {lv, b.bidCount}, {lv + b.bidCount, b.askCount}, emit);
  }
  pending_.clear();
  levels_.clear();
  return Result::Applied;
}

void BookSync::apply(uint64_t first, uint64_t last, uint64_t prev, common::TimestampNs exchangeTs,
                     common::TimestampNs receiveTs, std::span<const BookLevel> bids, std::span<const BookLevel> asks,
                     Sink emit) noexcept {
  const auto header = common::makeHeader<BookDelta>(config_.exchange, config_.instrument, exchangeTs, receiveTs);
  emitChain(header, first, last, prev, bids, asks, 0, 0, emit);
  bookId_ = last;
  firstAfterSnapshot_ = false;
}

void BookSync::buffer(const ParsedDepth& diff) noexcept {
  const size_t need = diff.bids.size() + diff.asks.size();
  if (need > config_.maxBufferedLevels) {
    // Cannot be held at all. Everything before it is useless without it; a later snapshot
    // will be judged against what follows (and found too old if it predates this diff).
    droppedForSpace_ += pending_.size() + 1;
    pending_.clear();
    levels_.clear();
    return;
  }
  while (pending_.size() >= config_.maxBufferedDiffs || levels_.size() + need > config_.maxBufferedLevels) {
    eraseFront(1);  // the oldest are the first a snapshot would find stale anyway
    ++droppedForSpace_;
  }
  pending_.push_back({diff.first_update_id, diff.last_update_id, diff.prev_update_id, diff.event_ns,
                      static_cast<uint32_t>(levels_.size()), static_cast<uint32_t>(diff.bids.size()),
                      static_cast<uint32_t>(diff.asks.size())});
  levels_.insert(levels_.end(), diff.bids.begin(), diff.bids.end());  // within the reserved capacity
  levels_.insert(levels_.end(), diff.asks.begin(), diff.asks.end());
}

void BookSync::eraseFront(size_t n) noexcept {
  if (n == 0) return;
  if (n >= pending_.size()) {
    pending_.clear();
    levels_.clear();
    return;
  }
  const uint32_t base = pending_[n].levelBegin;
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
  levels_.erase(levels_.begin(), levels_.begin() + base);
  for (Buffered& b : pending_) b.levelBegin -= base;
}

void BookSync::emitChain(const common::EventHeader& header, uint64_t first, uint64_t last, uint64_t prev,
                         std::span<const BookLevel> bids, std::span<const BookLevel> asks, uint16_t firstFlags,
                         uint16_t allFlags, Sink emit) noexcept {
  BookDelta d{};
  d.header = header;
  d.first_update_id = first;
  d.last_update_id = last;
  d.prev_update_id = prev;
  uint16_t flags = static_cast<uint16_t>(firstFlags | allFlags);
  uint16_t n = 0;
  auto flush = [&](bool more) {
    d.count = n;
    d.flags = static_cast<uint16_t>(flags | (more ? BookDelta::kContinuation : 0));
    d.header.flags = d.flags;  // mirrored in the header, as every BookDelta producer does
    d.header.size = BookDelta::sizeFor(n);
    emit(d);
    flags = allFlags;
    n = 0;
  };
  const size_t total = bids.size() + asks.size();
  for (size_t i = 0; i < total; ++i) {
    const bool bid = i < bids.size();
    const BookLevel& lv = bid ? bids[i] : asks[i - bids.size()];
    d.levels[n++] = {lv.price, lv.qty, bid ? common::Side::Buy : common::Side::Sell, {}};
    if (n == BookDelta::kMaxLevels && i + 1 < total) flush(true);
  }
  flush(false);
}

}  // namespace hft::api::binance
