// Venue spellings of a pair and the normalized "BASE/QUOTE" (config/VenueSymbol.h).
#include "config/VenueSymbol.h"

#include <gtest/gtest.h>

#include <utility>

using hft::common::ExchangeId;
using namespace hft::config;

namespace {
using Pair = std::pair<std::string, std::string>;
constexpr ExchangeId kAllVenues[] = {ExchangeId::Binance, ExchangeId::BinanceFutures, ExchangeId::Upbit,
                                     ExchangeId::Bithumb, ExchangeId::Simulated};
}  // namespace

TEST(VenueSymbol, spellsEachVenuesConvention) {
  EXPECT_EQ(venueSymbol(ExchangeId::Binance, "BTC", "USDT"), "BTCUSDT");
  EXPECT_EQ(venueSymbol(ExchangeId::BinanceFutures, "ETH", "USDT"), "ETHUSDT");
  EXPECT_EQ(venueSymbol(ExchangeId::Upbit, "BTC", "KRW"), "KRW-BTC");
  EXPECT_EQ(venueSymbol(ExchangeId::Bithumb, "BTC", "KRW"), "KRW-BTC");
  EXPECT_EQ(venueSymbol(ExchangeId::Simulated, "SOL", "USDT"), "SOL-USDT");
  EXPECT_EQ(venueSymbol(ExchangeId::None, "BTC", "USDT"), "");
}

TEST(VenueSymbol, splitsEachVenuesSpellingIntoBaseAndQuote) {
  EXPECT_EQ(splitVenueSymbol(ExchangeId::Binance, "BTCUSDT"), (Pair{"BTC", "USDT"}));
  EXPECT_EQ(splitVenueSymbol(ExchangeId::BinanceFutures, "ETHUSDT"), (Pair{"ETH", "USDT"}));
  EXPECT_EQ(splitVenueSymbol(ExchangeId::Upbit, "KRW-BTC"), (Pair{"BTC", "KRW"}));
  EXPECT_EQ(splitVenueSymbol(ExchangeId::Upbit, "BTC-ETH"), (Pair{"ETH", "BTC"}));
  EXPECT_EQ(splitVenueSymbol(ExchangeId::Bithumb, "KRW-BTC"), (Pair{"BTC", "KRW"}));
  EXPECT_FALSE(splitVenueSymbol(ExchangeId::Bithumb, "BTC_KRW"));  // the retired 1.x spelling
  EXPECT_EQ(splitVenueSymbol(ExchangeId::Simulated, "BTC-USDT"), (Pair{"BTC", "USDT"}));
}

TEST(VenueSymbol, splitsBinanceSymbolsByTheLongestKnownQuote) {
  EXPECT_EQ(splitVenueSymbol(ExchangeId::Binance, "BTCFDUSD"), (Pair{"BTC", "FDUSD"}));
  EXPECT_EQ(splitVenueSymbol(ExchangeId::Binance, "BNBBUSD"), (Pair{"BNB", "BUSD"}));
  EXPECT_EQ(splitVenueSymbol(ExchangeId::Binance, "ETHBTC"), (Pair{"ETH", "BTC"}));
  EXPECT_EQ(splitVenueSymbol(ExchangeId::Binance, "USDTTRY"), (Pair{"USDT", "TRY"}));
  EXPECT_EQ(splitVenueSymbol(ExchangeId::Binance, "1000SATSUSDT"), (Pair{"1000SATS", "USDT"}));
}

