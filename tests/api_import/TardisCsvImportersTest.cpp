// Importers of Tardis.dev CSVs (api/import/TardisCsvImporters.h), on the in-repo fixtures in
// data/ (written from the documented layouts) and on the real samples in ../shared.
#include <gtest/gtest.h>

#include <sstream>

#include "ImportTestUtil.h"
#include "api/import/TardisCsvImporters.h"

using namespace hft;
using common::BestBidOffer;
using common::BookDelta;
using common::BookSnapshot;
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

constexpr int64_t kUs = 1'000;
constexpr uint16_t kSnapshotFlags = BookDelta::kClearBook | BookDelta::kFromSnapshot;

void expectLevel(const common::PriceLevelUpdate& l, Side side, int64_t price, int64_t qty) {
  EXPECT_EQ(l.side, side);
  EXPECT_EQ(l.price, price);
  EXPECT_EQ(l.qty, qty);
}

void expectTimes(const common::EventHeader& h, int64_t exchangeUs, int64_t localUs) {
  EXPECT_EQ(h.exchange_ts_ns, exchangeUs * kUs);
  EXPECT_EQ(h.receive_ts_ns, localUs * kUs);
}

/// The file with every data row's exchange and symbol columns replaced: lets the real samples of
/// venues this system does not trade (BitMEX, Huobi, Deribit) exercise the parsers, since the
/// importers refuse unsupported exchanges before reading anything else of a row.
std::string relabelled(const std::string& path, const std::string& exchange, const std::string& symbol) {
  std::istringstream in(test::readText(path));
  std::string out, line;
  for (bool header = true; std::getline(in, line); header = false) {
    if (!header) {
      const size_t second = line.find(',', line.find(',') + 1);
      line = std::string(exchange).append(",").append(symbol).append(line.substr(second));
    }
    out.append(line).append("\n");
  }
  return out;
}

/// Data rows whose local_timestamp (4th column) is before timestamp (3rd).
uint64_t skewedRows(const std::string& path) {
  std::istringstream in(test::readText(path));
  std::string line;
  uint64_t n = 0;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string f[4];
    for (auto& s : f) std::getline(row, s, ',');
    if (std::stoll(f[3]) < std::stoll(f[2])) ++n;
  }
  return n;
}

}  // namespace

TEST(TardisCsvImporters, provideTheFourFormatsByName) {
  std::vector<std::string> names;
  for (const auto& i : api::makeTardisCsvImporters()) {
    names.push_back(i->name());
    EXPECT_FALSE(i->description().empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"tardis-trades", "tardis-quotes", "tardis-book-snapshot",
                                             "tardis-incremental-l2"}));
}

// ---- each format on its fixture -----------------------------------------------------------

TEST(TardisCsvImporters, tradesMapExchangesSymbolsSidesAndBothTimes) {
  const auto r = importFile("tardis-trades", fixture("tardis_trades.csv"));
  ASSERT_EQ(r.events.size(), 3u);
  const auto& a = r.at<Trade>(0);
  EXPECT_EQ(a.header.exchange_id, ExchangeId::BinanceFutures);
  EXPECT_EQ(a.header.instrument_id, 3u);
  expectTimes(a.header, 1704067200001000, 1704067200002500);
  EXPECT_EQ(a.trade_id, 4390000001u);
  EXPECT_EQ(a.aggressor, Side::Buy);
  EXPECT_EQ(a.price, 4228350);
  EXPECT_EQ(a.qty, 2);
  const auto& b = r.at<Trade>(1);
  EXPECT_EQ(b.header.exchange_id, ExchangeId::Binance);
  EXPECT_EQ(b.header.instrument_id, 1u);
  EXPECT_EQ(b.aggressor, Side::Sell);
  EXPECT_EQ(b.price, 4228358);
  EXPECT_EQ(b.qty, 12345);
  expectTimes(b.header, 1704067200003000, 1704067200002000);  // kept as is
  const auto& c = r.at<Trade>(2);
  EXPECT_EQ(c.header.exchange_id, ExchangeId::Upbit);
  EXPECT_EQ(c.header.instrument_id, 6u);
  EXPECT_EQ(c.trade_id, 0u);
  EXPECT_EQ(c.aggressor, Side::None);
  EXPECT_EQ(c.price, 58000000);
  EXPECT_EQ(c.qty, 10000);
  EXPECT_EQ(r.stats.clock_skew_lines, 1u);
  EXPECT_EQ(r.stats.lines, 4u);
  ASSERT_EQ(r.stats.notes.size(), 1u);
  expectMentions(r.stats.notes[0], {"tardis_trades.csv", "1 trades had non-numeric ids"});
}

