#include "execution_engine/gateways/BinanceOrderGateway.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "api/net/BeastRestClient.h"
#include "api/net/BeastWebSocketClient.h"
#include "common/Clock.h"
#include "common/FixedPoint.h"
#include "common/log/HotLog.h"
#include "execution_engine/gateways/TopLevelJson.h"

namespace hft::execution_engine::gateways {

namespace bn = api::binance;
using common::ExecType;
using common::ExecutionReport;
using common::RejectReason;
using common::TimestampNs;
using interfaces::HttpMethod;
using interfaces::SendStatus;

namespace {

constexpr size_t kSignBytes = 8192;
constexpr size_t kWireBytes = 12288;
constexpr std::string_view kApiKeyHeader = "X-MBX-APIKEY";

bool isFinal(ExecType t) noexcept {
  return t == ExecType::Filled || t == ExecType::Canceled || t == ExecType::Rejected || t == ExecType::Expired;
}

HttpMethod toHttp(bn::HttpMethod m) noexcept {
  switch (m) {
    case bn::HttpMethod::Get: return HttpMethod::Get;
    case bn::HttpMethod::Post: return HttpMethod::Post;
    case bn::HttpMethod::Put: return HttpMethod::Put;
    case bn::HttpMethod::Delete: return HttpMethod::Delete;
  }
  return HttpMethod::Get;
}

/// Appends to a fixed buffer; `ok` turns false (and stays) when something did not fit.
struct Writer {
  char* buf;
  size_t cap;
  size_t len = 0;
  bool ok = true;
  void put(std::string_view s) noexcept {
    if (!ok || s.size() > cap - len) {
      ok = false;
      return;
    }
    std::memcpy(buf + len, s.data(), s.size());
    len += s.size();
  }
  void putUint(uint64_t v) noexcept {
    char tmp[24];
    size_t n = 0;
    do {
      tmp[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v);
    char out[24];
    for (size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
    put({out, n});
  }
  void putJsonString(std::string_view s) noexcept {  // values are ASCII from the encoder; escape anyway
    put("\"");
    for (char c : s) {
      if (c == '"' || c == '\\') put("\\");
      put({&c, 1});
    }
    put("\"");
  }
  std::string_view view() const noexcept { return {buf, len}; }
};

/// The authentication members that close a signed WebSocket API "params" object: apiKey,
/// recvWindow (when set), timestamp and signature, as RequestSigner::signWsApi signed them.
void putWsApiAuth(Writer& w, const bn::RequestSigner& signer, const bn::SignedRequest& sr) noexcept {
  w.put("\"apiKey\":");
  w.putJsonString(signer.apiKey());
  if (signer.recvWindowMs() > 0) {
    w.put(",\"recvWindow\":");
    w.putUint(static_cast<uint64_t>(signer.recvWindowMs()));
  }
  w.put(",\"timestamp\":");
  w.putUint(static_cast<uint64_t>(sr.timestampMs));
  w.put(",\"signature\":");
  w.putJsonString(sr.signature);
}

std::string trimUrl(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

/// Parses a venue decimal ("123.456789012") at `scale`, truncating digits beyond it (amounts
/// and average prices, not order prices: those must sit on the grid).
bool truncated(std::string_view text, int scale, int64_t& out) noexcept {
  const size_t dot = text.find('.');
  if (dot != std::string_view::npos && text.size() - dot - 1 > static_cast<size_t>(scale))
    text = text.substr(0, dot + (scale > 0 ? 1 + static_cast<size_t>(scale) : 0));
  return common::parseDecimal(text, scale, out) == common::ParseStatus::Ok;
}
bool amount(std::string_view text, int64_t& out) noexcept { return truncated(text, common::kAmountScale, out); }

}  // namespace

// ---- transport adapters -------------------------------------------------------------------

struct BinanceOrderGateway::RestHandler final : interfaces::IRestResponseHandler {
  BinanceOrderGateway& g;
  explicit RestHandler(BinanceOrderGateway& gw) : g(gw) {}
  void onResponse(const interfaces::RestResponse& r) noexcept override {
    const TimestampNs now = common::wallNowNs();
    if (g.limits_) {
      for (const auto& h : r.headers) (void)g.limits_->onHeader(h.name, h.value, now);
      if (r.ok()) g.limits_->onHttpStatus(r.status, r.header("Retry-After"), now);
    }
    if (PendingRequest* p = g.pending_.find(r.request_id)) g.onAnswer(*p, RequestAnswer::fromRest(r, now));
  }
};

struct BinanceOrderGateway::WsApiHandler final : interfaces::IWebSocketHandler {
  BinanceOrderGateway& g;
  explicit WsApiHandler(BinanceOrderGateway& gw) : g(gw) {}
  void onMessage(const interfaces::WsMessage& m) noexcept override { g.onWsApiMessage(m.text, m.recv_ns); }
  void onState(const interfaces::WsStateChange& c) noexcept override {
    using interfaces::WsState;
    if (c.state == WsState::Disconnected) {
      g.subscribed_ = false;
      g.wsApiUp_ = false;
      // Every request on that connection is now of unknown fate: forget them (no report, no
      // resend); the executor's timeout queries the orders over the new connection.
      g.pending_.forEachOpen([&](PendingRequest& p) {
        if (!p.via_ws || p.awaiting_resync) return;
        if (p.kind == RequestKind::Order) ++g.counters_.unknown_outcomes;
        const PendingRequest q = p;
        g.pending_.close(p);
        if (q.kind == RequestKind::Query) g.reask(q);  // a query is safe to ask again (over REST)
      });
      g.logEvent("binance order gateway: WebSocket API disconnected (reason {})", static_cast<uint64_t>(c.reason));
    } else if (c.state == WsState::Connected || c.state == WsState::Reconnected) {
      g.wsApiUp_ = true;
      if (c.state == WsState::Reconnected) {
        ++g.counters_.ws_api_reconnects;
        g.logEvent("binance order gateway: WebSocket API reconnected ({} reconnects)", g.counters_.ws_api_reconnects);
      }
      if (g.config_.market == bn::Market::Spot) {
        g.sendSubscribe();  // signed with a fresh timestamp: not a remembered (stale) frame
        if (c.state == WsState::Reconnected) {
          ++g.counters_.stream_resubscribes;
          g.requeryOpenOrders();  // spot user data lives on this connection
        }
      }
    }
  }
  void onSendDropped(uint64_t tag) noexcept override {
    if (PendingRequest* p = g.pending_.find(tag)) {
      Answer a;
      a.not_sent = true;
      g.onAnswer(*p, a);
    }
  }
};

struct BinanceOrderGateway::UserStreamHandler final : interfaces::IWebSocketHandler {
  BinanceOrderGateway& g;
  explicit UserStreamHandler(BinanceOrderGateway& gw) : g(gw) {}
  void onMessage(const interfaces::WsMessage& m) noexcept override { g.onUserData(m.text, m.recv_ns); }
  void onState(const interfaces::WsStateChange& c) noexcept override {
    if (c.state == interfaces::WsState::Connected) g.userStreamUp_ = true;
    if (c.state == interfaces::WsState::Reconnected) {
      ++g.counters_.user_stream_reconnects;
      g.logEvent("binance order gateway: user data stream reconnected ({} reconnects)", g.counters_.user_stream_reconnects);
      g.requeryOpenOrders();
    } else if (c.state == interfaces::WsState::Disconnected) {
      g.logEvent("binance order gateway: user data stream disconnected (reason {})", static_cast<uint64_t>(c.reason));
    }
  }
};

struct BinanceOrderGateway::ColdReply {
  interfaces::TransportOutcome outcome = interfaces::TransportOutcome::NotSent;
  int status = 0;
  std::string body;
  TimestampNs sent_ns = 0, received_ns = 0;
  bool answered = false;
  /// "" when a 200 arrived, else what failed (venue code and message, or the transport).
  std::string failure(std::string_view what) const {
    std::string s(what);
    if (!answered) return s.append(": no answer in time");
    if (outcome != interfaces::TransportOutcome::Ok) return s.append(": transport failure (outcome unknown)");
    if (status == 200) return {};
    s.append(": HTTP ").append(std::to_string(status)).append(" ");
    s.append(body.substr(0, 300));
    return s;
  }
};

// ---- construction -------------------------------------------------------------------------

BinanceOrderGateway::BinanceOrderGateway(BinanceOrderGatewayConfig config, const config::InstrumentRegistry& registry)
    : config_(std::move(config)),
      registry_(registry),
      resolver_(registry),
      encoder_(config_.market, bn::OrderRespType::Ack),
      pending_(config_.pending_capacity),
      live_(config_.live_order_capacity) {
  config_.rest_url = trimUrl(config_.rest_url);
  config_.ws_url = trimUrl(config_.ws_url);
  if (config_.rest_url.empty()) throw std::invalid_argument("binance order gateway: rest_url is empty");
  if (config_.api_key.empty()) throw std::invalid_argument("binance order gateway: the API key is missing");
  if (config_.api_secret.empty()) throw std::invalid_argument("binance order gateway: the API secret is missing");
  const bool spot = config_.market == bn::Market::Spot;
  if ((spot || config_.order_entry == OrderEntry::WsApi) && config_.ws_api_url.empty())
    throw std::invalid_argument("binance order gateway: ws_api_url is empty (spot user data and ws_api order entry use it)");
  if (!spot && config_.ws_url.empty()) throw std::invalid_argument("binance order gateway: ws_url is empty (futures user data)");
  if ((config_.hot_log == nullptr) != (config_.log_component == nullptr))
    throw std::invalid_argument("binance order gateway: hot_log and log_component go together");
  signer_ = std::make_unique<bn::RequestSigner>(config_.api_key, config_.api_secret.view(), config_.recv_window_ms);
  config_.api_secret.clear();  // the signer's locked page holds it now; wipe ours
  parser_ = std::make_unique<bn::OrderResponseParser>(resolver_);

  net::RestClientConfig rc;
  rc.base_url = config_.rest_url;
  rc.tls.verify_peer = config_.verify_tls;
  rc.connect_timeout_ns = config_.connect_timeout_ms * 1'000'000;
  rc.request_timeout_ns = config_.request_timeout_ms * 1'000'000;
  rc.max_in_flight = 64;
  rc.max_target_bytes = kWireBytes;
  rest_ = std::make_unique<net::BeastRestClient>(rc);
  rc.max_in_flight = 4;
  rc.request_timeout_ns = std::max<int64_t>(config_.request_timeout_ms, config_.start_timeout_ms) * 1'000'000;
  coldRest_ = std::make_unique<net::BeastRestClient>(rc);
  if (spot || config_.order_entry == OrderEntry::WsApi) {
    net::WebSocketClientConfig wc;
    wc.url = config_.ws_api_url;
    wc.tls.verify_peer = config_.verify_tls;
    wc.connect_timeout_ns = config_.connect_timeout_ms * 1'000'000;
    wc.idle_timeout_ns = config_.ws_idle_timeout_ms * 1'000'000;
    wc.max_send_bytes = kWireBytes;
    wsApi_ = std::make_unique<net::BeastWebSocketClient>(wc);
  }
  restHandler_ = std::make_unique<RestHandler>(*this);
  wsApiHandler_ = std::make_unique<WsApiHandler>(*this);
  userHandler_ = std::make_unique<UserStreamHandler>(*this);
  signBuf_ = std::make_unique<char[]>(kSignBytes);
  wireBuf_ = std::make_unique<char[]>(kWireBytes);
}

BinanceOrderGateway::~BinanceOrderGateway() { stop(); }

std::string BinanceOrderGateway::name() const {
  std::string n = config_.market == bn::Market::Spot ? "binance" : "binance_futures";
  return n.append(config_.order_entry == OrderEntry::WsApi ? ":ws_api" : ":rest");
}

void BinanceOrderGateway::logEvent(const char* pattern, uint64_t value) noexcept {
  if (config_.hot_log) (void)config_.hot_log->log(*config_.log_component, common::log::Level::Info, pattern, value);
}

// ---- start-up (cold) ----------------------------------------------------------------------

BinanceOrderGateway::ColdReply BinanceOrderGateway::cold(HttpMethod method, std::string_view path,
                                                         const bn::ParamList* params, bool sign, bool withKey) {
  ColdReply reply;
  std::string target(path);
  if (sign) {
    bn::ParamList empty;
    bn::SignedRequest sr;
    const bn::SignStatus st =
        signer_->signRest(params ? *params : empty, clock_.timestampMs(common::wallNowNs()), {signBuf_.get(), kSignBytes}, sr);
    if (st != bn::SignStatus::Ok) throw std::runtime_error(std::string("binance order gateway: cannot sign: ") + bn::toString(st));
    target.append("?").append(sr.text);
  } else if (params && params->size()) {
    target.append("?");
    for (size_t i = 0; i < params->size(); ++i) {
      if (i) target.append("&");
      target.append(params->key(i)).append("=").append(params->value(i));
    }
  }
  const interfaces::HttpHeader key{kApiKeyHeader, signer_->apiKey()};
  interfaces::RestRequest req;
  req.method = method;
  req.target = target;
  if (withKey) req.headers = {&key, 1};
  req.request_id = ++coldId_;  // a late answer to an earlier cold request that timed out is ignored
  if (coldRest_->submit(req) != interfaces::SubmitStatus::Queued) throw std::runtime_error("binance order gateway: cannot queue a start-up request");
  struct Catch final : interfaces::IRestResponseHandler {
    ColdReply& out;
    bn::RateLimitTracker* limits;
    uint64_t id;
    Catch(ColdReply& o, bn::RateLimitTracker* l, uint64_t i) : out(o), limits(l), id(i) {}
    void onResponse(const interfaces::RestResponse& r) noexcept override {
      if (r.request_id != id) return;
      out.answered = true;
      out.outcome = r.outcome;
      out.status = r.status;
      out.sent_ns = r.sent_ns;
      out.received_ns = r.received_ns;
      try {
        out.body.assign(r.body);
      } catch (...) {
      }
      if (limits) {
        const TimestampNs now = common::wallNowNs();
        for (const auto& h : r.headers) (void)limits->onHeader(h.name, h.value, now);
        if (r.ok()) limits->onHttpStatus(r.status, r.header("Retry-After"), now);
      }
    }
  } handler(reply, limits_.get(), coldId_);
  const int64_t deadline = common::monoNowNs() + std::max<int64_t>(config_.request_timeout_ms, config_.start_timeout_ms) * 1'000'000 + 1'000'000'000;
  while (!reply.answered && common::monoNowNs() < deadline) {
    if (coldRest_->poll(handler) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return reply;
}

void BinanceOrderGateway::start(interfaces::IExecutionSink& sink) {
  if (running_) throw std::runtime_error("binance order gateway: started twice");
  sink_ = &sink;
  const bool spot = config_.market == bn::Market::Spot;
  coldRest_->start();
  rest_->start();
  // 1. Clock: every signed request carries a timestamp in the venue's time.
  {
    const ColdReply r = cold(HttpMethod::Get, spot ? "/api/v3/time" : "/fapi/v1/time", nullptr, false, false);
    if (std::string f = r.failure("GET time"); !f.empty()) throw std::runtime_error("binance order gateway: " + f);
    const bn::ResponseResult res = parser_->parseRest(config_.market, r.body, r.received_ns);
    if (!res.ok() || res.kind != bn::ResponseKind::ServerTime || !clock_.onServerTime(parser_->serverTimeMs(), r.sent_ns, r.received_ns))
      throw std::runtime_error("binance order gateway: GET time: unusable answer");
    ++counters_.time_syncs;
  }
  // 2. exchangeInfo: filters for every configured instrument, and the rate limits.
  {
    const ColdReply r = cold(HttpMethod::Get, spot ? "/api/v3/exchangeInfo" : "/fapi/v1/exchangeInfo", nullptr, false, false);
    if (std::string f = r.failure("GET exchangeInfo"); !f.empty()) throw std::runtime_error("binance order gateway: " + f);
    if (std::string e = filters_.parse(config_.market, r.body, resolver_); !e.empty())
      throw std::runtime_error("binance order gateway: exchangeInfo: " + e);
    limits_ = std::make_unique<bn::RateLimitTracker>(filters_.rateLimits());
  }
  if (!spot) applyFuturesSettings();
  seenScratch_.reserve(live_.size() + config_.live_order_capacity / 2 + 1024);
  // 3. User data stream.
  if (wsApi_) wsApi_->start();
  if (spot) {
    const int64_t deadline = common::monoNowNs() + config_.start_timeout_ms * 1'000'000;
    subscribeRefusedStatus_ = 0;
    while (!subscribed_ && subscribeRefusedStatus_ == 0 && common::monoNowNs() < deadline) {
      if (wsApi_->poll(*wsApiHandler_) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (subscribeRefusedStatus_ != 0)
      throw std::runtime_error("binance order gateway: userDataStream.subscribe.signature refused with status " +
                               std::to_string(subscribeRefusedStatus_) + " (check the API key, secret and permissions)");
    if (!subscribed_) throw std::runtime_error("binance order gateway: userDataStream.subscribe.signature not confirmed in time");
  } else {
    if (wsApi_) {  // futures order entry on the WebSocket API: up before the first send()
      const int64_t deadline = common::monoNowNs() + config_.start_timeout_ms * 1'000'000;
      while (!wsApiUp_ && common::monoNowNs() < deadline) {
        if (wsApi_->poll(*wsApiHandler_) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      if (!wsApiUp_) throw std::runtime_error("binance order gateway: the WebSocket API did not connect in time");
    }
    connectUserStream();
    // Wait for the stream: an order placed before it is up could fill unseen.
    const int64_t deadline = common::monoNowNs() + config_.start_timeout_ms * 1'000'000;
    while (!userStreamUp_ && common::monoNowNs() < deadline) {
      if (userStream_->poll(*userHandler_) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (!userStreamUp_) throw std::runtime_error("binance order gateway: the user data stream did not connect in time");
  }
  running_ = true;
}

void BinanceOrderGateway::applyFuturesSettings() {
  auto check = [&](const ColdReply& r, std::string_view what, std::initializer_list<int> fineCodes) {
    if (r.answered && r.outcome == interfaces::TransportOutcome::Ok && r.status != 200) {
      const bn::ResponseResult res = parser_->parseRest(config_.market, r.body, r.received_ns);
      if (res.ok() && res.kind == bn::ResponseKind::VenueError)
        for (int c : fineCodes)
          if (parser_->error().code == c) return;  // "no need to change"
    }
    if (std::string f = r.failure(what); !f.empty()) throw std::runtime_error("binance order gateway: " + f);
  };
  bn::ParamList p;
  if (config_.dual_side_position >= 0) {
    p.clear();
    (void)p.add("dualSidePosition", config_.dual_side_position ? "true" : "false");
    check(cold(HttpMethod::Post, "/fapi/v1/positionSide/dual", &p, true, true), "POST positionSide/dual", {-4059});
  }
  for (const FuturesSymbolSettings& s : config_.symbols) {
    const config::Instrument* inst = registry_.byId(s.instrument);
    if (!inst || inst->exchange != venue()) throw std::runtime_error("binance order gateway: futures settings name an instrument not on binance_futures");
    if (s.margin_type != MarginType::Unchanged) {
      p.clear();
      (void)p.add("symbol", inst->venue_symbol);
      (void)p.add("marginType", s.margin_type == MarginType::Isolated ? "ISOLATED" : "CROSSED");
      check(cold(HttpMethod::Post, "/fapi/v1/marginType", &p, true, true), "POST marginType " + inst->venue_symbol, {-4046});
    }
    if (s.leverage > 0) {
      p.clear();
      (void)p.add("symbol", inst->venue_symbol);
      (void)p.addInt("leverage", s.leverage);
      check(cold(HttpMethod::Post, "/fapi/v1/leverage", &p, true, true), "POST leverage " + inst->venue_symbol, {});
    }
  }
}

void BinanceOrderGateway::connectUserStream() {
  const ColdReply r = cold(HttpMethod::Post, "/fapi/v1/listenKey", nullptr, false, true);
  if (std::string f = r.failure("POST listenKey"); !f.empty()) throw std::runtime_error("binance order gateway: " + f);
  const std::string_view key = json::stringContents(json::member(r.body, "listenKey"));
  if (key.empty()) throw std::runtime_error("binance order gateway: POST listenKey: no listenKey in the answer");
  listenKey_.assign(key);
  if (userStream_) userStream_->stop();
  net::WebSocketClientConfig wc;
  wc.url = config_.ws_url + "/private/ws/" + listenKey_;
  wc.tls.verify_peer = config_.verify_tls;
  wc.connect_timeout_ns = config_.connect_timeout_ms * 1'000'000;
  wc.idle_timeout_ns = config_.ws_idle_timeout_ms * 1'000'000;
  userStream_ = std::make_unique<net::BeastWebSocketClient>(wc);
  userStream_->start();
  nextKeepaliveMono_ = common::monoNowNs() + config_.listen_key_keepalive_ms * 1'000'000;
}

void BinanceOrderGateway::stop() noexcept {
  running_ = false;
  if (wsApi_) wsApi_->stop();
  if (userStream_) userStream_->stop();
  if (rest_) rest_->stop();
  if (coldRest_) coldRest_->stop();
}

// ---- sending (hot) ------------------------------------------------------------------------

bool BinanceOrderGateway::encodeFor(const PendingRequest& p, bn::Endpoint& ep) noexcept {
  if (p.kind == RequestKind::Batch) {
    const config::Instrument* insts[kMaxBatch];
    for (size_t i = 0; i < p.batch_count; ++i) insts[i] = registry_.byId(p.batch[i].header.instrument_id);
    return encoder_.encodeBatchNew({p.batch, p.batch_count}, {insts, p.batch_count}, params_, ep) == bn::EncodeStatus::Ok;
  }
  if (p.kind == RequestKind::Order) {
    const config::Instrument* inst = registry_.byId(p.request.header.instrument_id);
    return inst && encoder_.encode(p.request, *inst, params_, ep) == bn::EncodeStatus::Ok;
  }
  const config::Instrument* inst = registry_.byId(p.instrument);
  return inst && encoder_.encodeQuery(p.query_id, *inst, params_, ep) == bn::EncodeStatus::Ok;
}

bool BinanceOrderGateway::submitRest(HttpMethod method, std::string_view path, std::string_view query, bool withKey,
                                     uint64_t id) noexcept {
  Writer w{wireBuf_.get(), kWireBytes};
  w.put(path);
  if (!query.empty()) {
    w.put("?");
    w.put(query);
  }
  if (!w.ok) return false;
  const interfaces::HttpHeader key{kApiKeyHeader, signer_->apiKey()};
  interfaces::RestRequest req;
  req.method = method;
  req.target = w.view();
  if (withKey) req.headers = {&key, 1};
  req.request_id = id;
  return rest_->submit(req) == interfaces::SubmitStatus::Queued;
}

SendStatus BinanceOrderGateway::dispatch(PendingRequest& p, const bn::Endpoint& ep, TimestampNs now) noexcept {
  const int64_t ts = clock_.timestampMs(now);
  bn::SignedRequest sr;
  if (!p.via_ws) {
    if (signer_->signRest(params_, ts, {signBuf_.get(), kSignBytes}, sr) != bn::SignStatus::Ok ||
        !submitRest(toHttp(ep.method), ep.path, sr.text, true, p.id)) {
      pending_.close(p);
      return SendStatus::rejected(RejectReason::VenueUnavailable);
    }
  } else {
    if (signer_->signWsApi(params_, ts, {signBuf_.get(), kSignBytes}, sr) != bn::SignStatus::Ok) {
      pending_.close(p);
      return SendStatus::rejected(RejectReason::InvalidRequest);
    }
    Writer w{wireBuf_.get(), kWireBytes};
    w.put("{\"id\":\"");
    w.putUint(p.id);
    w.put("\",\"method\":");
    w.putJsonString(ep.wsMethod);
    w.put(",\"params\":{");
    for (size_t i = 0; i < params_.size(); ++i) {
      w.putJsonString(params_.key(i));
      w.put(":");
      w.putJsonString(params_.value(i));
      w.put(",");
    }
    putWsApiAuth(w, *signer_, sr);
    w.put("}}");
    if (!w.ok) {
      pending_.close(p);
      return SendStatus::rejected(RejectReason::InvalidRequest);
    }
    const interfaces::WsSendStatus st = wsApi_->send(w.view(), false, p.id);
    if (st != interfaces::WsSendStatus::Queued) {
      pending_.close(p);
      return st == interfaces::WsSendStatus::QueueFull ? SendStatus::throttled()
                                                       : SendStatus::rejected(RejectReason::VenueUnavailable);
    }
  }
  limits_->onSent(ep.weight, ep.orders, now);
  ++counters_.requests_sent;
  return SendStatus::sent();
}

SendStatus BinanceOrderGateway::send(const common::OrderRequest& request, TimestampNs localSendTs) noexcept {
  if (!running_) return SendStatus::rejected(RejectReason::VenueUnavailable);
  if (request.header.exchange_id != venue()) return SendStatus::rejected(RejectReason::InvalidRequest);
  const config::Instrument* inst = registry_.byId(request.header.instrument_id);
  if (!inst || inst->exchange != venue()) return SendStatus::rejected(RejectReason::UnknownInstrument);
  if (request.action != common::OrderAction::Cancel) {
    const bn::SymbolFilters* f = filters_.find(inst->id);
    if (!f) return SendStatus::rejected(RejectReason::UnknownInstrument);
    if (const RejectReason why = bn::check(request, *f, 0); why != RejectReason::None) {
      ++counters_.filter_rejects;
      return SendStatus::rejected(why);
    }
  }
  // A cancel must not overtake the batched orders before it; flushed before encoding, as the
  // flush reuses params_.
  if (batching() && request.action != common::OrderAction::New) flushBatch();
  bn::Endpoint ep;
  if (const bn::EncodeStatus es = encoder_.encode(request, *inst, params_, ep); es != bn::EncodeStatus::Ok)
    return SendStatus::rejected(bn::toRejectReason(es));
  const TimestampNs now = common::wallNowNs();
  if (!limits_->maySend(ep.weight, ep.orders, now).ok()) {
    ++counters_.throttled;
    return SendStatus::throttled();
  }
  if (batching()) {
    if (request.action == common::OrderAction::New) {
      if (batchCount_ == kMaxBatch) flushBatch();
      batch_[batchCount_] = request;
      batchTs_[batchCount_] = localSendTs;
      ++batchCount_;
      (void)live_.insert(request.client_order_id, inst->id, request.strategy_id);
      return SendStatus::sent();  // goes out at the next poll() (or when the batch is full)
    }
  }
  PendingRequest& p = pending_.open(RequestKind::Order);
  p.request = request;
  p.local_send_ts = localSendTs;
  p.via_ws = config_.order_entry == OrderEntry::WsApi;
  const SendStatus st = dispatch(p, ep, now);
  if (st.ok() && request.action != common::OrderAction::Cancel)
    (void)live_.insert(request.client_order_id, inst->id, request.strategy_id);
  return st;
}

SendStatus BinanceOrderGateway::query(common::InstrumentId instrument, common::ClientOrderId id) noexcept {
  if (!running_) return SendStatus::rejected(RejectReason::VenueUnavailable);
  const config::Instrument* inst = registry_.byId(instrument);
  if (!inst || inst->exchange != venue()) return SendStatus::rejected(RejectReason::UnknownInstrument);
  if (batching()) flushBatch();  // a query must not overtake the order it asks about
  bn::Endpoint ep;
  if (encoder_.encodeQuery(id, *inst, params_, ep) != bn::EncodeStatus::Ok) return SendStatus::rejected(RejectReason::InvalidRequest);
  const TimestampNs now = common::wallNowNs();
  if (!limits_->maySend(ep.weight, 0, now).ok()) {
    ++counters_.throttled;
    return SendStatus::throttled();
  }
  PendingRequest& p = pending_.open(RequestKind::Query);
  p.instrument = instrument;
  p.query_id = id;
  p.via_ws = config_.order_entry == OrderEntry::WsApi;
  return dispatch(p, ep, now);
}

// ---- answers (hot, inside poll) -----------------------------------------------------------

void BinanceOrderGateway::deferReject(const common::OrderRequest& r, TimestampNs localSendTs, RejectReason why) noexcept {
  if (deferredCount_ == kMaxDeferred) {
    ++counters_.deferred_rejects_lost;  // the executor's timeout will query it: UnknownOrder
    return;
  }
  PendingRequest& d = deferred_[deferredCount_];
  d = PendingRequest{};
  d.kind = RequestKind::Order;
  d.request = r;
  d.local_send_ts = localSendTs;
  deferredWhy_[deferredCount_++] = why;
}

void BinanceOrderGateway::flushBatch() noexcept {
  if (batchCount_ == 0) return;
  const size_t count = batchCount_;
  batchCount_ = 0;
  const TimestampNs now = common::wallNowNs();
  bn::Endpoint ep;
  if (count == 1) {  // a batch of one is a plain order (cheaper on the venue's limits)
    PendingRequest& p = pending_.open(RequestKind::Order);
    p.request = batch_[0];
    p.local_send_ts = batchTs_[0];
    const config::Instrument* inst = registry_.byId(p.request.header.instrument_id);
    if (!inst || encoder_.encode(p.request, *inst, params_, ep) != bn::EncodeStatus::Ok) {
      pending_.close(p);
      return deferReject(batch_[0], batchTs_[0], RejectReason::InvalidRequest);
    }
    if (const SendStatus st = dispatch(p, ep, now); !st.ok())
      deferReject(batch_[0], batchTs_[0], st.outcome == interfaces::SendOutcome::Throttled ? RejectReason::RateLimit : st.reason);
    return;
  }
  const config::Instrument* insts[kMaxBatch];
  for (size_t i = 0; i < count; ++i) insts[i] = registry_.byId(batch_[i].header.instrument_id);
  PendingRequest& p = pending_.open(RequestKind::Batch);
  p.batch_count = static_cast<uint8_t>(count);
  for (size_t i = 0; i < count; ++i) {
    p.batch[i] = batch_[i];
    p.batch_ts[i] = batchTs_[i];
  }
  RejectReason why = RejectReason::None;
  if (encoder_.encodeBatchNew({batch_, count}, {insts, count}, params_, ep) != bn::EncodeStatus::Ok) {
    why = RejectReason::InvalidRequest;
  } else if (!limits_->maySend(ep.weight, ep.orders, now).ok()) {
    ++counters_.throttled;
    why = RejectReason::RateLimit;
  } else if (const SendStatus st = dispatch(p, ep, now); !st.ok()) {
    why = st.outcome == interfaces::SendOutcome::Throttled ? RejectReason::RateLimit : st.reason;
  } else {
    ++counters_.batches_sent;
    return;
  }
  pending_.close(p);
  for (size_t i = 0; i < count; ++i) deferReject(batch_[i], batchTs_[i], why);
}

int BinanceOrderGateway::poll() noexcept {
  const uint64_t before = counters_.reports + counters_.balance_updates;
  flushBatch();
  for (size_t i = 0; i < deferredCount_; ++i) reject(deferred_[i], deferredWhy_[i]);
  deferredCount_ = 0;
  (void)rest_->poll(*restHandler_, 64);
  if (wsApi_) (void)wsApi_->poll(*wsApiHandler_, 64);
  if (userStream_) (void)userStream_->poll(*userHandler_, 64);
  if (userStream_ && running_) keepListenKeyAlive(common::monoNowNs());
  // What reached the sink: frames that delivered nothing (subscription acks, ...) are not counted.
  return static_cast<int>(counters_.reports + counters_.balance_updates - before);
}

void BinanceOrderGateway::deliver(ExecutionReport rep, const PendingRequest* p) noexcept {
  const LiveOrder* lo = live_.find(rep.client_order_id);
  if (!lo && rep.orig_client_order_id) lo = live_.find(rep.orig_client_order_id);
  if (p && p->kind == RequestKind::Order) {
    rep.strategy_id = p->request.strategy_id;
    rep.local_send_ts_ns = p->local_send_ts;
    // A spot REST New is answered with newOrderRespType ACK, which carries ids only: the ack
    // reports the terms we sent, so an ack says what was accepted, as every other venue's does.
    const common::OrderRequest& r = p->request;
    if (rep.exec_type == ExecType::New && r.action == common::OrderAction::New && rep.client_order_id == r.client_order_id) {
      if (rep.side == common::Side::None) rep.side = r.side;
      if (rep.order_price == 0) rep.order_price = r.price;
      if (rep.leaves_qty == 0 && rep.cum_qty == 0) rep.leaves_qty = r.qty;
      if (rep.order_type == common::OrderType{}) rep.order_type = r.type;
      if (rep.tif == common::TimeInForce{}) rep.tif = r.tif;
    }
  } else if (lo) {
    rep.strategy_id = lo->strategy;
  }
  if (isFinal(rep.exec_type)) {
    live_.erase(rep.client_order_id);
    if (rep.exec_type == ExecType::Canceled && rep.orig_client_order_id) live_.erase(rep.orig_client_order_id);
  }
  ++counters_.reports;
  sink_->onExecutionReport(rep);
}

void BinanceOrderGateway::reject(const PendingRequest& p, RejectReason why) noexcept {
  ExecutionReport rep = rejectionOf(p, venue(), why, common::wallNowNs());
  ++counters_.venue_rejects;
  deliver(rep, &p);
}

void BinanceOrderGateway::rejectAll(const PendingRequest& p, RejectReason why) noexcept {
  if (p.kind != RequestKind::Batch) return reject(p, why);
  for (size_t i = 0; i < p.batch_count; ++i) {
    PendingRequest one{};
    one.kind = RequestKind::Order;
    one.request = p.batch[i];
    one.local_send_ts = p.batch_ts[i];
    reject(one, why);
  }
}

void BinanceOrderGateway::onAnswer(PendingRequest& p, const Answer& a) noexcept {
  switch (p.kind) {
    case RequestKind::Order:
    case RequestKind::Query:
    case RequestKind::Batch: onOrderAnswer(p, a); return;
    case RequestKind::ServerTime: {
      pending_.close(p);
      timeSyncInFlight_ = false;
      if (a.delivered && a.status == 200) {
        const bn::ResponseResult res = parser_->parseRest(config_.market, a.body, a.received_ns);
        if (res.ok() && res.kind == bn::ResponseKind::ServerTime &&
            clock_.onServerTime(parser_->serverTimeMs(), a.sent_ns, a.received_ns)) {
          ++counters_.time_syncs;
          logEvent("binance order gateway: clock resynced after -1021 (offset {} ns)", static_cast<uint64_t>(clock_.offsetNs()));
        }
      }
      resendAfterResync();  // with the new offset, or the old one if the sync failed (then GiveUp)
      return;
    }
    case RequestKind::OpenOrders:
      pending_.close(p);
      if (a.delivered && a.status == 200) onOpenOrders(a);
      return;
    case RequestKind::ListenKeyPut: {
      pending_.close(p);
      if (a.delivered && a.status != 200) {
        const bn::ResponseResult res = parser_->parseRest(config_.market, a.body, a.received_ns);
        if (res.ok() && res.kind == bn::ResponseKind::VenueError && parser_->error().code == -1125) recreateListenKey();
      }
      return;
    }
    case RequestKind::ListenKeyPost: {
      pending_.close(p);
      const std::string_view key = a.delivered && a.status == 200 ? json::stringContents(json::member(a.body, "listenKey"))
                                                                   : std::string_view{};
      if (key.empty()) {
        nextKeepaliveMono_ = common::monoNowNs() + 1'000'000'000;  // try again in a second
        listenKey_.clear();
        return;
      }
      // Rare (the key expired): a new stream client on this thread; it allocates and joins.
      try {
        listenKey_.assign(key);
        if (userStream_) userStream_->stop();
        net::WebSocketClientConfig wc;
        wc.url = config_.ws_url + "/private/ws/" + listenKey_;
        wc.tls.verify_peer = config_.verify_tls;
        wc.connect_timeout_ns = config_.connect_timeout_ms * 1'000'000;
        wc.idle_timeout_ns = config_.ws_idle_timeout_ms * 1'000'000;
        userStream_ = std::make_unique<net::BeastWebSocketClient>(wc);
        userStream_->start();
        nextKeepaliveMono_ = common::monoNowNs() + config_.listen_key_keepalive_ms * 1'000'000;
        logEvent("binance order gateway: listenKey re-created, user stream resubscribed ({} times)", counters_.listen_key_recreations);
        requeryOpenOrders();  // events may have been missed while the key was dead
      } catch (...) {
        nextKeepaliveMono_ = common::monoNowNs() + 1'000'000'000;
        listenKey_.clear();
      }
      return;
    }
    case RequestKind::Subscribe:
      pending_.close(p);
      if (a.delivered && a.status == 200) {
        subscribed_ = true;
      } else {
        subscribeRefusedStatus_ = a.status ? a.status : -1;
        logEvent("binance order gateway: userDataStream.subscribe.signature refused (status {})", static_cast<uint64_t>(a.status));
      }
      return;
    case RequestKind::None: pending_.close(p); return;
  }
}

void BinanceOrderGateway::reask(const PendingRequest& q) noexcept {
  // A query changes nothing on the venue: asking again is safe (unlike an order). Over REST,
  // which stays usable when the WebSocket API is the connection that failed; a few times only.
  if (q.attempt >= kMaxQueryAttempts) {
    ++counters_.unknown_outcomes;
    return;
  }
  const config::Instrument* inst = registry_.byId(q.instrument);
  bn::Endpoint ep;
  if (!inst || encoder_.encodeQuery(q.query_id, *inst, params_, ep) != bn::EncodeStatus::Ok) return;
  PendingRequest& n = pending_.open(RequestKind::Query);
  n.instrument = q.instrument;
  n.query_id = q.query_id;
  n.attempt = static_cast<uint8_t>(q.attempt + 1);
  n.via_ws = false;
  ++counters_.query_retries;
  (void)dispatch(n, ep, common::wallNowNs());
}

void BinanceOrderGateway::onOrderAnswer(PendingRequest& p, const Answer& a) noexcept {
  if (p.kind == RequestKind::Query && (!a.delivered || a.status >= 500)) {
    const PendingRequest q = p;
    pending_.close(p);
    return reask(q);
  }
  if (!a.delivered) {
    if (a.not_sent && p.kind != RequestKind::Query) {
      rejectAll(p, RejectReason::VenueUnavailable);  // it never reached the venue
    } else {
      ++counters_.unknown_outcomes;  // the executor's timeout will query it
      logEvent("binance order gateway: request {} outcome unknown (transport), not resent", p.id);
    }
    pending_.close(p);
    return;
  }
  if (a.status >= 500) {
    ++counters_.unknown_outcomes;
    logEvent("binance order gateway: request {} outcome unknown (HTTP 5xx), not resent", p.id);
    pending_.close(p);
    return;
  }
  const bn::ResponseResult res = parser_->parseRest(config_.market, a.body, a.received_ns);
  if (!res.ok()) {
    ++counters_.parse_errors;
    ++counters_.unknown_outcomes;
    pending_.close(p);
    return;
  }
  switch (res.kind) {
    case bn::ResponseKind::VenueError: {
      const bn::VenueError& e = parser_->error();
      if (e.executionUnknown) {
        ++counters_.unknown_outcomes;
        break;
      }
      if (e.code == -1021) {
        if (clock_.onRejected(e.code, p.attempt) == bn::ServerTimeOffset::Retry::ResyncThenRetry) {
          p.awaiting_resync = true;  // the venue refused it: re-sending is not a double send
          requestTimeSync();
          return;
        }
      }
      if (p.kind == RequestKind::Query) {
        reject(p, e.code == -2013 ? RejectReason::UnknownOrder : e.reason);
      } else {
        const RejectReason why = a.status == 429 || a.status == 418 ? RejectReason::RateLimit
                                 : e.reason != RejectReason::None   ? e.reason
                                                                    : RejectReason::VenueRejected;
        rejectAll(p, why);
      }
      break;
    }
    case bn::ResponseKind::Order:
    case bn::ResponseKind::OrderAck:
      if (!parser_->reports().empty()) deliver(parser_->reports()[0], &p);
      break;
    case bn::ResponseKind::Batch: {
      // One item per order, in request order: a report or the venue's refusal of that order.
      const auto items = parser_->items();
      for (size_t i = 0; i < p.batch_count; ++i) {
        PendingRequest one{};
        one.kind = RequestKind::Order;
        one.request = p.batch[i];
        one.local_send_ts = p.batch_ts[i];
        if (i < items.size() && items[i].outcome == bn::ReplyItem::Outcome::Report) {
          deliver(items[i].report, &one);
        } else if (i < items.size() && items[i].outcome == bn::ReplyItem::Outcome::Error) {
          const RejectReason why = items[i].error.reason;
          reject(one, why == RejectReason::None ? RejectReason::VenueRejected : why);
        } else {
          ++counters_.unknown_outcomes;  // the reply did not say: the executor's timeout queries it
        }
      }
      break;
    }
    case bn::ResponseKind::CancelReplace: {
      const auto items = parser_->items();
      if (!items.empty() && items[0].outcome == bn::ReplyItem::Outcome::Report) deliver(items[0].report, &p);
      if (items.size() > 1) {
        const bn::ReplyItem& n = items[1];
        if (n.outcome == bn::ReplyItem::Outcome::Report) {
          ExecutionReport rep = n.report;
          if (rep.orig_client_order_id == 0) rep.orig_client_order_id = p.request.orig_client_order_id;
          deliver(rep, &p);
        } else {
          const RejectReason why = n.outcome == bn::ReplyItem::Outcome::Error ? n.error.reason
                                   : items[0].outcome == bn::ReplyItem::Outcome::Error ? items[0].error.reason
                                                                                          : RejectReason::VenueRejected;
          reject(p, why == RejectReason::None ? RejectReason::VenueRejected : why);  // the new order's id
        }
      }
      break;
    }
    default:
      ++counters_.parse_errors;
      ++counters_.unknown_outcomes;
      break;
  }
  pending_.close(p);
}

void BinanceOrderGateway::requestTimeSync() noexcept {
  if (timeSyncInFlight_) return;
  PendingRequest& t = pending_.open(RequestKind::ServerTime);
  if (!submitRest(HttpMethod::Get, config_.market == bn::Market::Spot ? "/api/v3/time" : "/fapi/v1/time", {}, false, t.id)) {
    pending_.close(t);
    resendAfterResync();
    return;
  }
  timeSyncInFlight_ = true;
}

void BinanceOrderGateway::resendAfterResync() noexcept {
  pending_.forEachOpen([&](PendingRequest& p) {
    if (!p.awaiting_resync) return;
    // Re-sent under a fresh request id with the same client order id and a fresh timestamp.
    PendingRequest copy = p;
    pending_.close(p);
    PendingRequest& n = pending_.open(copy.kind);
    const uint64_t id = n.id;
    n = copy;
    n.id = id;
    n.awaiting_resync = false;
    n.attempt = static_cast<uint8_t>(copy.attempt + 1);
    bn::Endpoint ep;
    if (!encodeFor(n, ep)) {
      rejectAll(n, RejectReason::InvalidRequest);
      pending_.close(n);
      return;
    }
    ++counters_.timestamp_retries;
    if (!dispatch(n, ep, common::wallNowNs()).ok()) rejectAll(copy, RejectReason::VenueUnavailable);
  });
}

void BinanceOrderGateway::onOpenOrders(const Answer& a) noexcept {
  seenScratch_.clear();
  (void)json::forEachElement(a.body, [&](std::string_view element) {
    const bn::ResponseResult res = parser_->parseRest(config_.market, element, a.received_ns);
    if (!res.ok() || (res.kind != bn::ResponseKind::Order && res.kind != bn::ResponseKind::OrderAck) || parser_->reports().empty()) {
      if (res.status != bn::ResponseStatus::UnknownSymbol) ++counters_.parse_errors;
      return;
    }
    const ExecutionReport& rep = parser_->reports()[0];
    if (rep.client_order_id == 0) return;  // not one of ours
    if (seenScratch_.size() < seenScratch_.capacity()) seenScratch_.push_back(rep.client_order_id);
    // The order's current state: a repeat if nothing changed (the OMS ignores repeats by
    // cum_qty), news if it filled partly while we were not listening.
    deliver(rep, nullptr);
  });
  // Orders we believed live that the venue no longer lists ended while we were away: ask.
  live_.forEach([&](const LiveOrder& o) {
    if (std::find(seenScratch_.begin(), seenScratch_.end(), o.id) != seenScratch_.end()) return;
    ++counters_.resync_queries;
    (void)query(o.instrument, o.id);
  });
}

void BinanceOrderGateway::requeryOpenOrders() noexcept {
  ++counters_.open_order_resyncs;
  logEvent("binance order gateway: re-querying open orders after a reconnect ({} resyncs)", counters_.open_order_resyncs);
  params_.clear();
  bn::SignedRequest sr;
  if (signer_->signRest(params_, clock_.timestampMs(common::wallNowNs()), {signBuf_.get(), kSignBytes}, sr) != bn::SignStatus::Ok)
    return;
  PendingRequest& p = pending_.open(RequestKind::OpenOrders);
  if (!submitRest(HttpMethod::Get, config_.market == bn::Market::Spot ? "/api/v3/openOrders" : "/fapi/v1/openOrders",
                  sr.text, true, p.id))
    pending_.close(p);
}

void BinanceOrderGateway::sendSubscribe() noexcept {
  params_.clear();
  bn::SignedRequest sr;
  if (signer_->signWsApi(params_, clock_.timestampMs(common::wallNowNs()), {signBuf_.get(), kSignBytes}, sr) != bn::SignStatus::Ok)
    return;
  PendingRequest& p = pending_.open(RequestKind::Subscribe);
  p.via_ws = true;
  Writer w{wireBuf_.get(), kWireBytes};
  w.put("{\"id\":\"");
  w.putUint(p.id);
  w.put("\",\"method\":\"userDataStream.subscribe.signature\",\"params\":{");
  putWsApiAuth(w, *signer_, sr);
  w.put("}}");
  if (!w.ok || wsApi_->send(w.view(), false, p.id) != interfaces::WsSendStatus::Queued) pending_.close(p);
}

void BinanceOrderGateway::recreateListenKey() noexcept {
  ++counters_.listen_key_recreations;
  PendingRequest& p = pending_.open(RequestKind::ListenKeyPost);
  if (!submitRest(HttpMethod::Post, "/fapi/v1/listenKey", {}, true, p.id)) pending_.close(p);
  nextKeepaliveMono_ = common::monoNowNs() + config_.listen_key_keepalive_ms * 1'000'000;
}

void BinanceOrderGateway::keepListenKeyAlive(int64_t monoNow) noexcept {
  if (monoNow < nextKeepaliveMono_) return;
  nextKeepaliveMono_ = monoNow + config_.listen_key_keepalive_ms * 1'000'000;
  if (listenKey_.empty()) return recreateListenKey();
  ++counters_.listen_key_keepalives;
  PendingRequest& p = pending_.open(RequestKind::ListenKeyPut);
  if (!submitRest(HttpMethod::Put, "/fapi/v1/listenKey", {}, true, p.id)) pending_.close(p);
}

void BinanceOrderGateway::onWsApiMessage(std::string_view text, TimestampNs recvNs) noexcept {
  std::string_view id, status, result, error, rateLimits;
  const bool object = json::forEachMember(text, [&](std::string_view k, std::string_view v) {
    if (k == "id") id = v;
    else if (k == "status") status = v;
    else if (k == "result") result = v;
    else if (k == "error") error = v;
    else if (k == "rateLimits") rateLimits = v;
  });
  if (!object) {
    ++counters_.parse_errors;
    return;
  }
  if (id.empty() || status.empty()) return onUserData(text, recvNs);  // {"subscriptionId":..,"event":{..}}
  const std::string_view idText = json::stringContents(id).empty() ? id : json::stringContents(id);
  uint64_t reqId = 0;
  for (char c : idText) {
    if (c < '0' || c > '9') return;  // not one of our ids
    reqId = reqId * 10 + static_cast<uint64_t>(c - '0');
  }
  int code = 0;
  for (char c : status)
    if (c >= '0' && c <= '9') code = code * 10 + (c - '0');
  if (!rateLimits.empty() && limits_) onWsRateLimits(rateLimits, recvNs);
  if ((code == 429 || code == 418) && limits_) {
    // The WebSocket API has no Retry-After header: error.data.retryAfter is the venue time
    // (ms) when sending may resume. Turned into whole seconds from now, rounded up.
    char secs[24];
    size_t n = 0;
    const std::string_view until = json::member(json::member(error, "data"), "retryAfter");
    int64_t untilMs = 0;
    for (char c : until)
      if (c >= '0' && c <= '9') untilMs = untilMs * 10 + (c - '0');
    if (untilMs > 0) {
      const int64_t waitMs = std::max<int64_t>(0, untilMs - clock_.timestampMs(recvNs));
      n = static_cast<size_t>(std::snprintf(secs, sizeof secs, "%lld", static_cast<long long>((waitMs + 999) / 1000)));
    }
    limits_->onHttpStatus(code, {secs, n}, recvNs);
  }
  PendingRequest* p = pending_.find(reqId);
  if (!p) return;
  Answer a;
  a.delivered = true;
  a.status = code;
  a.body = code == 200 ? result : error;
  a.received_ns = recvNs;
  onAnswer(*p, a);
}

void BinanceOrderGateway::onWsRateLimits(std::string_view list, TimestampNs recvNs) noexcept {
  // The WebSocket API reports usage in the reply ("rateLimits":[{"rateLimitType":"ORDERS",
  // "interval":"SECOND","intervalNum":10,"limit":50,"count":3},..]) instead of headers: each
  // entry is handed to the tracker as the header REST would have carried (X-MBX-ORDER-COUNT-10S).
  (void)json::forEachElement(list, [&](std::string_view entry) {
    const std::string_view type = json::stringContents(json::member(entry, "rateLimitType"));
    const std::string_view interval = json::stringContents(json::member(entry, "interval"));
    const std::string_view num = json::member(entry, "intervalNum");
    const std::string_view count = json::member(entry, "count");
    const char* prefix = type == "REQUEST_WEIGHT" ? "X-MBX-USED-WEIGHT-" : type == "ORDERS" ? "X-MBX-ORDER-COUNT-" : nullptr;
    if (!prefix || interval.empty() || num.empty() || num.size() > 4 || count.empty()) return;
    char name[40];
    Writer w{name, sizeof name};
    w.put(prefix);
    w.put(num);
    w.put(interval.substr(0, 1));  // SECOND -> S, MINUTE -> M, HOUR -> H, DAY -> D
    if (w.ok) (void)limits_->onHeader(w.view(), count, recvNs);
  });
}

void BinanceOrderGateway::onUserData(std::string_view text, TimestampNs recvNs) noexcept {
  const bn::ResponseResult res = parser_->parseUserData(text, recvNs);
  if (!res.ok()) {
    if (res.status != bn::ResponseStatus::UnknownSymbol) ++counters_.parse_errors;
    return;
  }
  switch (res.kind) {
    case bn::ResponseKind::ExecutionReport:
      if (!parser_->reports().empty()) {
        ExecutionReport rep = parser_->reports()[0];
        if (rep.client_order_id != 0 || rep.orig_client_order_id != 0) deliver(rep, nullptr);
      }
      break;
    case bn::ResponseKind::Balances:
      for (const common::BalanceUpdate& b : parser_->balances()) {
        ++counters_.balance_updates;
        sink_->onBalanceUpdate(b);
      }
      break;
    case bn::ResponseKind::StreamExpired:
      logEvent("binance order gateway: user data stream expired ({} before)", counters_.listen_key_recreations + counters_.stream_resubscribes);
      if (config_.market == bn::Market::Spot) {
        subscribed_ = false;
        sendSubscribe();
        ++counters_.stream_resubscribes;
        requeryOpenOrders();
      } else {
        recreateListenKey();
      }
      break;
    default: break;
  }
}

// ---- reconciliation (cold) ----------------------------------------------------------------

bool BinanceOrderGateway::fetchOpenOrders(std::vector<interfaces::VenueOrder>& out, std::string& error) {
  out.clear();
  const bool spot = config_.market == bn::Market::Spot;
  const ColdReply r = cold(HttpMethod::Get, spot ? "/api/v3/openOrders" : "/fapi/v1/openOrders", nullptr, true, true);
  if (error = r.failure("GET openOrders"); !error.empty()) return false;
  bool ok = json::forEachElement(r.body, [&](std::string_view element) {
    const bn::ResponseResult res = parser_->parseRest(config_.market, element, r.received_ns);
    if (!res.ok() || parser_->reports().empty()) return;  // another symbol, or not an order
    const ExecutionReport& rep = parser_->reports()[0];
    interfaces::VenueOrder o{};
    o.client_order_id = rep.client_order_id;
    o.venue_order_id = rep.venue_order_id;
    o.price = rep.order_price;
    o.qty = rep.cum_qty + rep.leaves_qty;
    o.cum_qty = rep.cum_qty;
    o.venue_ts_ns = rep.venue_ts_ns;
    o.instrument_id = rep.header.instrument_id;
    o.side = rep.side;
    o.type = rep.order_type;
    o.tif = rep.tif;
    out.push_back(o);
  });
  if (!ok) error = "GET openOrders: the answer is not a JSON array";
  return ok;
}

bool BinanceOrderGateway::fetchBalances(std::vector<interfaces::VenueBalance>& out, std::string& error) {
  out.clear();
  const bool spot = config_.market == bn::Market::Spot;
  bn::ParamList p;
  if (spot) (void)p.add("omitZeroBalances", "true");
  const ColdReply r = cold(HttpMethod::Get, spot ? "/api/v3/account" : "/fapi/v2/balance", &p, true, true);
  if (error = r.failure(spot ? "GET account" : "GET balance"); !error.empty()) return false;
  const nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  const nlohmann::json* list = spot ? (j.is_object() && j.contains("balances") ? &j["balances"] : nullptr) : &j;
  if (!list || !list->is_array()) {
    error = spot ? "GET account: no balances array" : "GET balance: not an array";
    return false;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const nlohmann::json& b = (*list)[i];
    const char* freeKey = spot ? "free" : "availableBalance";
    const char* totalKey = spot ? "locked" : "balance";
    if (!b.is_object() || !b.contains("asset") || !b["asset"].is_string() || !b.contains(freeKey) || !b.contains(totalKey) ||
        !b[freeKey].is_string() || !b[totalKey].is_string()) {
      error = "balances[" + std::to_string(i) + "]: asset, " + freeKey + " and " + totalKey + " strings expected";
      return false;
    }
    const std::string asset = b["asset"].get<std::string>();
    if (asset.empty() || asset.size() > 7) continue;  // does not fit VenueBalance::asset
    interfaces::VenueBalance v{};
    std::memcpy(v.asset, asset.data(), asset.size());
    int64_t second = 0;
    if (!amount(b[freeKey].get<std::string>(), v.free) || !amount(b[totalKey].get<std::string>(), second)) {
      error = "balances[" + std::to_string(i) + "] (" + asset + "): not a decimal amount";
      return false;
    }
    v.locked = spot ? second : std::max<int64_t>(0, second - v.free);
    out.push_back(v);
  }
  return true;
}

bool BinanceOrderGateway::fetchPositions(std::vector<interfaces::VenuePosition>& out, std::string& error) {
  out.clear();
  if (config_.market == bn::Market::Spot) return true;  // spot has no positions
  const ColdReply r = cold(HttpMethod::Get, "/fapi/v3/positionRisk", nullptr, true, true);
  if (error = r.failure("GET positionRisk"); !error.empty()) return false;
  const nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  if (!j.is_array()) {
    error = "GET positionRisk: not an array";
    return false;
  }
  for (size_t i = 0; i < j.size(); ++i) {
    const nlohmann::json& p = j[i];
    auto str = [&](const char* k) { return p.contains(k) && p[k].is_string() ? p[k].get<std::string>() : std::string(); };
    const config::Instrument* inst = registry_.byVenueSymbol(venue(), str("symbol"));
    if (!inst) continue;  // not configured here
    interfaces::VenuePosition v{};
    v.instrument_id = inst->id;
    const std::string side = str("positionSide");
    v.position_side = side == "LONG" ? common::PositionSide::Long : side == "SHORT" ? common::PositionSide::Short : common::PositionSide::Both;
    if (!truncated(str("positionAmt"), inst->qty_scale, v.qty) || !truncated(str("entryPrice"), inst->price_scale, v.entry_price) ||
        !amount(str("unRealizedProfit"), v.unrealized_pnl)) {
      error = "positionRisk[" + std::to_string(i) + "] (" + inst->venue_symbol + "): positionAmt, entryPrice, unRealizedProfit decimals expected";
      return false;
    }
    if (v.qty != 0) out.push_back(v);
  }
  return true;
}

}  // namespace hft::execution_engine::gateways
