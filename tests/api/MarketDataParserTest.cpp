// Binance market-data parsing into fixed-point integers (api/exchanges/binance/MarketDataParser.h).
#include "api/exchanges/binance/MarketDataParser.h"

#include <gtest/gtest.h>

#include <string>

#include "BinanceTestUtil.h"

using namespace hft;
using namespace hft::api::binance;
using common::ExchangeId;
using common::ParseStatus;
using common::Side;
using hft::test::fixturePath;
using hft::test::readText;
using hft::test::sharedPath;

namespace {

constexpr int64_t kMs = 1'000'000;

/// A parser over the fixture instruments; REST snapshots resolve to `snapshotOwner`.
struct ParserFixture : ::testing::Test {
  RegistryResolver resolver{hft::test::fixtureInstruments()};
  MarketDataParser parser{resolver};

  const config::Instrument* instrument(ExchangeId ex, const char* symbol) {
    return hft::test::fixtureInstruments().byVenueSymbol(ex, symbol);
  }
  ParseResult parseFile(const std::string& path) {
    text = readText(path);
    return parser.parse(text);
  }
  ParseResult parseDoc(const char* rel) { return parseFile(sharedPath(std::string("exchange-samples/binance/") + rel)); }
  std::string text;  // keeps the message alive like a socket buffer would
};

using MarketDataParserTest = ParserFixture;

// ---- in-repo fixtures (always run) ----

TEST_F(MarketDataParserTest, parsesASpotTradeIntoFixedPointAtTheInstrumentScales) {
  const ParseResult r = parseFile(fixturePath("spot_trade.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::Trade);
  EXPECT_EQ(r.market, Market::Spot);
  const ParsedTrade& t = parser.trade();
  EXPECT_EQ(t.instrument, instrument(ExchangeId::Binance, "BTCUSDT"));
  EXPECT_EQ(t.price, 4321055);  // "43210.55" at 2 decimals
  EXPECT_EQ(t.qty, 1234);       // "0.01234" at 5 decimals
  EXPECT_EQ(t.trade_id, 42u);
  EXPECT_EQ(t.aggressor, Side::Buy) << "m=false: the buyer took";
  EXPECT_EQ(t.event_ns, 1700000000123 * kMs);
  EXPECT_EQ(t.trade_ns, 1700000000120 * kMs);
  EXPECT_FALSE(t.aggregate);
}

TEST_F(MarketDataParserTest, parsesASpotAggTradeWithItsTradeIdRange) {
  const ParseResult r = parseFile(fixturePath("spot_aggTrade.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::AggTrade);
  EXPECT_EQ(r.market, Market::Spot);
  const ParsedTrade& t = parser.trade();
  EXPECT_TRUE(t.aggregate);
  EXPECT_EQ(t.trade_id, 700u);
  EXPECT_EQ(t.first_trade_id, 41u);
  EXPECT_EQ(t.last_trade_id, 43u);
  EXPECT_EQ(t.price, 4321050);
  EXPECT_EQ(t.qty, 150000);
  EXPECT_EQ(t.aggressor, Side::Sell) << "m=true: the buyer was the maker, the seller took";
}

TEST_F(MarketDataParserTest, parsesASpotBookTickerWithoutEventTimes) {
  const ParseResult r = parseFile(fixturePath("spot_bookTicker.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::BookTicker);
  EXPECT_EQ(r.market, Market::Spot);
  const ParsedBookTicker& b = parser.bookTicker();
  EXPECT_EQ(b.update_id, 123456789u);
  EXPECT_EQ(b.bid_price, 4321049);
  EXPECT_EQ(b.bid_qty, 200001);
  EXPECT_EQ(b.ask_price, 4321050);
  EXPECT_EQ(b.ask_qty, 12300);
  EXPECT_EQ(b.event_ns, 0);
  EXPECT_EQ(b.transaction_ns, 0);
}

TEST_F(MarketDataParserTest, parsesASpotDepthUpdateInsideTheCombinedStreamWrapper) {
  const ParseResult r = parseFile(fixturePath("spot_depthUpdate_combined.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::DepthUpdate);
  EXPECT_EQ(r.market, Market::Spot);
  EXPECT_EQ(parser.stream(), "btcusdt@depth@100ms");
  const ParsedDepth& d = parser.depth();
  EXPECT_FALSE(d.snapshot);
  EXPECT_EQ(d.first_update_id, 201u);
  EXPECT_EQ(d.last_update_id, 205u);
  EXPECT_EQ(d.prev_update_id, 0u);
  EXPECT_EQ(d.event_ns, 1700000000323 * kMs);
  ASSERT_EQ(d.bids.size(), 2u);
  ASSERT_EQ(d.asks.size(), 1u);
  EXPECT_EQ(d.bids[0].price, 4321049);
  EXPECT_EQ(d.bids[0].qty, 200001);
  EXPECT_EQ(d.bids[1].price, 4320000);
  EXPECT_EQ(d.bids[1].qty, 0) << "qty 0 removes the level";
  EXPECT_EQ(d.asks[0].price, 4321050);
}

TEST_F(MarketDataParserTest, parsesASpotRestSnapshotForTheInstrumentTheCallerRequested) {
  resolver.snapshotInstrument = instrument(ExchangeId::Binance, "BTCUSDT");
  const ParseResult r = parseFile(fixturePath("spot_depth_snapshot.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::DepthSnapshot);
  EXPECT_EQ(r.market, Market::Spot) << "no E/T: spot";
  const ParsedDepth& d = parser.depth();
  EXPECT_TRUE(d.snapshot);
  EXPECT_EQ(d.instrument, resolver.snapshotInstrument);
  EXPECT_EQ(d.first_update_id, 200u);
  EXPECT_EQ(d.last_update_id, 200u);
  EXPECT_EQ(d.event_ns, 0);
  ASSERT_EQ(d.bids.size(), 2u);
  ASSERT_EQ(d.asks.size(), 1u);
  EXPECT_EQ(d.bids[1].price, 4321000);
  EXPECT_EQ(d.bids[1].qty, 50000);
  EXPECT_EQ(d.asks[0].qty, 20000);
}

TEST_F(MarketDataParserTest, tellsAUsdmTradeByTheAbsenceOfM) {
  const ParseResult r = parseFile(fixturePath("usdm_trade.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::Trade);
  EXPECT_EQ(r.market, Market::UsdM);
  const ParsedTrade& t = parser.trade();
  EXPECT_EQ(t.instrument, instrument(ExchangeId::BinanceFutures, "BTCUSDT"));
  EXPECT_EQ(t.price, 43199900000);  // 6 decimals
  EXPECT_EQ(t.qty, 250);
  EXPECT_EQ(t.trade_id, 9001u);
  EXPECT_EQ(t.aggressor, Side::Buy);
}

TEST_F(MarketDataParserTest, parsesAUsdmAggTradeIgnoringNq) {
  const ParseResult r = parseFile(fixturePath("usdm_aggTrade.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::AggTrade);
  EXPECT_EQ(r.market, Market::UsdM);
  EXPECT_EQ(parser.trade().qty, 1000) << "q, not nq";
  EXPECT_EQ(parser.trade().trade_id, 555u);
  EXPECT_EQ(parser.trade().aggressor, Side::Sell);
}

TEST_F(MarketDataParserTest, tellsAUsdmBookTickerByItsEventType) {
  const ParseResult r = parseFile(fixturePath("usdm_bookTicker.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::BookTicker);
  EXPECT_EQ(r.market, Market::UsdM);
  const ParsedBookTicker& b = parser.bookTicker();
  EXPECT_EQ(b.update_id, 5000000000123u);
  EXPECT_EQ(b.bid_price, 43199800000);
  EXPECT_EQ(b.bid_qty, 3100);
  EXPECT_EQ(b.ask_qty, 5);
  EXPECT_EQ(b.event_ns, 1700000001201 * kMs);
  EXPECT_EQ(b.transaction_ns, 1700000001200 * kMs);
}

TEST_F(MarketDataParserTest, tellsAUsdmDepthUpdateByPu) {
  const ParseResult r = parseFile(fixturePath("usdm_depthUpdate.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::DepthUpdate);
  EXPECT_EQ(r.market, Market::UsdM);
  const ParsedDepth& d = parser.depth();
  EXPECT_EQ(d.first_update_id, 5000000000100u);
  EXPECT_EQ(d.last_update_id, 5000000000130u);
  EXPECT_EQ(d.prev_update_id, 5000000000090u);
  EXPECT_EQ(d.transaction_ns, 1700000001300 * kMs);
  ASSERT_EQ(d.asks.size(), 2u);
  EXPECT_EQ(d.asks[1].price, 43200000000);
  EXPECT_EQ(d.asks[1].qty, 7250);
}

TEST_F(MarketDataParserTest, tellsAUsdmRestSnapshotByItsEventTimes) {
  resolver.snapshotInstrument = instrument(ExchangeId::BinanceFutures, "BTCUSDT");
  const ParseResult r = parseFile(fixturePath("usdm_depth_snapshot.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::DepthSnapshot);
  EXPECT_EQ(r.market, Market::UsdM);
  const ParsedDepth& d = parser.depth();
  EXPECT_EQ(d.last_update_id, 5000000000110u);
  EXPECT_EQ(d.event_ns, 1700000001250 * kMs);
  EXPECT_EQ(d.transaction_ns, 1700000001240 * kMs);
  ASSERT_EQ(d.bids.size(), 1u);
  EXPECT_EQ(d.bids[0].qty, 2000);
}

TEST_F(MarketDataParserTest, ignoresUnknownKeysNestedValuesAndKeyOrder) {
  const ParseResult r = parseFile(fixturePath("spot_trade_unknown_keys.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::Trade);
  EXPECT_EQ(r.market, Market::Spot);
  const ParsedTrade& t = parser.trade();
  EXPECT_EQ(t.instrument, instrument(ExchangeId::Binance, "ETHUSDT"));
  EXPECT_EQ(t.price, 200010);
  EXPECT_EQ(t.qty, 5000);
  EXPECT_EQ(t.trade_id, 77u) << "numeric b/a (order ids) must not be mistaken for anything";
  EXPECT_EQ(t.aggressor, Side::Sell);
}

TEST_F(MarketDataParserTest, classifiesOtherStreamsAsOtherWithTheirNames) {
  const ParseResult r = parseFile(fixturePath("usdm_markPriceUpdate.json"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.kind, MessageKind::Other);
  EXPECT_EQ(parser.stream(), "btcusdt@markPrice");
  EXPECT_EQ(parser.eventType(), "markPriceUpdate");
  const std::string reply = R"({"result":null,"id":1})";
  const ParseResult r2 = parser.parse(reply);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2.kind, MessageKind::Other);
}

TEST_F(MarketDataParserTest, parsesMessagesOneAfterAnotherWithoutCarryingFieldsOver) {
  ASSERT_TRUE(parseFile(fixturePath("spot_trade.json")).ok());
  // Same shape without "M" must now read as USD-M: nothing from the previous message leaks.
  const std::string t = R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"1.0","q":"1","T":1,"m":false})";
  const ParseResult r = parser.parse(t);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.market, Market::UsdM);
  EXPECT_EQ(parser.stream(), "");
}

// ---- errors ----

struct ErrorCase {
  const char* json;
  Status status;
  const char* field;
};

TEST_F(MarketDataParserTest, reportsMalformedJsonAsInvalidJson) {
  for (const char* bad : {R"({"e":"trade","s":"BTCUSDT")", R"({"e":"trade",})", R"({"e":"trade"} trailing)",
                          R"(["e","trade"])", "", "not json", R"({"e":"trade","p":})"}) {
    const std::string msg = bad;
    EXPECT_EQ(parser.parse(msg).status, Status::InvalidJson) << bad;
  }
}

TEST_F(MarketDataParserTest, namesTheFieldThatIsMissingMistypedOrBadlyNumbered) {
  const ErrorCase cases[] = {
      {R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"q":"1","T":1,"m":true,"M":true})", Status::MissingField, "p"},
      {R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"1.0","q":"1","m":true,"M":true})", Status::MissingField, "T"},
      {R"({"e":"trade","E":1,"s":"BTCUSDT","t":"1","p":"1.0","q":"1","T":1,"m":true,"M":true})", Status::WrongType, "t"},
      {R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":1.5,"q":"1","T":1,"m":true,"M":true})", Status::WrongType, "p"},
      {R"({"e":"trade","E":1,"s":"BTCUSDT","t":-1,"p":"1.0","q":"1","T":1,"m":true,"M":true})", Status::BadNumber, "t"},
      {R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"12x.0","q":"1","T":1,"m":true,"M":true})", Status::BadNumber, "p"},
      {R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"1.0","q":"1","T":1,"m":"yes","M":true})", Status::WrongType, "m"},
      {R"({"e":"aggTrade","E":1,"s":"BTCUSDT","a":"7","p":"1.0","q":"1","f":1,"l":2,"T":1,"m":true,"M":true})",
       Status::WrongType, "a"},
      {R"({"u":1,"s":"BTCUSDT","B":"1","a":"2","A":"3"})", Status::MissingField, "b"},
      {R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[["1.0"]],"a":[]})", Status::BadLevel, "b"},
      {R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[["1.0",2]]})", Status::BadLevel, "a"},
      {R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[["1.0","x"]]})", Status::BadNumber, "a"},
      {R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"b":[],"a":[]})", Status::MissingField, "u"},
      {R"({"e":"depthUpdate","E":99999999999999,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]})", Status::BadNumber, "E"},
      {R"({"e":"trade","E":1,"s":"XRPUSDT","t":1,"p":"1.0","q":"1","T":1,"m":true,"M":true})", Status::UnknownSymbol,
       "s"},
  };
  for (const ErrorCase& c : cases) {
    const std::string msg = c.json;
    const ParseResult r = parser.parse(msg);
    EXPECT_EQ(r.status, c.status) << c.json << " -> " << toString(r.status);
    EXPECT_STREQ(r.field, c.field) << c.json;
  }
}

TEST_F(MarketDataParserTest, readsDecimalsInPlaceWhateverTheWhitespaceAround) {
  // Decimals are read between their quotes in the input, not unescaped: whitespace after them
  // (pretty-printed JSON) must not leak into the number.
  const std::string msg = "{ \"e\" : \"depthUpdate\", \"E\":1, \"s\":\"BTCUSDT\", \"U\":1, \"u\":2,\n"
                          "  \"b\" : [ [ \"43210.49\" ,\t\"2.00001\" ] ],\n  \"a\":[[\"43210.50\"\n,\"0\"\n]] }\n";
  const ParseResult r = parser.parse(msg);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  const ParsedDepth& d = parser.depth();
  ASSERT_EQ(d.bids.size(), 1u);
  ASSERT_EQ(d.asks.size(), 1u);
  EXPECT_EQ(d.bids[0].price, 4321049);
  EXPECT_EQ(d.bids[0].qty, 200001);
  EXPECT_EQ(d.asks[0].price, 4321050);
  EXPECT_EQ(d.asks[0].qty, 0);
  const std::string trade = R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":  "100.25"  ,"q":"1" ,"T":1,"m":true,"M":true})";
  ASSERT_TRUE(parser.parse(trade).ok());
  EXPECT_EQ(parser.trade().price, 10025);
  // Keys are matched in place too; one with an escape ("\u0070" is "p") is unescaped first.
  const std::string escapedKey =
      R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"\u0070":"100.5","q":"1","T":1,"m":true,"M":true})";
  ASSERT_TRUE(parser.parse(escapedKey).ok());
  EXPECT_EQ(parser.trade().price, 10050);
}

TEST_F(MarketDataParserTest, refusesAnEscapedDecimalAsABadNumber) {
  // No venue escapes digits; such a decimal is not unescaped but refused, naming the field.
  const std::string msg = R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"1\u0030.5","q":"1","T":1,"m":true,"M":true})";
  const ParseResult r = parser.parse(msg);
  EXPECT_EQ(r.status, Status::BadNumber);
  EXPECT_STREQ(r.field, "p");
  EXPECT_EQ(r.value, "1\\u0030.5");
  const std::string level = R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[["1.0","\"2\""]],"a":[]})";
  const ParseResult l = parser.parse(level);
  EXPECT_EQ(l.status, Status::BadNumber);
  EXPECT_STREQ(l.field, "b");
}

TEST_F(MarketDataParserTest, refusesMoreDecimalsThanTheInstrumentScaleInsteadOfRounding) {
  const std::string msg = R"({"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"100.001","q":"1","T":1,"m":true,"M":true})";
  const ParseResult r = parser.parse(msg);
  EXPECT_EQ(r.status, Status::BadNumber);
  EXPECT_STREQ(r.field, "p");
  EXPECT_EQ(r.number, ParseStatus::TooManyDecimals);
  EXPECT_EQ(r.value, "100.001");
}

TEST_F(MarketDataParserTest, namesTheUnknownSymbolAndItsMarket) {
  const std::string msg = R"({"e":"bookTicker","u":1,"s":"ETHUSDT","b":"1","B":"1","a":"2","A":"1","E":1,"T":1})";
  const ParseResult r = parser.parse(msg);
  EXPECT_EQ(r.status, Status::UnknownSymbol);
  EXPECT_EQ(r.market, Market::UsdM) << "ETHUSDT is listed on spot only";
  EXPECT_EQ(parser.symbol(), "ETHUSDT");
}

TEST_F(MarketDataParserTest, failsASnapshotNobodyRequested) {
  resolver.snapshotInstrument = nullptr;
  const ParseResult r = parseFile(fixturePath("spot_depth_snapshot.json"));
  EXPECT_EQ(r.kind, MessageKind::DepthSnapshot);
  EXPECT_EQ(r.status, Status::UnknownSymbol);
  EXPECT_STREQ(r.field, "");
}

TEST(MarketDataParserLimits, reportsTooManyLevelsBeyondItsCapacityAndStaysUsable) {
  RegistryResolver resolver(hft::test::fixtureInstruments());
  ParserLimits limits;
  limits.maxLevelsPerSide = 2;
  limits.initialMessageBytes = 16;  // also makes the buffers grow
  MarketDataParser parser(resolver, limits);
  const std::string three =
      R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[["1","1"],["2","1"],["3","1"]],"a":[]})";
  const ParseResult r = parser.parse(three);
  EXPECT_EQ(r.status, Status::TooManyLevels);
  EXPECT_STREQ(r.field, "b");
  const std::string two = R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[["1","1"],["2","1"]],"a":[]})";
  ASSERT_TRUE(parser.parse(two).ok());
  EXPECT_EQ(parser.depth().bids.size(), 2u);
}

