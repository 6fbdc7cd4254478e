// Upbit's market-data source `upbit`: the quotation WebSocket (full top-N books, no REST).
// URL from --ws-url, else config/exchanges/upbit.json, else Upbit's public endpoint; codes from
// --symbols, else every configured upbit instrument.
#include "config/ExchangeConfig.h"
#include "config/InstrumentRegistry.h"
#include "gateways/MarketDataSources.h"
#include "gateways/UpbitGateway.h"

namespace hft::gateways {
namespace {

std::unique_ptr<interfaces::IGateway> make(const MarketDataRequest& r) {
  const std::string file = r.venueFile("upbit");
  auto uc = file.empty() ? UpbitGatewayConfig{} : UpbitGatewayConfig::fromExchange(config::ExchangeConfig::loadFile(file));
  if (!r.ws_url.empty()) uc.ws_url = r.ws_url;
  uc.codes = r.symbols;
  if (uc.codes.empty())
    for (const auto& inst : r.instruments.all())
      if (inst.exchange == common::ExchangeId::Upbit) uc.codes.push_back(inst.venue_symbol);
  return std::make_unique<UpbitGateway>(uc, r.instruments);
}

[[maybe_unused]] const bool kRegistered =
    registerMarketDataSource({"upbit", "Upbit quotation WebSocket: trade, orderbook, ticker (--symbols KRW-BTC,... --ws-url)", &make});

}  // namespace
}  // namespace hft::gateways
