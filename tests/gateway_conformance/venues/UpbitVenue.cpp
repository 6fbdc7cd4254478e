// Upbit: market data (UpbitGateway, full top-N books) against `exchange_simulator --market
// upbit`. Order entry joins when UpbitOrderGateway and the simulator's Upbit order endpoints
// are merged (README.md: "Adding order entry to a venue").
#include <string_view>

#include "SimHttp.h"
#include "api/exchanges/shared/JsonDecimal.h"
#include "gateways/UpbitGateway.h"
#include "venues/Venues.h"

namespace hft::test::conformance {

namespace {

/// The number token after each `"key":` in `body`, in order (the REST orderbook's units are
/// read from their own text, never through double).
std::vector<std::string_view> numbersAfter(std::string_view body, std::string_view key) {
  std::vector<std::string_view> out;
  const std::string needle = std::string("\"").append(key).append("\":");
  for (size_t at = body.find(needle); at != std::string_view::npos; at = body.find(needle, at + 1)) {
    size_t b = at + needle.size();
    while (b < body.size() && body[b] == ' ') ++b;
    size_t e = b;
    while (e < body.size() && std::string_view("+-.0123456789eE").find(body[e]) != std::string_view::npos) ++e;
    out.push_back(body.substr(b, e - b));
  }
  return out;
}

bool levels(std::string_view body, std::string_view priceKey, std::string_view sizeKey, const config::Instrument& inst,
            std::vector<common::BookLevel>& out, std::string& error) {
  const auto prices = numbersAfter(body, priceKey), sizes = numbersAfter(body, sizeKey);
  if (prices.empty() || prices.size() != sizes.size()) {
    error = std::string("GET /v1/orderbook: ").append(priceKey).append(" / ").append(sizeKey).append(" missing");
    return false;
  }
  for (size_t i = 0; i < prices.size(); ++i) {
    common::BookLevel l{};
    if (api::shared::parseJsonDecimal(prices[i], inst.price_scale, l.price) != common::ParseStatus::Ok ||
        api::shared::parseJsonDecimal(sizes[i], inst.qty_scale, l.qty) != common::ParseStatus::Ok) {
      error = "GET /v1/orderbook: orderbook_units[" + std::to_string(i) + "]: not a decimal";
      return false;
    }
    if (l.qty > 0) out.push_back(l);  // zero-size units pad a thin side
  }
  return true;
}

}  // namespace

ConformanceVenue upbitVenue() {
  ConformanceVenue v;
  v.name = "upbit";
  v.exchange = common::ExchangeId::Upbit;
  v.simulator_args = {"--market", "upbit"};
  v.symbols = {"KRW-BTC", "KRW-ETH"};
  v.unsubscribed_symbol = "KRW-USDT";
  v.book_feed = BookFeed::FullSnapshots;
  v.market_data = [](const SimulatorEndpoint& sim, const config::InstrumentRegistry& registry,
                     const std::vector<std::string>& symbols) {
    gateways::UpbitGatewayConfig c;
    c.ws_url = sim.wsBase() + "/websocket/v1";
    c.codes = symbols;
    c.backoff = {20'000'000, 200'000'000, 7};
    return std::unique_ptr<interfaces::IGateway>(std::make_unique<gateways::UpbitGateway>(std::move(c), registry));
  };
  v.rest_book = [](const SimulatorEndpoint& sim, const config::Instrument& inst, RestBook& out, std::string& error) {
    const std::string target = "/v1/orderbook?markets=" + inst.venue_symbol;
    const HttpReply r = httpExchange(sim.port, "GET", target);
    if (r.status != 200) {
      error = "GET " + target + ": HTTP " + std::to_string(r.status) + " " + r.body;
      return false;
    }
    out = RestBook{};  // Upbit books carry no update id
    return levels(r.body, "bid_price", "bid_size", inst, out.bids, error) &&
           levels(r.body, "ask_price", "ask_size", inst, out.asks, error);
  };
  return v;
}

}  // namespace hft::test::conformance
