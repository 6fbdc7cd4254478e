// Importing raw Binance WebSocket captures (api/import/BinanceWsCaptureImporter.h), on a small
// in-repo capture and on the real hftbacktest captures in ../shared.
#include "api/import/BinanceWsCaptureImporter.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "BinanceTestUtil.h"

using namespace hft;
using common::BestBidOffer;
using common::BookDelta;
using common::BookSnapshot;
using common::EventType;
using common::ExchangeId;
using hft::test::fixturePath;
using hft::test::MemorySink;

namespace {

constexpr int64_t kMs = 1'000'000;

/// A scratch directory removed afterwards.
struct TempDir {
  std::filesystem::path dir;
  TempDir() {
    dir = std::filesystem::temp_directory_path() /
          ("hft_binance_capture_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
  }
  ~TempDir() { std::filesystem::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    const std::string path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string gzip(const std::string& name, const std::string& text) const {
    const std::string path = (dir / name).string();
    gzFile gz = gzopen(path.c_str(), "wb");
    EXPECT_NE(gz, nullptr);
    EXPECT_EQ(gzwrite(gz, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
    gzclose(gz);
    return path;
  }
};

struct Imported {
  MemorySink sink;
  api::ImportStats stats;
};

void importInto(const std::string& path, const config::InstrumentRegistry& reg, api::IImportSink& sink,
                api::ImportStats& stats) {
  api::ImportContext ctx{reg, sink, stats};
  api::makeBinanceWsCaptureImporter()->importFile(path, ctx);
}

void importInto(const std::string& path, Imported& out) {
  importInto(path, hft::test::fixtureInstruments(), out.sink, out.stats);
}

bool mentions(const std::vector<std::string>& notes, const std::string& part) {
  for (const auto& n : notes)
    if (n.find(part) != std::string::npos) return true;
  return false;
}

/// The message of the ImportError the import throws ("" if none).
std::string importError(const std::string& path, uint64_t* line = nullptr) {
  Imported out;
  try {
    importInto(path, out);
  } catch (const api::ImportError& e) {
    if (line) *line = e.line();
    return e.what();
  }
  return "";
}

TEST(BinanceWsCaptureImporter, isRegisteredAsBinanceWsCapture) {
  const auto importer = api::makeBinanceWsCaptureImporter();
  EXPECT_EQ(importer->name(), "binance-ws-capture");
  EXPECT_FALSE(importer->description().empty());
}

TEST(BinanceWsCaptureImporter, importsASmallCaptureOfBothMarketsInFileOrder) {
  Imported out;
  importInto(fixturePath("capture_small.txt"), out);
  using T = EventType;
  EXPECT_EQ(out.sink.types(), (std::vector<T>{T::BestBidOffer, T::Trade, T::BookDelta, T::BookSnapshot, T::BookDelta,
                                             T::BookDelta, T::BestBidOffer, T::BookDelta, T::BookSnapshot, T::BookDelta,
                                             T::BookDelta, T::BestBidOffer, T::Trade, T::Trade}));
  EXPECT_EQ(out.stats.lines, 15u);
  EXPECT_EQ(out.stats.events, 14u);
  EXPECT_EQ(out.stats.skipped, 1u);
  EXPECT_EQ(out.stats.by_type[static_cast<int>(T::BookDelta)], 6u);
  EXPECT_EQ(out.stats.by_type[static_cast<int>(T::Gap)], 0u);
  EXPECT_TRUE(mentions(out.stats.notes, "skipped stream \"btcusdt@markPrice\"")) << out.stats.notes.size();
  EXPECT_TRUE(mentions(out.stats.notes, "spot bookTicker carries no exchange time"));

  const auto& ev = out.sink.events;
  const auto& bbo = ev[0].as<BestBidOffer>();  // line 2: spot, before any book
  EXPECT_EQ(bbo.header.exchange_id, ExchangeId::Binance);
  EXPECT_EQ(bbo.header.instrument_id, 1u);
  EXPECT_EQ(bbo.header.exchange_ts_ns, 0) << "spot bookTicker has no exchange time";
  EXPECT_EQ(bbo.header.receive_ts_ns, 1700000000160000000);
  EXPECT_EQ(bbo.update_id, 108u);
  EXPECT_EQ(bbo.bid_qty, 150000);

  const auto& trade = ev[1].as<common::Trade>();  // line 4
  EXPECT_EQ(trade.price, 10075);
  EXPECT_EQ(trade.qty, 25000);
  EXPECT_EQ(trade.trade_id, 5001u);
  EXPECT_EQ(trade.aggressor, common::Side::Sell);
  EXPECT_EQ(trade.header.exchange_ts_ns, 1700000000210 * kMs);

  const auto& snapPiece = ev[2].as<BookDelta>();  // line 5: the spot snapshot
  EXPECT_EQ(snapPiece.flags, BookDelta::kClearBook | BookDelta::kFromSnapshot);
  EXPECT_EQ(snapPiece.last_update_id, 110u);
  EXPECT_EQ(snapPiece.count, 4);
  const auto& top = ev[3].as<BookSnapshot>();
  EXPECT_EQ(top.last_update_id, 110u);
  EXPECT_EQ(top.bid_count, 2);
  EXPECT_EQ(top.ask_count, 2);
  EXPECT_EQ(top.bids[0].price, 10000);
  EXPECT_EQ(top.bids[0].qty, 150000);
  EXPECT_EQ(top.asks[1].price, 10200);
  const auto& released = ev[4].as<BookDelta>();  // line 3, released by the snapshot
  EXPECT_EQ(released.first_update_id, 106u);
  EXPECT_EQ(released.last_update_id, 112u);
  EXPECT_EQ(released.header.exchange_ts_ns, 1700000000200 * kMs);
  EXPECT_EQ(released.header.receive_ts_ns, 1700000000300000000) << "released with the snapshot's receive time";

  const auto& futSnap = ev[7].as<BookDelta>();  // line 10: the USD-M snapshot (has E/T)
  EXPECT_EQ(futSnap.header.exchange_id, ExchangeId::BinanceFutures);
  EXPECT_EQ(futSnap.header.instrument_id, 3u);
  EXPECT_EQ(futSnap.header.exchange_ts_ns, 1700000000420 * kMs);
  const auto& futDiff = ev[9].as<BookDelta>();
  EXPECT_EQ(futDiff.prev_update_id, 1010u);

  const auto& futTicker = ev[11].as<BestBidOffer>();
  EXPECT_EQ(futTicker.header.exchange_ts_ns, 1700000000431 * kMs);
  EXPECT_EQ(futTicker.update_id, 1030u);
  const auto& agg = ev[13].as<common::Trade>();
  EXPECT_EQ(agg.trade_id, 777u);
  EXPECT_EQ(agg.header.instrument_id, 3u);
}

TEST(BinanceWsCaptureImporter, rebuildsBooksThatAgreeWithTheFixtureQuotes) {
  Imported out;
  importInto(fixturePath("capture_small.txt"), out);
  std::map<common::InstrumentId, hft::test::L2Book> books;
  int compared = 0;
  for (const auto& e : out.sink.events) {
    auto& book = books[e.header().instrument_id];
    if (e.header().type == EventType::BookDelta) book.apply(e.as<BookDelta>());
    if (e.header().type != EventType::BestBidOffer) continue;
    const auto& q = e.as<BestBidOffer>();
    if (!book.valid || q.update_id != book.updateId) continue;
    EXPECT_TRUE(book.agreesWith(q)) << "update " << q.update_id;
    ++compared;
  }
  EXPECT_EQ(compared, 2) << "spot u=115 and USD-M u=1030";
}

TEST(BinanceWsCaptureImporter, readsGzipCapturesLikePlainOnes) {
  TempDir tmp;
  const std::string text = hft::test::readText(fixturePath("capture_small.txt")) + "\n";
  Imported plain, gz;
  importInto(fixturePath("capture_small.txt"), plain);
  importInto(tmp.gzip("capture_small.txt.gz", text), gz);
  ASSERT_EQ(gz.sink.events.size(), plain.sink.events.size());
  for (size_t i = 0; i < plain.sink.events.size(); ++i)
    EXPECT_EQ(std::memcmp(gz.sink.events[i].bytes, plain.sink.events[i].bytes, plain.sink.events[i].header().size), 0)
        << i;
  EXPECT_EQ(gz.stats.lines, plain.stats.lines);
}

TEST(BinanceWsCaptureImporter, keepsLinesReceivedBeforeTheirExchangeTimeAndCountsThem) {
  Imported out;
  importInto(fixturePath("capture_small.txt"), out);
  EXPECT_EQ(out.stats.clock_skew_lines, 3u) << "lines 3, 8 and 15";
  const auto& agg = out.sink.events.back().as<common::Trade>();
  EXPECT_EQ(agg.header.receive_ts_ns, 1700000000498000000) << "kept as recorded";
  EXPECT_EQ(agg.header.exchange_ts_ns, 1700000000500 * kMs);
  EXPECT_TRUE(mentions(out.stats.notes, "3 lines were received before their exchange time"));
}

TEST(BinanceWsCaptureImporter, rejectsBadLinesNamingFileLineAndField) {
  TempDir tmp;
  const std::string good =
      R"(1700000000000000000 {"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"1.00","q":"1","T":1,"m":true,"M":true}})";
  struct Case {
    const char* line;
    const char* expected;
  } cases[] = {
      {R"({"e":"trade"})", "no space"},
      {R"(abc {"e":"trade"})", "receive time \"abc\" is not an integer"},
      {R"(-5 {"e":"trade"})", "receive time \"-5\""},
      {R"(1700000000000000000 {"e":"trade",)", "invalid JSON"},
      {R"(1700000000000000000 {"e":"trade","E":1,"s":"BTCUSDT","t":1,"q":"1","T":1,"m":true,"M":true})",
       "trade message: missing field \"p\""},
      {R"(1700000000000000000 {"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"1.005","q":"1","T":1,"m":true,"M":true})",
       "bad number in field \"p\": more decimals than the instrument scale \"1.005\" (BTCUSDT on binance: "
       "price_scale 2, qty_scale 5 in config/instruments.json)"},
      {R"(1700000000000000000 {"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[["1.0","x"]],"a":[]})",
       "depthUpdate message: bad number in field \"b\""},
      {R"(1700000000000000000 {"e":"trade","E":1,"s":"ETHUSDT","t":1,"p":"1.0","q":"1","T":1,"m":true})",
       "unknown symbol \"ETHUSDT\" on binance_futures: add it to config/instruments.json"},
      {R"(1700000000000000000 {"lastUpdateId":5,"bids":[],"asks":[]})", "a REST snapshot names no symbol"},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string path = tmp.write("bad" + std::to_string(n++) + ".txt", good + "\n" + c.line + "\n");
    uint64_t line = 0;
    const std::string what = importError(path, &line);
    EXPECT_EQ(line, 2u) << c.line;
    EXPECT_NE(what.find(path + ":2: "), std::string::npos) << what;
    EXPECT_NE(what.find(c.expected), std::string::npos) << what;
  }
}

