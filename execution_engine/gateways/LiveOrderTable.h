#pragma once
// The orders this gateway sent that have not been seen in a final state (filled, canceled,
// rejected, expired): after a user-stream reconnect, each one missing from the venue's open
// orders changed while we were not listening and is queried. Open addressing with linear
// probing and backward-shift deletion in a table sized at construction: no allocation after.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include "common/Ids.h"

namespace hft::execution_engine::gateways {

struct LiveOrder {
  common::ClientOrderId id = 0;  ///< 0 = empty slot
  common::InstrumentId instrument = 0;
  common::StrategyId strategy = 0;
};

class LiveOrderTable {
 public:
  /// Holds up to capacity/2 orders (load factor 1/2); capacity a power of two.
  explicit LiveOrderTable(size_t capacity) : mask_(capacity - 1), slots_(std::make_unique<LiveOrder[]>(capacity)) {
    if (capacity < 2 || (capacity & (capacity - 1)) != 0) throw std::invalid_argument("LiveOrderTable: capacity must be a power of two");
  }

  /// false when full (the order is then not tracked: a reconnect will not query it).
  bool insert(common::ClientOrderId id, common::InstrumentId instrument, common::StrategyId strategy) noexcept {
    if (id == 0) return false;
    size_t i = home(id);
    while (slots_[i].id != 0 && slots_[i].id != id) i = (i + 1) & mask_;
    if (slots_[i].id == 0) {
      if (size_ >= (mask_ + 1) / 2) return false;
      ++size_;
    }
    slots_[i] = {id, instrument, strategy};
    return true;
  }
  const LiveOrder* find(common::ClientOrderId id) const noexcept {
    if (id == 0) return nullptr;
    for (size_t i = home(id); slots_[i].id != 0; i = (i + 1) & mask_)
      if (slots_[i].id == id) return &slots_[i];
    return nullptr;
  }
  void erase(common::ClientOrderId id) noexcept {
    if (id == 0) return;
    size_t i = home(id);
    while (slots_[i].id != id) {
      if (slots_[i].id == 0) return;
      i = (i + 1) & mask_;
    }
    // Backward shift: move later members of the probe run into the hole when their home allows.
    size_t hole = i;
    for (size_t j = (i + 1) & mask_; slots_[j].id != 0; j = (j + 1) & mask_) {
      const size_t h = home(slots_[j].id);
      const bool movable = hole <= j ? (h <= hole || h > j) : (h <= hole && h > j);
      if (movable) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole] = LiveOrder{};
    --size_;
  }
  size_t size() const noexcept { return size_; }
  template <class Fn>
  void forEach(Fn&& fn) const noexcept {
    for (size_t i = 0; i <= mask_; ++i)
      if (slots_[i].id != 0) fn(slots_[i]);
  }

 private:
  size_t home(common::ClientOrderId id) const noexcept {
    uint64_t x = id * 0x9E3779B97F4A7C15ull;  // Fibonacci hashing: ids are sequential
    return static_cast<size_t>(x >> 32) & mask_;
  }
  size_t mask_;
  std::unique_ptr<LiveOrder[]> slots_;
  size_t size_ = 0;
};

}  // namespace hft::execution_engine::gateways
