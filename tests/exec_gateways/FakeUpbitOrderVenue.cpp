#include "FakeUpbitOrderVenue.h"

#include <utility>  // before Asio: boost 1.74 awaitable.hpp uses std::exchange without it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "api/exchanges/shared/JwtSigner.h"
#include "api/exchanges/shared/QueryParams.h"
#include "common/FixedPoint.h"

namespace hft::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using asio::redirect_error;
using asio::use_awaitable;

namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string base64UrlDecode(std::string_view in) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  std::string out;
  int buf = 0, bits = 0;
  for (char c : in) {
    const int v = val(c);
    if (v < 0) return {};
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xff));
    }
  }
  return out;
}

constexpr int kScale = 8;  // the fake keeps volumes at 8 decimals
int64_t dec(const std::string& s) {
  int64_t v = 0;
  if (common::parseDecimal(s, kScale, v) != common::ParseStatus::Ok) return -1;
  return v;
}
std::string txt(int64_t v) {
  char b[40];
  const size_t n = api::shared::formatShortestDecimal(v, kScale, b);
  return {b, n};
}

struct Order {
  std::string uuid, market, side, ordType, price, volume, identifier, tif;
  int64_t executed = 0;
  std::string state = "wait";
};

struct Reply {
  unsigned status = 200;
  std::string body;
  bool silent = false;
};

Reply venueError(unsigned status, const std::string& name, const std::string& message) {
  return {status, nlohmann::json{{"error", {{"name", name}, {"message", message}}}}.dump(), false};
}

}  // namespace

struct Session {
  std::deque<std::string> outbox;
  bool drop = false;
};

struct FakeUpbitOrderVenue::Impl {
  FakeUpbitOrderVenue& owner;
  api::upbit::Dialect dialect;
  std::string accessKey;
  api::shared::JwtSigner verifier;  // rebuilds tokens to check them (server thread only)
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::thread thread;
  mutable std::mutex mutex;
  std::map<std::string, Order> orders;  // by identifier
  std::map<std::string, int> orderRequests;
  std::vector<std::pair<std::string, std::string>> requests;  // method, target
  std::vector<std::string> subscriptions, payloads, bodies;
  std::set<std::string> nonces;
  std::vector<std::shared_ptr<Session>> sessions;
  UpbitFault fault = UpbitFault::None;
  int orderRemaining = 7;
  int queries429 = 0;
  uint64_t nextUuid = 1;

  Impl(FakeUpbitOrderVenue& o, const api::upbit::Dialect& d, std::string key, const std::string& secret)
      : owner(o), dialect(d), accessKey(key), verifier(d.jwtAlg, d.jwtClaims, key, secret) {}

  std::string newUuid() {
    char b[40];
    std::snprintf(b, sizeof b, "00000000-0000-4000-8000-%012llu", static_cast<unsigned long long>(nextUuid++));
    return b;
  }

