// Loading, lookups and validation of instruments (config/InstrumentRegistry.h).
#include "config/InstrumentRegistry.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ConfigTestUtil.h"
#include "common/FixedPoint.h"

using namespace hft;
using namespace hft::config;
using common::ExchangeId;
using hft::test::configErrorOf;
using hft::test::expectMentions;

namespace {

constexpr const char* kSource = "test/instruments.json";

/// A valid Binance BTC/USDT entry; tests change one key to break exactly one rule.
nlohmann::json btcusdt(int id = 1) {
  return {{"id", id},          {"exchange", "binance"},     {"base", "BTC"},
          {"quote", "USDT"},    {"venue_symbol", "BTCUSDT"}, {"price_scale", 2},
          {"qty_scale", 5},     {"tick_size", "0.01"},       {"lot_size", "0.00001"},
          {"min_notional", "5"}};
}

nlohmann::json ethusdt(int id = 2) {
  nlohmann::json j = btcusdt(id);
  j["base"] = "ETH";
  j["venue_symbol"] = "ETHUSDT";
  return j;
}

nlohmann::json document(std::initializer_list<nlohmann::json> entries) {
  return {{"instruments", nlohmann::json::array_t(entries)}};
}

/// Builds the registry through the production path and returns the error message.
std::string errorOf(const nlohmann::json& doc) {
  return configErrorOf([&] { InstrumentRegistry::fromJson(doc, kSource); });
}

/// The error when the second instrument (a valid ETH/USDT) has `key` set to `value`.
std::string errorWithSecondEntry(const std::string& key, const nlohmann::json& value) {
  nlohmann::json bad = ethusdt();
  bad[key] = value;
  return errorOf(document({btcusdt(), bad}));
}

}  // namespace

TEST(InstrumentRegistry, loadsTheShippedInstrumentsFile) {
  const auto reg = InstrumentRegistry::loadFile(hft::test::shippedConfig("instruments.json"));
  ASSERT_EQ(reg.all().size(), 12u);

  const Instrument* btc = reg.byVenueSymbol(ExchangeId::Binance, "BTCUSDT");
  ASSERT_NE(btc, nullptr);
  EXPECT_EQ(btc->name, "BTC/USDT");
  EXPECT_EQ(btc->price_scale, 2);
  EXPECT_EQ(btc->tick_size, 1);  // 0.01 at 2 decimals
  EXPECT_EQ(btc->qty_scale, 8);  // base-asset precision: real books hold older 6-decimal sizes
  EXPECT_EQ(btc->lot_size, 1000);  // 0.00001 at 8 decimals

  const Instrument* perp = reg.byVenueSymbol(ExchangeId::BinanceFutures, "BTCUSDT");
  ASSERT_NE(perp, nullptr);
  EXPECT_NE(perp->id, btc->id) << "same symbol, different venue, different instrument";
  EXPECT_EQ(perp->tick_size, 10);  // 0.10 at 2 decimals
  EXPECT_EQ(perp->lot_size, 1);    // 0.001 at 3 decimals
  EXPECT_EQ(perp->min_notional, 100 * common::pow10(8));

  const Instrument* krw = reg.byVenueSymbol(ExchangeId::Upbit, "KRW-BTC");
  ASSERT_NE(krw, nullptr);
  EXPECT_EQ(krw->name, "BTC/KRW");
  EXPECT_EQ(krw->price_scale, 0);
  EXPECT_EQ(krw->tick_size, 1000);
  EXPECT_EQ(krw->min_notional, 5000 * common::pow10(8));
  ASSERT_NE(reg.byVenueSymbol(ExchangeId::Bithumb, "KRW-BTC"), nullptr);
  ASSERT_NE(reg.byName(ExchangeId::Bithumb, "ETH/KRW"), nullptr);
  // USDT quoted in KRW: a 0.5 KRW tick in its band.
  const Instrument* usdtKrw = reg.byVenueSymbol(ExchangeId::Upbit, "KRW-USDT");
  ASSERT_NE(usdtKrw, nullptr);
  EXPECT_EQ(usdtKrw->name, "USDT/KRW");
  EXPECT_EQ(usdtKrw->tick_size, 5);  // 0.5 KRW at 1 decimal

  for (common::InstrumentId id : {101u, 102u, 103u}) {
    const Instrument* sim = reg.byId(id);
    ASSERT_NE(sim, nullptr) << id;
    EXPECT_EQ(sim->exchange, ExchangeId::Simulated);
  }
  EXPECT_EQ(reg.byId(103)->venue_symbol, "SOL-USDT");
}

