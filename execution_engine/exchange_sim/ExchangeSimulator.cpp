#include "execution_engine/exchange_sim/ExchangeSimulator.h"

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
#include <algorithm>
#include <chrono>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "api/exchanges/bithumb/BithumbDialect.h"
#include "execution_engine/exchange_sim/CaptureFeed.h"
#include "execution_engine/exchange_sim/FaultInjector.h"
#include "execution_engine/exchange_sim/JwtVerifier.h"
#include "execution_engine/exchange_sim/RequestRouter.h"
#include "execution_engine/exchange_sim/SignatureVerifier.h"
#include "execution_engine/exchange_sim/UpbitJson.h"
#include "execution_engine/exchange_sim/UpbitVenue.h"
#include "execution_engine/exchange_sim/Venue.h"

namespace hft::execution_engine::exchange_sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using asio::redirect_error;
using asio::use_awaitable;

namespace {

common::TimestampNs wallNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// A stream subscription of a market-data connection: the name the client used and what it maps to.
struct Subscription {
  std::string name;  ///< "btcusdt@depth@100ms"
  StreamKind kind;
  std::string symbol;  ///< lower case
};

bool parseStream(const std::string& name, Subscription& out) {
  const size_t at = name.find('@');
  if (at == std::string::npos || at == 0) return false;
  out.name = name;
  out.symbol = name.substr(0, at);
  const std::string rest = name.substr(at + 1);
  if (rest == "trade") out.kind = StreamKind::Trade;
  else if (rest == "aggTrade") out.kind = StreamKind::AggTrade;
  else if (rest == "bookTicker") out.kind = StreamKind::BookTicker;
  else if (rest == "depth" || rest.rfind("depth@", 0) == 0) out.kind = StreamKind::Depth;
  else return false;
  return true;
}

/// One type/code pair of an Upbit quotation request.
struct UpbitSubscription {
  UpbitStream kind;
  const config::Instrument* inst;
};

enum class SessionKind : uint8_t { Market, WsApi, UserStream, UpbitQuotation, UpbitPrivate };

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket socket, SessionKind kind) : ws(std::move(socket)), kind_(kind) {}

  websocket::stream<beast::tcp_stream> ws;
  std::vector<Subscription> subs;
  bool combined = true;
  bool userSubscribed = false;
  uint64_t subscriptionId = 0;
  std::string listenKey;
  bool closeWhenDrained = false;
  std::vector<UpbitSubscription> upbitSubs;  ///< UpbitQuotation: the last request's type/codes
  bool upbitSimple = false;                  ///< format SIMPLE or SIMPLE_LIST
  bool upbitList = false;                    ///< format JSON_LIST or SIMPLE_LIST: frames are arrays
  bool myOrder = false, myAsset = false;     ///< UpbitPrivate: the types subscribed
  std::vector<std::string> myCodes;          ///< UpbitPrivate myOrder codes; empty = every market

  SessionKind kind() const noexcept { return kind_; }
  bool open() const noexcept { return !closed_; }
  size_t queued() const noexcept { return queue_.size(); }

  void send(std::string text) {
    if (closed_) return;
    if (queue_.size() > kMaxQueue) {  // a client that does not read: cut it, as the venue does
      close();
      return;
    }
    queue_.push_back(std::move(text));
    if (!writing_) writeNext();
  }
  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    beast::get_lowest_layer(ws).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(ws).socket().close(ec);
  }

 private:
  static constexpr size_t kMaxQueue = 1u << 16;
  void writeNext() {
    if (queue_.empty() || closed_) {
      writing_ = false;
      if (closeWhenDrained && queue_.empty()) close();
      return;
    }
    writing_ = true;
    ws.text(true);
    ws.async_write(asio::buffer(queue_.front()), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        self->closed_ = true;
        self->queue_.clear();
        self->writing_ = false;
        return;
      }
      self->queue_.pop_front();
      self->writeNext();
    });
  }

  SessionKind kind_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool closed_ = false;
};

}  // namespace

