#include "execution_engine/gateways/UpbitOrderGateway.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <thread>

#include "api/exchanges/upbit/TickTables.h"
#include "api/exchanges/upbit/VenueOrderIdOf.h"
#include "api/net/BeastRestClient.h"
#include "api/net/BeastWebSocketClient.h"
#include "common/Clock.h"
#include "common/FixedPoint.h"
#include "execution_engine/gateways/UpbitGatewayEnv.h"

namespace hft::execution_engine::gateways {

namespace up = api::upbit;
namespace sh = api::shared;
using common::ExecType;
using common::ExecutionReport;
using common::RejectReason;
using common::TimestampNs;
using interfaces::SendStatus;

namespace {

constexpr size_t kQueryBytes = 2048;
constexpr size_t kBodyBytes = 2048;
constexpr size_t kWireBytes = 4096;
constexpr std::string_view kContentType = "application/json; charset=utf-8";

bool isFinal(ExecType t) noexcept {
  return t == ExecType::Filled || t == ExecType::Canceled || t == ExecType::Rejected || t == ExecType::Expired;
}

interfaces::HttpMethod toHttp(up::HttpMethod m) noexcept {
  switch (m) {
    case up::HttpMethod::Get: return interfaces::HttpMethod::Get;
    case up::HttpMethod::Post: return interfaces::HttpMethod::Post;
    case up::HttpMethod::Delete: return interfaces::HttpMethod::Delete;
  }
  return interfaces::HttpMethod::Get;
}

std::string trimUrl(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

/// path [+ "?" + query] into a fixed buffer; 0 when it does not fit.
size_t writeTarget(char* out, size_t cap, std::string_view path, std::string_view query) noexcept {
  const size_t n = path.size() + (query.empty() ? 0 : 1 + query.size());
  if (n > cap) return 0;
  std::memcpy(out, path.data(), path.size());
  if (!query.empty()) {
    out[path.size()] = '?';
    std::memcpy(out + path.size() + 1, query.data(), query.size());
  }
  return n;
}

/// A venue amount ("1234.123456789") at kAmountScale, digits beyond it truncated.
bool amountOf(std::string_view text, int64_t& out) noexcept {
  const size_t dot = text.find('.');
  if (dot != std::string_view::npos && text.size() - dot - 1 > static_cast<size_t>(common::kAmountScale))
    text = text.substr(0, dot + 1 + static_cast<size_t>(common::kAmountScale));
  return common::parseDecimal(text, common::kAmountScale, out) == common::ParseStatus::Ok;
}

}  // namespace

// ---- transport adapters -------------------------------------------------------------------

struct UpbitOrderGateway::RestHandler final : interfaces::IRestResponseHandler {
  UpbitOrderGateway& g;
  explicit RestHandler(UpbitOrderGateway& gw) : g(gw) {}
  void onResponse(const interfaces::RestResponse& r) noexcept override {
    const TimestampNs now = common::wallNowNs();
    if (const std::string_view rr = r.header("Remaining-Req"); !rr.empty()) (void)g.limits_.onHeader(rr, now);
    if (r.ok() && (r.status == 429 || r.status == 418))
      g.limits_.onHttpStatus(r.status, now, g.config_.backoff_429_ms * 1'000'000);
    if (PendingRequest* p = g.pending_.find(r.request_id)) g.onAnswer(*p, RequestAnswer::fromRest(r, now));
  }
};

struct UpbitOrderGateway::StreamHandler final : interfaces::IWebSocketHandler {
  UpbitOrderGateway& g;
  explicit StreamHandler(UpbitOrderGateway& gw) : g(gw) {}
  void onMessage(const interfaces::WsMessage& m) noexcept override { g.onStreamFrame(m.text, m.recv_ns); }
  void onState(const interfaces::WsStateChange& c) noexcept override {
    switch (c.state) {
      case interfaces::WsState::Connected: g.streamUp_ = true; break;
      case interfaces::WsState::Reconnected:
        g.streamUp_ = true;
        ++g.counters_.stream_reconnects;
        g.requeryOpenOrders();  // events may have been missed while the stream was down
        break;
      case interfaces::WsState::Disconnected: g.streamUp_ = false; break;
      case interfaces::WsState::Reconnecting: break;
    }
  }
};

struct UpbitOrderGateway::ColdReply {
  interfaces::TransportOutcome outcome = interfaces::TransportOutcome::NotSent;
  int status = 0;
  std::string body;
  TimestampNs received_ns = 0;
  bool answered = false;
  /// "" when a 2xx arrived, else what failed (status and the venue's error body, or the transport).
  std::string failure(std::string_view what) const {
    std::string s(what);
    if (!answered) return s.append(": no answer in time");
    if (outcome != interfaces::TransportOutcome::Ok) return s.append(": transport failure");
    if (status >= 200 && status < 300) return {};
    s.append(": HTTP ").append(std::to_string(status)).append(" ");
    s.append(body.substr(0, 300));
    return s;
  }
};

// ---- construction -------------------------------------------------------------------------

UpbitOrderGateway::UpbitOrderGateway(UpbitOrderGatewayConfig config, const config::InstrumentRegistry& registry)
    : config_(std::move(config)),
      registry_(registry),
      resolver_(registry, config_.dialect.exchange),
      plainEncoder_(config_.dialect),
      krwEncoder_(config_.dialect, sh::TickBands(up::krwTickBands(), up::kTickTableScale)),
      btcEncoder_(config_.dialect, sh::TickBands(up::btcTickBands(), up::kTickTableScale)),
      usdtEncoder_(config_.dialect, sh::TickBands(up::usdtTickBands(), up::kTickTableScale)),
      rng_(static_cast<uint64_t>(common::wallNowNs()) ^ (static_cast<uint64_t>(std::random_device{}()) << 32)),
      pending_(config_.pending_capacity),
      live_(config_.live_order_capacity),
      uuids_(config_.live_order_capacity) {
  const std::string who = name() + " order gateway: ";
  config_.rest_url = trimUrl(config_.rest_url);
  if (config_.rest_url.empty()) throw std::invalid_argument(who + "rest_url is empty");
  if (config_.private_ws_url.empty()) throw std::invalid_argument(who + "private_ws_url is empty");
  if (config_.access_key.empty()) throw std::invalid_argument(who + "the access key is missing");
  if (config_.secret_key.empty()) throw std::invalid_argument(who + "the secret key is missing");
  if (config_.open_orders_limit == 0 || config_.open_orders_limit > 100)
    throw std::invalid_argument(who + "open_orders_limit must be 1..100");
  const auto& d = config_.dialect;
  signer_ = std::make_unique<sh::JwtSigner>(d.jwtAlg, d.jwtClaims, config_.access_key, config_.secret_key.view());
  wsSigner_ = std::make_unique<sh::JwtSigner>(d.jwtAlg, d.jwtClaims, config_.access_key, config_.secret_key.view());
  config_.secret_key.clear();  // the signers' locked pages hold it now; wipe ours
  parser_ = std::make_unique<up::OrderResponseParser>(config_.dialect, resolver_);
  streamParser_ = std::make_unique<up::PrivateStreamParser>(config_.dialect, resolver_);

  net::RestClientConfig rc;
  rc.base_url = config_.rest_url;
  rc.tls.verify_peer = config_.verify_tls;
  rc.connect_timeout_ns = config_.connect_timeout_ms * 1'000'000;
  rc.request_timeout_ns = config_.request_timeout_ms * 1'000'000;
  rc.max_in_flight = 64;
  rc.max_target_bytes = kWireBytes;
  rc.max_body_bytes = kBodyBytes;
  rest_ = std::make_unique<net::BeastRestClient>(rc);
  rc.max_in_flight = 4;
  rc.request_timeout_ns = std::max(config_.request_timeout_ms, config_.start_timeout_ms) * 1'000'000;
  coldRest_ = std::make_unique<net::BeastRestClient>(rc);

  net::WebSocketClientConfig wc;
  wc.url = config_.private_ws_url;
  wc.tls.verify_peer = config_.verify_tls;
  wc.connect_timeout_ns = config_.connect_timeout_ms * 1'000'000;
  wc.idle_timeout_ns = config_.ws_idle_timeout_ms * 1'000'000;  // ping at half: within the venue's 60 s
  wc.max_connection_age_ns = 0;
  wc.backoff.initial_ns = config_.initial_backoff_ms * 1'000'000;
  wc.backoff.max_ns = config_.max_backoff_ms * 1'000'000;
  // A fresh token (fresh nonce) for every connection attempt, built on the stream's I/O thread
  // with its own signer (a JwtSigner is single-threaded).
  wc.authorization = [this]() -> std::string {
    std::random_device rd;
    uint8_t random[16];
    for (size_t i = 0; i < sizeof random; i += 4) {
      const uint32_t v = rd();
      std::memcpy(random + i, &v, 4);
    }
    char nonce[36];
    sh::formatUuidV4(random, nonce);
    char token[sh::JwtSigner::kMaxTokenChars + 8];
    size_t len = 0;
    const int64_t ms = common::wallNowNs() / 1'000'000;
    if (wsSigner_->buildAuthorization({nonce, sizeof nonce}, ms, "", token, len) != sh::JwtStatus::Ok) return {};
    return std::string(token, len);
  };
  stream_ = std::make_unique<net::BeastWebSocketClient>(wc);
  restHandler_ = std::make_unique<RestHandler>(*this);
  streamHandler_ = std::make_unique<StreamHandler>(*this);
  queryBuf_ = std::make_unique<char[]>(kQueryBytes);
  bodyBuf_ = std::make_unique<char[]>(kBodyBytes);
  wireBuf_ = std::make_unique<char[]>(kWireBytes);
}

UpbitOrderGateway::~UpbitOrderGateway() { stop(); }

std::string UpbitOrderGateway::name() const {
  return config_.dialect.exchange == common::ExchangeId::Bithumb ? "bithumb" : "upbit";
}

const up::OrderEncoder& UpbitOrderGateway::encoderFor(const config::Instrument& inst) const noexcept {
  if (config_.dialect.exchange != common::ExchangeId::Upbit) return plainEncoder_;
  if (inst.quote == "KRW") return krwEncoder_;
  if (inst.quote == "BTC") return btcEncoder_;
  if (inst.quote == "USDT") return usdtEncoder_;
  return plainEncoder_;
}

// ---- start-up and reconciliation (cold) ---------------------------------------------------

UpbitOrderGateway::ColdReply UpbitOrderGateway::cold(up::HttpMethod method, std::string_view path,
                                                     const sh::QueryParams* params) {
  ColdReply reply;
  std::string query(kQueryBytes, '\0');
  size_t qlen = 0;
  if (params && params->size()) {
    qlen = params->renderQuery({query.data(), query.size()});
    if (qlen == 0) throw std::runtime_error(name() + " order gateway: request parameters do not fit");
  }
  query.resize(qlen);
  size_t alen = 0;
  if (!buildAuthorization(query, alen)) throw std::runtime_error(name() + " order gateway: cannot build the JWT");
  const std::string auth(auth_, alen);
  std::string target(path);
  if (!query.empty()) target.append("?").append(query);
  const interfaces::HttpHeader headers[] = {{"Authorization", auth}};
  interfaces::RestRequest req;
  req.method = toHttp(method);
  req.target = target;
  req.headers = headers;
  req.request_id = ++coldId_;  // a late answer to an earlier cold request that timed out is ignored
  if (coldRest_->submit(req) != interfaces::SubmitStatus::Queued)
    throw std::runtime_error(name() + " order gateway: cannot queue a reconciliation request");
  // The cold client's answers do not feed the rate-limit tracker: it is the executor thread's
  // hot-path state, and the venue counts these few start-up / reconciliation calls anyway.
  struct Catch final : interfaces::IRestResponseHandler {
    ColdReply& out;
    uint64_t id;
    Catch(ColdReply& o, uint64_t i) : out(o), id(i) {}
    void onResponse(const interfaces::RestResponse& r) noexcept override {
      if (r.request_id != id) return;
      out.answered = true;
      out.outcome = r.outcome;
      out.status = r.status;
      out.received_ns = r.received_ns;
      try {
        out.body.assign(r.body);
      } catch (...) {
      }
    }
  } handler(reply, coldId_);
  const int64_t deadline =
      common::monoNowNs() + std::max(config_.request_timeout_ms, config_.start_timeout_ms) * 1'000'000 + 1'000'000'000;
  while (!reply.answered && common::monoNowNs() < deadline) {
    if (coldRest_->poll(handler) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return reply;
}

void UpbitOrderGateway::start(interfaces::IExecutionSink& sink) {
  const std::string who = name() + " order gateway: ";
  if (running_) throw std::runtime_error(who + "started twice");
  sink_ = &sink;
  seenScratch_.reserve(config_.live_order_capacity / 2 + 128);
  instrumentScratch_.reserve(registry_.all().size() + 1);
  coldRest_->start();
  rest_->start();
  stream_->start();
  // The subscription, re-sent by the client first thing on every connection.
  uint8_t random[16];
  for (size_t i = 0; i < sizeof random; i += 8) {
    const uint64_t v = rng_.next();
    std::memcpy(random + i, &v, 8);
  }
  char ticket[36];
  sh::formatUuidV4(random, ticket);
  std::string sub = "[{\"ticket\":\"";
  sub.append(ticket, sizeof ticket).append("\"},{\"type\":\"myOrder\"},{\"type\":\"myAsset\"},{\"format\":\"DEFAULT\"}]");
  if (stream_->send(sub, true) != interfaces::WsSendStatus::Queued) throw std::runtime_error(who + "cannot queue the subscription");
  const int64_t deadline = common::monoNowNs() + config_.start_timeout_ms * 1'000'000;
  while (!streamUp_ && common::monoNowNs() < deadline) {
    if (stream_->poll(*streamHandler_) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!streamUp_) {
    const UpbitEnvNames n = upbitEnvNames(config_.dialect);
    throw std::runtime_error(who + "the private stream " + config_.private_ws_url + " did not connect within " +
                             std::to_string(config_.start_timeout_ms) + " ms (a refused upgrade, HTTP 401, means the "
                             "credentials were not accepted: check " + n.access_key + " / " + n.secret_key +
                             " or the key store entry)");
  }
  nextTextPingMono_ = common::monoNowNs() + config_.text_ping_interval_ms * 1'000'000;
  running_ = true;
}

void UpbitOrderGateway::stop() noexcept {
  running_ = false;
  if (stream_) stream_->stop();
  if (rest_) rest_->stop();
  if (coldRest_) coldRest_->stop();
}

bool UpbitOrderGateway::fetchOpenOrders(std::vector<interfaces::VenueOrder>& out, std::string& error) {
  out.clear();
  for (const config::Instrument& inst : registry_.all()) {
    if (inst.exchange != venue()) continue;
    sh::QueryParams params;
    up::Endpoint ep;
    if (encoderFor(inst).encodeOpenOrders(inst, config_.open_orders_limit, params, ep) != up::EncodeStatus::Ok) {
      error = "GET " + std::string(ep.path) + ": cannot encode the request for " + inst.venue_symbol;
      return false;
    }
    const ColdReply r = cold(ep.method, ep.path, &params);
    if (error = r.failure("GET " + std::string(ep.path) + " " + inst.venue_symbol); !error.empty()) return false;
    const up::ResponseResult res = parser_->parse(r.body, r.received_ns);
    if (!res.ok() || res.kind != up::ResponseKind::Orders) {
      error = "GET " + std::string(ep.path) + " " + inst.venue_symbol + ": unusable answer (" + up::toString(res.status) +
              " at " + res.field + ", byte " + std::to_string(res.offset) + ")";
      return false;
    }
    for (size_t i = 0; i < parser_->reports().size(); ++i) {
      const ExecutionReport& rep = parser_->reports()[i];
      interfaces::VenueOrder o{};
      o.client_order_id = rep.client_order_id;
      o.venue_order_id = up::venueOrderIdOf(parser_->uuid(i));
      o.price = rep.order_price;
      o.qty = rep.cum_qty + rep.leaves_qty;
      o.cum_qty = rep.cum_qty;
      o.venue_ts_ns = rep.venue_ts_ns;
      o.instrument_id = rep.header.instrument_id;
      o.side = rep.side;
      o.type = rep.order_type;
      o.tif = rep.tif;
      out.push_back(o);
      (void)uuids_.insert(rep.client_order_id, parser_->uuid(i));
    }
  }
  return true;
}

bool UpbitOrderGateway::fetchBalances(std::vector<interfaces::VenueBalance>& out, std::string& error) {
  out.clear();
  const ColdReply r = cold(up::HttpMethod::Get, "/v1/accounts", nullptr);
  if (error = r.failure("GET /v1/accounts"); !error.empty()) return false;
  const nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  if (!j.is_array()) {
    error = "GET /v1/accounts: the answer is not a JSON array";
    return false;
  }
  for (size_t i = 0; i < j.size(); ++i) {
    const nlohmann::json& a = j[i];
    const std::string where = "GET /v1/accounts: [" + std::to_string(i) + "].";
    if (!a.is_object() || !a.contains("currency") || !a["currency"].is_string()) {
      error = where + "currency missing";
      return false;
    }
    const std::string cur = a["currency"].get<std::string>();
    interfaces::VenueBalance b{};
    if (cur.empty() || cur.size() >= sizeof b.asset) {
      error = where + "currency '" + cur + "' does not fit";
      return false;
    }
    std::memcpy(b.asset, cur.data(), cur.size());
    for (const char* key : {"balance", "locked"}) {
      const std::string text = a.contains(key) && a[key].is_string() ? a[key].get<std::string>() : std::string();
      int64_t v = 0;
      if (!amountOf(text, v)) {
        error = where + key + " '" + text + "' is not a decimal";
        return false;
      }
      (std::strcmp(key, "balance") == 0 ? b.free : b.locked) = v;
    }
    out.push_back(b);
  }
  return true;
}

bool UpbitOrderGateway::fetchPositions(std::vector<interfaces::VenuePosition>& out, std::string& error) {
  out.clear();  // spot venues: no positions
  error.clear();
  return true;
}

// ---- sending (hot) ------------------------------------------------------------------------

bool UpbitOrderGateway::buildAuthorization(std::string_view query, size_t& length) noexcept {
  uint8_t random[16];
  const uint64_t a = rng_.next(), b = rng_.next();
  std::memcpy(random, &a, 8);
  std::memcpy(random + 8, &b, 8);
  char nonce[36];
  sh::formatUuidV4(random, nonce);
  const int64_t ms = common::wallNowNs() / 1'000'000;
  return signer_->buildAuthorization({nonce, sizeof nonce}, ms, query, {auth_, sizeof auth_}, length) == sh::JwtStatus::Ok;
}

SendStatus UpbitOrderGateway::dispatch(PendingRequest& p, const up::Endpoint& ep, TimestampNs now) noexcept {
  size_t qlen = 0;
  if (params_.size() != 0) {
    qlen = params_.renderQuery({queryBuf_.get(), kQueryBytes});
    if (qlen == 0) {
      pending_.close(p);
      return SendStatus::rejected(RejectReason::InvalidRequest);
    }
  }
  const std::string_view query(queryBuf_.get(), qlen);
  size_t alen = 0;
  if (!buildAuthorization(query, alen)) {
    pending_.close(p);
    return SendStatus::rejected(RejectReason::InvalidRequest);
  }
  const bool post = ep.method == up::HttpMethod::Post;
  const size_t tlen = writeTarget(wireBuf_.get(), kWireBytes, ep.path, post ? std::string_view{} : query);
  size_t blen = 0;
  if (post) blen = params_.renderJson({bodyBuf_.get(), kBodyBytes});
  if (tlen == 0 || (post && blen == 0)) {
    pending_.close(p);
    return SendStatus::rejected(RejectReason::InvalidRequest);
  }
  const interfaces::HttpHeader headers[] = {{"Authorization", {auth_, alen}}, {"Content-Type", kContentType}};
  interfaces::RestRequest req;
  req.method = toHttp(ep.method);
  req.target = {wireBuf_.get(), tlen};
  req.headers = {headers, post ? size_t{2} : size_t{1}};
  if (post) req.body = {bodyBuf_.get(), blen};
  req.request_id = p.id;
  const interfaces::SubmitStatus st = rest_->submit(req);
  if (st != interfaces::SubmitStatus::Queued) {
    pending_.close(p);
    if (st == interfaces::SubmitStatus::QueueFull) {
      ++counters_.throttled;
      return SendStatus::throttled();
    }
    return SendStatus::rejected(RejectReason::VenueUnavailable);
  }
  limits_.onSent(ep.rateGroup, now);
  ++counters_.requests_sent;
  return SendStatus::sent();
}

SendStatus UpbitOrderGateway::send(const common::OrderRequest& request, TimestampNs localSendTs) noexcept {
  if (!running_) return SendStatus::rejected(RejectReason::VenueUnavailable);
  if (request.header.exchange_id != venue()) return SendStatus::rejected(RejectReason::InvalidRequest);
  const config::Instrument* inst = registry_.byId(request.header.instrument_id);
  if (!inst || inst->exchange != venue()) return SendStatus::rejected(RejectReason::UnknownInstrument);
  up::Endpoint ep;
  // Modify is Unsupported in the encoder (supportsNativeAmend() is false: the OMS cancel-replaces);
  // a Market Buy by quantity is Unsupported too (the venue buys by amount).
  if (const up::EncodeStatus es = encoderFor(*inst).encode(request, *inst, params_, ep); es != up::EncodeStatus::Ok)
    return SendStatus::rejected(up::toRejectReason(es));
  const TimestampNs now = common::wallNowNs();
  if (!limits_.maySend(ep.rateGroup, now)) {
    ++counters_.throttled;
    return SendStatus::throttled();
  }
  PendingRequest& p = pending_.open(RequestKind::Order);
  p.request = request;
  p.local_send_ts = localSendTs;
  const SendStatus st = dispatch(p, ep, now);
  if (st.ok() && request.action == common::OrderAction::New)
    (void)live_.insert(request.client_order_id, inst->id, request.strategy_id);
  return st;
}

SendStatus UpbitOrderGateway::query(common::InstrumentId instrument, common::ClientOrderId id) noexcept {
  if (!running_) return SendStatus::rejected(RejectReason::VenueUnavailable);
  const config::Instrument* inst = registry_.byId(instrument);
  if (!inst || inst->exchange != venue()) return SendStatus::rejected(RejectReason::UnknownInstrument);
  up::Endpoint ep;
  if (plainEncoder_.encodeQuery(id, params_, ep) != up::EncodeStatus::Ok) return SendStatus::rejected(RejectReason::InvalidRequest);
  const TimestampNs now = common::wallNowNs();
  if (!limits_.maySend(ep.rateGroup, now)) {
    ++counters_.throttled;
    return SendStatus::throttled();
  }
  PendingRequest& p = pending_.open(RequestKind::Query);
  p.instrument = instrument;
  p.query_id = id;
  return dispatch(p, ep, now);
}

// ---- answers and stream frames (hot, inside poll) ------------------------------------------

int UpbitOrderGateway::poll() noexcept {
  const uint64_t before = counters_.reports + counters_.balance_updates;
  (void)rest_->poll(*restHandler_, 64);
  (void)stream_->poll(*streamHandler_, 64);
  if (config_.text_ping_interval_ms > 0 && streamUp_) {
    const int64_t mono = common::monoNowNs();
    if (mono >= nextTextPingMono_) {
      nextTextPingMono_ = mono + config_.text_ping_interval_ms * 1'000'000;
      if (stream_->send("PING", false) == interfaces::WsSendStatus::Queued) ++counters_.text_pings;
    }
  }
  return static_cast<int>(counters_.reports + counters_.balance_updates - before);
}

void UpbitOrderGateway::deliver(ExecutionReport rep, const PendingRequest* p) noexcept {
  const LiveOrder* lo = live_.find(rep.client_order_id);
  if (p && p->kind == RequestKind::Order) {
    rep.strategy_id = p->request.strategy_id;
    rep.local_send_ts_ns = p->local_send_ts;
  } else if (lo) {
    rep.strategy_id = lo->strategy;
  }
  if (isFinal(rep.exec_type)) {
    live_.erase(rep.client_order_id);
    uuids_.erase(rep.client_order_id);
  }
  ++counters_.reports;
  sink_->onExecutionReport(rep);
}

void UpbitOrderGateway::reject(const PendingRequest& p, RejectReason why) noexcept {
  ExecutionReport rep = rejectionOf(p, venue(), why, common::wallNowNs());
  ++counters_.venue_rejects;
  // A refused cancel leaves its order working: only a refused New (or query) ends the id.
  if (p.kind == RequestKind::Order && p.request.action == common::OrderAction::Cancel) {
    rep.strategy_id = p.request.strategy_id;
    rep.local_send_ts_ns = p.local_send_ts;
    ++counters_.reports;
    sink_->onExecutionReport(rep);
    return;
  }
  deliver(rep, &p);
}

void UpbitOrderGateway::onAnswer(PendingRequest& p, const Answer& a) noexcept {
  switch (p.kind) {
    case RequestKind::Order:
    case RequestKind::Query: onOrderAnswer(p, a); return;
    case RequestKind::OpenOrders: {
      const PendingRequest copy = p;
      pending_.close(p);
      if (a.delivered && a.status == 200) onOpenOrders(copy, a);
      return;
    }
    default: pending_.close(p); return;
  }
}

void UpbitOrderGateway::reask(const PendingRequest& q) noexcept {
  // A query changes nothing on the venue: asking again is safe (unlike an order). A few times only.
  static constexpr uint8_t kMaxQueryAttempts = 3;
  if (q.attempt >= kMaxQueryAttempts) {
    ++counters_.unknown_outcomes;
    return;
  }
  up::Endpoint ep;
  if (plainEncoder_.encodeQuery(q.query_id, params_, ep) != up::EncodeStatus::Ok) return;
  PendingRequest& n = pending_.open(RequestKind::Query);
  n.instrument = q.instrument;
  n.query_id = q.query_id;
  n.attempt = static_cast<uint8_t>(q.attempt + 1);
  ++counters_.query_retries;
  (void)dispatch(n, ep, common::wallNowNs());
}

void UpbitOrderGateway::onOrderAnswer(PendingRequest& p, const Answer& a) noexcept {
  if (p.kind == RequestKind::Query && (!a.delivered || a.status >= 500)) {
    const PendingRequest q = p;
    pending_.close(p);
    return reask(q);
  }
  if (!a.delivered || a.status >= 500) {
    if (!a.delivered && a.not_sent) {
      reject(p, RejectReason::VenueUnavailable);  // it never reached the venue
    } else {
      ++counters_.unknown_outcomes;  // timeout, 5xx, dropped: the executor's timeout queries it; never resent
    }
    pending_.close(p);
    return;
  }
  const up::ResponseResult res = parser_->parse(a.body, a.received_ns);
  if (res.kind == up::ResponseKind::VenueError) {
    RejectReason why = parser_->error().reason;
    if (a.status == 429 || a.status == 418) why = RejectReason::RateLimit;
    if (why == RejectReason::None) why = RejectReason::VenueRejected;
    if (p.kind == RequestKind::Query && why != RejectReason::UnknownOrder) {
      // A refused query (rate limit, auth) says nothing about the order: no report (a Rejected
      // would end a live order); the executor asks again after its timeout.
      ++counters_.unknown_outcomes;
    } else {
      reject(p, why);
    }
    pending_.close(p);
    return;
  }
  if (!res.ok() || res.kind != up::ResponseKind::Order || parser_->reports().empty()) {
    ++counters_.parse_errors;
    ++counters_.unknown_outcomes;
    pending_.close(p);
    return;
  }
  ExecutionReport rep = parser_->reports()[0];
  const std::string_view uuid = parser_->uuid(0);
  rep.venue_order_id = up::venueOrderIdOf(uuid);
  if (p.kind == RequestKind::Query) {
    if (rep.client_order_id == 0) rep.client_order_id = p.query_id;
    (void)uuids_.insert(rep.client_order_id, uuid);
    if (rep.exec_type == ExecType::Canceled) rep.orig_client_order_id = rep.client_order_id;
    deliver(rep, &p);
  } else if (p.request.action == common::OrderAction::New) {
    // The 201 is the ack: fills, cancels and expiries follow on the private stream (an IOC/FOK
    // answered in its final state too: its trades come as myOrder events with their prices).
    rep.client_order_id = p.request.client_order_id;
    (void)uuids_.insert(rep.client_order_id, uuid);
    rep.exec_type = ExecType::New;
    rep.cum_qty = 0;
    rep.leaves_qty = p.request.qty;
    rep.fee = 0;
    deliver(rep, &p);
  } else {
    // DELETE: the cancel was accepted; the order is usually still `wait` until the stream says
    // `cancel`. Reported now only when the reply already shows it canceled.
    if (rep.exec_type == ExecType::Canceled) {
      rep.client_order_id = rep.orig_client_order_id = p.request.orig_client_order_id;
      deliver(rep, &p);
    }
  }
  pending_.close(p);
}

void UpbitOrderGateway::onOpenOrders(const PendingRequest& p, const Answer& a) noexcept {
  const up::ResponseResult res = parser_->parse(a.body, a.received_ns);
  if (!res.ok() || res.kind != up::ResponseKind::Orders) {
    ++counters_.parse_errors;
    return;
  }
  seenScratch_.clear();
  for (size_t i = 0; i < parser_->reports().size(); ++i) {
    ExecutionReport rep = parser_->reports()[i];
    if (rep.client_order_id == 0) continue;  // not one of ours (placed by hand)
    rep.venue_order_id = up::venueOrderIdOf(parser_->uuid(i));
    (void)uuids_.insert(rep.client_order_id, parser_->uuid(i));
    if (seenScratch_.size() < seenScratch_.capacity()) seenScratch_.push_back(rep.client_order_id);
    // Its current state: a repeat if nothing changed (the OMS ignores repeats by cum_qty), news
    // if it filled partly while the stream was down.
    deliver(rep, nullptr);
  }
  // Orders of this market we believed live that are no longer listed ended unseen: ask.
  live_.forEach([&](const LiveOrder& o) {
    if (o.instrument != p.instrument) return;
    if (std::find(seenScratch_.begin(), seenScratch_.end(), o.id) != seenScratch_.end()) return;
    ++counters_.resync_queries;
    (void)query(o.instrument, o.id);
  });
}

void UpbitOrderGateway::requeryOpenOrders() noexcept {
  instrumentScratch_.clear();
  live_.forEach([&](const LiveOrder& o) {
    if (std::find(instrumentScratch_.begin(), instrumentScratch_.end(), o.instrument) == instrumentScratch_.end() &&
        instrumentScratch_.size() < instrumentScratch_.capacity())
      instrumentScratch_.push_back(o.instrument);
  });
  for (const common::InstrumentId id : instrumentScratch_) {
    const config::Instrument* inst = registry_.byId(id);
    up::Endpoint ep;
    if (!inst || plainEncoder_.encodeOpenOrders(*inst, config_.open_orders_limit, params_, ep) != up::EncodeStatus::Ok) continue;
    PendingRequest& p = pending_.open(RequestKind::OpenOrders);
    p.instrument = id;
    ++counters_.open_order_resyncs;
    (void)dispatch(p, ep, common::wallNowNs());
  }
}

void UpbitOrderGateway::onStreamFrame(std::string_view text, TimestampNs recvNs) noexcept {
  const up::PrivateResult res = streamParser_->parse(text, recvNs);
  if (!res.ok()) {
    if (res.status != up::Status::UnknownSymbol) ++counters_.parse_errors;
    return;
  }
  switch (res.kind) {
    case up::PrivateKind::MyOrder: {
      ExecutionReport rep = streamParser_->report();
      if (rep.client_order_id == 0) return;  // not one of ours
      // `done` after the trade that completed the order: already reported Filled.
      if (rep.exec_type == ExecType::Filled && rep.last_qty == 0 && live_.find(rep.client_order_id) == nullptr) return;
      (void)uuids_.insert(rep.client_order_id, streamParser_->uuid());
      if (rep.exec_type == ExecType::Canceled) rep.orig_client_order_id = rep.client_order_id;
      deliver(rep, nullptr);
      return;
    }
    case up::PrivateKind::MyAsset:
      for (const common::BalanceUpdate& b : streamParser_->balances()) {
        ++counters_.balance_updates;
        sink_->onBalanceUpdate(b);
      }
      return;
    case up::PrivateKind::VenueError: ++counters_.stream_errors; return;
    default: return;
  }
}

// ---- factories ----------------------------------------------------------------------------

std::unique_ptr<interfaces::IOrderGateway> makeUpbitOrderGateway(UpbitOrderGatewayConfig config,
                                                                 const config::InstrumentRegistry& registry) {
  return std::make_unique<UpbitOrderGateway>(std::move(config), registry);
}

}  // namespace hft::execution_engine::gateways
