// The simulator's Upbit and Bithumb order entry, in-process on an ephemeral port, driven as the
// real client drives it: api/exchanges/shared JwtSigner builds every token, api/exchanges/upbit
// OrderEncoder every order request, RemainingReq parses the rate-limit header. The private
// stream is read through a small Beast client (the project's WebSocket client sends no
// Authorization header). No timing assertions: waits are generous deadlines.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "ProcessRunner.h"
#include "SimClients.h"
#include "api/exchanges/bithumb/BithumbDialect.h"
#include "api/exchanges/shared/JwtSigner.h"
#include "api/exchanges/shared/QueryParams.h"
#include "api/exchanges/upbit/OrderEncoder.h"
#include "api/exchanges/upbit/RemainingReq.h"
#include "api/exchanges/upbit/TickTables.h"
#include "common/FixedPoint.h"
#include "common/events/ExecutionReport.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/exchange_sim/ExchangeSimulator.h"
#include "execution_engine/exchange_sim/GroupRateLimiter.h"
#include "execution_engine/exchange_sim/JwtVerifier.h"

using namespace hft;
using namespace hft::exchange_sim_test;
using namespace hft::execution_engine::exchange_sim;
using Json = nlohmann::json;
using api::shared::JwtAlg;
using api::shared::JwtClaims;
using interfaces::HttpMethod;

namespace {

constexpr const char* kKey = "sim-access-key";
constexpr const char* kSecret = "sim-secret-key-for-loopback-tests";

const config::InstrumentRegistry& registry() {
  static const auto r = config::InstrumentRegistry::loadFile(std::string(HFT_SOURCE_DIR) + "/config/instruments.json");
  return r;
}

int64_t wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t amount(const Json& v) {  // a decimal string at kAmountScale
  int64_t out = 0;
  EXPECT_EQ(common::parseDecimal(v.get<std::string>(), common::kAmountScale, out), common::ParseStatus::Ok) << v;
  return out;
}

/// The client side, as the gateway builds it: one signer, one encoder, a fresh nonce per token.
class Client {
 public:
  Client(uint16_t port, const api::upbit::Dialect& d, const std::string& key = kKey,
         const std::string& secret = kSecret)
      : rest(port),
        dialect(d),
        signer(d.jwtAlg, d.jwtClaims, key, secret),
        encoder(d, api::shared::TickBands(api::upbit::krwTickBands(), api::upbit::kTickTableScale)) {}

  std::string nonce() {
    uint8_t bytes[16] = {};
    const uint64_t n = ++nonces_ + (static_cast<uint64_t>(wallMs()) << 20);
    std::memcpy(bytes, &n, sizeof n);
    char out[36];
    api::shared::formatUuidV4(std::span<const uint8_t, 16>(bytes, 16), std::span<char, 36>(out, 36));
    return std::string(out, 36);
  }
  std::string authorization(std::string_view query, const std::string& n, int64_t tsMs = 0) {
    char buf[api::shared::JwtSigner::kMaxTokenChars + 16];
    size_t len = 0;
    EXPECT_EQ(signer.buildAuthorization(n, tsMs ? tsMs : wallMs(), query, buf, len), api::shared::JwtStatus::Ok);
    return std::string(buf, len);
  }
  /// Sends an encoded request; `auth` overrides the Authorization value ("-" = none).
  Reply send(const api::upbit::Endpoint& ep, const api::shared::QueryParams& p, const std::string& auth = "") {
    char q[2048], body[2048];
    const size_t ql = p.renderQuery(q);
    std::string target(ep.path), payload;
    if (ep.method == api::upbit::HttpMethod::Post)
      payload.assign(body, p.renderJson(body));
    else if (ql)
      target.append("?").append(q, ql);
    std::vector<std::pair<std::string, std::string>> h;
    const std::string a = auth.empty() ? authorization(std::string_view(q, ql), nonce()) : auth;
    if (a != "-") h.emplace_back("Authorization", a);
    if (!payload.empty()) h.emplace_back("Content-Type", "application/json; charset=utf-8");
    const HttpMethod m = ep.method == api::upbit::HttpMethod::Post     ? HttpMethod::Post
                         : ep.method == api::upbit::HttpMethod::Delete ? HttpMethod::Delete
                                                                       : HttpMethod::Get;
    return rest.call(m, target, h, payload);
  }
  Reply get(const std::string& path) {
    api::upbit::Endpoint ep{api::upbit::HttpMethod::Get, path, "default"};
    return send(ep, api::shared::QueryParams{});
  }

