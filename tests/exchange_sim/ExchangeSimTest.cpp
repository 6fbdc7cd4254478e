// The simulator in-process on an ephemeral port, driven by the project's own Binance client code
// (api/net transports, RequestSigner, OrderEncoder, OrderResponseParser, MarketDataParser, BookSync).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "SimClients.h"
#include "api/exchanges/binance/BookSync.h"
#include "api/exchanges/binance/InstrumentResolver.h"
#include "api/exchanges/binance/MarketDataParser.h"
#include "api/exchanges/binance/OrderEncoder.h"
#include "api/exchanges/binance/OrderResponseParser.h"
#include "api/exchanges/binance/RequestSigner.h"
#include "api/import/LineReader.h"
#include "common/FixedPoint.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/exchange_sim/ExchangeSimulator.h"

using namespace hft;
using namespace hft::exchange_sim_test;
using namespace hft::execution_engine::exchange_sim;
using api::binance::Market;
using Json = nlohmann::json;

namespace {

constexpr const char* kKey = "test-key";
constexpr const char* kSecret = "test-secret";

const config::InstrumentRegistry& registry() {
  static const auto r = config::InstrumentRegistry::loadFile(std::string(HFT_SOURCE_DIR) + "/config/instruments.json");
  return r;
}

int64_t nowMs() { return common::wallNowNs() / 1'000'000; }

class ExchangeSim : public ::testing::Test {
 protected:
  void startSim(SimulatorOptions o = {}) {
    o.port = 0;
    o.api_key = kKey;
    o.api_secret = kSecret;
    if (o.venue.symbols.empty() && o.capture_path.empty()) o.venue.symbols = {"BTCUSDT"};
    if (o.venue.events_per_second == 200) o.venue.events_per_second = 2000;
    sim = std::make_unique<ExchangeSimulator>(registry(), std::move(o));
    sim->start();
    rest = std::make_unique<Rest>(sim->port());
  }
  void TearDown() override {
    rest.reset();
    if (sim) sim->stop();
  }

