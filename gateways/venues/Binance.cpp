// Binance's market-data sources: `binance` (spot) and `binance_futures` (USD-M). Endpoints from
// --rest-url/--ws-url, else config/exchanges/<source>.json (active environment, HFT_<VENUE>_*
// overrides), else Binance's public endpoints; symbols from --symbols, else every configured
// instrument of the venue.
#include "api/exchanges/binance/Market.h"
#include "config/ExchangeConfig.h"
#include "config/InstrumentRegistry.h"
#include "gateways/BinanceGateway.h"
#include "gateways/MarketDataSources.h"

namespace hft::gateways {
namespace {

std::unique_ptr<interfaces::IGateway> make(const MarketDataRequest& r, api::binance::Market market) {
  const char* venue = market == api::binance::Market::Spot ? "binance" : "binance_futures";
  const std::string file = r.venueFile(venue);
  auto bc = file.empty() ? BinanceGatewayConfig::defaultsFor(market)
                         : BinanceGatewayConfig::fromExchange(market, config::ExchangeConfig::loadFile(file));
  if (!r.rest_url.empty()) bc.rest_url = r.rest_url;
  if (!r.ws_url.empty()) bc.setWsUrls(r.ws_url);  // USD-M: both routes from one base
  bc.symbols = r.symbols;
  if (bc.symbols.empty())
    for (const auto& inst : r.instruments.all())
      if (inst.exchange == api::binance::exchangeOf(market)) bc.symbols.push_back(inst.venue_symbol);
  return std::make_unique<BinanceGateway>(bc, r.instruments);
}

std::unique_ptr<interfaces::IGateway> makeSpot(const MarketDataRequest& r) { return make(r, api::binance::Market::Spot); }
std::unique_ptr<interfaces::IGateway> makeUsdM(const MarketDataRequest& r) { return make(r, api::binance::Market::UsdM); }

[[maybe_unused]] const bool kSpot = registerMarketDataSource(
    {"binance", "Binance spot: combined streams + REST depth snapshots (--symbols BTCUSDT,... --rest-url --ws-url)", &makeSpot});
[[maybe_unused]] const bool kUsdM = registerMarketDataSource(
    {"binance_futures",
     "Binance USD-M: /public books + /market trades + REST snapshots (--ws-url is the base of both routes)", &makeUsdM});

}  // namespace
}  // namespace hft::gateways