  /// "" when the token is good; else the venue's error name. Caller holds the mutex.
  std::string verify(const std::string& authorization, const std::string& query) {
    const std::string prefix = "Bearer ";
    if (authorization.rfind(prefix, 0) != 0) return "jwt_verification";
    const std::string token = authorization.substr(prefix.size());
    const size_t d1 = token.find('.'), d2 = token.find('.', d1 + 1);
    if (d1 == std::string::npos || d2 == std::string::npos) return "jwt_verification";
    const std::string payloadText = base64UrlDecode(std::string_view(token).substr(d1 + 1, d2 - d1 - 1));
    const nlohmann::json p = nlohmann::json::parse(payloadText, nullptr, false);
    if (!p.is_object() || !p.contains("access_key") || !p.contains("nonce")) return "jwt_verification";
    payloads.push_back(payloadText);
    if (p["access_key"] != accessKey) return "invalid_access_key";
    const std::string nonce = p["nonce"].get<std::string>();
    int64_t ts = 0;
    if (dialect.jwtClaims == api::shared::JwtClaims::Bithumb) {
      if (!p.contains("timestamp") || !p["timestamp"].is_number_integer()) return "jwt_verification";
      ts = p["timestamp"].get<int64_t>();
      if (std::llabs(ts - nowMs()) > 30'000) return "jwt_verification";
    }
    if (!query.empty()) {
      char hash[api::shared::JwtSigner::kQueryHashHexChars];
      if (!verifier.queryHashHex(query, hash)) return "jwt_verification";
      if (!p.contains("query_hash") || p["query_hash"] != std::string(hash, sizeof hash) || p["query_hash_alg"] != "SHA512")
        return "jwt_verification";
    } else if (p.contains("query_hash")) {
      return "jwt_verification";
    }
    char expect[api::shared::JwtSigner::kMaxTokenChars];
    size_t len = 0;
    if (verifier.build(nonce, ts, query, expect, len) != api::shared::JwtStatus::Ok || token != std::string(expect, len))
      return "jwt_verification";
    if (!nonces.insert(nonce).second) return "nonce_used";
    return {};
  }

  nlohmann::json orderJson(const Order& o) const {
    const int64_t vol = dec(o.volume);
    nlohmann::json j = {{"uuid", o.uuid},
                        {"side", o.side},
                        {"ord_type", o.ordType},
                        {"price", o.price},
                        {"state", o.state},
                        {"market", o.market},
                        {"created_at", "2025-07-04T15:00:00+09:00"},
                        {"volume", o.volume},
                        {"remaining_volume", txt(o.state == "wait" ? vol - o.executed : 0)},
                        {"reserved_fee", "0"},
                        {"remaining_fee", "0"},
                        {"paid_fee", "0"},
                        {"locked", "0"},
                        {"executed_volume", txt(o.executed)},
                        {"trades_count", o.executed > 0 ? 1 : 0}};
    j[std::string(dialect.clientIdKey)] = o.identifier;
    if (!o.tif.empty()) j["time_in_force"] = o.tif;
    return j;
  }

  std::string myOrder(const Order& o, const std::string& state, const std::string& price, const std::string& volume) const {
    const int64_t remaining = dec(o.volume) - o.executed;
    std::string s = "{\"type\":\"myOrder\",\"code\":\"" + o.market + "\",\"uuid\":\"" + o.uuid + "\",\"ask_bid\":\"" +
                    (o.side == "bid" ? "BID" : "ASK") + "\",\"order_type\":\"" + o.ordType + "\",\"state\":\"" + state +
                    "\",\"trade_uuid\":" + (state == "trade" ? "\"trade-" + o.uuid + "\"" : "null") + ",\"price\":" + price +
                    ",\"avg_price\":" + price + ",\"volume\":" + volume + ",\"remaining_volume\":" + txt(state == "cancel" ? 0 : remaining) +
                    ",\"executed_volume\":" + txt(o.executed) + ",\"trades_count\":1,\"reserved_fee\":0,\"remaining_fee\":0," +
                    "\"paid_fee\":12.5,\"locked\":0,\"executed_funds\":0,\"time_in_force\":null,\"trade_fee\":" +
                    (state == "trade" ? "12.5" : "null") + ",\"is_maker\":true,\"" + std::string(dialect.clientIdKey) + "\":\"" +
                    o.identifier + "\",\"order_timestamp\":" + std::to_string(nowMs()) + ",\"timestamp\":" +
                    std::to_string(nowMs()) + ",\"stream_type\":\"REALTIME\"}";
    return s;
  }

  void push(const std::string& frame) {  // caller holds the mutex
    for (auto& s : sessions) s->outbox.push_back(frame);
  }

  Reply rest(const http::request<http::string_body>& req) {
    const std::string method(req.method_string());
    const std::string target(req.target());
    const size_t q = target.find('?');
    const std::string path = target.substr(0, q);
    const std::string query = q == std::string::npos ? "" : target.substr(q + 1);
    std::lock_guard lock(mutex);
    requests.emplace_back(method, target);
    // The string the JWT hashes: the query as sent, or the body's pairs in body order.
    std::string hashed = query;
    nlohmann::ordered_json body;
    if (method == "POST") {
      bodies.push_back(req.body());
      body = nlohmann::ordered_json::parse(req.body(), nullptr, false);
      if (!body.is_object()) return venueError(400, "invalid_parameter", "body is not a JSON object");
      hashed.clear();
      for (const auto& [k, v] : body.items()) {
        if (!hashed.empty()) hashed += '&';
        hashed += k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
      }
    }
    if (const std::string e = verify(std::string(req[http::field::authorization]), hashed); !e.empty()) {
      owner.jwtFailures_.fetch_add(1);
      return venueError(401, e, "jwt refused");
    }
    owner.verified_.fetch_add(1);
    std::map<std::string, std::string> params;
    for (size_t i = 0; i < query.size();) {
      const size_t amp = query.find('&', i);
      const std::string kv = query.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
      const size_t eq = kv.find('=');
      if (eq != std::string::npos) params[kv.substr(0, eq)] = kv.substr(eq + 1);
      if (amp == std::string::npos) break;
      i = amp + 1;
    }
    const std::string idKey(dialect.clientIdKey);
    auto findOrder = [&]() -> Order* {
      if (params.count(idKey)) {
        auto it = orders.find(params[idKey]);
        return it == orders.end() ? nullptr : &it->second;
      }
      if (params.count("uuid"))
        for (auto& [id, o] : orders)
          if (o.uuid == params["uuid"]) return &o;
      return nullptr;
    };
    if (method == "POST" && path == "/v1/orders") {
      const std::string id = body.value(idKey, std::string());
      if (id.empty()) return venueError(400, "invalid_parameter", idKey + " missing");
      ++orderRequests[id];
      if (orders.count(id)) return venueError(400, "invalid_parameter", idKey + " reused");
      const std::string side = body.value("side", std::string());
      const UpbitFault f = std::exchange(fault, UpbitFault::None);
      if (f == UpbitFault::InsufficientFunds) return venueError(400, side == "bid" ? "insufficient_funds_bid" : "insufficient_funds_ask", "no money");
      if (f == UpbitFault::InvalidPrice) return venueError(400, side == "bid" ? "invalid_price_bid" : "invalid_price_ask", "off tick");
      if (f == UpbitFault::TooMany429) return venueError(429, "too_many_requests", "slow down");
      Order o;
      o.uuid = newUuid();
      o.market = body.value("market", std::string());
      o.side = side;
      o.ordType = body.value("ord_type", std::string());
      o.price = body.value("price", std::string("0"));
      o.volume = body.value("volume", std::string("0"));
      o.tif = body.value("time_in_force", std::string());
      o.identifier = id;
      orders[id] = o;
      push(myOrder(o, "wait", o.price, o.volume));
      if (f == UpbitFault::Internal500) return venueError(500, "server_error", "internal");
      if (f == UpbitFault::Silence) return {200, "", true};
      return {201, orderJson(o).dump(), false};
    }
    if (method == "DELETE" && path == "/v1/order") {
      Order* o = findOrder();
      if (!o) return venueError(404, "order_not_found", "no such order");
      if (o->state != "wait") return venueError(400, "invalid_parameter", "order is not open");
      const nlohmann::json reply = orderJson(*o);
      o->state = "cancel";
      push(myOrder(*o, "cancel", o->price, o->volume));
      return {200, reply.dump(), false};
    }
    if (method == "GET" && path == "/v1/order") {
      if (queries429 > 0) {
        --queries429;
        return venueError(429, "too_many_requests", "slow down");
      }
      Order* o = findOrder();
      if (!o) return venueError(404, "order_not_found", "no such order");
      return {200, orderJson(*o).dump(), false};
    }
    if (method == "GET" && path == dialect.openOrdersPath) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& [id, o] : orders)
        if (o.state == "wait" && o.market == params["market"]) arr.push_back(orderJson(o));
      return {200, arr.dump(), false};
    }
    if (method == "GET" && path == "/v1/accounts") {
      return {200, R"([{"currency":"KRW","balance":"1000000.123456789","locked":"5000.0","avg_buy_price":"0","avg_buy_price_modified":false,"unit_currency":"KRW"},)"
                   R"({"currency":"BTC","balance":"0.5","locked":"0","avg_buy_price":"100000000","avg_buy_price_modified":false,"unit_currency":"KRW"}])",
              false};
    }
    return venueError(404, "not_found", "no route " + path);
  }

  asio::awaitable<void> wsWriter(websocket::stream<beast::tcp_stream>& ws, std::shared_ptr<Session> s, bool& done) {
    boost::system::error_code ec;
    asio::steady_timer timer(ioc);
    while (!done) {
      std::string frame;
      bool drop = false;
      {
        std::lock_guard lock(mutex);
        drop = s->drop;
        if (!s->outbox.empty()) {
          frame = std::move(s->outbox.front());
          s->outbox.pop_front();
        }
      }
      if (drop) {
        beast::get_lowest_layer(ws).socket().shutdown(tcp::socket::shutdown_both, ec);
        beast::get_lowest_layer(ws).close();
        co_return;
      }
      if (frame.empty()) {
        timer.expires_after(std::chrono::milliseconds(1));
        co_await timer.async_wait(redirect_error(use_awaitable, ec));
        continue;
      }
      co_await ws.async_write(asio::buffer(frame), redirect_error(use_awaitable, ec));
      if (ec) co_return;
    }
  }

  asio::awaitable<void> serveWs(beast::tcp_stream stream, http::request<http::string_body> req) {
    auto ws = std::make_shared<websocket::stream<beast::tcp_stream>>(std::move(stream));
    boost::system::error_code ec;
    co_await ws->async_accept(req, redirect_error(use_awaitable, ec));
    if (ec) co_return;
    ws->text(true);
    auto s = std::make_shared<Session>();
    {
      std::lock_guard lock(mutex);
      sessions.push_back(s);
    }
    owner.connections_.fetch_add(1);
    auto done = std::make_shared<bool>(false);
    asio::co_spawn(ioc, [this, ws, s, done]() -> asio::awaitable<void> { co_await wsWriter(*ws, s, *done); }, asio::detached);
    for (;;) {
      beast::flat_buffer b;
      co_await ws->async_read(b, redirect_error(use_awaitable, ec));
      if (ec) break;
      const std::string frame = beast::buffers_to_string(b.data());
      std::lock_guard lock(mutex);
      subscriptions.push_back(frame);
      if (frame == "PING") s->outbox.push_back(R"({"status":"UP"})");
    }
    *done = true;
    std::lock_guard lock(mutex);
    std::erase(sessions, s);
  }

  asio::awaitable<void> connection(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    for (;;) {
      http::request<http::string_body> req;
      co_await http::async_read(stream, buffer, req, redirect_error(use_awaitable, ec));
      if (ec) co_return;
      Reply r;
      if (websocket::is_upgrade(req)) {
        const std::string target(req.target());
        std::string refusal;
        {
          std::lock_guard lock(mutex);
          refusal = target == "/websocket/v1/private" || target == "/websocket/v2/private"
                        ? verify(std::string(req[http::field::authorization]), "")
                        : "not_found";
        }
        if (refusal.empty()) {
          co_await serveWs(std::move(stream), std::move(req));
          co_return;
        }
        owner.jwtFailures_.fetch_add(1);
        r = venueError(refusal == "not_found" ? 404 : 401, refusal, "upgrade refused");
      } else {
        r = rest(req);
      }
      if (r.silent) {  // never answer; the client times out and closes
        asio::steady_timer timer(ioc);
        timer.expires_after(std::chrono::seconds(30));
        co_await timer.async_wait(redirect_error(use_awaitable, ec));
        co_return;
      }
      http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
      res.set(http::field::content_type, "application/json;charset=UTF-8");
      {
        std::lock_guard lock(mutex);
        const bool orderGroup = req.method() == http::verb::post || req.method() == http::verb::delete_;
        res.set("Remaining-Req", std::string("group=") + (orderGroup ? "order" : "default") + "; min=1800; sec=" +
                                     std::to_string(orderGroup ? orderRemaining : 29));
      }
      res.body() = r.body;
      res.keep_alive(true);
      res.prepare_payload();
      co_await http::async_write(stream, res, redirect_error(use_awaitable, ec));
      if (ec) co_return;
    }
  }

  asio::awaitable<void> acceptLoop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(redirect_error(use_awaitable, ec));
      if (ec) co_return;
      asio::co_spawn(ioc, connection(std::move(socket)), asio::detached);
    }
  }
};

