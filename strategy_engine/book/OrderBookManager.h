#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "strategy_engine/book/OrderBook.h"

namespace hft::strategy_engine {

/// The books of many instruments, indexed by instrument id, fed from the bus. All books are
/// built by the constructor (each holds 2 * 2^windowLog2 quantities: 1 MiB at the default);
/// onEvent and book() are noexcept and never allocate. One thread (the strategy thread).
class OrderBookManager {
 public:
  /// One book per instrument of the registry, with its tick size.
  explicit OrderBookManager(const config::InstrumentRegistry& registry,
                            uint32_t windowLog2 = OrderBook::kDefaultWindowLog2);
  /// One book per (instrument id, tick size). Throws std::invalid_argument on id 0, an id
  /// above InstrumentRegistry::kMaxId, a duplicate id, or a tick <= 0.
  explicit OrderBookManager(const std::vector<std::pair<common::InstrumentId, int64_t>>& ticks,
                            uint32_t windowLog2 = OrderBook::kDefaultWindowLog2);

  /// Applies a BookDelta or BookSnapshot to its instrument's book and returns that book;
  /// nullptr for other event types, unknown instruments and malformed BookDeltas (count above
  /// kMaxLevels, counted by the book; header.size shorter than the count says, counted here),
  /// which change nothing.
  const OrderBook* onEvent(const common::EventHeader& event) noexcept;
  /// nullptr when the instrument has no book.
  const OrderBook* book(common::InstrumentId id) const noexcept {
    return id < slotById_.size() && slotById_[id] != 0 ? &books_[slotById_[id] - 1] : nullptr;
  }
  size_t size() const noexcept { return books_.size(); }
  /// Book events naming an instrument without a book.
  uint64_t unknownInstrumentEvents() const noexcept { return unknown_; }
  /// BookDeltas whose header.size is too short for their count.
  uint64_t malformedEvents() const noexcept { return malformed_; }

 private:
  void add(common::InstrumentId id, int64_t tick, uint32_t windowLog2);

  std::vector<OrderBook> books_;
  std::vector<uint32_t> slotById_;  // id -> 1 + index into books_; 0 = no book
  uint64_t unknown_ = 0;
  uint64_t malformed_ = 0;
};

}  // namespace hft::strategy_engine
