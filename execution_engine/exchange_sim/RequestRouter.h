#pragma once
// Binance REST and WebSocket API requests -> the simulated venue, with the venue's checks in its
// order: fault injection (429 / 5xx / -1021), request weight and order counts, API key, timestamp
// and recvWindow, signature, then the endpoint. Also the control endpoints /sim/fault and
// /sim/state. Transport-free: the server hands in requests and sends back what it gets.
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "execution_engine/exchange_sim/BinanceJson.h"
#include "execution_engine/exchange_sim/CaptureFeed.h"
#include "execution_engine/exchange_sim/FaultInjector.h"
#include "execution_engine/exchange_sim/HttpMessages.h"
#include "execution_engine/exchange_sim/QueryString.h"
#include "execution_engine/exchange_sim/RateLimiter.h"
#include "execution_engine/exchange_sim/SignatureVerifier.h"
#include "execution_engine/exchange_sim/UpbitRouter.h"
#include "execution_engine/exchange_sim/UpbitVenue.h"
#include "execution_engine/exchange_sim/Venue.h"

namespace hft::execution_engine::exchange_sim {

struct WsApiOut {
  std::string text;
  uint32_t delay_ms = 0;
  bool subscribe_user = false;  ///< the session now receives user data under subscription_id
  uint64_t subscription_id = 0;
};

/// What the router asks of the transport (the server's sessions).
struct ServerControl {
  std::function<void()> disconnect_all;       ///< close every WebSocket connection
  std::function<void()> drop_user_streams;    ///< close the connections that carry user data
  std::function<void()> expire_listen_keys;   ///< listenKeyExpired on each listenKey stream, then close
  std::function<std::string()> stats;         ///< connections etc. as a JSON object text
};

class RequestRouter {
 public:
  using Clock = std::function<common::TimestampNs()>;  ///< wall clock, ns
  /// `capture` may be null (synthetic mode). Everything must outlive the router.
  RequestRouter(Venue* venue, const CaptureFeed* capture, SignatureVerifier& keys, RateLimiter& limiter,
                FaultInjector& faults, Clock wallClock, ServerControl control);

  /// The Upbit / Bithumb profile: REST goes to `upbit` (the Binance venue is then null); /sim/state
  /// shows its desk. Call once, before start.
  void setUpbit(UpbitRouter* upbit, const UpbitVenue* venue) noexcept {
    upbit_ = upbit;
    upbitVenue_ = venue;
  }

  HttpOut http(const HttpIn& in);
  WsApiOut wsApi(std::string_view text);

  bool listenKeyValid(std::string_view key) const { return listenKeys_.count(std::string(key)) != 0; }
  const std::set<std::string>& listenKeys() const noexcept { return listenKeys_; }
  void forgetListenKey(const std::string& key) { listenKeys_.erase(key); }

 private:
  struct Call;  // one request being handled (REST or WS API)
  json::Json rateLimitsJson(bool withCounts) const;
  VenueError checkSigned(const QueryString& q, std::string_view apiKey, std::string_view payload,
                         std::string_view signature);
  VenueError dispatch(const std::string& method, const std::string& path, const QueryString& q, json::Json& result,
                      bool& orderPlaced);
  HttpOut control(const std::string& path, const QueryString& q, const std::string& method);

  Venue* venue_;
  UpbitRouter* upbit_ = nullptr;
  const UpbitVenue* upbitVenue_ = nullptr;
  const CaptureFeed* capture_;
  SignatureVerifier& keys_;
  RateLimiter& limiter_;
  FaultInjector& faults_;
  Clock wall_;
  ServerControl control_;
  std::set<std::string> listenKeys_;
  uint64_t nextSubscriptionId_ = 0;
  uint64_t nextListenKey_ = 1;
};

}  // namespace hft::execution_engine::exchange_sim