// ---- the venue's documented payloads and real captured frames (../shared) ----

TEST_F(MarketDataParserTest, parsesTheDocumentedSpotTradeAndAggTrade) {
  HFT_SKIP_WITHOUT_SHARED();
  ParseResult r = parseDoc("spot/ws/trade.json");
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::Trade);
  EXPECT_EQ(r.market, Market::Spot);
  EXPECT_EQ(parser.trade().instrument, instrument(ExchangeId::Binance, "BNBBTC"));
  EXPECT_EQ(parser.trade().trade_id, 12345u);
  EXPECT_EQ(parser.trade().price, 100000);       // "0.001" at 8 decimals
  EXPECT_EQ(parser.trade().qty, 10000000000);    // "100" at 8 decimals
  EXPECT_EQ(parser.trade().event_ns, 1672515782136 * kMs);
  EXPECT_EQ(parser.trade().aggressor, Side::Sell);

  r = parseDoc("spot/ws/aggTrade.json");
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::AggTrade);
  EXPECT_EQ(parser.trade().trade_id, 12345u);
  EXPECT_EQ(parser.trade().first_trade_id, 100u);
  EXPECT_EQ(parser.trade().last_trade_id, 105u);
  EXPECT_EQ(parser.trade().price, 100000);
}

TEST_F(MarketDataParserTest, parsesTheDocumentedUsdmAggTrade) {
  HFT_SKIP_WITHOUT_SHARED();
  const ParseResult r = parseDoc("futures-usdm/ws/aggTrade.json");
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.market, Market::UsdM);
  EXPECT_EQ(parser.trade().trade_id, 5933014u);
  EXPECT_EQ(parser.trade().price, 1000);      // "0.001" at 6 decimals
  EXPECT_EQ(parser.trade().qty, 100000);      // "100" at 3 decimals
  EXPECT_EQ(parser.trade().event_ns, 123456789 * kMs);
  EXPECT_EQ(parser.trade().trade_ns, 123456785 * kMs);
}

