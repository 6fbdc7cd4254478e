// The simulator's Upbit profile in-process on an ephemeral port, read with the project's own
// Upbit parser (api/exchanges/upbit MarketDataParser): every message it serves must parse into
// fixed point, in DEFAULT and SIMPLE, and the faults behave as on the Binance profile.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "SimClients.h"
#include "api/exchanges/upbit/InstrumentResolver.h"
#include "api/exchanges/upbit/MarketDataParser.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/exchange_sim/ExchangeSimulator.h"

using namespace hft;
using namespace hft::exchange_sim_test;
using namespace hft::execution_engine::exchange_sim;
using Json = nlohmann::json;
using api::upbit::MessageKind;
using api::upbit::StreamType;

namespace {

const config::InstrumentRegistry& registry() {
  static const auto r = config::InstrumentRegistry::loadFile(std::string(HFT_SOURCE_DIR) + "/config/instruments.json");
  return r;
}

const config::Instrument& krwBtc() { return *registry().byVenueSymbol(common::ExchangeId::Upbit, "KRW-BTC"); }

/// Everything the parser delivered, by kind.
struct Collected final : api::upbit::MarketDataHandler {
  std::vector<api::upbit::ParsedTrade> trades;
  std::vector<StreamType> bookStreams, tickerStreams;
  std::vector<std::pair<std::vector<common::BookLevel>, std::vector<common::BookLevel>>> books;
  std::vector<int64_t> tickerPrices;
  void onTrade(const api::upbit::ParsedTrade& t) noexcept override { trades.push_back(t); }
  void onOrderbook(const api::upbit::ParsedOrderbook& b) noexcept override {
    bookStreams.push_back(b.stream);
    books.emplace_back(std::vector<common::BookLevel>(b.bids.begin(), b.bids.end()),
                       std::vector<common::BookLevel>(b.asks.begin(), b.asks.end()));
  }
  void onTicker(const api::upbit::ParsedTicker& t) noexcept override {
    tickerStreams.push_back(t.stream);
    tickerPrices.push_back(t.trade_price);
  }
};

class UpbitProfile : public ::testing::Test {
 protected:
  void SetUp() override {
    SimulatorOptions o;
    o.port = 0;
    o.venue.protocol = SimProtocol::Upbit;
    o.venue.symbols = {"KRW-BTC"};
    o.venue.events_per_second = 2000;
    sim = std::make_unique<ExchangeSimulator>(registry(), std::move(o));
    sim->start();
    rest = std::make_unique<Rest>(sim->port());
  }
  void TearDown() override {
    rest.reset();
    if (sim) sim->stop();
  }
  static std::string request(const char* format) {
    return std::string(R"([{"ticket":"t1"},{"type":"trade","codes":["KRW-BTC"]},{"type":"orderbook","codes":["KRW-BTC"]},)"
                       R"({"type":"ticker","codes":["KRW-BTC"]},{"format":")")
        .append(format)
        .append("\"}]");
  }
  /// Subscribes in `format` and parses frames until each kind has a REALTIME message.
  void subscribeAndCollect(const char* format, Collected& got) {
    Ws ws(sim->port(), "/websocket/v1");
    ASSERT_TRUE(ws.waitConnected());
    ws.send(request(format));
    api::upbit::RegistryResolver resolver(registry(), common::ExchangeId::Upbit);
    api::upbit::MarketDataParser parser(resolver);
    size_t parsed = 0;
    const bool done = ws.waitFor([&] {
      for (; parsed < ws.frames.size(); ++parsed) {
        const auto r = parser.parse(ws.frames[parsed], got);
        EXPECT_TRUE(r.ok()) << api::upbit::toString(r.status) << " " << r.field << " in " << ws.frames[parsed];
      }
      return got.trades.size() >= 2 && got.bookStreams.size() >= 2 && got.tickerStreams.size() >= 2;
    }, 10000);
    ASSERT_TRUE(done) << got.trades.size() << " trades, " << got.bookStreams.size() << " books, "
                      << got.tickerStreams.size() << " tickers";
    if (std::string(format).starts_with("SIMPLE")) {
      EXPECT_NE(ws.frames.front().find("\"ty\":"), std::string::npos) << ws.frames.front();
      EXPECT_EQ(ws.frames.front().find("\"type\":"), std::string::npos) << ws.frames.front();
    } else {
      EXPECT_NE(ws.frames.front().find("\"type\":"), std::string::npos) << ws.frames.front();
    }
  }
  void checkCollected(const Collected& got) {
    // The orderbook and ticker snapshots come first, then only REALTIME.
    EXPECT_EQ(got.bookStreams.front(), StreamType::Snapshot);
    EXPECT_EQ(got.tickerStreams.front(), StreamType::Snapshot);
    EXPECT_EQ(got.bookStreams.back(), StreamType::Realtime);
    EXPECT_EQ(got.tickerStreams.back(), StreamType::Realtime);
    for (const auto& [bids, asks] : got.books) {
      ASSERT_EQ(bids.size(), 15u);  // full top-N books every time
      ASSERT_EQ(asks.size(), 15u);
      EXPECT_LT(bids.front().price, asks.front().price);
      for (size_t i = 0; i < bids.size(); ++i) {
        // KRW band of 140,000,000: 1,000 KRW price units (TickTables).
        EXPECT_EQ(bids[i].price % 1000, 0) << bids[i].price;
        EXPECT_EQ(asks[i].price % 1000, 0) << asks[i].price;
        if (i > 0) {
          EXPECT_LT(bids[i].price, bids[i - 1].price);
          EXPECT_GT(asks[i].price, asks[i - 1].price);
        }
      }
      EXPECT_GT(bids.front().price, 120'000'000);
      EXPECT_LT(asks.front().price, 160'000'000);
    }
    for (size_t i = 1; i < got.trades.size(); ++i) {
      EXPECT_EQ(got.trades[i].instrument, &krwBtc());
      EXPECT_GT(got.trades[i].qty, 0);
      EXPECT_GT(got.trades[i].sequential_id, got.trades[i - 1].sequential_id);  // sequential per market
      EXPECT_TRUE(got.trades[i].has_best);
    }
  }

