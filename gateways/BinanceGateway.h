#pragma once
// BinanceGateway: live market data from Binance spot or USD-M futures. Spot: one combined-stream
// WebSocket for every symbol (trade, bookTicker, diff depth). USD-M: two, because Binance split
// its futures URLs by stream kind and each route serves only its own streams: the /public route
// (diff depth, bookTicker) and the /market route (aggTrade). Plus the REST depth snapshot per
// symbol, api::binance::BookSync keeping each book in sync, and api::binance::MarketDataParser
// turning the JSON into fixed-point events.
//
//   I/O threads (hft_net)                      datafeed thread: poll()
//   BeastWebSocketClient --frames/states--> parse -> Trade / BestBidOffer / BookSync::onDiff
//   BeastRestClient      --snapshots------> parse -> BookSync::onSnapshot -> BookDelta chain
//                                                                          + BookSnapshot (top 10)
// Discontinuities are never silent: a Reconnected of the book connection (spot: the only one;
// USD-M: /public) publishes a Gap (FeedReconnect) per instrument and rebuilds every book from a
// fresh snapshot; a Reconnected of the USD-M /market connection publishes a Gap (FeedReconnect,
// header.flags = Gap::kTradesOnly) per instrument and nothing else: the books did not miss a
// diff, only trades were lost. Non-contiguous update ids publish a
// Gap (FeedSequenceGap) for that instrument and rebuild its book. Each is counted (counters())
// and logged to stderr (cold path: these are rare).
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/exchanges/binance/Market.h"
#include "api/net/Backoff.h"
#include "api/net/TlsConfig.h"
#include "interfaces/IGateway.h"

namespace hft::config {
struct ExchangeConfig;
class InstrumentRegistry;
}

namespace hft::gateways {

/// Where and what to subscribe. URLs are configuration (no venue host is hard-wired here);
/// defaultsFor() gives Binance's public endpoints.
struct BinanceGatewayConfig {
  api::binance::Market market = api::binance::Market::Spot;
  std::string rest_url;              ///< "https://api.binance.com" (a path is ignored)
  /// Combined-stream endpoint of the books: spot, every stream ("wss://stream.binance.com:9443/stream");
  /// USD-M, depth and bookTicker ("wss://fstream.binance.com/public/stream").
  std::string ws_url;
  /// USD-M only: combined-stream endpoint of the trade streams ("wss://fstream.binance.com/market/stream").
  /// Ignored on spot; required on USD-M.
  std::string market_ws_url;
  std::string depth_path;            ///< "/api/v3/depth" (spot) or "/fapi/v1/depth" (USD-M)
  std::vector<std::string> symbols;  ///< venue spelling, "BTCUSDT"; must be in the instrument registry
  std::string trade_stream = "trade";        ///< "trade" or "aggTrade"
  std::string depth_stream = "depth@100ms";  ///< diff-depth stream suffix ("depth", "depth@100ms")
  bool book_ticker = true;                   ///< also subscribe to <symbol>@bookTicker
  uint32_t snapshot_limit = 1000;            ///< levels per side asked of GET depth
  int64_t snapshot_retry_ns = 1'000'000'000; ///< wait before asking again after a failed snapshot
  int64_t connect_timeout_ns = 10'000'000'000;
  int64_t request_timeout_ns = 10'000'000'000;
  int64_t ws_idle_timeout_ns = 30'000'000'000;  ///< dead-stream detection (Binance pings every 20 s)
  net::BackoffConfig backoff{};                 ///< WebSocket reconnect waits
  net::TlsConfig tls{};
  size_t max_frames_per_poll = 256;  ///< bounds one poll()'s work

