// Importers of Binance public-data CSVs (api/import/BinanceCsvImporters.h), on the in-repo
// fixtures in data/ (written from the documented layouts) and on the real samples in ../shared.
#include <gtest/gtest.h>

#include "ImportTestUtil.h"
#include "api/import/BinanceCsvImporters.h"

using namespace hft;
using common::Bar;
using common::BestBidOffer;
using common::BookDelta;
using common::EventType;
using common::ExchangeId;
using common::Side;
using common::Trade;
using test::expectMentions;
using test::fixture;
using test::importError;
using test::importFile;
using test::TempDir;

namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kUs = 1'000;

void expectTrade(const Trade& t, common::InstrumentId inst, uint64_t id, int64_t price, int64_t qty, Side aggressor,
                 int64_t ts) {
  EXPECT_EQ(t.header.instrument_id, inst);
  EXPECT_EQ(t.header.size, sizeof(Trade));
  EXPECT_EQ(t.trade_id, id);
  EXPECT_EQ(t.price, price);
  EXPECT_EQ(t.qty, qty);
  EXPECT_EQ(t.aggressor, aggressor);
  EXPECT_EQ(t.header.exchange_ts_ns, ts);
  EXPECT_EQ(t.header.receive_ts_ns, ts) << "no receive time in the file: the exchange time stands in";
}

void expectLevel(const common::PriceLevelUpdate& l, Side side, int64_t price, int64_t qty) {
  EXPECT_EQ(l.side, side);
  EXPECT_EQ(l.price, price);
  EXPECT_EQ(l.qty, qty);
}

const char* kSpotTrades = "spot/BTCUSDT-trades-2024-01-01.csv";

}  // namespace

TEST(BinanceCsvImporters, provideTheFiveFormatsByName) {
  std::vector<std::string> names;
  for (const auto& i : api::makeBinanceCsvImporters()) {
    names.push_back(i->name());
    EXPECT_FALSE(i->description().empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"binance-trades-csv", "binance-aggtrades-csv", "binance-bookticker-csv",
                                             "binance-klines-csv", "binance-futures-book-csv"}));
}

// ---- each format on its fixture -----------------------------------------------------------

TEST(BinanceCsvImporters, tradesGiveTradesWithSellAggressorWhenTheBuyerIsMaker) {
  const auto r = importFile("binance-trades-csv", fixture(kSpotTrades));
  ASSERT_EQ(r.events.size(), 3u);
  expectTrade(r.at<Trade>(0), 1, 3000000001, 4228358, 100, Side::Sell, 1704067200001 * kMs);
  expectTrade(r.at<Trade>(1), 1, 3000000002, 4228359, 1500, Side::Buy, 1704067200350 * kMs);
  expectTrade(r.at<Trade>(2), 1, 3000000003, 4228360, 120000, Side::Buy, 1704067201000 * kMs);
  EXPECT_EQ(r.at<Trade>(0).header.exchange_id, ExchangeId::Binance);
  EXPECT_EQ(r.stats.lines, 3u);
  EXPECT_EQ(r.stats.events, 3u);
  EXPECT_EQ(test::countOf(r, EventType::Trade), 3u);
}

TEST(BinanceCsvImporters, aggTradesOfA2025SpotFileReadMicrosecondTimes) {
  const auto r = importFile("binance-aggtrades-csv", fixture("spot/BTCUSDT-aggTrades-2025-01-01.csv"));
  ASSERT_EQ(r.events.size(), 2u);
  expectTrade(r.at<Trade>(0), 1, 3300000001, 9357600, 14, Side::Sell, 1735689600000123 * kUs);
  expectTrade(r.at<Trade>(1), 1, 3300000002, 9357601, 50000, Side::Buy, 1735689600999999 * kUs);
}

