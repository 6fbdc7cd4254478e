#pragma once
// UpbitGateway: live market data from Upbit (KRW, BTC and USDT markets) and, with the Bithumb
// dialect, from Bithumb (its public WebSocket speaks Upbit's payload keys). One WebSocket
// (wss://api.upbit.com/websocket/v1) carrying trade, orderbook and ticker for every code, the
// request frame sent on every (re)connection, api::upbit::MarketDataParser turning the JSON
// straight into fixed-point events.
//
//   I/O thread (hft_net)                       datafeed thread: poll()
//   BeastWebSocketClient --frames/states--> parse -> Trade (trade)
//                                                  -> BookSnapshot + BestBidOffer (orderbook)
//                                                  -> counted only (ticker: no bid/ask in it)
// Upbit's orderbook messages are full top-N books, so there is no diff sequencing and no REST
// snapshot. Discontinuities are still never silent: a reconnect publishes a Gap (FeedReconnect)
// per instrument, a trade sequential_id lower than the last one of its market publishes a Gap
// (FeedSequenceGap); an equal one (the SNAPSHOT trade re-sent on resubscribe) is dropped as a
// duplicate. Each is counted and logged to stderr (cold: rare).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/exchanges/upbit/Dialect.h"
#include "api/net/Backoff.h"
#include "api/net/TlsConfig.h"
#include "interfaces/IGateway.h"

namespace hft::config {
struct ExchangeConfig;
class InstrumentRegistry;
}

namespace hft::gateways {

struct UpbitGatewayConfig {
  /// Whose market data: api::upbit::kUpbit or api::bithumb::kBithumb (events carry its
  /// exchange id, codes are looked up on it, name() is "upbit" / "bithumb").
  api::upbit::Dialect dialect = api::upbit::kUpbit;
  std::string ws_url = "wss://api.upbit.com/websocket/v1";  ///< public quotation endpoint (Bithumb: wss://ws-api.bithumb.com/websocket/v1)
  std::vector<std::string> codes;  ///< market codes "KRW-BTC"; must be in the instrument registry
  bool trades = true, orderbook = true, ticker = true;  ///< which types to request
  bool simple_format = false;      ///< request the SIMPLE format (abbreviated keys)
  int64_t connect_timeout_ns = 10'000'000'000;
  int64_t ws_idle_timeout_ns = 30'000'000'000;  ///< dead-stream detection
  net::BackoffConfig backoff{};
  net::TlsConfig tls{};
  size_t max_frames_per_poll = 256;

  /// Defaults with what config/exchanges/upbit.json or bithumb.json says (its active environment
  /// and HFT_<VENUE>_* overrides): the dialect from its venue, ws_url + the "public" route,
  /// timeouts and backoff. Throws std::invalid_argument naming the file when the venue is not
  /// upbit or bithumb or the route is missing.
  static UpbitGatewayConfig fromExchange(const config::ExchangeConfig& exchange);
  /// The same, insisting on `dialect`'s venue (a bithumb file for kBithumb).
  static UpbitGatewayConfig fromExchange(const config::ExchangeConfig& exchange, const api::upbit::Dialect& dialect);
};

/// What happened so far; read on the polling thread (plain integers).
struct UpbitGatewayCounters {
  uint64_t frames = 0;            ///< WebSocket frames received
  uint64_t trades = 0;            ///< Trade events published
  uint64_t book_snapshots = 0;    ///< BookSnapshot events published (one per orderbook message)
  uint64_t bbos = 0;              ///< BestBidOffer events published (top of each orderbook)
  uint64_t tickers = 0;           ///< ticker messages received (not published: no bid/ask)
  uint64_t duplicate_trades = 0;  ///< trades with the sequential_id already seen (dropped)
  uint64_t sequence_gaps = 0;     ///< trade sequential_id went backwards
  uint64_t gaps_published = 0;    ///< Gap events published (any reason)
  uint64_t venue_errors = 0;      ///< {"error":{...}} frames (a refused request)
  uint64_t other_messages = 0;    ///< well-formed frames that are no market data
  uint64_t parse_errors = 0;      ///< frames that did not parse
  uint64_t connects = 0, disconnects = 0, reconnects = 0;
};

/// Threads: construct, start() and stop() on the datafeed's thread (cold: they allocate, throw);
/// poll() on that same thread, which is where the sink is called.
class UpbitGateway final : public interfaces::IGateway {
 public:
  /// Resolves every code in `registry` (which must outlive the gateway) and allocates all
  /// buffers. Throws std::invalid_argument on an unknown code, no code, or a bad URL.
  UpbitGateway(UpbitGatewayConfig config, const config::InstrumentRegistry& registry);
  ~UpbitGateway() override;
  UpbitGateway(const UpbitGateway&) = delete;
  UpbitGateway& operator=(const UpbitGateway&) = delete;

  std::string name() const override;  ///< "upbit" / "bithumb"
  common::ExchangeId exchange() const noexcept;
  void start(interfaces::IEventSink& sink) override;
  int poll() noexcept override;
  bool finished() const noexcept override { return false; }
  void stop() noexcept override;
  bool isLive() const noexcept override { return true; }
  std::vector<std::string> statusLines() const override;

  const UpbitGatewayCounters& counters() const noexcept;
  /// The request frame sent on every connection (for logs and tests).
  const std::string& subscription() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The datafeed's factory for either venue (config.dialect): Upbit or Bithumb market data.
/// Throws as the constructor does.
std::unique_ptr<interfaces::IGateway> makeUpbitFamilyGateway(UpbitGatewayConfig config,
                                                             const config::InstrumentRegistry& registry);

}  // namespace hft::gateways
