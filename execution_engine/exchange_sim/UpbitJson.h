#pragma once
// Upbit quotation JSON as the venue writes it (docs.upbit.com websocket-orderbook / -trade /
// -ticker, REST /v1/orderbook, /v1/ticker, /v1/market/all; key map in
// exchange-samples/upbit/ws/format.md), from the Upbit profile's own state. Prices and sizes are
// JSON numbers written from fixed point at their scale, never through a double. Every writer
// takes `simple`: the SIMPLE format's abbreviated keys ("tp", "obu", ...) instead of DEFAULT's.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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

/// One order as the order endpoints and myOrder show it. Amounts (fees, locked, funds) at
/// common::kAmountScale; prices and volumes at the instrument's scales.
struct OrderView {
  const config::Instrument* instrument = nullptr;
  std::string_view uuid;
  std::string_view client_id_key;  ///< "identifier" (Upbit) / "client_order_id" (Bithumb)
  std::string_view client_id;      ///< "" = the client sent none (the key is then left out)
  std::string_view ord_type;       ///< limit, price, market, best
  std::string_view time_in_force;  ///< ioc, fok, post_only; "" = none
  common::Side side = common::Side::Buy;
  const char* state = "wait";  ///< wait, trade, done, cancel
  bool has_price = true;       ///< false: "price": null (market sell)
  bool has_volume = true;      ///< false: "volume": null (price = market buy by amount)
  int64_t price = 0;           ///< limit price, or the amount of an ord_type=price buy (price scale)
  int64_t volume = 0, remaining = 0, executed = 0, avg_price = 0;
  int64_t reserved_fee = 0, remaining_fee = 0, paid_fee = 0, executed_funds = 0;
  int64_t locked = 0;  ///< KRW (bid) or base (ask), both at kAmountScale
  uint32_t trades_count = 0;
  int64_t created_ms = 0;
};
/// One fill of an order.
struct FillView {
  std::string_view trade_uuid;
  int64_t price = 0, volume = 0, funds = 0, fee = 0;  ///< funds and fee at kAmountScale
  bool maker = false;
  int64_t ms = 0;
};
/// A balance: free (`balance`) and locked, at kAmountScale.
struct AssetView {
  std::string_view currency;
  int64_t balance = 0, locked = 0;
};

/// REST order object (decimals as strings, created_at in KST); `trades` non-null adds "trades".
std::string restOrder(const OrderView& o, const std::vector<FillView>* trades);
/// A myOrder frame (DEFAULT keys, numbers as JSON numbers). In state "trade", `fill` is the
/// trade: price and volume are the trade's, trade_uuid/trade_fee/is_maker are set.
std::string myOrder(const OrderView& o, const FillView* fill, int64_t ms);
/// A myAsset frame.
std::string myAsset(const std::vector<AssetView>& assets, int64_t ms);
/// GET /v1/accounts.
std::string accounts(const std::vector<AssetView>& assets, std::string_view unitCurrency);

/// {"error":{"name":..,"message":..}} (REST errors and WebSocket request errors alike).
std::string error(const std::string& name, const std::string& message);

}  // namespace hft::execution_engine::exchange_sim::upbit_json
