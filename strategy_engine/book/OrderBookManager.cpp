#include "strategy_engine/book/OrderBookManager.h"

#include <stdexcept>
#include <string>

namespace hft::strategy_engine {

OrderBookManager::OrderBookManager(const config::InstrumentRegistry& registry, uint32_t windowLog2) {
  books_.reserve(registry.all().size());
  for (const config::Instrument& i : registry.all()) add(i.id, i.tick_size, windowLog2);
}

OrderBookManager::OrderBookManager(const std::vector<std::pair<common::InstrumentId, int64_t>>& ticks,
                                   uint32_t windowLog2) {
  books_.reserve(ticks.size());
  for (const auto& [id, tick] : ticks) add(id, tick, windowLog2);
}

void OrderBookManager::add(common::InstrumentId id, int64_t tick, uint32_t windowLog2) {
  if (id == 0 || id > config::InstrumentRegistry::kMaxId)
    throw std::invalid_argument("order book: instrument id out of range: " + std::to_string(id));
  if (id >= slotById_.size()) slotById_.resize(id + 1, 0);
  if (slotById_[id] != 0) throw std::invalid_argument("order book: duplicate instrument id " + std::to_string(id));
  books_.emplace_back(tick, windowLog2);
  slotById_[id] = static_cast<uint32_t>(books_.size());
}

const OrderBook* OrderBookManager::onEvent(const common::EventHeader& event) noexcept {
  if (event.type != common::EventType::BookDelta && event.type != common::EventType::BookSnapshot) return nullptr;
  const OrderBook* b = book(event.instrument_id);
  if (b == nullptr) {
    ++unknown_;
    return nullptr;
  }
  // The only mutable access to a book: books_ is ours, book() hands out const views.
  OrderBook& mb = books_[slotById_[event.instrument_id] - 1];
  if (event.type == common::EventType::BookSnapshot) {
    mb.apply(reinterpret_cast<const common::BookSnapshot&>(event));
    return b;
  }
  const auto& delta = reinterpret_cast<const common::BookDelta&>(event);
  // A delta's levels end at header.size: a count beyond it would read past the event.
  if (delta.count <= common::BookDelta::kMaxLevels && event.size < common::BookDelta::sizeFor(delta.count)) {
    ++malformed_;
    return nullptr;
  }
  return mb.apply(delta) == ApplyStatus::BadEvent ? nullptr : b;
}

}  // namespace hft::strategy_engine
