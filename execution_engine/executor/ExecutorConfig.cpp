#include "execution_engine/executor/ExecutorConfig.h"

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/Events.h"
#include "config/ConfigError.h"
#include "config/JsonNode.h"
#include "config/keys/KeyStore.h"
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
  const std::string kinds = "the gateway kind (dry_run or a venue's: " + gateways::orderGatewayKindNames() + ")";
  const config::JsonNode kind = n.child("kind", kinds);
  g.kind = kind.json().is_string() ? kind.asString() : "";
  if (!g.dryRun()) {
    const gateways::OrderGatewayKind* live = gateways::findOrderGatewayKind(g.kind);
    if (live == nullptr) kind.fail(kinds, kind.json().dump());
    // A live kind trades the venue of its own name.
    if (g.kind != venueName) kind.fail(std::string("\"dry_run\" or \"") + venueName + "\" for venue " + venueName, "\"" + g.kind + "\"");
    g.settings = live->read(n);
    // A live venue may take stop orders natively, but the executor holds them unless told.
    g.local_stops = n.optionalBool("local_stops", true);
    return g;
  }
  n.expectObject({"kind", "balances", "log", "local_stops"});
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
  c.exchanges_dir = (std::filesystem::path(baseDir) / "exchanges").lexically_normal().string();
  const config::JsonNode gateways = root.child("gateways", "an object of venue name -> gateway");
  for (const auto& [venue, g] : gateways.members()) c.gateways.push_back(readGateway(venue, g));
  if (c.gateways.empty()) gateways.fail("at least one gateway");
  return c;
}

namespace {

}  // namespace

std::vector<std::string> missingCredentials(const ExecutorConfig& config) {
  std::vector<std::string> out;
  gateways::KeyStoreAccess keys(config.key_store);  // opened once: the passphrase is wiped after use
  for (const GatewayConfig& g : config.gateways) {
    if (g.dryRun()) continue;
    const std::string m = gateways::findOrderGatewayKind(g.kind)->missingCredentials(*g.settings, keys);
    if (!m.empty()) out.push_back(std::string("gateways.") + common::toString(g.venue) + ": " + m);
  }
  return out;
}

std::vector<std::unique_ptr<interfaces::IOrderGateway>> makeGateways(const ExecutorConfig& config,
                                                                     const config::InstrumentRegistry& registry,
                                                                     std::vector<std::FILE*>& logs,
                                                                     common::log::HotLogger* hot,
                                                                     const common::log::Component* component) {
  std::vector<std::unique_ptr<interfaces::IOrderGateway>> out;
  gateways::KeyStoreAccess keys(config.key_store);  // opened at the first gateway that needs it
  for (const GatewayConfig& g : config.gateways) {
    if (!g.dryRun()) {
      const gateways::OrderGatewayRequest request{g.venue, *g.settings, registry, config.source, config.exchanges_dir,
                                                  config.request_timeout_ms, keys, hot, component};
      out.push_back(gateways::findOrderGatewayKind(g.kind)->make(request));
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