  /// Signs `params` (REST rule) and sends them to `path`.
  Reply signedCall(interfaces::HttpMethod m, const std::string& path, const api::binance::ParamList& params,
                   int64_t tsMs, const char* secret = kSecret) {
    api::binance::RequestSigner signer(kKey, secret);
    char buf[4096];
    api::binance::SignedRequest sr;
    EXPECT_EQ(signer.signRest(params, tsMs, buf, sr), api::binance::SignStatus::Ok);
    return rest->call(m, path + "?" + std::string(sr.text), kKey);
  }
  Reply sendOrder(const common::OrderRequest& r, int64_t tsMs = nowMs(), const char* secret = kSecret) {
    api::binance::OrderEncoder enc(Market::Spot, api::binance::OrderRespType::Full);
    api::binance::ParamList p;
    api::binance::Endpoint ep;
    EXPECT_EQ(enc.encode(r, inst(), p, ep), api::binance::EncodeStatus::Ok);
    const auto method = ep.method == api::binance::HttpMethod::Post     ? interfaces::HttpMethod::Post
                        : ep.method == api::binance::HttpMethod::Delete ? interfaces::HttpMethod::Delete
                                                                        : interfaces::HttpMethod::Get;
    return signedCall(method, std::string(ep.path), p, tsMs, secret);
  }
  static const config::Instrument& inst() { return *registry().byVenueSymbol(common::ExchangeId::Binance, "BTCUSDT"); }
  static common::OrderRequest limit(common::ClientOrderId id, common::Side side, const char* price, const char* qty,
                                    common::TimeInForce tif = common::TimeInForce::GTC) {
    common::OrderRequest r{};
    r.header = common::makeHeader<common::OrderRequest>(common::ExchangeId::Binance, inst().id, 0, 0);
    r.client_order_id = id;
    r.action = common::OrderAction::New;
    r.side = side;
    r.type = common::OrderType::Limit;
    r.tif = tif;
    EXPECT_EQ(common::parseDecimal(price, inst().price_scale, r.price), common::ParseStatus::Ok);
    EXPECT_EQ(common::parseDecimal(qty, inst().qty_scale, r.qty), common::ParseStatus::Ok);
    return r;
  }
  std::pair<std::string, std::string> bestBidAsk() {
    const Reply d = rest->get("/api/v3/depth?symbol=BTCUSDT&limit=5");
    const Json j = Json::parse(d.body);
    return {j["bids"][0][0].get<std::string>(), j["asks"][0][0].get<std::string>()};
  }
  /// price + or - `pct` percent, on the tick grid.
  static std::string shifted(const std::string& price, int pct) {
    int64_t raw = 0;
    EXPECT_EQ(common::parseDecimal(price, inst().price_scale, raw), common::ParseStatus::Ok);
    raw = raw + raw / 100 * pct;
    raw = raw / inst().tick_size * inst().tick_size;
    return common::formatDecimal(raw, inst().price_scale);
  }
  std::string balance(const std::string& asset) {
    api::binance::ParamList p;
    const Reply r = signedCall(interfaces::HttpMethod::Get, "/api/v3/account", p, nowMs());
    EXPECT_EQ(r.status, 200) << r.body;
    const Json account = Json::parse(r.body);
    for (const auto& b : account["balances"])
      if (b["asset"] == asset) return b["free"].get<std::string>();
    return "";
  }
  void fault(const std::string& query) {
    const Reply r = rest->call(interfaces::HttpMethod::Post, "/sim/fault?" + query);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  /// A WS API connection subscribed to user data.
  std::unique_ptr<Ws> userStream() {
    auto ws = std::make_unique<Ws>(sim->port(), "/ws-api/v3");
    EXPECT_TRUE(ws->waitConnected());
    api::binance::RequestSigner signer(kKey, kSecret);
    api::binance::ParamList p;
    char buf[1024];
    api::binance::SignedRequest sr;
    EXPECT_EQ(signer.signWsApi(p, nowMs(), buf, sr), api::binance::SignStatus::Ok);
    Json req{{"id", "sub-1"},
             {"method", "userDataStream.subscribe.signature"},
             {"params",
              {{"apiKey", kKey}, {"recvWindow", signer.recvWindowMs()}, {"timestamp", sr.timestampMs},
               {"signature", std::string(sr.signature)}}}};
    ws->send(req.dump());
    EXPECT_TRUE(ws->waitFor([&] { return !ws->frames.empty(); }));
    const Json reply = Json::parse(ws->frames.front());
    EXPECT_EQ(reply["status"], 200) << ws->frames.front();
    EXPECT_TRUE(reply["result"].contains("subscriptionId"));
    return ws;
  }

  std::unique_ptr<ExchangeSimulator> sim;
  std::unique_ptr<Rest> rest;
};

TEST_F(ExchangeSim, acceptsAGoodSignatureAndRejectsABadOneAndAStaleTimestamp) {
  startSim();
  const auto [bid, ask] = bestBidAsk();
  const std::string below = shifted(bid, -5);
  Reply ok = sendOrder(limit(101, common::Side::Buy, below.c_str(), "0.001"));
  EXPECT_EQ(ok.status, 200) << ok.body;

  Reply bad = sendOrder(limit(102, common::Side::Buy, below.c_str(), "0.001"), nowMs(), "wrong-secret");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Json::parse(bad.body)["code"], -1022);