FakeUpbitOrderVenue::FakeUpbitOrderVenue(const api::upbit::Dialect& dialect, std::string accessKey, std::string secret)
    : impl_(std::make_unique<Impl>(*this, dialect, std::move(accessKey), secret)) {
  asio::co_spawn(impl_->ioc, impl_->acceptLoop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

FakeUpbitOrderVenue::~FakeUpbitOrderVenue() {
  impl_->ioc.stop();
  impl_->thread.join();
}

std::string FakeUpbitOrderVenue::restUrl() const {
  return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port());
}
std::string FakeUpbitOrderVenue::privateWsUrl() const {
  return "ws://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port()) +
         (impl_->dialect.exchange == common::ExchangeId::Bithumb ? "/websocket/v2/private" : "/websocket/v1/private");
}

void FakeUpbitOrderVenue::setNextOrderFault(UpbitFault f) {
  std::lock_guard lock(impl_->mutex);
  impl_->fault = f;
}
void FakeUpbitOrderVenue::setQueries429(int n) {
  std::lock_guard lock(impl_->mutex);
  impl_->queries429 = n;
}
void FakeUpbitOrderVenue::setOrderGroupRemaining(int sec) {
  std::lock_guard lock(impl_->mutex);
  impl_->orderRemaining = sec;
}

void FakeUpbitOrderVenue::fill(const std::string& identifier, const std::string& price, const std::string& volume) {
  std::lock_guard lock(impl_->mutex);
  Order& o = impl_->orders.at(identifier);
  o.executed += dec(volume);
  const bool complete = o.executed >= dec(o.volume);
  impl_->push(impl_->myOrder(o, "trade", price, volume));
  if (complete) {
    o.state = "done";
    impl_->push(impl_->myOrder(o, "done", o.price, o.volume));
  }
  impl_->push(R"({"type":"myAsset","asset_uuid":"a","assets":[{"currency":"KRW","balance":950000.5,"locked":0},)"
              R"({"currency":"BTC","balance":)" + volume + R"(,"locked":0}],"asset_timestamp":1,"timestamp":)" +
              std::to_string(nowMs()) + R"(,"stream_type":"REALTIME"})");
}

void FakeUpbitOrderVenue::fillSilently(const std::string& identifier) {
  std::lock_guard lock(impl_->mutex);
  Order& o = impl_->orders.at(identifier);
  o.executed = dec(o.volume);
  o.state = "done";
}

void FakeUpbitOrderVenue::dropPrivateStreams() {
  std::lock_guard lock(impl_->mutex);
  for (auto& s : impl_->sessions) s->drop = true;
}

int FakeUpbitOrderVenue::orderRequests(const std::string& identifier) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->orderRequests.find(identifier);
  return it == impl_->orderRequests.end() ? 0 : it->second;
}
int FakeUpbitOrderVenue::requestsTo(const std::string& method, const std::string& pathPrefix) const {
  std::lock_guard lock(impl_->mutex);
  int n = 0;
  for (const auto& [m, t] : impl_->requests)
    if (m == method && t.rfind(pathPrefix, 0) == 0) ++n;
  return n;
}
std::vector<std::string> FakeUpbitOrderVenue::subscriptions() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->subscriptions;
}
std::vector<std::string> FakeUpbitOrderVenue::lastJwtPayloads() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->payloads;
}
std::vector<std::string> FakeUpbitOrderVenue::postBodies() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->bodies;
}
std::string FakeUpbitOrderVenue::uuidOf(const std::string& identifier) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->orders.find(identifier);
  return it == impl_->orders.end() ? "" : it->second.uuid;
}

}  // namespace hft::test
