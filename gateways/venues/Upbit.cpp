// The market-data sources `upbit` and `bithumb`: one UpbitGateway in each venue's dialect
// (Bithumb 2.x speaks Upbit's protocol) over the quotation WebSocket (full top-N books, no REST).
// URL from --ws-url, else config/exchanges/<venue>.json (active environment, HFT_<VENUE>_*
// overrides), else the venue's public endpoint; codes from --symbols, else every configured
// instrument of the venue.
#include "api/exchanges/bithumb/BithumbDialect.h"
#include "config/ExchangeConfig.h"
#include "config/InstrumentRegistry.h"
#include "gateways/MarketDataSources.h"
#include "gateways/UpbitGateway.h"

namespace hft::gateways {
namespace {

template <const api::upbit::Dialect& D>
std::unique_ptr<interfaces::IGateway> make(const MarketDataRequest& r) {
  const char* venue = common::toString(D.exchange);
  const std::string file = r.venueFile(venue);
  UpbitGatewayConfig uc;
  if (!file.empty()) {
    uc = UpbitGatewayConfig::fromExchange(config::ExchangeConfig::loadFile(file), D);
  } else {
    uc.dialect = D;
    if (D.exchange == common::ExchangeId::Bithumb) uc.ws_url = "wss://ws-api.bithumb.com/websocket/v1";
  }
  if (!r.ws_url.empty()) uc.ws_url = r.ws_url;
  uc.codes = r.symbols;
  if (uc.codes.empty())
    for (const auto& inst : r.instruments.all())
      if (inst.exchange == D.exchange) uc.codes.push_back(inst.venue_symbol);
  return std::make_unique<UpbitGateway>(uc, r.instruments);
}

[[maybe_unused]] const bool kUpbit = registerMarketDataSource(
    {"upbit", "Upbit quotation WebSocket: trade, orderbook, ticker (--symbols KRW-BTC,... --ws-url)", &make<api::upbit::kUpbit>});
[[maybe_unused]] const bool kBithumb = registerMarketDataSource(
    {"bithumb", "Bithumb 2.x public WebSocket (Upbit's format): trade, orderbook, ticker (--symbols KRW-BTC,... --ws-url)",
     &make<api::bithumb::kBithumb>});

}  // namespace
}  // namespace hft::gateways
