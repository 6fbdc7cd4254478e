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
  Upbit = 1,    ///< Upbit quotation: /websocket/v1 and GET /v1/orderbook|ticker|market/all
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
  std::map<std::string, std::string> balances;      ///< asset -> decimal; default USDT 100000 (+ BTC 1, ETH 10 on spot)
  int leverage = 10;                                ///< USD-M
  std::string maker_fee = "0.001";                  ///< fraction (spot 0.1%)
  std::string taker_fee = "0.001";
  int64_t depth_interval_ms = 100;                  ///< depth diffs are aggregated this long (@depth@100ms)
};

}  // namespace hft::execution_engine::exchange_sim
