#pragma once
// What the simulated venue trades and how its synthetic market moves.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "api/exchanges/binance/Market.h"

namespace hft::execution_engine::exchange_sim {

/// Whose protocol the simulator speaks.
enum class SimProtocol : uint8_t {
  Binance = 0,  ///< spot or USD-M (VenueConfig::market): REST, streams, WS API, orders
  Upbit = 1,    ///< Upbit: quotation (/websocket/v1, GET /v1/orderbook|ticker|market/all), order entry
                ///< (/v1/orders, /v1/order, /v1/orders/open, /v1/accounts), private WS myOrder/myAsset
  Bithumb = 2,  ///< the same protocol in Bithumb's dialect (api::bithumb::kBithumb): HS256 + timestamp
                ///< claim, client_order_id, GET /v1/orders for open orders, Bithumb's instruments
};

struct VenueConfig {
  SimProtocol protocol = SimProtocol::Binance;
  api::binance::Market market = api::binance::Market::Spot;  ///< Binance only
  std::vector<std::string> symbols;  ///< venue spelling ("BTCUSDT"); empty = every registry instrument of the venue
  uint64_t seed = 42;
  double speed = 1.0;                     ///< synthetic seconds per wall second
  double events_per_second = 200;         ///< mean calm book/trade actions, all symbols together
  double volatility_bps_per_sqrt_s = 5;   ///< calm volatility of each fair mid
  double burst_probability = 0.01;        ///< per symbol and second
  double burst_multiplier = 20;
  double burst_mean_s = 2.0;
  int book_depth = 20;                    ///< levels per side
  std::map<std::string, std::string> start_prices;  ///< symbol -> decimal; default 60000 / 3000 / 100 (Upbit KRW: 140000000 / 5000000 / 1400)
  std::map<std::string, std::string> balances;      ///< asset -> decimal; default USDT 100000 (+ BTC 1, ETH 10 on spot);
                                                    ///< Upbit/Bithumb: KRW 100000000, BTC 1, ETH 10, USDT 10000
  int leverage = 10;                                ///< USD-M
  std::string maker_fee;  ///< fraction; "" = the profile's: Binance 0.001, Upbit 0.0005, Bithumb 0.0004
  std::string taker_fee;  ///< the same
  /// Upbit/Bithumb: a config/tick_rules/*.json price-band table for the KRW markets; "" = Upbit's
  /// documented table (api/exchanges/upbit TickTables) on Upbit, config/tick_rules/bithumb_krw.json
  /// (relative to the working directory) on Bithumb.
  std::string tick_rules_path;
  int64_t depth_interval_ms = 100;                  ///< depth diffs are aggregated this long (@depth@100ms)
};

}  // namespace hft::execution_engine::exchange_sim
