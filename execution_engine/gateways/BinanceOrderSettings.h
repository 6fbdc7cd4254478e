#pragma once
// executor.json settings of the "binance" and "binance_futures" kinds: what is not an endpoint
// or a credential (those come from the environment, the venue file or the key store:
// BinanceGatewayEnv.h).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/exchanges/binance/Market.h"
#include "execution_engine/gateways/OrderGatewayKinds.h"

namespace hft::execution_engine::gateways {

/// USD-M settings of one symbol, applied by the gateway at start-up.
struct FuturesSymbolConfig {
  std::string instrument;   ///< registry name or venue symbol ("BTCUSDT")
  int32_t leverage = 0;     ///< 0 = leave as is
  std::string margin_type;  ///< "isolated", "crossed" or "" (leave as is)
};

struct BinanceOrderSettings final : OrderGatewaySettings {
  api::binance::Market market = api::binance::Market::Spot;
  std::string order_entry = "rest";          ///< "rest" or "ws_api"
  int64_t recv_window_ms = 5000;             ///< 1..60000
  int64_t listen_key_keepalive_ms = 30 * 60'000;
  int8_t dual_side_position = -1;            ///< futures: 1 hedge, 0 one-way, -1 leave as is
  bool batch_orders = true;                  ///< futures over REST: batch New orders (batchOrders)
  std::vector<FuturesSymbolConfig> symbols;  ///< futures: leverage / margin type per symbol
};

/// Reads "gateways.binance" / "gateways.binance_futures". Throws config::ConfigError naming the
/// key path (futures-only keys on spot, ranges, unknown keys).
std::shared_ptr<const OrderGatewaySettings> readBinanceOrderSettings(const config::JsonNode& gateway,
                                                                     api::binance::Market market);

}  // namespace hft::execution_engine::gateways
