#pragma once
// The best bid and ask of one instrument as last seen, from its L2 book or its BBO stream,
// whichever updated last. Strategies that only need the top keep one of these so that both
// market-data shapes drive them the same way.
#include <cstdint>

#include "common/Events.h"
#include "strategy_engine/book/OrderBook.h"

namespace hft::strategies {

struct Touch {
  int64_t bid = 0;
  int64_t bid_qty = 0;  ///< 0 when the side is empty or unknown
  int64_t ask = 0;
  int64_t ask_qty = 0;

  void set(const common::BestBidOffer& b) noexcept {
    bid = b.bid_price;
    bid_qty = b.bid_price > 0 ? b.bid_qty : 0;
    ask = b.ask_price;
    ask_qty = b.ask_price > 0 ? b.ask_qty : 0;
  }
  void set(const strategy_engine::OrderBook& b) noexcept {
    const common::BookLevel bb = b.bestBid(), ba = b.bestAsk();  // {0, 0} for an empty side
    bid = bb.price;
    bid_qty = bb.qty;
    ask = ba.price;
    ask_qty = ba.qty;
  }
  void clear() noexcept { *this = Touch{}; }

  bool twoSided() const noexcept { return bid_qty > 0 && ask_qty > 0; }
  /// The price a taker on `side` trades at (buy: the ask); 0 when that side is empty.
  int64_t far(common::Side side) const noexcept {
    return side == common::Side::Buy ? (ask_qty > 0 ? ask : 0) : (bid_qty > 0 ? bid : 0);
  }
  int64_t farQty(common::Side side) const noexcept { return side == common::Side::Buy ? ask_qty : bid_qty; }
  /// The price a maker on `side` joins (buy: the bid); 0 when that side is empty.
  int64_t near(common::Side side) const noexcept {
    return side == common::Side::Buy ? (bid_qty > 0 ? bid : 0) : (ask_qty > 0 ? ask : 0);
  }
};

}  // namespace hft::strategies
