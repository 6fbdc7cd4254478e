#include "execution_engine/gateways/UpbitGatewayEnv.h"

#include <cstring>
#include <stdexcept>
#include <string>

#include "api/exchanges/bithumb/BithumbDialect.h"
#include "config/ExchangeConfig.h"
#include "config/keys/KeyStore.h"
#include "config/keys/KeyStoreError.h"
#include "config/keys/VenueCredentials.h"

namespace hft::execution_engine::gateways {

UpbitEnvNames upbitEnvNames(const api::upbit::Dialect& dialect) noexcept {
  if (dialect.exchange == common::ExchangeId::Bithumb) return {"bithumb", "HFT_BITHUMB_ACCESS_KEY", "HFT_BITHUMB_SECRET_KEY"};
  return {"upbit", "HFT_UPBIT_ACCESS_KEY", "HFT_UPBIT_SECRET_KEY"};
}

void loadUpbitCredentials(UpbitOrderGatewayConfig& out, const std::optional<config::keys::KeyId>& entry,
                          const config::keys::KeyStore* store, const config::EnvLookup& env,
                          common::SecureBuffer::LockPolicy policy) {
  const UpbitEnvNames n = upbitEnvNames(out.dialect);
  const std::string what = std::string(n.venue) + " credentials: ";
  const char* key = config::envValue(env, n.access_key);
  const char* secret = config::envValue(env, n.secret_key);
  if (key != nullptr && secret != nullptr) {
    out.access_key = key;
    const size_t len = std::strlen(secret);
    out.secret_key = common::SecureBuffer(len, policy);
    if (!out.secret_key.append(secret, len)) throw std::runtime_error(what + n.secret_key + " does not fit its buffer");
    return;
  }
  if (key != nullptr || secret != nullptr)
    throw std::runtime_error(what + (key ? n.access_key : n.secret_key) + " is set but " +
                             (key ? n.secret_key : n.access_key) + " is not: set both or neither (then the key store is used)");
  if (store == nullptr || !entry)
    throw std::runtime_error(what + "none found: set " + n.access_key + " and " + n.secret_key +
                             ", or open the key store holding " + (entry ? entry->toString() : std::string(n.venue) + ":spot"));
  try {
    config::keys::VenueCredentials c = config::keys::resolveCredentials(n.venue, entry, store, env, policy);
    out.access_key.assign(c.apiKey.view());
    out.secret_key = std::move(c.secret);
  } catch (const std::exception& e) {
    throw std::runtime_error(what + "set " + n.access_key + " and " + n.secret_key + ", or fix the key store: " + e.what());
  }
}

UpbitOrderGatewayConfig UpbitOrderGatewayConfig::fromExchange(const config::ExchangeConfig& exchange,
                                                              const config::EnvLookup& env) {
  UpbitOrderGatewayConfig c;
  if (exchange.venue == "upbit") c.dialect = api::upbit::kUpbit;
  else if (exchange.venue == "bithumb") c.dialect = api::bithumb::kBithumb;
  else throw std::invalid_argument(exchange.source + ": venue '" + exchange.venue + "' is not upbit or bithumb");
  c.rest_url = exchange.endpoints.rest_url;
  const std::string route = exchange.endpoints.user_data.ws_route;
  if (route.empty() || exchange.endpoints.ws_routes.count(route) == 0)
    throw std::invalid_argument(exchange.source + ": environments." + exchange.active +
                                ".user_data.ws_route names no ws_routes entry (the private stream)");
  c.private_ws_url = exchange.endpoints.wsUrl(route);
  const std::string overrideName = config::ExchangeConfig::envName(exchange.venue, "PRIVATE_WS_URL");
  if (const char* v = config::envValue(env, overrideName.c_str())) c.private_ws_url = v;
  c.request_timeout_ms = exchange.reconnect.request_timeout_ms;
  c.connect_timeout_ms = exchange.reconnect.connect_timeout_ms;
  c.initial_backoff_ms = exchange.reconnect.initial_backoff_ms;
  c.max_backoff_ms = exchange.reconnect.max_backoff_ms;
  return c;
}

}  // namespace hft::execution_engine::gateways
