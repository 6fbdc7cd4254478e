#pragma once
// Endpoints and credentials of a BinanceOrderGateway from the environment, until the exchange
// configuration (config/exchanges/*.json) takes over: then only this file's caller changes.
//
//   spot                      USD-M futures                     default
//   HFT_BINANCE_API_KEY       HFT_BINANCE_FUTURES_API_KEY       (required)
//   HFT_BINANCE_API_SECRET    HFT_BINANCE_FUTURES_API_SECRET    (required)
//   HFT_BINANCE_REST_URL      HFT_BINANCE_FUTURES_REST_URL      https://api.binance.com | https://fapi.binance.com
//   HFT_BINANCE_WS_URL        HFT_BINANCE_FUTURES_WS_URL        wss://stream.binance.com:9443 | wss://fstream.binance.com
//   HFT_BINANCE_WS_API_URL    HFT_BINANCE_FUTURES_WS_API_URL    wss://ws-api.binance.com:443/ws-api/v3 | wss://ws-fapi.binance.com/ws-fapi/v1
//
// The secret is copied straight into a SecureBuffer; nothing here prints a key or a secret
// (messages name the variables only).
#include <string>

#include "api/exchanges/binance/Market.h"
#include "execution_engine/gateways/BinanceOrderGatewayConfig.h"

namespace hft::execution_engine::gateways {

struct BinanceEnvNames {
  const char* api_key;
  const char* api_secret;
  const char* rest_url;
  const char* ws_url;
  const char* ws_api_url;
};
BinanceEnvNames binanceEnvNames(api::binance::Market market) noexcept;

/// "" when key and secret are both set and non-empty; else which variables are missing.
std::string missingBinanceCredentials(api::binance::Market market);

/// Fills market and URLs (environment or production defaults) of `out`, not the credentials
/// (the executor takes those from its key store when the environment has none).
void binanceEndpointsOnlyFromEnv(api::binance::Market market, BinanceOrderGatewayConfig& out);

/// Fills market, URLs (environment or production defaults) and credentials of `out`; other
/// fields are left as they are. Throws std::runtime_error naming missing variables.
void binanceEndpointsFromEnv(api::binance::Market market, BinanceOrderGatewayConfig& out);

}  // namespace hft::execution_engine::gateways
