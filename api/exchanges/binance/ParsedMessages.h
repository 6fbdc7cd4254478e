#pragma once
// What MarketDataParser produces: plain structs with prices and quantities already converted
// to the instrument's fixed-point raws. They live inside the parser and stay valid until its
// next parse() call; depth levels point into the parser's preallocated level arrays.
#include <cstdint>
#include <span>

#include "api/exchanges/binance/Market.h"
#include "common/Ids.h"
#include "common/OrderEnums.h"
#include "common/events/BookSnapshot.h"  // BookLevel

namespace hft::config {
struct Instrument;
}

namespace hft::api::binance {

/// What kind of message parse() recognised.
enum class MessageKind : uint8_t {
  None = 0,           ///< nothing recognised (the parse failed before classification)
  Trade = 1,          ///< `<symbol>@trade`: one trade
  AggTrade = 2,       ///< `<symbol>@aggTrade`: trades of one taker order at one price
  BookTicker = 3,     ///< `<symbol>@bookTicker`: best bid and ask
  DepthUpdate = 4,    ///< `<symbol>@depth`: a diff of absolute level quantities (U..u)
  DepthSnapshot = 5,  ///< REST `GET depth` body (`lastUpdateId,bids,asks`); also the spot partial-depth payload
  Other = 6,          ///< well-formed JSON that is none of the above (markPriceUpdate, kline, replies, ...)
};

const char* toString(MessageKind k) noexcept;

/// trade or aggTrade.
struct ParsedTrade {
  const config::Instrument* instrument;
  Market market;
  common::Side aggressor;       ///< taker side: m=true (buyer is the maker) -> Sell
  bool aggregate;               ///< true for aggTrade
  uint64_t trade_id;            ///< trade: t; aggTrade: a
  uint64_t first_trade_id;      ///< aggTrade: f; trade: t
  uint64_t last_trade_id;       ///< aggTrade: l; trade: t
  int64_t price;                ///< raw at the instrument's price_scale
  int64_t qty;                  ///< raw at the instrument's qty_scale
  common::TimestampNs event_ns; ///< E in ns; 0 when the payload has none
  common::TimestampNs trade_ns; ///< T in ns
};

/// bookTicker. Spot's payload has no event or transaction time (both 0 here).
struct ParsedBookTicker {
  const config::Instrument* instrument;
  Market market;
  uint64_t update_id;  ///< u: the book update id this quote reflects
  int64_t bid_price, bid_qty, ask_price, ask_qty;
  common::TimestampNs event_ns;        ///< E in ns (USD-M); 0 on spot
  common::TimestampNs transaction_ns;  ///< T in ns (USD-M); 0 on spot
};

/// depthUpdate (diff) or a REST snapshot. Levels are in venue order: bids best (highest)
/// first in a snapshot; a diff's levels are absolute new quantities, 0 = remove.
struct ParsedDepth {
  const config::Instrument* instrument;
  Market market;
  bool snapshot;                 ///< true for a REST snapshot: first = last = lastUpdateId
  uint64_t first_update_id;      ///< U
  uint64_t last_update_id;       ///< u
  uint64_t prev_update_id;       ///< pu (USD-M diffs); 0 otherwise
  common::TimestampNs event_ns;  ///< E in ns; 0 when absent (spot snapshots)
  common::TimestampNs transaction_ns;  ///< T in ns; 0 when absent
  std::span<const common::BookLevel> bids;
  std::span<const common::BookLevel> asks;
};

}  // namespace hft::api::binance