TEST(BinanceWsCaptureImporter, emitsAGapWhenDepthUpdateIdsBreakAndResyncsOnTheNextSnapshot) {
  TempDir tmp;
  auto diff = [](int rxMs, int first, int last) {
    return std::to_string(1700000000000 + rxMs) + "000000 " +
           R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":)" +
           std::to_string(first) + ",\"u\":" + std::to_string(last) + R"(,"b":[["1.00","1"]],"a":[]}})" + "\n";
  };
  const std::string snapshot10 = R"(1700000000002000000 {"lastUpdateId":10,"bids":[["1.00","2"]],"asks":[]})" "\n";
  const std::string snapshot20 = R"(1700000000006000000 {"lastUpdateId":20,"bids":[["1.00","3"]],"asks":[]})" "\n";
  const std::string path = tmp.write("gap.txt", diff(1, 9, 12) + snapshot10 + diff(3, 13, 14) + diff(4, 17, 19) +
                                                    diff(5, 20, 22) + snapshot20 + diff(7, 23, 24));
  Imported out;
  importInto(path, out);
  using T = EventType;
  EXPECT_EQ(out.sink.types(), (std::vector<T>{T::BookDelta, T::BookSnapshot, T::BookDelta, T::BookDelta, T::Gap,
                                             T::BookDelta, T::BookSnapshot, T::BookDelta, T::BookDelta}));
  const auto& gap = out.sink.events[4].as<common::Gap>();
  EXPECT_EQ(gap.reason, common::GapReason::FeedSequenceGap);
  EXPECT_EQ(gap.header.instrument_id, 1u);
  EXPECT_TRUE(mentions(out.stats.notes, "line 4: BTCUSDT (binance) depth update ids not contiguous (U=17 u=19)"));
  EXPECT_EQ(out.sink.events[5].as<BookDelta>().flags, BookDelta::kClearBook | BookDelta::kFromSnapshot);
  EXPECT_EQ(out.sink.events.back().as<BookDelta>().last_update_id, 24u);
}

