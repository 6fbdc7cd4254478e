// TEMPLATE: copy to gateways/venues/<Venue>.cpp. The datafeed's `--source examplex` comes from
// here and from nothing else (gateways/MarketDataSources.h). Endpoints: --ws-url, else the
// venue's config/exchanges/<venue>.json (config::ExchangeConfig: active environment and
// HFT_<VENUE>_* overrides); symbols: --symbols, else every configured instrument of the venue.
#include "ExampleGateway.h"
#include "config/ExchangeConfig.h"
#include "config/InstrumentRegistry.h"
#include "gateways/MarketDataSources.h"

namespace hft::gateways {
namespace {

std::unique_ptr<interfaces::IGateway> make(const MarketDataRequest& r) {
  ExampleGatewayConfig c;
  if (const std::string file = r.venueFile("examplex"); !file.empty()) {
    const config::ExchangeConfig ex = config::ExchangeConfig::loadFile(file);
    c.ws_url = ex.endpoints.wsUrl("public");
  }
  if (!r.ws_url.empty()) c.ws_url = r.ws_url;
  c.symbols = r.symbols;
  if (c.symbols.empty())
    for (const auto& inst : r.instruments.all())
      if (inst.exchange == common::exchangeFromString("examplex")) c.symbols.push_back(inst.venue_symbol);
  return std::make_unique<ExampleGateway>(c, r.instruments);
}

// In the template this line is what a real venue file has; the template is compiled into an
// object library nobody links, so "examplex" is never registered in a real process.
[[maybe_unused]] const bool kRegistered =
    registerMarketDataSource({"examplex", "Examplex public WebSocket: trades, books (--symbols BTC-EUR,... --ws-url)", &make});

}  // namespace
}  // namespace hft::gateways