TEST(InstrumentRegistry, findsTheSameInstrumentByIdVenueSymbolAndName) {
  const auto reg = InstrumentRegistry::loadFile(hft::test::shippedConfig("instruments.json"));
  for (const Instrument& i : reg.all()) {
    EXPECT_EQ(reg.byId(i.id), &i);
    EXPECT_EQ(reg.byVenueSymbol(i.exchange, i.venue_symbol), &i);
    EXPECT_EQ(reg.byName(i.exchange, i.name), &i);
  }
  EXPECT_EQ(reg.byName(ExchangeId::Upbit, "ETH/KRW")->venue_symbol, "KRW-ETH");
}

TEST(InstrumentRegistry, returnsNullForWhatItDoesNotKnow) {
  const auto reg = InstrumentRegistry::fromJson(document({btcusdt(5)}), kSource);
  EXPECT_EQ(reg.byId(0), nullptr);
  EXPECT_EQ(reg.byId(4), nullptr);
  EXPECT_EQ(reg.byId(6), nullptr);
  EXPECT_EQ(reg.byId(4'000'000'000u), nullptr);
  EXPECT_EQ(reg.byVenueSymbol(ExchangeId::Binance, "ETHUSDT"), nullptr);
  EXPECT_EQ(reg.byVenueSymbol(ExchangeId::Upbit, "BTCUSDT"), nullptr) << "other venue";
  EXPECT_EQ(reg.byName(ExchangeId::Binance, "BTCUSDT"), nullptr) << "a venue symbol is not a name";
  static_assert(noexcept(reg.byId(1)) && noexcept(reg.byVenueSymbol(ExchangeId::Binance, "")) &&
                noexcept(reg.byName(ExchangeId::Binance, "")));
}

TEST(InstrumentRegistry, derivesTheVenueSymbolWhenOmitted) {
  nlohmann::json upbit = btcusdt();
  upbit.erase("venue_symbol");
  upbit["exchange"] = "upbit";
  upbit["quote"] = "KRW";
  const auto reg = InstrumentRegistry::fromJson(document({upbit}), kSource);
  EXPECT_EQ(reg.byId(1)->venue_symbol, "KRW-BTC");
  EXPECT_EQ(reg.byVenueSymbol(ExchangeId::Upbit, "KRW-BTC"), reg.byId(1));
}

TEST(InstrumentRegistry, treatsAnOmittedMinNotionalAsNone) {
  nlohmann::json j = btcusdt();
  j.erase("min_notional");
  EXPECT_EQ(InstrumentRegistry::fromJson(document({j}), kSource).byId(1)->min_notional, 0);
}

TEST(InstrumentRegistry, rejectsDuplicateInstrumentId) {
  expectMentions(errorOf(document({btcusdt(7), ethusdt(7)})),
                 {kSource, "instruments[1].id", "an id not used before", "already the id of BTC/USDT on binance"});
}

TEST(InstrumentRegistry, rejectsIdOutsideOneToMax) {
  expectMentions(errorOf(document({btcusdt(0)})), {kSource, "instruments[0].id", "from 1 to 65535", "found 0"});
  expectMentions(errorOf(document({btcusdt(70000)})), {"instruments[0].id", "found 70000"});
  expectMentions(errorWithSecondEntry("id", 2.0), {"instruments[1].id", "found 2.0"});
}

TEST(InstrumentRegistry, rejectsDuplicateVenueSymbolOnOneExchange) {
  expectMentions(errorOf(document({btcusdt(1), btcusdt(2)})),
                 {kSource, "instruments[1].venue_symbol", "one instrument per venue symbol",
                  "\"BTCUSDT\" on binance again, already instrument 1"});
}

TEST(InstrumentRegistry, rejectsDuplicateDerivedVenueSymbol) {
  nlohmann::json second = btcusdt(2);
  second.erase("venue_symbol");
  expectMentions(errorOf(document({btcusdt(1), second})), {kSource, "instruments[1].venue_symbol"});
}

TEST(InstrumentRegistry, rejectsUnknownExchangeNameListingTheValidOnes) {
  expectMentions(errorWithSecondEntry("exchange", "binanse"),
                 {kSource, "instruments[1].exchange", "binance, binance_futures, upbit, bithumb, simulated",
                  "found \"binanse\""});
}

TEST(InstrumentRegistry, rejectsVenueSymbolInconsistentWithBaseAndQuote) {
  nlohmann::json upbit = btcusdt();
  upbit["exchange"] = "upbit";
  upbit["quote"] = "KRW";
  upbit["venue_symbol"] = "BTC-KRW";  // Upbit writes QUOTE-BASE
  expectMentions(errorOf(document({upbit})), {kSource, "instruments[0].venue_symbol",
                                              "expected \"KRW-BTC\", how upbit spells BTC/KRW", "found \"BTC-KRW\""});
  expectMentions(errorWithSecondEntry("venue_symbol", "BTCUSDT"), {"instruments[1].venue_symbol", "\"ETHUSDT\""});
}

TEST(InstrumentRegistry, rejectsAssetCodesThatAreNotUpperCaseAlphanumeric) {
  expectMentions(errorWithSecondEntry("base", "eth"), {kSource, "instruments[1].base", "upper-case", "found \"eth\""});
  expectMentions(errorWithSecondEntry("quote", "US-DT"), {"instruments[1].quote", "found \"US-DT\""});
}

TEST(InstrumentRegistry, rejectsTickSizeThatIsNotAPositiveDecimal) {
  expectMentions(errorWithSecondEntry("tick_size", "abc"),
                 {kSource, "instruments[1].tick_size", "expected a positive decimal string on the price grid",
                  "found \"abc\" (bad character in number)"});
  expectMentions(errorWithSecondEntry("tick_size", "0"), {"instruments[1].tick_size", "found \"0\""});
  expectMentions(errorWithSecondEntry("tick_size", "-0.01"), {"instruments[1].tick_size", "found \"-0.01\""});
  expectMentions(errorWithSecondEntry("tick_size", ""), {"instruments[1].tick_size", "empty number"});
}

TEST(InstrumentRegistry, rejectsTickSizeNotRepresentableAtThePriceScale) {
  expectMentions(errorWithSecondEntry("tick_size", "0.001"),
                 {kSource, "instruments[1].tick_size", "at most 2 decimals, the price_scale",
                  "more decimals than the instrument scale"});
}

TEST(InstrumentRegistry, rejectsDecimalsGivenAsJsonNumbers) {
  expectMentions(errorWithSecondEntry("tick_size", 0.01),
                 {kSource, "instruments[1].tick_size", "as a quoted string, not a JSON number", "found 0.01"});
}

TEST(InstrumentRegistry, rejectsLotSizeNotPositiveOrNotRepresentableAtTheQtyScale) {
  expectMentions(errorWithSecondEntry("lot_size", "0"), {kSource, "instruments[1].lot_size", "quantity grid"});
  expectMentions(errorWithSecondEntry("lot_size", "0.000001"),
                 {"instruments[1].lot_size", "at most 5 decimals, the qty_scale"});
}

TEST(InstrumentRegistry, rejectsScalesOutsideZeroToTwelve) {
  expectMentions(errorWithSecondEntry("price_scale", 13),
                 {kSource, "instruments[1].price_scale", "from 0 to 12", "found 13"});
  expectMentions(errorWithSecondEntry("qty_scale", -1), {"instruments[1].qty_scale", "found -1"});
  expectMentions(errorWithSecondEntry("qty_scale", "5"), {"instruments[1].qty_scale", "found \"5\""});
}

TEST(InstrumentRegistry, rejectsNegativeMinNotional) {
  expectMentions(errorWithSecondEntry("min_notional", "-1"),
                 {kSource, "instruments[1].min_notional", ">= 0", "found \"-1\""});
}

TEST(InstrumentRegistry, rejectsMissingRequiredKey) {
  nlohmann::json j = ethusdt();
  j.erase("lot_size");
  expectMentions(errorOf(document({btcusdt(), j})), {kSource, "instruments[1].lot_size", "the key is missing"});
}

TEST(InstrumentRegistry, rejectsUnknownKeyListingTheValidOnes) {
  expectMentions(errorWithSecondEntry("tick", "0.01"),
                 {kSource, "instruments[1].tick", "unknown key \"tick\"", "tick_size", "min_notional"});
  expectMentions(errorOf({{"instrument", nlohmann::json::array()}}),
                 {kSource, "instrument", "one of the keys instruments"});
}

TEST(InstrumentRegistry, rejectsADocumentWithoutInstruments) {
  expectMentions(errorOf({{"instruments", nlohmann::json::array()}}), {kSource, "instruments", "non-empty array"});
  expectMentions(errorOf(nlohmann::json::object()), {kSource, "instruments", "the key is missing"});
  expectMentions(errorOf(nlohmann::json::array()), {kSource, "(top level)", "expected an object", "found []"});
}
