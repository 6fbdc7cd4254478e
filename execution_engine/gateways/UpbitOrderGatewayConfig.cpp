#include "execution_engine/gateways/UpbitOrderGatewayConfig.h"

#include <stdexcept>
#include <string>

#include "api/exchanges/bithumb/BithumbDialect.h"
#include "config/ExchangeConfig.h"

namespace hft::execution_engine::gateways {

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
