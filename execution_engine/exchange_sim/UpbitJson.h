#pragma once
// Upbit quotation JSON as the venue writes it (docs.upbit.com websocket-orderbook / -trade /
// -ticker, REST /v1/orderbook, /v1/ticker, /v1/market/all; key map in
// exchange-samples/upbit/ws/format.md), from the Upbit profile's own state. Prices and sizes are
// JSON numbers written from fixed point at their scale, never through a double. Every writer
// takes `simple`: the SIMPLE format's abbreviated keys ("tp", "obu", ...) instead of DEFAULT's.
#include <cstdint>
#include <span>
#include <string>

#include "common/OrderEnums.h"
#include "common/events/BookSnapshot.h"

namespace hft::config {
struct Instrument;
}

namespace hft::execution_engine::exchange_sim::upbit_json {

/// One market's last trade and day statistics, for trade and ticker messages.
struct TradeView {
  const config::Instrument* instrument = nullptr;
  int64_t price = 0, qty = 0;
  common::Side aggressor = common::Side::Buy;  ///< Buy -> ask_bid "BID" (the buyer took)
  uint64_t sequential_id = 0;
  int64_t trade_ms = 0;  ///< trade_timestamp
  int64_t best_bid_price = 0, best_bid_qty = 0, best_ask_price = 0, best_ask_qty = 0;
  int64_t opening_price = 0, high_price = 0, low_price = 0, prev_closing_price = 0;
  int64_t acc_trade_volume = 0;  ///< qty scale
};

/// One market's top-N book (best first on both sides; sides may differ in length).
struct BookView {
  const config::Instrument* instrument = nullptr;
  std::span<const common::BookLevel> bids, asks;
  int64_t ms = 0;
};

/// WebSocket objects; `snapshot` sets stream_type SNAPSHOT (else REALTIME); `ms` the message time.
std::string trade(const TradeView& t, bool simple, bool snapshot, int64_t ms);
std::string ticker(const TradeView& t, bool simple, bool snapshot, int64_t ms);
std::string orderbook(const BookView& b, bool simple, bool snapshot);

/// REST: one element of GET /v1/orderbook (DEFAULT keys, no stream_type) and of GET /v1/ticker.
std::string restOrderbook(const BookView& b);
std::string restTicker(const TradeView& t, int64_t ms);
/// One element of GET /v1/market/all.
std::string market(const config::Instrument& inst);

/// {"error":{"name":..,"message":..}} (REST errors and WebSocket request errors alike).
std::string error(const std::string& name, const std::string& message);

}  // namespace hft::execution_engine::exchange_sim::upbit_json