TEST(BinanceWsCaptureImporter, skipsPartialDepthStreamsInsteadOfTakingThemForSnapshotsOrDiffs) {
  TempDir tmp;
  const std::string path = tmp.write(
      "partial.txt",
      R"(1700000000000000000 {"stream":"btcusdt@depth5@100ms","data":{"lastUpdateId":160,"bids":[["1.00","1"]],"asks":[]}})"
      "\n"
      R"(1700000000001000000 {"stream":"btcusdt@depth5","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":1,"u":2,"pu":0,"b":[],"a":[]}})"
      "\n"
      R"(1700000000002000000 {"stream":"btcusdt@depth5","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":3,"u":4,"pu":2,"b":[],"a":[]}})"
      "\n");
  Imported out;
  importInto(path, out);
  EXPECT_TRUE(out.sink.events.empty());
  EXPECT_EQ(out.stats.skipped, 3u);
  EXPECT_TRUE(mentions(out.stats.notes, "skipped stream \"btcusdt@depth5@100ms\" (first at line 1)"));
  EXPECT_TRUE(mentions(out.stats.notes, "skipped stream \"btcusdt@depth5\" (first at line 2)"));
  EXPECT_EQ(out.stats.notes.size(), 2u) << "one note per stream";
}

// ---- real captures (../shared): the rebuilt book against the venue's own bookTicker ----

