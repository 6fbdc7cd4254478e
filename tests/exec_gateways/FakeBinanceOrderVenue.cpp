#include "FakeBinanceOrderVenue.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

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
#include <nlohmann/json.hpp>
#include <thread>

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

std::string hmacHex(const std::string& key, const std::string& payload) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(payload.data()),
       payload.size(), out, &len);
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned i = 0; i < len; ++i) {
    s.push_back(hex[out[i] >> 4]);
    s.push_back(hex[out[i] & 15]);
  }
  return s;
}

std::string decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::map<std::string, std::string> parseQuery(std::string_view q) {
  std::map<std::string, std::string> m;
  while (!q.empty()) {
    const size_t amp = q.find('&');
    const std::string_view kv = q.substr(0, amp);
    const size_t eq = kv.find('=');
    if (eq != std::string_view::npos) m[decode(kv.substr(0, eq))] = decode(kv.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return m;
}

struct Reply {
  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool silent = false;
};

Reply error(unsigned status, int code, const std::string& msg) {
  return {status, nlohmann::json{{"code", code}, {"msg", msg}}.dump(), {}, false};
}

}  // namespace

struct Session {
  std::deque<std::string> outbox;
  bool userData = false;  // receives pushed user-data events
  bool drop = false;
};

struct FakeBinanceOrderVenue::Impl {
  FakeBinanceOrderVenue& owner;
  bool futures;
  std::string apiKey, secret;
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::thread thread;
  mutable std::mutex mutex;
  std::map<std::string, FakeOrder> orders;
  std::map<std::string, int> orderRequests;
  std::vector<std::string> restTargets, wsApiFrames, listenKeys;
  std::vector<std::shared_ptr<Session>> sessions;
  NextOrderFault fault = NextOrderFault::None;
  int faultCount = 0;
  uint64_t nextOrderId = 1000;
  uint64_t nextTradeId = 1;
  bool keyExpired = false;

  Impl(FakeBinanceOrderVenue& o, bool fut, std::string key, std::string sec)
      : owner(o), futures(fut), apiKey(std::move(key)), secret(std::move(sec)) {}

  const char* prefix() const { return futures ? "/fapi/v1/" : "/api/v3/"; }

  // ---- venue state (mutex held) ----

  std::string orderJson(const FakeOrder& o) const {
    nlohmann::json j{{"symbol", o.symbol}, {"orderId", o.order_id}, {"clientOrderId", o.cid}, {"price", o.price},
                     {"origQty", o.qty}, {"executedQty", o.executed}, {"status", o.status}, {"timeInForce", o.tif},
                     {"type", o.type}, {"side", o.side}, {"stopPrice", "0"}, {"updateTime", nowMs()}};
    if (futures) {
      j["avgPrice"] = "0";
      j["cumQuote"] = "0";
      j["reduceOnly"] = false;
      j["positionSide"] = "BOTH";
      j["origType"] = o.type;
      j["time"] = nowMs();
    } else {
      j["orderListId"] = -1;
      j["cummulativeQuoteQty"] = "0";
      j["time"] = nowMs();
      j["isWorking"] = true;
      j["origQuoteOrderQty"] = "0";
    }
    return j.dump();
  }

  std::string ackJson(const FakeOrder& o) const {
    if (futures) return orderJson(o);  // USD-M answers with the order either way
    return nlohmann::json{{"symbol", o.symbol}, {"orderId", o.order_id}, {"orderListId", -1}, {"clientOrderId", o.cid},
                          {"transactTime", nowMs()}}
        .dump();
  }

  std::string eventFor(const FakeOrder& o, const char* exec, const std::string& lastQty, const std::string& lastPrice,
                       uint64_t tradeId) const {
    const int64_t t = nowMs();
    if (futures) {
      nlohmann::json ord{{"s", o.symbol}, {"c", o.cid}, {"S", o.side}, {"o", o.type}, {"f", o.tif}, {"q", o.qty},
                         {"p", o.price}, {"ap", lastPrice.empty() ? "0" : lastPrice}, {"sp", "0"}, {"x", exec},
                         {"X", o.status}, {"i", o.order_id}, {"l", lastQty.empty() ? "0" : lastQty}, {"z", o.executed},
                         {"L", lastPrice.empty() ? "0" : lastPrice}, {"N", "USDT"}, {"n", "0"}, {"T", t},
                         {"t", tradeId}, {"b", "0"}, {"a", "0"}, {"m", false}, {"R", false}, {"wt", "CONTRACT_PRICE"},
                         {"ot", o.type}, {"ps", "BOTH"}, {"cp", false}, {"rp", "0"}, {"pP", false}, {"si", 0}, {"ss", 0},
                         {"V", "NONE"}, {"pm", "NONE"}, {"gtd", 0}};
      return nlohmann::json{{"e", "ORDER_TRADE_UPDATE"}, {"E", t}, {"T", t}, {"o", ord}}.dump();
    }
    return nlohmann::json{{"e", "executionReport"}, {"E", t}, {"s", o.symbol}, {"c", o.cid}, {"S", o.side},
                          {"o", o.type}, {"f", o.tif}, {"q", o.qty}, {"p", o.price}, {"P", "0.00000000"},
                          {"F", "0.00000000"}, {"g", -1}, {"C", ""}, {"x", exec}, {"X", o.status}, {"r", "NONE"},
                          {"i", o.order_id}, {"l", lastQty.empty() ? "0.00000000" : lastQty}, {"z", o.executed},
                          {"L", lastPrice.empty() ? "0.00000000" : lastPrice}, {"n", "0"}, {"N", nullptr}, {"T", t},
                          {"t", tradeId ? static_cast<int64_t>(tradeId) : -1}, {"I", 1}, {"w", true}, {"m", false},
                          {"M", false}, {"O", t}, {"Z", "0.00000000"}, {"Y", "0.00000000"}, {"Q", "0.00000000"},
                          {"V", "NONE"}}
        .dump();
  }

  void push(const std::string& event) {  // mutex held
    const std::string frame = futures ? event : "{\"subscriptionId\":0,\"event\":" + event + "}";
    for (auto& s : sessions)
      if (s->userData) s->outbox.push_back(frame);
  }

  bool takeFault(NextOrderFault& f) {
    f = NextOrderFault::None;
    if (faultCount <= 0) return false;
    --faultCount;
    f = fault;
    return true;
  }

  /// New order from REST or the WebSocket API (params already authenticated).
  Reply placeOrder(const std::map<std::string, std::string>& p) {
    std::lock_guard lock(mutex);
    const std::string cid = p.count("newClientOrderId") ? p.at("newClientOrderId") : "";
    ++orderRequests[cid];
    NextOrderFault f;
    takeFault(f);
    if (f == NextOrderFault::Timestamp1021) return error(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
    if (f == NextOrderFault::TooMany429) {
      Reply r = error(429, -1003, "Too much request weight used; current limit is 6000 request weight per 1 MINUTE.");
      r.headers.emplace_back("Retry-After", std::to_string(owner.retryAfter_.load()));
      return r;
    }
    if (orders.count(cid)) return error(400, futures ? -4116 : -2010, "Duplicate order sent.");
    FakeOrder o;
    o.symbol = p.count("symbol") ? p.at("symbol") : "";
    o.cid = cid;
    o.side = p.count("side") ? p.at("side") : "";
    o.type = p.count("type") ? p.at("type") : "";
    o.tif = p.count("timeInForce") ? p.at("timeInForce") : "GTC";
    o.price = p.count("price") ? p.at("price") : "0";
    o.qty = p.count("quantity") ? p.at("quantity") : "0";
    o.order_id = nextOrderId++;
    orders[cid] = o;
    push(eventFor(o, "NEW", "", "", 0));
    if (f == NextOrderFault::Internal500) return {500, "", {}, false};
    if (f == NextOrderFault::Silence) return {200, "", {}, true};
    Reply r{200, ackJson(o), {}, false};
    r.headers.emplace_back("X-MBX-ORDER-COUNT-10S", "1");
    r.headers.emplace_back("X-MBX-ORDER-COUNT-1D", "1");
    return r;
  }

  Reply cancelOrder(const std::map<std::string, std::string>& p) {
    std::lock_guard lock(mutex);
    const std::string cid = p.count("origClientOrderId") ? p.at("origClientOrderId") : "";
    auto it = orders.find(cid);
    if (it == orders.end() || it->second.status != "NEW") return error(400, -2011, "Unknown order sent.");
    FakeOrder& o = it->second;
    o.status = "CANCELED";
    const std::string cancelId = p.count("newClientOrderId") ? p.at("newClientOrderId") : "venuecancel1";
    nlohmann::json j = nlohmann::json::parse(orderJson(o));
    if (!futures) {
      j["origClientOrderId"] = cid;
      j["clientOrderId"] = cancelId;
      j["transactTime"] = nowMs();
    }
    std::string ev = eventFor(o, "CANCELED", "", "", 0);
    if (!futures) {
      nlohmann::json e = nlohmann::json::parse(ev);
      e["c"] = cancelId;
      e["C"] = cid;
      ev = e.dump();
    }
    push(ev);
    return {200, j.dump(), {}, false};
  }

  /// Spot cancelReplace, STOP_ON_FAILURE: cancel the old order, then place the new one.
  Reply cancelReplace(std::map<std::string, std::string> p) {
    std::map<std::string, std::string> c{{"origClientOrderId", p.count("cancelOrigClientOrderId") ? p.at("cancelOrigClientOrderId") : ""}};
    const Reply cancel = cancelOrder(c);
    if (cancel.status != 200) {
      nlohmann::json data{{"cancelResult", "FAILURE"}, {"newOrderResult", "NOT_ATTEMPTED"},
                          {"cancelResponse", nlohmann::json::parse(cancel.body)}, {"newOrderResponse", nullptr}};
      return {400, nlohmann::json{{"code", -2022}, {"msg", "Order cancel-replace failed."}, {"data", data}}.dump(), {}, false};
    }
    const Reply placed = placeOrder(p);
    nlohmann::json j{{"cancelResult", "SUCCESS"}, {"newOrderResult", placed.status == 200 ? "SUCCESS" : "FAILURE"},
                     {"cancelResponse", nlohmann::json::parse(cancel.body)},
                     {"newOrderResponse", nlohmann::json::parse(placed.body.empty() ? "null" : placed.body)}};
    if (placed.status != 200)
      return {400, nlohmann::json{{"code", -2021}, {"msg", "Order cancel-replace partially failed."}, {"data", j}}.dump(), {}, false};
    return {200, j.dump(), {}, false};
  }

  /// USD-M batchOrders: each order placed (or refused) on its own; the reply lists them in order.
  Reply batchOrders(const std::map<std::string, std::string>& p) {
    const nlohmann::json list = nlohmann::json::parse(p.count("batchOrders") ? p.at("batchOrders") : "", nullptr, false);
    if (!list.is_array() || list.empty() || list.size() > 5) return error(400, -1130, "Data sent for parameter 'batchOrders' is not valid.");
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : list) {
      std::map<std::string, std::string> one;
      for (auto it = o.begin(); it != o.end(); ++it) one[it.key()] = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
      out.push_back(nlohmann::json::parse(placeOrder(one).body));
    }
    return {200, out.dump(), {}, false};
  }

  Reply queryOrder(const std::map<std::string, std::string>& p) {
    std::lock_guard lock(mutex);
    if (owner.silentQueries_.load() > 0) {
      owner.silentQueries_.fetch_sub(1);
      return {200, "", {}, true};
    }
    const std::string cid = p.count("origClientOrderId") ? p.at("origClientOrderId") : "";
    auto it = orders.find(cid);
    if (it == orders.end()) return error(400, -2013, "Order does not exist.");
    return {200, orderJson(it->second), {}, false};
  }

  Reply openOrders() {
    std::lock_guard lock(mutex);
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& [cid, o] : orders)
      if (o.status == "NEW" || o.status == "PARTIALLY_FILLED") arr.push_back(nlohmann::json::parse(orderJson(o)));
    return {200, arr.dump(), {}, false};
  }

  std::string exchangeInfo() const {
    nlohmann::json limits = nlohmann::json::array(
        {{{"rateLimitType", "REQUEST_WEIGHT"}, {"interval", "MINUTE"}, {"intervalNum", 1}, {"limit", 6000}},
         {{"rateLimitType", "ORDERS"}, {"interval", "SECOND"}, {"intervalNum", 10}, {"limit", 100}},
         {{"rateLimitType", "ORDERS"}, {"interval", "DAY"}, {"intervalNum", 1}, {"limit", 200000}}});
    nlohmann::json filters;
    if (futures) {
      filters = nlohmann::json::array(
          {{{"filterType", "PRICE_FILTER"}, {"minPrice", "556.80"}, {"maxPrice", "4529764"}, {"tickSize", "0.10"}},
           {{"filterType", "LOT_SIZE"}, {"minQty", "0.001"}, {"maxQty", "1000"}, {"stepSize", "0.001"}},
           {{"filterType", "MIN_NOTIONAL"}, {"notional", "5"}}});
    } else {
      filters = nlohmann::json::array(
          {{{"filterType", "PRICE_FILTER"}, {"minPrice", "0.01000000"}, {"maxPrice", "1000000.00000000"}, {"tickSize", "0.01000000"}},
           {{"filterType", "LOT_SIZE"}, {"minQty", "0.00001000"}, {"maxQty", "9000.00000000"}, {"stepSize", "0.00001000"}},
           {{"filterType", "NOTIONAL"}, {"minNotional", "5.00000000"}, {"applyMinToMarket", true},
            {"maxNotional", "9000000.00000000"}, {"applyMaxToMarket", false}, {"avgPriceMins", 5}}});
    }
    nlohmann::json sym{{"symbol", "BTCUSDT"}, {"status", "TRADING"}, {"baseAsset", "BTC"}, {"quoteAsset", "USDT"}, {"filters", filters}};
    return nlohmann::json{{"timezone", "UTC"}, {"serverTime", nowMs()}, {"rateLimits", limits},
                          {"exchangeFilters", nlohmann::json::array()}, {"symbols", nlohmann::json::array({sym})}}
        .dump();
  }

  // ---- REST ----

  Reply rest(const http::request<http::string_body>& req) {
    const std::string target(req.target());
    {
      std::lock_guard lock(mutex);
      restTargets.push_back(std::string(req.method_string()) + " " + target);
    }
    const size_t q = target.find('?');
    const std::string path = target.substr(0, q);
    const std::string query = q == std::string::npos ? "" : target.substr(q + 1);
    const std::string pre = prefix();
    if (path == pre + "ping") return {200, "{}", {}, false};
    if (path == pre + "time") return {200, nlohmann::json{{"serverTime", nowMs()}}.dump(), {}, false};
    if (path == pre + "exchangeInfo") return {200, exchangeInfo(), {}, false};
    const auto keyIt = req.find("X-MBX-APIKEY");
    if (keyIt == req.end() || std::string(keyIt->value()) != apiKey) return error(401, -2015, "Invalid API-key, IP, or permissions for action.");
    if (futures && path == "/fapi/v1/listenKey") {
      std::lock_guard lock(mutex);
      if (req.method() == http::verb::post) {
        listenKeys.push_back("key" + std::to_string(listenKeys.size() + 1) + "xyz");
        keyExpired = false;
        return {200, nlohmann::json{{"listenKey", listenKeys.back()}}.dump(), {}, false};
      }
      if (req.method() == http::verb::put) return keyExpired ? error(400, -1125, "This listenKey does not exist.") : Reply{200, "{}", {}, false};
      return {200, "{}", {}, false};
    }
    // Signed: HMAC of the query string before &signature=.
    const size_t sig = query.rfind("&signature=");
    if (sig == std::string::npos || hmacHex(secret, query.substr(0, sig)) != query.substr(sig + 11)) {
      owner.badSignatures_.fetch_add(1);
      return error(400, -1022, "Signature for this request is not valid.");
    }
    const auto p = parseQuery(query);
    if (!p.count("timestamp")) return error(400, -1102, "Mandatory parameter 'timestamp' was not sent.");
    Reply r;
    if (path == "/api/v3/order/cancelReplace" && req.method() == http::verb::post) r = cancelReplace(p);
    else if (path == "/fapi/v1/batchOrders" && req.method() == http::verb::post) r = batchOrders(p);
    else if (path == pre + "order" && req.method() == http::verb::post) r = placeOrder(p);
    else if (path == pre + "order" && req.method() == http::verb::delete_) r = cancelOrder(p);
    else if (path == pre + "order" && req.method() == http::verb::get) r = queryOrder(p);
    else if (path == pre + "openOrders") r = openOrders();
    else if (path == "/api/v3/account")
      r = {200, R"({"makerCommission":10,"canTrade":true,"balances":[{"asset":"BTC","free":"1.00000000","locked":"0.50000000"},{"asset":"USDT","free":"1000.12345678","locked":"0.00000000"}]})", {}, false};
    else if (path == "/fapi/v2/balance")
      r = {200, R"([{"accountAlias":"x","asset":"USDT","balance":"1000.00000000","crossWalletBalance":"1000","availableBalance":"900.00000000"}])", {}, false};
    else if (path == "/fapi/v3/positionRisk")
      r = {200, R"([{"symbol":"BTCUSDT","positionSide":"BOTH","positionAmt":"0.002","entryPrice":"50000.123456","unRealizedProfit":"1.5"}])", {}, false};
    else if (path == "/fapi/v1/leverage" || path == "/fapi/v1/marginType" || path == "/fapi/v1/positionSide/dual")
      r = {200, R"({"code":200,"msg":"success"})", {}, false};
    else r = error(404, -1, "not found");
    r.headers.emplace_back("X-MBX-USED-WEIGHT-1M", "10");
    return r;
  }

  // ---- WebSocket API ----

  std::string wsApi(const std::string& frame, Session& s) {
    {
      std::lock_guard lock(mutex);
      wsApiFrames.push_back(frame);
    }
    const nlohmann::json j = nlohmann::json::parse(frame, nullptr, false);
    if (!j.is_object() || !j.contains("id")) return R"({"id":null,"status":400,"error":{"code":-1102,"msg":"bad request"}})";
    const nlohmann::json id = j["id"];
    auto answer = [&](const Reply& r) {
      nlohmann::json out{{"id", id}, {"status", r.status}};
      if (r.status == 200) out["result"] = nlohmann::json::parse(r.body);
      else out["error"] = nlohmann::json::parse(r.body);
      if (r.status == 429 || r.status == 418)  // the WebSocket API says until when, in ms
        out["error"]["data"] = {{"serverTime", nowMs()}, {"retryAfter", nowMs() + 1000 * owner.retryAfter_.load()}};
      out["rateLimits"] = nlohmann::json::array(
          {{{"rateLimitType", "REQUEST_WEIGHT"}, {"interval", "MINUTE"}, {"intervalNum", 1}, {"limit", 6000}, {"count", 10}},
           {{"rateLimitType", "ORDERS"}, {"interval", "SECOND"}, {"intervalNum", 10}, {"limit", 100}, {"count", owner.wsOrderCount_.load()}}});
      return out.dump();
    };
    const std::string method = j.value("method", "");
    const nlohmann::json params = j.value("params", nlohmann::json::object());
    if (method == "time") return answer({200, nlohmann::json{{"serverTime", nowMs()}}.dump(), {}, false});
    // Signed: every param but signature, sorted by name, raw values.
    std::map<std::string, std::string> p;
    for (auto it = params.begin(); it != params.end(); ++it)
      p[it.key()] = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
    std::string payload;
    for (const auto& [k, v] : p) {
      if (k == "signature") continue;
      if (!payload.empty()) payload.push_back('&');
      payload.append(k).append("=").append(v);
    }
    if (!p.count("signature") || p.count("apiKey") == 0 || p["apiKey"] != apiKey || hmacHex(secret, payload) != p["signature"]) {
      owner.badSignatures_.fetch_add(1);
      return answer(error(400, -1022, "Signature for this request is not valid."));
    }
    if (method == "userDataStream.subscribe.signature") {
      {
        std::lock_guard lock(mutex);
        s.userData = true;
      }
      owner.subscriptions_.fetch_add(1);
      return answer({200, R"({"subscriptionId":0})", {}, false});
    }
    Reply r;
    if (method == "order.place") r = placeOrder(p);
    else if (method == "order.cancel") r = cancelOrder(p);
    else if (method == "order.status") r = queryOrder(p);
    else if (method == "order.cancelReplace") r = cancelReplace(p);
    else if (method == "openOrders.status") r = openOrders();
    else r = error(400, -1, "unknown method");
    if (r.silent) return {};
    if (r.status >= 500) return {};  // the WebSocket API has no 5xx: say nothing
    return answer(r);
  }

  // ---- plumbing ----

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
    const std::string target(req.target());
    const bool isUserStream = target.rfind("/private/ws/", 0) == 0;
    {
      std::lock_guard lock(mutex);
      if (isUserStream) s->userData = true;
      sessions.push_back(s);
    }
    if (isUserStream) owner.userConnections_.fetch_add(1);
    auto done = std::make_shared<bool>(false);
    asio::co_spawn(ioc, [this, ws, s, done]() -> asio::awaitable<void> { co_await wsWriter(*ws, s, *done); }, asio::detached);
    for (;;) {
      beast::flat_buffer b;
      co_await ws->async_read(b, redirect_error(use_awaitable, ec));
      if (ec) break;
      const std::string frame = beast::buffers_to_string(b.data());
      if (isUserStream) continue;
      const std::string reply = wsApi(frame, *s);
      if (reply.empty()) continue;
      std::lock_guard lock(mutex);
      s->outbox.push_back(reply);
    }
    *done = true;
    std::lock_guard lock(mutex);
    s->userData = false;
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
      if (websocket::is_upgrade(req)) {
        co_await serveWs(std::move(stream), std::move(req));
        co_return;
      }
      const Reply r = rest(req);
      if (r.silent) {  // never answer; the client times out and closes
        asio::steady_timer timer(ioc);
        timer.expires_after(std::chrono::seconds(30));
        co_await timer.async_wait(redirect_error(use_awaitable, ec));
        co_return;
      }
      http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
      res.set(http::field::content_type, "application/json;charset=UTF-8");
      for (const auto& [k, v] : r.headers) res.set(k, v);
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

FakeBinanceOrderVenue::FakeBinanceOrderVenue(bool futures, std::string apiKey, std::string secret)
    : impl_(std::make_unique<Impl>(*this, futures, std::move(apiKey), std::move(secret))) {
  asio::co_spawn(impl_->ioc, impl_->acceptLoop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

FakeBinanceOrderVenue::~FakeBinanceOrderVenue() {
  impl_->ioc.stop();
  impl_->thread.join();
}

std::string FakeBinanceOrderVenue::restUrl() const {
  return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port());
}
std::string FakeBinanceOrderVenue::wsUrl() const { return "ws://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port()); }
std::string FakeBinanceOrderVenue::wsApiUrl() const { return wsUrl() + "/ws-api/v3"; }

void FakeBinanceOrderVenue::setNextOrderFault(NextOrderFault f, int count) {
  std::lock_guard lock(impl_->mutex);
  impl_->fault = f;
  impl_->faultCount = count;
}

void FakeBinanceOrderVenue::fill(const std::string& cid, const std::string& price, const std::string& qty) {
  std::lock_guard lock(impl_->mutex);
  FakeOrder& o = impl_->orders.at(cid);
  o.executed = qty;
  o.status = "FILLED";
  impl_->push(impl_->eventFor(o, "TRADE", qty, price, impl_->nextTradeId++));
  const int64_t t = nowMs();
  if (impl_->futures) {
    impl_->push(nlohmann::json{{"e", "ACCOUNT_UPDATE"}, {"E", t}, {"T", t},
                               {"a", {{"m", "ORDER"}, {"B", nlohmann::json::array({{{"a", "USDT"}, {"wb", "950.00000000"}, {"cw", "950.00000000"}, {"bc", "0"}}})},
                                      {"P", nlohmann::json::array()}}}}
                    .dump());
  } else {
    impl_->push(nlohmann::json{{"e", "outboundAccountPosition"}, {"E", t}, {"u", t},
                               {"B", nlohmann::json::array({{{"a", "USDT"}, {"f", "950.00000000"}, {"l", "0.00000000"}}})}}
                    .dump());
  }
}

void FakeBinanceOrderVenue::fillSilently(const std::string& cid) {
  std::lock_guard lock(impl_->mutex);
  FakeOrder& o = impl_->orders.at(cid);
  o.executed = o.qty;
  o.status = "FILLED";
}

void FakeBinanceOrderVenue::pushUserEvent(const std::string& eventJson) {
  std::lock_guard lock(impl_->mutex);
  impl_->push(eventJson);
}

void FakeBinanceOrderVenue::dropUserStreams() {
  std::lock_guard lock(impl_->mutex);
  for (auto& s : impl_->sessions)
    if (s->userData) s->drop = true;
}

void FakeBinanceOrderVenue::expireListenKey() {
  std::lock_guard lock(impl_->mutex);
  impl_->keyExpired = true;
  const std::string key = impl_->listenKeys.empty() ? "" : impl_->listenKeys.back();
  impl_->push(nlohmann::json{{"e", "listenKeyExpired"}, {"E", nowMs()}, {"listenKey", key}}.dump());
}

int FakeBinanceOrderVenue::orderRequests(const std::string& cid) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->orderRequests.find(cid);
  return it == impl_->orderRequests.end() ? 0 : it->second;
}

int FakeBinanceOrderVenue::requestsTo(const std::string& pathPrefix) const {
  std::lock_guard lock(impl_->mutex);
  int n = 0;
  for (const auto& t : impl_->restTargets)
    if (t.rfind(pathPrefix, 0) == 0) ++n;
  return n;
}

std::vector<std::string> FakeBinanceOrderVenue::restTargets() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->restTargets;
}
std::vector<std::string> FakeBinanceOrderVenue::wsApiFrames() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->wsApiFrames;
}
std::vector<std::string> FakeBinanceOrderVenue::listenKeysIssued() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->listenKeys;
}
bool FakeBinanceOrderVenue::hasOrder(const std::string& cid) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->orders.count(cid) != 0;
}

}  // namespace hft::test
