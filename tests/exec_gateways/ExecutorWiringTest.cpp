// The executor's side of the Binance gateways: executor.json kinds "binance" and
// "binance_futures", their settings, the credential check of --check-config, and that
// makeGateways builds the gateway from the environment.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "config/ConfigError.h"
#include "config/InstrumentRegistry.h"
#include "config/keys/KeyStore.h"
#include "config/keys/MasterKey.h"
#include "execution_engine/executor/ExecutorConfig.h"
#include "execution_engine/gateways/BinanceOrderSettings.h"

namespace hft::execution_engine::executor {
namespace {

nlohmann::json withGateways(const char* gateways) {
  return nlohmann::json::parse(std::string(R"({"order_rules": "rules.json", "gateways": )") + gateways + "}");
}

const config::InstrumentRegistry& registry() {
  static const auto reg = config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 11, "exchange": "binance_futures", "base": "BTC", "quote": "USDT", "venue_symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 3, "tick_size": "0.1", "lot_size": "0.001"}
  ]})"), "test");
  return reg;
}

TEST(ExecutorBinanceConfig, readsBinanceKindsAndTheirSettings) {
  const auto c = ExecutorConfig::fromJson(withGateways(R"({
    "binance": {"kind": "binance", "order_entry": "ws_api", "recv_window_ms": 3000},
    "binance_futures": {"kind": "binance_futures", "dual_side_position": false, "listen_key_keepalive_ms": 600000, "batch_orders": false,
                        "symbols": {"BTCUSDT": {"leverage": 5, "margin_type": "isolated"}}}})"), "x.json", ".");
  ASSERT_EQ(c.gateways.size(), 2u);
  const GatewayConfig& spotG = c.gateways[0].kind == "binance" ? c.gateways[0] : c.gateways[1];
  const GatewayConfig& futG = c.gateways[0].kind == "binance" ? c.gateways[1] : c.gateways[0];
  EXPECT_EQ(futG.kind, "binance_futures");
  EXPECT_FALSE(spotG.dryRun());
  // Each kind read its own settings (gateways/BinanceOrderSettings.h).
  const auto* spot = dynamic_cast<const gateways::BinanceOrderSettings*>(spotG.settings.get());
  const auto* fut = dynamic_cast<const gateways::BinanceOrderSettings*>(futG.settings.get());
  ASSERT_TRUE(spot && fut);
  EXPECT_EQ(spot->market, api::binance::Market::Spot);
  EXPECT_EQ(fut->market, api::binance::Market::UsdM);
  EXPECT_EQ(spot->order_entry, "ws_api");
  EXPECT_EQ(spot->recv_window_ms, 3000);
  EXPECT_EQ(fut->dual_side_position, 0);
  EXPECT_EQ(fut->listen_key_keepalive_ms, 600000);
  EXPECT_FALSE(fut->batch_orders);
  EXPECT_TRUE(spot->batch_orders);
  ASSERT_EQ(fut->symbols.size(), 1u);
  EXPECT_EQ(fut->symbols[0].leverage, 5);
  EXPECT_EQ(fut->symbols[0].margin_type, "isolated");
}

TEST(ExecutorGatewayKinds, venuesRegisterTheirKindsAndTheErrorListsThem) {
  // The registration files (execution_engine/gateways/venues) ran before main.
  ASSERT_NE(gateways::findOrderGatewayKind("binance"), nullptr);
  ASSERT_NE(gateways::findOrderGatewayKind("binance_futures"), nullptr);
  EXPECT_EQ(gateways::findOrderGatewayKind("dry_run"), nullptr);  // the executor's own, not a venue's
  EXPECT_EQ(gateways::findOrderGatewayKind("ftx"), nullptr);
  try {
    (void)ExecutorConfig::fromJson(withGateways(R"({"binance": {"kind": "ftx"}})"), "x.json", ".");
    ADD_FAILURE() << "accepted an unregistered kind";
  } catch (const config::ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("x.json"), std::string::npos) << what;
    EXPECT_NE(what.find("gateways.binance.kind"), std::string::npos) << what;
    EXPECT_NE(what.find(gateways::orderGatewayKindNames()), std::string::npos) << what;
  }
}

