#pragma once
// The live order-entry gateways the executor can run, by their executor.json "kind". A venue
// registers its kind from its own file (execution_engine/gateways/venues/<Venue>.cpp) at
// static-initialisation time: how to read its settings, which credentials it needs, and how to
// build it. The executor's configuration and start-up know nothing else about the venue
// (docs/adding-an-exchange.md). "dry_run" is the executor's own and is not registered here.
//
// A kind serves the venue of the same name: "gateways": {"upbit": {"kind": "upbit", ...}}.
// Registration files are compiled into an OBJECT library (hft_order_gateway_venues) that each
// executable links directly: a static archive would drop an object nobody references.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/Ids.h"
#include "interfaces/IOrderGateway.h"

namespace hft::config {
class JsonNode;
class InstrumentRegistry;
}  // namespace hft::config

namespace hft::common::log {
class HotLogger;
struct Component;
}  // namespace hft::common::log

namespace hft::execution_engine::gateways {

class KeyStoreAccess;

/// A kind's settings, read from its executor.json object once at load time. Each kind derives
/// its own; only that kind's functions look inside.
struct OrderGatewaySettings {
  virtual ~OrderGatewaySettings() = default;
};

/// What the executor gives a kind's factory.
struct OrderGatewayRequest {
  common::ExchangeId venue = common::ExchangeId::None;
  const OrderGatewaySettings& settings;           ///< what this kind's read() returned
  const config::InstrumentRegistry& instruments;  ///< outlives the gateway
  std::string source;                             ///< executor.json, for error messages
  std::string exchanges_dir;                      ///< config/exchanges (the venue's <venue>.json)
  int64_t request_timeout_ms = 5000;              ///< the executor's: a request unanswered this long is queried
  KeyStoreAccess& keys;                           ///< credentials the environment does not give
  common::log::HotLogger* hot = nullptr;          ///< reconnects, resyncs (optional)
  const common::log::Component* component = nullptr;
};

struct OrderGatewayKind {
  std::string_view name;  ///< executor.json "kind" = the venue's config name ("binance")
  /// Reads and validates the gateway's object ("gateways.<venue>"); it must accept "kind" and
  /// "local_stops" (the executor's). Throws config::ConfigError naming the key path.
  std::shared_ptr<const OrderGatewaySettings> (*read)(const config::JsonNode& gateway) = nullptr;
  /// "" when the credentials are there; else what is missing (variables, key store entries -
  /// never values): KeyStoreAccess::missing does the key store half.
  std::string (*missingCredentials)(const OrderGatewaySettings& settings, KeyStoreAccess& keys) = nullptr;
  /// Builds the gateway (not started). Throws std::runtime_error naming what is missing or wrong.
  std::unique_ptr<interfaces::IOrderGateway> (*make)(const OrderGatewayRequest& request) = nullptr;
};

/// Adds a kind; returns true so a registration file can write
/// `const bool kRegistered = registerOrderGatewayKind({...});`. A duplicate or incomplete kind
/// is a programming error: it aborts at start-up with a message.
bool registerOrderGatewayKind(const OrderGatewayKind& kind) noexcept;
/// nullptr when no venue registered `name`.
const OrderGatewayKind* findOrderGatewayKind(std::string_view name) noexcept;
/// "binance, binance_futures, upbit" - the registered kinds, sorted, for messages.
std::string orderGatewayKindNames();

}  // namespace hft::execution_engine::gateways
