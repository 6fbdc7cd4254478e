#pragma once
// A fixed table of per-order slots keyed by our client order id, for the order gateways:
// open addressing with linear probing (Fibonacci hashing: ids are sequential) and
// backward-shift deletion, sized at construction, at most half full. No allocation after
// construction. `Slot` is a trivially copyable struct whose `id` member is the key (0 = empty).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "common/Ids.h"

namespace hft::execution_engine::gateways {

template <class Slot>
class ClientIdTable {
 public:
  /// Holds up to capacity/2 entries; capacity a power of two >= 2. `what` names the table in
  /// the error.
  ClientIdTable(size_t capacity, const char* what) : mask_(capacity - 1), slots_(std::make_unique<Slot[]>(capacity)) {
    if (capacity < 2 || (capacity & (capacity - 1)) != 0)
      throw std::invalid_argument(std::string(what) + ": capacity must be a power of two");
  }

  /// The slot of `id`, created (with only its id set) when absent; nullptr when the id is 0 or
  /// the table is full.
  Slot* claim(common::ClientOrderId id) noexcept {
    if (id == 0) return nullptr;
    size_t i = home(id);
    while (slots_[i].id != 0 && slots_[i].id != id) i = (i + 1) & mask_;
    if (slots_[i].id == 0) {
      if (size_ >= (mask_ + 1) / 2) return nullptr;
      ++size_;
      slots_[i].id = id;
    }
    return &slots_[i];
  }
  const Slot* find(common::ClientOrderId id) const noexcept {
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
    slots_[hole] = Slot{};
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
    return static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
  }
  size_t mask_;
  std::unique_ptr<Slot[]> slots_;
  size_t size_ = 0;
};

}  // namespace hft::execution_engine::gateways
