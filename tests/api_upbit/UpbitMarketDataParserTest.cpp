// Upbit WebSocket payloads (DEFAULT and SIMPLE formats, single objects and *_LIST frames).
#include "api/exchanges/upbit/MarketDataParser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "UpbitTestUtil.h"

namespace {

using hft::api::upbit::MarketDataParser;
using hft::api::upbit::MessageKind;
using hft::api::upbit::ParsedOrderbook;
using hft::api::upbit::ParsedTicker;
using hft::api::upbit::ParsedTrade;
using hft::api::upbit::ParseResult;
using hft::api::upbit::Status;
using hft::api::upbit::StreamType;
using hft::common::BookLevel;
using hft::common::ParseStatus;
using hft::common::Side;

constexpr int64_t kMs = 1'000'000;

struct Book {
  ParsedOrderbook head;
  std::vector<BookLevel> bids, asks;
};

struct Collect final : hft::api::upbit::MarketDataHandler {
  std::vector<ParsedTrade> trades;
  std::vector<Book> books;
  std::vector<ParsedTicker> tickers;
  void onTrade(const ParsedTrade& t) noexcept override { trades.push_back(t); }
  void onOrderbook(const ParsedOrderbook& b) noexcept override {
    books.push_back(Book{b, {b.bids.begin(), b.bids.end()}, {b.asks.begin(), b.asks.end()}});
  }
  void onTicker(const ParsedTicker& t) noexcept override { tickers.push_back(t); }
};

class UpbitMarketData : public ::testing::Test {
 protected:
  hft::test::KoreanInstruments instruments;
  MarketDataParser parser{instruments};
  Collect out;
  ParseResult parse(std::string_view msg) { return parser.parse(msg, out); }
};

void expectDocTrade(const ParsedTrade& t) {
  EXPECT_EQ(t.instrument->venue_symbol, "KRW-BTC");
  EXPECT_EQ(t.price, 100473000);
  EXPECT_EQ(t.qty, 14208);  // 0.00014208 BTC
  EXPECT_EQ(t.aggressor, Side::Buy);
  EXPECT_EQ(t.sequential_id, 17303368620470000u);
  EXPECT_EQ(t.trade_ns, 1730336862047 * kMs);
  EXPECT_EQ(t.event_ns, 1730336862082 * kMs);
  EXPECT_EQ(t.stream, StreamType::Snapshot);
  ASSERT_TRUE(t.has_best);
  EXPECT_EQ(t.best_ask_price, 100473000);
  EXPECT_EQ(t.best_ask_qty, 43139478);
  EXPECT_EQ(t.best_bid_price, 100465000);
  EXPECT_EQ(t.best_bid_qty, 1990656);
}

TEST_F(UpbitMarketData, docTradeInDefaultFormat) {
  HFT_SKIP_WITHOUT_SAMPLES();
  const ParseResult r = parse(hft::test::readSample("upbit/ws/trade_DEFAULT.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::Trade);
  ASSERT_EQ(out.trades.size(), 1u);
  expectDocTrade(out.trades[0]);
}

TEST_F(UpbitMarketData, docTradeListDeliversEveryObjectInOrder) {
  HFT_SKIP_WITHOUT_SAMPLES();
  const ParseResult r = parse(hft::test::readSample("upbit/ws/trade_JSON_LIST.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  ASSERT_EQ(out.trades.size(), 2u);
  expectDocTrade(out.trades[0]);
  EXPECT_EQ(out.trades[1].instrument->venue_symbol, "KRW-ETH");
  EXPECT_EQ(out.trades[1].price, 3700000);
  EXPECT_EQ(out.trades[1].qty, 2207517);
  EXPECT_EQ(out.trades[1].sequential_id, 17303368620800006u);
}

TEST_F(UpbitMarketData, tradeInSimpleFormatMatchesItsDefaultTwin) {
  // The doc trade with its keys abbreviated as format.md maps them.
  const ParseResult r = parse(
      R"({"ty":"trade","cd":"KRW-BTC","tms":1730336862082,"td":"2024-10-31","ttm":"01:07:42","ttms":1730336862047,)"
      R"("tp":100473000.00000000,"tv":0.00014208,"ab":"BID","pcp":100571000.00000000,"c":"FALL","cp":98000.00000000,)"
      R"("sid":17303368620470000,"bap":100473000,"bas":0.43139478,"bbp":100465000,"bbs":0.01990656,"st":"SNAPSHOT"})");
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  ASSERT_EQ(out.trades.size(), 1u);
  expectDocTrade(out.trades[0]);
}

TEST_F(UpbitMarketData, docOrderbookIsAFullSnapshotBestFirst) {
  HFT_SKIP_WITHOUT_SAMPLES();
  const ParseResult r = parse(hft::test::readSample("upbit/ws/orderbook_DEFAULT.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, MessageKind::Orderbook);
  ASSERT_EQ(out.books.size(), 1u);
  const Book& b = out.books[0];
  EXPECT_EQ(b.head.event_ns, 1746601573804 * kMs);
  EXPECT_EQ(b.head.stream, StreamType::Snapshot);
  EXPECT_EQ(b.head.level, 0);
  ASSERT_EQ(b.bids.size(), 3u);
  ASSERT_EQ(b.asks.size(), 3u);
  EXPECT_EQ(b.asks[0].price, 137002000);
  EXPECT_EQ(b.asks[0].qty, 10623869);
  EXPECT_EQ(b.bids[0].price, 137001000);
  EXPECT_EQ(b.bids[0].qty, 3656812);
  EXPECT_EQ(b.asks[2].qty, 554330);  // 0.0055433: fewer decimals than the scale
  EXPECT_EQ(b.bids[2].price, 136999000);

  hft::common::BookSnapshot snap{};
  Book copy = b;  // the handler's spans point into the parser: convert from the copy
  copy.head.bids = copy.bids;
  copy.head.asks = copy.asks;
  hft::api::upbit::toBookSnapshot(copy.head, hft::common::ExchangeId::Upbit, 42, snap);
  EXPECT_EQ(snap.header.exchange_id, hft::common::ExchangeId::Upbit);
  EXPECT_EQ(snap.header.instrument_id, 1u);
  EXPECT_EQ(snap.header.exchange_ts_ns, 1746601573804 * kMs);
  EXPECT_EQ(snap.bid_count, 3);
  EXPECT_EQ(snap.asks[1].price, 137023000);
  hft::common::BestBidOffer bbo{};
  hft::api::upbit::toBestBidOffer(copy.head, hft::common::ExchangeId::Upbit, 42, bbo);
  EXPECT_EQ(bbo.bid_price, 137001000);
  EXPECT_EQ(bbo.ask_qty, 10623869);
}

TEST_F(UpbitMarketData, docOrderbookSimpleListWithGrouping) {
  HFT_SKIP_WITHOUT_SAMPLES();
  const ParseResult r = parse(hft::test::readSample("upbit/ws/orderbook_SIMPLE_LIST.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  ASSERT_EQ(out.books.size(), 1u);
  const Book& b = out.books[0];
  EXPECT_EQ(b.head.level, 10000);
  EXPECT_EQ(b.head.stream, StreamType::Unknown);  // the sample has no "st"
  EXPECT_EQ(b.head.event_ns, 1751855921432 * kMs);
  ASSERT_EQ(b.asks.size(), 3u);
  EXPECT_EQ(b.asks[0].price, 148880000);
  EXPECT_EQ(b.asks[0].qty, 37765316);
  EXPECT_EQ(b.bids[2].price, 148810000);
  EXPECT_EQ(b.bids[2].qty, 4667566);
}

TEST_F(UpbitMarketData, zeroSizeUnitsEndTheirSide) {
  const ParseResult r = parse(
      R"({"type":"orderbook","code":"KRW-ETH","timestamp":1,"orderbook_units":[)"
      R"({"ask_price":3700000,"bid_price":3699000,"ask_size":1.5,"bid_size":2},)"
      R"({"ask_price":3701000,"bid_price":0,"ask_size":0.25,"bid_size":0}]})");
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  ASSERT_EQ(out.books.size(), 1u);
  EXPECT_EQ(out.books[0].bids.size(), 1u);
  EXPECT_EQ(out.books[0].asks.size(), 2u);
}

TEST_F(UpbitMarketData, docTickerInBothFormatsAndTheLegacyOne) {
  HFT_SKIP_WITHOUT_SAMPLES();
  ASSERT_TRUE(parse(hft::test::readSample("upbit/ws/ticker_DEFAULT.json")).ok());
  ASSERT_TRUE(parse(hft::test::readSample("upbit/ws/ticker_SIMPLE_LIST.json")).ok());
  const ParseResult legacy = parse(hft::test::readSample("upbit/ws/ticker_legacy_2018_no_type_field.json"));
  ASSERT_TRUE(legacy.ok()) << toString(legacy.status) << " " << legacy.field;
  EXPECT_EQ(legacy.kind, MessageKind::Ticker);
  ASSERT_EQ(out.tickers.size(), 3u);
  const ParsedTicker& d = out.tickers[0];
  EXPECT_EQ(d.trade_price, 32287000);
  EXPECT_EQ(d.trade_volume, 3103806);
  EXPECT_EQ(d.opening_price, 31883000);
  EXPECT_EQ(d.high_price, 32310000);
  EXPECT_EQ(d.low_price, 31855000);
  EXPECT_EQ(d.last_aggressor, Side::Sell);
  EXPECT_EQ(d.trade_ns, 1676965262139 * kMs);
  EXPECT_EQ(d.event_ns, 1676965262177 * kMs);
  EXPECT_EQ(d.stream, StreamType::Realtime);
  const ParsedTicker& s = out.tickers[1];
  EXPECT_EQ(s.trade_price, 148956000);
  EXPECT_EQ(s.trade_volume, 6026520);
  EXPECT_EQ(s.last_aggressor, Side::Buy);
  EXPECT_EQ(s.event_ns, 0);  // this SIMPLE sample has no tms
  EXPECT_EQ(s.trade_ns, 1751854855934 * kMs);
  EXPECT_EQ(out.tickers[2].trade_price, 8629000);
  EXPECT_EQ(out.tickers[2].instrument->venue_symbol, "KRW-BTC");
}

TEST_F(UpbitMarketData, errorFramesAreRecognisedWithTheirName) {
  HFT_SKIP_WITHOUT_SAMPLES();
  const ParseResult r = parse(R"({"error":{"name":"INVALID_AUTH","message":"x"}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.kind, MessageKind::Error);
  EXPECT_EQ(parser.errorName(), "INVALID_AUTH");
  const ParseResult other = parse(R"({"status":"UP"})");
  EXPECT_TRUE(other.ok());
  EXPECT_EQ(other.kind, MessageKind::Other);
  EXPECT_EQ(parse(R"({"type":"candle.1s","code":"KRW-BTC"})").kind, MessageKind::Other);
}

// ---- bad input: every failure names the field and its byte offset

TEST_F(UpbitMarketData, truncatedJsonIsInvalidAndDeliversNothing) {
  const std::string msg = R"({"type":"trade","code":"KRW-BTC","trade_price":100,"trade_vol)";
  const ParseResult r = parse(msg);
  EXPECT_EQ(r.status, Status::InvalidJson);
  EXPECT_LE(r.offset, msg.size());
  EXPECT_TRUE(out.trades.empty());
  EXPECT_EQ(parse("").status, Status::InvalidJson);
  EXPECT_EQ(parse("42").status, Status::InvalidJson);
  EXPECT_EQ(parse(R"({"type":"trade"} x)").status, Status::InvalidJson);
}

TEST_F(UpbitMarketData, missingFieldIsNamedAtTheObjectsOffset) {
  const std::string msg = R"({"type":"trade","code":"KRW-BTC","trade_volume":1,"ask_bid":"BID",)"
                          R"("trade_timestamp":1,"sequential_id":1})";
  const ParseResult r = parse(msg);
  EXPECT_EQ(r.status, Status::MissingField);
  EXPECT_STREQ(r.field, "trade_price");
  EXPECT_EQ(r.offset, 0u);
  // In a SIMPLE message the missing key is named the SIMPLE way.
  const ParseResult s = parse(R"({"ty":"trade","cd":"KRW-BTC","tv":1,"ab":"BID","ttms":1,"sid":1})");
  EXPECT_STREQ(s.field, "tp");
}

TEST_F(UpbitMarketData, wrongTypeNamesFieldAndOffset) {
  const std::string msg = R"({"type":"trade","code":"KRW-BTC","trade_price":"100","trade_volume":1,)"
                          R"("ask_bid":"BID","trade_timestamp":1,"sequential_id":1})";
  const ParseResult r = parse(msg);
  EXPECT_EQ(r.status, Status::WrongType);
  EXPECT_STREQ(r.field, "trade_price");
  EXPECT_EQ(r.offset, msg.find("\"100\""));
  EXPECT_EQ(r.value, "\"100\"") << "the text found instead";
}

TEST_F(UpbitMarketData, badDecimalNamesFieldOffsetAndText) {
  const std::string msg = R"({"type":"trade","code":"KRW-BTC","trade_price":100.5,"trade_volume":1,)"
                          R"("ask_bid":"BID","trade_timestamp":1,"sequential_id":1})";
  const ParseResult r = parse(msg);
  EXPECT_EQ(r.status, Status::BadNumber);
  EXPECT_STREQ(r.field, "trade_price");
  EXPECT_EQ(r.number, ParseStatus::TooManyDecimals);  // KRW-BTC prices are whole KRW
  EXPECT_EQ(r.value, "100.5");
  EXPECT_EQ(r.offset, msg.find("100.5"));
}

TEST_F(UpbitMarketData, badUnitNamesItsIndexAndMember) {
  const std::string msg = R"({"ty":"orderbook","cd":"KRW-BTC","tms":1,"obu":[)"
                          R"({"ap":1000,"bp":999,"as":1,"bs":1},{"ap":1001,"bp":998,"as":"x","bs":1}]})";
  const ParseResult r = parse(msg);
  EXPECT_EQ(r.status, Status::WrongType);
  EXPECT_STREQ(r.field, "obu[1].as");
  EXPECT_EQ(r.offset, msg.find("\"x\""));
  const std::string missing = R"({"type":"orderbook","code":"KRW-BTC","timestamp":1,"orderbook_units":[)"
                              R"({"ask_price":1000,"bid_price":999,"ask_size":1}]})";
  const ParseResult m = parse(missing);
  EXPECT_EQ(m.status, Status::MissingField);
  EXPECT_STREQ(m.field, "orderbook_units[0].bid_size");
  EXPECT_EQ(m.offset, missing.find("{\"ask_price\""));
  EXPECT_TRUE(out.books.empty());
}

TEST_F(UpbitMarketData, badEnumTextAndUnknownMarketAreNamed) {
  const ParseResult r = parse(R"({"type":"trade","code":"KRW-BTC","trade_price":1,"trade_volume":1,)"
                              R"("ask_bid":"XX","trade_timestamp":1,"sequential_id":1})");
  EXPECT_EQ(r.status, Status::BadValue);
  EXPECT_STREQ(r.field, "ask_bid");
  EXPECT_EQ(r.value, "XX");
  const ParseResult u = parse(R"({"type":"trade","code":"KRW-DOGE","trade_price":1,"trade_volume":1,)"
                              R"("ask_bid":"BID","trade_timestamp":1,"sequential_id":1})");
  EXPECT_EQ(u.status, Status::UnknownSymbol);
  EXPECT_EQ(u.value, "KRW-DOGE");
}

TEST_F(UpbitMarketData, aFailureInAListNamesTheItemAfterDeliveringTheOnesBefore) {
  const std::string msg = R"([{"ty":"trade","cd":"KRW-BTC","tp":1,"tv":1,"ab":"BID","ttms":1,"sid":1},)"
                          R"({"ty":"trade","cd":"KRW-BTC","tp":1,"tv":"bad","ab":"BID","ttms":1,"sid":2}])";
  const ParseResult r = parse(msg);
  EXPECT_EQ(r.status, Status::WrongType);
  EXPECT_EQ(r.item, 1u);
  EXPECT_STREQ(r.field, "tv");
  EXPECT_EQ(r.offset, msg.find("\"bad\""));
  EXPECT_EQ(out.trades.size(), 1u);
}

TEST_F(UpbitMarketData, tooManyUnitsIsRefused) {
  hft::api::upbit::ParserLimits limits;
  limits.maxLevelsPerSide = 1;
  MarketDataParser small(instruments, limits);
  const ParseResult r = small.parse(R"({"type":"orderbook","code":"KRW-BTC","timestamp":1,"orderbook_units":[)"
                                    R"({"ask_price":2,"bid_price":1,"ask_size":1,"bid_size":1},)"
                                    R"({"ask_price":3,"bid_price":0,"ask_size":1,"bid_size":1}]})",
                                    out);
  EXPECT_EQ(r.status, Status::TooManyLevels);
  EXPECT_STREQ(r.field, "orderbook_units[1]");
}

}  // namespace