TEST_F(MarketDataParserTest, parsesTheDocumentedBookTickersOfBothMarkets) {
  HFT_SKIP_WITHOUT_SHARED();
  ParseResult r = parseDoc("spot/ws/bookTicker.json");
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.market, Market::Spot);
  EXPECT_EQ(parser.bookTicker().instrument, instrument(ExchangeId::Binance, "BNBUSDT"));
  EXPECT_EQ(parser.bookTicker().update_id, 400900217u);
  EXPECT_EQ(parser.bookTicker().bid_price, 2535190000);
  EXPECT_EQ(parser.bookTicker().bid_qty, 3121000000);
  EXPECT_EQ(parser.bookTicker().ask_price, 2536520000);
  EXPECT_EQ(parser.bookTicker().ask_qty, 4066000000);

  r = parseDoc("futures-usdm/ws/bookTicker.json");
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.market, Market::UsdM);
  EXPECT_EQ(parser.bookTicker().instrument, instrument(ExchangeId::BinanceFutures, "BNBUSDT"));
  EXPECT_EQ(parser.bookTicker().update_id, 400900217u);
  EXPECT_EQ(parser.bookTicker().ask_qty, 4066000000);
  EXPECT_EQ(parser.bookTicker().event_ns, 1568014460893 * kMs);
  EXPECT_EQ(parser.bookTicker().transaction_ns, 1568014460891 * kMs);
}