/// Rebuilds the book from the emitted BookDelta chains and, wherever a bookTicker's update id
/// equals the book's last applied update id, compares best bid and ask, price and qty. A quote
/// usually arrives before the batched diff that ends at its id, so it waits until the book
/// reaches that id. A quote whose id falls inside a diff (U <= id < u) shows a state the diff
/// never exposes and is not compared; nor can one fall between two diffs, since u_k and the
/// next U bound this symbol's updates (spot: U = u_k + 1; USD-M: pu = u_k).
struct ConsistencySink final : api::IImportSink {
  hft::test::L2Book book;
  std::map<uint64_t, BestBidOffer> waiting;  // quotes ahead of the book, by update id
  uint64_t comparisons = 0, matches = 0, gaps = 0, bbos = 0;
  std::vector<std::string> mismatches;

  void emit(common::EventHeader& e) override {
    switch (e.type) {
      case EventType::BookDelta: {
        book.apply(reinterpret_cast<const BookDelta&>(e));
        if (book.midChain || !book.valid) break;
        auto it = waiting.begin();
        for (; it != waiting.end() && it->first <= book.updateId; ++it)
          if (it->first == book.updateId) compare(it->second);
        waiting.erase(waiting.begin(), it);
        break;
      }
      case EventType::BestBidOffer: {
        const auto& q = reinterpret_cast<const BestBidOffer&>(e);
        ++bbos;
        if (book.valid && !book.midChain && q.update_id == book.updateId) compare(q);
        else if (!book.valid || q.update_id > book.updateId) waiting[q.update_id] = q;
        break;
      }
      case EventType::Gap:
        ++gaps;
        book.valid = false;
        break;
      default: break;
    }
  }
  void compare(const BestBidOffer& q) {
    ++comparisons;
    if (book.agreesWith(q)) {
      ++matches;
      return;
    }
    if (mismatches.size() >= 5) return;
    char buf[256];
    std::snprintf(buf, sizeof buf, "u=%llu: venue %lld@%lld / %lld@%lld, book %lld@%lld / %lld@%lld",
                  static_cast<unsigned long long>(q.update_id), static_cast<long long>(q.bid_price),
                  static_cast<long long>(q.bid_qty), static_cast<long long>(q.ask_price),
                  static_cast<long long>(q.ask_qty), static_cast<long long>(book.bids.begin()->first),
                  static_cast<long long>(book.bids.begin()->second), static_cast<long long>(book.asks.begin()->first),
                  static_cast<long long>(book.asks.begin()->second));
    mismatches.emplace_back(buf);
  }
};