TEST(ExecutorBinanceConfig, refusesBadSettingsNamingTheKeyPath) {
  auto fails = [](const char* gateways, const char* needle) {
    try {
      (void)ExecutorConfig::fromJson(withGateways(gateways), "x.json", ".");
      ADD_FAILURE() << "accepted: " << gateways;
    } catch (const config::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  fails(R"({"binance": {"kind": "binance", "order_entry": "fix"}})", "order_entry");
  fails(R"({"binance": {"kind": "binance_futures"}})", "kind");  // kind of another venue
  fails(R"({"binance": {"kind": "binance", "symbols": {}}})", "symbols");  // futures only
  fails(R"({"binance": {"kind": "binance", "batch_orders": true}})", "batch_orders");
  fails(R"({"binance_futures": {"kind": "binance_futures", "symbols": {"BTCUSDT": {"leverage": 500}}}})", "leverage");
  fails(R"({"binance": {"kind": "binance", "recv_window_ms": 90000}})", "recv_window_ms");
  fails(R"({"binance": {"kind": "ftx"}})", "kind");
}

TEST(ExecutorBinanceConfig, checkConfigNamesMissingCredentialsAndMakeGatewaysReadsTheEnvironment) {
  ::unsetenv("HFT_BINANCE_FUTURES_API_KEY");
  ::unsetenv("HFT_BINANCE_FUTURES_API_SECRET");
  const auto c = ExecutorConfig::fromJson(withGateways(R"({
    "simulated": {"kind": "dry_run"},
    "binance_futures": {"kind": "binance_futures", "order_entry": "ws_api", "symbols": {"BTCUSDT": {"leverage": 3}}}})"),
                                          "x.json", ".");
  const auto missing = missingCredentials(c);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].find("gateways.binance_futures"), std::string::npos);
  EXPECT_NE(missing[0].find("HFT_BINANCE_FUTURES_API_KEY"), std::string::npos);
  std::vector<std::FILE*> logs;
  EXPECT_THROW((void)makeGateways(c, registry(), logs), std::runtime_error);

  ::setenv("HFT_BINANCE_FUTURES_API_KEY", "someKey", 1);
  ::setenv("HFT_BINANCE_FUTURES_API_SECRET", "someSecretValue", 1);
  EXPECT_TRUE(missingCredentials(c).empty());
  auto gws = makeGateways(c, registry(), logs);
  ASSERT_EQ(gws.size(), 2u);
  bool found = false;
  for (const auto& g : gws) found |= g->name() == "binance_futures:ws_api";
  EXPECT_TRUE(found);
  ::unsetenv("HFT_BINANCE_FUTURES_API_KEY");
  ::unsetenv("HFT_BINANCE_FUTURES_API_SECRET");
}

TEST(ExecutorBinanceConfig, credentialsMissingFromTheEnvironmentComeFromTheKeyStore) {
  ::unsetenv("HFT_BINANCE_FUTURES_API_KEY");
  ::unsetenv("HFT_BINANCE_FUTURES_API_SECRET");
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("hft-ks-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
  const std::filesystem::path keyFile = dir / "master.key", storeFile = dir / "keys.store";
  config::keys::MasterKey::createKeyFile(keyFile);
  const std::string gateways = R"({"binance_futures": {"kind": "binance_futures"}})";
  nlohmann::json j = withGateways(gateways.c_str());
  j["key_store"] = {{"path", storeFile.string()}, {"key_file", keyFile.string()}};
  const auto c = ExecutorConfig::fromJson(j, "x.json", ".");
  ASSERT_TRUE(c.key_store.has_value());

  {  // an empty store: still missing, and the entry is named
    auto empty = config::keys::KeyStore::open(storeFile, config::keys::Credential::keyFile(keyFile));
    empty.save();
  }
  auto missing = missingCredentials(c);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].find("binance:futures"), std::string::npos) << missing[0];
  std::vector<std::FILE*> logs;
  EXPECT_THROW((void)makeGateways(c, registry(), logs), std::exception);

  {
    auto store = config::keys::KeyStore::open(storeFile, config::keys::Credential::keyFile(keyFile));
    store.add(config::keys::KeyId::make("binance", "futures"), "storeKey", "storeSecretValue");
    store.save();
  }
  EXPECT_TRUE(missingCredentials(c).empty());
  const auto gws = makeGateways(c, registry(), logs);
  ASSERT_EQ(gws.size(), 1u);
  EXPECT_EQ(gws[0]->venue(), common::ExchangeId::BinanceFutures);
  for (const std::string& m : missingCredentials(c)) EXPECT_EQ(m.find("storeSecretValue"), std::string::npos);

  nlohmann::json bad = j;  // a key file that is not there: named, nothing else
  bad["key_store"]["key_file"] = (dir / "nope.key").string();
  const auto noKey = missingCredentials(ExecutorConfig::fromJson(bad, "x.json", "."));
  ASSERT_EQ(noKey.size(), 1u);
  EXPECT_NE(noKey[0].find("nope.key"), std::string::npos) << noKey[0];
  std::filesystem::remove_all(dir);
}

TEST(ExecutorBinanceConfig, aKeyStoreSectionWithUnknownKeysIsRefused) {
  nlohmann::json j = withGateways(R"({"simulated": {"kind": "dry_run"}})");
  j["key_store"] = {{"passphrase", "x"}};
  EXPECT_THROW((void)ExecutorConfig::fromJson(j, "x.json", "."), config::ConfigError);
}

}  // namespace
}  // namespace hft::execution_engine::executor
