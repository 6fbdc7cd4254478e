// The CSV row reader and the helpers the CSV importers share (api/import/CsvRow.h).
#include <gtest/gtest.h>

#include "ImportTestUtil.h"
#include "api/import/CsvRow.h"

using namespace hft;
using api::BookDeltaChain;
using api::CsvRow;
using api::ImportError;
using common::BookDelta;
using hft::test::expectMentions;

namespace {

const config::Instrument& spotBtc() { return *test::registry().byId(1); }

/// A row of `line` at line 7 of "data/x.csv" with columns a, price, qty.
CsvRow row(std::string_view line) {
  CsvRow r("data/x.csv");
  r.setColumns({"a", "price", "qty"});
  r.split(line, 7);
  return r;
}

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ImportError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(CsvRow, splitsAtCommasAndKeepsEmptyFields) {
  const CsvRow r = row("x,,3.5,");
  ASSERT_EQ(r.fieldCount(), 4u);
  EXPECT_EQ(r.text(0), "x");
  EXPECT_EQ(r.text(1), "");
  EXPECT_FALSE(r.present(1));
  EXPECT_EQ(r.text(2), "3.5");
  EXPECT_TRUE(r.present(2));
}

TEST(CsvRow, takesALineWithoutAnyNumberForAHeader) {
  EXPECT_TRUE(row("open_time,open,high").looksLikeHeader());
  EXPECT_TRUE(row("exchange,symbol,asks[0].price").looksLikeHeader());
  EXPECT_FALSE(row("1637971200000,0.00002853,x").looksLikeHeader());
  EXPECT_FALSE(row("BTCUSDT,-1,b").looksLikeHeader());
}

TEST(CsvRow, findsColumnsByNameOnceBoundToAHeader) {
  CsvRow r = row("qty,unused,a,price");
  r.bindHeader();
  r.split("5,zz,7,42.5", 8);
  EXPECT_EQ(r.text(0), "7");
  EXPECT_EQ(r.price(1, spotBtc()), 4250);
  EXPECT_EQ(r.qty(2, spotBtc()), 500000);
}

TEST(CsvRow, namesFileLineAndColumnWhenTheHeaderLacksAColumn) {
  CsvRow r = row("a,price,quantity");
  expectMentions(errorOf([&] { r.bindHeader(); }), {"data/x.csv:7", "missing column 'qty'", "header"});
}

TEST(CsvRow, namesFileLineAndColumnWhenARowIsTooShort) {
  const CsvRow r = row("1,2");
  expectMentions(errorOf([&] { (void)r.qty(2, spotBtc()); }), {"data/x.csv:7", "missing column 'qty'", "2 fields"});
}

TEST(CsvRow, namesFileLineColumnAndValueOfABadNumber) {
  const CsvRow r = row("1,42.5x,2");
  expectMentions(errorOf([&] { (void)r.price(1, spotBtc()); }),
                 {"data/x.csv:7", "column 'price'", "'42.5x'", "not a decimal number"});
  expectMentions(errorOf([&] { (void)row("1.5,1,1").integer(0); }), {"data/x.csv:7", "column 'a'", "not an integer"});
  expectMentions(errorOf([&] { (void)row(",1,1").price(0, spotBtc()); }), {"column 'a'", "empty"});
  expectMentions(errorOf([&] { (void)row("1,-3,1").price(1, spotBtc()); }), {"column 'price'", "negative"});
}

TEST(CsvRow, refusesMoreDecimalsThanTheScaleNamingValueScaleAndInstrument) {
  const CsvRow r = row("1,42.505,0.000011");
  expectMentions(
      errorOf([&] { (void)r.price(1, spotBtc()); }),
      {"data/x.csv:7", "column 'price'", "'42.505'", "more decimals", "price scale 2", "BTCUSDT on binance"});
  expectMentions(errorOf([&] { (void)r.qty(2, spotBtc()); }), {"column 'qty'", "'0.000011'", "qty scale 5"});
}

TEST(CsvRow, acceptsTrailingZerosBeyondTheScale) {
  const CsvRow r = row("1,42.5000000,1.2300000000");
  EXPECT_EQ(r.price(1, spotBtc()), 4250);
  EXPECT_EQ(r.qty(2, spotBtc()), 123000);
  EXPECT_EQ(row("0.12345678000,1,1").amount(0), 12345678);
}

TEST(CsvRow, readsExponentNotationExactly) {
  EXPECT_EQ(row("1,1.5e1,2.5E-4").qty(2, spotBtc()), 25);  // 0.00025 at 5 decimals
  EXPECT_EQ(row("1,1.5e1,1").price(1, spotBtc()), 1500);
  EXPECT_EQ(row("1,4.2e+2,1").price(1, spotBtc()), 42000);
  expectMentions(errorOf([&] { (void)row("1,1e-3,1").price(1, spotBtc()); }), {"'1e-3'", "more decimals"});
  expectMentions(errorOf([&] { (void)row("1,1e,1").price(1, spotBtc()); }), {"'1e'", "not a decimal number"});
}

TEST(CsvRow, readsBooleansInAnyLetterCase) {
  EXPECT_TRUE(row("True,1,1").boolean(0));
  EXPECT_TRUE(row("true,1,1").boolean(0));
  EXPECT_FALSE(row("FALSE,1,1").boolean(0));
  expectMentions(errorOf([&] { (void)row("1,1,1").boolean(0); }), {"column 'a'", "not true or false"});
}

TEST(CsvRow, tellsMillisecondsFromMicrosecondsByMagnitude) {
  EXPECT_EQ(api::epochUnitNs(1637971200000), 1'000'000);  // 2021 in ms
  EXPECT_EQ(api::epochUnitNs(1735689600000123), 1'000);   // 2025 in µs
  EXPECT_EQ(api::epochUnitNs(1735689600000123456), 1);    // ns
  EXPECT_EQ(row("1637971200000,1,1").timestampNs(0, CsvRow::kDetectUnit), 1637971200000'000'000);
  EXPECT_EQ(row("1735689600000123,1,1").timestampNs(0, CsvRow::kDetectUnit), 1735689600000123'000);
  EXPECT_EQ(row("1735689600000123,1,1").timestampNs(0, 1'000), 1735689600000123'000);
  expectMentions(errorOf([&] { (void)row("-5,1,1").timestampNs(0, CsvRow::kDetectUnit); }), {"column 'a'", "negative"});
  expectMentions(errorOf([&] { (void)row("99999999999999999,1,1").timestampNs(0, 1'000); }), {"out of range"});
}

// ---- BookDeltaChain -----------------------------------------------------------------------

namespace {
struct ChainFixture {
  test::CollectingSink sink;
  api::ImportStats stats;
  api::ImportContext ctx{test::registry(), sink, stats};
  BookDeltaChain chain{ctx};
};
}  // namespace

TEST(BookDeltaChain, splitsAtMaxLevelsWithContinuationOnAllButTheLastPiece) {
  ChainFixture f;
  f.chain.begin(spotBtc(), 10, 20, 5, 9, 4, BookDelta::kClearBook | BookDelta::kFromSnapshot);
  for (int i = 0; i < 2 * BookDelta::kMaxLevels + 1; ++i) f.chain.add(common::Side::Buy, 100 + i, 1);
  f.chain.finish();
  ASSERT_EQ(f.sink.events.size(), 3u);
  const uint16_t counts[] = {16, 16, 1};
  const uint16_t flags[] = {BookDelta::kClearBook | BookDelta::kFromSnapshot | BookDelta::kContinuation,
                            BookDelta::kFromSnapshot | BookDelta::kContinuation, BookDelta::kFromSnapshot};
  for (size_t p = 0; p < 3; ++p) {
    const auto& d = f.sink.events[p].as<BookDelta>();
    EXPECT_EQ(d.count, counts[p]);
    EXPECT_EQ(d.flags, flags[p]);
    EXPECT_EQ(d.header.flags, flags[p]);
    EXPECT_EQ(d.header.size, BookDelta::sizeFor(counts[p]));
    EXPECT_EQ(d.header.instrument_id, 1u);
    EXPECT_EQ(d.header.exchange_ts_ns, 10);
    EXPECT_EQ(d.header.receive_ts_ns, 20);
    EXPECT_EQ(d.first_update_id, 5u);
    EXPECT_EQ(d.last_update_id, 9u);
    EXPECT_EQ(d.prev_update_id, 4u);
    EXPECT_EQ(d.levels[0].price, 100 + 16 * static_cast<int64_t>(p));
  }
  EXPECT_EQ(f.stats.events, 3u);
  EXPECT_EQ(f.stats.by_type[static_cast<uint16_t>(common::EventType::BookDelta)], 3u);
}

TEST(BookDeltaChain, exactlyMaxLevelsIsOnePieceWithoutContinuation) {
  ChainFixture f;
  f.chain.begin(spotBtc(), 1, 1, 0, 0, 0, 0);
  for (int i = 0; i < BookDelta::kMaxLevels; ++i) f.chain.add(common::Side::Sell, 100 + i, 1);
  f.chain.finish();
  ASSERT_EQ(f.sink.events.size(), 1u);
  EXPECT_EQ(f.sink.events[0].as<BookDelta>().flags, 0);
  EXPECT_EQ(f.sink.events[0].as<BookDelta>().count, BookDelta::kMaxLevels);
}

TEST(BookDeltaChain, anEmptySnapshotStillEmitsOnePieceThatClearsTheBook) {
  ChainFixture f;
  f.chain.begin(spotBtc(), 1, 1, 0, 0, 0, BookDelta::kClearBook);
  f.chain.finish();
  f.chain.finish();  // a second finish is a no-op
  ASSERT_EQ(f.sink.events.size(), 1u);
  EXPECT_EQ(f.sink.events[0].as<BookDelta>().count, 0);
  EXPECT_EQ(f.sink.events[0].as<BookDelta>().flags, BookDelta::kClearBook);
  EXPECT_EQ(f.sink.events[0].header().size, BookDelta::kFixedBytes);
}