struct ExchangeSimulator::Impl {
  const config::InstrumentRegistry& registry;
  SimulatorOptions opt;
  asio::io_context ioc{1};
  std::optional<tcp::acceptor> acceptor;
  std::thread thread;
  uint16_t boundPort = 0;
  bool running = false;

  SignatureVerifier keys;
  JwtVerifier jwt;
  RateLimiter limiter;
  FaultInjector faults;
  std::unique_ptr<CaptureFeed> capture;
  std::unique_ptr<Venue> venue;
  std::unique_ptr<UpbitVenue> upbit;
  std::unique_ptr<UpbitRouter> upbitRouter;
  std::unique_ptr<RequestRouter> router;
  std::vector<std::weak_ptr<WsSession>> sessions;
  common::TimestampNs wallStart = 0;
  common::TimestampNs simStart = 0;
  uint64_t connectionsAccepted = 0, httpRequests = 0, wsFramesIn = 0;

  Impl(const config::InstrumentRegistry& r, SimulatorOptions o) : registry(r), opt(std::move(o)), limiter(opt.limits) {
    const bool upbitProfile = opt.venue.protocol == SimProtocol::Upbit || opt.venue.protocol == SimProtocol::Bithumb;
    if (!opt.api_key.empty()) {
      if (upbitProfile) jwt.addKey(opt.api_key, opt.api_secret);
      else keys.addKey(opt.api_key, opt.api_secret);
      std::fill(opt.api_secret.begin(), opt.api_secret.end(), '\0');
      opt.api_secret.clear();
    }
    wallStart = simStart = wallNs();
    if (upbitProfile) {
      if (!opt.capture_path.empty()) throw std::invalid_argument("exchange_sim: --capture is Binance only");
      if (opt.venue.speed <= 0) throw std::invalid_argument("exchange_sim: --speed must be > 0 for a synthetic market");
      const api::upbit::Dialect& dialect =
          opt.venue.protocol == SimProtocol::Bithumb ? api::bithumb::kBithumb : api::upbit::kUpbit;
      UpbitOrderDesk::Output privateOut;
      privateOut.order = [this](const config::Instrument& i, const std::string& frame) { publishMyOrder(i, frame); };
      privateOut.asset = [this](const std::string& frame) { publishMyAsset(frame); };
      upbit = std::make_unique<UpbitVenue>(
          registry, dialect, opt.venue, simStart,
          [this](UpbitStream k, const config::Instrument& i) { publishUpbit(k, i); }, std::move(privateOut));
      upbitRouter = std::make_unique<UpbitRouter>(
          *upbit, jwt, faults, [] { return wallNs(); }, opt.limits.upbit_order_per_second,
          opt.limits.upbit_default_per_second);
    } else if (!opt.capture_path.empty()) {
      capture = std::make_unique<CaptureFeed>(CaptureFeed::load(opt.capture_path));
    } else {
      if (opt.venue.speed <= 0) throw std::invalid_argument("exchange_sim: --speed must be > 0 for a synthetic market");
      Venue::Output out;
      out.market = [this](StreamKind k, const std::string& sym, const std::string& payload) { publish(k, sym, payload); };
      out.user = [this](const std::string& event) { publishUser(event); };
      venue = std::make_unique<Venue>(registry, opt.venue, simStart, std::move(out));
    }
    ServerControl control;
    control.disconnect_all = [this] { forEach([](WsSession& s) { s.close(); }); };
    control.drop_user_streams = [this] {
      forEach([](WsSession& s) {
        if (s.kind() == SessionKind::UserStream || (s.kind() == SessionKind::WsApi && s.userSubscribed)) s.close();
      });
    };
    control.expire_listen_keys = [this] {
      const int64_t ms = wallNs() / 1'000'000;
      forEach([&](WsSession& s) {
        if (s.kind() != SessionKind::UserStream) return;
        s.send(nlohmann::json{{"e", "listenKeyExpired"}, {"E", ms}, {"listenKey", s.listenKey}}.dump());
        s.closeWhenDrained = true;
      });
      for (const auto& k : std::vector<std::string>(router->listenKeys().begin(), router->listenKeys().end()))
        router->forgetListenKey(k);
    };
    control.stats = [this] {
      size_t open = 0;
      forEach([&](WsSession&) { ++open; });
      return nlohmann::json{{"connections_accepted", connectionsAccepted},
                            {"http_requests", httpRequests},
                            {"ws_open", open},
                            {"ws_frames_in", wsFramesIn}}
          .dump();
    };
    router = std::make_unique<RequestRouter>(venue.get(), capture.get(), keys, limiter, faults, [] { return wallNs(); },
                                             std::move(control));
    router->setUpbit(upbitRouter.get(), upbit.get());
  }

