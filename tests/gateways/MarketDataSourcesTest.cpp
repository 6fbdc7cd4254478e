// The datafeed's venue registry: the registration files (gateways/venues) ran before main, the
// names list is what --source's error prints, and a factory builds the venue's gateway from the
// request (symbols given, else every configured instrument of the venue).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/InstrumentRegistry.h"
#include "gateways/MarketDataSources.h"

namespace hft::gateways {
namespace {

TEST(MarketDataSources, venuesRegisterTheirSourcesByName) {
  for (const char* name : {"binance", "binance_futures", "upbit"}) {
    const MarketDataSource* s = findMarketDataSource(name);
    ASSERT_NE(s, nullptr) << name;
    EXPECT_EQ(s->name, name);
    EXPECT_FALSE(s->usage.empty());
  }
  EXPECT_EQ(findMarketDataSource("synthetic"), nullptr);  // the datafeed's own, not a venue
  EXPECT_EQ(findMarketDataSource("kraken"), nullptr);
  const auto all = marketDataSources();
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].name, all[i].name);
  EXPECT_NE(marketDataSourceNames().find("binance, binance_futures"), std::string::npos) << marketDataSourceNames();
}

TEST(MarketDataSources, aFactoryBuildsItsVenuesGatewayWithEveryConfiguredInstrumentByDefault) {
  const auto reg = config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 5, "exchange": "upbit", "base": "BTC", "quote": "KRW", "venue_symbol": "KRW-BTC", "price_scale": 0, "qty_scale": 8, "tick_size": "1000", "lot_size": "0.00000001"},
    {"id": 1, "exchange": "binance", "base": "BTC", "quote": "USDT", "venue_symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 5, "tick_size": "0.01", "lot_size": "0.00001"}
  ]})"), "test");
  // No venue file in the folder: the venue's defaults, overridden by the request's URL.
  MarketDataRequest req{reg, "/nonexistent", {}, "", "ws://127.0.0.1:1/websocket/v1"};
  auto upbit = findMarketDataSource("upbit")->make(req);
  ASSERT_NE(upbit, nullptr);
  EXPECT_EQ(upbit->name(), "upbit");
  EXPECT_TRUE(upbit->isLive());
  // A symbol the registry does not know is refused by the venue's constructor, naming it.
  req.symbols = {"KRW-DOGE"};
  try {
    (void)findMarketDataSource("upbit")->make(req);
    ADD_FAILURE() << "accepted an unconfigured code";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("KRW-DOGE"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace hft::gateways
