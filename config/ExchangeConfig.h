#pragma once
// One venue's connection settings, loaded from config/exchanges/<venue>.json (keys in
// README.md): which environment is active, its endpoints, how orders are entered, reconnect
// timing and the venue's published rate limits. Start-up only: everything here throws
// ConfigError naming the file and the key path.
//
// Secrets are not here: the file names a key-store entry ("keys"), and the credentials are
// resolved separately (config/keys/VenueCredentials.h) into locked memory.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "config/EnvLookup.h"

namespace hft::config {

/// How orders reach the venue.
enum class OrderEntry : uint8_t {
  Rest = 0,   ///< signed REST requests
  WsApi = 1,  ///< the venue's WebSocket API (needs ws_api_url)
};

/// How the account's own events (fills, balances) arrive.
enum class UserDataTransport : uint8_t {
  WsApi = 0,      ///< a subscription on the WebSocket API connection (Binance spot)
  ListenKey = 1,  ///< a listen key from REST, kept alive, streamed on a private route (Binance futures)
  PrivateWs = 2,  ///< an authenticated WebSocket on a private route (Upbit, Bithumb)
};

const char* toString(OrderEntry e) noexcept;
const char* toString(UserDataTransport t) noexcept;

struct UserDataConfig {
  UserDataTransport transport = UserDataTransport::PrivateWs;
  std::string ws_route;         ///< key into ws_routes (listen_key, private_ws); "" for ws_api
  std::string listen_key_path;  ///< listen_key only: REST path that creates/extends the key
  int64_t keepalive_ms = 0;     ///< listen_key only: how often the key is extended
};

/// The endpoints of one environment (production, testnet, ...).
struct ExchangeEndpoints {
  std::string rest_url;                          ///< http(s)://host[:port], no trailing '/'
  std::string ws_url;                            ///< ws(s)://host[:port][/path]: market-data base
  std::map<std::string, std::string> ws_routes;  ///< name -> path appended to ws_url ("" or "/...")
  std::string ws_api_url;                        ///< ws(s)://...; "" when the venue has none
  UserDataConfig user_data;

  /// ws_url followed by the path of `route`; throws std::out_of_range naming the route when
  /// there is no such route.
  std::string wsUrl(std::string_view route) const;
};

struct ReconnectConfig {
  int64_t connect_timeout_ms = 10'000;
  int64_t request_timeout_ms = 10'000;
  int64_t initial_backoff_ms = 100;      ///< first reconnect wait (jittered)
  int64_t max_backoff_ms = 30'000;       ///< >= initial_backoff_ms
  int64_t dead_stream_timeout_ms = 30'000;  ///< silence after which a stream counts as dead
  int64_t max_connection_age_s = 0;      ///< reconnect before the venue drops us; 0 = no limit
};

/// The venue's published limits; 0 = not published / not applicable. Kept as the venue states
/// them (each in its own window): enforcing them is the caller's business.
struct RateLimits {
  int64_t request_weight_per_minute = 0;
  int64_t requests_per_second = 0;
  int64_t market_data_requests_per_second = 0;
  int64_t order_requests_per_second = 0;
  int64_t orders_per_10s = 0;
  int64_t orders_per_minute = 0;
  int64_t orders_per_day = 0;
  int64_t ws_messages_per_second = 0;
  int64_t ws_messages_per_minute = 0;
  int64_t ws_connections_per_second = 0;
  int64_t ws_connections_per_5min = 0;
};

struct ExchangeConfig {
  std::string source;  ///< the file this came from
  std::string venue;   ///< binance, binance_futures, upbit, bithumb, simulated
  std::string active;  ///< the environment in use (file's "active", or HFT_<VENUE>_ENV)
  std::string keys;    ///< key-store entry "venue:market"; "" = none (public data only)
  OrderEntry order_entry = OrderEntry::Rest;
  int64_t recv_window_ms = 0;  ///< signed-request validity window; 0 = the venue has none
  std::map<std::string, ExchangeEndpoints> environments;  ///< as in the file (no overrides)
  ExchangeEndpoints endpoints;  ///< the active environment's, after the environment overrides
  ReconnectConfig reconnect;
  RateLimits rate_limits;

  /// Reads and validates a file, then applies the overrides found through `env`
  /// (HFT_<VENUE>_ENV, _REST_URL, _WS_URL, _WS_API_URL; README.md). Throws ConfigError.
  static ExchangeConfig loadFile(const std::string& path, const EnvLookup& env = processEnvironment());
  /// Validates a parsed document; `source` names it in errors. An empty `env` applies no overrides.
  static ExchangeConfig fromJson(const nlohmann::json& j, const std::string& source, const EnvLookup& env);

  /// "HFT_" + upper-case venue + "_" + suffix: envName("binance_futures", "REST_URL") is
  /// "HFT_BINANCE_FUTURES_REST_URL".
  static std::string envName(std::string_view venue, std::string_view suffix);
};

/// Reads the identity ("venue", "exchange_id", "symbol_format") of every exchanges/*.json in
/// `exchangesDir` and registers the venues that are not built in; no-op when the folder does not
/// exist. Never throws: a bad file is passed over here and reported, naming file and key, by
/// ExchangeConfig::loadFile (ConfigSet, --check-config, the venue's gateway).
/// InstrumentRegistry::loadFile calls it for the exchanges/ folder beside the instruments file.
void registerExchangeFiles(const std::string& exchangesDir);

}  // namespace hft::config