TEST_F(MarketDataParserTest, parsesTheDocumentedDepthUpdatesOfBothMarkets) {
  HFT_SKIP_WITHOUT_SHARED();
  for (const char* rel : {"spot/ws/depthUpdate.json", "spot/ws/combined_wrapper_depthUpdate.json"}) {
    const ParseResult r = parseDoc(rel);
    ASSERT_TRUE(r.ok()) << rel << ": " << toString(r.status) << " " << r.field;
    EXPECT_EQ(r.market, Market::Spot);
    const ParsedDepth& d = parser.depth();
    EXPECT_EQ(d.instrument, instrument(ExchangeId::Binance, "BNBBTC"));
    EXPECT_EQ(d.first_update_id, 157u);
    EXPECT_EQ(d.last_update_id, 160u);
    ASSERT_EQ(d.bids.size(), 1u);
    ASSERT_EQ(d.asks.size(), 1u);
    EXPECT_EQ(d.bids[0].price, 240000);
    EXPECT_EQ(d.bids[0].qty, 1000000000);
    EXPECT_EQ(d.asks[0].price, 260000);
    EXPECT_EQ(d.asks[0].qty, 10000000000);
  }
  const ParseResult r = parseDoc("futures-usdm/ws/depthUpdate.json");
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.market, Market::UsdM);
  const ParsedDepth& d = parser.depth();
  EXPECT_EQ(d.instrument, instrument(ExchangeId::BinanceFutures, "BTCUSDT"));
  EXPECT_EQ(d.first_update_id, 157u);
  EXPECT_EQ(d.last_update_id, 160u);
  EXPECT_EQ(d.prev_update_id, 149u);
  EXPECT_EQ(d.event_ns, 123456789 * kMs);
  EXPECT_EQ(d.transaction_ns, 123456788 * kMs);
  EXPECT_EQ(d.bids[0].price, 2400);  // "0.0024" at 6 decimals
  EXPECT_EQ(d.bids[0].qty, 10000);   // "10" at 3 decimals
  EXPECT_EQ(d.asks[0].price, 2600);
  EXPECT_EQ(d.asks[0].qty, 100000);

  const ParseResult partial = parseDoc("futures-usdm/ws/partialDepth_depth5.json");
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial.kind, MessageKind::DepthUpdate) << "USD-M partial depth is a depthUpdate with pu";
  EXPECT_EQ(parser.depth().bids.size(), 5u);
  EXPECT_EQ(parser.depth().bids[1].price, 7403900000);
  EXPECT_EQ(parser.depth().bids[1].qty, 3906);
}

