// TEMPLATE: copy to execution_engine/gateways/venues/<Venue>.cpp. The executor.json kind
// "examplex" comes from here and from nothing else (execution_engine/gateways/OrderGatewayKinds.h):
// how to read its settings (unknown keys refused, naming the key path), which credentials it
// needs (environment first, then the key store entry <venue>:spot), and how to build the
// IOrderGateway. See execution_engine/gateways/venues/Binance.cpp for a complete one.
#include <cstdlib>
#include <stdexcept>

#include "config/JsonNode.h"
#include "config/keys/KeyId.h"
#include "execution_engine/gateways/KeyStoreAccess.h"
#include "execution_engine/gateways/OrderGatewayKinds.h"

namespace hft::execution_engine::gateways {
namespace {

struct ExampleSettings final : OrderGatewaySettings {
  int64_t recv_window_ms = 5000;  ///< venue: whatever executor.json may tune for this venue
};

std::shared_ptr<const OrderGatewaySettings> read(const config::JsonNode& n) {
  n.expectObject({"kind", "local_stops", "recv_window_ms"});
  auto s = std::make_shared<ExampleSettings>();
  s->recv_window_ms = n.optionalInt("recv_window_ms", 1, 60'000, s->recv_window_ms);
  return s;
}

std::string missing(const OrderGatewaySettings&, KeyStoreAccess& keys) {
  // venue: name the environment variables that are not set ("" when both are).
  const bool envHasThem = std::getenv("HFT_EXAMPLEX_API_KEY") && std::getenv("HFT_EXAMPLEX_API_SECRET");
  return keys.missing(envHasThem ? "" : "HFT_EXAMPLEX_API_KEY and HFT_EXAMPLEX_API_SECRET not set",
                      config::keys::KeyId::make("examplex", "spot"));
}

std::unique_ptr<interfaces::IOrderGateway> make(const OrderGatewayRequest& r) {
  // venue: config::keys::resolveCredentials(...) into SecureBuffers, endpoints from
  // r.exchanges_dir + "/examplex.json", then std::make_unique<ExampleOrderGateway>(...).
  throw std::runtime_error(r.source + ": gateways.examplex: the template builds no gateway");
}

[[maybe_unused]] const bool kRegistered = registerOrderGatewayKind({"examplex", &read, &missing, &make});

}  // namespace
}  // namespace hft::execution_engine::gateways