  Reply limit(const config::Instrument& inst, uint64_t id, common::Side side, int64_t price, int64_t qty,
              common::TimeInForce tif = common::TimeInForce::GTC) {
    common::OrderRequest r{};
    r.header = common::makeHeader<common::OrderRequest>(dialect.exchange, inst.id, 0, 0);
    r.client_order_id = id;
    r.price = price;
    r.qty = qty;
    r.action = common::OrderAction::New;
    r.side = side;
    r.type = common::OrderType::Limit;
    r.tif = tif;
    api::shared::QueryParams p;
    api::upbit::Endpoint ep;
    EXPECT_EQ(encoder.encodeNew(r, inst, p, ep), api::upbit::EncodeStatus::Ok);
    return send(ep, p);
  }
  Reply cancel(const config::Instrument& inst, uint64_t id) {
    common::OrderRequest r{};
    r.header = common::makeHeader<common::OrderRequest>(dialect.exchange, inst.id, 0, 0);
    r.client_order_id = id + 1000000;
    r.orig_client_order_id = id;
    r.action = common::OrderAction::Cancel;
    api::shared::QueryParams p;
    api::upbit::Endpoint ep;
    EXPECT_EQ(encoder.encodeCancel(r, inst, p, ep), api::upbit::EncodeStatus::Ok);
    return send(ep, p);
  }
  Reply query(uint64_t id) {
    api::shared::QueryParams p;
    api::upbit::Endpoint ep;
    EXPECT_EQ(encoder.encodeQuery(id, p, ep), api::upbit::EncodeStatus::Ok);
    return send(ep, p);
  }
  Reply open(const config::Instrument& inst) {
    api::shared::QueryParams p;
    api::upbit::Endpoint ep;
    EXPECT_EQ(encoder.encodeOpenOrders(inst, 100, p, ep), api::upbit::EncodeStatus::Ok);
    return send(ep, p);
  }
  /// A hand-built POST (for what the encoder refuses to send: off-tick prices, unknown markets).
  Reply rawPost(const std::vector<std::pair<std::string, std::string>>& fields) {
    api::shared::QueryParams p;
    for (const auto& [k, v] : fields) EXPECT_TRUE(p.add(k, v));
    return send(api::upbit::Endpoint{api::upbit::HttpMethod::Post, dialect.newOrderPath, "order"}, p);
  }
  /// free + locked of every currency, at kAmountScale.
  std::map<std::string, int64_t> totals() {
    std::map<std::string, int64_t> m;
    const Reply r = get("/v1/accounts");
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& a : Json::parse(r.body)) m[a["currency"]] = amount(a["balance"]) + amount(a["locked"]);
    return m;
  }

  Rest rest;
  const api::upbit::Dialect& dialect;
  api::shared::JwtSigner signer;
  api::upbit::OrderEncoder encoder;

 private:
  uint64_t nonces_ = 0;
};

/// The private WebSocket with an Authorization header; a thread collects the frames.
class PrivateWs {
 public:
  /// `first` (the subscription) is sent before the reader starts: one thread per direction never overlaps.
  PrivateWs(uint16_t port, const std::string& path, const std::string& authorization, const std::string& first = "")
      : ws_(ioc_) {
    namespace beast = boost::beast;
    boost::asio::ip::tcp::resolver resolver(ioc_);
    boost::asio::connect(ws_.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    ws_.set_option(beast::websocket::stream_base::decorator([authorization](beast::websocket::request_type& req) {
      if (!authorization.empty()) req.set(beast::http::field::authorization, authorization);
    }));
    beast::websocket::response_type res;
    beast::error_code ec;
    ws_.handshake(res, "127.0.0.1", path, ec);
    if (ec) return;
    connected = true;
    if (!first.empty()) ws_.write(boost::asio::buffer(first));
    reader_ = std::thread([this] {
      for (;;) {
        beast::flat_buffer b;
        beast::error_code e;
        ws_.read(b, e);
        if (e) break;
        std::lock_guard<std::mutex> l(m_);
        frames_.push_back(beast::buffers_to_string(b.data()));
      }
      closed = true;
    });
  }
  ~PrivateWs() {
    boost::beast::error_code ec;
    ws_.next_layer().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    ws_.next_layer().close(ec);
    if (reader_.joinable()) reader_.join();
  }
  std::vector<std::string> frames() {
    std::lock_guard<std::mutex> l(m_);
    return frames_;
  }
  template <class P>
  bool waitFor(P pred, int ms = 20000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < deadline) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return pred();
  }
  /// The myOrder frames of `uuid`, in order.
  std::vector<Json> myOrders(const std::string& uuid) {
    std::vector<Json> v;
    for (const auto& f : frames()) {
      const Json j = Json::parse(f, nullptr, false);
      if (j.is_object() && j.value("type", "") == "myOrder" && j.value("uuid", "") == uuid) v.push_back(j);
    }
    return v;
  }
  bool sawState(const std::string& uuid, const std::string& state) {
    for (const auto& j : myOrders(uuid))
      if (j["state"] == state) return true;
    return false;
  }

  bool connected = false;
  std::atomic<bool> closed{false};

 private:
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  std::thread reader_;
  std::mutex m_;
  std::vector<std::string> frames_;
};

/// The HTTP status of a WebSocket upgrade request to `path` (101 = accepted). Beast's client
/// handshake does not hand back a refused response, so the upgrade is written by hand.
unsigned upgradeStatus(uint16_t port, const std::string& path, const std::string& authorization) {
  namespace http = boost::beast::http;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket sock(ioc);
  boost::asio::ip::tcp::resolver resolver(ioc);
  boost::asio::connect(sock, resolver.resolve("127.0.0.1", std::to_string(port)));
  http::request<http::empty_body> req{http::verb::get, path, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::connection, "Upgrade");
  req.set(http::field::upgrade, "websocket");
  req.set(http::field::sec_websocket_version, "13");
  req.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  if (!authorization.empty()) req.set(http::field::authorization, authorization);
  http::write(sock, req);
  boost::beast::flat_buffer b;
  http::response_parser<http::string_body> res;
  res.skip(true);  // a 101 has no body; a refusal's body is read if it came
  boost::beast::error_code ec;
  http::read_header(sock, b, res, ec);
  return ec ? 0u : res.get().result_int();
}

