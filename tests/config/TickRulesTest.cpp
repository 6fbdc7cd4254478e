// config/tick_rules/*.json: price bands -> tick; rounding on raw fixed-point prices.
#include "config/TickRules.h"

#include <gtest/gtest.h>

#include "ConfigTestUtil.h"
#include "common/FixedPoint.h"

using namespace hft;
using namespace hft::config;
using common::Side;
using hft::test::configErrorOf;
using hft::test::expectMentions;
using hft::test::shippedConfig;
using hft::test::TempDir;

namespace {

/// KRW at the Upbit file's scale (8 decimals).
constexpr int64_t krw(int64_t whole) { return whole * 100'000'000; }

const TickRules& upbit() {
  static const TickRules r = TickRules::loadFile(shippedConfig("tick_rules/upbit_krw.json"));
  return r;
}

std::string errorOf(const char* text) {
  return configErrorOf([&] { (void)TickRules::fromJson(nlohmann::json::parse(text), "tick_rules/x.json"); });
}

}  // namespace

// Bands as published on docs.upbit.com/kr/docs/krw-market-info (updated 2026-05-04).
TEST(TickRules, upbitKrwBandsMatchThePublishedTable) {
  EXPECT_EQ(upbit().priceScale(), 8);
  EXPECT_EQ(upbit().venue(), "upbit");
  EXPECT_EQ(upbit().tickAt(krw(150'000'000)), krw(1000));  // BTC: 2,000,000 and up
  EXPECT_EQ(upbit().tickAt(krw(2'000'000)), krw(1000));
  EXPECT_EQ(upbit().tickAt(krw(1'999'999)), krw(1000));    // 1,000,000 .. 2,000,000
  EXPECT_EQ(upbit().tickAt(krw(999'999)), krw(500));
  EXPECT_EQ(upbit().tickAt(krw(100'000)), krw(100));
  EXPECT_EQ(upbit().tickAt(krw(99'999)), krw(50));
  EXPECT_EQ(upbit().tickAt(krw(50'000)), krw(50));
  EXPECT_EQ(upbit().tickAt(krw(49'999)), krw(10));
  EXPECT_EQ(upbit().tickAt(krw(10'000)), krw(10));
  EXPECT_EQ(upbit().tickAt(krw(9'999)), krw(5));           // 5 KRW only from 5,000
  EXPECT_EQ(upbit().tickAt(krw(5'000)), krw(5));
  EXPECT_EQ(upbit().tickAt(krw(4'999)), krw(1));
  EXPECT_EQ(upbit().tickAt(krw(1'000)), krw(1));
  EXPECT_EQ(upbit().tickAt(krw(100)), krw(1));
  EXPECT_EQ(upbit().tickAt(0), 1);                          // the finest band, at the scale's unit
}

TEST(TickRules, isOnTickFollowsTheBandOfThePrice) {
  EXPECT_TRUE(upbit().isOnTick(krw(150'001'000)));
  EXPECT_FALSE(upbit().isOnTick(krw(150'000'500)));
  EXPECT_TRUE(upbit().isOnTick(krw(7'005)));
  EXPECT_FALSE(upbit().isOnTick(krw(7'003)));
  EXPECT_TRUE(upbit().isOnTick(krw(4'999)));
  EXPECT_FALSE(upbit().isOnTick(-1));
}

TEST(TickRules, buyRoundsDownAndSellRoundsUp) {
  EXPECT_EQ(upbit().roundToTick(krw(150'000'700), Side::Buy), krw(150'000'000));
  EXPECT_EQ(upbit().roundToTick(krw(150'000'700), Side::Sell), krw(150'001'000));
  EXPECT_EQ(upbit().roundToTick(krw(7'003), Side::Buy), krw(7'000));
  EXPECT_EQ(upbit().roundToTick(krw(7'003), Side::Sell), krw(7'005));
  // On the grid: unchanged either way.
  EXPECT_EQ(upbit().roundToTick(krw(7'005), Side::Buy), krw(7'005));
  EXPECT_EQ(upbit().roundToTick(krw(7'005), Side::Sell), krw(7'005));
}

TEST(TickRules, sellRoundingStopsAtTheNextBandsStart) {
  // 1,999,500 is in the 1000-tick band from 1,000,000: up is 2,000,000 (also the next band's start).
  EXPECT_EQ(upbit().roundToTick(krw(1'999'500), Side::Sell), krw(2'000'000));
  // 999,700 in the 500 band: the next multiple of 500 is 1,000,000 = the next band's start.
  EXPECT_EQ(upbit().roundToTick(krw(999'700), Side::Sell), krw(1'000'000));
  // 4,999.5 in the 1 band: up to 5,000.
  EXPECT_EQ(upbit().roundToTick(krw(4'999) + krw(1) / 2, Side::Sell), krw(5'000));
}

TEST(TickRules, rescalesToAnInstrumentScaleDroppingUnquotableCheapBands) {
  const TickRules r = upbit().rescaled(0);  // whole KRW, like the shipped KRW instruments
  EXPECT_EQ(r.priceScale(), 0);
  EXPECT_EQ(r.minPrice(), 100);             // bands with sub-won ticks cannot be quoted in whole won
  EXPECT_EQ(r.tickAt(150'000'000), 1000);
  EXPECT_EQ(r.tickAt(7'000), 5);
  EXPECT_EQ(r.roundToTick(7'003, Side::Sell), 7'005);
  EXPECT_EQ(r.roundToTick(50, Side::Buy), TickRules::kNoPrice);
  EXPECT_EQ(r.roundToTick(50, Side::Sell), 100);
  EXPECT_FALSE(r.isOnTick(50));

  const TickRules finer = upbit().rescaled(10);
  EXPECT_EQ(finer.tickAt(krw(150'000'000) * 100), krw(1000) * 100);
  EXPECT_EQ(finer.minPrice(), 0);
}

TEST(TickRules, rescalingFailsWhenAHigherBandCannotBeExpressed) {
  const TickRules r = TickRules::fromJson(nlohmann::json::parse(R"({"venue": "upbit", "quote": "KRW", "price_scale": 2,
      "bands": [{"from": "0", "tick": "1"}, {"from": "100", "tick": "0.5"}]})"), "odd.json");
  expectMentions(configErrorOf([&] { (void)r.rescaled(0); }), {"odd.json", "bands[1]", "price scale 0", "tick 0.50"});
}

TEST(TickRules, shippedBithumbTableLoads) {
  const TickRules r = TickRules::loadFile(shippedConfig("tick_rules/bithumb_krw.json"));
  EXPECT_EQ(r.venue(), "bithumb");
  EXPECT_EQ(r.tickAt(r.bands().back().from), common::pow10(r.priceScale()) * 1000);
}

TEST(TickRules, rejectsBandsOutOfOrder) {
  expectMentions(errorOf(R"({"venue": "upbit", "quote": "KRW", "price_scale": 0,
      "bands": [{"from": "0", "tick": "1"}, {"from": "5000", "tick": "5"}, {"from": "1000", "tick": "1"}]})"),
                 {"tick_rules/x.json", "bands[2].from", "above the previous band's from (5000)", "strictly ascending"});
  expectMentions(errorOf(R"({"venue": "upbit", "quote": "KRW", "price_scale": 0,
      "bands": [{"from": "0", "tick": "1"}, {"from": "0", "tick": "5"}]})"),
                 {"bands[1].from", "strictly ascending"});
}

TEST(TickRules, rejectsAZeroOrNegativeTick) {
  expectMentions(errorOf(R"({"venue": "upbit", "quote": "KRW", "price_scale": 0, "bands": [{"from": "0", "tick": "0"}]})"),
                 {"tick_rules/x.json", "bands[0].tick", "a tick > 0", "\"0\""});
  expectMentions(errorOf(R"({"venue": "upbit", "quote": "KRW", "price_scale": 0, "bands": [{"from": "0", "tick": "-1"}]})"),
                 {"bands[0].tick", "a tick > 0"});
}

TEST(TickRules, rejectsADecimalNotExactAtThePriceScale) {
  expectMentions(errorOf(R"({"venue": "upbit", "quote": "KRW", "price_scale": 2,
      "bands": [{"from": "0", "tick": "0.001"}]})"),
                 {"tick_rules/x.json", "bands[0].tick", "at most 2 decimals", "\"0.001\"", "more decimals"});
  // A JSON number would have gone through binary floating point.
  expectMentions(errorOf(R"({"venue": "upbit", "quote": "KRW", "price_scale": 2, "bands": [{"from": 0, "tick": "1"}]})"),
                 {"bands[0].from", "quoted string"});
}

TEST(TickRules, rejectsAFirstBandAboveZeroAndABandStartOffItsGrid) {
  expectMentions(errorOf(R"({"venue": "upbit", "quote": "KRW", "price_scale": 0, "bands": [{"from": "10", "tick": "1"}]})"),
                 {"bands[0].from", "\"0\""});
  expectMentions(errorOf(R"({"venue": "upbit", "quote": "KRW", "price_scale": 0,
      "bands": [{"from": "0", "tick": "1"}, {"from": "1002", "tick": "5"}]})"),
                 {"bands[1].from", "a multiple of this band's tick (5)"});
}

TEST(TickRules, rejectsUnknownKeysWrongTypesAndEmptyBands) {
  expectMentions(errorOf(R"({"venue": "upbit", "quote": "KRW", "price_scale": 0, "bands": [], "scale": 2})"),
                 {"scale", "venue, quote, price_scale, source, checked, bands", "unknown key"});
  expectMentions(errorOf(R"({"venue": "upbit", "quote": "KRW", "price_scale": "8", "bands": []})"),
                 {"price_scale", "an integer from 0 to 12", "\"8\""});
  expectMentions(errorOf(R"({"venue": "upbit", "quote": "KRW", "price_scale": 0, "bands": []})"),
                 {"bands", "at least one band"});
  expectMentions(errorOf(R"({"venue": "upbit", "quote": "KRW", "price_scale": 0, "bands": [{"from": "0", "tik": "1"}]})"),
                 {"bands[0].tik", "unknown key"});
}

TEST(TickRules, reportsMalformedJsonWithTheFileAndByteOffset) {
  TempDir dir;
  const std::string path = dir.write("upbit_krw.json", "{\"venue\": \"upbit\", \"bands\": [}");
  expectMentions(configErrorOf([&] { (void)TickRules::loadFile(path); }), {path, "invalid JSON at byte 30"});
}