  Reply stale = sendOrder(limit(103, common::Side::Buy, below.c_str(), "0.001"), nowMs() - 60'000);
  EXPECT_EQ(stale.status, 400);
  EXPECT_EQ(Json::parse(stale.body)["code"], -1021);

  Reply noKey = rest->call(interfaces::HttpMethod::Get, "/api/v3/account?timestamp=1&signature=00");
  EXPECT_EQ(noKey.status, 401);
  EXPECT_EQ(Json::parse(noKey.body)["code"], -2014);
}

TEST_F(ExchangeSim, crossingLimitOrderFillsWithExecutionReportOnTheUserStreamAndMovesBalances) {
  startSim();
  auto user = userStream();
  const std::string btcBefore = balance("BTC");
  const auto [bid, ask] = bestBidAsk();
  const std::string above = shifted(ask, 2);
  Reply r = sendOrder(limit(201, common::Side::Buy, above.c_str(), "0.001"));
  ASSERT_EQ(r.status, 200) << r.body;

  api::binance::RegistryResolver resolver(registry());
  api::binance::OrderResponseParser parser(resolver);
  auto res = parser.parseRest(Market::Spot, r.body, 0);
  ASSERT_TRUE(res.ok()) << api::binance::toString(res.status) << " " << res.field;
  ASSERT_EQ(res.kind, api::binance::ResponseKind::Order);
  EXPECT_EQ(parser.reports()[0].exec_type, common::ExecType::Filled);
  EXPECT_EQ(parser.reports()[0].client_order_id, 201u);
  EXPECT_FALSE(parser.fills().empty());

  bool sawFill = false, sawBalances = false;
  ASSERT_TRUE(user->waitFor([&] {
    for (size_t i = 1; i < user->frames.size(); ++i) {
      auto u = parser.parseUserData(user->frames[i], 0);
      if (!u.ok()) continue;
      if (u.kind == api::binance::ResponseKind::ExecutionReport &&
          parser.reports()[0].exec_type == common::ExecType::Filled && parser.reports()[0].client_order_id == 201)
        sawFill = true;
      if (u.kind == api::binance::ResponseKind::Balances) sawBalances = true;
    }
    return sawFill && sawBalances;
  }));
  const std::string btcAfter = balance("BTC");
  int64_t before = 0, after = 0;
  ASSERT_EQ(common::parseDecimal(btcBefore, 8, before), common::ParseStatus::Ok) << btcBefore;
  ASSERT_EQ(common::parseDecimal(btcAfter, 8, after), common::ParseStatus::Ok);
  EXPECT_EQ(after - before, 100000);  // 0.001 BTC
}

TEST_F(ExchangeSim, restingOrderIsNewThenCanceledAndUnknownOrdersAreReported) {
  startSim();
  const auto [bid, ask] = bestBidAsk();
  const std::string below = shifted(bid, -3);
  Reply placed = sendOrder(limit(301, common::Side::Buy, below.c_str(), "0.001"));
  ASSERT_EQ(placed.status, 200) << placed.body;
  EXPECT_EQ(Json::parse(placed.body)["status"], "NEW");

  api::binance::ParamList q;
  q.add("symbol", "BTCUSDT");
  q.add("origClientOrderId", "301");
  Reply status = signedCall(interfaces::HttpMethod::Get, "/api/v3/order", q, nowMs());
  EXPECT_EQ(Json::parse(status.body)["status"], "NEW") << status.body;
  Reply open = signedCall(interfaces::HttpMethod::Get, "/api/v3/openOrders", api::binance::ParamList{}, nowMs());
  EXPECT_EQ(Json::parse(open.body).size(), 1u);

  common::OrderRequest cancel{};
  cancel.header = common::makeHeader<common::OrderRequest>(common::ExchangeId::Binance, inst().id, 0, 0);
  cancel.action = common::OrderAction::Cancel;
  cancel.client_order_id = 302;
  cancel.orig_client_order_id = 301;
  Reply canceled = sendOrder(cancel);
  ASSERT_EQ(canceled.status, 200) << canceled.body;
  EXPECT_EQ(Json::parse(canceled.body)["status"], "CANCELED");
  api::binance::RegistryResolver resolver(registry());
  api::binance::OrderResponseParser parser(resolver);
  ASSERT_TRUE(parser.parseRest(Market::Spot, canceled.body, 0).ok());
  EXPECT_EQ(parser.reports()[0].exec_type, common::ExecType::Canceled);

  Reply again = sendOrder(cancel);
  EXPECT_EQ(Json::parse(again.body)["code"], -2011);

  api::binance::ParamList unknown;
  unknown.add("symbol", "BTCUSDT");
  unknown.add("origClientOrderId", "999999");
  Reply missing = signedCall(interfaces::HttpMethod::Get, "/api/v3/order", unknown, nowMs());
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Json::parse(missing.body)["code"], -2013);
  EXPECT_EQ(Json::parse(missing.body)["msg"], "Order does not exist.");
}

TEST_F(ExchangeSim, rateLimitAnswers429WithRetryAfterAndWeightHeaders) {
  SimulatorOptions o;
  o.limits.weight_per_minute = 3;
  startSim(o);
  Reply first = rest->get("/api/v3/time");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.header("X-MBX-USED-WEIGHT-1M"), "1");
  rest->get("/api/v3/time");
  rest->get("/api/v3/time");
  Reply limited = rest->get("/api/v3/time");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(Json::parse(limited.body)["code"], -1003);
  EXPECT_FALSE(limited.header("Retry-After").empty());
  EXPECT_EQ(limited.header("X-MBX-USED-WEIGHT-1M"), "4");
}

