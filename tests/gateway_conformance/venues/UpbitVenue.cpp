// Upbit and Bithumb (Bithumb 2.x speaks Upbit's protocol; each is one dialect): market data
// (UpbitGateway, full top-N books) and order entry (UpbitOrderGateway: JWT REST + the private
// myOrder/myAsset stream) against `exchange_simulator --market upbit|bithumb`.
#include <string_view>

#include "SimHttp.h"
#include "api/exchanges/shared/JsonDecimal.h"
#include "api/exchanges/bithumb/BithumbDialect.h"
#include "execution_engine/gateways/UpbitOrderGateway.h"
#include "gateways/UpbitGateway.h"
#include "venues/SimBalances.h"
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

ConformanceVenue upbitFamilyVenue(const api::upbit::Dialect& dialect) {
  const bool bithumb = dialect.exchange == common::ExchangeId::Bithumb;
  ConformanceVenue v;
  v.name = bithumb ? "bithumb" : "upbit";
  v.exchange = dialect.exchange;
  v.simulator_args = {"--market", v.name};
  // Bithumb's registry has KRW-BTC and KRW-ETH only: one is subscribed, the other served but not.
  v.symbols = bithumb ? std::vector<std::string>{"KRW-BTC"} : std::vector<std::string>{"KRW-BTC", "KRW-ETH"};
  v.unsubscribed_symbol = bithumb ? "KRW-ETH" : "KRW-USDT";
  v.book_feed = BookFeed::FullSnapshots;
  v.market_data = [&dialect](const SimulatorEndpoint& sim, const config::InstrumentRegistry& registry,
                             const std::vector<std::string>& symbols) {
    gateways::UpbitGatewayConfig c;
    c.dialect = dialect;
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

  v.order_entry = [&dialect](const SimulatorEndpoint& sim, const config::InstrumentRegistry& registry) {
    execution_engine::gateways::UpbitOrderGatewayConfig c;
    c.dialect = dialect;
    c.rest_url = sim.restUrl();
    c.private_ws_url = sim.wsBase() + (dialect.exchange == common::ExchangeId::Bithumb ? "/websocket/v2/private"
                                                                                        : "/websocket/v1/private");
    c.access_key = sim.api_key;
    c.secret_key = common::SecureBuffer(128, common::SecureBuffer::LockPolicy::BestEffort);
    if (!c.secret_key.append(sim.api_secret.data(), sim.api_secret.size()))
      throw std::runtime_error("secret does not fit the SecureBuffer");
    c.request_timeout_ms = 3000;
    c.start_timeout_ms = 5000;
    c.backoff_429_ms = 500;
    c.initial_backoff_ms = 20;
    c.max_backoff_ms = 200;
    return execution_engine::gateways::makeUpbitOrderGateway(std::move(c), registry);
  };
  v.sim_balances = [](const nlohmann::json& state) { return freeLockedBalances(state); };
  // KRW-BTC near 140,000,000 KRW and KRW-ETH near millions: both in the 1,000 KRW band, the
  // instruments' tick_size.
  v.resting_bid = [](int64_t bestBid, const config::Instrument& inst) {
    return (bestBid * 98 / 100) / inst.tick_size * inst.tick_size;
  };
  v.marketable_bid = [](int64_t bestAsk, const config::Instrument& inst) {
    return (bestAsk * 101 / 100 + inst.tick_size - 1) / inst.tick_size * inst.tick_size;
  };
  v.order_notional = 20'000;                // KRW; the minimum order total is 5,000 KRW
  v.unaffordable_notional = 2'000'000'000;  // KRW; the account holds 100,000,000
  v.insufficient_funds = common::RejectReason::InsufficientBalance;
  return v;
}

ConformanceVenue upbitVenue() { return upbitFamilyVenue(api::upbit::kUpbit); }
ConformanceVenue bithumbVenue() { return upbitFamilyVenue(api::bithumb::kBithumb); }

}  // namespace hft::test::conformance