TEST_F(MarketDataParserTest, parsesTheDocumentedRestSnapshotsOfBothMarkets) {
  HFT_SKIP_WITHOUT_SHARED();
  resolver.snapshotInstrument = instrument(ExchangeId::Binance, "BNBBTC");
  ParseResult r = parseDoc("spot/rest/depth_snapshot.json");
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.market, Market::Spot);
  EXPECT_EQ(parser.depth().last_update_id, 1027024u);
  EXPECT_EQ(parser.depth().bids[0].price, 400000000);
  EXPECT_EQ(parser.depth().bids[0].qty, 43100000000);
  EXPECT_EQ(parser.depth().asks[0].price, 400000200);
  EXPECT_EQ(parser.depth().asks[0].qty, 1200000000);

  resolver.snapshotInstrument = instrument(ExchangeId::BinanceFutures, "BTCUSDT");
  r = parseDoc("futures-usdm/rest/depth_snapshot.json");
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.market, Market::UsdM);
  EXPECT_EQ(parser.depth().last_update_id, 1027024u);
  EXPECT_EQ(parser.depth().event_ns, 1589436922972 * kMs);
  EXPECT_EQ(parser.depth().transaction_ns, 1589436922959 * kMs);
  EXPECT_EQ(parser.depth().bids[0].price, 4000000);  // 6 decimals
  EXPECT_EQ(parser.depth().bids[0].qty, 431000);     // 3 decimals
  EXPECT_EQ(parser.depth().asks[0].price, 4000002);
  EXPECT_EQ(parser.depth().asks[0].qty, 12000);
}