TEST_F(ExchangeSim, injectedFaultsAnswer429And5xxAndMinus1021) {
  startSim();
  fault("kind=http429&count=1");
  Reply r429 = rest->get("/api/v3/time");
  EXPECT_EQ(r429.status, 429);
  EXPECT_FALSE(r429.header("Retry-After").empty());
  EXPECT_EQ(rest->get("/api/v3/time").status, 200);

  fault("kind=timestamp1021&count=1");
  const auto [bid, ask] = bestBidAsk();
  const std::string below = shifted(bid, -3);
  Reply r1021 = sendOrder(limit(401, common::Side::Buy, below.c_str(), "0.001"));
  EXPECT_EQ(Json::parse(r1021.body)["code"], -1021);

  fault("kind=http5xx&count=1&placed=1");
  Reply r5xx = sendOrder(limit(402, common::Side::Buy, below.c_str(), "0.001"));
  EXPECT_EQ(r5xx.status, 503);
  api::binance::ParamList q;
  q.add("symbol", "BTCUSDT");
  q.add("origClientOrderId", "402");
  Reply status = signedCall(interfaces::HttpMethod::Get, "/api/v3/order", q, nowMs());
  EXPECT_EQ(status.status, 200) << "placed=1: the order exists although the client got a 503";

  const Json state = Json::parse(rest->get("/sim/state").body);
  EXPECT_EQ(state["faults"]["http429"]["injected"], 1);
  EXPECT_EQ(state["faults"]["http5xx"]["injected"], 1);
  EXPECT_EQ(state["faults"]["timestamp1021"]["injected"], 1);
  EXPECT_EQ(state["open_orders"].size(), 1u);
}

TEST_F(ExchangeSim, depthSnapshotAndDiffsKeepBookSyncInSyncAndAGapFaultIsDetected) {
  startSim();
  Ws ws(sim->port(), "/stream?streams=btcusdt@depth@100ms/btcusdt@trade/btcusdt@bookTicker");
  ASSERT_TRUE(ws.waitConnected());
  api::binance::RegistryResolver resolver(registry());
  resolver.snapshotInstrument = &inst();
  api::binance::MarketDataParser parser(resolver);
  api::binance::BookSync::Config bc;
  bc.instrument = inst().id;
  api::binance::BookSync sync(bc);
  size_t emitted = 0;
  auto sink = [&](common::BookDelta&) { ++emitted; };
  // Some diffs first (buffered), then the snapshot, as the documented procedure does.
  ASSERT_TRUE(ws.waitFor([&] { return ws.frames.size() >= 3; }));
  size_t next = 0, applied = 0, gaps = 0, trades = 0, tickers = 0;
  auto feed = [&] {
    for (; next < ws.frames.size(); ++next) {
      auto r = parser.parse(ws.frames[next]);
      ASSERT_TRUE(r.ok()) << ws.frames[next];
      if (r.kind == api::binance::MessageKind::Trade) ++trades;
      if (r.kind == api::binance::MessageKind::BookTicker) ++tickers;
      if (r.kind != api::binance::MessageKind::DepthUpdate) continue;
      const auto res = sync.onDiff(parser.depth(), 0, sink);
      if (res == api::binance::BookSync::Result::Applied) ++applied;
      if (res == api::binance::BookSync::Result::Gap) ++gaps;
    }
  };
  feed();
  const Reply snap = rest->get("/api/v3/depth?symbol=BTCUSDT&limit=1000");
  auto sr = parser.parse(snap.body);
  ASSERT_TRUE(sr.ok());
  ASSERT_EQ(sr.kind, api::binance::MessageKind::DepthSnapshot);
  ASSERT_EQ(sync.onSnapshot(parser.depth(), 0, sink), api::binance::BookSync::Result::Applied);
  ASSERT_TRUE(ws.waitFor([&] {
    feed();
    return applied >= 15;
  }, 10000));
  EXPECT_EQ(gaps, 0u);
  EXPECT_EQ(sync.state(), api::binance::BookSync::State::Synced);
  EXPECT_GT(trades + tickers, 0u);
  EXPECT_GT(emitted, applied);

  fault("kind=gap&count=1");
  ASSERT_TRUE(ws.waitFor([&] {
    feed();
    return gaps > 0;
  }, 5000));
  EXPECT_EQ(sync.state(), api::binance::BookSync::State::NeedsResync);
}