TEST(TardisCsvImporters, quotesGiveBestBidOffersAndAnEmptySideIsZero) {
  const auto r = importFile("tardis-quotes", fixture("tardis_quotes.csv"));
  ASSERT_EQ(r.events.size(), 2u);
  const auto& q = r.at<BestBidOffer>(0);
  EXPECT_EQ(q.header.instrument_id, 3u);
  expectTimes(q.header, 1704067200001000, 1704067200001800);
  EXPECT_EQ(q.bid_price, 4231390);
  EXPECT_EQ(q.bid_qty, 8617);
  EXPECT_EQ(q.ask_price, 4231400);
  EXPECT_EQ(q.ask_qty, 3093);
  EXPECT_EQ(q.update_id, 0u);
  const auto& e = r.at<BestBidOffer>(1);
  EXPECT_EQ(e.bid_price, 4231390);
  EXPECT_EQ(e.bid_qty, 8600);
  EXPECT_EQ(e.ask_price, 0);
  EXPECT_EQ(e.ask_qty, 0);
}

TEST(TardisCsvImporters, bookSnapshotGivesAClearBookChainThenTheTopTenLevels) {
  const auto r = importFile("tardis-book-snapshot", fixture("tardis_book_snapshot_12.csv"));
  ASSERT_EQ(r.events.size(), 5u);
  // Row 1: 12 levels a side -> 24 level updates (asks[i] then bids[i]) in pieces of 16 + 8.
  const auto& d0 = r.at<BookDelta>(0);
  const auto& d1 = r.at<BookDelta>(1);
  EXPECT_EQ(d0.flags, kSnapshotFlags | BookDelta::kContinuation);
  EXPECT_EQ(d1.flags, BookDelta::kFromSnapshot);
  ASSERT_EQ(d0.count, 16);
  ASSERT_EQ(d1.count, 8);
  expectTimes(d0.header, 1704067200000000, 1704067200004321);
  EXPECT_EQ(d0.last_update_id, 0u);
  expectLevel(d0.levels[0], Side::Sell, 4200010, 1500);
  expectLevel(d0.levels[1], Side::Buy, 4200000, 1);
  expectLevel(d0.levels[2], Side::Sell, 4200020, 2500);
  expectLevel(d1.levels[7], Side::Buy, 4199890, 12);
  const auto& s = r.at<BookSnapshot>(2);
  expectTimes(s.header, 1704067200000000, 1704067200004321);
  EXPECT_EQ(s.header.instrument_id, 3u);
  EXPECT_EQ(s.bid_count, 10);
  EXPECT_EQ(s.ask_count, 10);
  EXPECT_EQ(s.asks[0].price, 4200010);
  EXPECT_EQ(s.asks[9].price, 4200100);
  EXPECT_EQ(s.asks[9].qty, 10500);
  EXPECT_EQ(s.bids[0].price, 4200000);
  EXPECT_EQ(s.bids[9].price, 4199910);
  EXPECT_EQ(s.bids[9].qty, 10);
  // Row 2: a thin book; Tardis leaves the missing levels' fields empty.
  const auto& d2 = r.at<BookDelta>(3);
  EXPECT_EQ(d2.flags, kSnapshotFlags);
  ASSERT_EQ(d2.count, 3);
  expectLevel(d2.levels[0], Side::Sell, 4201000, 1000);
  expectLevel(d2.levels[1], Side::Buy, 4200950, 250);
  expectLevel(d2.levels[2], Side::Sell, 4201100, 1000);
  const auto& t = r.at<BookSnapshot>(4);
  EXPECT_EQ(t.ask_count, 2);
  EXPECT_EQ(t.bid_count, 1);
  EXPECT_EQ(t.asks[2].qty, 0);
  EXPECT_EQ(t.bids[1].qty, 0);
}

