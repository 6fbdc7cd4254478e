// The executor.json kinds "upbit" and "bithumb": one UpbitOrderGateway in each venue's dialect
// (Bithumb 2.x speaks Upbit's protocol). Endpoints from config/exchanges/<venue>.json (active
// environment, HFT_<VENUE>_* overrides); credentials from HFT_<VENUE>_ACCESS_KEY/_SECRET_KEY,
// else the key store entry the file names ("keys": "upbit:spot").
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "api/exchanges/bithumb/BithumbDialect.h"
#include "config/ExchangeConfig.h"
#include "config/JsonNode.h"
#include "config/keys/KeyId.h"
#include "execution_engine/gateways/KeyStoreAccess.h"
#include "execution_engine/gateways/OrderGatewayKinds.h"
#include "execution_engine/gateways/UpbitGatewayEnv.h"
#include "execution_engine/gateways/UpbitOrderGateway.h"

namespace hft::execution_engine::gateways {
namespace {

struct UpbitFamilySettings final : OrderGatewaySettings {
  const api::upbit::Dialect* dialect = &api::upbit::kUpbit;
};

template <const api::upbit::Dialect& D>
std::shared_ptr<const OrderGatewaySettings> read(const config::JsonNode& n) {
  n.expectObject({"kind", "local_stops"});  // endpoints and timing live in the venue's file
  auto s = std::make_shared<UpbitFamilySettings>();
  s->dialect = &D;
  return s;
}

const char* venueOf(const OrderGatewaySettings& s) {
  return common::toString(static_cast<const UpbitFamilySettings&>(s).dialect->exchange);
}

config::keys::KeyId entryOf(const OrderGatewaySettings& s) { return config::keys::KeyId::make(venueOf(s), "spot"); }

bool environmentHasThem(const OrderGatewaySettings& s) {
  const UpbitEnvNames n = upbitEnvNames(*static_cast<const UpbitFamilySettings&>(s).dialect);
  const char* access = std::getenv(n.access_key);
  const char* secret = std::getenv(n.secret_key);
  return access && *access && secret && *secret;
}

std::string missing(const OrderGatewaySettings& s, KeyStoreAccess& keys) {
  if (environmentHasThem(s)) return {};
  const UpbitEnvNames n = upbitEnvNames(*static_cast<const UpbitFamilySettings&>(s).dialect);
  return keys.missing(std::string(n.access_key) + " and " + n.secret_key + " not set", entryOf(s));
}

std::unique_ptr<interfaces::IOrderGateway> make(const OrderGatewayRequest& r) {
  const std::string venue = venueOf(r.settings);
  const std::string file = (std::filesystem::path(r.exchanges_dir) / (venue + ".json")).string();
  if (!std::filesystem::exists(file))
    throw std::runtime_error(r.source + ": gateways." + venue + ": no exchange file " + file + " (endpoints come from it)");
  const config::ExchangeConfig exchange = config::ExchangeConfig::loadFile(file);
  UpbitOrderGatewayConfig c = UpbitOrderGatewayConfig::fromExchange(exchange);
  c.request_timeout_ms = r.request_timeout_ms;
  std::optional<config::keys::KeyId> entry = entryOf(r.settings);
  if (!exchange.keys.empty()) entry = config::keys::KeyId::parse(exchange.keys);
  // The key store only when the environment lacks them (opening it wipes its passphrase);
  // neither: loadUpbitCredentials names the variables and the entry.
  const bool useStore = !environmentHasThem(r.settings) && r.keys.configured();
  loadUpbitCredentials(c, entry, useStore ? &r.keys.store() : nullptr);
  return makeUpbitOrderGateway(std::move(c), r.instruments);
}

[[maybe_unused]] const bool kUpbit = registerOrderGatewayKind({"upbit", &read<api::upbit::kUpbit>, &missing, &make});
[[maybe_unused]] const bool kBithumb = registerOrderGatewayKind({"bithumb", &read<api::bithumb::kBithumb>, &missing, &make});

}  // namespace
}  // namespace hft::execution_engine::gateways
