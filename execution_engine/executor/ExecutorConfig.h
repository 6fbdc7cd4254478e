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
#include "execution_engine/gateways/KeyStoreAccess.h"
#include "execution_engine/gateways/OrderGatewayKinds.h"
#include "execution_engine/journal/JournalOptions.h"
#include "interfaces/IOrderGateway.h"

namespace hft::common::log {
class HotLogger;
struct Component;
}  // namespace hft::common::log

namespace hft::execution_engine::executor {

/// One configured venue ("gateways": {"<venue>": {...}}).
struct GatewayConfig {
  common::ExchangeId venue = common::ExchangeId::None;
  /// "dry_run" (acks everything, sends nothing: gateways/DryRunGateway.h) or a live kind
  /// registered by its venue (gateways/OrderGatewayKinds.h), named like the venue.
  std::string kind = "dry_run";
  std::vector<interfaces::VenueBalance> balances;  ///< dry_run: what the fake account holds (kAmountScale)
  std::string log;                                 ///< dry_run: request log file; "" = none, "-" = stderr
  bool local_stops = true;  ///< StopMarket/StopLimit/TakeProfit held by the executor, not sent until triggered
  /// Live kinds: their own settings, read by the kind (e.g. gateways::BinanceOrderSettings).
  std::shared_ptr<const gateways::OrderGatewaySettings> settings;

  bool dryRun() const noexcept { return kind == "dry_run"; }
};

using KeyStoreSettings = gateways::KeyStoreSettings;

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
  /// "key_store": {"path", "key_file"}: where live gateways find credentials the environment does
  /// not give (config/keys, managed with the `keys` tool); unset = environment only.
  std::optional<KeyStoreSettings> key_store;
  std::string exchanges_dir;  ///< <the file's folder>/exchanges: the venues' files (config/exchanges/<venue>.json)

  /// Reads and validates a file. Throws config::ConfigError naming the file and the key path.
  static ExecutorConfig loadFile(const std::string& path);
  /// Validates a parsed document; `source` names it in errors, `baseDir` resolves order_rules.
  static ExecutorConfig fromJson(const nlohmann::json& j, const std::string& source, const std::string& baseDir);
};

/// Builds the configured gateways (not started). `registry` (names in dry-run logs) must
/// outlive them. Opens the dry-run log files; throws std::runtime_error naming a file that
/// cannot be opened. The FILE*s are kept in `logs` (closed by the caller after the gateways).
/// Live gateways are built by their registered kind (gateways/OrderGatewayKinds.h: endpoints and
/// credentials as that venue takes them; throws naming what is missing) and log reconnects and
/// resyncs to `hot`/`component` when given.
std::vector<std::unique_ptr<interfaces::IOrderGateway>> makeGateways(const ExecutorConfig& config,
                                                                     const config::InstrumentRegistry& registry,
                                                                     std::vector<std::FILE*>& logs,
                                                                     common::log::HotLogger* hot = nullptr,
                                                                     const common::log::Component* component = nullptr);

/// One line per live venue gateway whose credentials are missing (asked of its kind): from the
/// environment ("gateways.binance: HFT_BINANCE_API_KEY and HFT_BINANCE_API_SECRET not set") and, when a
/// key store is configured, from it too (it is opened: a wrong passphrase or a missing entry is
/// named). Empty when every one has them. Names variables, files and entries, never values.
std::vector<std::string> missingCredentials(const ExecutorConfig& config);

}  // namespace hft::execution_engine::executor