double percent(uint64_t part, uint64_t whole) {
  return whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

void checkRealCapture(const char* file, uint64_t lines, uint64_t trades, uint64_t quotes) {
  HFT_SKIP_WITHOUT_SHARED();
  ConsistencySink sink;
  api::ImportStats stats;
  importInto(hft::test::sharedPath(std::string("exchange-samples/market-data/hftbacktest/") + file),
             hft::test::realDataInstruments(), sink, stats);

  const auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  std::printf("[ real data ] %s: %llu lines, %llu events (%llu BookDelta), %llu clock-skew lines\n", file,
              u(stats.lines), u(stats.events), u(stats.by_type[static_cast<int>(EventType::BookDelta)]),
              u(stats.clock_skew_lines));
  std::printf("[ real data ] %llu bookTickers, %llu with u == the book's update id; %llu of those agree (%.3f%%)\n",
              u(sink.bbos), u(sink.comparisons), u(sink.matches), percent(sink.matches, sink.comparisons));
  for (const auto& n : stats.notes) std::printf("[ note ] %s\n", n.c_str());
  for (const auto& m : sink.mismatches) std::printf("[ mismatch ] %s\n", m.c_str());

  EXPECT_EQ(stats.lines, lines);
  EXPECT_EQ(stats.skipped, 0u);
  EXPECT_EQ(stats.by_type[static_cast<int>(EventType::Trade)], trades);
  EXPECT_EQ(stats.by_type[static_cast<int>(EventType::BestBidOffer)], quotes);
  EXPECT_EQ(stats.by_type[static_cast<int>(EventType::BookSnapshot)], 1u);
  EXPECT_EQ(stats.by_type[static_cast<int>(EventType::Gap)], 0u) << "the captures are continuous";
  EXPECT_EQ(sink.gaps, 0u);
  // Measured on these captures: spot 564 of 564, USD-M 629 of 629 agree.
  EXPECT_GT(sink.comparisons, 500u);
  EXPECT_GE(percent(sink.matches, sink.comparisons), 99.0);
}

TEST(BinanceWsCaptureImporter, rebuildsTheRealSpotBookInAgreementWithTheVenueBookTicker) {
  checkRealCapture("binance_spot_btcusdt_20240808_2354-2400UTC.gz", 41249, 9757, 28040);
}

TEST(BinanceWsCaptureImporter, rebuildsTheRealUsdmBookInAgreementWithTheVenueBookTicker) {
  checkRealCapture("binance_usdm_btcusdt_20240808_2354-2400UTC.gz", 93954, 21313, 66089);
}

}  // namespace
