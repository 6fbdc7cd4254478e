#include <gtest/gtest.h>

#include <fstream>

#include "RiskTestUtil.h"
#include "config/ConfigError.h"
#include "config/JsonNode.h"
#include "managers/RiskLimits.h"
#include "tests/config/ConfigTestUtil.h"

using namespace hft;
using namespace hft::test;
using managers::kNoLimit;
using managers::NoReferencePolicy;
using managers::RiskLimits;

namespace {

/// The message of loading `rules` against the test registry.
std::string errorOf(const nlohmann::json& rules) {
  const config::InstrumentRegistry registry = testRegistry();
  return configErrorOf([&] { RiskLimits::fromJson(rules, "rules.json", registry); });
}

TEST(RiskLimits, loadsTheShippedDefaultRulesAgainstTheShippedInstruments) {
  const auto registry = config::InstrumentRegistry::loadFile(shippedConfig("instruments.json"));
  const RiskLimits l = RiskLimits::loadFile(shippedConfig("order_rules/default.json"), registry);
  EXPECT_EQ(l.kill_switch_file, "/tmp/hft.kill");
  EXPECT_EQ(l.global.max_open_orders, 200);
  EXPECT_EQ(l.global.daily_loss_limit, 2000 * kUsd);
  EXPECT_EQ(l.global.no_reference, NoReferencePolicy::Reject);
  EXPECT_TRUE(l.global.strict_strategies);
  EXPECT_EQ(l.instruments.size(), registry.all().size()) << "every shipped instrument has order rules";

  const auto* spot = l.venue(ExchangeId::Binance);
  ASSERT_NE(spot, nullptr);
  EXPECT_EQ(spot->rate.rate_milli, 4'000);
  EXPECT_EQ(spot->rate.burst, 6);
  EXPECT_TRUE(spot->check_balance);
  const auto* fut = l.venue(ExchangeId::BinanceFutures);
  ASSERT_NE(fut, nullptr);
  EXPECT_EQ(fut->max_leverage_x100, 300);
  EXPECT_FALSE(fut->check_balance);

  const config::Instrument* btc = registry.byVenueSymbol(ExchangeId::Binance, "BTCUSDT");
  const auto* btcLimits = l.instrument(btc->id);
  ASSERT_NE(btcLimits, nullptr);
  EXPECT_EQ(btcLimits->max_order_qty, 50'000'000);  // 0.5 at qty_scale 8
  EXPECT_EQ(btcLimits->max_order_notional, 50'000 * kUsd);
  EXPECT_EQ(btcLimits->price_band_bps, 500);

  const auto* mm = l.strategy(1);
  ASSERT_NE(mm, nullptr);
  EXPECT_EQ(mm->name, "mm_btc");
  ASSERT_EQ(mm->max_position.size(), 1u);
  EXPECT_EQ(mm->max_position[0].max_position, 2'000);  // 0.02 at qty_scale 5

  // The manager accepts what the loader produced.
  managers::RiskManager risk(l, registry);
  EXPECT_EQ(risk.orderCapacity(), 256);

  // Daily losses count in USDT; KRW PnL is converted at the configured rate, never added as is.
  EXPECT_EQ(l.global.loss_currency, "USDT");
  const config::Instrument* krw = registry.byVenueSymbol(ExchangeId::Upbit, "KRW-BTC");
  ASSERT_NE(krw, nullptr);
  EXPECT_EQ(risk.toLossCurrency(krw->id, -1'000'000 * kUsd), -725 * kUsd);  // 1,000,000 KRW at 0.000725
  EXPECT_EQ(risk.toLossCurrency(btc->id, -5 * kUsd), -5 * kUsd);
}

TEST(RiskLimits, aLossLimitWithAnInstrumentQuotedInAnotherCurrencyNeedsItsRate) {
  const auto registry = config::InstrumentRegistry::loadFile(shippedConfig("instruments.json"));
  auto rules = nlohmann::json::parse(std::ifstream(shippedConfig("order_rules/default.json")));
  rules["global"].erase("loss_rates");
  const std::string e = configErrorOf([&] { RiskLimits::fromJson(rules, "rules.json", registry); });
  for (const char* part : {"rules.json", "global", "loss_rates", "KRW", "counted in USDT"})
    EXPECT_NE(e.find(part), std::string::npos) << part << " not in: " << e;
  rules["global"]["loss_rates"] = {{"KRW", "0"}};
  EXPECT_NE(configErrorOf([&] { RiskLimits::fromJson(rules, "rules.json", registry); }).find("global.loss_rates.KRW"),
            std::string::npos);
  // Without any daily loss limit no rate is needed.
  rules["global"].erase("loss_rates");
  rules["global"].erase("daily_loss_limit");
  for (auto& [id, strategy] : rules["strategies"].items()) strategy.erase("daily_loss_limit");
  EXPECT_NO_THROW(RiskLimits::fromJson(rules, "rules.json", registry));
}

TEST(RiskLimits, venuesWithoutAnEntryGetTheirPublishedDefaultRate) {
  nlohmann::json rules = baseRules();
  rules["venues"].erase("binance_futures");
  const auto registry = testRegistry();
  const RiskLimits l = RiskLimits::fromJson(rules, "rules.json", registry);
  const auto* fut = l.venue(ExchangeId::BinanceFutures);
  ASSERT_NE(fut, nullptr);
  EXPECT_EQ(fut->rate.rate_milli, 18'000);
  EXPECT_EQ(fut->rate.burst, 120);
  EXPECT_EQ(fut->max_position_notional, kNoLimit);
  EXPECT_FALSE(l.venue(ExchangeId::Simulated)->rate.enabled()) << "\"none\" disables it";
}

TEST(RiskLimits, relativeKillSwitchFileIsResolvedAgainstTheRulesFolder) {
  TempDir dir;
  nlohmann::json rules = baseRules();
  rules["kill_switch_file"] = "run/hft.kill";
  const std::string path = dir.write("rules.json", rules.dump());
  const RiskLimits l = RiskLimits::loadFile(path, testRegistry());
  EXPECT_EQ(l.kill_switch_file, (dir.path / "run/hft.kill").string());
}

TEST(RiskLimits, unknownInstrumentKeyNamesFileKeyPathAndTheKey) {
  nlohmann::json rules = baseRules();
  rules["instruments"]["simulated:DOGE-USDT"] = rules["instruments"]["simulated:BTC-USDT"];
  expectMentions(errorOf(rules), {"rules.json: ", "instruments.simulated:DOGE-USDT", "\"<exchange>:<venue symbol>\"",
                                  "no such instrument"});
  rules = baseRules();
  rules["instruments"]["nasdaq:AAPL"] = rules["instruments"]["simulated:BTC-USDT"];
  expectMentions(errorOf(rules), {"instruments.nasdaq:AAPL", "unknown exchange"});
}

TEST(RiskLimits, quantityWithMoreDecimalsThanTheInstrumentNamesItsKeyPath) {
  nlohmann::json rules = baseRules();
  rules["instruments"]["simulated:BTC-USDT"]["max_order_qty"] = "0.000000001";
  expectMentions(errorOf(rules), {"rules.json: instruments.simulated:BTC-USDT.max_order_qty: expected a quantity > 0 "
                                  "with at most 8 decimals",
                                  "\"0.000000001\""});
}

TEST(RiskLimits, decimalsGivenAsJsonNumbersAreRefused) {
  nlohmann::json rules = baseRules();
  rules["instruments"]["simulated:BTC-USDT"]["max_order_notional"] = 1000;
  expectMentions(errorOf(rules), {"instruments.simulated:BTC-USDT.max_order_notional", "quoted string", "found 1000"});
}

TEST(RiskLimits, missingRequiredKeysAreNamed) {
  nlohmann::json rules = baseRules();
  rules["global"].erase("max_open_orders");
  expectMentions(errorOf(rules), {"global.max_open_orders", "the key is missing"});
  rules = baseRules();
  rules["instruments"]["simulated:ETH-USDT"].erase("price_band_bps");
  expectMentions(errorOf(rules), {"instruments.simulated:ETH-USDT.price_band_bps", "the key is missing"});
  rules = baseRules();
  rules.erase("instruments");
  expectMentions(errorOf(rules), {"rules.json: instruments: expected an object keyed by"});
}

TEST(RiskLimits, misspelledKeysAreErrorsNotDefaults) {
  nlohmann::json rules = baseRules();
  rules["strategies"]["1"]["max_opne_orders"] = 5;
  expectMentions(errorOf(rules), {"strategies.1.max_opne_orders", "unknown key", "max_open_orders"});
}

TEST(RiskLimits, strategyKeysMustBeStrategyIds) {
  for (const char* bad : {"abc", "0", "01", "4294967296", "-1"}) {
    nlohmann::json rules = baseRules();
    rules["strategies"][bad] = nlohmann::json::object();
    expectMentions(errorOf(rules), {std::string("strategies.") + bad, "a strategy id"});
  }
}

TEST(RiskLimits, strategyPositionLimitsNeedAnInstrumentEntry) {
  nlohmann::json rules = baseRules();
  rules["instruments"].erase("simulated:ETH-USDT");
  rules["strategies"]["1"]["max_position"] = {{"simulated:ETH-USDT", "1"}};
  expectMentions(errorOf(rules), {"strategies.1.max_position.simulated:ETH-USDT", "also has an entry under"});
}

TEST(RiskLimits, rateLimitsAreValidated) {
  nlohmann::json rules = baseRules();
  rules["venues"]["simulated"]["rate_limit"] = {{"orders_per_second", "4"}, {"burst", 0}};
  expectMentions(errorOf(rules), {"venues.simulated.rate_limit.burst", "an integer from 1 to 1000000", "found 0"});
  rules["venues"]["simulated"]["rate_limit"] = {{"orders_per_second", "0.0001"}, {"burst", 1}};
  expectMentions(errorOf(rules), {"venues.simulated.rate_limit.orders_per_second", "more decimals than"});
  rules["venues"]["simulated"]["rate_limit"] = "unlimited";
  expectMentions(errorOf(rules), {"venues.simulated.rate_limit", "or \"none\"", "\"unlimited\""});
}

TEST(RiskLimits, leverageIsOnlyForFuturesVenues) {
  nlohmann::json rules = baseRules();
  rules["venues"]["simulated"]["max_leverage"] = "3";
  expectMentions(errorOf(rules), {"venues.simulated.max_leverage", "no max_leverage on a spot venue"});
  rules = baseRules();
  rules["venues"]["binance_futures"]["max_leverage"] = "0.5";
  expectMentions(errorOf(rules), {"venues.binance_futures.max_leverage", "a leverage from 1 to 1000"});
}

TEST(RiskLimits, unknownVenueAndNoReferencePolicyAreNamed) {
  nlohmann::json rules = baseRules();
  rules["venues"]["kraken"] = nlohmann::json::object();
  expectMentions(errorOf(rules), {"venues.kraken", "binance, binance_futures"});
  rules = baseRules();
  rules["global"]["no_reference_price"] = "maybe";
  expectMentions(errorOf(rules), {"global.no_reference_price", "\"reject\" or \"allow\"", "\"maybe\""});
}

TEST(RiskLimits, venueNotionalNeedsOneQuoteAssetAcrossTheVenue) {
  const auto registry = config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 1, "exchange": "binance", "base": "BTC", "quote": "USDT", "price_scale": 2, "qty_scale": 5, "tick_size": "0.01", "lot_size": "0.00001"},
    {"id": 2, "exchange": "binance", "base": "ETH", "quote": "BTC", "price_scale": 6, "qty_scale": 4, "tick_size": "0.000001", "lot_size": "0.0001"}
  ]})"),
                                                             "instruments.json");
  const nlohmann::json limit = {
      {"max_order_qty", "1"}, {"max_order_notional", "1"}, {"max_position", "1"}, {"price_band_bps", 100}};
  nlohmann::json rules = {{"global", {{"max_open_orders", 10}}},
                          {"venues", {{"binance", {{"max_position_notional", "1000"}}}}},
                          {"instruments", {{"binance:BTCUSDT", limit}, {"binance:ETHBTC", limit}}}};
  expectMentions(configErrorOf([&] { RiskLimits::fromJson(rules, "rules.json", registry); }),
                 {"venues.binance", "share one quote asset", "BTCUSDT quoted in USDT and ETHBTC quoted in BTC"});
}

TEST(RiskLimits, duplicateKeysInTheFileNameFileAndPath) {
  TempDir dir;
  const std::string path =
      dir.write("dup.json", R"({"global": {"max_open_orders": 1, "max_open_orders": 2}, "instruments": {}})");
  expectMentions(configErrorOf([&] { RiskLimits::loadFile(path, testRegistry()); }),
                 {path, "global.max_open_orders", "each key once"});
}

}  // namespace