  std::unique_ptr<ExchangeSimulator> sim;
  std::unique_ptr<Rest> rest;
};

}  // namespace

TEST_F(UpbitProfile, defaultFormatServesSnapshotThenRealtimeTradesBooksAndTickersThatParse) {
  Collected got;
  subscribeAndCollect("DEFAULT", got);
  checkCollected(got);
}

TEST_F(UpbitProfile, simpleFormatServesAbbreviatedKeysThatParseToTheSameKinds) {
  Collected got;
  subscribeAndCollect("SIMPLE", got);
  checkCollected(got);
}

TEST_F(UpbitProfile, simpleListFormatWrapsEachObjectInAnArray) {
  Collected got;
  subscribeAndCollect("SIMPLE_LIST", got);
  checkCollected(got);
}

TEST_F(UpbitProfile, badRequestsAreAnsweredWithUpbitErrorNames) {
  Ws ws(sim->port(), "/websocket/v1");
  ASSERT_TRUE(ws.waitConnected());
  ws.send("{not json");
  ws.send(R"([{"type":"trade","codes":["KRW-BTC"]}])");
  ws.send(R"([{"ticket":"x"},{"type":"trade"}])");
  ASSERT_TRUE(ws.waitFor([&] { return ws.frames.size() >= 3; }));
  EXPECT_NE(ws.frames[0].find("WRONG_FORMAT"), std::string::npos) << ws.frames[0];
  EXPECT_NE(ws.frames[1].find("NO_TICKET"), std::string::npos) << ws.frames[1];
  EXPECT_NE(ws.frames[2].find("NO_CODES"), std::string::npos) << ws.frames[2];
  api::upbit::RegistryResolver resolver(registry(), common::ExchangeId::Upbit);
  api::upbit::MarketDataParser parser(resolver);
  Collected got;
  EXPECT_EQ(parser.parse(ws.frames[1], got).kind, MessageKind::Error);
  EXPECT_EQ(parser.errorName(), "NO_TICKET");
}