class UpbitOrders : public ::testing::Test {
 protected:
  /// `orderPerSecond` 8 is Upbit's; tests of other things raise it so a burst of orders is not 429.
  void start(SimProtocol protocol = SimProtocol::Upbit, uint32_t orderPerSecond = 100) {
    SimulatorOptions o;
    o.limits.upbit_order_per_second = orderPerSecond;
    o.port = 0;
    o.venue.protocol = protocol;
    o.venue.speed = 5;
    o.venue.events_per_second = 1000;
    if (protocol == SimProtocol::Bithumb)
      o.venue.tick_rules_path = std::string(HFT_SOURCE_DIR) + "/config/tick_rules/bithumb_krw.json";
    o.api_key = kKey;
    o.api_secret = kSecret;
    sim = std::make_unique<ExchangeSimulator>(registry(), std::move(o));
    sim->start();
    const api::upbit::Dialect& d = protocol == SimProtocol::Bithumb ? api::bithumb::kBithumb : api::upbit::kUpbit;
    client = std::make_unique<Client>(sim->port(), d);
    exchange = d.exchange;
  }
  void TearDown() override {
    client.reset();
    if (sim) sim->stop();
  }
  const config::Instrument& btc() { return *registry().byVenueSymbol(exchange, "KRW-BTC"); }
  std::pair<int64_t, int64_t> bestBidAsk() {
    const Reply r = client->rest.get("/v1/orderbook?markets=KRW-BTC");
    EXPECT_EQ(r.status, 200) << r.body;
    const Json u = Json::parse(r.body)[0]["orderbook_units"][0];
    return {u["bid_price"].get<int64_t>(), u["ask_price"].get<int64_t>()};
  }
  std::unique_ptr<PrivateWs> privateStream(const char* path = "/websocket/v1/private") {
    auto ws =
        std::make_unique<PrivateWs>(sim->port(), path, client->authorization("", client->nonce()),
                                    R"([{"ticket":"t"},{"type":"myOrder"},{"type":"myAsset"},{"format":"DEFAULT"}])");
    EXPECT_TRUE(ws->connected);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the subscription is read before orders go
    return ws;
  }
  Json state() { return Json::parse(client->rest.get("/sim/state").body); }
  static std::string errorName(const Reply& r) {
    const Json j = Json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("name", "") : "(no error: " + r.body + ")";
  }

  std::unique_ptr<ExchangeSimulator> sim;
  std::unique_ptr<Client> client;
  common::ExchangeId exchange = common::ExchangeId::Upbit;
  static constexpr int64_t kMilliBtc = 100000;  // 0.001 BTC at qty scale 8
  /// 3,000 ticks (~2%) from the touch: an order there stays resting for the length of a test.
  static constexpr int64_t kFar = 3'000'000;
};

}  // namespace

TEST_F(UpbitOrders, restingLimitOrderIsFilledByTheMarketWithMyOrderWaitTradeDoneAndBalancesConserved) {
  start();
  auto ws = privateStream();
  // A bid joining the touch rests (the market may have moved through it between the book and
  // the order: then it fills at once, and the next id tries again at the new touch).
  std::map<std::string, int64_t> before;
  int64_t price = 0, fillsBefore = 0;
  uint64_t id = 100;
  Json o = Json::object();
  for (int attempt = 0; attempt < 20 && o.value("state", "") != "wait"; ++attempt) {
    before = client->totals();
    fillsBefore = state()["fills"].get<int64_t>();
    price = bestBidAsk().first;
    const Reply placed = client->limit(btc(), ++id, common::Side::Buy, price, kMilliBtc);
    ASSERT_EQ(placed.status, 201) << placed.body;
    o = Json::parse(placed.body);
  }
  ASSERT_EQ(o["state"], "wait");
  EXPECT_EQ(o["identifier"], std::to_string(id));
  EXPECT_EQ(o["side"], "bid");
  EXPECT_EQ(o["ord_type"], "limit");
  const std::string uuid = o["uuid"];
  ASSERT_TRUE(ws->waitFor([&] { return ws->sawState(uuid, "done"); }, 60000)) << "never filled";
  const auto frames = ws->myOrders(uuid);
  ASSERT_GE(frames.size(), 3u);
  EXPECT_EQ(frames.front()["state"], "wait");
  EXPECT_EQ(frames.back()["state"], "done");
  int64_t tradedQty = 0;
  for (const auto& f : frames)
    if (f["state"] == "trade") {
      EXPECT_FALSE(f["trade_uuid"].is_null());
      EXPECT_LE(f["price"].get<int64_t>(), price);  // the trade's price, never above the limit
      int64_t q = 0;
      ASSERT_EQ(common::parseDecimal(f["volume"].dump(), 8, q), common::ParseStatus::Ok) << f;
      tradedQty += q;
      EXPECT_EQ(f["identifier"], std::to_string(id));
    }
  EXPECT_EQ(tradedQty, kMilliBtc);  // trade frames carry each trade's volume, summing to the order
  const Reply q = client->query(id);
  ASSERT_EQ(q.status, 200) << q.body;
  const Json done = Json::parse(q.body);
  EXPECT_EQ(done["state"], "done");
  EXPECT_EQ(done["executed_volume"], "0.00100000");
  EXPECT_GE(done["trades_count"].get<int>(), 1);
  const int64_t funds = amount(done["executed_funds"]), fee = amount(done["paid_fee"]);
  EXPECT_GT(fee, 0);
  const int64_t fills = done["trades_count"].get<int64_t>();  // 0.05% in KRW, rounded up per fill
  EXPECT_GE(fee, funds * 5 / 10000);
  EXPECT_LE(fee, funds * 5 / 10000 + fills);
  ASSERT_TRUE(ws->waitFor([&] {
    for (const auto& f : ws->frames())
      if (f.find("\"myAsset\"") != std::string::npos) return true;
    return false;
  }));
  const auto after = client->totals();
  EXPECT_EQ(after.at("KRW") - before.at("KRW"), -(funds + fee));
  EXPECT_EQ(after.at("BTC") - before.at("BTC"), kMilliBtc);  // qty scale 8 = amount scale 8: 0.001 BTC
  EXPECT_EQ(after.at("ETH"), before.at("ETH"));
  EXPECT_EQ(state()["fills"].get<int64_t>() - fillsBefore, done["trades_count"].get<int64_t>());
}