TEST(TardisCsvImporters, incrementalSnapshotRowsReplaceTheBookAndDiffsAreGroupedPerMessage) {
  const auto r = importFile("tardis-incremental-l2", fixture("tardis_incremental_book_L2.csv"));
  ASSERT_EQ(r.events.size(), 6u);
  const auto& s0 = r.at<BookDelta>(0);
  const auto& s1 = r.at<BookDelta>(1);
  EXPECT_EQ(s0.flags, kSnapshotFlags | BookDelta::kContinuation);
  EXPECT_EQ(s1.flags, BookDelta::kFromSnapshot);
  ASSERT_EQ(s0.count, 16);
  ASSERT_EQ(s1.count, 2);
  expectTimes(s1.header, 1704067200000000, 1704067200100000);
  expectLevel(s0.levels[0], Side::Buy, 4200000, 1000);
  expectLevel(s0.levels[9], Side::Sell, 4200100, 100);
  expectLevel(s1.levels[1], Side::Sell, 4200900, 900);
  // Two rows of one message (same timestamp and local_timestamp).
  const auto& a = r.at<BookDelta>(2);
  EXPECT_EQ(a.flags, 0);
  ASSERT_EQ(a.count, 2);
  expectTimes(a.header, 1704067201000000, 1704067201100000);
  expectLevel(a.levels[0], Side::Buy, 4200000, 0);
  expectLevel(a.levels[1], Side::Sell, 4200150, 250);
  // Same exchange time, later capture time: another message.
  const auto& b = r.at<BookDelta>(3);
  ASSERT_EQ(b.count, 1);
  expectTimes(b.header, 1704067201000000, 1704067201100100);
  expectLevel(b.levels[0], Side::Sell, 4200100, 0);
  const auto& c = r.at<BookDelta>(4);
  ASSERT_EQ(c.count, 1);
  expectLevel(c.levels[0], Side::Buy, 4199950, 1250);
  // A later snapshot clears the book again.
  const auto& s2 = r.at<BookDelta>(5);
  EXPECT_EQ(s2.flags, kSnapshotFlags);
  ASSERT_EQ(s2.count, 1);
  expectLevel(s2.levels[0], Side::Buy, 4210000, 3000);
}

TEST(TardisCsvImporters, columnsAreFoundByNameWhateverTheirOrder) {
  TempDir dir;
  const auto path =
      dir.write("q.csv",
                "bid_amount,bid_price,local_timestamp,symbol,ask_price,exchange,timestamp,ask_amount\n"
                "8.617,42313.9,1704067200001800,btcusdt,42314.0,binance-futures,1704067200001000,3.093\n");
  const auto r = importFile("tardis-quotes", path);
  ASSERT_EQ(r.events.size(), 1u);
  const auto& q = r.at<BestBidOffer>(0);
  EXPECT_EQ(q.header.instrument_id, 3u) << "a lower-case symbol is found upper-cased";
  expectTimes(q.header, 1704067200001000, 1704067200001800);
  EXPECT_EQ(q.bid_qty, 8617);
  EXPECT_EQ(q.ask_qty, 3093);
}

TEST(TardisCsvImporters, gzipInputGivesTheSameEventsAsPlain) {
  TempDir dir;
  const auto plain = importFile("tardis-incremental-l2", fixture("tardis_incremental_book_L2.csv"));
  const auto gz = importFile("tardis-incremental-l2",
                             dir.writeGz("l2.csv.gz", test::readText(fixture("tardis_incremental_book_L2.csv"))));
  ASSERT_EQ(gz.events.size(), plain.events.size());
  for (size_t i = 0; i < gz.events.size(); ++i)
    EXPECT_EQ(std::memcmp(gz.events[i].bytes, plain.events[i].bytes, gz.events[i].header().size), 0) << "event " << i;
}

// ---- bad input ----------------------------------------------------------------------------

TEST(TardisCsvImporters, anUnsupportedExchangeIsNamedWithFileLineAndColumn) {
  TempDir dir;
  const auto path = dir.write("t.csv",
                              "exchange,symbol,timestamp,local_timestamp,id,side,price,amount\n"
                              "bitmex,XBTUSD,1583020803145000,1583020803307160,x,sell,8531.5,2152\n");
  expectMentions(importError("tardis-trades", path),
                 {path + ":2", "column 'exchange'", "exchange 'bitmex' is not supported by this system"});
}

