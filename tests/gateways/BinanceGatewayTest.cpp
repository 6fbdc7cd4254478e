// BinanceGateway against a fake Binance on 127.0.0.1 (one Beast server, one port): GET
// /api/v3/depth (spot) or /fapi/v1/depth (USD-M) snapshots and combined-stream WebSockets. Spot
// serves every stream at /stream; USD-M routes by path as the real venue does since its URL split:
// /public/stream serves depth and bookTicker only, /market/stream trades only, and a SUBSCRIBE
// for a stream the route does not serve is answered with an error (counted). The fake venue keeps the
// true book; each WebSocket connection runs a script (send a diff, skip a diff the venue applied,
// send a trade, wait for something, drop the connection). Payload shapes follow
// exchange-samples/binance/spot (combined wrapper, depthUpdate, trade, bookTicker, REST depth),
// hard-coded here so the test runs without /work/shared.
#include <gtest/gtest.h>

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
#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/Events.h"
#include "common/FixedPoint.h"
#include "config/ConfigError.h"
#include "config/InstrumentRegistry.h"
#include "gateways/BinanceGateway.h"

namespace hft::gateways {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using asio::redirect_error;
using asio::use_awaitable;
using common::BookDelta;
using common::EventType;

constexpr int kPriceScale = 2;  // BTCUSDT spot in the registry below
constexpr int kQtyScale = 5;

const config::InstrumentRegistry& registry() {
  static const auto reg = config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 1, "exchange": "binance", "base": "BTC", "quote": "USDT", "venue_symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 5, "tick_size": "0.01", "lot_size": "0.00001"},
    {"id": 2, "exchange": "binance", "base": "ETH", "quote": "USDT", "venue_symbol": "ETHUSDT", "price_scale": 2, "qty_scale": 4, "tick_size": "0.01", "lot_size": "0.0001"},
    {"id": 3, "exchange": "binance_futures", "base": "BTC", "quote": "USDT", "venue_symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 5, "tick_size": "0.01", "lot_size": "0.00001"}
  ]})"), "test");
  return reg;
}

template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string s;
  (s.append(std::string_view(parts)), ...);
  return s;
}

/// Binance prints 8 decimals; the parser accepts the trailing zeros beyond the instrument's scale.
std::string dec(int64_t raw, int scale) {
  int64_t r8 = 0;
  EXPECT_TRUE(common::rescale(raw, scale, 8, r8));
  return common::formatDecimal(r8, 8);
}

// ---- the venue's true book ------------------------------------------------------------------

struct Change {
  bool bid;
  int64_t price;  // raw at kPriceScale
  int64_t qty;    // raw at kQtyScale, 0 = remove
};
struct Diff {
  uint64_t first, last;
  std::vector<Change> changes;
  uint64_t prev = 0;  // USD-M "pu": the venue fills it in (the last id it applied before)
};

struct Book {
  std::map<int64_t, int64_t, std::greater<>> bids;
  std::map<int64_t, int64_t> asks;
  uint64_t id = 0;
  void set(const Change& c) {
    if (c.bid) {
      if (c.qty == 0) bids.erase(c.price);
      else bids[c.price] = c.qty;
    } else {
      if (c.qty == 0) asks.erase(c.price);
      else asks[c.price] = c.qty;
    }
  }
  bool operator==(const Book& o) const { return bids == o.bids && asks == o.asks && id == o.id; }
};

Book initialBook() {
  Book b;
  b.id = 100;
  for (int i = 0; i < 20; ++i) {  // 40 levels: the snapshot chain takes several BookDelta pieces
    b.bids[6'500'000 - i * 10] = 100'000 + i * 1000;  // 65000.00, 64999.90, ... x 1.00000 ...
    b.asks[6'500'010 + i * 10] = 200'000 + i * 1000;
  }
  return b;
}

std::string levelsJson(const auto& side) {
  std::string s = "[";
  for (const auto& [p, q] : side) {
    if (s.size() > 1) s.append(",");
    s.append("[\"").append(dec(p, kPriceScale)).append("\",\"").append(dec(q, kQtyScale)).append("\"]");
  }
  return s.append("]");
}

std::string snapshotJson(const Book& b, bool futures) {  // GET /api/v3/depth or /fapi/v1/depth
  return cat(R"({"lastUpdateId":)", std::to_string(b.id), futures ? R"(,"E":1723161255343,"T":1723161255340)" : "",
             R"(,"bids":)", levelsJson(b.bids), R"(,"asks":)", levelsJson(b.asks), "}");
}

std::string diffFrame(const Diff& d, bool futures) {  // combined wrapper around a depthUpdate
  std::map<int64_t, int64_t, std::greater<>> bids;
  std::map<int64_t, int64_t> asks;
  for (const Change& c : d.changes) (c.bid ? bids[c.price] : asks[c.price]) = c.qty;
  return cat(R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255343,)",
             futures ? R"("T":1723161255340,)" : "", R"("s":"BTCUSDT","U":)", std::to_string(d.first), R"(,"u":)",
             std::to_string(d.last), futures ? cat(R"(,"pu":)", std::to_string(d.prev)) : std::string(), R"(,"b":)",
             levelsJson(bids), R"(,"a":)", levelsJson(asks), "}}");
}