TEST(BinanceCsvImporters, bookTickerGivesBestBidOffersOnFuturesAtTheTransactionTime) {
  const auto r = importFile("binance-bookticker-csv", fixture("futures/um/BTCUSDT-bookTicker-2024-01-01.csv"));
  ASSERT_EQ(r.events.size(), 2u) << "the header line is skipped";
  const auto& q = r.at<BestBidOffer>(0);
  EXPECT_EQ(q.header.exchange_id, ExchangeId::BinanceFutures);
  EXPECT_EQ(q.header.instrument_id, 3u);
  EXPECT_EQ(q.update_id, 3925548888036u);
  EXPECT_EQ(q.bid_price, 4231390);
  EXPECT_EQ(q.bid_qty, 8617);
  EXPECT_EQ(q.ask_price, 4231400);
  EXPECT_EQ(q.ask_qty, 3093);
  EXPECT_EQ(q.header.exchange_ts_ns, 1704067200006 * kMs);
  EXPECT_EQ(q.header.receive_ts_ns, 1704067200006 * kMs);
  EXPECT_EQ(r.at<BestBidOffer>(1).bid_qty, 8610);
  EXPECT_EQ(r.at<BestBidOffer>(1).update_id, 3925548890100u);
}

TEST(BinanceCsvImporters, headerlessKlinesGiveBarsStampedAtTheirCloseTime) {
  const auto r = importFile("binance-klines-csv", fixture("spot/ETHUSDT-1m-2024-01-01.csv"));
  ASSERT_EQ(r.events.size(), 2u);
  const auto& b = r.at<Bar>(0);
  EXPECT_EQ(b.header.instrument_id, 2u);
  EXPECT_EQ(b.header.exchange_ts_ns, 1704067259999 * kMs);
  EXPECT_EQ(b.interval_ns, 60'000'000'000);
  EXPECT_EQ(b.open, 228187);
  EXPECT_EQ(b.high, 228300);
  EXPECT_EQ(b.low, 228186);
  EXPECT_EQ(b.close, 228280);
  EXPECT_EQ(b.volume, 3528410);
  EXPECT_EQ(b.taker_buy_volume, 2166932);
  EXPECT_EQ(b.quote_volume, 80517356424800);
  EXPECT_EQ(b.trade_count, 1062u);
  EXPECT_EQ(r.at<Bar>(1).header.exchange_ts_ns, 1704067319999 * kMs);
}

TEST(BinanceCsvImporters, klinesWithAHeaderSkipIt) {
  const auto r = importFile("binance-klines-csv", fixture("futures/um/BTCUSDT-1h-2024-01-01.csv"));
  ASSERT_EQ(r.events.size(), 1u);
  const auto& b = r.at<Bar>(0);
  EXPECT_EQ(b.header.exchange_id, ExchangeId::BinanceFutures);
  EXPECT_EQ(b.interval_ns, 3'600'000'000'000);
  EXPECT_EQ(b.open, 4231400);
  EXPECT_EQ(b.high, 4260320);
  EXPECT_EQ(b.low, 4228960);
  EXPECT_EQ(b.close, 4257440);
  EXPECT_EQ(b.volume, 7956123);
  EXPECT_EQ(b.taker_buy_volume, 4197420);
  EXPECT_EQ(b.quote_volume, 33785925123450000);
  EXPECT_EQ(b.trade_count, 81567u);
  EXPECT_EQ(r.stats.lines, 2u);
}

TEST(BinanceCsvImporters, klinesInMicrosecondsGiveTheSameIntervalRule) {
  const auto r = importFile("binance-klines-csv", fixture("spot/BTCUSDT-1s-2025-01-01.csv"));
  ASSERT_EQ(r.events.size(), 1u);
  const auto& b = r.at<Bar>(0);
  EXPECT_EQ(b.header.exchange_ts_ns, 1735689600999999 * kUs);
  EXPECT_EQ(b.interval_ns, 1'000'000'000);
  EXPECT_EQ(b.volume, 5223);
  EXPECT_EQ(b.taker_buy_volume, 4100);
  EXPECT_EQ(b.quote_volume, 488747003000);
  EXPECT_EQ(b.trade_count, 41u);
}

TEST(BinanceCsvImporters, headerAndHeaderlessKlinesGiveTheSameBars) {
  TempDir dir;
  const std::string body = test::readText(fixture("spot/ETHUSDT-1m-2024-01-01.csv"));
  const auto plain = importFile("binance-klines-csv", dir.write("spot/ETHUSDT-1m-2024-01-01.csv", body));
  const auto headed =
      importFile("binance-klines-csv",
                 dir.write("spot/h/ETHUSDT-1m-2024-01-01.csv",
                           "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,"
                           "taker_buy_quote_volume,ignore\n" +
                               body));
  ASSERT_EQ(plain.events.size(), 2u);
  ASSERT_EQ(headed.events.size(), 2u);
  for (size_t i = 0; i < 2; ++i)
    EXPECT_EQ(std::memcmp(&plain.at<Bar>(i), &headed.at<Bar>(i), sizeof(Bar)), 0) << "bar " << i;
}

TEST(BinanceCsvImporters, futuresBookSnapshotIsAClearBookChainSplitAtMaxLevels) {
  const auto r = importFile("binance-futures-book-csv", fixture("futures/um/BTCUSDT-bookDepth-2024-01-01.csv"));
  ASSERT_EQ(r.events.size(), 4u);
  const auto& s0 = r.at<BookDelta>(0);
  const auto& s1 = r.at<BookDelta>(1);
  EXPECT_EQ(s0.flags, BookDelta::kClearBook | BookDelta::kFromSnapshot | BookDelta::kContinuation);
  EXPECT_EQ(s1.flags, BookDelta::kFromSnapshot);
  ASSERT_EQ(s0.count, 16);
  ASSERT_EQ(s1.count, 2);
  for (const BookDelta* d : {&s0, &s1}) {
    EXPECT_EQ(d->header.exchange_id, ExchangeId::BinanceFutures);
    EXPECT_EQ(d->header.instrument_id, 3u);
    EXPECT_EQ(d->header.exchange_ts_ns, 1704067200000 * kMs);
    EXPECT_EQ(d->first_update_id, 1000u);
    EXPECT_EQ(d->last_update_id, 1000u);
    EXPECT_EQ(d->prev_update_id, 0u) << "pu is -1 on snap rows";
  }
  expectLevel(s0.levels[0], Side::Buy, 4200000, 500);
  expectLevel(s0.levels[8], Side::Buy, 4199920, 4500);
  expectLevel(s0.levels[9], Side::Sell, 4200010, 250);
  expectLevel(s0.levels[15], Side::Sell, 4200070, 1750);
  expectLevel(s1.levels[0], Side::Sell, 4200080, 2000);
  expectLevel(s1.levels[1], Side::Sell, 4200090, 2250);
}

TEST(BinanceCsvImporters, futuresBookSetRowsAreGroupedByLastUpdateId) {
  const auto r = importFile("binance-futures-book-csv", fixture("futures/um/BTCUSDT-bookDepth-2024-01-01.csv"));
  ASSERT_EQ(r.events.size(), 4u);
  const auto& a = r.at<BookDelta>(2);
  EXPECT_EQ(a.flags, 0);
  EXPECT_EQ(a.first_update_id, 1001u);
  EXPECT_EQ(a.last_update_id, 1003u);
  EXPECT_EQ(a.prev_update_id, 1000u);
  EXPECT_EQ(a.header.exchange_ts_ns, 1704067200100 * kMs);
  ASSERT_EQ(a.count, 3);
  EXPECT_EQ(a.header.size, BookDelta::sizeFor(3));
  expectLevel(a.levels[0], Side::Buy, 4200000, 0);
  expectLevel(a.levels[1], Side::Sell, 4200010, 1000);
  expectLevel(a.levels[2], Side::Sell, 4200100, 750);
  const auto& b = r.at<BookDelta>(3);
  EXPECT_EQ(b.first_update_id, 1004u);
  EXPECT_EQ(b.last_update_id, 1005u);
  EXPECT_EQ(b.prev_update_id, 1003u);
  ASSERT_EQ(b.count, 2);
  expectLevel(b.levels[0], Side::Buy, 4199990, 2000);
  expectLevel(b.levels[1], Side::Buy, 4199980, 0);
}

// ---- which instrument a file is -----------------------------------------------------------

TEST(BinanceCsvImporters, aFuturesOrUmDirectoryMeansUsdmFutures) {
  TempDir dir;
  const std::string row = "1,42283.5,0.002,84.567,1704067200001,true\n";  // futures trades: no is_best_match
  for (const char* rel : {"futures/um/daily/trades/BTCUSDT/BTCUSDT-trades-2024-01-01.csv", "um/BTCUSDT-trades-x.csv",
                          "futures/BTCUSDT-trades-2024-01-01.csv"}) {
    const auto r = importFile("binance-trades-csv", dir.write(rel, row));
    ASSERT_EQ(r.events.size(), 1u) << rel;
    EXPECT_EQ(r.at<Trade>(0).header.exchange_id, ExchangeId::BinanceFutures) << rel;
    EXPECT_EQ(r.at<Trade>(0).qty, 2) << "read at the futures qty scale 3";
    EXPECT_TRUE(r.stats.notes.empty());
  }
}

TEST(BinanceCsvImporters, withoutADirectoryHintASymbolListedOnSpotIsSpotAndSaysSoInANote) {
  TempDir dir;
  const auto r = importFile("binance-trades-csv",
                            dir.write("BTCUSDT-trades-2024-01-01.csv", test::readText(fixture(kSpotTrades))));
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.at<Trade>(0).header.exchange_id, ExchangeId::Binance);
  ASSERT_EQ(r.stats.notes.size(), 1u);
  expectMentions(r.stats.notes[0], {"BTCUSDT-trades-2024-01-01.csv", "binance (spot)"});
}

TEST(BinanceCsvImporters, withoutADirectoryHintASymbolListedOnlyOnFuturesIsFutures) {
  TempDir dir;
  const auto r = importFile("binance-trades-csv",
                            dir.write("SOLUSDT-trades-2024-01-01.csv", "7,101.125,3,303.375,1704067200001,false\n"));
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.at<Trade>(0).header.instrument_id, 4u);
  EXPECT_EQ(r.at<Trade>(0).price, 101125);
  EXPECT_EQ(r.stats.notes.size(), 1u);
}

