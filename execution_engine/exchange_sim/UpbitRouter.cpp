#include "execution_engine/exchange_sim/UpbitRouter.h"

#include <charconv>

namespace hft::execution_engine::exchange_sim {

UpbitRouter::UpbitRouter(UpbitVenue& venue, JwtVerifier& jwt, FaultInjector& faults, Clock wallClock,
                         uint32_t orderPerSecond, uint32_t defaultPerSecond)
    : venue_(venue), jwt_(jwt), faults_(faults), wall_(std::move(wallClock)) {
  limiter_.setLimit("order", orderPerSecond);
  limiter_.setLimit("default", defaultPerSecond);
}

bool UpbitRouter::bodyParams(const nlohmann::ordered_json& body, std::string& out) {
  out.clear();
  if (!body.is_object()) return false;
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (!out.empty()) out.push_back('&');
    out.append(it.key()).push_back('=');
    out.append(it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
  }
  return true;
}

JwtFailure UpbitRouter::authorizeStream(std::string_view authorization) {
  return jwt_.verify(authorization, "", venue_.dialect().jwtClaims == api::shared::JwtClaims::Bithumb,
                     wall_() / 1'000'000);
}

HttpOut UpbitRouter::http(const HttpIn& in) {
  const size_t qm = in.target.find('?');
  const std::string path = in.target.substr(0, qm);
  const std::string_view rawQuery =
      qm == std::string::npos ? std::string_view() : std::string_view(in.target).substr(qm + 1);
  HttpOut out;
  out.headers.emplace_back("Content-Type", "application/json;charset=UTF-8");
  out.delay_ms = faults_.takeSlowMs();
  if (in.method == "GET" && (path == "/v1/orderbook" || path == "/v1/ticker" || path == "/v1/market/all"))
    return quotation(in.method, path, QueryString(rawQuery), std::move(out));
  return orders(in, path, rawQuery, std::move(out));
}

HttpOut UpbitRouter::orders(const HttpIn& in, const std::string& path, std::string_view rawQuery, HttpOut out) {
  const api::upbit::Dialect& d = venue_.dialect();
  UpbitOrderDesk& desk = venue_.desk();
  const std::string& m = in.method;
  const bool place = m == "POST" && path == d.newOrderPath;
  const bool cancel = m == "DELETE" && path == d.cancelPath;
  const bool query = m == "GET" && path == d.queryPath;
  const bool open = m == "GET" && path == d.openOrdersPath;
  const bool accounts = m == "GET" && path == "/v1/accounts";
  const char* group = place || cancel ? "order" : "default";
  const common::TimestampNs now = wall_();
  auto finish = [&](unsigned status, std::string body) {
    out.status = status;
    out.body = std::move(body);
    out.headers.emplace_back("Remaining-Req", limiter_.header(group, now));
    return std::move(out);
  };
  if (!(place || cancel || query || open || accounts))
    return finish(404, upbit_json::error("not_found", "Unknown endpoint " + m + " " + path));
  if (faults_.take(FaultKind::Http429) || !limiter_.admit(group, now)) {
    out.headers.emplace_back("Retry-After", "1");
    return finish(429, upbit_json::error("too_many_requests",
                                         std::string("Too many API requests (group ").append(group).append(")")));
  }
  // The string the query_hash covers: the query as sent (decoded), or the JSON body's pairs.
  nlohmann::ordered_json body;
  std::string params;
  if (place) {
    body = nlohmann::ordered_json::parse(in.body, nullptr, false);
    if (body.is_discarded() || !bodyParams(body, params))
      return finish(400, upbit_json::error("invalid_parameter", "the body must be a JSON object"));
  } else {
    params = QueryString::decode(rawQuery);
  }
  if (JwtFailure f =
          jwt_.verify(in.authorization, params, d.jwtClaims == api::shared::JwtClaims::Bithumb, now / 1'000'000))
    return finish(401, upbit_json::error(f.name, f.message));
  if (faults_.take(FaultKind::Http5xx)) {
    if (place && faults_.placeOn5xx()) {  // executed, but the client learns nothing: it must query
      const OrderRecord* o = nullptr;
      (void)desk.place(body, o);
    }
    return finish(500, upbit_json::error("server_error", "Internal server error."));
  }
  const QueryString q(rawQuery);
  const OrderRecord* o = nullptr;
  if (place) {
    if (UpbitError e = desk.place(body, o))
      return finish(static_cast<unsigned>(e.http), upbit_json::error(e.name, e.message));
    return finish(201, desk.orderJson(*o, false));
  }
  if (cancel) {
    if (UpbitError e = desk.cancel(q, o))
      return finish(static_cast<unsigned>(e.http), upbit_json::error(e.name, e.message));
    return finish(200, desk.orderJson(*o, false, "wait"));  // the cancel is pending; "cancel" comes on the stream
  }
  if (query) {
    if (UpbitError e = desk.query(q, o))
      return finish(static_cast<unsigned>(e.http), upbit_json::error(e.name, e.message));
    return finish(200, desk.orderJson(*o, true));
  }
  if (open) {
    const std::string_view market = q.get("market");
    if (!market.empty() && venue_.instrument(market) == nullptr)
      return finish(404, upbit_json::error("notfoundmarket", "market not found: " + std::string(market)));
    bool anyState = false, wait = false;  // states[] without wait (watch only): none of ours is reserved
    for (const auto& [k, v] : q.params())
      if (k == "states[]" || k == "state") {
        anyState = true;
        wait = wait || v == "wait";
      }
    const bool wantsWait = !anyState || wait;
    size_t limit = 100;
    if (q.has("limit")) {
      const std::string_view l = q.get("limit");
      if (std::from_chars(l.data(), l.data() + l.size(), limit).ec != std::errc() || limit == 0 || limit > 100)
        return finish(400, upbit_json::error("invalid_parameter", "limit must be 1..100"));
    }
    std::string text("[");
    if (wantsWait)
      for (const OrderRecord* r : desk.openOrders(market)) {
        if (limit-- == 0) break;
        if (text.size() > 1) text.push_back(',');
        text.append(desk.orderJson(*r, false));
      }
    text.push_back(']');
    return finish(200, std::move(text));
  }
  return finish(200, desk.accountsJson());
}

HttpOut UpbitRouter::quotation(const std::string& method, const std::string& path, const QueryString& q, HttpOut out) {
  auto finish = [&](unsigned status, std::string body) {
    out.status = status;
    out.body = std::move(body);
    // Upbit's quotation group header (RemainingReq.h parses it); this group is not throttled.
    out.headers.emplace_back("Remaining-Req", "group=market; min=600; sec=9");
    return std::move(out);
  };
  (void)method;
  if (faults_.take(FaultKind::Http429)) {
    out.headers.emplace_back("Retry-After", "1");
    return finish(429, upbit_json::error("too_many_requests", "Too many API requests."));
  }
  if (faults_.take(FaultKind::Http5xx))
    return finish(503, upbit_json::error("server_error", "Service temporarily unavailable."));
  if (path == "/v1/market/all") {
    std::string body("[");
    for (const config::Instrument* i : venue_.instruments()) {
      if (body.size() > 1) body.push_back(',');
      body.append(upbit_json::market(*i));
    }
    body.push_back(']');
    return finish(200, std::move(body));
  }
  const std::string_view markets = q.get("markets");
  if (markets.empty()) return finish(400, upbit_json::error("validation_error", "markets is required"));
  std::string body("[");
  size_t pos = 0;
  while (pos <= markets.size()) {
    size_t comma = markets.find(',', pos);
    if (comma == std::string_view::npos) comma = markets.size();
    const std::string_view code = markets.substr(pos, comma - pos);
    const config::Instrument* inst = venue_.instrument(code);
    if (inst == nullptr)
      return finish(404, upbit_json::error("not_found_market", "Code not found: " + std::string(code)));
    if (body.size() > 1) body.push_back(',');
    body.append(path == "/v1/orderbook" ? venue_.restOrderbook(*inst) : venue_.restTicker(*inst));
    pos = comma + 1;
  }
  body.push_back(']');
  return finish(200, std::move(body));
}

}  // namespace hft::execution_engine::exchange_sim