TEST_F(UpbitProfile, restOrderbookTickerAndMarketListAnswerInUpbitShape) {
  const Reply book = rest->get("/v1/orderbook?markets=KRW-BTC");
  ASSERT_EQ(book.status, 200) << book.body;
  const Json b = Json::parse(book.body);
  ASSERT_TRUE(b.is_array());
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0]["market"], "KRW-BTC");
  ASSERT_EQ(b[0]["orderbook_units"].size(), 15u);
  const Json& top = b[0]["orderbook_units"][0];
  EXPECT_TRUE(top["ask_price"].is_number_integer());  // KRW prices are whole numbers
  EXPECT_LT(top["bid_price"].get<int64_t>(), top["ask_price"].get<int64_t>());
  EXPECT_FALSE(book.header("Remaining-Req").empty());

  const Json markets = Json::parse(rest->get("/v1/market/all").body);
  ASSERT_EQ(markets.size(), 1u);
  EXPECT_EQ(markets[0]["market"], "KRW-BTC");
  const Json ticker = Json::parse(rest->get("/v1/ticker?markets=KRW-BTC").body);
  EXPECT_GT(ticker[0]["trade_price"].get<int64_t>(), 0);

  const Reply unknown = rest->get("/v1/orderbook?markets=KRW-NOPE");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("KRW-NOPE"), std::string::npos) << unknown.body;
  EXPECT_EQ(rest->get("/api/v3/depth?symbol=BTCUSDT").status, 404);  // no Binance paths on this profile
}

TEST_F(UpbitProfile, restFaultsAnswer429And5xxThenRecover) {
  ASSERT_EQ(rest->call(interfaces::HttpMethod::Post, "/sim/fault?kind=http429").status, 200);
  ASSERT_EQ(rest->call(interfaces::HttpMethod::Post, "/sim/fault?kind=http5xx").status, 200);
  const Reply r429 = rest->get("/v1/orderbook?markets=KRW-BTC");
  EXPECT_EQ(r429.status, 429);
  EXPECT_NE(r429.body.find("\"error\""), std::string::npos);
  EXPECT_FALSE(r429.header("Retry-After").empty());
  EXPECT_EQ(rest->get("/v1/orderbook?markets=KRW-BTC").status, 503);
  EXPECT_EQ(rest->get("/v1/orderbook?markets=KRW-BTC").status, 200);
}

TEST_F(UpbitProfile, disconnectFaultClosesTheQuotationSocket) {
  Ws ws(sim->port(), "/websocket/v1");
  ASSERT_TRUE(ws.waitConnected());
  ws.send(request("DEFAULT"));
  ASSERT_TRUE(ws.waitFor([&] { return ws.frames.size() >= 2; }));
  ASSERT_EQ(rest->call(interfaces::HttpMethod::Post, "/sim/fault?kind=disconnect").status, 200);
  EXPECT_TRUE(ws.waitFor([&] { return ws.disconnects >= 1; }));
}

TEST(UpbitProfileProcess, binaryAcceptsMarketUpbitAndBuildsTheProfile) {
  const std::string cmd = std::string(HFT_BIN_DIR) + "/exchange_simulator --market upbit --check-config --instruments " +
                          HFT_SOURCE_DIR + "/config/instruments.json 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[512] = {};
  const size_t n = fread(buf, 1, sizeof buf - 1, p);
  EXPECT_EQ(pclose(p), 0) << std::string(buf, n);
  EXPECT_NE(std::string(buf, n).find("configuration OK"), std::string::npos);
}