TEST(BinanceCsvImporters, bookTickerFilesAreFuturesWithoutADirectoryHint) {
  TempDir dir;
  const auto r = importFile("binance-bookticker-csv",
                            dir.write("BTCUSDT-bookTicker-2024-01-01.csv",
                                      test::readText(fixture("futures/um/BTCUSDT-bookTicker-2024-01-01.csv"))));
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.at<BestBidOffer>(0).header.instrument_id, 3u);
}

TEST(BinanceCsvImporters, aPathWithBothSpotAndFuturesIsAmbiguous) {
  TempDir dir;
  const auto path = dir.write("spot/futures/um/BTCUSDT-trades-2024-01-01.csv", "1,1,1,1,1704067200001,true\n");
  expectMentions(importError("binance-trades-csv", path), {path, "ambiguous"});
}

TEST(BinanceCsvImporters, coinMarginedFuturesAreRefused) {
  TempDir dir;
  const auto path = dir.write("futures/cm/BTCUSD_PERP-trades-2024-01-01.csv", "1,1,1,1,1704067200001,true\n");
  expectMentions(importError("binance-trades-csv", path), {path, "COIN-M", "not supported"});
}

TEST(BinanceCsvImporters, aFileNameWithoutTheSymbolIsRefused) {
  TempDir dir;
  const auto path = dir.write("trades.csv", "1,1,1,1,1704067200001,true\n");
  expectMentions(importError("binance-trades-csv", path), {path, "symbol from the file name"});
}