TEST_F(ExchangeSim, disconnectFaultClosesTheStreamsAndClientsReconnect) {
  startSim();
  Ws ws(sim->port(), "/stream?streams=btcusdt@trade");
  ASSERT_TRUE(ws.waitConnected());
  fault("kind=disconnect");
  EXPECT_TRUE(ws.waitFor([&] { return ws.disconnects > 0; }));
  EXPECT_TRUE(ws.waitConnected());
  const Json state = Json::parse(rest->get("/sim/state").body);
  EXPECT_EQ(state["faults"]["disconnect"]["injected"], 1);
}

TEST_F(ExchangeSim, liveSubscribeIsAnsweredAndStartsTheStream) {
  startSim();
  Ws ws(sim->port(), "/stream");
  ASSERT_TRUE(ws.waitConnected());
  ws.send(R"({"method":"SUBSCRIBE","params":["btcusdt@bookTicker"],"id":7})");
  ASSERT_TRUE(ws.waitFor([&] { return ws.frames.size() >= 2; }));
  EXPECT_EQ(ws.frames.front(), R"({"id":7,"result":null})");
  EXPECT_NE(ws.frames[1].find("\"stream\":\"btcusdt@bookTicker\""), std::string::npos);
}

TEST_F(ExchangeSim, unknownFaultKindIsRefusedWithItsName) {
  startSim();
  const Reply r = rest->call(interfaces::HttpMethod::Post, "/sim/fault?kind=meteor");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("meteor"), std::string::npos);
}

class CaptureFile {
 public:
  explicit CaptureFile(const std::string& text) {
    path_ = (std::filesystem::temp_directory_path() / ("exsim_capture_" + std::to_string(::getpid()) + ".txt")).string();
    std::ofstream(path_) << text;
  }
  ~CaptureFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST_F(ExchangeSim, captureModeServesTheCapturedFramesByteForByteAndTheSnapshotOverRest) {
  const std::vector<std::string> frames = {
      R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161600100,"s":"BTCUSDT","U":100,"u":102,"b":[["60000.00","1.5"]],"a":[]}})",
      R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1723161600150,"s":"BTCUSDT","t":5,"p":"60000.01","q":"0.01","T":1723161600150,"m":true,"M":true}})",
      R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161600200,"s":"BTCUSDT","U":103,"u":104,"b":[],"a":[["60000.02","0.3"]]}})"};
  const std::string snapshot = R"({"lastUpdateId":101,"bids":[["60000.00","1.0"]],"asks":[["60000.02","0.2"]]})";
  CaptureFile file("1723161600100000000 " + frames[0] + "\n1723161600120000000 " + snapshot + "\n1723161600150000000 " +
                   frames[1] + "\n1723161600200000000 " + frames[2] + "\n");
  SimulatorOptions o;
  o.capture_path = file.path();
  o.capture_speed = 0;
  startSim(o);
  EXPECT_EQ(rest->get("/api/v3/depth?symbol=BTCUSDT&limit=1000").body, snapshot);
  Ws ws(sim->port(), "/stream?streams=btcusdt@depth@100ms/btcusdt@trade");
  ASSERT_TRUE(ws.waitFor([&] { return ws.frames.size() >= frames.size(); }));
  EXPECT_EQ(std::vector<std::string>(ws.frames.begin(), ws.frames.begin() + 3), frames);
  EXPECT_TRUE(ws.waitFor([&] { return ws.disconnects > 0; })) << "the stream closes after the last frame";
}

