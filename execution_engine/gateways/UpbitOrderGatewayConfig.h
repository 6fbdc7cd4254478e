#pragma once
// What an UpbitOrderGateway needs: the dialect (Upbit or Bithumb), endpoints, timing and the
// credentials. The secret key is held in a common::SecureBuffer (locked, excluded from dumps,
// wiped) until the gateway hands it to its JwtSigners at construction; it is never in a
// std::string and nothing prints it. Endpoints and timing come from config/exchanges/<venue>.json
// through fromExchange(); the credentials through loadUpbitCredentials (UpbitGatewayEnv.h).
#include <cstdint>
#include <string>

#include "api/exchanges/upbit/Dialect.h"
#include "common/SecureBuffer.h"
#include "config/EnvLookup.h"

namespace hft::config {
struct ExchangeConfig;
}

namespace hft::execution_engine::gateways {

struct UpbitOrderGatewayConfig {
  api::upbit::Dialect dialect = api::upbit::kUpbit;  ///< kUpbit or api::bithumb::kBithumb
  std::string rest_url;        ///< "https://api.upbit.com" / "https://api.bithumb.com"
  std::string private_ws_url;  ///< "wss://api.upbit.com/websocket/v1/private" / ".../websocket/v2/private"
  std::string access_key;      ///< public identifier (the JWT's access_key); never logged either
  common::SecureBuffer secret_key;  ///< moved into the signers' locked pages at construction

  int64_t request_timeout_ms = 10'000;  ///< REST: no answer by then = outcome unknown (query)
  int64_t connect_timeout_ms = 5'000;
  /// Dead private stream detection; a WebSocket ping goes out after half of it without traffic.
  /// The venue closes connections idle for 120 s and wants a ping at least every 60 s: <= 120 s.
  int64_t ws_idle_timeout_ms = 60'000;
  /// The text "PING" (answered {"status":"UP"}) is sent this often on the private stream, from
  /// poll(), besides the WebSocket pings: the venue's keep-alive wants one at least every 60 s
  /// even when it is the one sending. 0 = off.
  int64_t text_ping_interval_ms = 50'000;
  int64_t start_timeout_ms = 15'000;       ///< start(): the private stream must be up by then
  int64_t backoff_429_ms = 1'000;          ///< after a 429 nothing is sent for this long
  int64_t initial_backoff_ms = 250;        ///< private stream reconnect waits
  int64_t max_backoff_ms = 30'000;
  bool verify_tls = true;                  ///< only tests on loopback turn this off
  uint32_t open_orders_limit = 100;        ///< GET open orders page size (1..100)

  size_t pending_capacity = 1024;      ///< in-flight requests remembered (power of two)
  size_t live_order_capacity = 16384;  ///< orders tracked until final (power of two; half usable)

  /// Dialect, rest_url, private_ws_url (ws_url + the user_data route of the active
  /// environment) and timing from the exchange file (already carrying its HFT_<VENUE>_*
  /// overrides); HFT_<VENUE>_PRIVATE_WS_URL, when set, replaces the private URL. No
  /// credentials. Throws std::invalid_argument naming the file when the venue is neither upbit
  /// nor bithumb or the private route is missing.
  static UpbitOrderGatewayConfig fromExchange(const config::ExchangeConfig& exchange,
                                              const config::EnvLookup& env = config::processEnvironment());
};

}  // namespace hft::execution_engine::gateways