TEST(BinanceCsvImporters, anUnknownSymbolNamesTheFileAndTheSymbol) {
  TempDir dir;
  const auto path = dir.write("XYZUSDT-trades-2024-01-01.csv", "1,1,1,1,1704067200001,true\n");
  expectMentions(importError("binance-trades-csv", path), {path, "unknown symbol 'XYZUSDT'"});
  const auto spot = dir.write("spot/SOLUSDT-trades-2024-01-01.csv", "1,1,1,1,1704067200001,true\n");
  expectMentions(importError("binance-trades-csv", spot), {spot, "unknown symbol 'SOLUSDT' on binance"});
}

TEST(BinanceCsvImporters, anUnknownSymbolInTheFuturesBookNamesLineAndColumn) {
  TempDir dir;
  const auto path = dir.write("book.csv",
                              "symbol,timestamp,first_update_id,last_update_id,side,update_type,price,qty,pu\n"
                              "ETHBTC,1704067200000,1,1,b,snap,1.00,1.000,-1\n");
  expectMentions(importError("binance-futures-book-csv", path),
                 {"book.csv:2", "column 'symbol'", "unknown symbol 'ETHBTC'"});
}

// ---- bad input ----------------------------------------------------------------------------

TEST(BinanceCsvImporters, tooManyDecimalsNameFileLineColumnValueAndScale) {
  TempDir dir;
  const auto path = dir.write(kSpotTrades,
                              "1,42283.58,0.001,1,1704067200001,true,true\n"
                              "2,42283.585,0.001,1,1704067200002,true,true\n");
  expectMentions(importError("binance-trades-csv", path),
                 {path + ":2", "column 'price'", "'42283.585'", "price scale 2"});
}