  template <class F>
  void forEach(F&& f) {
    for (auto it = sessions.begin(); it != sessions.end();) {
      auto s = it->lock();
      if (!s || !s->open()) {
        it = sessions.erase(it);
        continue;
      }
      f(*s);
      ++it;
    }
  }

  void publish(StreamKind kind, const std::string& symbol, const std::string& payload) {
    forEach([&](WsSession& s) {
      if (s.kind() != SessionKind::Market) return;
      for (const Subscription& sub : s.subs)
        if (sub.kind == kind && sub.symbol == symbol) {
          if (!s.combined) {
            s.send(payload);
            continue;
          }
          std::string frame;
          frame.reserve(payload.size() + sub.name.size() + 24);
          frame.append("{\"stream\":\"").append(sub.name).append("\",\"data\":").append(payload).append("}");
          s.send(std::move(frame));
        }
    });
  }

  /// A change of `inst` to every Upbit connection subscribed to it, in that connection's format.
  void publishUpbit(UpbitStream kind, const config::Instrument& inst) {
    std::string text[2];  // DEFAULT, SIMPLE: built once, on first use
    bool built[2] = {false, false};
    forEach([&](WsSession& s) {
      if (s.kind() != SessionKind::UpbitQuotation) return;
      for (const UpbitSubscription& sub : s.upbitSubs) {
        if (sub.kind != kind || sub.inst != &inst) continue;
        const int f = s.upbitSimple ? 1 : 0;
        if (!built[f]) {
          built[f] = true;
          if (kind == UpbitStream::Orderbook) text[f] = upbit->orderbook(inst, f == 1, false);
          else if (kind == UpbitStream::Ticker) text[f] = upbit->ticker(inst, f == 1, false);
          else (void)upbit->trade(inst, f == 1, false, text[f]);
        }
        sendUpbit(s, text[f]);
      }
    });
  }

  static void sendUpbit(WsSession& s, const std::string& object) {
    if (!s.upbitList) {
      s.send(object);
      return;
    }
    std::string frame("[");
    frame.append(object).append("]");
    s.send(std::move(frame));
  }

