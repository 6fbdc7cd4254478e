// Binance's order-entry kinds: "binance" (spot) and "binance_futures" (USD-M). Endpoints and
// credentials from the environment (BinanceGatewayEnv.h); credentials the environment lacks
// from the key store entries binance:spot / binance:futures.
#include <stdexcept>

#include "common/Ids.h"
#include "config/EnvLookup.h"
#include "config/InstrumentRegistry.h"
#include "config/keys/VenueCredentials.h"
#include "execution_engine/gateways/BinanceGatewayEnv.h"
#include "execution_engine/gateways/BinanceOrderGateway.h"
#include "execution_engine/gateways/BinanceOrderSettings.h"
#include "execution_engine/gateways/KeyStoreAccess.h"
#include "execution_engine/gateways/OrderGatewayKinds.h"

namespace hft::execution_engine::gateways {
namespace {

config::keys::KeyId keyEntryOf(api::binance::Market market) {
  return config::keys::KeyId::make("binance", market == api::binance::Market::Spot ? "spot" : "futures");
}

std::string missing(const OrderGatewaySettings& s, KeyStoreAccess& keys) {
  const auto market = static_cast<const BinanceOrderSettings&>(s).market;
  return keys.missing(missingBinanceCredentials(market), keyEntryOf(market));
}

std::unique_ptr<interfaces::IOrderGateway> make(const OrderGatewayRequest& r) {
  const auto& s = static_cast<const BinanceOrderSettings&>(r.settings);
  BinanceOrderGatewayConfig c;
  if (r.keys.configured() && !missingBinanceCredentials(s.market).empty()) {
    binanceEndpointsOnlyFromEnv(s.market, c);
    config::keys::VenueCredentials v =
        config::keys::resolveCredentials(common::toString(r.venue), keyEntryOf(s.market), &r.keys.store(),
                                         config::processEnvironment(), common::SecureBuffer::LockPolicy::BestEffort);
    c.api_key.assign(v.apiKey.view());  // the public identifier (X-MBX-APIKEY); never logged
    c.api_secret = std::move(v.secret);
  } else {
    binanceEndpointsFromEnv(s.market, c);
  }
  c.order_entry = s.order_entry == "ws_api" ? OrderEntry::WsApi : OrderEntry::Rest;
  c.recv_window_ms = s.recv_window_ms;
  c.listen_key_keepalive_ms = s.listen_key_keepalive_ms;
  c.dual_side_position = s.dual_side_position;
  c.batch_orders = s.batch_orders;
  c.request_timeout_ms = r.request_timeout_ms;
  for (const FuturesSymbolConfig& f : s.symbols) {
    const config::Instrument* inst = r.instruments.byName(r.venue, f.instrument);
    if (!inst) inst = r.instruments.byVenueSymbol(r.venue, f.instrument);
    if (!inst) {
      std::string what = r.source;
      what.append(": gateways.").append(common::toString(r.venue)).append(".symbols.").append(f.instrument);
      throw std::runtime_error(what.append(": no such instrument on this venue in the registry"));
    }
    FuturesSymbolSettings fs;
    fs.instrument = inst->id;
    fs.leverage = f.leverage;
    fs.margin_type = f.margin_type == "isolated"  ? MarginType::Isolated
                     : f.margin_type == "crossed" ? MarginType::Crossed
                                                  : MarginType::Unchanged;
    c.symbols.push_back(fs);
  }
  if (r.hot && r.component) {
    c.hot_log = r.hot;
    c.log_component = r.component;
  }
  return std::make_unique<BinanceOrderGateway>(std::move(c), r.instruments);
}

std::shared_ptr<const OrderGatewaySettings> readSpot(const config::JsonNode& n) {
  return readBinanceOrderSettings(n, api::binance::Market::Spot);
}
std::shared_ptr<const OrderGatewaySettings> readUsdM(const config::JsonNode& n) {
  return readBinanceOrderSettings(n, api::binance::Market::UsdM);
}

[[maybe_unused]] const bool kSpot = registerOrderGatewayKind({"binance", &readSpot, &missing, &make});
[[maybe_unused]] const bool kUsdM = registerOrderGatewayKind({"binance_futures", &readUsdM, &missing, &make});

}  // namespace
}  // namespace hft::execution_engine::gateways
