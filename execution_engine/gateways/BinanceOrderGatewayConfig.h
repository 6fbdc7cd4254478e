#pragma once
// What a BinanceOrderGateway needs: market, endpoints, transport choice, timing, the futures
// account settings applied at start-up, and the credentials. The secret is held in a
// common::SecureBuffer (locked, excluded from dumps, wiped) until the gateway hands it to its
// HmacSigner at construction; it is never in a std::string and nothing prints it.
#include <cstdint>
#include <string>
#include <vector>

#include "api/exchanges/binance/Market.h"
#include "common/SecureBuffer.h"
#include "common/OrderEnums.h"
#include "common/Ids.h"

namespace hft::common::log {
class HotLogger;
struct Component;
}  // namespace hft::common::log

namespace hft::execution_engine::gateways {

/// How orders reach the venue.
enum class OrderEntry : uint8_t {
  Rest = 1,   ///< "rest": signed REST requests on a keep-alive connection
  WsApi = 2,  ///< "ws_api": the WebSocket API (persistent; params signed sorted, unencoded)
};

/// Futures margin type of one symbol (POST /fapi/v1/marginType).
enum class MarginType : uint8_t {
  Unchanged = 0,  ///< leave as the account has it
  Isolated = 1,
  Crossed = 2,
};

/// USD-M settings applied once at start() (cold calls), per symbol.
struct FuturesSymbolSettings {
  common::InstrumentId instrument = 0;
  int32_t leverage = 0;                        ///< 1..125; 0 = leave as is
  MarginType margin_type = MarginType::Unchanged;
};

struct BinanceOrderGatewayConfig {
  api::binance::Market market = api::binance::Market::Spot;
  std::string rest_url;    ///< "https://api.binance.com" / "https://fapi.binance.com"
  std::string ws_url;      ///< futures user data: ws_url + "/private/ws/<listenKey>"
  std::string ws_api_url;  ///< "wss://ws-api.binance.com:443/ws-api/v3": spot order entry (ws_api) and
                           ///< spot user data; futures order entry when order_entry is ws_api
  OrderEntry order_entry = OrderEntry::Rest;
  int64_t recv_window_ms = 5000;
  std::string api_key;                 ///< public identifier (sent as X-MBX-APIKEY); never logged either
  common::SecureBuffer api_secret;     ///< moved into the signer's locked page at construction

  int64_t request_timeout_ms = 10'000;       ///< REST: no answer by then = outcome unknown (query)
  int64_t connect_timeout_ms = 5'000;
  int64_t ws_idle_timeout_ms = 60'000;       ///< dead WebSocket detection (pings at half)
  int64_t listen_key_keepalive_ms = 30 * 60'000;  ///< futures: PUT listenKey this often (venue: 60 min validity)
  int64_t start_timeout_ms = 15'000;         ///< each blocking start-up step (time, exchangeInfo, subscribe)
  bool verify_tls = true;                    ///< only tests on loopback turn this off

  /// Futures start-up settings: hedge (dual) position mode when true, one-way when false;
  /// -1 leaves the account's mode as is. Leverage and margin type per symbol.
  int8_t dual_side_position = -1;
  /// Futures over REST: New orders given to send() between two poll() calls go out together
  /// in POST /fapi/v1/batchOrders (up to 5 per request). supportsBatch() says so.
  bool batch_orders = true;
  std::vector<FuturesSymbolSettings> symbols;

  /// Optional: reconnects, resyncs, listenKey renewals and unknown outcomes are logged here
  /// (copied arguments, formatted on the log thread). Both or neither.
  common::log::HotLogger* hot_log = nullptr;
  const common::log::Component* log_component = nullptr;

  size_t pending_capacity = 1024;   ///< in-flight requests remembered (power of two)
  size_t live_order_capacity = 16384;  ///< orders tracked until final (power of two; half usable)
};

}  // namespace hft::execution_engine::gateways