TEST_F(MarketDataParserTest, parsesTheLegacyCapturedTradeWithRemovedOrderIdKeys) {
  HFT_SKIP_WITHOUT_SHARED();
  const ParseResult r = parseDoc("captured/spot_trade_legacy_with_b_a_fields_2021-12-12.json");
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::Trade);
  EXPECT_EQ(r.market, Market::Spot);
  EXPECT_EQ(parser.stream(), "ethusdt@trade");
  EXPECT_EQ(parser.trade().instrument, instrument(ExchangeId::Binance, "ETHUSDT"));
  EXPECT_EQ(parser.trade().trade_id, 705291099u);
  EXPECT_EQ(parser.trade().price, 414974);
  EXPECT_EQ(parser.trade().qty, 4387);
  EXPECT_EQ(parser.trade().event_ns, 1639351062244 * kMs);
  EXPECT_EQ(parser.trade().trade_ns, 1639351062243 * kMs);
  EXPECT_EQ(parser.trade().aggressor, Side::Sell);
}

TEST_F(MarketDataParserTest, parsesTheRealCapturedFramesOfBothMarkets) {
  HFT_SKIP_WITHOUT_SHARED();
  ParseResult r = parseDoc("spot/ws/captured_combined_trade_BTCUSDT_2024-08-08.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.market, Market::Spot);
  EXPECT_EQ(parser.trade().price, 6183763);
  EXPECT_EQ(parser.trade().qty, 2000);
  EXPECT_EQ(parser.trade().trade_id, 3735683259u);

  r = parseDoc("futures-usdm/ws/captured_combined_trade_BTCUSDT_2024-08-08.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.market, Market::UsdM) << "futures @trade: X=MARKET, no M";
  EXPECT_EQ(parser.trade().price, 61800300000);
  EXPECT_EQ(parser.trade().qty, 6);
  EXPECT_EQ(parser.trade().aggressor, Side::Buy);

  r = parseDoc("spot/ws/captured_combined_bookTicker_BTCUSDT_2024-08-08.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.market, Market::Spot);
  EXPECT_EQ(parser.bookTicker().update_id, 50093239212u);
  EXPECT_EQ(parser.bookTicker().bid_qty, 378826);

  r = parseDoc("futures-usdm/ws/captured_combined_bookTicker_BTCUSDT_2024-08-08.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.market, Market::UsdM);
  EXPECT_EQ(parser.bookTicker().update_id, 5123107839020u);
  EXPECT_EQ(parser.bookTicker().event_ns, 1723161256313 * kMs);

  r = parseDoc("spot/ws/captured_combined_depthUpdate_BTCUSDT_2024-08-08.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.market, Market::Spot);
  EXPECT_EQ(parser.depth().bids.size(), 3u);
  EXPECT_EQ(parser.depth().asks.size(), 9u);

  r = parseDoc("futures-usdm/ws/captured_combined_depthUpdate_BTCUSDT_2024-08-08.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.market, Market::UsdM);
  EXPECT_EQ(parser.depth().prev_update_id, 5123107850146u);
  EXPECT_EQ(parser.depth().bids.size(), 13u);
  EXPECT_EQ(parser.depth().asks.size(), 16u);
}

TEST_F(MarketDataParserTest, classifiesTheDocumentedMarkPriceAndShutdownNoticesAsOther) {
  HFT_SKIP_WITHOUT_SHARED();
  for (const char* rel : {"futures-usdm/ws/markPriceUpdate.json", "spot/ws/serverShutdown_raw.json",
                          "spot/ws/combined_wrapper_serverShutdown.json", "spot/ws/subscribe_response.json"}) {
    const ParseResult r = parseDoc(rel);
    EXPECT_TRUE(r.ok()) << rel << ": " << toString(r.status);
    EXPECT_EQ(r.kind, MessageKind::Other) << rel;
  }
}

}  // namespace
