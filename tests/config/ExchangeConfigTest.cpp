// config/exchanges/<venue>.json: loading, validation errors, environment overrides.
#include "config/ExchangeConfig.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "ConfigTestUtil.h"
#include "config/InstrumentRegistry.h"
#include "config/VenueSymbol.h"

using namespace hft;
using namespace hft::config;
using hft::test::configErrorOf;
using hft::test::expectMentions;
using hft::test::shippedConfig;
using hft::test::TempDir;

namespace {

/// An environment made of a map: tests never touch the process environment.
struct FakeEnv {
  std::map<std::string, std::string> vars;
  EnvLookup lookup() const {
    return [this](const char* name) -> const char* {
      const auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

const EnvLookup kNoEnv{};

/// A valid document to break one key at a time.
nlohmann::json validDoc() {
  return nlohmann::json::parse(R"({
    "venue": "binance", "active": "production", "keys": "binance:spot", "order_entry": "ws_api",
    "recv_window_ms": 5000,
    "environments": {
      "production": {"rest_url": "https://api.binance.com", "ws_url": "wss://stream.binance.com:9443",
                     "ws_routes": {"raw": "/ws", "combined": "/stream"},
                     "ws_api_url": "wss://ws-api.binance.com:443/ws-api/v3", "user_data": {"transport": "ws_api"}},
      "testnet": {"rest_url": "https://testnet.binance.vision", "ws_url": "wss://stream.testnet.binance.vision",
                  "ws_routes": {"raw": "/ws", "combined": "/stream"},
                  "ws_api_url": "wss://ws-api.testnet.binance.vision/ws-api/v3", "user_data": {"transport": "ws_api"}}
    },
    "reconnect": {"connect_timeout_ms": 10000, "initial_backoff_ms": 100, "max_backoff_ms": 30000},
    "rate_limits": {"request_weight_per_minute": 6000, "orders_per_10s": 100}
  })");
}

std::string errorOf(const nlohmann::json& j, const EnvLookup& env = kNoEnv) {
  return configErrorOf([&] { (void)ExchangeConfig::fromJson(j, "exchanges/binance.json", env); });
}

}  // namespace

TEST(ExchangeConfig, loadsTheShippedBinanceSpotFile) {
  const ExchangeConfig c = ExchangeConfig::loadFile(shippedConfig("exchanges/binance.json"), kNoEnv);
  EXPECT_EQ(c.venue, "binance");
  EXPECT_EQ(c.active, "production");
  EXPECT_EQ(c.keys, "binance:spot");
  EXPECT_EQ(c.order_entry, OrderEntry::WsApi);
  EXPECT_EQ(c.recv_window_ms, 5000);
  EXPECT_EQ(c.endpoints.rest_url, "https://api.binance.com");
  EXPECT_EQ(c.endpoints.wsUrl("combined"), "wss://stream.binance.com:9443/stream");
  EXPECT_EQ(c.endpoints.user_data.transport, UserDataTransport::WsApi);
  EXPECT_EQ(c.rate_limits.request_weight_per_minute, 6000);
  EXPECT_EQ(c.rate_limits.orders_per_10s, 100);
  EXPECT_EQ(c.environments.count("testnet"), 1u);
}

TEST(ExchangeConfig, loadsTheShippedFuturesFileWithItsListenKeyAndSplitRoutes) {
  const ExchangeConfig c = ExchangeConfig::loadFile(shippedConfig("exchanges/binance_futures.json"), kNoEnv);
  EXPECT_EQ(c.order_entry, OrderEntry::Rest);
  EXPECT_EQ(c.endpoints.wsUrl("public"), "wss://fstream.binance.com/public");
  EXPECT_EQ(c.endpoints.wsUrl("market"), "wss://fstream.binance.com/market");
  EXPECT_EQ(c.endpoints.user_data.transport, UserDataTransport::ListenKey);
  EXPECT_EQ(c.endpoints.user_data.ws_route, "private");
  EXPECT_EQ(c.endpoints.user_data.listen_key_path, "/fapi/v1/listenKey");
  EXPECT_THROW((void)c.endpoints.wsUrl("combined"), std::out_of_range);
}

TEST(ExchangeConfig, envNameUpperCasesTheVenue) {
  EXPECT_EQ(ExchangeConfig::envName("binance_futures", "REST_URL"), "HFT_BINANCE_FUTURES_REST_URL");
  EXPECT_EQ(ExchangeConfig::envName("upbit", "ENV"), "HFT_UPBIT_ENV");
}

TEST(ExchangeConfig, environmentVariablesChooseTheEnvironmentAndOverrideEndpoints) {
  FakeEnv env{{{"HFT_BINANCE_ENV", "testnet"},
               {"HFT_BINANCE_REST_URL", "http://127.0.0.1:8080"},
               {"HFT_BINANCE_WS_URL", "ws://127.0.0.1:8081"},
               {"HFT_BINANCE_WS_API_URL", "ws://127.0.0.1:8082/ws-api/v3"},
               {"HFT_UPBIT_REST_URL", "http://elsewhere"}}};  // another venue's: ignored
  const ExchangeConfig c = ExchangeConfig::fromJson(validDoc(), "binance.json", env.lookup());
  EXPECT_EQ(c.active, "testnet");
  EXPECT_EQ(c.endpoints.rest_url, "http://127.0.0.1:8080");
  EXPECT_EQ(c.endpoints.ws_url, "ws://127.0.0.1:8081");
  EXPECT_EQ(c.endpoints.wsUrl("combined"), "ws://127.0.0.1:8081/stream");
  EXPECT_EQ(c.endpoints.ws_api_url, "ws://127.0.0.1:8082/ws-api/v3");
  // The environments themselves are as in the file.
  EXPECT_EQ(c.environments.at("testnet").rest_url, "https://testnet.binance.vision");
}

TEST(ExchangeConfig, environmentChoiceAloneUsesThatEnvironmentsEndpoints) {
  FakeEnv env{{{"HFT_BINANCE_ENV", "testnet"}}};
  const ExchangeConfig c = ExchangeConfig::fromJson(validDoc(), "binance.json", env.lookup());
  EXPECT_EQ(c.endpoints.rest_url, "https://testnet.binance.vision");
}

TEST(ExchangeConfig, emptyVariablesCountAsUnset) {
  FakeEnv env{{{"HFT_BINANCE_ENV", ""}, {"HFT_BINANCE_REST_URL", ""}}};
  const ExchangeConfig c = ExchangeConfig::fromJson(validDoc(), "binance.json", env.lookup());
  EXPECT_EQ(c.active, "production");
  EXPECT_EQ(c.endpoints.rest_url, "https://api.binance.com");
}

TEST(ExchangeConfig, rejectsAnUnknownEnvironmentFromTheVariableNamingIt) {
  FakeEnv env{{{"HFT_BINANCE_ENV", "staging"}}};
  expectMentions(errorOf(validDoc(), env.lookup()),
                 {"exchanges/binance.json", "HFT_BINANCE_ENV", "one of production, testnet", "\"staging\""});
}

TEST(ExchangeConfig, rejectsABadOverrideUrlNamingTheVariable) {
  FakeEnv env{{{"HFT_BINANCE_WS_URL", "https://not-a-websocket"}}};
  expectMentions(errorOf(validDoc(), env.lookup()),
                 {"exchanges/binance.json", "HFT_BINANCE_WS_URL", "ws:// or wss://", "scheme \"https\""});
}

TEST(ExchangeConfig, rejectsAMissingActiveEnvironment) {
  auto j = validDoc();
  j["active"] = "staging";
  expectMentions(errorOf(j), {"exchanges/binance.json", "active", "one of production, testnet", "\"staging\""});
}

TEST(ExchangeConfig, rejectsAnUnknownKeyListingTheValidOnes) {
  auto j = validDoc();
  j["environments"]["production"]["rest_ulr"] = "https://api.binance.com";
  expectMentions(errorOf(j), {"exchanges/binance.json", "environments.production.rest_ulr",
                              "rest_url, ws_url, ws_routes, ws_api_url, user_data", "unknown key \"rest_ulr\""});
}

TEST(ExchangeConfig, rejectsABadUrlScheme) {
  auto j = validDoc();
  j["environments"]["testnet"]["rest_url"] = "ftp://testnet.binance.vision";
  expectMentions(errorOf(j), {"environments.testnet.rest_url", "http:// or https://", "scheme \"ftp\""});
  j = validDoc();
  j["environments"]["production"]["ws_url"] = "wss:/stream.binance.com";
  expectMentions(errorOf(j), {"environments.production.ws_url", "no scheme"});
  j = validDoc();
  j["environments"]["production"]["rest_url"] = "https://user:pw@api.binance.com";
  expectMentions(errorOf(j), {"environments.production.rest_url", "user info"});
  j = validDoc();
  j["environments"]["production"]["rest_url"] = "https://api.binance.com:99999";
  expectMentions(errorOf(j), {"environments.production.rest_url", "bad port"});
}

TEST(ExchangeConfig, rejectsAWrongType) {
  auto j = validDoc();
  j["recv_window_ms"] = "5000";
  expectMentions(errorOf(j), {"exchanges/binance.json", "recv_window_ms", "an integer from 1 to 60000", "\"5000\""});
  j = validDoc();
  j["environments"] = nlohmann::json::array();
  expectMentions(errorOf(j), {"environments", "an object"});
}

TEST(ExchangeConfig, rejectsNumbersOutOfRange) {
  auto j = validDoc();
  j["reconnect"]["max_backoff_ms"] = 50;  // below initial_backoff_ms 100
  expectMentions(errorOf(j), {"reconnect.max_backoff_ms", ">= initial_backoff_ms (100)", "50"});
  j = validDoc();
  j["rate_limits"]["orders_per_10s"] = 0;
  expectMentions(errorOf(j), {"rate_limits.orders_per_10s", "an integer from 1"});
  j = validDoc();
  j["reconnect"]["max_connection_age_s"] = 90000;
  expectMentions(errorOf(j), {"reconnect.max_connection_age_s", "from 0 to 86400"});
}

TEST(ExchangeConfig, wsApiOrderEntryNeedsAWsApiUrlInEveryEnvironment) {
  auto j = validDoc();
  j["environments"]["testnet"].erase("ws_api_url");
  j["environments"]["testnet"]["user_data"] = {{"transport", "private_ws"}, {"ws_route", "raw"}};
  expectMentions(errorOf(j), {"environments.testnet.ws_api_url", "order_entry is \"ws_api\"", "missing"});
  j["order_entry"] = "fix";
  expectMentions(errorOf(j), {"order_entry", "\"rest\" or \"ws_api\"", "\"fix\""});
}

TEST(ExchangeConfig, userDataRouteMustNameADefinedRoute) {
  auto j = validDoc();
  j["environments"]["production"]["user_data"] = {{"transport", "private_ws"}, {"ws_route", "private"}};
  expectMentions(errorOf(j), {"environments.production.user_data.ws_route", "one of ws_routes (combined, raw)",
                              "\"private\""});
  j["environments"]["production"]["user_data"] = {{"transport", "listen_key"}, {"ws_route", "raw"}};
  expectMentions(errorOf(j), {"environments.production.user_data.listen_key_path", "missing"});
}

TEST(ExchangeConfig, rejectsAnUnknownVenueAndABadKeyStoreEntry) {
  auto j = validDoc();
  j["venue"] = "kraken";
  expectMentions(errorOf(j), {"venue", "binance, binance_futures, upbit, bithumb, simulated", "without exchange_id", "\"kraken\""});
  j = validDoc();
  j["keys"] = "Binance Spot";
  expectMentions(errorOf(j), {"keys", "\"venue:market\"", "\"Binance Spot\""});
}

TEST(ExchangeConfig, reportsMalformedJsonWithTheFileAndByteOffset) {
  TempDir dir;
  const std::string path = dir.write("binance.json", "{\"venue\": \"binance\",\n \"active\" \"production\"}");
  expectMentions(configErrorOf([&] { (void)ExchangeConfig::loadFile(path, kNoEnv); }),
                 {path, "invalid JSON at byte", "line 2"});
}

TEST(ExchangeConfig, secretsInTheEnvironmentNeverReachAnErrorOrTheStruct) {
  const std::string secret = "s3cr3tV4lu3ThatMustNotLeak";
  FakeEnv env{{{"HFT_BINANCE_API_KEY", secret}, {"HFT_BINANCE_API_SECRET", secret}, {"HFT_BINANCE_ENV", "nowhere"}}};
  const std::string msg = errorOf(validDoc(), env.lookup());
  expectMentions(msg, {"HFT_BINANCE_ENV"});
  EXPECT_EQ(msg.find(secret), std::string::npos) << msg;
  env.vars.erase("HFT_BINANCE_ENV");
  const ExchangeConfig c = ExchangeConfig::fromJson(validDoc(), "binance.json", env.lookup());
  // Only the key-store entry's name is kept; nothing read from the environment holds the value.
  for (const std::string& field : {c.keys, c.active, c.source, c.endpoints.rest_url, c.endpoints.ws_url,
                                   c.endpoints.ws_api_url})
    EXPECT_EQ(field.find(secret), std::string::npos) << field;
  EXPECT_EQ(c.keys, "binance:spot");
}

// A venue that is not built in is named by its own file: its wire id and symbol format are
// registered when the file is read, and from then on instruments, symbols and names know it.
TEST(ExchangeConfig, aNewVenueFileRegistersItsIdNameAndSymbolFormat) {
  auto j = validDoc();
  j["venue"] = "examplex";
  j["exchange_id"] = 4101;
  j["symbol_format"] = "BASE_QUOTE";
  const ExchangeConfig c = ExchangeConfig::fromJson(j, "exchanges/examplex.json", kNoEnv);
  EXPECT_EQ(c.venue, "examplex");
  const auto id = static_cast<hft::common::ExchangeId>(4101);
  EXPECT_EQ(hft::common::exchangeFromString("examplex"), id);
  EXPECT_STREQ(hft::common::toString(id), "examplex");
  EXPECT_EQ(venueSymbol(id, "BTC", "USD"), "BTC_USD");
  const auto split = splitVenueSymbol(id, "ETH_USD");
  ASSERT_TRUE(split);
  EXPECT_EQ(split->first, "ETH");
  EXPECT_EQ(split->second, "USD");
  // Reading the same file again (every process does) is fine.
  EXPECT_NO_THROW((void)ExchangeConfig::fromJson(j, "exchanges/examplex.json", kNoEnv));
}

TEST(ExchangeConfig, aNewVenuesIdentityIsCheckedNamingTheKey) {
  auto j = validDoc();
  j["venue"] = "examplez";
  j["symbol_format"] = "QUOTE-BASE";
  expectMentions(errorOf(j), {"venue", "\"examplez\" without exchange_id"});
  j["exchange_id"] = 1;  // Binance's: persisted in recordings, never reused
  expectMentions(errorOf(j), {"exchange_id", "never reuse"});
  j["exchange_id"] = 4102;
  j["symbol_format"] = "BASE/QUOTE";
  expectMentions(errorOf(j), {"symbol_format", "\"BASEQUOTE\""});
  // An id another registered venue holds.
  auto k = validDoc();
  k["venue"] = "exampley";
  k["exchange_id"] = 4103;
  k["symbol_format"] = "BASE-QUOTE";
  (void)ExchangeConfig::fromJson(k, "exchanges/exampley.json", kNoEnv);
  k["venue"] = "examplew";
  expectMentions(errorOf(k), {"exchange_id", "already exampley's"});
  // A built-in venue may state its identity, but only its own.
  auto b = validDoc();
  b["exchange_id"] = 3;
  expectMentions(errorOf(b), {"exchange_id", "binance's built-in id"});
  b["exchange_id"] = 1;
  b["symbol_format"] = "QUOTE-BASE";
  expectMentions(errorOf(b), {"symbol_format", "binance is built in"});
  b["symbol_format"] = "BASEQUOTE";
  EXPECT_NO_THROW((void)ExchangeConfig::fromJson(b, "exchanges/binance.json", kNoEnv));
}

TEST(InstrumentRegistry, instrumentsOfANewVenueLoadWhenItsFileIsBesideThem) {
  TempDir dir;
  std::filesystem::create_directories(dir.path / "exchanges");
  auto j = validDoc();
  j["venue"] = "examplev";
  j["exchange_id"] = 4104;
  j["symbol_format"] = "QUOTE-BASE";
  std::ofstream(dir.path / "exchanges" / "examplev.json") << j.dump();
  std::ofstream(dir.path / "exchanges" / "broken.json") << "{not json";  // passed over here, reported by ConfigSet
  std::ofstream(dir.path / "instruments.json") << R"({"instruments": [
    {"id": 1, "exchange": "examplev", "base": "BTC", "quote": "EUR", "price_scale": 1, "qty_scale": 8, "tick_size": "0.1", "lot_size": "0.00000001"}]})";
  const auto reg = InstrumentRegistry::loadFile((dir.path / "instruments.json").string());
  const Instrument* inst = reg.byVenueSymbol(static_cast<hft::common::ExchangeId>(4104), "EUR-BTC");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(inst->name, "BTC/EUR");
}