/// USD-M aggTrade (exchange-samples/binance/futures-usdm/ws/aggTrade.json) in the combined wrapper.
std::string aggTradeFrame(uint64_t id, const char* price, const char* qty, bool buyerIsMaker) {
  return cat(R"({"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1723161255343,"s":"BTCUSDT","a":)",
             std::to_string(id), R"(,"p":")", price, R"(","q":")", qty, R"(","nq":")", qty,
             R"(","f":100,"l":105,"T":1723161255342,"m":)", buyerIsMaker ? "true" : "false", "}}");
}

std::string tradeFrame(const char* symbol, const char* lowerSymbol, uint64_t id, const char* price, const char* qty,
                       bool buyerIsMaker) {
  return cat(R"({"stream":")", lowerSymbol, R"(@trade","data":{"e":"trade","E":1723161255343,"s":")", symbol,
             R"(","t":)", std::to_string(id), R"(,"p":")", price, R"(","q":")", qty,
             R"(","T":1723161255342,"m":)", buyerIsMaker ? "true" : "false", R"(,"M":true}})");
}

// ---- the fake venue -------------------------------------------------------------------------

struct Step {
  enum Kind { SendDiff, MissDiff, SendText, Await, Drop } kind;
  Diff diff{};
  std::string text{};
  std::function<bool()> until{};
};
Step send(Diff d) { return {Step::SendDiff, std::move(d)}; }
Step miss(Diff d) { return {Step::MissDiff, std::move(d)}; }
Step text(std::string t) { return {Step::SendText, {}, std::move(t)}; }
Step await(std::function<bool()> f) { return {Step::Await, {}, {}, std::move(f)}; }
Step drop() { return {Step::Drop}; }

/// Which WebSocket paths the fake serves, and what each serves.
enum class Venue { Spot, UsdM };

