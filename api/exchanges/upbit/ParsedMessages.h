#pragma once
// What MarketDataParser produces for one data object: prices and sizes already at the
// instrument's fixed-point scales, times in ns. Valid until the parser's next parse().
#include <cstdint>
#include <span>

#include "common/Ids.h"
#include "common/OrderEnums.h"
#include "common/events/BookSnapshot.h"  // BookLevel

namespace hft::config {
struct Instrument;
}

namespace hft::api::upbit {

enum class MessageKind : uint8_t {
  None = 0,       ///< nothing recognised (the parse failed first)
  Trade = 1,      ///< type "trade"
  Orderbook = 2,  ///< type "orderbook": a full top-N book, replaces the previous one
  Ticker = 3,     ///< type "ticker" (also the 2018-era ticker without `type`)
  Error = 4,      ///< {"error":{"name":..,"message":..}} (see MarketDataParser::errorName())
  Other = 5,      ///< well-formed, nothing to convert ({"status":"UP"}, candle, myOrder, ...)
};
const char* toString(MessageKind k) noexcept;

/// SNAPSHOT (sent once on subscribe) or REALTIME; Unknown when the payload omits it.
enum class StreamType : uint8_t { Unknown = 0, Snapshot = 1, Realtime = 2 };

struct ParsedTrade {
  const config::Instrument* instrument;
  common::Side aggressor;          ///< ask_bid: BID = buyer took -> Buy, ASK -> Sell
  StreamType stream;
  uint64_t sequential_id;          ///< unique per trade: the de-duplication key (trade_id on the bus)
  int64_t price, qty;
  common::TimestampNs trade_ns;    ///< trade_timestamp
  common::TimestampNs event_ns;    ///< timestamp (message time)
  bool has_best;                   ///< best_* present (documented since 2024; absent in old captures)
  int64_t best_bid_price, best_bid_qty, best_ask_price, best_ask_qty;
};

struct ParsedOrderbook {
  const config::Instrument* instrument;
  StreamType stream;
  common::TimestampNs event_ns;  ///< timestamp
  int64_t level;                 ///< price grouping ("level"), at the price scale; 0 = none
  /// Best first on both sides. A unit whose bid (or ask) size is 0 ends that side: Upbit pads
  /// thin books with zero-size units.
  std::span<const common::BookLevel> bids;
  std::span<const common::BookLevel> asks;
};

struct ParsedTicker {
  const config::Instrument* instrument;
  StreamType stream;
  int64_t trade_price, trade_volume;    ///< the last trade
  int64_t opening_price, high_price, low_price;  ///< of the venue's day (KST 00:00-); 0 when absent
  common::Side last_aggressor;          ///< ask_bid of the last trade
  common::TimestampNs trade_ns;         ///< trade_timestamp
  common::TimestampNs event_ns;         ///< timestamp; 0 when absent (SIMPLE tickers may omit it)
};

}  // namespace hft::api::upbit
