// BinanceGatewayConfig::fromExchange: the datafeed's defaults come from config/exchanges/*.json.
#include <gtest/gtest.h>

#include <stdexcept>

#include "config/ExchangeConfig.h"
#include "gateways/BinanceGateway.h"

using namespace hft;
using api::binance::Market;
using gateways::BinanceGatewayConfig;

namespace {

config::ExchangeConfig exchange(const char* venue, const char* routes) {
  nlohmann::json j = nlohmann::json::parse(R"({"venue": "", "active": "production", "order_entry": "rest",
      "environments": {"production": {"rest_url": "https://rest.example", "ws_url": "wss://ws.example:9443",
                                      "user_data": {"transport": "private_ws", "ws_route": "private"}}},
      "reconnect": {"connect_timeout_ms": 1500, "request_timeout_ms": 2500, "initial_backoff_ms": 70,
                    "max_backoff_ms": 9000, "dead_stream_timeout_ms": 12000}})");
  j["venue"] = venue;
  j["environments"]["production"]["ws_routes"] = nlohmann::json::parse(routes);
  return config::ExchangeConfig::fromJson(j, std::string(venue) + ".json", config::EnvLookup{});
}

}  // namespace

TEST(BinanceGatewayConfig, spotTakesTheCombinedRouteAndTheReconnectSettings) {
  const auto c = BinanceGatewayConfig::fromExchange(
      Market::Spot, exchange("binance", R"({"raw": "/ws", "combined": "/stream", "private": "/p"})"));
  EXPECT_EQ(c.rest_url, "https://rest.example");
  EXPECT_EQ(c.ws_url, "wss://ws.example:9443/stream");
  EXPECT_EQ(c.depth_path, "/api/v3/depth");  // still the market's own
  EXPECT_EQ(c.connect_timeout_ns, 1'500'000'000);
  EXPECT_EQ(c.request_timeout_ns, 2'500'000'000);
  EXPECT_EQ(c.ws_idle_timeout_ns, 12'000'000'000);
  EXPECT_EQ(c.backoff.initial_ns, 70'000'000);
  EXPECT_EQ(c.backoff.max_ns, 9'000'000'000);
}

TEST(BinanceGatewayConfig, futuresUseCombinedStreamsUnderThePublicRoute) {
  const auto c = BinanceGatewayConfig::fromExchange(
      Market::UsdM, exchange("binance_futures", R"({"public": "/public", "market": "/market", "private": "/private"})"));
  EXPECT_EQ(c.ws_url, "wss://ws.example:9443/public/stream");
  EXPECT_EQ(c.market_ws_url, "wss://ws.example:9443/market/stream");  // aggTrade lives on /market
  EXPECT_EQ(c.depth_path, "/fapi/v1/depth");
}

TEST(BinanceGatewayConfig, futuresRefuseAFileWithoutTheMarketRoute) {
  try {
    (void)BinanceGatewayConfig::fromExchange(Market::UsdM, exchange("binance_futures", R"({"public": "/public", "private": "/p"})"));
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("binance_futures.json: environments.production.ws_routes has no \"market\""),
              std::string::npos)
        << e.what();
  }
}

TEST(BinanceGatewayConfig, defaultsUseBinancesRoutedFuturesUrls) {
  const auto c = BinanceGatewayConfig::defaultsFor(Market::UsdM);
  EXPECT_EQ(c.ws_url, "wss://fstream.binance.com/public/stream");
  EXPECT_EQ(c.market_ws_url, "wss://fstream.binance.com/market/stream");
  EXPECT_TRUE(BinanceGatewayConfig::defaultsFor(Market::Spot).market_ws_url.empty());
}

TEST(BinanceGatewayConfig, oneWsUrlGivesBothFuturesRoutesAndStaysAsGivenOnSpot) {
  for (const char* url : {"ws://127.0.0.1:9000", "ws://127.0.0.1:9000/", "ws://127.0.0.1:9000/stream",
                          "ws://127.0.0.1:9000/public/stream", "ws://127.0.0.1:9000/market/stream",
                          "ws://127.0.0.1:9000/public"}) {
    auto c = BinanceGatewayConfig::defaultsFor(Market::UsdM);
    c.setWsUrls(url);
    EXPECT_EQ(c.ws_url, "ws://127.0.0.1:9000/public/stream") << url;
    EXPECT_EQ(c.market_ws_url, "ws://127.0.0.1:9000/market/stream") << url;
  }
  auto p = BinanceGatewayConfig::defaultsFor(Market::UsdM);
  p.setWsUrls("wss://proxy.example/binance/stream");  // a path prefix is kept
  EXPECT_EQ(p.ws_url, "wss://proxy.example/binance/public/stream");
  EXPECT_EQ(p.market_ws_url, "wss://proxy.example/binance/market/stream");
  auto s = BinanceGatewayConfig::defaultsFor(Market::Spot);
  s.setWsUrls("ws://127.0.0.1:9000/stream");
  EXPECT_EQ(s.ws_url, "ws://127.0.0.1:9000/stream");
  EXPECT_TRUE(s.market_ws_url.empty());
}

TEST(BinanceGatewayConfig, refusesAnotherVenuesFileOrAMissingRoute) {
  EXPECT_THROW((void)BinanceGatewayConfig::fromExchange(Market::Spot, exchange("binance_futures", R"({"public": "/public", "private": "/p"})")),
               std::invalid_argument);
  try {
    (void)BinanceGatewayConfig::fromExchange(Market::Spot, exchange("binance", R"({"raw": "/ws", "private": "/p"})"));
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("binance.json: environments.production.ws_routes has no \"combined\""),
              std::string::npos)
        << e.what();
  }
}