class FakeBinance {
 public:
  /// `scripts[i]` runs on the i-th book connection (spot /stream, USD-M /public/stream; later
  /// connections: none, just stay open); `marketScripts[i]` on the i-th USD-M /market/stream one.
  /// `snapshotIds[i]`: the update id whose book the i-th depth request gets.
  FakeBinance(std::vector<std::vector<Step>> scripts, std::vector<uint64_t> snapshotIds, Venue venue = Venue::Spot,
              std::vector<std::vector<Step>> marketScripts = {})
      : venue_(venue), scripts_(std::move(scripts)), marketScripts_(std::move(marketScripts)),
        snapshotIds_(std::move(snapshotIds)) {
    truth_ = initialBook();
    history_.push_back(truth_);
    asio::co_spawn(ioc_, acceptLoop(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~FakeBinance() {
    ioc_.stop();
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string restUrl() const { return cat("http://127.0.0.1:", std::to_string(port())); }
  std::string wsUrl() const {
    return cat("ws://127.0.0.1:", std::to_string(port()), venue_ == Venue::Spot ? "/stream" : "/public/stream");
  }
  std::string marketWsUrl() const { return cat("ws://127.0.0.1:", std::to_string(port()), "/market/stream"); }

  uint64_t snapshotsServed() const { return served_.load(); }
  uint64_t wsConnections() const { return wsConnections_.load(); }  ///< book connections
  uint64_t marketConnections() const { return marketConnections_.load(); }
  uint64_t scriptsDone() const { return scriptsDone_.load(); }
  uint64_t refusedSubscriptions() const { return refused_.load(); }  ///< streams asked on the wrong route
  Book truth() const {
    std::lock_guard lock(mutex_);
    return truth_;
  }
  std::vector<std::string> wsReceived() const {  ///< SUBSCRIBE frames on book connections
    std::lock_guard lock(mutex_);
    return wsReceived_;
  }
  std::vector<std::string> marketReceived() const {  ///< SUBSCRIBE frames on /market connections
    std::lock_guard lock(mutex_);
    return marketReceived_;
  }
  std::vector<std::string> restTargets() const {
    std::lock_guard lock(mutex_);
    return restTargets_;
  }

 private:
  /// Returns the id the book was at before (USD-M "pu").
  uint64_t applyToTruth(const Diff& d) {
    std::lock_guard lock(mutex_);
    const uint64_t prev = truth_.id;
    for (const Change& c : d.changes) truth_.set(c);
    truth_.id = d.last;
    history_.push_back(truth_);
    return prev;
  }

  std::string depthAnswer(unsigned& status) {
    std::lock_guard lock(mutex_);
    const size_t i = served_.load();
    status = 500;
    if (i >= snapshotIds_.size()) return R"({"code":-1000,"msg":"unexpected snapshot request"})";
    for (const Book& b : history_)
      if (b.id == snapshotIds_[i]) {
        status = 200;
        return snapshotJson(b, venue_ == Venue::UsdM);
      }
    return R"({"code":-1000,"msg":"snapshot id not reached yet"})";
  }

  asio::awaitable<void> runScript(websocket::stream<beast::tcp_stream>& ws, const std::vector<std::vector<Step>>& scripts,
                                  size_t index) {
    boost::system::error_code ec;
    ws.text(true);
    if (index >= scripts.size()) co_return;
    for (const Step& step : scripts[index]) {
      std::string frame;
      switch (step.kind) {
        case Step::SendDiff: {
          Diff sent = step.diff;
          sent.prev = applyToTruth(step.diff);
          frame = diffFrame(sent, venue_ == Venue::UsdM);
          break;
        }
        case Step::MissDiff: applyToTruth(step.diff); break;
        case Step::SendText: frame = step.text; break;
        case Step::Await: {
          const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
          asio::steady_timer timer(ioc_);
          while (!step.until() && std::chrono::steady_clock::now() < deadline) {
            timer.expires_after(std::chrono::milliseconds(1));
            co_await timer.async_wait(redirect_error(use_awaitable, ec));
          }
          break;
        }
        case Step::Drop:
          beast::get_lowest_layer(ws).socket().shutdown(tcp::socket::shutdown_both, ec);
          beast::get_lowest_layer(ws).close();
          scriptsDone_.fetch_add(1);
          co_return;
      }
      if (frame.empty()) continue;
      co_await ws.async_write(asio::buffer(frame), redirect_error(use_awaitable, ec));
      if (ec) co_return;
    }
    scriptsDone_.fetch_add(1);
  }

  /// Spot: everything on /stream. USD-M: /public/stream (and the legacy unrouted /stream) serve
  /// depth and bookTicker, /market/stream the trade streams. "" = no such path.
  enum class Route { None, All, Public, Market };
  Route routeOf(std::string_view target) const {
    if (venue_ == Venue::Spot) return target == "/stream" ? Route::All : Route::None;
    if (target == "/public/stream" || target == "/stream") return Route::Public;
    return target == "/market/stream" ? Route::Market : Route::None;
  }
  static bool serves(Route route, const std::string& subscribe) {
    const bool trades = subscribe.find("@aggTrade\"") != std::string::npos || subscribe.find("@trade\"") != std::string::npos;
    const bool books = subscribe.find("@depth") != std::string::npos || subscribe.find("@bookTicker") != std::string::npos;
    if (route == Route::Public) return !trades;
    if (route == Route::Market) return !books;
    return true;
  }

  asio::awaitable<void> serveWs(beast::tcp_stream stream, http::request<http::string_body> req) {
    const Route route = routeOf(std::string_view(req.target().data(), req.target().size()));
    boost::system::error_code ec;
    if (route == Route::None) {  // refuse the upgrade: the real venue answers 404 on unknown paths
      http::response<http::string_body> res{http::status::not_found, 11};
      res.body() = R"({"code":-1,"msg":"no such stream path"})";
      res.prepare_payload();
      co_await http::async_write(stream, res, redirect_error(use_awaitable, ec));
      co_return;
    }
    websocket::stream<beast::tcp_stream> ws(std::move(stream));
    co_await ws.async_accept(req, redirect_error(use_awaitable, ec));
    if (ec) co_return;
    const bool market = route == Route::Market;
    const size_t index = (market ? marketConnections_ : wsConnections_).fetch_add(1);
    beast::flat_buffer buffer;
    co_await ws.async_read(buffer, redirect_error(use_awaitable, ec));  // the SUBSCRIBE frame
    if (ec) co_return;
    const std::string subscribe = beast::buffers_to_string(buffer.data());
    {
      std::lock_guard lock(mutex_);
      (market ? marketReceived_ : wsReceived_).push_back(subscribe);
    }
    std::string reply = R"({"result":null,"id":1})";
    if (!serves(route, subscribe)) {
      refused_.fetch_add(1);
      reply = R"({"error":{"code":2,"msg":"Invalid request: stream not served on this route"},"id":1})";
    }
    ws.text(true);
    co_await ws.async_write(asio::buffer(reply), redirect_error(use_awaitable, ec));
    if (ec) co_return;
    co_await runScript(ws, market ? marketScripts_ : scripts_, index);
    for (;;) {  // keep reading: answers pings, notices the close
      beast::flat_buffer b;
      co_await ws.async_read(b, redirect_error(use_awaitable, ec));
      if (ec) co_return;
    }
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
      const std::string target(req.target());
      {
        std::lock_guard lock(mutex_);
        restTargets_.push_back(target);
      }
      unsigned status = 404;
      std::string body = R"({"code":-1,"msg":"not found"})";
      const bool depth = target.rfind(venue_ == Venue::Spot ? "/api/v3/depth?" : "/fapi/v1/depth?", 0) == 0;
      if (depth) body = depthAnswer(status);
      http::response<http::string_body> res{static_cast<http::status>(status), 11};
      res.set(http::field::content_type, "application/json");
      res.body() = body;
      res.keep_alive(true);
      res.prepare_payload();
      co_await http::async_write(stream, res, redirect_error(use_awaitable, ec));
      if (ec) co_return;
      if (depth) served_.fetch_add(1);
    }
  }

  asio::awaitable<void> acceptLoop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor_.async_accept(redirect_error(use_awaitable, ec));
      if (ec) co_return;
      asio::co_spawn(ioc_, connection(std::move(socket)), asio::detached);
    }
  }

  Venue venue_;
  std::vector<std::vector<Step>> scripts_;
  std::vector<std::vector<Step>> marketScripts_;
  std::vector<uint64_t> snapshotIds_;
  asio::io_context ioc_{1};
  tcp::acceptor acceptor_{ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::thread thread_;
  mutable std::mutex mutex_;
  Book truth_;
  std::vector<Book> history_;
  std::vector<std::string> wsReceived_;
  std::vector<std::string> marketReceived_;
  std::vector<std::string> restTargets_;
  std::atomic<uint64_t> served_{0};
  std::atomic<uint64_t> wsConnections_{0};
  std::atomic<uint64_t> marketConnections_{0};
  std::atomic<uint64_t> refused_{0};
  std::atomic<uint64_t> scriptsDone_{0};
};

// ---- the consumer side ----------------------------------------------------------------------

/// Keeps every event and rebuilds the BTCUSDT book (`instrument`) from BookDelta chains only, as
/// a bus consumer would; checks update-id continuity on the way. A Gap invalidates the book
/// unless it says only trades were lost (Gap::kTradesOnly).
struct Consumer final : interfaces::IEventSink {
  common::InstrumentId instrument = 1;
  std::vector<std::vector<std::byte>> events;
  Book book;
  bool valid = false;
  std::vector<std::string> errors;

  void onEvent(common::EventHeader& e) noexcept override {
    const auto* p = reinterpret_cast<const std::byte*>(&e);
    events.emplace_back(p, p + e.size);
    if (!common::isValidEventSize(e.type, e.size)) errors.push_back("bad size");
    if (e.receive_ts_ns <= 0) errors.push_back("no receive time");
    if (e.instrument_id != instrument) return;
    if (e.type == EventType::Gap && (e.flags & common::Gap::kTradesOnly) == 0) valid = false;
    if (e.type != EventType::BookDelta) return;
    const auto& d = reinterpret_cast<const BookDelta&>(e);
    if (d.flags & BookDelta::kClearBook) {
      book.bids.clear();
      book.asks.clear();
      valid = true;
    } else if (!valid) {
      errors.push_back("delta applied to an invalid book");
    } else if (!(d.flags & BookDelta::kFromSnapshot) && d.first_update_id != book.id + 1 && book.id != d.last_update_id) {
      errors.push_back(cat("non-contiguous delta ", std::to_string(d.first_update_id), " after ", std::to_string(book.id)));
    }
    for (uint16_t i = 0; i < d.count; ++i)
      book.set({d.levels[i].side == common::Side::Buy, d.levels[i].price, d.levels[i].qty});
    book.id = d.last_update_id;
  }

  template <class E>
  std::vector<E> all(EventType t) const {
    std::vector<E> out;
    for (const auto& b : events) {
      common::EventHeader h;
      std::memcpy(&h, b.data(), sizeof h);
      if (h.type != t) continue;
      E e{};
      std::memcpy(&e, b.data(), std::min(b.size(), sizeof(E)));
      out.push_back(e);
    }
    return out;
  }
};

BinanceGatewayConfig configFor(const FakeBinance& venue, std::vector<std::string> symbols,
                               api::binance::Market market = api::binance::Market::Spot) {
  BinanceGatewayConfig c = BinanceGatewayConfig::defaultsFor(market);
  c.rest_url = venue.restUrl();
  c.ws_url = venue.wsUrl();
  if (market == api::binance::Market::UsdM) c.market_ws_url = venue.marketWsUrl();
  c.symbols = std::move(symbols);
  c.snapshot_retry_ns = 20'000'000;
  c.connect_timeout_ns = 5'000'000'000;
  c.request_timeout_ns = 5'000'000'000;
  c.ws_idle_timeout_ns = 10'000'000'000;
  c.backoff = {10'000'000, 50'000'000, 42};
  return c;
}

/// Polls until `done()` or a generous deadline; mirrors the counter the venue's scripts wait on
/// (`applied`: snapshots the gateway has applied), so each script step happens at a known point.
struct Runner {
  BinanceGateway& gw;
  std::atomic<uint64_t>& applied;
  template <class Done>
  bool until(Done done) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      const int n = gw.poll();
      applied.store(gw.counters().snapshots_applied);
      if (done()) return true;
      if (std::chrono::steady_clock::now() > end) return false;
      if (n == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
};

Diff d(uint64_t first, uint64_t last, std::vector<Change> changes) { return {first, last, std::move(changes)}; }

// ---- tests ----------------------------------------------------------------------------------

TEST(BinanceGateway, appliesSnapshotAndDiffsInOrderAndDeliversTrades) {
  FakeBinance venue({{
                        send(d(101, 102, {{true, 6'500'005, 50'000}, {false, 6'500'010, 0}})),
                        send(d(103, 105, {{true, 6'499'990, 0}, {false, 6'500'020, 123'450}})),
                        text(tradeFrame("BTCUSDT", "btcusdt", 3735683259, "65000.10000000", "0.01234000", true)),
                        text(tradeFrame("ETHUSDT", "ethusdt", 1700000001, "3200.55000000", "1.50000000", false)),
                        text(R"({"stream":"btcusdt@bookTicker","data":{"u":106,"s":"BTCUSDT","b":"65000.05000000","B":"0.50000000","a":"65000.20000000","A":"2.03450000"}})"),
                        send(d(106, 106, {{false, 6'500'015, 7'000}})),
                        send(d(107, 110, {{true, 6'500'005, 0}, {true, 6'500'000, 99'000}})),
                    }},
                    {102});  // the snapshot lags the stream: diff 101-102 is stale, 103-105 applies from the buffer
  BinanceGateway gw(configFor(venue, {"BTCUSDT", "ETHUSDT"}), registry());
  EXPECT_EQ(gw.name(), "binance");
  ASSERT_EQ(gw.subscriptions().size(), 1u);
  EXPECT_EQ(gw.subscriptions()[0],
            R"({"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@bookTicker","btcusdt@depth@100ms",)"
            R"("ethusdt@trade","ethusdt@bookTicker","ethusdt@depth@100ms"],"id":1})");
  Consumer sink;
  gw.start(sink);
  std::atomic<uint64_t> applied{0};
  Runner run{gw, applied};
  ASSERT_TRUE(run.until([&] { return sink.book.id == 110 && gw.counters().trades == 2 && gw.counters().tickers == 1; }))
      << "book at " << sink.book.id << ", trades " << gw.counters().trades;
  gw.stop();

  EXPECT_TRUE(sink.errors.empty()) << sink.errors.front();
  EXPECT_TRUE(sink.book == venue.truth());
  EXPECT_EQ(venue.wsReceived(), gw.subscriptions());
  EXPECT_EQ(venue.restTargets(), std::vector<std::string>{"/api/v3/depth?symbol=BTCUSDT&limit=1000"});
  // Spot: one connection carries trades and books.
  EXPECT_EQ(venue.wsConnections(), 1u);
  EXPECT_TRUE(gw.tradeSubscriptions().empty());
  EXPECT_EQ(gw.counters().book_ws.frames, gw.counters().frames);
  EXPECT_EQ(gw.counters().trade_ws.connects, 0u);

  // The snapshot: a BookDelta chain (kClearBook first, 40 levels = 3 pieces), then its top 10.
  const auto deltas = sink.all<BookDelta>(EventType::BookDelta);
  ASSERT_GE(deltas.size(), 3u);
  EXPECT_EQ(deltas[0].flags, BookDelta::kClearBook | BookDelta::kFromSnapshot | BookDelta::kContinuation);
  EXPECT_EQ(deltas[0].first_update_id, 102u);
  EXPECT_EQ(deltas[0].header.exchange_id, common::ExchangeId::Binance);
  EXPECT_EQ(deltas[2].flags, BookDelta::kFromSnapshot);
  EXPECT_EQ(deltas[3].first_update_id, 103u);  // the buffered diff, then the live ones
  EXPECT_EQ(deltas.back().last_update_id, 110u);
  const auto snaps = sink.all<common::BookSnapshot>(EventType::BookSnapshot);
  ASSERT_EQ(snaps.size(), 1u);
  EXPECT_EQ(snaps[0].last_update_id, 102u);
  EXPECT_EQ(snaps[0].bid_count, 10);
  EXPECT_EQ(snaps[0].bids[0].price, 6'500'005);  // 65000.05 from diff 101-102, as of the snapshot
  EXPECT_EQ(snaps[0].asks[0].price, 6'500'020);

  // Trades and the quote: fixed-point at each instrument's scales, aggressor from `m`.
  const auto trades = sink.all<common::Trade>(EventType::Trade);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[0].header.instrument_id, 1u);
  EXPECT_EQ(trades[0].price, 6'500'010);  // 65000.10 at scale 2
  EXPECT_EQ(trades[0].qty, 1'234);        // 0.01234 at scale 5
  EXPECT_EQ(trades[0].trade_id, 3735683259u);
  EXPECT_EQ(trades[0].aggressor, common::Side::Sell);  // buyer is maker
  EXPECT_EQ(trades[0].header.exchange_ts_ns, 1723161255343'000'000);
  EXPECT_EQ(trades[1].header.instrument_id, 2u);
  EXPECT_EQ(trades[1].price, 320'055);
  EXPECT_EQ(trades[1].qty, 15'000);  // 1.5 at scale 4
  EXPECT_EQ(trades[1].aggressor, common::Side::Buy);
  const auto bbo = sink.all<common::BestBidOffer>(EventType::BestBidOffer);
  ASSERT_EQ(bbo.size(), 1u);
  EXPECT_EQ(bbo[0].bid_price, 6'500'005);
  EXPECT_EQ(bbo[0].ask_qty, 203'450);
  EXPECT_EQ(bbo[0].update_id, 106u);

  const auto& c = gw.counters();
  EXPECT_EQ(c.snapshots_requested, 1u);
  EXPECT_EQ(c.snapshots_applied, 1u);
  EXPECT_EQ(c.diffs, 4u);
  EXPECT_EQ(c.gaps_published, 0u);
  EXPECT_EQ(c.reconnects, 0u);
  EXPECT_EQ(c.resyncs, 0u);
  EXPECT_EQ(c.parse_errors, 0u);
  EXPECT_EQ(c.other_messages, 1u);  // the SUBSCRIBE reply
  EXPECT_TRUE(sink.all<common::Gap>(EventType::Gap).empty());
}

TEST(BinanceGateway, publishesGapAndResyncsFromNewSnapshotWhenUpdateIdsJump) {
  std::atomic<uint64_t> applied{0};
  FakeBinance venue({{
                        send(d(101, 102, {{true, 6'500'005, 50'000}})),
                        await([&] { return applied.load() >= 1; }),
                        send(d(103, 105, {{false, 6'500'010, 150'000}})),
                        text(tradeFrame("BTCUSDT", "btcusdt", 7, "65000.10000000", "0.10000000", false)),
                        miss(d(106, 107, {{true, 6'499'990, 0}, {true, 6'500'008, 1'000}})),  // lost on the wire
                        send(d(108, 110, {{false, 6'500'020, 0}})),                            // U=108 > 105+1
                        await([&] { return applied.load() >= 2; }),
                        send(d(111, 112, {{true, 6'500'008, 2'000}})),
                        send(d(113, 113, {{false, 6'500'011, 3'000}})),
                    }},
                    {102, 110});
  BinanceGateway gw(configFor(venue, {"BTCUSDT"}), registry());
  Consumer sink;
  gw.start(sink);
  Runner run{gw, applied};
  ASSERT_TRUE(run.until([&] { return sink.book.id == 113; })) << "book at " << sink.book.id;
  gw.stop();

  EXPECT_TRUE(sink.errors.empty()) << sink.errors.front();
  EXPECT_TRUE(sink.valid);
  EXPECT_TRUE(sink.book == venue.truth());  // 106-107 came back through the second snapshot
  EXPECT_EQ(sink.book.bids.at(6'500'008), 2'000);
  const auto gaps = sink.all<common::Gap>(EventType::Gap);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].reason, common::GapReason::FeedSequenceGap);
  EXPECT_EQ(gaps[0].header.instrument_id, 1u);
  EXPECT_EQ(gaps[0].header.exchange_id, common::ExchangeId::Binance);
  const auto snaps = sink.all<common::BookSnapshot>(EventType::BookSnapshot);
  ASSERT_EQ(snaps.size(), 2u);
  EXPECT_EQ(snaps[1].last_update_id, 110u);
  EXPECT_EQ(venue.restTargets().size(), 2u);

  const auto& c = gw.counters();
  EXPECT_EQ(c.sequence_gaps, 1u);
  EXPECT_EQ(c.resyncs, 1u);
  EXPECT_EQ(c.gaps_published, 1u);
  EXPECT_EQ(c.snapshots_requested, 2u);
  EXPECT_EQ(c.snapshots_applied, 2u);
  EXPECT_EQ(c.reconnects, 0u);
  EXPECT_EQ(c.trades, 1u);
}

TEST(BinanceGateway, reconnectsResubscribesPublishesGapAndRebuildsTheBookWhenTheStreamDrops) {
  std::atomic<uint64_t> applied{0};
  FakeBinance venue({{
                         send(d(101, 102, {{true, 6'500'005, 50'000}})),
                         await([&] { return applied.load() >= 1; }),
                         send(d(103, 105, {{false, 6'500'010, 150'000}})),
                         text(tradeFrame("BTCUSDT", "btcusdt", 7, "65000.10000000", "0.10000000", false)),
                         drop(),
                     },
                     {
                         miss(d(106, 108, {{true, 6'499'990, 0}, {true, 6'500'008, 1'000}})),  // while down
                         send(d(109, 111, {{false, 6'500'020, 0}})),
                         await([&] { return applied.load() >= 2; }),
                         send(d(112, 114, {{true, 6'500'008, 2'000}, {false, 6'500'011, 3'000}})),
                         text(tradeFrame("BTCUSDT", "btcusdt", 8, "65000.11000000", "0.20000000", true)),
                     }},
                    {102, 111});
  BinanceGateway gw(configFor(venue, {"BTCUSDT"}), registry());
  Consumer sink;
  gw.start(sink);
  Runner run{gw, applied};
  ASSERT_TRUE(run.until([&] { return sink.book.id == 114 && gw.counters().trades == 2; }))
      << "book at " << sink.book.id << ", reconnects " << gw.counters().reconnects;
  gw.stop();

  EXPECT_TRUE(sink.errors.empty()) << sink.errors.front();
  EXPECT_TRUE(sink.book == venue.truth());
  EXPECT_EQ(venue.wsConnections(), 2u);
  EXPECT_EQ(venue.wsReceived(), (std::vector<std::string>{gw.subscriptions()[0], gw.subscriptions()[0]}));  // resubscribed
  const auto gaps = sink.all<common::Gap>(EventType::Gap);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].reason, common::GapReason::FeedReconnect);
  EXPECT_EQ(gaps[0].header.instrument_id, 1u);

  // Order on the bus: first book, first trade, Gap, then the rebuilt book (kClearBook) and the rest.
  std::string order;
  for (const auto& e : sink.events) {
    common::EventHeader h;
    std::memcpy(&h, e.data(), sizeof h);
    if (h.type == EventType::Gap) order.append("G");
    if (h.type == EventType::Trade) order.append("T");
    if (h.type == EventType::BookSnapshot) order.append("S");
  }
  EXPECT_EQ(order, "STGST");

  const auto& c = gw.counters();
  EXPECT_EQ(c.connects, 1u);
  EXPECT_EQ(c.disconnects, 1u);
  EXPECT_EQ(c.reconnects, 1u);
  EXPECT_EQ(c.resyncs, 1u);
  EXPECT_EQ(c.gaps_published, 1u);
  EXPECT_EQ(c.sequence_gaps, 0u);
  EXPECT_EQ(c.snapshots_requested, 2u);
  EXPECT_EQ(c.snapshots_applied, 2u);
}

// ---- USD-M: two routes ----------------------------------------------------------------------

TEST(BinanceGateway, futuresTradesArriveOnTheMarketRouteAndBooksOnThePublicRoute) {
  FakeBinance venue({{
                        send(d(101, 102, {{true, 6'500'005, 50'000}, {false, 6'500'010, 0}})),  // u = the snapshot's id
                        send(d(103, 105, {{true, 6'499'990, 0}, {false, 6'500'020, 123'450}})),  // pu = 102
                        text(R"({"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":106,"s":"BTCUSDT","b":"65000.05","B":"0.50000","a":"65000.20","A":"2.03450","T":1723161255340,"E":1723161255343}})"),
                    }},
                    {102}, Venue::UsdM,
                    {{
                        text(aggTradeFrame(5933014, "65000.10", "0.01234", true)),
                        text(aggTradeFrame(5933015, "65000.20", "0.50000", false)),
                    }});
  BinanceGateway gw(configFor(venue, {"BTCUSDT"}, api::binance::Market::UsdM), registry());
  EXPECT_EQ(gw.name(), "binance_futures");
  EXPECT_EQ(gw.subscriptions(),
            std::vector<std::string>{R"({"method":"SUBSCRIBE","params":["btcusdt@bookTicker","btcusdt@depth@100ms"],"id":1})"});
  EXPECT_EQ(gw.tradeSubscriptions(),
            std::vector<std::string>{R"({"method":"SUBSCRIBE","params":["btcusdt@aggTrade"],"id":2})"});
  Consumer sink;
  sink.instrument = 3;
  gw.start(sink);
  std::atomic<uint64_t> applied{0};
  Runner run{gw, applied};
  ASSERT_TRUE(run.until([&] { return sink.book.id == 105 && gw.counters().trades == 2 && gw.counters().tickers == 1; }))
      << "book at " << sink.book.id << ", trades " << gw.counters().trades << ", refused " << venue.refusedSubscriptions();
  gw.stop();

  EXPECT_TRUE(sink.errors.empty()) << sink.errors.front();
  EXPECT_TRUE(sink.book == venue.truth());
  EXPECT_EQ(venue.refusedSubscriptions(), 0u);  // each stream asked on the route that serves it
  EXPECT_EQ(venue.wsConnections(), 1u);
  EXPECT_EQ(venue.marketConnections(), 1u);
  EXPECT_EQ(venue.wsReceived(), gw.subscriptions());
  EXPECT_EQ(venue.marketReceived(), gw.tradeSubscriptions());
  EXPECT_EQ(venue.restTargets(), std::vector<std::string>{"/fapi/v1/depth?symbol=BTCUSDT&limit=1000"});

  const auto trades = sink.all<common::Trade>(EventType::Trade);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[0].header.exchange_id, common::ExchangeId::BinanceFutures);
  EXPECT_EQ(trades[0].header.instrument_id, 3u);
  EXPECT_EQ(trades[0].price, 6'500'010);
  EXPECT_EQ(trades[0].qty, 1'234);
  EXPECT_EQ(trades[0].trade_id, 5933014u);
  EXPECT_EQ(trades[0].aggressor, common::Side::Sell);
  EXPECT_EQ(trades[1].aggressor, common::Side::Buy);
  const auto deltas = sink.all<BookDelta>(EventType::BookDelta);
  ASSERT_FALSE(deltas.empty());
  EXPECT_EQ(deltas[0].header.exchange_id, common::ExchangeId::BinanceFutures);
  EXPECT_EQ(deltas.back().last_update_id, 105u);

  const auto& c = gw.counters();
  EXPECT_EQ(c.book_ws.connects, 1u);
  EXPECT_EQ(c.trade_ws.connects, 1u);
  EXPECT_EQ(c.connects, 2u);
  EXPECT_EQ(c.book_ws.frames, 4u);   // subscribe reply, 2 diffs, bookTicker
  EXPECT_EQ(c.trade_ws.frames, 3u);  // subscribe reply, 2 trades
  EXPECT_EQ(c.frames, 7u);
  EXPECT_EQ(c.snapshots_applied, 1u);
  EXPECT_EQ(c.gaps_published, 0u);
  EXPECT_EQ(c.parse_errors, 0u);
}

TEST(BinanceGateway, futuresFakeRefusesTradeStreamsOnThePublicRoute) {
  // The control for the test above: with trades asked on /public, as the gateway did before
  // the split, the fake answers an error and no trade arrives.
  FakeBinance venue({{}, {}}, {}, Venue::UsdM);
  BinanceGatewayConfig conf = configFor(venue, {"BTCUSDT"}, api::binance::Market::UsdM);
  conf.market_ws_url = venue.wsUrl();
  BinanceGateway gw(conf, registry());
  Consumer sink;
  sink.instrument = 3;
  gw.start(sink);
  std::atomic<uint64_t> applied{0};
  Runner run{gw, applied};
  ASSERT_TRUE(run.until([&] { return gw.counters().trade_ws.frames == 1 && gw.counters().book_ws.frames == 1; }));
  gw.stop();
  EXPECT_EQ(venue.refusedSubscriptions(), 1u);
  EXPECT_EQ(venue.wsConnections(), 2u);
  EXPECT_EQ(venue.marketConnections(), 0u);
  EXPECT_EQ(gw.counters().trades, 0u);
}

TEST(BinanceGateway, futuresMarketRouteDropPublishesATradeGapWithoutBookResync) {
  std::atomic<uint64_t> applied{0};
  std::atomic<const FakeBinance*> fake{nullptr};
  auto secondTradeSent = [&] {
    const FakeBinance* v = fake.load();
    return v != nullptr && v->marketConnections() >= 2 && v->scriptsDone() >= 2;
  };
  FakeBinance venue({{
                        send(d(101, 102, {{true, 6'500'005, 50'000}})),
                        await([&] { return applied.load() >= 1; }),
                        await(secondTradeSent),  // the /market connection dropped and came back meanwhile
                        send(d(103, 105, {{false, 6'500'020, 123'450}})),
                    }},
                    {102}, Venue::UsdM,
                    {{
                         await([&] { return applied.load() >= 1; }),
                         text(aggTradeFrame(1, "65000.10", "0.10000", false)),
                         drop(),
                     },
                     {
                         text(aggTradeFrame(3, "65000.11", "0.20000", true)),  // trade 2 was lost while down
                     }});
  fake.store(&venue);
  BinanceGateway gw(configFor(venue, {"BTCUSDT"}, api::binance::Market::UsdM), registry());
  Consumer sink;
  sink.instrument = 3;
  gw.start(sink);
  Runner run{gw, applied};
  ASSERT_TRUE(run.until([&] { return sink.book.id == 105 && gw.counters().trades == 2; }))
      << "book at " << sink.book.id << ", trades " << gw.counters().trades << ", market reconnects "
      << gw.counters().trade_ws.reconnects;
  gw.stop();

  EXPECT_TRUE(sink.errors.empty()) << sink.errors.front();  // the book stayed valid through the trade Gap
  EXPECT_TRUE(sink.valid);
  EXPECT_TRUE(sink.book == venue.truth());
  EXPECT_EQ(venue.wsConnections(), 1u);
  EXPECT_EQ(venue.marketConnections(), 2u);
  EXPECT_EQ(venue.marketReceived(), (std::vector<std::string>{gw.tradeSubscriptions()[0], gw.tradeSubscriptions()[0]}));
  EXPECT_EQ(venue.restTargets().size(), 1u);  // no second snapshot

  const auto gaps = sink.all<common::Gap>(EventType::Gap);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].reason, common::GapReason::FeedReconnect);
  EXPECT_EQ(gaps[0].header.flags, common::Gap::kTradesOnly);
  EXPECT_EQ(gaps[0].header.instrument_id, 3u);
  EXPECT_EQ(gaps[0].header.exchange_id, common::ExchangeId::BinanceFutures);
  std::string order;  // snapshot, trade, Gap, trade: the Gap sits where trades were lost
  for (const auto& e : sink.events) {
    common::EventHeader h;
    std::memcpy(&h, e.data(), sizeof h);
    if (h.type == EventType::Gap) order.append("G");
    if (h.type == EventType::Trade) order.append("T");
    if (h.type == EventType::BookSnapshot) order.append("S");
  }
  EXPECT_EQ(order, "STGT");

  const auto& c = gw.counters();
  EXPECT_EQ(c.trade_ws.disconnects, 1u);
  EXPECT_EQ(c.trade_ws.reconnects, 1u);
  EXPECT_EQ(c.book_ws.disconnects, 0u);
  EXPECT_EQ(c.book_ws.reconnects, 0u);
  EXPECT_EQ(c.reconnects, 1u);
  EXPECT_EQ(c.resyncs, 0u);
  EXPECT_EQ(c.gaps_published, 1u);
  EXPECT_EQ(c.snapshots_requested, 1u);
  EXPECT_EQ(c.snapshots_applied, 1u);
}

TEST(BinanceGateway, loadsItsConfigFromJsonAndRejectsUnknownSymbolsAndKeys) {
  const auto c = BinanceGatewayConfig::fromJson(
      nlohmann::json::parse(R"({"market":"futures","rest_url":"http://127.0.0.1:1","ws_url":"ws://127.0.0.1:1/stream",
                                "symbols":["BTCUSDT"],"snapshot_retry_ms":250})"),
      "binance_futures.json");
  EXPECT_EQ(c.market, api::binance::Market::UsdM);
  EXPECT_EQ(c.rest_url, "http://127.0.0.1:1");
  EXPECT_EQ(c.depth_path, "/fapi/v1/depth");
  EXPECT_EQ(c.trade_stream, "aggTrade");
  EXPECT_EQ(c.symbols, std::vector<std::string>{"BTCUSDT"});
  EXPECT_EQ(c.snapshot_retry_ns, 250'000'000);
  EXPECT_EQ(c.ws_url, "ws://127.0.0.1:1/public/stream");  // both routes from the one base
  EXPECT_EQ(c.market_ws_url, "ws://127.0.0.1:1/market/stream");
  const auto m = BinanceGatewayConfig::fromJson(
      nlohmann::json::parse(R"({"market":"futures","ws_url":"ws://a:1/public/stream","market_ws_url":"ws://b:2/market/stream",
                                "symbols":[]})"),
      "x.json");
  EXPECT_EQ(m.ws_url, "ws://a:1/public/stream");
  EXPECT_EQ(m.market_ws_url, "ws://b:2/market/stream");
  EXPECT_THROW(BinanceGatewayConfig::fromJson(nlohmann::json::parse(R"({"symbols":["X"],"urls":1})"), "x.json"),
               config::ConfigError);
  EXPECT_THROW(BinanceGatewayConfig::fromJson(nlohmann::json::parse(R"({"market":"margin","symbols":[]})"), "x.json"),
               config::ConfigError);

  BinanceGatewayConfig bad = BinanceGatewayConfig::defaultsFor(api::binance::Market::Spot);
  bad.symbols = {"DOGEUSDT"};
  EXPECT_THROW(BinanceGateway(bad, registry()), std::invalid_argument);
  bad.symbols = {"BTCUSDT"};
  bad.ws_url = "not a url";
  EXPECT_THROW(BinanceGateway(bad, registry()), std::invalid_argument);
  BinanceGatewayConfig noMarket = BinanceGatewayConfig::defaultsFor(api::binance::Market::UsdM);
  noMarket.symbols = {"BTCUSDT"};
  noMarket.market_ws_url.clear();
  EXPECT_THROW(BinanceGateway(noMarket, registry()), std::invalid_argument);
}

}  // namespace
}  // namespace hft::gateways