TEST_F(UpbitOrders, cancelAnswersWaitThenMyOrderCancelAndTheOrderIsNoLongerOpen) {
  start();
  auto ws = privateStream();
  const auto [bid, ask] = bestBidAsk();
  const int64_t far = bid - kFar;
  const Reply placed = client->limit(btc(), 202, common::Side::Buy, far, kMilliBtc);
  ASSERT_EQ(placed.status, 201) << placed.body;
  const std::string uuid = Json::parse(placed.body)["uuid"];
  Reply open = client->open(btc());
  ASSERT_EQ(open.status, 200) << open.body;
  ASSERT_EQ(Json::parse(open.body).size(), 1u);
  EXPECT_EQ(Json::parse(open.body)[0]["uuid"], uuid);
  EXPECT_EQ(state()["open_orders"].size(), 1u);
  EXPECT_GT(amount(Json::parse(placed.body)["locked"]), 0);

  const Reply c = client->cancel(btc(), 202);
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(Json::parse(c.body)["state"], "wait");
  ASSERT_TRUE(ws->waitFor([&] { return ws->sawState(uuid, "cancel"); }));
  EXPECT_EQ(Json::parse(client->query(202).body)["state"], "cancel");
  EXPECT_TRUE(Json::parse(client->open(btc()).body).empty());
  const Reply again = client->cancel(btc(), 202);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(errorName(again), "invalid_parameter");
  const Reply unknown = client->cancel(btc(), 999);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(errorName(unknown), "order_not_found");
  EXPECT_EQ(client->query(999).status, 404);
  for (const auto& a : Json::parse(client->get("/v1/accounts").body))
    EXPECT_EQ(a["locked"], "0.00000000") << a;  // the cancel released the lock
}

TEST_F(UpbitOrders, authenticationFailuresAreNamedAsUpbitNamesThem) {
  start();
  EXPECT_EQ(client->get("/v1/accounts").status, 200);
  api::upbit::Endpoint accounts{api::upbit::HttpMethod::Get, "/v1/accounts", "default"};
  api::shared::QueryParams none;
  Reply r = client->send(accounts, none, "-");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(errorName(r), "jwt_verification");

  Client wrongSecret(sim->port(), api::upbit::kUpbit, kKey, "another-secret");
  r = wrongSecret.get("/v1/accounts");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(errorName(r), "jwt_verification");
  Client unknownKey(sim->port(), api::upbit::kUpbit, "someone-else", kSecret);
  r = unknownKey.get("/v1/accounts");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(errorName(r), "invalid_access_key");

  const std::string token = client->authorization("", "nonce-used-twice");
  EXPECT_EQ(client->send(accounts, none, token).status, 200);
  r = client->send(accounts, none, token);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(errorName(r), "nonce_used");

  // A query_hash over other parameters than the ones sent.
  api::shared::QueryParams p;
  ASSERT_TRUE(p.add("uuid", "00000000-0000-4000-8000-000000000001"));
  r = client->send(api::upbit::Endpoint{api::upbit::HttpMethod::Get, "/v1/order", "default"}, p,
                   client->authorization("uuid=00000000-0000-4000-8000-000000000002", client->nonce()));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(errorName(r), "jwt_verification");
  // ... and with no query_hash at all.
  r = client->send(api::upbit::Endpoint{api::upbit::HttpMethod::Get, "/v1/order", "default"}, p,
                   client->authorization("", client->nonce()));
  EXPECT_EQ(errorName(r), "jwt_verification");

  // The algorithm is the one the token declares: HS256 is accepted too.
  api::shared::JwtSigner hs256(JwtAlg::HS256, JwtClaims::Upbit, kKey, kSecret);
  char buf[1024];
  size_t len = 0;
  ASSERT_EQ(hs256.buildAuthorization(client->nonce(), 0, "", buf, len), api::shared::JwtStatus::Ok);
  EXPECT_EQ(client->send(accounts, none, std::string(buf, len)).status, 200);

  PrivateWs bad(sim->port(), "/websocket/v1/private", wrongSecret.authorization("", wrongSecret.nonce()));
  EXPECT_FALSE(bad.connected);
  EXPECT_EQ(upgradeStatus(sim->port(), "/websocket/v1/private", wrongSecret.authorization("", wrongSecret.nonce())),
            401u);
  EXPECT_EQ(upgradeStatus(sim->port(), "/websocket/v1/private", ""), 401u);
  EXPECT_EQ(upgradeStatus(sim->port(), "/websocket/v1/private", client->authorization("", client->nonce())), 101u);
}

