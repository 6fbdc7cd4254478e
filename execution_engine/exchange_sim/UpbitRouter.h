#pragma once
// The Upbit / Bithumb profile's REST, transport-free: quotation (GET /v1/orderbook, /v1/ticker,
// /v1/market/all) and order entry in the profile's dialect (POST /v1/orders, DELETE /v1/order,
// GET /v1/order, GET /v1/orders/open (Bithumb: GET /v1/orders), GET /v1/accounts), with the
// venue's checks in this order: slow fault; http429 fault and the group limits (429
// too_many_requests); JWT (401 jwt_verification / invalid_access_key / nonce_used); http5xx fault
// (500; placed=1: a new order is executed anyway); the endpoint (400/404 Upbit error names).
// Every private answer carries `Remaining-Req: group=<order|default>; min=<n>; sec=<n>`.
#include <functional>
#include <string>

#include "execution_engine/exchange_sim/FaultInjector.h"
#include "execution_engine/exchange_sim/GroupRateLimiter.h"
#include "execution_engine/exchange_sim/HttpMessages.h"
#include "execution_engine/exchange_sim/JwtVerifier.h"
#include "execution_engine/exchange_sim/UpbitVenue.h"

namespace hft::execution_engine::exchange_sim {

class UpbitRouter {
 public:
  using Clock = std::function<common::TimestampNs()>;  ///< wall clock, ns
  /// Everything must outlive the router.
  UpbitRouter(UpbitVenue& venue, JwtVerifier& jwt, FaultInjector& faults, Clock wallClock, uint32_t orderPerSecond = 8,
              uint32_t defaultPerSecond = 30);

  HttpOut http(const HttpIn& in);
  /// The private WebSocket upgrade's Authorization header (no query_hash; Bithumb: timestamp).
  JwtFailure authorizeStream(std::string_view authorization);
  /// The group limits and this second's counts (/sim/state rate_limits).
  std::string rateLimitsJson() const { return limiter_.stateJson(wall_()); }
  /// The string a POST body's query_hash covers: its key=value pairs joined by '&', in body order
  /// (string values as they are, others as JSON text). false when the body is not a JSON object.
  static bool bodyParams(const nlohmann::ordered_json& body, std::string& out);

 private:
  HttpOut quotation(const std::string& method, const std::string& path, const QueryString& q, HttpOut out);
  HttpOut orders(const HttpIn& in, const std::string& path, std::string_view rawQuery, HttpOut out);

  UpbitVenue& venue_;
  JwtVerifier& jwt_;
  FaultInjector& faults_;
  Clock wall_;
  GroupRateLimiter limiter_;
};

}  // namespace hft::execution_engine::exchange_sim