TEST_F(ExchangeSim, captureModeServesTheSharedRealSampleWhenPresent) {
  const std::string sample =
      "/work/shared/exchange-samples/market-data/hftbacktest/binance_spot_btcusdt_20240808_2354-2400UTC.gz";
  if (!std::filesystem::exists(sample)) GTEST_SKIP() << sample << " absent";
  SimulatorOptions o;
  o.capture_path = sample;
  o.capture_speed = 0;
  startSim(o);
  // The file's first frames (gzip, read with the importer's own LineReader), snapshots left out.
  std::vector<std::string> expected;
  api::LineReader in(sample);
  std::string_view line;
  while (expected.size() < 50 && in.next(line)) {
    const std::string json(line.substr(line.find(' ') + 1));
    if (json.find("\"lastUpdateId\"") != std::string::npos && json.find("\"e\"") == std::string::npos) continue;
    expected.push_back(json);
  }
  ASSERT_EQ(expected.size(), 50u);
  Ws ws(sim->port(), "/stream?streams=btcusdt@depth@100ms/btcusdt@trade");
  ASSERT_TRUE(ws.waitFor([&] { return ws.frames.size() >= expected.size(); }, 20000));
  EXPECT_EQ(std::vector<std::string>(ws.frames.begin(), ws.frames.begin() + 50), expected);
  const Reply snap = rest->get("/api/v3/depth?symbol=BTCUSDT&limit=1000");
  EXPECT_EQ(snap.status, 200);
  EXPECT_NE(snap.body.find("\"lastUpdateId\""), std::string::npos);
}