TEST(BinanceCsvImporters, aBadNumberNamesFileLineAndColumn) {
  TempDir dir;
  const auto path = dir.write("spot/ETHUSDT-1m-2024-01-01.csv",
                              "1704067200000,2281.87,2283.00,2281.86,2282.80,352.8410,1704067259999,805173.5,"
                              "many,216.6932,494494.1,0\n");
  expectMentions(importError("binance-klines-csv", path), {path + ":1", "column 'count'", "'many'"});
}

TEST(BinanceCsvImporters, aMissingColumnNamesFileLineAndColumn) {
  TempDir dir;
  const auto path = dir.write(kSpotTrades, "1,42283.58,0.001,1,1704067200001\n");
  expectMentions(importError("binance-trades-csv", path), {path + ":1", "missing column 'is_buyer_maker'"});
  const auto book = dir.write("book.csv", "BTCUSDT,1704067200000,1,1,b,snap,1.00,1.000\n");
  expectMentions(importError("binance-futures-book-csv", book), {book + ":1", "missing column 'pu'"});
}

TEST(BinanceCsvImporters, unknownSideOrUpdateTypeInTheFuturesBookIsAnError) {
  TempDir dir;
  const auto side = dir.write("side.csv", "BTCUSDT,1704067200000,1,1,x,snap,1.00,1.000,-1\n");
  expectMentions(importError("binance-futures-book-csv", side), {side + ":1", "column 'side'", "'x'"});
  const auto type = dir.write("type.csv", "BTCUSDT,1704067200000,1,1,b,diff,1.00,1.000,-1\n");
  expectMentions(importError("binance-futures-book-csv", type), {type + ":1", "column 'update_type'", "'diff'"});
}

TEST(BinanceCsvImporters, zipArchivesAreRefusedWithAHintToUnzip) {
  TempDir dir;
  const auto path = dir.write("BTCUSDT-trades-2024-01-01.zip", std::string("PK\x03\x04 rest of a zip"));
  expectMentions(importError("binance-trades-csv", path), {path, "zip", "unzip"});
}

TEST(BinanceCsvImporters, gzipInputGivesTheSameEventsAsPlain) {
  TempDir dir;
  const auto plain = importFile("binance-trades-csv", fixture(kSpotTrades));
  const auto gz = importFile(
      "binance-trades-csv", dir.writeGz("spot/BTCUSDT-trades-2024-01-01.csv.gz", test::readText(fixture(kSpotTrades))));
  ASSERT_EQ(gz.events.size(), plain.events.size());
  for (size_t i = 0; i < gz.events.size(); ++i)
    EXPECT_EQ(std::memcmp(gz.events[i].bytes, plain.events[i].bytes, sizeof(Trade)), 0) << "event " << i;
}