TEST(TardisCsvImporters, anUnknownSymbolIsNamedWithFileLineAndColumn) {
  TempDir dir;
  const auto path = dir.write("t.csv",
                              "exchange,symbol,timestamp,local_timestamp,id,side,price,amount\n"
                              "binance-futures,BTCUSDT,1,2,1,buy,1,1\n"
                              "binance-futures,XRPUSDT,1,2,1,buy,1,1\n");
  expectMentions(importError("tardis-trades", path),
                 {path + ":3", "column 'symbol'", "unknown symbol 'XRPUSDT' on binance_futures"});
}

TEST(TardisCsvImporters, tooManyDecimalsNameFileLineColumnValueAndScale) {
  TempDir dir;
  const auto path = dir.write("l2.csv",
                              "exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\n"
                              "binance-futures,BTCUSDT,1,2,false,bid,42000.1,0.0015\n");
  expectMentions(importError("tardis-incremental-l2", path),
                 {path + ":2", "column 'amount'", "'0.0015'", "qty scale 3", "BTCUSDT on binance_futures"});
}

TEST(TardisCsvImporters, aBadNumberOrBadSideNamesFileLineAndColumn) {
  TempDir dir;
  const auto ts = dir.write("a.csv",
                            "exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\n"
                            "binance-futures,BTCUSDT,17040672OO,2,false,bid,42000.1,1\n");
  expectMentions(importError("tardis-incremental-l2", ts), {ts + ":2", "column 'timestamp'", "'17040672OO'"});
  const auto side = dir.write("b.csv",
                              "exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\n"
                              "binance-futures,BTCUSDT,1,2,false,buy,42000.1,1\n");
  expectMentions(importError("tardis-incremental-l2", side), {side + ":2", "column 'side'", "'buy'"});
}

TEST(TardisCsvImporters, aHeaderWithoutAColumnNamesFileLineAndColumn) {
  TempDir dir;
  const auto path = dir.write("q.csv", "exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price\n");
  expectMentions(importError("tardis-quotes", path), {path + ":1", "missing column 'bid_amount'"});
  const auto book = dir.write("s.csv", "exchange,symbol,timestamp,local_timestamp,bids[0].price\n");
  expectMentions(importError("tardis-book-snapshot", book), {book + ":1", "missing column 'asks[0].price'"});
}

TEST(TardisCsvImporters, aShortRowNamesFileLineAndTheMissingColumn) {
  TempDir dir;
  const auto path = dir.write("t.csv",
                              "exchange,symbol,timestamp,local_timestamp,id,side,price,amount\n"
                              "binance-futures,BTCUSDT,1,2,1,buy,1\n");
  expectMentions(importError("tardis-trades", path), {path + ":2", "missing column 'amount'"});
}

TEST(TardisCsvImporters, aFileWithoutHeaderIsRefused) {
  TempDir dir;
  const auto path = dir.write("t.csv", "binance-futures,BTCUSDT,1,2,1,buy,1,1\n");
  expectMentions(importError("tardis-trades", path), {path + ":1", "no header line"});
}

// ---- the real samples (../shared) ---------------------------------------------------------

TEST(TardisCsvImporters, theRealBinanceFuturesBookSnapshotsParseFully) {
  SKIP_WITHOUT_SHARED_SAMPLES();
  for (const auto& [file, depth, pieces] : {std::tuple{"binance-futures_book_snapshot_5_BTCUSDT.csv", 5u, 1u},
                                            std::tuple{"binance-futures_book_snapshot_25_BTCUSDT.csv", 25u, 4u}}) {
    const auto path = test::sharedSample(std::string("tardis/") + file);
    const auto r = importFile("tardis-book-snapshot", path);
    const size_t rows = test::dataRows(path, true);
    EXPECT_EQ(test::countOf(r, EventType::BookSnapshot), rows) << file;
    EXPECT_EQ(test::countOf(r, EventType::BookDelta), rows * pieces) << file;
    EXPECT_EQ(test::deltaLevels(r), rows * depth * 2) << file;
    EXPECT_EQ(r.stats.clock_skew_lines, skewedRows(path)) << file;
    const auto& s = r.at<BookSnapshot>(pieces);
    EXPECT_EQ(s.bid_count, std::min(depth, 10u));
    EXPECT_EQ(s.asks[0].price, 1165708);  // 11657.08, the first row's best ask in both files
    EXPECT_EQ(s.bids[0].price, 1165707);
    expectTimes(s.header, 1598918403696000, 1598918403810979);
  }
}

