#pragma once
// Our client order id -> the venue's order uuid (Upbit, Bithumb name orders by UUID text; the
// bus carries api::upbit::venueOrderIdOf(uuid)). Filled from acks, query answers and stream
// events, so logs and tools can name the venue's order, and a cancel or query by uuid is
// possible; erased when the order is final. Open addressing with linear probing and
// backward-shift deletion over a table sized at construction; when full, the insert is refused
// (the uuid is then only in the reports' venue id). No allocation after construction.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "common/Ids.h"

namespace hft::execution_engine::gateways {

class OrderUuidTable {
 public:
  static constexpr size_t kMaxUuidChars = 40;

  /// Holds up to capacity/2 entries; capacity a power of two >= 2.
  explicit OrderUuidTable(size_t capacity) : mask_(capacity - 1), slots_(std::make_unique<Slot[]>(capacity)) {
    if (capacity < 2 || (capacity & (capacity - 1)) != 0) throw std::invalid_argument("OrderUuidTable: capacity must be a power of two");
  }

  /// false when full, the id is 0, or the uuid is empty or too long.
  bool insert(common::ClientOrderId id, std::string_view uuid) noexcept {
    if (id == 0 || uuid.empty() || uuid.size() > kMaxUuidChars) return false;
    size_t i = home(id);
    while (slots_[i].id != 0 && slots_[i].id != id) i = (i + 1) & mask_;
    if (slots_[i].id == 0) {
      if (size_ >= (mask_ + 1) / 2) return false;
      ++size_;
    }
    slots_[i].id = id;
    slots_[i].len = static_cast<uint8_t>(uuid.size());
    std::memcpy(slots_[i].uuid, uuid.data(), uuid.size());
    return true;
  }
  /// "" when unknown.
  std::string_view find(common::ClientOrderId id) const noexcept {
    if (id == 0) return {};
    for (size_t i = home(id); slots_[i].id != 0; i = (i + 1) & mask_)
      if (slots_[i].id == id) return {slots_[i].uuid, slots_[i].len};
    return {};
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

 private:
  struct Slot {
    common::ClientOrderId id = 0;
    uint8_t len = 0;
    char uuid[kMaxUuidChars];
  };
  size_t home(common::ClientOrderId id) const noexcept {
    return static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
  }
  size_t mask_;
  std::unique_ptr<Slot[]> slots_;
  size_t size_ = 0;
};

}  // namespace hft::execution_engine::gateways