TEST(BinanceCsvImporters, blankLinesAreSkippedAndCounted) {
  TempDir dir;
  const auto r = importFile("binance-trades-csv", dir.write(kSpotTrades,
                                                            "1,42283.58,0.001,1,1704067200001,true,true\n\n"
                                                            "2,42283.58,0.001,1,1704067200002,true,true\n"));
  EXPECT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.stats.lines, 3u);
  EXPECT_EQ(r.stats.skipped, 1u);
}

// ---- the real samples (../shared) ---------------------------------------------------------

TEST(BinanceCsvImporters, theRealKlinesSampleParsesFully) {
  SKIP_WITHOUT_SHARED_SAMPLES();
  const auto path = test::sharedSample("binance-vision-klines/ADABTC-1m-2021-11-27.csv");
  const auto r = importFile("binance-klines-csv", path);
  ASSERT_EQ(r.events.size(), test::dataRows(path, false));
  ASSERT_EQ(r.events.size(), 10u);
  const auto& b = r.at<Bar>(0);  // 1637971200000,0.00002853,0.00002854,0.00002851,0.00002854,36304.2,...
  EXPECT_EQ(b.header.instrument_id, 5u);
  EXPECT_EQ(b.header.exchange_ts_ns, 1637971259999 * kMs);
  EXPECT_EQ(b.interval_ns, 60'000'000'000);
  EXPECT_EQ(b.open, 2853);
  EXPECT_EQ(b.high, 2854);
  EXPECT_EQ(b.low, 2851);
  EXPECT_EQ(b.close, 2854);
  EXPECT_EQ(b.volume, 363042);
  EXPECT_EQ(b.quote_volume, 103547608);
  EXPECT_EQ(b.trade_count, 79u);
  EXPECT_EQ(b.taker_buy_volume, 195230);
  for (size_t i = 1; i < r.events.size(); ++i)
    EXPECT_EQ(r.at<Bar>(i).header.exchange_ts_ns - r.at<Bar>(i - 1).header.exchange_ts_ns, 60'000'000'000);
}

TEST(BinanceCsvImporters, theRealFuturesBookSnapshotParsesFully) {
  SKIP_WITHOUT_SHARED_SAMPLES();
  const auto path = test::sharedSample("binance-futures-orderbook-csv/BTCUSDT-depth-snap_2022-11-01.csv");
  const auto r = importFile("binance-futures-book-csv", path);
  EXPECT_EQ(test::deltaLevels(r), test::dataRows(path, true));
  ASSERT_EQ(r.events.size(), 7u);  // 100 levels in pieces of 16
  EXPECT_EQ(r.at<BookDelta>(0).flags, BookDelta::kClearBook | BookDelta::kFromSnapshot | BookDelta::kContinuation);
  EXPECT_EQ(r.at<BookDelta>(6).flags, BookDelta::kFromSnapshot);
  EXPECT_EQ(r.at<BookDelta>(6).count, 4);
  EXPECT_EQ(r.at<BookDelta>(0).last_update_id, 2098021528332u);
  expectLevel(r.at<BookDelta>(0).levels[0], Side::Buy, 2037700, 1770);
}

TEST(BinanceCsvImporters, theRealFuturesBookUpdateParsesFully) {
  SKIP_WITHOUT_SHARED_SAMPLES();
  const auto path = test::sharedSample("binance-futures-orderbook-csv/BTCUSDT-depth-update_2022-11-01.csv");
  const auto r = importFile("binance-futures-book-csv", path);
  EXPECT_EQ(test::deltaLevels(r), test::dataRows(path, true));
  ASSERT_EQ(r.events.size(), 7u);  // one depthUpdate of 100 rows
  for (size_t i = 0; i < r.events.size(); ++i) {
    const auto& d = r.at<BookDelta>(i);
    EXPECT_EQ(d.first_update_id, 2098041693435u);
    EXPECT_EQ(d.last_update_id, 2098041696700u);
    EXPECT_EQ(d.prev_update_id, 2098041693400u);
    EXPECT_EQ(d.flags, i + 1 < r.events.size() ? BookDelta::kContinuation : 0);
  }
}
