#pragma once
// The orders this gateway sent that have not been seen in a final state (filled, canceled,
// rejected, expired): after a user-stream reconnect, each one missing from the venue's open
// orders changed while we were not listening and is queried. A ClientIdTable: no allocation
// after construction.
#include "execution_engine/gateways/ClientIdTable.h"

namespace hft::execution_engine::gateways {

struct LiveOrder {
  common::ClientOrderId id = 0;  ///< 0 = empty slot
  common::InstrumentId instrument = 0;
  common::StrategyId strategy = 0;
};

class LiveOrderTable {
 public:
  /// Holds up to capacity/2 orders (load factor 1/2); capacity a power of two.
  explicit LiveOrderTable(size_t capacity) : table_(capacity, "LiveOrderTable") {}

  /// false when full (the order is then not tracked: a reconnect will not query it).
  bool insert(common::ClientOrderId id, common::InstrumentId instrument, common::StrategyId strategy) noexcept {
    LiveOrder* s = table_.claim(id);
    if (!s) return false;
    *s = {id, instrument, strategy};
    return true;
  }
  const LiveOrder* find(common::ClientOrderId id) const noexcept { return table_.find(id); }
  void erase(common::ClientOrderId id) noexcept { table_.erase(id); }
  size_t size() const noexcept { return table_.size(); }
  template <class Fn>
  void forEach(Fn&& fn) const noexcept {
    table_.forEach(fn);
  }

 private:
  ClientIdTable<LiveOrder> table_;
};

}  // namespace hft::execution_engine::gateways