  /// An Upbit request frame: [{"ticket":..},{"type":..,"codes":[..]},...,{"format":..}]. Replaces
  /// the connection's subscriptions and sends each SNAPSHOT (unless is_only_realtime). Bad
  /// requests get Upbit's error object (WRONG_FORMAT, NO_TICKET, NO_TYPE, NO_CODES, INVALID_PARAM).
  void onUpbitRequest(WsSession& s, const std::string& text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_array())
      return s.send(upbit_json::error("WRONG_FORMAT", "request must be a JSON array"));
    bool ticket = false;
    bool simple = false, list = false;
    struct Want {
      UpbitSubscription sub;
      bool snapshot, realtime;
    };
    std::vector<Want> wants;
    for (const auto& o : j) {
      if (!o.is_object()) return s.send(upbit_json::error("WRONG_FORMAT", "each element must be an object"));
      if (o.contains("ticket")) ticket = true;
      if (o.contains("format")) {
        const std::string f = o["format"].is_string() ? o["format"].get<std::string>() : "";
        if (f == "DEFAULT" || f == "JSON_LIST") simple = false;
        else if (f == "SIMPLE" || f == "SIMPLE_LIST") simple = true;
        else return s.send(upbit_json::error("INVALID_PARAM", "unknown format"));
        list = f.ends_with("_LIST");
      }
      if (!o.contains("type")) continue;
      const std::string type = o["type"].is_string() ? o["type"].get<std::string>() : "";
      UpbitStream kind;
      if (type == "trade") kind = UpbitStream::Trade;
      else if (type == "orderbook") kind = UpbitStream::Orderbook;
      else if (type == "ticker") kind = UpbitStream::Ticker;
      else return s.send(upbit_json::error("INVALID_PARAM", "type not served by the simulator: " + type));
      if (!o.contains("codes") || !o["codes"].is_array() || o["codes"].empty())
        return s.send(upbit_json::error("NO_CODES", "codes is required"));
      const bool onlySnapshot = o.value("is_only_snapshot", false);
      const bool onlyRealtime = o.value("is_only_realtime", false);
      for (const auto& c : o["codes"]) {
        std::string code = c.is_string() ? c.get<std::string>() : "";
        if (const size_t dot = code.find('.'); dot != std::string::npos) code.resize(dot);  // "KRW-BTC.15"
        const config::Instrument* inst = upbit->instrument(code);
        if (inst == nullptr) continue;  // Upbit sends nothing for unknown codes
        wants.push_back({{kind, inst}, !onlyRealtime, !onlySnapshot});
      }
    }
    if (!ticket) return s.send(upbit_json::error("NO_TICKET", "ticket is required"));
    bool anyType = false;
    for (const auto& o : j) anyType = anyType || (o.is_object() && o.contains("type"));
    if (!anyType) return s.send(upbit_json::error("NO_TYPE", "type is required"));
    s.upbitSimple = simple;
    s.upbitList = list;
    s.upbitSubs.clear();
    for (const Want& w : wants) {
      if (w.realtime) s.upbitSubs.push_back(w.sub);
      if (!w.snapshot) continue;
      std::string msg;
      if (w.sub.kind == UpbitStream::Orderbook) msg = upbit->orderbook(*w.sub.inst, simple, true);
      else if (w.sub.kind == UpbitStream::Ticker) msg = upbit->ticker(*w.sub.inst, simple, true);
      else if (!upbit->trade(*w.sub.inst, simple, true, msg)) continue;
      sendUpbit(s, msg);
    }
  }

  /// A myOrder frame to the private connections that subscribed to it (and to its market).
  void publishMyOrder(const config::Instrument& inst, const std::string& frame) {
    forEach([&](WsSession& s) {
      if (s.kind() != SessionKind::UpbitPrivate || !s.myOrder) return;
      if (!s.myCodes.empty() && std::find(s.myCodes.begin(), s.myCodes.end(), inst.venue_symbol) == s.myCodes.end())
        return;
      s.send(frame);
    });
  }
  void publishMyAsset(const std::string& frame) {
    forEach([&](WsSession& s) {
      if (s.kind() == SessionKind::UpbitPrivate && s.myAsset) s.send(frame);
    });
  }

  /// A private request frame: [{"ticket":..},{"type":"myOrder","codes":[..]},{"type":"myAsset"},
  /// {"format":"DEFAULT"}] replaces the subscriptions; "PING" is answered {"status":"UP"}.
  void onPrivateRequest(WsSession& s, const std::string& text) {
    if (text == "PING") return s.send(R"({"status":"UP"})");
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_array())
      return s.send(upbit_json::error("WRONG_FORMAT", "request must be a JSON array"));
    bool ticket = false, orders = false, assets = false;
    std::vector<std::string> codes;
    for (const auto& o : j) {
      if (!o.is_object()) return s.send(upbit_json::error("WRONG_FORMAT", "each element must be an object"));
      if (o.contains("ticket")) ticket = true;
      if (o.contains("format") && o["format"] != "DEFAULT")
        return s.send(upbit_json::error("INVALID_PARAM", "the private stream serves format DEFAULT only"));
      if (!o.contains("type")) continue;
      const std::string type = o["type"].is_string() ? o["type"].get<std::string>() : "";
      if (type == "myOrder") {
        orders = true;
        if (o.contains("codes") && o["codes"].is_array())
          for (const auto& c : o["codes"])
            if (c.is_string()) codes.push_back(c.get<std::string>());
      } else if (type == "myAsset") {
        assets = true;
      } else {
        return s.send(upbit_json::error("INVALID_PARAM", "type not served on the private stream: " + type));
      }
    }
    if (!ticket) return s.send(upbit_json::error("NO_TICKET", "ticket is required"));
    if (!orders && !assets) return s.send(upbit_json::error("NO_TYPE", "type is required"));
    s.myOrder = orders;
    s.myAsset = assets;
    s.myCodes = std::move(codes);
  }

  void publishUser(const std::string& event) {
    forEach([&](WsSession& s) {
      if (s.kind() == SessionKind::UserStream) {
        s.send(event);
      } else if (s.kind() == SessionKind::WsApi && s.userSubscribed) {
        std::string frame("{\"subscriptionId\":");
        frame.append(std::to_string(s.subscriptionId)).append(",\"event\":").append(event).append("}");
        s.send(std::move(frame));
      }
    });
  }

  // -- clock ----------------------------------------------------------------------------------

  asio::awaitable<void> tickLoop() {
    asio::steady_timer timer(ioc);
    // Binance: a dropped depth diff; Upbit/Bithumb: a dropped trade (its sequential_id is skipped).
    const std::function<bool()> dropDiff = [this] { return faults.take(FaultKind::Gap); };
    for (;;) {
      timer.expires_after(std::chrono::milliseconds(opt.tick_ms));
      beast::error_code ec;
      co_await timer.async_wait(redirect_error(use_awaitable, ec));
      if (ec) co_return;
      const auto elapsed = static_cast<double>(wallNs() - wallStart) * opt.venue.speed;
      const auto simNow = simStart + static_cast<common::TimestampNs>(elapsed);
      if (upbit) upbit->advance(simNow, dropDiff);
      else venue->advance(simNow, dropDiff);
    }
  }

  // -- connections ----------------------------------------------------------------------------

  asio::awaitable<void> acceptLoop() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket = co_await acceptor->async_accept(redirect_error(use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        continue;
      }
      ++connectionsAccepted;
      asio::co_spawn(ioc, httpSession(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> httpSession(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      beast::error_code ec;
      co_await http::async_read(stream, buffer, req, redirect_error(use_awaitable, ec));
      if (ec) co_return;
      if (websocket::is_upgrade(req)) {
        co_await wsSession(stream.release_socket(), std::move(req));
        co_return;
      }
      ++httpRequests;
      HttpIn in;
      in.method = std::string(req.method_string());
      in.target = std::string(req.target());
      in.body = req.body();
      in.api_key = std::string(req["X-MBX-APIKEY"]);
      in.content_type = std::string(req[http::field::content_type]);
      in.authorization = std::string(req[http::field::authorization]);
      HttpOut out = router->http(in);
      if (out.delay_ms) {
        asio::steady_timer t(ioc);
        t.expires_after(std::chrono::milliseconds(out.delay_ms));
        co_await t.async_wait(redirect_error(use_awaitable, ec));
      }
      http::response<http::string_body> res{static_cast<http::status>(out.status), req.version()};
      res.set(http::field::server, "exchange_simulator");
      for (const auto& [k, v] : out.headers) res.set(k, v);
      res.keep_alive(req.keep_alive());
      res.body() = std::move(out.body);
      res.prepare_payload();
      co_await http::async_write(stream, res, redirect_error(use_awaitable, ec));
      if (ec || !req.keep_alive()) {
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        co_return;
      }
    }
  }

  static std::string queryParam(const std::string& target, const std::string& key) {
    const size_t qm = target.find('?');
    if (qm == std::string::npos) return {};
    QueryString q(std::string_view(target).substr(qm + 1));
    return std::string(q.get(key));
  }

  asio::awaitable<void> wsSession(tcp::socket socket, http::request<http::string_body> req) {
    const std::string target(req.target());
    const std::string path = target.substr(0, target.find('?'));
    SessionKind kind = SessionKind::Market;
    std::string listenKey;
    std::vector<std::string> streams;
    bool combined = true;
    bool known = true;
    JwtFailure refused;
    if (upbit) {  // quotation, and the private streams (v1: Upbit; v2: Bithumb; both served)
      kind = SessionKind::UpbitQuotation;
      known = path == "/websocket/v1";
      if (path == "/websocket/v1/private" || path == "/websocket/v2/private") {
        kind = SessionKind::UpbitPrivate;
        known = true;
        refused = upbitRouter->authorizeStream(std::string(req[http::field::authorization]));
      }
    } else if (path == "/ws-api/v3") {
      kind = SessionKind::WsApi;
    } else if (path == "/stream" || path == "/public/stream" || path == "/market/stream") {
      const std::string s = queryParam(target, "streams");
      size_t pos = 0;
      while (pos < s.size()) {
        size_t slash = s.find('/', pos);
        if (slash == std::string::npos) slash = s.size();
        if (slash > pos) streams.push_back(s.substr(pos, slash - pos));
        pos = slash + 1;
      }
    } else if (path.rfind("/private/ws/", 0) == 0 || (path.rfind("/ws/", 0) == 0 && router->listenKeyValid(path.substr(4)))) {
      kind = SessionKind::UserStream;
      listenKey = path.substr(path.rfind('/') + 1);
      known = router->listenKeyValid(listenKey);
    } else if (path.rfind("/ws/", 0) == 0 || path == "/ws" || path == "/public/ws" || path == "/market/ws") {
      combined = false;
      if (path.rfind("/ws/", 0) == 0) streams.push_back(path.substr(4));
    } else {
      known = false;
    }
    auto s = std::make_shared<WsSession>(std::move(socket), kind);
    s->combined = combined;
    s->listenKey = listenKey;
    websocket::stream_base::timeout to{};
    to.handshake_timeout = std::chrono::seconds(10);
    to.idle_timeout = std::chrono::milliseconds(opt.ws_ping_interval_ms * 2);
    to.keep_alive_pings = true;  // the server pings at half the idle timeout, as Binance does
    s->ws.set_option(to);
    beast::error_code ec;
    if (!known || refused) {  // refuse the upgrade with an HTTP answer
      http::response<http::string_body> res{refused ? http::status::unauthorized : http::status::not_found,
                                            req.version()};
      res.body() = refused ? upbit_json::error(refused.name, refused.message)
                           : json::error(-1000, "Unknown stream path " + path).dump();
      res.prepare_payload();
      beast::tcp_stream tmp(std::move(beast::get_lowest_layer(s->ws).socket()));
      co_await http::async_write(tmp, res, redirect_error(use_awaitable, ec));
      co_return;
    }
    co_await s->ws.async_accept(req, redirect_error(use_awaitable, ec));
    if (ec) co_return;
    for (const auto& name : streams) {
      Subscription sub;
      if (parseStream(name, sub)) s->subs.push_back(std::move(sub));
    }
    sessions.push_back(s);
    if (capture && kind == SessionKind::Market) asio::co_spawn(ioc, playCapture(s), asio::detached);
    beast::flat_buffer buffer;
    for (;;) {
      buffer.clear();
      co_await s->ws.async_read(buffer, redirect_error(use_awaitable, ec));
      if (ec) break;
      ++wsFramesIn;
      const std::string text = beast::buffers_to_string(buffer.data());
      if (kind == SessionKind::WsApi) {
        WsApiOut out = router->wsApi(text);
        if (out.delay_ms) {
          asio::steady_timer t(ioc);
          t.expires_after(std::chrono::milliseconds(out.delay_ms));
          co_await t.async_wait(redirect_error(use_awaitable, ec));
        }
        s->send(std::move(out.text));
        if (out.subscribe_user) {
          s->userSubscribed = true;
          s->subscriptionId = out.subscription_id;
        }
      } else if (kind == SessionKind::Market) {
        onControl(*s, text);
      } else if (kind == SessionKind::UpbitQuotation) {
        onUpbitRequest(*s, text);
      } else if (kind == SessionKind::UpbitPrivate) {
        onPrivateRequest(*s, text);
      }
    }
    s->close();
  }

  /// Live SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS on a market-data connection.
  void onControl(WsSession& s, const std::string& text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("method")) {
      s.send(nlohmann::json{{"error", {{"code", 3}, {"msg", "Invalid JSON: expected an object with \"method\""}}}}.dump());
      return;
    }
    const nlohmann::json id = j.contains("id") ? j["id"] : nlohmann::json(nullptr);
    const std::string method = j["method"].is_string() ? j["method"].get<std::string>() : "";
    if (method == "LIST_SUBSCRIPTIONS") {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& sub : s.subs) list.push_back(sub.name);
      s.send(nlohmann::json{{"result", list}, {"id", id}}.dump());
      return;
    }
    if (method != "SUBSCRIBE" && method != "UNSUBSCRIBE") {
      s.send(nlohmann::json{{"error", {{"code", 2}, {"msg", "Invalid request: unknown method"}}}, {"id", id}}.dump());
      return;
    }
    if (!j.contains("params") || !j["params"].is_array()) {
      s.send(nlohmann::json{{"error", {{"code", 2}, {"msg", "Invalid request: params must be an array"}}}, {"id", id}}.dump());
      return;
    }
    for (const auto& p : j["params"]) {
      if (!p.is_string()) continue;
      const std::string name = p.get<std::string>();
      std::erase_if(s.subs, [&](const Subscription& x) { return x.name == name; });
      Subscription sub;
      if (method == "SUBSCRIBE" && parseStream(name, sub)) s.subs.push_back(std::move(sub));
    }
    s.send(nlohmann::json{{"result", nullptr}, {"id", id}}.dump());
  }

  /// Capture mode: every captured frame to this connection, verbatim, paced by receive times.
  asio::awaitable<void> playCapture(std::shared_ptr<WsSession> s) {
    const auto& frames = capture->frames();
    asio::steady_timer timer(ioc);
    const auto start = std::chrono::steady_clock::now();
    const int64_t first = frames.empty() ? 0 : frames.front().receive_ns;
    beast::error_code ec;
    for (const CapturedFrame& f : frames) {
      if (!s->open()) co_return;
      if (opt.capture_speed > 0) {
        const auto offset = std::chrono::nanoseconds(
            static_cast<int64_t>(static_cast<double>(f.receive_ns - first) / opt.capture_speed));
        timer.expires_at(start + offset);
        co_await timer.async_wait(redirect_error(use_awaitable, ec));
      } else {
        while (s->open() && s->queued() > 256) {  // as fast as the client reads
          timer.expires_after(std::chrono::milliseconds(1));
          co_await timer.async_wait(redirect_error(use_awaitable, ec));
        }
      }
      s->send(f.text);
    }
    s->closeWhenDrained = true;
    if (s->queued() == 0) s->close();
  }
};

