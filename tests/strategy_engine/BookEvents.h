#pragma once
// Builders of book events for the strategy_engine tests: headers made by the production
// makeHeader, so sizes and types are what a publisher would send.
#include <initializer_list>

#include "common/Events.h"

namespace hft::test {

struct Lvl {
  common::Side side;
  int64_t price;
  int64_t qty;
};

inline common::BookDelta delta(std::initializer_list<Lvl> levels, uint16_t flags = 0, uint64_t updateId = 0,
                               common::InstrumentId instrument = 1) {
  common::BookDelta d{};
  for (const Lvl& l : levels) {
    d.levels[d.count++] = common::PriceLevelUpdate{l.price, l.qty, l.side, {}};
  }
  d.header = common::makeHeader<common::BookDelta>(common::ExchangeId::Simulated, instrument, 1, 1,
                                                   common::BookDelta::sizeFor(d.count));
  d.flags = flags;
  d.first_update_id = d.last_update_id = updateId;
  return d;
}

inline common::BookSnapshot snapshot(std::initializer_list<common::BookLevel> bids,
                                     std::initializer_list<common::BookLevel> asks, uint64_t updateId = 0,
                                     common::InstrumentId instrument = 1) {
  common::BookSnapshot s{};
  s.header = common::makeHeader<common::BookSnapshot>(common::ExchangeId::Simulated, instrument, 1, 1);
  for (const auto& l : bids) s.bids[s.bid_count++] = l;
  for (const auto& l : asks) s.asks[s.ask_count++] = l;
  s.last_update_id = updateId;
  return s;
}

inline bool sameLevel(const common::BookLevel& a, const common::BookLevel& b) {
  return a.price == b.price && a.qty == b.qty;
}

}  // namespace hft::test
