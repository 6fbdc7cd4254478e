#include "gateways/BinanceGateway.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <stdexcept>

#include "api/exchanges/binance/BookSync.h"
#include "api/exchanges/binance/InstrumentResolver.h"
#include "api/exchanges/binance/MarketDataParser.h"
#include "api/net/BeastRestClient.h"
#include "api/net/BeastWebSocketClient.h"
#include "common/Clock.h"
#include "common/Events.h"
#include "common/StringPrintf.h"
#include "config/ConfigError.h"
#include "config/ExchangeConfig.h"
#include "config/InstrumentRegistry.h"
#include "config/JsonNode.h"

namespace hft::gateways {

using api::binance::BookSync;
using api::binance::Market;
using api::binance::MessageKind;
using common::BookDelta;
using common::TimestampNs;

// ---- configuration --------------------------------------------------------------------------

BinanceGatewayConfig BinanceGatewayConfig::defaultsFor(Market market) {
  BinanceGatewayConfig c;
  c.market = market;
  if (market == Market::Spot) {
    c.rest_url = "https://api.binance.com";
    c.ws_url = "wss://stream.binance.com:9443/stream";
    c.depth_path = "/api/v3/depth";
    c.trade_stream = "trade";
  } else {
    c.rest_url = "https://fapi.binance.com";
    c.ws_url = "wss://fstream.binance.com/public/stream";
    c.market_ws_url = "wss://fstream.binance.com/market/stream";
    c.depth_path = "/fapi/v1/depth";
    c.trade_stream = "aggTrade";
  }
  return c;
}

namespace {

bool dropSuffix(std::string_view& s, std::string_view suffix) noexcept {
  if (s.size() < suffix.size() || s.substr(s.size() - suffix.size()) != suffix) return false;
  s.remove_suffix(suffix.size());
  return true;
}

}  // namespace

void BinanceGatewayConfig::setWsUrls(std::string_view url) {
  if (market == Market::Spot) {
    ws_url = std::string(url);
    return;
  }
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  (void)dropSuffix(url, "/stream");
  if (!dropSuffix(url, "/public")) (void)dropSuffix(url, "/market");
  ws_url = std::string(url).append("/public/stream");
  market_ws_url = std::string(url).append("/market/stream");
}

BinanceGatewayConfig BinanceGatewayConfig::fromExchange(Market market, const config::ExchangeConfig& exchange) {
  BinanceGatewayConfig c = defaultsFor(market);
  const char* venue = market == Market::Spot ? "binance" : "binance_futures";
  if (exchange.venue != venue)
    throw std::invalid_argument(exchange.source + ": venue \"" + exchange.venue + "\", expected \"" + venue + "\"");
  const auto& ep = exchange.endpoints;
  auto routeUrl = [&](const char* route, const char* what) {
    if (ep.ws_routes.count(route) == 0) {
      std::string why = exchange.source;
      why.append(": environments.").append(exchange.active).append(".ws_routes has no \"").append(route);
      why.append("\" route (").append(what).append(")");
      throw std::invalid_argument(why);
    }
    return ep.wsUrl(route);
  };
  c.rest_url = ep.rest_url;
  if (market == Market::Spot) {
    c.ws_url = routeUrl("combined", "the market-data streams");
  } else {  // combined streams under each route
    c.ws_url = routeUrl("public", "depth and bookTicker").append("/stream");
    c.market_ws_url = routeUrl("market", "the trade streams").append("/stream");
  }
  const auto& r = exchange.reconnect;
  c.connect_timeout_ns = r.connect_timeout_ms * 1'000'000;
  c.request_timeout_ns = r.request_timeout_ms * 1'000'000;
  c.ws_idle_timeout_ns = r.dead_stream_timeout_ms * 1'000'000;
  c.backoff.initial_ns = r.initial_backoff_ms * 1'000'000;
  c.backoff.max_ns = r.max_backoff_ms * 1'000'000;
  return c;
}

BinanceGatewayConfig BinanceGatewayConfig::fromJson(const nlohmann::json& j, const std::string& source) {
  const config::JsonNode root(j, source);
  root.expectObject({"market", "rest_url", "ws_url", "market_ws_url", "depth_path", "symbols", "trade_stream", "depth_stream",
                     "book_ticker", "snapshot_limit", "snapshot_retry_ms", "ws_idle_timeout_ms", "connect_timeout_ms",
                     "request_timeout_ms"});
  Market market = Market::Spot;
  if (root.has("market")) {
    const config::JsonNode m = root.child("market", "\"spot\" or \"futures\"");
    const std::string s = m.asString();
    if (s == "futures" || s == "usdm") market = Market::UsdM;
    else if (s != "spot") m.fail("\"spot\" or \"futures\"");
  }
  BinanceGatewayConfig c = defaultsFor(market);
  c.rest_url = root.optionalString("rest_url", c.rest_url);
  if (root.has("ws_url")) c.setWsUrls(root.optionalString("ws_url", c.ws_url));
  c.market_ws_url = root.optionalString("market_ws_url", c.market_ws_url);
  c.depth_path = root.optionalString("depth_path", c.depth_path);
  for (const config::JsonNode& s : root.child("symbols", "an array of venue symbols").elements())
    c.symbols.push_back(s.asString());
  if (root.has("trade_stream")) {
    const config::JsonNode t = root.child("trade_stream", "\"trade\" or \"aggTrade\"");
    c.trade_stream = t.asString();
    if (c.trade_stream != "trade" && c.trade_stream != "aggTrade") t.fail("\"trade\" or \"aggTrade\"");
  }
  c.depth_stream = root.optionalString("depth_stream", c.depth_stream);
  c.book_ticker = root.optionalBool("book_ticker", c.book_ticker);
  c.snapshot_limit = static_cast<uint32_t>(root.optionalInt("snapshot_limit", 5, 5000, c.snapshot_limit));
  c.snapshot_retry_ns = root.optionalInt("snapshot_retry_ms", 1, 3'600'000, c.snapshot_retry_ns / 1'000'000) * 1'000'000;
  c.ws_idle_timeout_ns = root.optionalInt("ws_idle_timeout_ms", 100, 600'000, c.ws_idle_timeout_ns / 1'000'000) * 1'000'000;
  c.connect_timeout_ns = root.optionalInt("connect_timeout_ms", 10, 600'000, c.connect_timeout_ns / 1'000'000) * 1'000'000;
  c.request_timeout_ns = root.optionalInt("request_timeout_ms", 10, 600'000, c.request_timeout_ns / 1'000'000) * 1'000'000;
  return c;
}

// ---- the gateway ----------------------------------------------------------------------------

namespace {

constexpr size_t kMaxSubscribeBytes = 3500;  // under the client's 4096-byte send slots
constexpr size_t kMaxSubscribeFrames = 5;    // Binance: at most 5 incoming messages per second

const char* reasonName(interfaces::WsDisconnectReason r) noexcept {
  using R = interfaces::WsDisconnectReason;
  switch (r) {
    case R::None: return "none";
    case R::ConnectFailed: return "connect failed";
    case R::ClosedByPeer: return "closed by peer";
    case R::DeadStream: return "dead stream";
    case R::MaxAge: return "max connection age";
    case R::Overflow: return "inbound overflow";
    case R::Error: return "error";
  }
  return "unknown";
}

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

/// SUBSCRIBE frames for `streams`, as few as fit; each one is re-sent by the client after every
/// reconnect. Ids count on from `nextId` so that they are unique across connections.
std::vector<std::string> subscribeFrames(const std::vector<std::string>& streams, size_t& nextId) {
  std::vector<std::string> frames;
  std::string frame;
  for (size_t i = 0; i < streams.size(); ++i) {
    if (frame.empty()) frame = R"({"method":"SUBSCRIBE","params":[)";
    else frame.append(",");
    frame.append("\"").append(streams[i]).append("\"");
    const bool last = i + 1 == streams.size();
    if (last || frame.size() + streams[i + 1].size() + 32 > kMaxSubscribeBytes) {
      frame.append("],\"id\":").append(std::to_string(nextId++)).append("}");
      frames.push_back(std::move(frame));
      frame.clear();
    }
  }
  if (frames.size() > kMaxSubscribeFrames)
    throw std::invalid_argument("binance gateway: too many streams for one connection's subscribe rate");
  return frames;
}

/// One instrument's depth stream: its sync state and its snapshot request.
struct Book {
  Book(const config::Instrument& inst, Market m) : instrument(&inst), sync({api::binance::exchangeOf(m), inst.id, m}) {}
  const config::Instrument* instrument;
  BookSync sync;
  std::string target;       ///< GET depth target, built once
  uint64_t in_flight = 0;   ///< request id of the snapshot in flight; 0 = none
  int64_t retry_at_ns = 0;  ///< monotonic: no new request before this
};

}  // namespace

struct BinanceGateway::Impl final : interfaces::IRestResponseHandler {
  /// Which of the gateway's WebSocket connections.
  enum class Role : uint8_t {
    Books = 0,   ///< spot: every stream; USD-M: /public (depth, bookTicker). Its reconnect resyncs books.
    Trades = 1,  ///< USD-M: /market (aggTrade). Its reconnect loses trades only.
  };

  /// One WebSocket connection: its client, its subscription and its counters. The handler
  /// calls come on the polling thread (inside client->poll()) and go to the Impl.
  struct Connection final : interfaces::IWebSocketHandler {
    Connection(Impl& i, Role r, std::string u, BinanceConnectionCounters& counters)
        : impl(i), role(r), url(std::move(u)), c(counters) {}
    void onMessage(const interfaces::WsMessage& m) noexcept override {
      ++c.frames;
      impl.onMessage(m);
    }
    void onState(const interfaces::WsStateChange& s) noexcept override { impl.onState(*this, s); }

    Impl& impl;
    const Role role;
    const std::string url;
    BinanceConnectionCounters& c;
    std::vector<std::string> subscriptions;
    size_t streams = 0;
    std::unique_ptr<net::BeastWebSocketClient> client;
  };

  Impl(BinanceGatewayConfig conf, const config::InstrumentRegistry& reg)
      : cfg(std::move(conf)), registry(reg), resolver(reg), parser(resolver) {
    if (cfg.symbols.empty()) throw std::invalid_argument("binance gateway: no symbols configured");
    if (cfg.depth_path.empty()) cfg.depth_path = BinanceGatewayConfig::defaultsFor(cfg.market).depth_path;
    const bool splitRoutes = cfg.market == Market::UsdM;
    if (splitRoutes && cfg.market_ws_url.empty())
      throw std::invalid_argument("binance gateway: USD-M needs market_ws_url (the /market route serving aggTrade)");
    const common::ExchangeId exchange = api::binance::exchangeOf(cfg.market);
    std::vector<std::string> bookStreams;
    std::vector<std::string> tradeStreams;
    for (const std::string& sym : cfg.symbols) {
      const config::Instrument* inst = registry.byVenueSymbol(exchange, sym);
      if (inst == nullptr) {
        std::string why = "binance gateway: symbol \"";
        why.append(sym).append("\" is not configured on ").append(common::toString(exchange));
        why.append(" (config/instruments.json)");
        throw std::invalid_argument(why);
      }
      auto& b = books.emplace_back(std::make_unique<Book>(*inst, cfg.market));
      b->target = cfg.depth_path;
      b->target.append("?symbol=").append(inst->venue_symbol).append("&limit=").append(std::to_string(cfg.snapshot_limit));
      const std::string s = lower(inst->venue_symbol);
      (splitRoutes ? tradeStreams : bookStreams).push_back(std::string(s).append("@").append(cfg.trade_stream));
      if (cfg.book_ticker) bookStreams.push_back(std::string(s).append("@bookTicker"));
      bookStreams.push_back(std::string(s).append("@").append(cfg.depth_stream));
    }
    size_t nextId = 1;
    addConnection(Role::Books, cfg.ws_url, bookStreams, nextId, c.book_ws);
    if (splitRoutes) addConnection(Role::Trades, cfg.market_ws_url, tradeStreams, nextId, c.trade_ws);
    net::RestClientConfig rc;
    rc.base_url = cfg.rest_url;
    rc.tls = cfg.tls;
    rc.connect_timeout_ns = cfg.connect_timeout_ns;
    rc.request_timeout_ns = cfg.request_timeout_ns;
    rest = std::make_unique<net::BeastRestClient>(rc);
  }

  void addConnection(Role role, const std::string& url, const std::vector<std::string>& streams, size_t& nextId,
                     BinanceConnectionCounters& counters) {
    auto conn = std::make_unique<Connection>(*this, role, url, counters);
    conn->subscriptions = subscribeFrames(streams, nextId);
    conn->streams = streams.size();
    net::WebSocketClientConfig wc;
    wc.url = url;
    wc.tls = cfg.tls;
    wc.connect_timeout_ns = cfg.connect_timeout_ns;
    wc.idle_timeout_ns = cfg.ws_idle_timeout_ns;
    wc.backoff = cfg.backoff;
    conn->client = std::make_unique<net::BeastWebSocketClient>(wc);
    connections.push_back(std::move(conn));
  }

  const char* venue() const noexcept { return cfg.market == Market::Spot ? "binance" : "binance_futures"; }
  common::ExchangeId exchange() const noexcept { return api::binance::exchangeOf(cfg.market); }

  void publish(common::EventHeader& h) noexcept {
    sink->onEvent(h);
    ++delivered;
  }

  void publishGap(const Book& b, common::GapReason reason, TimestampNs rx, uint32_t flags = 0) noexcept {
    common::Gap g{};
    // Exchange time unknown (0): consumers order it by receive time.
    g.header = common::makeHeader<common::Gap>(exchange(), b.instrument->id, 0, rx);
    g.header.flags = flags;
    g.lost_count = 0;  // unknown: update ids do not count messages
    g.reason = reason;
    publish(g.header);
    ++c.gaps_published;
  }

  Book* bookOf(const config::Instrument* inst) noexcept {
    for (auto& b : books)
      if (b->instrument == inst) return b.get();
    return nullptr;
  }

  // -- WebSocket ------------------------------------------------------------------------------

  void onMessage(const interfaces::WsMessage& m) noexcept {
    ++c.frames;
    const api::binance::ParseResult r = parser.parse(m.text);
    if (!r.ok()) {
      // Rare and a sign of a schema change or a misconfigured scale: log the 1st, 2nd, 4th, ...
      ++c.parse_errors;
      if ((c.parse_errors & (c.parse_errors - 1)) == 0)
        std::fprintf(stderr, "%s: unparsable frame (%" PRIu64 " so far): %s %s field \"%s\" symbol \"%.*s\"\n", venue(),
                     c.parse_errors, api::binance::toString(r.kind), api::binance::toString(r.status), r.field,
                     static_cast<int>(parser.symbol().size()), parser.symbol().data());
      return;
    }
    switch (r.kind) {
      case MessageKind::Trade:
      case MessageKind::AggTrade: return onTrade(parser.trade(), m.recv_ns);
      case MessageKind::BookTicker: return onTicker(parser.bookTicker(), m.recv_ns);
      case MessageKind::DepthUpdate: return onDiff(parser.depth(), m.recv_ns);
      default: break;
    }
    ++c.other_messages;
    if (m.text.find("\"error\"") != std::string_view::npos)  // a refused SUBSCRIBE: cold, log it
      std::fprintf(stderr, "%s: venue error: %.*s\n", venue(), static_cast<int>(std::min<size_t>(m.text.size(), 300)),
                   m.text.data());
  }

  void onTrade(const api::binance::ParsedTrade& p, TimestampNs rx) noexcept {
    common::Trade t{};
    t.header = common::makeHeader<common::Trade>(exchange(), p.instrument->id, p.event_ns != 0 ? p.event_ns : p.trade_ns, rx);
    t.price = p.price;
    t.qty = p.qty;
    t.trade_id = p.trade_id;
    t.aggressor = p.aggressor;
    publish(t.header);
    ++c.trades;
  }

  void onTicker(const api::binance::ParsedBookTicker& p, TimestampNs rx) noexcept {
    common::BestBidOffer b{};
    b.header = common::makeHeader<common::BestBidOffer>(exchange(), p.instrument->id, p.event_ns, rx);
    b.bid_price = p.bid_price;
    b.bid_qty = p.bid_qty;
    b.ask_price = p.ask_price;
    b.ask_qty = p.ask_qty;
    b.update_id = p.update_id;
    publish(b.header);
    ++c.tickers;
  }

  /// Publishes each piece; after the last piece of a snapshot chain, its top as a BookSnapshot.
  auto deltaSink(const api::binance::ParsedDepth& d, const Book& b, TimestampNs rx) noexcept {
    return [this, &d, &b, rx](BookDelta& piece) {
      publish(piece.header);
      ++c.deltas;
      if ((piece.flags & BookDelta::kContinuation) == 0 && (piece.flags & BookDelta::kFromSnapshot) != 0)
        publishTop(d, b, rx);
    };
  }

  void publishTop(const api::binance::ParsedDepth& d, const Book& b, TimestampNs rx) noexcept {
    using common::BookSnapshot;
    BookSnapshot s{};
    s.header = common::makeHeader<BookSnapshot>(exchange(), b.instrument->id, d.event_ns, rx);
    s.last_update_id = d.last_update_id;
    s.bid_count = static_cast<uint16_t>(std::min<size_t>(d.bids.size(), BookSnapshot::kDepth));
    s.ask_count = static_cast<uint16_t>(std::min<size_t>(d.asks.size(), BookSnapshot::kDepth));
    std::copy_n(d.bids.begin(), s.bid_count, s.bids);  // venue order: best first
    std::copy_n(d.asks.begin(), s.ask_count, s.asks);
    publish(s.header);
    ++c.book_snapshots;
  }

  void onDiff(const api::binance::ParsedDepth& d, TimestampNs rx) noexcept {
    ++c.diffs;
    Book* b = bookOf(d.instrument);
    if (b == nullptr) {  // a symbol we did not subscribe to
      ++c.other_messages;
      return;
    }
    const uint64_t bookId = b->sync.bookUpdateId();
    if (b->sync.onDiff(d, rx, deltaSink(d, *b, rx)) != BookSync::Result::Gap) return;
    ++c.sequence_gaps;
    ++c.resyncs;
    publishGap(*b, common::GapReason::FeedSequenceGap, rx);
    std::fprintf(stderr,
                 "%s: %s depth update ids not contiguous (book at %" PRIu64 ", got U=%" PRIu64 " u=%" PRIu64
                 " pu=%" PRIu64 "): Gap published, resyncing from a new snapshot (gaps %" PRIu64 ")\n",
                 venue(), b->instrument->venue_symbol.c_str(), bookId, d.first_update_id, d.last_update_id,
                 d.prev_update_id, c.sequence_gaps);  // pu is 0 on spot
  }

  void onState(Connection& conn, const interfaces::WsStateChange& s) noexcept {
    using interfaces::WsState;
    const bool bookConnection = conn.role == Role::Books;
    switch (s.state) {
      case WsState::Connected:
        ++c.connects;
        ++conn.c.connects;
        if (bookConnection) up = true;
        std::fprintf(stderr, "%s: connected to %s (%zu streams in %zu subscribe frames)\n", venue(), conn.url.c_str(),
                     conn.streams, conn.subscriptions.size());
        break;
      case WsState::Disconnected:
        ++c.disconnects;
        ++conn.c.disconnects;
        std::fprintf(stderr, "%s: disconnected from %s (%s)\n", venue(), conn.url.c_str(), reasonName(s.reason));
        if (bookConnection) up = false;
        break;
      case WsState::Reconnecting: break;  // the Disconnected before it was logged
      case WsState::Reconnected:
        ++c.reconnects;
        ++conn.c.reconnects;
        if (!bookConnection) return onTradesReconnected(s.ts_ns);
        // Frames may have been missed while down: every book restarts from a fresh snapshot,
        // and the discontinuity goes on the bus (and into recordings) as a Gap per instrument.
        up = true;
        for (auto& b : books) {
          b->sync.reset();
          b->in_flight = 0;  // an answer still in flight belongs to the old book: ignored
          b->retry_at_ns = 0;
          ++c.resyncs;
          publishGap(*b, common::GapReason::FeedReconnect, s.ts_ns);
        }
        std::fprintf(stderr, "%s: reconnected to %s (%" PRIu64 " reconnects): Gap published, resyncing %zu books\n",
                     venue(), conn.url.c_str(), conn.c.reconnects, books.size());
        break;
    }
  }

  /// The trade connection came back: trades in between are lost (a Gap per instrument says so,
  /// flagged kTradesOnly), but the books never missed a diff: no resync.
  void onTradesReconnected(TimestampNs ts) noexcept {
    for (auto& b : books) publishGap(*b, common::GapReason::FeedReconnect, ts, common::Gap::kTradesOnly);
    std::fprintf(stderr, "%s: reconnected to %s (%" PRIu64 " reconnects): trade Gap published, books unaffected\n",
                 venue(), cfg.market_ws_url.c_str(), c.trade_ws.reconnects);
  }

  // -- REST snapshots -------------------------------------------------------------------------

  /// Asks for a snapshot for every book that needs one, once its diffs are being buffered (the
  /// venue's procedure: open the stream first, then fetch the snapshot).
  void requestSnapshots() noexcept {
    if (!up) return;
    int64_t now = 0;
    for (auto& bp : books) {
      Book& b = *bp;
      if (b.sync.state() == BookSync::State::Synced || b.in_flight != 0 || b.sync.buffered() == 0) continue;
      if (b.retry_at_ns != 0) {
        if (now == 0) now = common::monoNowNs();
        if (now < b.retry_at_ns) continue;
      }
      interfaces::RestRequest req;
      req.method = interfaces::HttpMethod::Get;
      req.target = b.target;
      req.request_id = nextRequestId;
      if (rest->submit(req) != interfaces::SubmitStatus::Queued) {
        ++c.submit_refused;  // retried on the next poll
        continue;
      }
      ++nextRequestId;
      b.in_flight = req.request_id;
      ++c.snapshots_requested;
    }
  }

  void retryLater(Book& b, int64_t delayNs) noexcept { b.retry_at_ns = common::monoNowNs() + delayNs; }

  void onResponse(const interfaces::RestResponse& r) noexcept override {
    Book* b = nullptr;
    for (auto& bp : books)
      if (bp->in_flight == r.request_id) b = bp.get();
    if (b == nullptr) return;  // superseded by a reconnect
    b->in_flight = 0;
    const char* sym = b->instrument->venue_symbol.c_str();
    if (!r.ok() || r.status != 200) {
      ++c.snapshot_failures;
      int64_t delay = cfg.snapshot_retry_ns;
      const std::string_view ra = r.header("Retry-After");  // 429 / 418: the venue says how long
      int64_t secs = 0;
      if (!ra.empty() && std::from_chars(ra.data(), ra.data() + ra.size(), secs).ec == std::errc() && secs > 0)
        delay = std::max(delay, secs * 1'000'000'000);
      retryLater(*b, delay);
      std::fprintf(stderr, "%s: %s snapshot failed (outcome %u, HTTP %u): retry in %" PRId64 " ms\n", venue(), sym,
                   static_cast<unsigned>(r.outcome), static_cast<unsigned>(r.status), delay / 1'000'000);
      return;
    }
    resolver.snapshotInstrument = b->instrument;
    const api::binance::ParseResult pr = parser.parse(r.body);
    resolver.snapshotInstrument = nullptr;
    if (!pr.ok() || pr.kind != MessageKind::DepthSnapshot) {
      ++c.snapshot_failures;
      ++c.parse_errors;
      retryLater(*b, cfg.snapshot_retry_ns);
      std::fprintf(stderr, "%s: %s snapshot unparsable (%s, field \"%s\")\n", venue(), sym,
                   api::binance::toString(pr.status), pr.field);
      return;
    }
    const api::binance::ParsedDepth& d = parser.depth();
    const TimestampNs rx = r.received_ns;
    switch (b->sync.onSnapshot(d, rx, deltaSink(d, *b, rx))) {
      case BookSync::Result::Applied:
        ++c.snapshots_applied;
        std::fprintf(stderr, "%s: %s book synced on snapshot lastUpdateId=%" PRIu64 " (now at %" PRIu64 ")\n", venue(),
                     sym, d.last_update_id, b->sync.bookUpdateId());
        break;
      case BookSync::Result::Gap:  // published the snapshot, then found the buffered diffs broken
        ++c.snapshots_applied;
        ++c.sequence_gaps;
        ++c.resyncs;
        publishGap(*b, common::GapReason::FeedSequenceGap, rx);
        std::fprintf(stderr, "%s: %s diffs buffered after snapshot %" PRIu64 " not contiguous: Gap published, resyncing\n",
                     venue(), sym, d.last_update_id);
        break;
      case BookSync::Result::SnapshotTooOld:
        ++c.snapshots_too_old;
        std::fprintf(stderr, "%s: %s snapshot %" PRIu64 " older than the buffered diffs: asking again\n", venue(), sym,
                     d.last_update_id);
        break;
      default: break;  // Stale/Buffered: cannot happen while not synced
    }
  }

  int poll() noexcept {
    delivered = 0;
    size_t wsWork = 0;
    for (auto& conn : connections) wsWork += conn->client->poll(*conn, cfg.max_frames_per_poll);
    const size_t restWork = rest->poll(*this);
    requestSnapshots();
    return delivered > 0 ? delivered : static_cast<int>(wsWork + restWork);
  }

  BinanceGatewayConfig cfg;
  const config::InstrumentRegistry& registry;
  api::binance::RegistryResolver resolver;
  api::binance::MarketDataParser parser;
  std::vector<std::unique_ptr<Book>> books;
  BinanceGatewayCounters c;  // before connections: they keep references into it
  std::vector<std::unique_ptr<Connection>> connections;  ///< [0] Books, [1] Trades (USD-M only)
  std::unique_ptr<net::BeastRestClient> rest;
  interfaces::IEventSink* sink = nullptr;
  bool up = false;  ///< the book connection is up (snapshots are asked only then)
  bool started = false;
  uint64_t nextRequestId = 1;
  int delivered = 0;
};

BinanceGateway::BinanceGateway(BinanceGatewayConfig config, const config::InstrumentRegistry& registry)
    : impl_(std::make_unique<Impl>(std::move(config), registry)) {}

BinanceGateway::~BinanceGateway() { stop(); }

std::string BinanceGateway::name() const { return impl_->venue(); }

void BinanceGateway::start(interfaces::IEventSink& sink) {
  if (impl_->started) throw std::logic_error("binance gateway: started twice");
  impl_->sink = &sink;
  impl_->rest->start();
  for (auto& conn : impl_->connections) conn->client->start();
  impl_->started = true;
  for (auto& conn : impl_->connections)
    for (const std::string& frame : conn->subscriptions)
      if (conn->client->send(frame, /*resubscribe=*/true) != interfaces::WsSendStatus::Queued)
        throw std::runtime_error("binance gateway: could not queue the subscription");
}

int BinanceGateway::poll() noexcept { return impl_->started ? impl_->poll() : 0; }

void BinanceGateway::stop() noexcept {
  if (!impl_->started) return;
  for (auto& conn : impl_->connections) conn->client->stop();
  impl_->rest->stop();
  impl_->started = false;
}

const BinanceGatewayCounters& BinanceGateway::counters() const noexcept { return impl_->c; }

std::vector<std::string> BinanceGateway::statusLines() const {
  const BinanceGatewayCounters& bc = impl_->c;
  const std::string n = name();
  std::vector<std::string> out;
  out.push_back(common::stringPrintf("%s: %" PRIu64 " frames, %" PRIu64 " reconnects, %" PRIu64 " sequence gaps, %" PRIu64
                                     " resyncs, %" PRIu64 "/%" PRIu64 " snapshots applied/requested, %" PRIu64 " parse errors",
                                     n.c_str(), bc.frames, bc.reconnects, bc.sequence_gaps, bc.resyncs, bc.snapshots_applied,
                                     bc.snapshots_requested, bc.parse_errors));
  const BinanceConnectionCounters& b = bc.book_ws;
  const BinanceConnectionCounters& t = bc.trade_ws;
  if (tradeSubscriptions().empty())
    out.push_back(common::stringPrintf("%s: connection: %" PRIu64 " frames, %" PRIu64 " disconnects, %" PRIu64 " reconnects",
                                       n.c_str(), b.frames, b.disconnects, b.reconnects));
  else
    out.push_back(common::stringPrintf("%s: /public (books): %" PRIu64 " frames, %" PRIu64 " disconnects, %" PRIu64
                                       " reconnects; /market (trades): %" PRIu64 " frames, %" PRIu64 " disconnects, %" PRIu64
                                       " reconnects",
                                       n.c_str(), b.frames, b.disconnects, b.reconnects, t.frames, t.disconnects, t.reconnects));
  return out;
}
const std::vector<std::string>& BinanceGateway::subscriptions() const noexcept {
  return impl_->connections.front()->subscriptions;
}
const std::vector<std::string>& BinanceGateway::tradeSubscriptions() const noexcept {
  static const std::vector<std::string> kNone;
  return impl_->connections.size() > 1 ? impl_->connections[1]->subscriptions : kNone;
}

}  // namespace hft::gateways