TEST_F(UpbitOrders, orderErrorsCarryUpbitNamesAndAReusedIdentifierIsRefusedAndCounted) {
  start();
  const auto [bid, ask] = bestBidAsk();
  const std::string vol = "0.001";
  Reply r = client->rawPost({{"market", "KRW-BTC"},
                             {"side", "bid"},
                             {"volume", vol},
                             {"price", std::to_string(bid - 500)},
                             {"ord_type", "limit"},
                             {"identifier", "301"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(errorName(r), "invalid_price_bid") << r.body;
  r = client->rawPost({{"market", "KRW-BTC"},
                       {"side", "ask"},
                       {"volume", vol},
                       {"price", std::to_string(ask + 500)},
                       {"ord_type", "limit"},
                       {"identifier", "302"}});
  EXPECT_EQ(errorName(r), "invalid_price_ask") << r.body;
  r = client->limit(btc(), 303, common::Side::Buy, bid - kFar, 10 * 100000000LL);  // 10 BTC: ~1.4e9 KRW
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(errorName(r), "insufficient_funds_bid") << r.body;
  r = client->limit(btc(), 304, common::Side::Sell, ask + kFar, 5 * 100000000LL);  // 5 BTC of 1
  EXPECT_EQ(errorName(r), "insufficient_funds_ask") << r.body;
  r = client->limit(btc(), 305, common::Side::Buy, bid - kFar, 1000);  // 0.00001 BTC: ~1,400 KRW
  EXPECT_EQ(errorName(r), "under_min_total_bid") << r.body;
  r = client->rawPost({{"market", "KRW-XYZ"},
                       {"side", "bid"},
                       {"volume", vol},
                       {"price", "1000"},
                       {"ord_type", "limit"},
                       {"identifier", "306"}});
  EXPECT_EQ(errorName(r), "notfoundmarket") << r.body;
  r = client->rawPost({{"market", "KRW-BTC"},
                       {"side", "bid"},
                       {"price", std::to_string(bid)},
                       {"ord_type", "limit"},
                       {"identifier", "307"}});
  EXPECT_EQ(errorName(r), "invalid_parameter") << r.body;
  EXPECT_NE(r.body.find("volume"), std::string::npos) << r.body;
  r = client->limit(btc(), 308, common::Side::Buy, ask + kFar, kMilliBtc, common::TimeInForce::PostOnly);
  EXPECT_EQ(errorName(r), "invalid_time_in_force") << r.body;

  EXPECT_EQ(state()["client_order_id_reuses"], 0);
  // An identifier is unique forever, even one whose order was refused.
  r = client->limit(btc(), 303, common::Side::Buy, bid - kFar, kMilliBtc);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(errorName(r), "invalid_parameter");
  EXPECT_NE(r.body.find("identifier"), std::string::npos) << r.body;
  r = client->limit(btc(), 309, common::Side::Buy, bid - kFar, kMilliBtc);
  EXPECT_EQ(r.status, 201) << r.body;
  r = client->limit(btc(), 309, common::Side::Buy, bid - kFar, kMilliBtc);
  EXPECT_EQ(errorName(r), "invalid_parameter");
  const Json s = state();
  EXPECT_EQ(s["client_order_id_reuses"], 2);
  EXPECT_EQ(s["open_orders"].size(), 1u);
}

TEST_F(UpbitOrders, orderGroupAnswers429AfterEightPerSecondWithRemainingReqHeaders) {
  start(SimProtocol::Upbit, 8);
  Reply ok = client->get("/v1/accounts");
  api::upbit::RemainingReq rr;
  size_t off = 0;
  const std::string header = ok.header("Remaining-Req");
  ASSERT_EQ(api::upbit::parseRemainingReq(header, rr, off), api::upbit::HeaderStatus::Ok) << header;
  EXPECT_EQ(rr.group, "default");
  EXPECT_EQ(rr.sec, 29);
  // 20 cancels of an unknown order in a burst: a one-second window of 8 cannot hold them all.
  int limited = 0, notFound = 0;
  std::string header429;
  for (int i = 0; i < 20; ++i) {
    const Reply r = client->cancel(btc(), 4000 + static_cast<uint64_t>(i));
    if (r.status == 429) {
      ++limited;
      EXPECT_EQ(errorName(r), "too_many_requests");
      header429 = r.header("Remaining-Req");
    } else if (r.status == 404) {
      ++notFound;
    }
  }
  EXPECT_GE(limited, 1);
  EXPECT_GE(notFound, 8);
  ASSERT_EQ(api::upbit::parseRemainingReq(header429, rr, off), api::upbit::HeaderStatus::Ok) << header429;
  EXPECT_EQ(rr.group, "order");
  EXPECT_EQ(rr.sec, 0);
  bool orderGroup = false;
  const Json limits = state()["rate_limits"];
  for (const auto& l : limits)
    if (l["group"] == "order") orderGroup = l["limit"] == 8;
  EXPECT_TRUE(orderGroup) << limits.dump();
}

TEST_F(UpbitOrders, faultsAnswer429And500PlaceAnywayAndDisconnectThePrivateStream) {
  start();
  auto ws = privateStream();
  const auto [bid, ask] = bestBidAsk();
  EXPECT_EQ(client->rest.call(HttpMethod::Post, "/sim/fault?kind=http429&count=1", {}, "").status, 200);
  Reply r = client->get("/v1/accounts");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(errorName(r), "too_many_requests");
  EXPECT_EQ(client->rest.call(HttpMethod::Post, "/sim/fault?kind=http5xx&count=1&placed=1", {}, "").status, 200);
  r = client->limit(btc(), 501, common::Side::Buy, bid - kFar, kMilliBtc);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(client->query(501).status, 200);  // the unknown outcome: it was placed
  EXPECT_EQ(client->rest.call(HttpMethod::Post, "/sim/fault?kind=http5xx&count=1&placed=0", {}, "").status, 200);
  r = client->limit(btc(), 502, common::Side::Buy, bid - kFar, kMilliBtc);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(client->query(502).status, 404);  // not placed
  EXPECT_EQ(client->rest.call(HttpMethod::Post, "/sim/fault?kind=slow&count=1&ms=50", {}, "").status, 200);
  EXPECT_EQ(client->get("/v1/accounts").status, 200);

  Ws market(sim->port(), "/websocket/v1");
  ASSERT_TRUE(market.waitConnected());
  EXPECT_EQ(client->rest.call(HttpMethod::Post, "/sim/fault?kind=disconnect", {}, "").status, 200);
  EXPECT_TRUE(ws->waitFor([&] { return ws->closed.load(); }));
  EXPECT_TRUE(market.waitFor([&] { return market.disconnects > 0; }));

  const Json s = state();
  EXPECT_EQ(s["market"], "upbit");
  EXPECT_EQ(s["faults"]["http429"]["injected"], 1);
  EXPECT_EQ(s["faults"]["http5xx"]["injected"], 2);
  EXPECT_EQ(s["faults"]["slow"]["injected"], 1);
  EXPECT_EQ(s["faults"]["disconnect"]["injected"], 1);
  EXPECT_EQ(s["open_orders"].size(), 1u);
  EXPECT_EQ(s["client_order_id_reuses"], 0);
  bool krw = false;
  for (const auto& b : s["balances"])
    if (b["asset"] == "KRW") krw = b.contains("free") && b.contains("locked");
  EXPECT_TRUE(krw) << s.dump();
}

TEST_F(UpbitOrders, bithumbProfileSpeaksItsDialect) {
  start(SimProtocol::Bithumb);
  auto ws = privateStream("/websocket/v2/private");
  const auto [bid, ask] = bestBidAsk();
  const Reply placed = client->limit(btc(), 701, common::Side::Buy, bid - kFar, kMilliBtc);
  ASSERT_EQ(placed.status, 201) << placed.body;
  const Json o = Json::parse(placed.body);
  EXPECT_EQ(o["client_order_id"], "701");
  EXPECT_FALSE(o.contains("identifier"));
  const Reply open = client->open(btc());  // GET /v1/orders
  ASSERT_EQ(open.status, 200) << open.body;
  ASSERT_EQ(Json::parse(open.body).size(), 1u);
  EXPECT_EQ(client->query(701).status, 200);
  EXPECT_EQ(client->cancel(btc(), 701).status, 200);
  const std::string uuid = o["uuid"];
  ASSERT_TRUE(ws->waitFor([&] { return ws->sawState(uuid, "cancel"); }));
  EXPECT_EQ(ws->myOrders(uuid).back()["client_order_id"], "701");
  // Bithumb's timestamp claim: 60 s old is refused, a token without it too.
  api::upbit::Endpoint accounts{api::upbit::HttpMethod::Get, "/v1/accounts", "default"};
  Reply r =
      client->send(accounts, api::shared::QueryParams{}, client->authorization("", client->nonce(), wallMs() - 60000));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(errorName(r), "jwt_verification");
  api::shared::JwtSigner upbitStyle(JwtAlg::HS256, JwtClaims::Upbit, kKey, kSecret);
  char buf[1024];
  size_t len = 0;
  ASSERT_EQ(upbitStyle.buildAuthorization(client->nonce(), 0, "", buf, len), api::shared::JwtStatus::Ok);
  EXPECT_EQ(errorName(client->send(accounts, api::shared::QueryParams{}, std::string(buf, len))), "jwt_verification");
  // Bithumb's 0.04% fee and its tick table (1,000 KRW above 1,000,000): an off-tick price is refused.
  r = client->rawPost({{"market", "KRW-BTC"},
                       {"side", "bid"},
                       {"volume", "0.001"},
                       {"price", std::to_string(bid - 100500)},
                       {"ord_type", "limit"},
                       {"client_order_id", "702"}});
  EXPECT_EQ(errorName(r), "invalid_price_bid") << r.body;
  // An IOC through the book fills at once; the fee is Bithumb's 0.04%, in KRW.
  r = client->limit(btc(), 703, common::Side::Buy, ask + kFar, kMilliBtc, common::TimeInForce::IOC);
  ASSERT_EQ(r.status, 201) << r.body;
  const Json ioc = Json::parse(r.body);
  EXPECT_EQ(ioc["state"], "done") << ioc;
  const int64_t funds = amount(ioc["executed_funds"]), fee = amount(ioc["paid_fee"]);
  EXPECT_GE(fee, funds * 4 / 10000);
  EXPECT_LE(fee, funds * 4 / 10000 + ioc["trades_count"].get<int64_t>());
  EXPECT_EQ(state()["market"], "bithumb");
  EXPECT_EQ(Json::parse(client->rest.get("/v1/market/all").body).size(), 2u);  // bithumb KRW-BTC, KRW-ETH
}

TEST(ExchangeSimJwt, verifierChecksSignatureHashNonceAndTimestampWindow) {
  JwtVerifier v;
  v.addKey(kKey, kSecret);
  api::shared::JwtSigner s(JwtAlg::HS256, JwtClaims::Bithumb, kKey, kSecret);
  char buf[1024];
  size_t len = 0;
  const int64_t now = 1'700'000'000'000;
  ASSERT_EQ(s.buildAuthorization("n1", now - 29000, "a=1", buf, len), api::shared::JwtStatus::Ok);
  EXPECT_FALSE(v.verify(std::string_view(buf, len), "a=1", true, now));
  ASSERT_EQ(s.buildAuthorization("n2", now - 31000, "a=1", buf, len), api::shared::JwtStatus::Ok);
  EXPECT_EQ(v.verify(std::string_view(buf, len), "a=1", true, now).name, "jwt_verification");
  ASSERT_EQ(s.buildAuthorization("n3", now, "a=1", buf, len), api::shared::JwtStatus::Ok);
  EXPECT_EQ(v.verify(std::string_view(buf, len), "a=2", true, now).name, "jwt_verification");
  EXPECT_FALSE(v.verify(std::string_view(buf, len), "a=1", true, now));  // n3 was not burnt by the failure
  EXPECT_EQ(v.verify(std::string_view(buf, len), "a=1", true, now).name, "nonce_used");
  EXPECT_EQ(v.verify("Bearer abc.def", "", false, now).name, "jwt_verification");
  EXPECT_EQ(v.verify("Basic xyz", "", false, now).name, "jwt_verification");
  EXPECT_EQ(JwtVerifier::sha512Hex("").substr(0, 16), "cf83e1357eefb8bd");
}

TEST(ExchangeSimGroupLimits, eachGroupCountsItsOwnSecond) {
  GroupRateLimiter l;
  const common::TimestampNs t = 5'000'000'000;
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(l.admit("order", t));
  EXPECT_FALSE(l.admit("order", t + 999'999'999));
  EXPECT_EQ(l.header("order", t), "group=order; min=472; sec=0");
  EXPECT_TRUE(l.admit("default", t));
  EXPECT_TRUE(l.admit("order", t + 1'000'000'000));
  EXPECT_EQ(l.header("order", t + 1'000'000'000), "group=order; min=471; sec=7");
}

TEST_F(UpbitOrders, gapFaultSkipsATradeSequentialId) {
  start();
  Ws ws(sim->port(), "/websocket/v1");
  ASSERT_TRUE(ws.waitConnected());
  // Every market: the dropped trade is the next one of any market (sequential_id counts per market).
  ws.send(R"([{"ticket":"g"},{"type":"trade","codes":["KRW-BTC","KRW-ETH","KRW-USDT"],"is_only_realtime":true}])");
  const auto ids = [&] {
    std::map<std::string, std::vector<uint64_t>> byCode;
    size_t n = 0;
    for (const auto& f : ws.frames) {
      const Json j = Json::parse(f, nullptr, false);
      if (!j.is_object() || j.value("type", "") != "trade") continue;
      byCode[j["code"]].push_back(j["sequential_id"].get<uint64_t>());
      ++n;
    }
    return std::make_pair(n, byCode);
  };
  ASSERT_TRUE(ws.waitFor([&] { return ids().first >= 2; }, 20000));
  const size_t seen = ids().first;
  EXPECT_EQ(client->rest.call(HttpMethod::Post, "/sim/fault?kind=gap&count=1", {}, "").status, 200);
  ASSERT_TRUE(ws.waitFor([&] { return ids().first >= seen + 20; }, 20000));
  int jumps = 0;
  for (const auto& [code, v] : ids().second)
    for (size_t i = 1; i < v.size(); ++i) {
      EXPECT_GT(v[i], v[i - 1]) << code;
      if (v[i] != v[i - 1] + 1) ++jumps;
    }
  EXPECT_EQ(jumps, 1) << Json(ids().second).dump();  // exactly the one dropped trade
  EXPECT_EQ(state()["faults"]["gap"]["injected"], 1);
}

TEST(UpbitOrdersProcess, bithumbBinaryServesOrdersWithTheApiKeyFromItsSecretFile) {
  const std::string secretFile = "/tmp/exsim_bithumb_secret_" + std::to_string(getpid());
  {
    std::FILE* f = std::fopen(secretFile.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs(kSecret, f);
    std::fclose(f);
  }
  const std::string log = "/tmp/exsim_bithumb_" + std::to_string(getpid()) + ".log";
  hft::test::Process sim(hft::test::bin("exchange_simulator"),
                         {"--market", "bithumb", "--port", "0", "--api-key", kKey, "--api-secret-file", secretFile,
                          "--instruments", hft::test::sourceFile("config/instruments.json"), "--tick-rules",
                          hft::test::sourceFile("config/tick_rules/bithumb_krw.json")},
                         log);
  const uint16_t port = hft::test::listeningPort(sim);
  ASSERT_NE(port, 0) << sim.output();
  {
    Client c(port, api::bithumb::kBithumb);
    const Reply r = c.get("/v1/accounts");
    ASSERT_EQ(r.status, 200) << r.body;
    bool krw = false;
    for (const auto& a : Json::parse(r.body))
      krw = krw || (a["currency"] == "KRW" && a["balance"] == "100000000.00000000");
    EXPECT_TRUE(krw) << r.body;
    EXPECT_EQ(c.open(*registry().byVenueSymbol(common::ExchangeId::Bithumb, "KRW-ETH")).status, 200);
  }
  sim.signal(SIGTERM);
  EXPECT_EQ(sim.wait(15000), 0);
  EXPECT_EQ(sim.output().find(kSecret), std::string::npos) << "the secret reached the log";
  std::remove(secretFile.c_str());
  std::remove(log.c_str());
}

TEST_F(UpbitOrders, iocMarketSellAndBuyByAmountAreAnsweredInTheirFinalStateWithFeesInKrw) {
  start();
  const auto [bid, ask] = bestBidAsk();
  const auto before = client->totals();
  // IOC bid far through the ask: fills at the book's prices at once, answered "done".
  Reply r = client->limit(btc(), 801, common::Side::Buy, ask + kFar, kMilliBtc, common::TimeInForce::IOC);
  ASSERT_EQ(r.status, 201) << r.body;
  Json o = Json::parse(r.body);
  EXPECT_EQ(o["state"], "done") << o;
  EXPECT_EQ(o["time_in_force"], "ioc");
  EXPECT_EQ(o["executed_volume"], "0.00100000");
  const int64_t buyFunds = amount(o["executed_funds"]), buyFee = amount(o["paid_fee"]);
  EXPECT_GE(buyFee, buyFunds * 5 / 10000);
  EXPECT_LE(buyFee, buyFunds * 5 / 10000 + o["trades_count"].get<int64_t>());
  // An IOC bid under the book: nothing to take, answered "cancel".
  r = client->limit(btc(), 802, common::Side::Buy, bid - kFar, kMilliBtc, common::TimeInForce::IOC);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json::parse(r.body)["state"], "cancel");
  // Market sell (ord_type=market) of what was bought.
  common::OrderRequest sell{};
  sell.header = common::makeHeader<common::OrderRequest>(common::ExchangeId::Upbit, btc().id, 0, 0);
  sell.client_order_id = 803;
  sell.qty = kMilliBtc;
  sell.action = common::OrderAction::New;
  sell.side = common::Side::Sell;
  sell.type = common::OrderType::Market;
  sell.tif = common::TimeInForce::IOC;
  api::shared::QueryParams p;
  api::upbit::Endpoint ep;
  ASSERT_EQ(client->encoder.encodeNew(sell, btc(), p, ep), api::upbit::EncodeStatus::Ok);
  EXPECT_EQ(p.find("ord_type"), "market");
  r = client->send(ep, p);
  ASSERT_EQ(r.status, 201) << r.body;
  o = Json::parse(r.body);
  EXPECT_EQ(o["state"], "done") << o;
  EXPECT_TRUE(o["price"].is_null());
  const int64_t sellFunds = amount(o["executed_funds"]), sellFee = amount(o["paid_fee"]);
  // Buy for 10,000 KRW (ord_type=price): the volume the best ask gives, at market.
  common::OrderRequest buy = sell;
  buy.client_order_id = 804;
  buy.side = common::Side::Buy;
  ASSERT_EQ(client->encoder.encodeMarketBuyByAmount(buy, 10000, btc(), p, ep), api::upbit::EncodeStatus::Ok);
  r = client->send(ep, p);
  ASSERT_EQ(r.status, 201) << r.body;
  o = Json::parse(r.body);
  EXPECT_EQ(o["ord_type"], "price");
  EXPECT_TRUE(o["volume"].is_null());
  EXPECT_EQ(o["state"], "done") << o;
  const int64_t amountFunds = amount(o["executed_funds"]), amountFee = amount(o["paid_fee"]);
  EXPECT_LE(amountFunds, 10000LL * 100000000);
  EXPECT_GT(amountFunds, 0);
  int64_t got = 0;
  ASSERT_EQ(common::parseDecimal(o["executed_volume"].get<std::string>(), 8, got), common::ParseStatus::Ok);
  // Balances move by the fills and their KRW fees only.
  const auto after = client->totals();
  EXPECT_EQ(after.at("KRW") - before.at("KRW"), -buyFunds - buyFee + sellFunds - sellFee - amountFunds - amountFee);
  EXPECT_EQ(after.at("BTC") - before.at("BTC"), got);
  EXPECT_EQ(state()["open_orders"].size(), 0u);
}

// The shared byte-exact vectors (computed independently of this code): every token verifies with
// its secret and hashed query, and one flipped signature character is refused.
TEST(ExchangeSimJwt, verifierAcceptsTheSharedDerivedVectors) {
  const std::string path = "/work/shared/exchange-samples/upbit/auth/jwt_test_vectors_DERIVED.json";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << path << " absent";
  const Json doc = Json::parse(in);
  size_t checked = 0;
  for (const auto& v : doc.at("vectors")) {
    const Json payload = Json::parse(v.at("payload_json").get<std::string>());
    const bool bithumb = v.at("exchange") == "bithumb";
    const int64_t now = bithumb ? payload.at("timestamp").get<int64_t>() : 0;
    const std::string params = v.at("query_string_hashed");
    const std::string auth = v.at("authorization_header");
    JwtVerifier verifier;
    verifier.addKey(payload.at("access_key"), v.at("secret_key"));
    EXPECT_FALSE(verifier.verify(auth, params, bithumb, now)) << v.at("request");
    // A changed signature byte, and the same bytes spelled non-canonically (unused low bits of
    // the last character set), are both refused.
    for (const size_t back : {size_t{1}, size_t{10}}) {
      std::string tampered = auth;
      char& c = tampered[tampered.size() - back];
      c = c == 'A' ? 'B' : 'A';
      JwtVerifier fresh;
      fresh.addKey(payload.at("access_key"), v.at("secret_key"));
      EXPECT_EQ(fresh.verify(tampered, params, bithumb, now).name, "jwt_verification") << v.at("request") << back;
    }
    if (!params.empty()) {
      EXPECT_EQ(JwtVerifier::sha512Hex(params), v.at("query_hash_sha512_hex"));
    }
    ++checked;
  }
  EXPECT_GE(checked, 4u);
}
