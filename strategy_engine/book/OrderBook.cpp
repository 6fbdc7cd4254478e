#include "strategy_engine/book/OrderBook.h"

#include <algorithm>
#include <cstdint>

namespace hft::strategy_engine {

using common::BookLevel;
using common::Side;

OrderBook::OrderBook(int64_t tick, uint32_t windowLog2)
    : grid_(tick), sides_{BookSide(windowLog2), BookSide(windowLog2)} {}

bool OrderBook::setLevel(Side side, int64_t price, int64_t qty) noexcept {
  int64_t t;
  if (qty < 0 || !grid_.toTicks(price, t) || (side != Side::Buy && side != Side::Sell)) return false;
  // The side of the next update of a batch is hard to predict: select by index, not branch.
  const bool ask = side == Side::Sell;
  sides_[ask].set(ask ? -t : t, qty);
  return true;
}

ApplyStatus OrderBook::apply(const common::BookDelta& delta) noexcept {
  if (delta.count > common::BookDelta::kMaxLevels) [[unlikely]] {
    ++badEvents_;
    return ApplyStatus::BadEvent;
  }
  if (delta.flags & common::BookDelta::kClearBook) clear();
  uint32_t rejected = 0;
  for (uint16_t i = 0; i < delta.count; ++i) {
    const common::PriceLevelUpdate& u = delta.levels[i];
    rejected += !setLevel(u.side, u.price, u.qty);
  }
  lastUpdateId_ = delta.last_update_id;
  midBatch_ = (delta.flags & common::BookDelta::kContinuation) != 0;
  rejected_ += rejected;
  return rejected ? ApplyStatus::LevelsRejected : ApplyStatus::Ok;
}

ApplyStatus OrderBook::apply(const common::BookSnapshot& snapshot) noexcept {
  clear();
  uint32_t rejected = 0;
  const uint16_t nb = std::min(snapshot.bid_count, common::BookSnapshot::kDepth);
  const uint16_t na = std::min(snapshot.ask_count, common::BookSnapshot::kDepth);
  for (uint16_t i = 0; i < nb; ++i)
    if (snapshot.bids[i].qty != 0) rejected += !setLevel(Side::Buy, snapshot.bids[i].price, snapshot.bids[i].qty);
  for (uint16_t i = 0; i < na; ++i)
    if (snapshot.asks[i].qty != 0) rejected += !setLevel(Side::Sell, snapshot.asks[i].price, snapshot.asks[i].qty);
  lastUpdateId_ = snapshot.last_update_id;
  midBatch_ = false;
  rejected_ += rejected;
  return rejected ? ApplyStatus::LevelsRejected : ApplyStatus::Ok;
}

void OrderBook::clear() noexcept {
  for (BookSide& s : sides_) s.clear();
}

BookLevel OrderBook::nth(const BookSide& s, int64_t sign, uint32_t i) const noexcept {
  BookLevel out{0, 0};
  if (i >= s.levels()) return out;
  uint32_t k = 0;
  s.visit(i + 1, [&](int64_t key, int64_t qty) {
    if (k++ == i) out = {grid_.toPrice(sign * key), qty};
  });
  return out;
}

int64_t OrderBook::qtyAt(Side side, int64_t price) const noexcept {
  int64_t t;
  if (!grid_.toTicks(price, t)) return 0;
  if (side == Side::Buy) return bids().qtyAt(t);
  if (side == Side::Sell) return asks().qtyAt(-t);
  return 0;
}

int64_t OrderBook::depth(Side side, uint32_t nLevels) const noexcept {
  if (side != Side::Buy && side != Side::Sell) return 0;
  int64_t sum = 0;
  (side == Side::Buy ? bids() : asks()).visit(nLevels, [&](int64_t, int64_t qty) { sum += qty; });
  return sum;
}

double OrderBook::microprice() const noexcept {
  if (bids().empty() || asks().empty()) return 0.0;
  const auto bidPx = static_cast<double>(grid_.toPrice(bids().bestKey()));
  const auto askPx = static_cast<double>(grid_.toPrice(-asks().bestKey()));
  const auto bidQty = static_cast<double>(bids().bestQty());
  const auto askQty = static_cast<double>(asks().bestQty());
  return (bidPx * askQty + askPx * bidQty) / (bidQty + askQty);
}

uint32_t OrderBook::levelCount(Side side) const noexcept {
  return side == Side::Buy ? bids().levels() : side == Side::Sell ? asks().levels() : 0;
}

OrderBookStats OrderBook::stats() const noexcept {
  return {rejected_, badEvents_, bids().farLevelsIgnored() + asks().farLevelsIgnored(),
          bids().evictedLevels() + asks().evictedLevels(), bids().windowMoves() + asks().windowMoves()};
}

}  // namespace hft::strategy_engine
