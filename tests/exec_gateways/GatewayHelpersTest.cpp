// The small pieces of the Binance order gateway: the top-level JSON scanner, the live-order
// table, the pending-request pool and the environment wiring.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "execution_engine/gateways/BinanceGatewayEnv.h"
#include "execution_engine/gateways/LiveOrderTable.h"
#include "execution_engine/gateways/PendingRequests.h"
#include "execution_engine/gateways/TopLevelJson.h"

namespace hft::execution_engine::gateways {
namespace {

TEST(TopLevelJson, splitsAWebSocketApiEnvelopeIntoRawMembers) {
  const std::string_view text =
      R"({"id":"42","status":200,"result":{"a":"}{\"","b":[1,{"c":2}]},"rateLimits":[{"x":1}]})";
  std::vector<std::pair<std::string, std::string>> seen;
  ASSERT_TRUE(json::forEachMember(text, [&](std::string_view k, std::string_view v) { seen.emplace_back(k, v); }));
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].second, "\"42\"");
  EXPECT_EQ(seen[1].second, "200");
  EXPECT_EQ(seen[2].second, R"({"a":"}{\"","b":[1,{"c":2}]})");
  EXPECT_EQ(json::stringContents(json::member(text, "id")), "42");
  EXPECT_TRUE(json::member(text, "error").empty());
}

TEST(TopLevelJson, splitsAnArrayAndRefusesBrokenInput) {
  std::vector<std::string> items;
  ASSERT_TRUE(json::forEachElement(R"([ {"a":1} , {"b":"]"} ])", [&](std::string_view v) { items.emplace_back(v); }));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1], R"({"b":"]"})");
  EXPECT_TRUE(json::forEachElement("[]", [&](std::string_view) { ADD_FAILURE(); }));
  EXPECT_FALSE(json::forEachElement(R"([{"a":1})", [](std::string_view) {}));    // cut short
  EXPECT_FALSE(json::forEachMember(R"({"a":"unterminated})", [](std::string_view, std::string_view) {}));
  EXPECT_FALSE(json::forEachMember(R"(["not an object"])", [](std::string_view, std::string_view) {}));
  EXPECT_FALSE(json::forEachMember(R"({"a" 1})", [](std::string_view, std::string_view) {}));
}

TEST(LiveOrderTable, insertsFindsAndErasesWithoutLosingProbeRuns) {
  LiveOrderTable t(64);
  std::set<uint64_t> live;
  for (uint64_t id = 1; id <= 32; ++id) {
    ASSERT_TRUE(t.insert(id, 1, 7));
    live.insert(id);
  }
  EXPECT_FALSE(t.insert(1000, 1, 7));  // half full = full
  for (uint64_t id = 1; id <= 32; id += 3) {
    t.erase(id);
    live.erase(id);
  }
  for (uint64_t id = 1; id <= 32; ++id) EXPECT_EQ(t.find(id) != nullptr, live.count(id) == 1) << id;
  EXPECT_EQ(t.size(), live.size());
  t.erase(999);  // absent: no effect
  EXPECT_EQ(t.size(), live.size());
  EXPECT_EQ(t.find(2)->strategy, 7u);
  EXPECT_THROW(LiveOrderTable(3), std::invalid_argument);
}

TEST(PendingRequests, findsOpenRequestsAndForgetsOverwrittenOnes) {
  PendingRequests p(4);
  PendingRequest& a = p.open(RequestKind::Order);
  const uint64_t first = a.id;
  ASSERT_EQ(p.find(first), &a);
  for (int i = 0; i < 4; ++i) (void)p.open(RequestKind::Query);  // wraps onto the first slot
  EXPECT_EQ(p.find(first), nullptr);
  PendingRequest& b = p.open(RequestKind::ServerTime);
  p.close(b);
  EXPECT_EQ(p.find(b.id), nullptr);
  EXPECT_EQ(p.find(0), nullptr);
  EXPECT_THROW(PendingRequests(6), std::invalid_argument);
}

TEST(BinanceGatewayEnv, namesMissingCredentialsWithoutPrintingValues) {
  ::unsetenv("HFT_BINANCE_FUTURES_API_KEY");
  ::setenv("HFT_BINANCE_FUTURES_API_SECRET", "topSecretValue", 1);
  const std::string missing = missingBinanceCredentials(api::binance::Market::UsdM);
  EXPECT_NE(missing.find("HFT_BINANCE_FUTURES_API_KEY"), std::string::npos);
  EXPECT_EQ(missing.find("SECRET"), std::string::npos);
  BinanceOrderGatewayConfig c;
  try {
    binanceEndpointsFromEnv(api::binance::Market::UsdM, c);
    ADD_FAILURE() << "missing key must throw";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).find("topSecretValue"), std::string::npos);
  }
  ::setenv("HFT_BINANCE_FUTURES_API_KEY", "k", 1);
  ::setenv("HFT_BINANCE_FUTURES_REST_URL", "http://127.0.0.1:1", 1);
  ASSERT_NO_THROW(binanceEndpointsFromEnv(api::binance::Market::UsdM, c));
  EXPECT_EQ(c.rest_url, "http://127.0.0.1:1");
  EXPECT_EQ(c.ws_url, "wss://fstream.binance.com");  // production default
  EXPECT_EQ(c.api_secret.view(), "topSecretValue");
  ::unsetenv("HFT_BINANCE_FUTURES_API_KEY");
  ::unsetenv("HFT_BINANCE_FUTURES_API_SECRET");
  ::unsetenv("HFT_BINANCE_FUTURES_REST_URL");
}

}  // namespace
}  // namespace hft::execution_engine::gateways