  /// Public Binance endpoints and the depth path of `market`.
  static BinanceGatewayConfig defaultsFor(api::binance::Market market);
  /// Points the market-data connections at one URL (the datafeed's --ws-url). Spot: ws_url = url.
  /// USD-M: the base is `url` without a trailing "/", then "/stream", then "/public" or "/market";
  /// ws_url = base + "/public/stream" and market_ws_url = base + "/market/stream". So
  /// "wss://fstream.binance.com", "wss://fstream.binance.com/public/stream" and a legacy unrouted
  /// "ws://127.0.0.1:9000/stream" all give both routes of that host.
  void setWsUrls(std::string_view url);
  /// defaultsFor(market) with what a venue file says (config/exchanges/binance.json or
  /// binance_futures.json, loaded with its active environment and HFT_<VENUE>_* overrides): the
  /// REST base, the market-data WebSockets (spot: ws_url + the "combined" route; USD-M: ws_url +
  /// the "public" route + "/stream", where depth and bookTicker live since Binance split its
  /// futures URLs, and market_ws_url = ws_url + the "market" route + "/stream", where aggTrade
  /// lives), connect/request/dead-stream timeouts and the reconnect backoff. Throws
  /// std::invalid_argument naming the file when the venue does not match or a route is missing.
  static BinanceGatewayConfig fromExchange(api::binance::Market market, const config::ExchangeConfig& exchange);
  /// Reads an object such as
  ///   {"market": "spot"|"futures", "rest_url": "...", "ws_url": "...", "market_ws_url": "...",
  ///    "symbols": ["BTCUSDT"], "trade_stream": "trade"|"aggTrade", "depth_stream": "depth@100ms",
  ///    "book_ticker": true, "snapshot_limit": 1000, "snapshot_retry_ms": 1000, "ws_idle_timeout_ms": 30000}
  /// Missing keys take defaultsFor(market); "ws_url" goes through setWsUrls(), then an explicit
  /// "market_ws_url" wins. Throws config::ConfigError naming `source` and the key.
  static BinanceGatewayConfig fromJson(const nlohmann::json& j, const std::string& source);
};

/// One WebSocket connection's share of the counters.
struct BinanceConnectionCounters {
  uint64_t frames = 0;       ///< text frames received
  uint64_t connects = 0;     ///< Connected (the first connection)
  uint64_t disconnects = 0;  ///< Disconnected
  uint64_t reconnects = 0;   ///< Reconnected
};

/// What happened so far; read on the polling thread (plain integers).
struct BinanceGatewayCounters {
  uint64_t frames = 0;              ///< WebSocket text frames received (all connections)
  uint64_t trades = 0;              ///< Trade events published
  uint64_t tickers = 0;             ///< BestBidOffer events published
  uint64_t diffs = 0;               ///< depth diffs received
  uint64_t deltas = 0;              ///< BookDelta pieces published (snapshots and diffs)
  uint64_t book_snapshots = 0;      ///< BookSnapshot events published
  uint64_t gaps_published = 0;      ///< Gap events published (any reason)
  uint64_t other_messages = 0;      ///< well-formed frames that are no market data (subscribe replies)
  uint64_t parse_errors = 0;        ///< frames or snapshots that did not parse
  uint64_t connects = 0;            ///< WebSocket Connected (the first connection; all connections)
  uint64_t disconnects = 0;         ///< WebSocket Disconnected (all connections)
  uint64_t reconnects = 0;          ///< WebSocket Reconnected (all connections; book_ws ones rebuild every book)
  uint64_t sequence_gaps = 0;       ///< non-contiguous update ids seen (each rebuilds that book)
  uint64_t resyncs = 0;             ///< book rebuilds started (per instrument: reconnect or gap)
  uint64_t snapshots_requested = 0; ///< REST depth requests submitted
  uint64_t snapshots_applied = 0;   ///< snapshots that (re)started a book
  uint64_t snapshots_too_old = 0;   ///< snapshots older than the buffered diffs (asked again)
  uint64_t snapshot_failures = 0;   ///< transport errors, non-200 answers, unparsable bodies
  uint64_t submit_refused = 0;      ///< REST submit() refused (queue full): retried on the next poll
  BinanceConnectionCounters book_ws;   ///< spot: the only connection; USD-M: /public (depth, bookTicker)
  BinanceConnectionCounters trade_ws;  ///< USD-M: /market (aggTrade); all zero on spot
};

/// Threads: construct, start() and stop() on the datafeed's thread (cold: they allocate, throw);
/// poll() on that same thread, which is where the sink is called.
class BinanceGateway final : public interfaces::IGateway {
 public:
  /// Resolves every symbol in `registry` (which must outlive the gateway) and allocates all
  /// buffers. Throws std::invalid_argument on an unknown symbol or a bad URL.
  BinanceGateway(BinanceGatewayConfig config, const config::InstrumentRegistry& registry);
  ~BinanceGateway() override;
  BinanceGateway(const BinanceGateway&) = delete;
  BinanceGateway& operator=(const BinanceGateway&) = delete;

  std::string name() const override;  ///< "binance" or "binance_futures"
  /// Starts the REST client and the WebSocket clients (USD-M: two); each connection's
  /// subscription is sent on its every (re)connection.
  void start(interfaces::IEventSink& sink) override;
  int poll() noexcept override;
  bool finished() const noexcept override { return false; }
  void stop() noexcept override;
  bool isLive() const noexcept override { return true; }
  std::vector<std::string> statusLines() const override;

  const BinanceGatewayCounters& counters() const noexcept;
  /// The subscription frames sent on every (re)connection of the book connection (spot: every
  /// stream; USD-M: depth and bookTicker on /public), for logs and tests.
  const std::vector<std::string>& subscriptions() const noexcept;
  /// USD-M: the frames sent on every (re)connection of the /market connection (the trade
  /// streams); empty on spot.
  const std::vector<std::string>& tradeSubscriptions() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hft::gateways
