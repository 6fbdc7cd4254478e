#include "execution_engine/gateways/BinanceGatewayEnv.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace hft::execution_engine::gateways {

namespace {
std::string envOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::string(fallback);
}
}  // namespace

BinanceEnvNames binanceEnvNames(api::binance::Market market) noexcept {
  if (market == api::binance::Market::Spot)
    return {"HFT_BINANCE_API_KEY", "HFT_BINANCE_API_SECRET", "HFT_BINANCE_REST_URL", "HFT_BINANCE_WS_URL",
            "HFT_BINANCE_WS_API_URL"};
  return {"HFT_BINANCE_FUTURES_API_KEY", "HFT_BINANCE_FUTURES_API_SECRET", "HFT_BINANCE_FUTURES_REST_URL",
          "HFT_BINANCE_FUTURES_WS_URL", "HFT_BINANCE_FUTURES_WS_API_URL"};
}

std::string missingBinanceCredentials(api::binance::Market market) {
  const BinanceEnvNames n = binanceEnvNames(market);
  std::string missing;
  for (const char* name : {n.api_key, n.api_secret}) {
    const char* v = std::getenv(name);
    if (v && *v) continue;
    if (!missing.empty()) missing.append(" and ");
    missing.append(name);
  }
  if (!missing.empty()) missing.append(" not set");
  return missing;
}

void binanceEndpointsOnlyFromEnv(api::binance::Market market, BinanceOrderGatewayConfig& out) {
  const bool spot = market == api::binance::Market::Spot;
  const BinanceEnvNames n = binanceEnvNames(market);
  out.market = market;
  out.rest_url = envOr(n.rest_url, spot ? "https://api.binance.com" : "https://fapi.binance.com");
  out.ws_url = envOr(n.ws_url, spot ? "wss://stream.binance.com:9443" : "wss://fstream.binance.com");
  out.ws_api_url = envOr(n.ws_api_url, spot ? "wss://ws-api.binance.com:443/ws-api/v3" : "wss://ws-fapi.binance.com/ws-fapi/v1");
}

void binanceEndpointsFromEnv(api::binance::Market market, BinanceOrderGatewayConfig& out) {
  const BinanceEnvNames n = binanceEnvNames(market);
  if (std::string missing = missingBinanceCredentials(market); !missing.empty())
    throw std::runtime_error("binance credentials: " + missing);
  binanceEndpointsOnlyFromEnv(market, out);
  out.api_key = std::getenv(n.api_key);
  const char* secret = std::getenv(n.api_secret);
  const size_t len = std::strlen(secret);
  out.api_secret = common::SecureBuffer(len, common::SecureBuffer::LockPolicy::BestEffort);
  if (!out.api_secret.append(secret, len)) throw std::runtime_error("binance credentials: the secret does not fit");
}

}  // namespace hft::execution_engine::gateways