TEST(TardisCsvImporters, theRealSyntheticDeltasWithSnapshotsParseFully) {
  SKIP_WITHOUT_SHARED_SAMPLES();
  const auto path = test::sharedSample("tardis/SYNTHETIC_binance-futures_deltas_with_snapshot.csv");
  const auto r = importFile("tardis-incremental-l2", path);
  EXPECT_EQ(test::deltaLevels(r), test::dataRows(path, true));
  ASSERT_EQ(r.events.size(), 7u);  // snapshot(2), 3 diffs, snapshot(2), 2 diffs
  const uint16_t flags[] = {kSnapshotFlags, 0, 0, 0, kSnapshotFlags, 0, 0};
  for (size_t i = 0; i < 7; ++i) EXPECT_EQ(r.at<BookDelta>(i).flags, flags[i]) << "event " << i;
  expectLevel(r.at<BookDelta>(0).levels[1], Side::Sell, 5000100, 2000);
}

TEST(TardisCsvImporters, theRealSampleOfAnUnsupportedExchangeIsRefusedAtItsFirstRow) {
  SKIP_WITHOUT_SHARED_SAMPLES();
  const auto path = test::sharedSample("tardis/bitmex_trades_XBTUSD.csv");
  expectMentions(importError("tardis-trades", path),
                 {"bitmex_trades_XBTUSD.csv:2", "exchange 'bitmex' is not supported by this system"});
}

// BitMEX, Huobi and Deribit are not venues of this system, so their real samples are refused as
// they are; relabelled as binance-futures BTCUSDT (whose scales fit their numbers) they still
// exercise the parsers on real Tardis output: UUID trade ids, Tardis's own quote column order,
// integer-looking prices and amounts, a snapshot-only incremental file.
TEST(TardisCsvImporters, theRealSamplesOfOtherExchangesParseFullyWhenRelabelled) {
  SKIP_WITHOUT_SHARED_SAMPLES();
  TempDir dir;
  const auto relabel = [&](const char* file) {
    return dir.write(file, relabelled(test::sharedSample(std::string("tardis/") + file), "binance-futures", "BTCUSDT"));
  };

  const auto trades = relabel("bitmex_trades_XBTUSD.csv");
  const auto t = importFile("tardis-trades", trades);
  ASSERT_EQ(t.events.size(), test::dataRows(trades, true));
  EXPECT_EQ(t.at<Trade>(0).price, 853150);
  EXPECT_EQ(t.at<Trade>(0).qty, 2152000);
  EXPECT_EQ(t.at<Trade>(0).aggressor, Side::Sell);
  EXPECT_EQ(t.at<Trade>(0).trade_id, 0u) << "a UUID is not a numeric trade id";
  expectTimes(t.at<Trade>(0).header, 1583020803145000, 1583020803307160);
  EXPECT_EQ(t.stats.notes.size(), 1u);

  const auto quotes = relabel("huobi-dm-swap_quotes_BTC-USD.csv");
  const auto q = importFile("tardis-quotes", quotes);
  ASSERT_EQ(q.events.size(), test::dataRows(quotes, true));
  EXPECT_EQ(q.at<BestBidOffer>(0).ask_qty, 5494000);
  EXPECT_EQ(q.at<BestBidOffer>(0).ask_price, 862930);
  EXPECT_EQ(q.at<BestBidOffer>(0).bid_price, 862920);
  EXPECT_EQ(q.at<BestBidOffer>(0).bid_qty, 806000);

  const auto l2 = relabel("deribit_incremental_book_L2_BTC-PERPETUAL.csv");
  const auto b = importFile("tardis-incremental-l2", l2);
  EXPECT_EQ(test::deltaLevels(b), test::dataRows(l2, true));
  ASSERT_EQ(b.events.size(), 1u);  // one 15-level snapshot
  EXPECT_EQ(b.at<BookDelta>(0).flags, kSnapshotFlags);
  expectLevel(b.at<BookDelta>(0).levels[0], Side::Sell, 642150, 18640000);
}