ExchangeSimulator::ExchangeSimulator(const config::InstrumentRegistry& registry, SimulatorOptions options)
    : impl_(std::make_unique<Impl>(registry, std::move(options))) {}

ExchangeSimulator::~ExchangeSimulator() { stop(); }

void ExchangeSimulator::start() {
  Impl& m = *impl_;
  tcp::endpoint ep(asio::ip::make_address(m.opt.bind), m.opt.port);
  m.acceptor.emplace(m.ioc);
  m.acceptor->open(ep.protocol());
  m.acceptor->set_option(asio::socket_base::reuse_address(true));
  m.acceptor->bind(ep);
  m.acceptor->listen();
  m.boundPort = m.acceptor->local_endpoint().port();
  asio::co_spawn(m.ioc, m.acceptLoop(), asio::detached);
  if (m.venue || m.upbit) asio::co_spawn(m.ioc, m.tickLoop(), asio::detached);
  m.running = true;
  m.thread = std::thread([&m] { m.ioc.run(); });
}

void ExchangeSimulator::stop() {
  Impl& m = *impl_;
  if (!m.running) return;
  m.running = false;
  m.ioc.stop();
  if (m.thread.joinable()) m.thread.join();
}

uint16_t ExchangeSimulator::port() const noexcept { return impl_->boundPort; }

}  // namespace hft::execution_engine::exchange_sim
