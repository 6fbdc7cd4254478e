#include "execution_engine/executor/ExecutorConfig.h"

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/Events.h"
#include "config/ConfigError.h"
#include "config/EnvLookup.h"
#include "config/JsonNode.h"
#include "config/keys/KeyId.h"
#include "config/keys/KeyStore.h"
#include "config/keys/VenueCredentials.h"
#include "execution_engine/gateways/BinanceGatewayEnv.h"
#include "execution_engine/gateways/BinanceOrderGateway.h"
#include "execution_engine/gateways/DryRunGateway.h"

namespace hft::execution_engine::executor {

namespace {

constexpr const char* kSyncNames = "one of every_record, interval_ms, never";

journal::JournalOptions readJournal(const config::JsonNode& n, ExecutorConfig& c) {
  n.expectObject({"dir", "sync", "interval_ms"});
  journal::JournalOptions o;
  c.journal_dir = n.optionalString("dir", "");
  if (n.has("sync")) {
    const config::JsonNode s = n.child("sync", kSyncNames);
    if (!s.json().is_string() || !journal::parseSyncPolicy(s.asString(), o.sync)) s.fail(kSyncNames);
  }
  o.sync_interval_ms = n.optionalInt("interval_ms", 1, 60'000, o.sync_interval_ms);
  return o;
}

GatewayConfig readGateway(const std::string& venueName, const config::JsonNode& n) {
  GatewayConfig g;
  g.venue = common::exchangeFromString(venueName.c_str());
  if (g.venue == common::ExchangeId::None)
    n.fail("a venue name (binance, binance_futures, upbit, bithumb, simulated) as the key", "\"" + venueName + "\"");
  const config::JsonNode kind = n.child("kind", "the gateway kind (dry_run, binance, binance_futures)");
  const std::string k = kind.json().is_string() ? kind.asString() : "";
  if (k == "binance" || k == "binance_futures") {
    const common::ExchangeId want = k == "binance" ? common::ExchangeId::Binance : common::ExchangeId::BinanceFutures;
    if (g.venue != want) kind.fail(std::string("a kind for venue ") + common::toString(g.venue), "\"" + k + "\"");
    g.kind = k == "binance" ? GatewayKind::Binance : GatewayKind::BinanceFutures;
    n.expectObject({"kind", "local_stops", "order_entry", "recv_window_ms", "listen_key_keepalive_ms",
                    "dual_side_position", "symbols", "batch_orders"});
    BinanceGatewaySettings& b = g.binance;
    if (n.has("order_entry")) {
      const config::JsonNode e = n.child("order_entry", "");
      if (!e.json().is_string() || (e.asString() != "rest" && e.asString() != "ws_api")) e.fail("\"rest\" or \"ws_api\"");
      b.order_entry = e.asString();
    }
    b.recv_window_ms = n.optionalInt("recv_window_ms", 1, 60'000, b.recv_window_ms);
    b.listen_key_keepalive_ms = n.optionalInt("listen_key_keepalive_ms", 1'000, 59 * 60'000, b.listen_key_keepalive_ms);
    if (n.has("dual_side_position")) {
      if (g.kind != GatewayKind::BinanceFutures) n.child("dual_side_position", "").fail("nothing (a futures setting)");
      b.dual_side_position = n.optionalBool("dual_side_position", false) ? 1 : 0;
    }
    if (n.has("batch_orders")) {
      if (g.kind != GatewayKind::BinanceFutures) n.child("batch_orders", "").fail("nothing (a futures setting)");
      b.batch_orders = n.optionalBool("batch_orders", true);
    }
    if (n.has("symbols")) {
      const config::JsonNode syms = n.child("symbols", "");
      if (g.kind != GatewayKind::BinanceFutures) syms.fail("nothing (a futures setting)");
      for (const auto& [name, s] : syms.members()) {
        s.expectObject({"leverage", "margin_type"});
        FuturesSymbolConfig f;
        f.instrument = name;
        f.leverage = static_cast<int32_t>(s.optionalInt("leverage", 1, 125, 0));
        f.margin_type = s.optionalString("margin_type", "");
        if (!f.margin_type.empty() && f.margin_type != "isolated" && f.margin_type != "crossed")
          s.child("margin_type", "").fail("\"isolated\" or \"crossed\"");
        b.symbols.push_back(std::move(f));
      }
    }
    // A live venue may take stop orders natively, but the executor holds them unless told.
    g.local_stops = n.optionalBool("local_stops", true);
    return g;
  }
  n.expectObject({"kind", "balances", "log", "local_stops"});
  if (k != "dry_run") kind.fail("\"dry_run\", \"binance\" or \"binance_futures\"");
  g.kind = GatewayKind::DryRun;
  g.log = n.optionalString("log", "");
  // The dry run has no stop types of its own (it never trades): held here by default.
  g.local_stops = n.optionalBool("local_stops", true);
  if (n.has("balances")) {
    for (const auto& [asset, amount] : n.child("balances", "").members()) {
      if (asset.empty() || asset.size() > 7) amount.fail("an asset code of 1 to 7 characters as the key", "\"" + asset + "\"");
      interfaces::VenueBalance b{};
      std::memcpy(b.asset, asset.data(), asset.size());  // NUL-padded: b is zeroed, size <= 7
      b.free = amount.asDecimal(common::kAmountScale, 0, "a decimal string amount >= 0, e.g. \"100000\"");
      b.locked = 0;
      g.balances.push_back(b);
    }
  }
  return g;
}

}  // namespace

ExecutorConfig ExecutorConfig::loadFile(const std::string& path) {
  const nlohmann::json j = config::readJsonFile(path);
  return fromJson(j, path, std::filesystem::path(path).parent_path().string());
}

ExecutorConfig ExecutorConfig::fromJson(const nlohmann::json& j, const std::string& source, const std::string& baseDir) {
  const config::JsonNode root(j, source);
  root.expectObject({"order_rules", "data_root", "journal", "request_timeout_ms", "housekeeping_ms",
                     "max_requests_per_queue", "trade_log_buffer", "order_table", "gateways", "key_store"});
  ExecutorConfig c;
  c.source = source;
  const std::string rules = root.requiredString("order_rules");
  c.order_rules = (std::filesystem::path(baseDir) / rules).lexically_normal().string();
  c.data_root = root.optionalString("data_root", "data");
  if (c.data_root.empty()) root.child("data_root", "").fail("a non-empty folder");
  if (root.has("journal")) c.journal = readJournal(root.child("journal", ""), c);
  if (c.journal_dir.empty()) c.journal_dir = (std::filesystem::path(c.data_root) / "journal").string();
  c.request_timeout_ms = root.optionalInt("request_timeout_ms", 1, 3'600'000, c.request_timeout_ms);
  c.housekeeping_ms = root.optionalInt("housekeeping_ms", 1, 10'000, c.housekeeping_ms);
  c.max_requests_per_queue = static_cast<uint32_t>(root.optionalInt("max_requests_per_queue", 1, 1 << 16, 16));
  c.trade_log_buffer = static_cast<uint32_t>(root.optionalInt("trade_log_buffer", 16, 1 << 24, 65536));
  if (root.has("order_table")) {
    const config::JsonNode t = root.child("order_table", "");
    t.expectObject({"max_live_orders", "keep_terminal"});
    c.max_live_orders = static_cast<uint32_t>(t.optionalInt("max_live_orders", 1, 1 << 22, c.max_live_orders));
    c.keep_terminal = static_cast<uint32_t>(t.optionalInt("keep_terminal", 1, 1 << 22, c.keep_terminal));
  }
  if (root.has("key_store")) {
    const config::JsonNode k = root.child("key_store", "");
    k.expectObject({"path", "key_file"});
    KeyStoreSettings ks;
    ks.path = k.optionalString("path", config::keys::KeyStore::defaultPath().string());
    ks.key_file = k.optionalString("key_file", "");
    if (ks.path.empty()) k.child("path", "").fail("a non-empty file path");
    c.key_store = ks;
  }
  const config::JsonNode gateways = root.child("gateways", "an object of venue name -> gateway");
  for (const auto& [venue, g] : gateways.members()) c.gateways.push_back(readGateway(venue, g));
  if (c.gateways.empty()) gateways.fail("at least one gateway");
  return c;
}

namespace {

api::binance::Market marketOf(GatewayKind k) {
  return k == GatewayKind::Binance ? api::binance::Market::Spot : api::binance::Market::UsdM;
}

/// The one place that turns settings + environment into a BinanceOrderGateway: when the
/// exchange configuration (config/exchanges/*.json) arrives, only the endpoints and credentials
/// source changes here.
/// The key store entry of a Binance market: binance:spot, binance:futures.
config::keys::KeyId keyEntryOf(api::binance::Market market) {
  return config::keys::KeyId::make("binance", market == api::binance::Market::Spot ? "spot" : "futures");
}

/// Opens the store with its key file, else $HFT_KEYSTORE_PASSPHRASE (copied into locked memory and
/// wiped from the environment, so it is neither in /proc/<pid>/environ nor in children's).
config::keys::KeyStore openKeyStore(const KeyStoreSettings& ks) {
  if (!ks.key_file.empty())
    return config::keys::KeyStore::open(ks.path, config::keys::Credential::keyFile(ks.key_file));
  char* value = std::getenv("HFT_KEYSTORE_PASSPHRASE");
  if (value == nullptr || *value == 0)
    throw std::runtime_error("key store " + ks.path + ": no passphrase (set HFT_KEYSTORE_PASSPHRASE or key_store.key_file)");
  const size_t len = std::strlen(value);
  common::SecureBuffer pass(len, common::SecureBuffer::LockPolicy::BestEffort);
  const bool fits = pass.append(value, len);
  explicit_bzero(value, len);
  unsetenv("HFT_KEYSTORE_PASSPHRASE");
  if (!fits) throw std::runtime_error("HFT_KEYSTORE_PASSPHRASE does not fit");
  return config::keys::KeyStore::open(ks.path, config::keys::Credential::passphrase(std::move(pass)));
}

std::unique_ptr<interfaces::IOrderGateway> makeBinance(const ExecutorConfig& config, const GatewayConfig& g,
                                                       std::optional<config::keys::KeyStore>& store,
                                                       const config::InstrumentRegistry& registry,
                                                       common::log::HotLogger* hot, const common::log::Component* component) {
  gateways::BinanceOrderGatewayConfig c;
  const api::binance::Market market = marketOf(g.kind);
  if (config.key_store && !gateways::missingBinanceCredentials(market).empty()) {
    gateways::binanceEndpointsOnlyFromEnv(market, c);
    if (!store) store.emplace(openKeyStore(*config.key_store));  // once: the passphrase is wiped after use
    config::keys::VenueCredentials v = config::keys::resolveCredentials(
        common::toString(g.venue), keyEntryOf(market), &*store, config::processEnvironment(),
        common::SecureBuffer::LockPolicy::BestEffort);
    c.api_key.assign(v.apiKey.view());  // the public identifier (X-MBX-APIKEY); never logged
    c.api_secret = std::move(v.secret);
  } else {
    gateways::binanceEndpointsFromEnv(market, c);
  }
  c.order_entry = g.binance.order_entry == "ws_api" ? gateways::OrderEntry::WsApi : gateways::OrderEntry::Rest;
  c.recv_window_ms = g.binance.recv_window_ms;
  c.listen_key_keepalive_ms = g.binance.listen_key_keepalive_ms;
  c.dual_side_position = g.binance.dual_side_position;
  c.batch_orders = g.binance.batch_orders;
  c.request_timeout_ms = config.request_timeout_ms;
  for (const FuturesSymbolConfig& f : g.binance.symbols) {
    const config::Instrument* inst = registry.byName(g.venue, f.instrument);
    if (!inst) inst = registry.byVenueSymbol(g.venue, f.instrument);
    if (!inst) {
      std::string what = config.source;
      what.append(": gateways.").append(common::toString(g.venue)).append(".symbols.").append(f.instrument);
      throw std::runtime_error(what.append(": no such instrument on this venue in the registry"));
    }
    gateways::FuturesSymbolSettings s;
    s.instrument = inst->id;
    s.leverage = f.leverage;
    s.margin_type = f.margin_type == "isolated"  ? gateways::MarginType::Isolated
                    : f.margin_type == "crossed" ? gateways::MarginType::Crossed
                                                 : gateways::MarginType::Unchanged;
    c.symbols.push_back(s);
  }
  if (hot && component) {
    c.hot_log = hot;
    c.log_component = component;
  }
  return std::make_unique<gateways::BinanceOrderGateway>(std::move(c), registry);
}

}  // namespace

std::vector<std::string> missingCredentials(const ExecutorConfig& config) {
  std::vector<std::string> out;
  std::optional<config::keys::KeyStore> store;  // opened once: the passphrase is wiped after use
  for (const GatewayConfig& g : config.gateways) {
    if (g.kind == GatewayKind::DryRun) continue;
    std::string m = gateways::missingBinanceCredentials(marketOf(g.kind));
    if (m.empty()) continue;
    if (config.key_store) {
      try {
        if (!store) store.emplace(openKeyStore(*config.key_store));
        if (store->contains(keyEntryOf(marketOf(g.kind)))) continue;
        m.append(", and key store ").append(config.key_store->path).append(" has no entry ")
            .append(keyEntryOf(marketOf(g.kind)).toString());
      } catch (const std::exception& e) {
        m.append(", and ").append(e.what());
      }
    }
    out.push_back(std::string("gateways.") + common::toString(g.venue) + ": " + m);
  }
  return out;
}

std::vector<std::unique_ptr<interfaces::IOrderGateway>> makeGateways(const ExecutorConfig& config,
                                                                     const config::InstrumentRegistry& registry,
                                                                     std::vector<std::FILE*>& logs,
                                                                     common::log::HotLogger* hot,
                                                                     const common::log::Component* component) {
  std::vector<std::unique_ptr<interfaces::IOrderGateway>> out;
  std::optional<config::keys::KeyStore> store;  // opened at the first gateway that needs it
  for (const GatewayConfig& g : config.gateways) {
    if (g.kind != GatewayKind::DryRun) {
      out.push_back(makeBinance(config, g, store, registry, hot, component));
      continue;
    }
    std::FILE* log = nullptr;
    if (g.log == "-") {
      log = stderr;
    } else if (!g.log.empty()) {
      log = std::fopen(g.log.c_str(), "a");
      if (!log) {
        std::string what = config.source;
        what.append(": gateways.").append(common::toString(g.venue)).append(".log: cannot open ").append(g.log);
        throw std::runtime_error(what);
      }
      logs.push_back(log);
    }
    gateways::DryRunConfig d;
    d.venue = g.venue;
    d.balances = g.balances;
    out.push_back(std::make_unique<gateways::DryRunGateway>(std::move(d), log, &registry));
  }
  return out;
}

}  // namespace hft::execution_engine::executor