TEST(VenueSymbol, refusesSymbolsThatBreakTheVenuesConvention) {
  EXPECT_FALSE(splitVenueSymbol(ExchangeId::Binance, "BTCXYZ")) << "unknown quote suffix";
  EXPECT_FALSE(splitVenueSymbol(ExchangeId::Binance, "USDT")) << "no base left";
  EXPECT_FALSE(splitVenueSymbol(ExchangeId::Binance, "btcusdt")) << "lower case";
  EXPECT_FALSE(splitVenueSymbol(ExchangeId::BinanceFutures, "BTCUSDT_220325")) << "delivery contract";
  EXPECT_FALSE(splitVenueSymbol(ExchangeId::Upbit, "KRWBTC"));
  EXPECT_FALSE(splitVenueSymbol(ExchangeId::Upbit, "KRW-BTC-X"));
  EXPECT_FALSE(splitVenueSymbol(ExchangeId::Upbit, "-BTC"));
  EXPECT_FALSE(splitVenueSymbol(ExchangeId::Bithumb, "KRW_BTC")) << "underscore: not a 2.x market code";
  EXPECT_FALSE(splitVenueSymbol(ExchangeId::Simulated, "BTC/USDT"));
  EXPECT_FALSE(splitVenueSymbol(ExchangeId::None, "BTC-USDT"));
}

TEST(VenueSymbol, normalizesEveryVenuesSpellingToBaseSlashQuote) {
  EXPECT_EQ(normalizeVenueSymbol(ExchangeId::Upbit, "KRW-BTC"), "BTC/KRW");
  EXPECT_EQ(normalizeVenueSymbol(ExchangeId::Bithumb, "KRW-BTC"), "BTC/KRW");
  // Upbit's BTC and USDT quote markets follow the same QUOTE-BASE rule.
  EXPECT_EQ(normalizeVenueSymbol(ExchangeId::Upbit, "BTC-ETH"), "ETH/BTC");
  EXPECT_EQ(normalizeVenueSymbol(ExchangeId::Upbit, "USDT-BTC"), "BTC/USDT");
  EXPECT_EQ(venueSymbolFromName(ExchangeId::Upbit, "ETH/BTC"), "BTC-ETH");
  EXPECT_EQ(venueSymbolFromName(ExchangeId::Upbit, "BTC/USDT"), "USDT-BTC");
  EXPECT_EQ(normalizeVenueSymbol(ExchangeId::Binance, "BTCUSDT"), "BTC/USDT");
  EXPECT_EQ(normalizeVenueSymbol(ExchangeId::Simulated, "ETH-USDT"), "ETH/USDT");
  EXPECT_EQ(venueSymbolFromName(ExchangeId::Upbit, "BTC/KRW"), "KRW-BTC");
  EXPECT_EQ(venueSymbolFromName(ExchangeId::Bithumb, "BTC/KRW"), "KRW-BTC");
  EXPECT_EQ(venueSymbolFromName(ExchangeId::BinanceFutures, "BTC/USDT"), "BTCUSDT");
  EXPECT_FALSE(venueSymbolFromName(ExchangeId::Upbit, "BTCKRW"));
  EXPECT_FALSE(venueSymbolFromName(ExchangeId::None, "BTC/KRW"));
}

TEST(VenueSymbol, roundTripsEveryVenueThroughTheNormalizedName) {
  const Pair pairs[] = {{"BTC", "KRW"}, {"BTC", "USDT"}, {"ETH", "BTC"}, {"SOL", "FDUSD"}, {"1INCH", "USDC"}};
  for (ExchangeId ex : kAllVenues) {
    for (const auto& [base, quote] : pairs) {
      const bool binance = ex == ExchangeId::Binance || ex == ExchangeId::BinanceFutures;
      if (binance && quote == "KRW") continue;  // not a Binance quote: "BTCKRW" has no known suffix
      const std::string sym = venueSymbol(ex, base, quote);
      const std::string name = normalizedName(base, quote);
      EXPECT_EQ(splitVenueSymbol(ex, sym), (Pair{base, quote})) << toString(ex) << " " << sym;
      EXPECT_EQ(normalizeVenueSymbol(ex, sym), name) << toString(ex) << " " << sym;
      EXPECT_EQ(venueSymbolFromName(ex, name), sym) << toString(ex) << " " << name;
    }
  }
}

TEST(VenueSymbol, acceptsOnlyUpperCaseAlphanumericAssetCodes) {
  EXPECT_TRUE(isAssetCode("BTC"));
  EXPECT_TRUE(isAssetCode("1000SATS"));
  EXPECT_FALSE(isAssetCode(""));
  EXPECT_FALSE(isAssetCode("btc"));
  EXPECT_FALSE(isAssetCode("BTC-"));
}
