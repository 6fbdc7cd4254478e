#pragma once
// Our client order id -> the venue's order uuid (Upbit, Bithumb name orders by UUID text; the
// bus carries api::upbit::venueOrderIdOf(uuid)). Filled from acks, query answers and stream
// events, so logs and tools can name the venue's order, and a cancel or query by uuid is
// possible; erased when the order is final. A ClientIdTable; when full, the insert is refused
// (the uuid is then only in the reports' venue id). No allocation after construction.
#include <cstring>
#include <string_view>

#include "execution_engine/gateways/ClientIdTable.h"

namespace hft::execution_engine::gateways {

class OrderUuidTable {
 public:
  static constexpr size_t kMaxUuidChars = 40;

  /// Holds up to capacity/2 entries; capacity a power of two >= 2.
  explicit OrderUuidTable(size_t capacity) : table_(capacity, "OrderUuidTable") {}

  /// false when full, the id is 0, or the uuid is empty or too long.
  bool insert(common::ClientOrderId id, std::string_view uuid) noexcept {
    if (uuid.empty() || uuid.size() > kMaxUuidChars) return false;
    Slot* s = table_.claim(id);
    if (!s) return false;
    s->len = static_cast<uint8_t>(uuid.size());
    std::memcpy(s->uuid, uuid.data(), uuid.size());
    return true;
  }
  /// "" when unknown.
  std::string_view find(common::ClientOrderId id) const noexcept {
    const Slot* s = table_.find(id);
    return s ? std::string_view(s->uuid, s->len) : std::string_view();
  }
  void erase(common::ClientOrderId id) noexcept { table_.erase(id); }
  size_t size() const noexcept { return table_.size(); }

 private:
  struct Slot {
    common::ClientOrderId id = 0;
    uint8_t len = 0;
    char uuid[kMaxUuidChars];
  };
  ClientIdTable<Slot> table_;
};

}  // namespace hft::execution_engine::gateways
