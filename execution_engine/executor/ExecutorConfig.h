#pragma once
// What order_executor reads from config/executor.json (see README.md for every key): where the
// risk rules are, where the journal, logs and snapshots go, one order gateway per venue, and
// the timing of the engine. Loaded once at start-up; errors name the file and the key path.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/Ids.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/journal/JournalOptions.h"
#include "interfaces/IOrderGateway.h"

namespace hft::common::log {
class HotLogger;
struct Component;
}  // namespace hft::common::log

namespace hft::execution_engine::executor {

/// How the executor reaches one venue.
enum class GatewayKind : uint8_t {
  DryRun = 1,          ///< "dry_run": acks everything, sends nothing (gateways/DryRunGateway.h)
  Binance = 2,         ///< "binance": Binance spot order entry (gateways/BinanceOrderGateway.h)
  BinanceFutures = 3,  ///< "binance_futures": Binance USD-M futures order entry
};

/// USD-M settings of one symbol, applied by the gateway at start-up.
struct FuturesSymbolConfig {
  std::string instrument;  ///< registry name or venue symbol ("BTCUSDT")
  int32_t leverage = 0;    ///< 0 = leave as is
  std::string margin_type; ///< "isolated", "crossed" or "" (leave as is)
};

/// "kind": "binance" / "binance_futures": what is not an endpoint or a credential (those come
/// from the environment for now: gateways/BinanceGatewayEnv.h).
struct BinanceGatewaySettings {
  std::string order_entry = "rest";           ///< "rest" or "ws_api"
  int64_t recv_window_ms = 5000;              ///< 1..60000
  int64_t listen_key_keepalive_ms = 30 * 60'000;
  int8_t dual_side_position = -1;             ///< futures: 1 hedge, 0 one-way, -1 leave as is
  bool batch_orders = true;                   ///< futures over REST: batch New orders (batchOrders)
  std::vector<FuturesSymbolConfig> symbols;   ///< futures: leverage / margin type per symbol
};

/// One configured venue ("gateways": {"<venue>": {...}}).
struct GatewayConfig {
  common::ExchangeId venue = common::ExchangeId::None;
  GatewayKind kind = GatewayKind::DryRun;
  std::vector<interfaces::VenueBalance> balances;  ///< dry_run: what the fake account holds (kAmountScale)
  std::string log;                                 ///< dry_run: request log file; "" = none, "-" = stderr
  bool local_stops = true;  ///< StopMarket/StopLimit/TakeProfit held by the executor, not sent until triggered
  BinanceGatewaySettings binance;                  ///< kind binance / binance_futures
};

/// Where live gateways find credentials the environment does not give: the encrypted key store
/// (config/keys, managed with the `keys` tool), unlocked with `key_file` or else the passphrase
/// in $HFT_KEYSTORE_PASSPHRASE (copied out of the environment and wiped there).
struct KeyStoreSettings {
  std::string path;      ///< default config::keys::KeyStore::defaultPath()
  std::string key_file;  ///< optional; 0600/0400
};

struct ExecutorConfig {
  std::string source;             ///< the file this came from
  std::string order_rules;        ///< config/order_rules/*.json, resolved against the file's folder
  std::string data_root = "data"; ///< logs/ and snapshots/ go here (relative: to the working directory)
  std::string journal_dir;        ///< default <data_root>/journal
  journal::JournalOptions journal;  ///< sync policy and interval (sync_hook unset)
  int64_t request_timeout_ms = 5000;   ///< a request unanswered this long is queried, never resent
  int64_t housekeeping_ms = 100;       ///< kill switch poll, timeouts, snapshots, trade log flush
  uint32_t max_requests_per_queue = 16;  ///< per strategy queue and polling round (fairness)
  uint32_t trade_log_buffer = 65536;     ///< reports waiting for the (cold) trade log writer
  uint32_t max_live_orders = 4096;       ///< OrderManager sizes
  uint32_t keep_terminal = 4096;
  std::vector<GatewayConfig> gateways;
  std::optional<KeyStoreSettings> key_store;  ///< "key_store": {"path", "key_file"}; unset = environment only

  /// Reads and validates a file. Throws config::ConfigError naming the file and the key path.
  static ExecutorConfig loadFile(const std::string& path);
  /// Validates a parsed document; `source` names it in errors, `baseDir` resolves order_rules.
  static ExecutorConfig fromJson(const nlohmann::json& j, const std::string& source, const std::string& baseDir);
};

/// Builds the configured gateways (not started). `registry` (names in dry-run logs) must
/// outlive them. Opens the dry-run log files; throws std::runtime_error naming a file that
/// cannot be opened. The FILE*s are kept in `logs` (closed by the caller after the gateways).
/// Binance gateways take endpoints and credentials from the environment (throws naming the
/// missing variables) and log reconnects and resyncs to `hot`/`component` when given.
std::vector<std::unique_ptr<interfaces::IOrderGateway>> makeGateways(const ExecutorConfig& config,
                                                                     const config::InstrumentRegistry& registry,
                                                                     std::vector<std::FILE*>& logs,
                                                                     common::log::HotLogger* hot = nullptr,
                                                                     const common::log::Component* component = nullptr);

/// One line per live venue gateway whose credentials are missing: from the environment
/// ("gateways.binance: HFT_BINANCE_API_KEY and HFT_BINANCE_API_SECRET not set") and, when a
/// key store is configured, from it too (it is opened: a wrong passphrase or a missing entry is
/// named). Empty when every one has them. Names variables, files and entries, never values.
std::vector<std::string> missingCredentials(const ExecutorConfig& config);

}  // namespace hft::execution_engine::executor
