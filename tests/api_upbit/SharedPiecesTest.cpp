// JSON numbers to fixed point, tick bands (with Upbit's documented tables), query rendering.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "api/exchanges/shared/JsonDecimal.h"
#include "api/exchanges/shared/QueryParams.h"
#include "api/exchanges/shared/TickBands.h"
#include "api/exchanges/upbit/TickTables.h"

namespace {

using hft::common::ParseStatus;
using hft::api::shared::parseJsonDecimal;
using hft::api::shared::TickBand;
using hft::api::shared::TickBands;
using hft::api::shared::TickCheck;

int64_t dec(std::string_view s, int scale) {
  int64_t v = -1;
  const ParseStatus st = parseJsonDecimal(s, scale, v);
  EXPECT_EQ(st, ParseStatus::Ok) << s << ": " << toString(st);
  return v;
}
ParseStatus decStatus(std::string_view s, int scale) {
  int64_t v = 0;
  return parseJsonDecimal(s, scale, v);
}

TEST(JsonDecimal, convertsVenueNumbersExactly) {
  EXPECT_EQ(dec("100473000.00000000", 0), 100473000);
  EXPECT_EQ(dec("0.00014208", 8), 14208);
  EXPECT_EQ(dec("137002000", 0), 137002000);
  EXPECT_EQ(dec("7.9276E-4", 8), 79276);  // the exponent form seen in SIMPLE captures
  EXPECT_EQ(dec("1.5e3", 0), 1500);
  EXPECT_EQ(dec("2E+2", 1), 2000);
  EXPECT_EQ(dec("-0.5", 1), -5);
  EXPECT_EQ(dec("0", 8), 0);
  EXPECT_EQ(dec("31883000.00000000 ", 0), 31883000);  // a raw token may keep trailing blanks
  EXPECT_EQ(dec("1000e-3", 0), 1);
}

TEST(JsonDecimal, refusesWhatWouldLoseValueOrIsNotANumber) {
  EXPECT_EQ(decStatus("0.123", 2), ParseStatus::TooManyDecimals);
  EXPECT_EQ(decStatus("7.9276E-4", 7), ParseStatus::TooManyDecimals);
  EXPECT_EQ(decStatus("1e30", 0), ParseStatus::Overflow);
  EXPECT_EQ(decStatus("9223372036854775808", 0), ParseStatus::Overflow);
  EXPECT_EQ(decStatus("1e99999", 0), ParseStatus::Overflow);
  EXPECT_EQ(decStatus("", 2), ParseStatus::Empty);
  EXPECT_EQ(decStatus("-", 2), ParseStatus::Empty);
  EXPECT_EQ(decStatus("1.", 2), ParseStatus::BadCharacter);
  EXPECT_EQ(decStatus(".5", 2), ParseStatus::BadCharacter);
  EXPECT_EQ(decStatus("1e", 2), ParseStatus::BadCharacter);
  EXPECT_EQ(decStatus("\"1\"", 2), ParseStatus::BadCharacter);
  EXPECT_EQ(decStatus("1", 19), ParseStatus::BadScale);
}

TEST(TickBands, upbitKrwBandsAcceptPricesOnTheirBandsGrid) {
  const TickBands krw(hft::api::upbit::krwTickBands(), hft::api::upbit::kTickTableScale);
  // Prices at scale 0 (whole KRW), as the shipped KRW-BTC instrument has them.
  EXPECT_EQ(krw.check(137'002'000, 0), TickCheck::Ok);     // >= 2,000,000: 1,000
  EXPECT_EQ(krw.check(137'002'500, 0), TickCheck::OffTick);
  EXPECT_EQ(krw.check(1'999'000, 0), TickCheck::Ok);       // 1,000,000-2,000,000: 1,000
  EXPECT_EQ(krw.check(1'999'500, 0), TickCheck::OffTick);
  EXPECT_EQ(krw.check(999'500, 0), TickCheck::Ok);         // 500,000-: 500
  EXPECT_EQ(krw.check(999'900, 0), TickCheck::OffTick);
  EXPECT_EQ(krw.check(100'100, 0), TickCheck::Ok);         // 100,000-: 100
  EXPECT_EQ(krw.check(50'050, 0), TickCheck::Ok);          // 50,000-: 50
  EXPECT_EQ(krw.check(50'010, 0), TickCheck::OffTick);
  EXPECT_EQ(krw.check(20'010, 0), TickCheck::Ok);          // 10,000-: 10
  EXPECT_EQ(krw.check(20'007, 0), TickCheck::OffTick);     // the docs' own counter-example
  EXPECT_EQ(krw.check(9'995, 0), TickCheck::Ok);           // 5,000-: 5
  EXPECT_EQ(krw.check(9'993, 0), TickCheck::OffTick);
  EXPECT_EQ(krw.check(4'999, 0), TickCheck::Ok);           // 1,000-: 1
  EXPECT_EQ(krw.check(999, 0), TickCheck::Ok);             // 100-: 1
  EXPECT_EQ(krw.check(9995, 1), TickCheck::OffTick);       // 999.5 KRW: tick 1 from 100 KRW
  EXPECT_EQ(krw.tickAt(2'000'000, 0), 100'000'000'000);
  EXPECT_EQ(krw.tickAt(1'999'999, 0), 100'000'000'000);
  EXPECT_EQ(krw.tickAt(5'000, 0), 5 * 100'000'000);
  EXPECT_EQ(krw.tickAt(4'999, 0), 100'000'000);
}

TEST(TickBands, pricesFinerThanTheTableAreOffTickAndHugeOnesOutOfRange) {
  const TickBands krw(hft::api::upbit::krwTickBands(), hft::api::upbit::kTickTableScale);
  EXPECT_EQ(krw.check(123456789, 9), TickCheck::OffTick);  // 0.123456789 KRW: finer than 0.00000001
  EXPECT_EQ(krw.check(1230000000, 9), TickCheck::Ok);      // 1.23 KRW: tick 0.001 below 10 KRW (2024 table)
  EXPECT_EQ(krw.check(0, 0), TickCheck::NotPositive);
  EXPECT_EQ(krw.check(-1000, 0), TickCheck::NotPositive);
  EXPECT_EQ(krw.check(INT64_MAX / 10, 0), TickCheck::OutOfRange);
  EXPECT_EQ(TickBands{}.check(1000, 0), TickCheck::OutOfRange);
}

TEST(TickBands, btcAndUsdtMarketsUseTheirOwnTables) {
  const TickBands btc(hft::api::upbit::btcTickBands(), hft::api::upbit::kTickTableScale);
  EXPECT_EQ(btc.check(3'456'789, 8), TickCheck::Ok);  // 0.03456789 BTC: every satoshi
  const TickBands usdt(hft::api::upbit::usdtTickBands(), hft::api::upbit::kTickTableScale);
  EXPECT_EQ(usdt.check(10'234'000, 5), TickCheck::Ok);       // 102.34 USDT: 0.01 tick from 10 USDT
  EXPECT_EQ(usdt.check(10'234'500, 5), TickCheck::OffTick);  // 102.345 is off the 0.01 grid
  EXPECT_EQ(usdt.check(234'500, 5), TickCheck::Ok);          // 2.345 USDT: 0.001 tick
  EXPECT_TRUE(hft::api::upbit::tickBandsForQuote("EUR").empty());
  EXPECT_EQ(hft::api::upbit::tickBandsForQuote("KRW").data(), hft::api::upbit::krwTickBands().data());
}

TEST(TickBands, refusesMalformedTablesAtConstruction) {
  const TickBand notFromZero[] = {{10, 1}};
  const TickBand unsorted[] = {{0, 1}, {100, 10}, {50, 5}};
  const TickBand zeroTick[] = {{0, 0}};
  EXPECT_THROW(TickBands(notFromZero, 0), std::invalid_argument);
  EXPECT_THROW(TickBands(unsorted, 0), std::invalid_argument);
  EXPECT_THROW(TickBands(zeroTick, 0), std::invalid_argument);
  const TickBand ok[] = {{0, 1}};
  EXPECT_THROW(TickBands(ok, 19), std::invalid_argument);
}

TEST(QueryParams, refusesCharactersThatAreNotUrlSafeAndRemembersOverflow) {
  hft::api::shared::QueryParams p;
  EXPECT_FALSE(p.add("market", "KRW BTC"));
  EXPECT_TRUE(p.overflowed());
  p.clear();
  EXPECT_FALSE(p.add("a&b", "1"));
  p.clear();
  EXPECT_TRUE(p.add("states[]", "wait"));
  EXPECT_FALSE(p.add("x", std::string(hft::api::shared::QueryParams::kArenaBytes, 'a')));
  EXPECT_TRUE(p.overflowed());
  EXPECT_FALSE(p.add("y", "1")) << "stays overflowed until clear()";
  char tiny[4];
  p.clear();
  p.add("market", "KRW-BTC");
  EXPECT_EQ(p.renderQuery(tiny), 0u);
  EXPECT_EQ(p.renderJson(tiny), 0u);
}

TEST(QueryParams, writesTheShortestExactDecimal) {
  char buf[32];
  using hft::api::shared::formatShortestDecimal;
  EXPECT_EQ(std::string(buf, formatShortestDecimal(100000, 8, buf)), "0.001");
  EXPECT_EQ(std::string(buf, formatShortestDecimal(140000000, 0, buf)), "140000000");
  EXPECT_EQ(std::string(buf, formatShortestDecimal(100000000, 8, buf)), "1");
  EXPECT_EQ(std::string(buf, formatShortestDecimal(-15, 1, buf)), "-1.5");
}

}  // namespace
