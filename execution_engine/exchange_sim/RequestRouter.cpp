#include "execution_engine/exchange_sim/RequestRouter.h"

#include <charconv>

namespace hft::execution_engine::exchange_sim {

using json::Json;

namespace {

enum class Security : uint8_t { None = 0, ApiKey = 1, Signed = 2 };

struct Route {
  const char* method;
  const char* path;
  const char* wsMethod;  ///< WebSocket API name, "" when none
  uint32_t weight;
  uint32_t orders;
  Security security;
};

// Documented request weights (spot rest-api.md / USD-M docs); depth weight depends on limit.
constexpr Route kRoutes[] = {
    {"GET", "/api/v3/ping", "ping", 1, 0, Security::None},
    {"GET", "/api/v3/time", "time", 1, 0, Security::None},
    {"GET", "/api/v3/exchangeInfo", "exchangeInfo", 20, 0, Security::None},
    {"GET", "/api/v3/depth", "depth", 5, 0, Security::None},
    {"POST", "/api/v3/order", "order.place", 1, 1, Security::Signed},
    {"DELETE", "/api/v3/order", "order.cancel", 1, 0, Security::Signed},
    {"GET", "/api/v3/order", "order.status", 4, 0, Security::Signed},
    {"GET", "/api/v3/openOrders", "openOrders.status", 6, 0, Security::Signed},
    {"POST", "/api/v3/order/cancelReplace", "order.cancelReplace", 1, 1, Security::Signed},
    {"GET", "/api/v3/account", "account.status", 20, 0, Security::Signed},
    {"GET", "/fapi/v1/ping", "", 1, 0, Security::None},
    {"GET", "/fapi/v1/time", "", 1, 0, Security::None},
    {"GET", "/fapi/v1/exchangeInfo", "", 1, 0, Security::None},
    {"GET", "/fapi/v1/depth", "", 5, 0, Security::None},
    {"POST", "/fapi/v1/order", "", 0, 1, Security::Signed},
    {"DELETE", "/fapi/v1/order", "", 1, 0, Security::Signed},
    {"GET", "/fapi/v1/order", "", 1, 0, Security::Signed},
    {"GET", "/fapi/v1/openOrders", "", 1, 0, Security::Signed},
    {"POST", "/fapi/v1/leverage", "", 1, 0, Security::Signed},
    {"POST", "/fapi/v1/marginType", "", 1, 0, Security::Signed},
    {"GET", "/fapi/v1/positionSide/dual", "", 30, 0, Security::Signed},
    {"POST", "/fapi/v1/positionSide/dual", "", 1, 0, Security::Signed},
    {"POST", "/fapi/v1/listenKey", "", 1, 0, Security::ApiKey},
    {"PUT", "/fapi/v1/listenKey", "", 1, 0, Security::ApiKey},
    {"DELETE", "/fapi/v1/listenKey", "", 1, 0, Security::ApiKey},
    {"GET", "/fapi/v2/balance", "", 5, 0, Security::Signed},
    {"GET", "/fapi/v3/balance", "", 5, 0, Security::Signed},
    {"GET", "/fapi/v2/positionRisk", "", 5, 0, Security::Signed},
    {"GET", "/fapi/v3/positionRisk", "", 5, 0, Security::Signed},
};

const Route* findRoute(std::string_view method, std::string_view path) noexcept {
  for (const Route& r : kRoutes)
    if (method == r.method && path == r.path) return &r;
  return nullptr;
}
const Route* findWsRoute(std::string_view wsMethod) noexcept {
  for (const Route& r : kRoutes)
    if (*r.wsMethod != '\0' && wsMethod == r.wsMethod) return &r;
  return nullptr;
}

VenueError err(int code, std::string msg, int http = 400) { return VenueError{http, code, std::move(msg)}; }

uint32_t depthWeight(bool spot, std::string_view limitText) {
  uint32_t limit = 100;
  if (!limitText.empty()) std::from_chars(limitText.data(), limitText.data() + limitText.size(), limit);
  if (spot) return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
  return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
}

bool isOrderPath(std::string_view path) { return path.find("/order") != std::string_view::npos; }

}  // namespace

RequestRouter::RequestRouter(Venue* venue, const CaptureFeed* capture, SignatureVerifier& keys, RateLimiter& limiter,
                             FaultInjector& faults, Clock wallClock, ServerControl control)
    : venue_(venue), capture_(capture), keys_(keys), limiter_(limiter), faults_(faults), wall_(std::move(wallClock)),
      control_(std::move(control)) {}

Json RequestRouter::rateLimitsJson(bool withCounts) const {
  const RateLimits& l = limiter_.limits();
  Json a = Json::array();
  Json w{{"rateLimitType", "REQUEST_WEIGHT"}, {"interval", "MINUTE"}, {"intervalNum", 1}, {"limit", l.weight_per_minute}};
  Json o10{{"rateLimitType", "ORDERS"}, {"interval", "SECOND"}, {"intervalNum", 10}, {"limit", l.orders_per_10s}};
  Json od{{"rateLimitType", "ORDERS"}, {"interval", "DAY"}, {"intervalNum", 1}, {"limit", l.orders_per_day}};
  if (withCounts) {
    w["count"] = limiter_.usedWeight();
    o10["count"] = limiter_.orders10s();
    od["count"] = limiter_.ordersDay();
  }
  a.push_back(std::move(w));
  a.push_back(std::move(o10));
  a.push_back(std::move(od));
  return a;
}

VenueError RequestRouter::checkSigned(const QueryString& q, std::string_view apiKey, std::string_view payload,
                                      std::string_view signature) {
  if (apiKey.empty()) return err(-2014, "API-key format invalid.", 401);
  if (!keys_.knowsKey(apiKey)) return err(-2015, "Invalid API-key, IP, or permissions for action.", 401);
  if (!q.has("timestamp")) return err(-1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
  int64_t ts = 0, recvWindow = 5000;
  const std::string_view t = q.get("timestamp");
  if (std::from_chars(t.data(), t.data() + t.size(), ts).ec != std::errc())
    return err(-1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
  if (q.has("recvWindow")) {
    const std::string_view w = q.get("recvWindow");
    if (std::from_chars(w.data(), w.data() + w.size(), recvWindow).ec != std::errc() || recvWindow < 0 ||
        recvWindow > 60000)
      return err(-1131, "recvWindow must be less than 60000");
  }
  const int64_t serverMs = wall_() / 1'000'000;
  if (faults_.take(FaultKind::Timestamp1021) || serverMs - ts > recvWindow)
    return err(-1021, "Timestamp for this request is outside of the recvWindow.");
  if (ts - serverMs >= 1000) return err(-1021, "Timestamp for this request was 1000ms ahead of the server's time.");
  if (signature.empty()) return err(-1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
  if (!keys_.verify(apiKey, payload, signature)) return err(-1022, "Signature for this request is not valid.");
  return {};
}

VenueError RequestRouter::dispatch(const std::string& method, const std::string& path, const QueryString& q,
                                   Json& result, bool& orderPlaced) {
  orderPlaced = false;
  const bool futures = path.rfind("/fapi/", 0) == 0;
  if (capture_) {
    if (path == "/api/v3/depth" || path == "/fapi/v1/depth") {
      if (capture_->snapshots().empty()) return err(-1121, "Invalid symbol.");
      result = Json::parse(capture_->snapshots().front().text);
      return {};
    }
    if (path.ends_with("/ping")) {
      result = Json::object();
      return {};
    }
    if (path.ends_with("/time")) {
      result = Json{{"serverTime", wall_() / 1'000'000}};
      return {};
    }
    return err(-1000, "Capture mode serves market data only.");
  }
  if (futures == venue_->spot()) return err(-1000, "This simulator serves the other market.", 404);
  if (path.ends_with("/ping")) {
    result = Json::object();
    return {};
  }
  if (path.ends_with("/time")) {
    result = Json{{"serverTime", wall_() / 1'000'000}};
    return {};
  }
  if (path.ends_with("/exchangeInfo")) {
    result = venue_->exchangeInfo(rateLimitsJson(false));
    return {};
  }
  if (path.ends_with("/depth")) {
    if (!q.has("symbol"))
      return err(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    const config::Instrument* inst = venue_->instrument(q.get("symbol"));
    if (!inst) return err(-1121, "Invalid symbol.");
    size_t limit = 100;
    if (q.has("limit")) {
      const std::string_view l = q.get("limit");
      std::from_chars(l.data(), l.data() + l.size(), limit);
    }
    result = venue_->depth(*inst, limit == 0 ? 100 : std::min<size_t>(limit, 5000));
    return {};
  }
  const int64_t transact = venue_->nowMs();
  if ((path == "/api/v3/order" || path == "/fapi/v1/order") && method == "POST") {
    const OrderRecord* o = nullptr;
    size_t first = 0;
    if (VenueError e = venue_->place(q, o, first)) return e;
    orderPlaced = true;
    if (futures) {
      result = json::futuresOrder(*o);
    } else {
      std::string resp(q.get("newOrderRespType"));
      if (resp.empty()) resp = (o->type == common::OrderType::Market || o->type == common::OrderType::Limit) ? "FULL" : "ACK";
      result = json::spotOrder(*o, resp, first, transact);
    }
    return {};
  }
  if ((path == "/api/v3/order" || path == "/fapi/v1/order") && method == "DELETE") {
    const OrderRecord* o = nullptr;
    std::string cancelId;
    if (VenueError e = venue_->cancel(q, o, cancelId)) return e;
    result = futures ? json::futuresOrder(*o) : json::spotCancel(*o, cancelId, transact);
    return {};
  }
  if ((path == "/api/v3/order" || path == "/fapi/v1/order") && method == "GET") {
    const OrderRecord* o = nullptr;
    if (VenueError e = venue_->query(q, o)) return e;
    result = futures ? json::futuresOrder(*o) : json::spotOrderQuery(*o);
    return {};
  }
  if (path.ends_with("/openOrders")) {
    if (q.has("symbol") && !venue_->instrument(q.get("symbol"))) return err(-1121, "Invalid symbol.");
    result = Json::array();
    for (const OrderRecord* o : venue_->openOrders(q.get("symbol")))
      result.push_back(futures ? json::futuresOrder(*o) : json::spotOrderQuery(*o));
    return {};
  }
  if (path == "/api/v3/order/cancelReplace") {
    // STOP_ON_FAILURE: cancel first; the new order is tried only when the cancel succeeded.
    QueryString cq;
    cq.add("symbol", std::string(q.get("symbol")));
    if (q.has("cancelOrigClientOrderId")) cq.add("origClientOrderId", std::string(q.get("cancelOrigClientOrderId")));
    if (q.has("cancelOrderId")) cq.add("orderId", std::string(q.get("cancelOrderId")));
    if (q.has("cancelNewClientOrderId")) cq.add("newClientOrderId", std::string(q.get("cancelNewClientOrderId")));
    const OrderRecord* canceled = nullptr;
    std::string cancelId;
    VenueError ce = venue_->cancel(cq, canceled, cancelId);
    if (ce) {
      VenueError e = err(-2022, "Order cancel-replace failed.");
      Json data{{"cancelResult", "FAILURE"},
                {"newOrderResult", "NOT_ATTEMPTED"},
                {"cancelResponse", json::error(ce.code, ce.msg)},
                {"newOrderResponse", nullptr}};
      result = Json{{"code", e.code}, {"msg", e.msg}, {"data", std::move(data)}};
      return e;
    }
    Json cancelJson = json::spotCancel(*canceled, cancelId, transact);
    const OrderRecord* placed = nullptr;
    size_t first = 0;
    VenueError pe = venue_->place(q, placed, first);
    if (pe) {
      VenueError e = err(-2021, "Order cancel-replace partially failed.");
      Json data{{"cancelResult", "SUCCESS"},
                {"newOrderResult", "FAILURE"},
                {"cancelResponse", std::move(cancelJson)},
                {"newOrderResponse", json::error(pe.code, pe.msg)}};
      result = Json{{"code", e.code}, {"msg", e.msg}, {"data", std::move(data)}};
      return e;
    }
    orderPlaced = true;
    std::string resp(q.get("newOrderRespType"));
    if (resp.empty()) resp = "FULL";
    result = Json{{"cancelResult", "SUCCESS"},
                  {"newOrderResult", "SUCCESS"},
                  {"cancelResponse", std::move(cancelJson)},
                  {"newOrderResponse", json::spotOrder(*placed, resp, first, transact)}};
    return {};
  }
  if (path == "/api/v3/account") {
    result = venue_->spotAccount();
    return {};
  }
  if (path.ends_with("/balance")) {
    result = venue_->futuresBalances();
    return {};
  }
  if (path.ends_with("/positionRisk")) {
    result = venue_->futuresPositions(q.get("symbol"));
    return {};
  }
  if (path == "/fapi/v1/leverage") {
    result = Json{{"leverage", std::stoi(std::string(q.get("leverage").empty() ? "10" : q.get("leverage")))},
                  {"maxNotionalValue", "1000000"},
                  {"symbol", std::string(q.get("symbol"))}};
    return {};
  }
  if (path == "/fapi/v1/marginType" || (path == "/fapi/v1/positionSide/dual" && method == "POST")) {
    result = Json{{"code", 200}, {"msg", "success"}};
    return {};
  }
  if (path == "/fapi/v1/positionSide/dual") {
    result = Json{{"dualSidePosition", false}};
    return {};
  }
  if (path == "/fapi/v1/listenKey") {
    if (method == "POST") {
      std::string key = "simListenKey" + std::to_string(nextListenKey_++);
      listenKeys_.insert(key);
      result = Json{{"listenKey", key}};
    } else if (method == "PUT") {
      if (listenKeys_.empty()) return err(-1125, "This listenKey does not exist.");
      result = Json::object();
    } else {
      listenKeys_.clear();
      result = Json::object();
    }
    return {};
  }
  return err(-1000, "Unknown endpoint.", 404);
}

HttpOut RequestRouter::control(const std::string& path, const QueryString& q, const std::string& method) {
  HttpOut out;
  out.headers.emplace_back("Content-Type", "application/json");
  if (path == "/sim/fault" && method == "POST") {
    FaultKind kind;
    if (!parseFaultKind(q.get("kind"), kind)) {
      out.status = 400;
      out.body = json::error(-1100, "unknown fault kind '" + std::string(q.get("kind")) +
                                        "' (disconnect, gap, http429, http5xx, slow, timestamp1021, "
                                        "drop_user_stream, expire_listen_key)")
                     .dump();
      return out;
    }
    uint32_t count = 1, ms = 0;
    const std::string_view c = q.get("count"), m = q.get("ms");
    if (!c.empty()) std::from_chars(c.data(), c.data() + c.size(), count);
    if (!m.empty()) std::from_chars(m.data(), m.data() + m.size(), ms);
    if (q.has("placed")) faults_.setPlaceOn5xx(q.get("placed") == "1");
    faults_.arm(kind, count, ms);
    // The connection faults act now; the others wait for the requests / frames they hit.
    if (kind == FaultKind::Disconnect && faults_.take(kind) && control_.disconnect_all) control_.disconnect_all();
    if (kind == FaultKind::DropUserStream && faults_.take(kind) && control_.drop_user_streams)
      control_.drop_user_streams();
    if (kind == FaultKind::ExpireListenKey && faults_.take(kind) && control_.expire_listen_keys)
      control_.expire_listen_keys();
    out.body = Json{{"armed", toString(kind)}, {"count", count}}.dump();
    return out;
  }
  if (path == "/sim/state" && method == "GET") {
    Json j = venue_ ? venue_->state() : upbitVenue_ ? upbitVenue_->desk().state() : Json::object();
    Json faults = Json::object();
    for (size_t i = 0; i < kFaultKinds; ++i) {
      const auto k = static_cast<FaultKind>(i);
      faults[toString(k)] = Json{{"armed", faults_.armed(k)}, {"injected", faults_.injected(k)}};
    }
    j["faults"] = std::move(faults);
    j["rate_limits"] = upbit_ ? Json::parse(upbit_->rateLimitsJson()) : rateLimitsJson(true);
    if (control_.stats) j["server"] = Json::parse(control_.stats());
    out.body = j.dump();
    return out;
  }
  out.status = 404;
  out.body = json::error(-1000, "Unknown control endpoint.").dump();
  return out;
}

HttpOut RequestRouter::http(const HttpIn& in) {
  const size_t qm = in.target.find('?');
  const std::string path = in.target.substr(0, qm);
  const std::string_view rawQuery =
      qm == std::string::npos ? std::string_view() : std::string_view(in.target).substr(qm + 1);
  const bool formBody = !in.body.empty() && in.content_type.find("json") == std::string::npos;
  QueryString q(rawQuery);
  if (formBody) q.append(in.body);
  if (path.rfind("/sim/", 0) == 0) return control(path, q, in.method);
  if (upbit_) return upbit_->http(in);

  HttpOut out;
  out.headers.emplace_back("Content-Type", "application/json;charset=UTF-8");
  out.delay_ms = faults_.takeSlowMs();
  const common::TimestampNs now = wall_();
  const Route* route = findRoute(in.method, path);
  const bool orderEndpoint = isOrderPath(path);
  auto finish = [&](unsigned status, const Json& body) {
    out.status = status;
    out.body = body.dump();
    out.headers.emplace_back("X-MBX-USED-WEIGHT-1M", std::to_string(limiter_.usedWeight()));
    if (orderEndpoint) {
      out.headers.emplace_back("X-MBX-ORDER-COUNT-10S", std::to_string(limiter_.orders10s()));
      out.headers.emplace_back("X-MBX-ORDER-COUNT-1D", std::to_string(limiter_.ordersDay()));
    }
    return out;
  };
  if (!route) return finish(404, json::error(-1000, "Unknown endpoint " + in.method + " " + path));
  if (faults_.take(FaultKind::Http429)) {
    out.headers.emplace_back("Retry-After", std::to_string(limiter_.retryAfterSeconds(now)));
    return finish(429, json::error(-1003, "Too many requests; current limit of IP(127.0.0.1) request weight is " +
                                              std::to_string(limiter_.limits().weight_per_minute) +
                                              " per 1 MINUTE. Please use WebSocket Streams for live updates to "
                                              "avoid polling the API."));
  }
  const bool spotPath = path.rfind("/api/", 0) == 0;
  const uint32_t weight = path.ends_with("/depth") ? depthWeight(spotPath, q.get("limit")) : route->weight;
  const bool newOrder = route->orders != 0;
  switch (limiter_.admit(now, weight, newOrder ? route->orders : 0)) {
    case RateLimiter::Verdict::WeightExceeded:
      out.headers.emplace_back("Retry-After", std::to_string(limiter_.retryAfterSeconds(now)));
      return finish(429, json::error(-1003, "Too many requests; current limit of IP(127.0.0.1) request weight is " +
                                                std::to_string(limiter_.limits().weight_per_minute) + " per 1 MINUTE."));
    case RateLimiter::Verdict::OrdersExceeded:
      return finish(429, json::error(-1015, "Too many new orders; current limit is " +
                                                std::to_string(limiter_.limits().orders_per_10s) + " orders per 10 SECOND."));
    case RateLimiter::Verdict::Ok: break;
  }
  if (route->security == Security::ApiKey) {
    if (in.api_key.empty()) return finish(401, json::error(-2014, "API-key format invalid."));
    if (!keys_.knowsKey(in.api_key)) return finish(401, json::error(-2015, "Invalid API-key, IP, or permissions for action."));
  } else if (route->security == Security::Signed) {
    const std::string payload = signedPayloadOf(rawQuery, formBody ? std::string_view(in.body) : std::string_view());
    if (VenueError e = checkSigned(q, in.api_key, payload, q.get("signature")))
      return finish(static_cast<unsigned>(e.http), json::error(e.code, e.msg));
  }
  const bool fail5xx = faults_.take(FaultKind::Http5xx);
  if (fail5xx && !(newOrder && faults_.placeOn5xx()))
    return finish(503, json::error(orderEndpoint ? -1007 : -1001,
                                   orderEndpoint ? "Timeout waiting for response from backend server. Send status "
                                                   "unknown; execution status unknown."
                                                 : "Internal error; unable to process your request. Please try again."));
  Json result;
  bool placed = false;
  VenueError e = dispatch(in.method, path, q, result, placed);
  if (fail5xx)  // the order went through (placed=1), but the client is told nothing useful
    return finish(503, json::error(-1007, "Timeout waiting for response from backend server. Send status unknown; "
                                          "execution status unknown."));
  if (e) return finish(static_cast<unsigned>(e.http), result.is_null() ? json::error(e.code, e.msg) : result);
  return finish(200, result);
}

WsApiOut RequestRouter::wsApi(std::string_view text) {
  WsApiOut out;
  out.delay_ms = faults_.takeSlowMs();
  Json req = Json::parse(text, nullptr, false);
  Json resp;
  if (req.is_discarded() || !req.is_object() || !req.contains("method")) {
    resp = Json{{"id", nullptr}, {"status", 400}, {"error", json::error(-1100, "Malformed request: expected {\"id\",\"method\",\"params\"}")}};
    out.text = resp.dump();
    return out;
  }
  resp["id"] = req.contains("id") ? req["id"] : Json(nullptr);
  const std::string method = req["method"].is_string() ? req["method"].get<std::string>() : std::string();
  std::vector<std::pair<std::string, std::string>> raw;
  QueryString q;
  if (req.contains("params") && req["params"].is_object())
    for (auto it = req["params"].begin(); it != req["params"].end(); ++it) {
      std::string v = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
      raw.emplace_back(it.key(), v);
      q.add(it.key(), std::move(v));
    }
  auto fail = [&](int status, int code, const std::string& msg) {
    resp["status"] = status;
    resp["error"] = json::error(code, msg);
    resp["rateLimits"] = rateLimitsJson(true);
    out.text = resp.dump();
    return out;
  };
  const common::TimestampNs now = wall_();
  const bool subscribe = method == "userDataStream.subscribe.signature";
  const Route* route = subscribe ? nullptr : findWsRoute(method);
  if (!subscribe && !route) return fail(400, -1000, "Unknown method '" + method + "'.");
  if (venue_ == nullptr) return fail(400, -1000, "Capture mode serves market data only.");
  if (!venue_->spot()) return fail(400, -1000, "The WebSocket API is spot only.");
  const uint32_t weight = route ? route->weight : 2;
  const uint32_t orders = route ? route->orders : 0;
  switch (limiter_.admit(now, weight, orders)) {
    case RateLimiter::Verdict::WeightExceeded: return fail(429, -1003, "Too many requests.");
    case RateLimiter::Verdict::OrdersExceeded: return fail(429, -1015, "Too many new orders.");
    case RateLimiter::Verdict::Ok: break;
  }
  if (subscribe || route->security == Security::Signed) {
    const std::string payload = SignatureVerifier::wsApiPayload(raw);
    if (VenueError e = checkSigned(q, q.get("apiKey"), payload, q.get("signature"))) return fail(e.http, e.code, e.msg);
  }
  if (subscribe) {
    out.subscribe_user = true;
    out.subscription_id = nextSubscriptionId_++;
    resp["status"] = 200;
    resp["result"] = Json{{"subscriptionId", out.subscription_id}};
    resp["rateLimits"] = rateLimitsJson(true);
    out.text = resp.dump();
    return out;
  }
  const std::string httpMethod = route->method;
  Json result;
  bool placed = false;
  std::string path = route->path;
  if (method == "openOrders.status") path = "/api/v3/openOrders";
  VenueError e = dispatch(httpMethod, path, q, result, placed);
  if (e) {
    resp["status"] = e.http;
    resp["error"] = result.is_null() ? json::error(e.code, e.msg) : result;
    resp["rateLimits"] = rateLimitsJson(true);
    out.text = resp.dump();
    return out;
  }
  resp["status"] = 200;
  resp["result"] = std::move(result);
  resp["rateLimits"] = rateLimitsJson(true);
  out.text = resp.dump();
  return out;
}

}  // namespace hft::execution_engine::exchange_sim