TEST(ExchangeSimCapture, malformedCaptureLineIsAnErrorNamingFileAndLine) {
  const std::string path = (std::filesystem::temp_directory_path() / "exsim_bad_capture.txt").string();
  std::ofstream(path) << "123 {\"a\":1}\nnot-a-number {}\n";
  try {
    SimulatorOptions o;
    o.capture_path = path;
    ExchangeSimulator s(registry(), o);
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":2"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

}  // namespace

namespace {

TEST_F(ExchangeSim, usdmOrderFillsWithOrderTradeUpdateOnTheListenKeyStreamAndAPosition) {
  SimulatorOptions o;
  o.venue.market = Market::UsdM;
  startSim(o);
  const config::Instrument& fut = *registry().byVenueSymbol(common::ExchangeId::BinanceFutures, "BTCUSDT");
  const Reply key = rest->call(interfaces::HttpMethod::Post, "/fapi/v1/listenKey", kKey);
  ASSERT_EQ(key.status, 200) << key.body;
  const std::string listenKey = Json::parse(key.body)["listenKey"];
  Ws user(sim->port(), "/private/ws/" + listenKey);
  ASSERT_TRUE(user.waitConnected());

  const Json depth = Json::parse(rest->get("/fapi/v1/depth?symbol=BTCUSDT&limit=5").body);
  ASSERT_TRUE(depth.contains("E"));
  int64_t ask = 0;
  ASSERT_EQ(common::parseDecimal(depth["asks"][0][0].get<std::string>(), fut.price_scale, ask), common::ParseStatus::Ok);
  common::OrderRequest r{};
  r.header = common::makeHeader<common::OrderRequest>(common::ExchangeId::BinanceFutures, fut.id, 0, 0);
  r.client_order_id = 501;
  r.action = common::OrderAction::New;
  r.side = common::Side::Buy;
  r.type = common::OrderType::Limit;
  r.tif = common::TimeInForce::GTC;
  r.price = (ask + ask / 100) / fut.tick_size * fut.tick_size;
  ASSERT_EQ(common::parseDecimal("0.01", fut.qty_scale, r.qty), common::ParseStatus::Ok);
  api::binance::OrderEncoder enc(Market::UsdM, api::binance::OrderRespType::Result);
  api::binance::ParamList p;
  api::binance::Endpoint ep;
  ASSERT_EQ(enc.encode(r, fut, p, ep), api::binance::EncodeStatus::Ok);
  const Reply placed = signedCall(interfaces::HttpMethod::Post, std::string(ep.path), p, nowMs());
  ASSERT_EQ(placed.status, 200) << placed.body;

  api::binance::RegistryResolver resolver(registry());
  api::binance::OrderResponseParser parser(resolver);
  ASSERT_TRUE(parser.parseRest(Market::UsdM, placed.body, 0).ok()) << placed.body;
  EXPECT_EQ(parser.reports()[0].exec_type, common::ExecType::Filled);
  bool sawFill = false, sawAccount = false;
  ASSERT_TRUE(user.waitFor([&] {
    for (const auto& f : user.frames) {
      auto u = parser.parseUserData(f, 0);
      if (!u.ok()) continue;
      if (u.kind == api::binance::ResponseKind::ExecutionReport &&
          parser.reports()[0].exec_type == common::ExecType::Filled)
        sawFill = true;
      if (u.kind == api::binance::ResponseKind::Balances) sawAccount = true;
    }
    return sawFill && sawAccount;
  }));
  const Reply pos = signedCall(interfaces::HttpMethod::Get, "/fapi/v2/positionRisk", api::binance::ParamList{}, nowMs());
  EXPECT_EQ(Json::parse(pos.body)[0]["positionAmt"], "0.010") << pos.body;

  fault("kind=expire_listen_key");
  bool expired = false;
  EXPECT_TRUE(user.waitFor([&] {
    for (const auto& f : user.frames)
      if (parser.parseUserData(f, 0).kind == api::binance::ResponseKind::StreamExpired) expired = true;
    return expired;
  }));
}

TEST_F(ExchangeSim, usdmDepthDiffsCarryPuAndKeepBookSyncInSync) {
  SimulatorOptions o;
  o.venue.market = Market::UsdM;
  startSim(o);
  const config::Instrument& fut = *registry().byVenueSymbol(common::ExchangeId::BinanceFutures, "BTCUSDT");
  Ws ws(sim->port(), "/public/stream?streams=btcusdt@depth@100ms");
  ASSERT_TRUE(ws.waitFor([&] { return ws.frames.size() >= 2; }));
  api::binance::RegistryResolver resolver(registry());
  resolver.snapshotInstrument = &fut;
  api::binance::MarketDataParser parser(resolver);
  api::binance::BookSync::Config bc;
  bc.exchange = common::ExchangeId::BinanceFutures;
  bc.instrument = fut.id;
  bc.market = Market::UsdM;
  api::binance::BookSync sync(bc);
  auto sink = [](common::BookDelta&) {};
  size_t next = 0, applied = 0, gaps = 0;
  auto feed = [&] {
    for (; next < ws.frames.size(); ++next) {
      auto r = parser.parse(ws.frames[next]);
      ASSERT_TRUE(r.ok()) << ws.frames[next];
      ASSERT_EQ(r.market, Market::UsdM);
      const auto res = sync.onDiff(parser.depth(), 0, sink);
      if (res == api::binance::BookSync::Result::Applied) ++applied;
      if (res == api::binance::BookSync::Result::Gap) ++gaps;
    }
  };
  feed();
  const Reply snap = rest->get("/fapi/v1/depth?symbol=BTCUSDT&limit=1000");
  ASSERT_TRUE(parser.parse(snap.body).ok());
  ASSERT_EQ(sync.onSnapshot(parser.depth(), 0, sink), api::binance::BookSync::Result::Applied);
  ASSERT_TRUE(ws.waitFor([&] {
    feed();
    return applied >= 10;
  }, 10000));
  EXPECT_EQ(gaps, 0u);
  fault("kind=gap&count=1");
  EXPECT_TRUE(ws.waitFor([&] {
    feed();
    return gaps > 0;
  }, 5000));
}

}  // namespace

namespace {

TEST_F(ExchangeSim, wsApiOrderPlaceIsSignedCheckedAndAnswered) {
  startSim();
  auto ws = userStream();
  const auto [bid, ask] = bestBidAsk();
  const std::string below = shifted(bid, -3);
  api::binance::OrderEncoder enc(Market::Spot, api::binance::OrderRespType::Result);
  api::binance::ParamList p;
  api::binance::Endpoint ep;
  ASSERT_EQ(enc.encode(limit(601, common::Side::Buy, below.c_str(), "0.001"), inst(), p, ep),
            api::binance::EncodeStatus::Ok);
  ASSERT_EQ(ep.wsMethod, "order.place");
  auto request = [&](const char* secret) {
    api::binance::RequestSigner signer(kKey, secret);
    char buf[2048];
    api::binance::SignedRequest sr;
    EXPECT_EQ(signer.signWsApi(p, nowMs(), buf, sr), api::binance::SignStatus::Ok);
    Json params = Json::object();
    for (size_t i = 0; i < p.size(); ++i) params[std::string(p.key(i))] = std::string(p.value(i));
    params["apiKey"] = kKey;
    params["recvWindow"] = signer.recvWindowMs();
    params["timestamp"] = sr.timestampMs;
    params["signature"] = std::string(sr.signature);
    return Json{{"id", "o-1"}, {"method", ep.wsMethod}, {"params", params}}.dump();
  };
  size_t seen = ws->frames.size();
  auto nextReply = [&] {
    Json reply;
    EXPECT_TRUE(ws->waitFor([&] {
      for (; seen < ws->frames.size(); ++seen) {
        const Json j = Json::parse(ws->frames[seen]);
        if (j.contains("id") && j["id"] == "o-1") {
          reply = j;
          ++seen;
          return true;
        }
      }
      return false;
    }));
    return reply;
  };
  ws->send(request("wrong-secret"));
  const Json bad = nextReply();
  EXPECT_EQ(bad["status"], 400);
  EXPECT_EQ(bad["error"]["code"], -1022);
  ws->send(request(kSecret));
  const Json ok = nextReply();
  EXPECT_EQ(ok["status"], 200) << ok.dump();
  EXPECT_EQ(ok["result"]["status"], "NEW");
  EXPECT_EQ(ok["result"]["clientOrderId"], "601");
  EXPECT_TRUE(ok["rateLimits"].is_array());
}

}  // namespace

namespace {

TEST_F(ExchangeSim, http5xxWithoutPlacementLeavesNoOrderAndSlowFaultIsCounted) {
  startSim();
  const auto [bid, ask] = bestBidAsk();
  const std::string below = shifted(bid, -3);
  fault("kind=http5xx&count=1&placed=0");
  Reply r5xx = sendOrder(limit(701, common::Side::Buy, below.c_str(), "0.001"));
  EXPECT_EQ(r5xx.status, 503);
  EXPECT_EQ(Json::parse(r5xx.body)["code"], -1007);
  api::binance::ParamList q;
  q.add("symbol", "BTCUSDT");
  q.add("origClientOrderId", "701");
  EXPECT_EQ(Json::parse(signedCall(interfaces::HttpMethod::Get, "/api/v3/order", q, nowMs()).body)["code"], -2013);

  fault("kind=slow&count=1&ms=20");
  EXPECT_EQ(rest->get("/api/v3/time").status, 200);  // late, but answered
  const Json state = Json::parse(rest->get("/sim/state").body);
  EXPECT_EQ(state["faults"]["slow"]["injected"], 1);
  EXPECT_EQ(state["faults"]["slow"]["armed"], 0);
}

TEST_F(ExchangeSim, dropUserStreamClosesTheSubscribedSessionButNotMarketData) {
  startSim();
  auto user = userStream();
  Ws market(sim->port(), "/stream?streams=btcusdt@trade");
  ASSERT_TRUE(market.waitConnected());
  fault("kind=drop_user_stream");
  EXPECT_TRUE(user->waitFor([&] { return user->disconnects > 0; }));
  EXPECT_EQ(market.disconnects, 0);
}

}  // namespace
