#pragma once
// Live order entry on Binance Spot or USD-M futures for the order executor: signed REST or
// WebSocket API requests, the user data stream, clock sync, exchange filters and rate limits.
// See README.md (this folder) for the behaviour table; the protocol pieces (signing, encoding,
// parsing, filters, limits) live in api/exchanges/binance and the transports in api/net.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/exchanges/binance/ExchangeFilters.h"
#include "api/exchanges/binance/InstrumentResolver.h"
#include "api/exchanges/binance/OrderEncoder.h"
#include "api/exchanges/binance/OrderResponseParser.h"
#include "api/exchanges/binance/RateLimitTracker.h"
#include "api/exchanges/binance/RequestSigner.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/gateways/BinanceOrderGatewayConfig.h"
#include "execution_engine/gateways/LiveOrderTable.h"
#include "execution_engine/gateways/PendingRequests.h"
#include "interfaces/IOrderGateway.h"
#include "interfaces/IRestApiClient.h"
#include "interfaces/IWebSocketClient.h"

namespace hft::net {
class BeastRestClient;
class BeastWebSocketClient;
}  // namespace hft::net

namespace hft::execution_engine::gateways {

/// Counted events (plain fields of the executor thread; copy them to metrics from there).
struct BinanceOrderGatewayCounters {
  uint64_t requests_sent = 0;           ///< order, cancel, modify and query requests handed to a transport
  uint64_t filter_rejects = 0;          ///< refused by exchangeInfo filters before sending (no request)
  uint64_t throttled = 0;               ///< send()/query() answered Throttled (rate limit, 429/418 back-off)
  uint64_t venue_rejects = 0;           ///< Rejected reports from venue error answers
  uint64_t unknown_outcomes = 0;        ///< timeout, 5xx, -1006/-1007, connection lost mid-request: not resent
  uint64_t timestamp_retries = 0;       ///< requests re-sent once after -1021 and a clock resync
  uint64_t query_retries = 0;           ///< queries asked again after a lost answer (safe: they change nothing)
  uint64_t time_syncs = 0;              ///< server-time samples accepted (start-up and resyncs)
  uint64_t user_stream_reconnects = 0;  ///< the user data stream came back after a drop
  uint64_t ws_api_reconnects = 0;       ///< the WebSocket API connection came back after a drop
  uint64_t open_order_resyncs = 0;      ///< open-order re-queries after a reconnect
  uint64_t resync_queries = 0;          ///< orders queried because they left the open orders unseen
  uint64_t listen_key_keepalives = 0;   ///< futures PUT listenKey sent
  uint64_t listen_key_recreations = 0;  ///< futures listenKey re-created (expired, -1125)
  uint64_t stream_resubscribes = 0;     ///< spot userDataStream.subscribe.signature sent again
  uint64_t parse_errors = 0;            ///< answers or events that did not parse (outcome unknown)
  uint64_t reports = 0;                 ///< ExecutionReports delivered
  uint64_t balance_updates = 0;         ///< BalanceUpdates delivered
  uint64_t batches_sent = 0;            ///< futures batchOrders requests (2..5 orders each)
  uint64_t deferred_rejects_lost = 0;   ///< refusals of batched orders beyond the deferred list (queried later)
};

/// IOrderGateway for one Binance market.
///
/// start() (cold, blocking, throws on failure): syncs the clock (GET time), loads exchangeInfo
/// filters and rate limits, applies the futures settings, opens the user data stream (spot:
/// WebSocket API userDataStream.subscribe.signature; futures: listenKey + /private/ws/<key>).
///
/// send()/query()/poll() (executor thread, never block, no allocation, no lock): a New or
/// Modify is checked against the filters first (Rejected with the filter's reason, nothing
/// sent); the rate-limit tracker may answer Throttled (429/418 back-off, usage headers).
/// Answers and user-data events come back from poll() as ExecutionReports / BalanceUpdates.
/// A request whose fate is unknown (timeout, 5xx, connection lost) is never resent and gets no
/// report: the executor's timeout queries it. -1021 is re-sent once after a clock resync.
class BinanceOrderGateway final : public interfaces::IOrderGateway {
 public:
  /// Validates the configuration (URLs, key, secret) and builds the clients; connects nothing.
  /// Throws std::invalid_argument. `registry` must outlive the gateway.
  BinanceOrderGateway(BinanceOrderGatewayConfig config, const config::InstrumentRegistry& registry);
  ~BinanceOrderGateway() override;

  std::string name() const override;
  common::ExchangeId venue() const noexcept override { return api::binance::exchangeOf(config_.market); }
  void start(interfaces::IExecutionSink& sink) override;
  interfaces::SendStatus send(const common::OrderRequest& request, common::TimestampNs localSendTs) noexcept override;
  interfaces::SendStatus query(common::InstrumentId instrument, common::ClientOrderId id) noexcept override;
  int poll() noexcept override;
  [[nodiscard]] bool fetchOpenOrders(std::vector<interfaces::VenueOrder>& out, std::string& error) override;
  [[nodiscard]] bool fetchBalances(std::vector<interfaces::VenueBalance>& out, std::string& error) override;
  [[nodiscard]] bool fetchPositions(std::vector<interfaces::VenuePosition>& out, std::string& error) override;
  /// Spot: Modify goes out as one cancelReplace (Canceled of the old id, New of the new one).
  /// USD-M's PUT amend keeps the client id, which the executor's cancel-replace mode does not
  /// expect: there the executor cancels and places itself.
  bool supportsNativeAmend() const noexcept override { return config_.market == api::binance::Market::Spot; }
  /// Futures over REST with batch_orders: New orders between two poll() calls are batched.
  bool supportsBatch() const noexcept override { return batching(); }
  void stop() noexcept override;

  const BinanceOrderGatewayCounters& counters() const noexcept { return counters_; }
  /// The futures listenKey in use ("" on spot); tests.
  const std::string& listenKey() const noexcept { return listenKey_; }

 private:
  struct RestHandler;
  struct WsApiHandler;
  struct UserStreamHandler;
  struct ColdReply;
  /// An answer to a pending request, from either transport.
  using Answer = RequestAnswer;

  // hot path
  bool batching() const noexcept {
    return config_.market == api::binance::Market::UsdM && config_.order_entry == OrderEntry::Rest && config_.batch_orders;
  }
  void flushBatch() noexcept;
  void deferReject(const common::OrderRequest& r, common::TimestampNs localSendTs, common::RejectReason why) noexcept;
  interfaces::SendStatus dispatch(PendingRequest& p, const api::binance::Endpoint& ep, common::TimestampNs now) noexcept;
  bool encodeFor(const PendingRequest& p, api::binance::Endpoint& ep) noexcept;
  void onAnswer(PendingRequest& p, const Answer& a) noexcept;
  void onOrderAnswer(PendingRequest& p, const Answer& a) noexcept;
  static constexpr uint8_t kMaxQueryAttempts = 3;
  void reask(const PendingRequest& query) noexcept;  ///< a query whose answer was lost, asked again
  void onOpenOrders(const Answer& a) noexcept;
  void onUserData(std::string_view text, common::TimestampNs recvNs) noexcept;
  void onWsApiMessage(std::string_view text, common::TimestampNs recvNs) noexcept;
  void onWsRateLimits(std::string_view list, common::TimestampNs recvNs) noexcept;
  void deliver(common::ExecutionReport report, const PendingRequest* p) noexcept;
  void reject(const PendingRequest& p, common::RejectReason why) noexcept;
  void rejectAll(const PendingRequest& p, common::RejectReason why) noexcept;  ///< every order of a batch
  void requestTimeSync() noexcept;
  void resendAfterResync() noexcept;
  void requeryOpenOrders() noexcept;
  void sendSubscribe() noexcept;
  void recreateListenKey() noexcept;
  void keepListenKeyAlive(int64_t monoNow) noexcept;
  bool submitRest(interfaces::HttpMethod method, std::string_view path, std::string_view query, bool withKey,
                  uint64_t id) noexcept;
  void logEvent(const char* pattern, uint64_t value) noexcept;

  // cold path
  ColdReply cold(interfaces::HttpMethod method, std::string_view path, const api::binance::ParamList* params,
                 bool sign, bool withKey);
  void connectUserStream();
  void applyFuturesSettings();

  BinanceOrderGatewayConfig config_;
  const config::InstrumentRegistry& registry_;
  api::binance::RegistryResolver resolver_;
  std::unique_ptr<api::binance::RequestSigner> signer_;
  api::binance::OrderEncoder encoder_;
  std::unique_ptr<api::binance::OrderResponseParser> parser_;
  api::binance::ExchangeFilters filters_;
  std::unique_ptr<api::binance::RateLimitTracker> limits_;
  api::binance::ServerTimeOffset clock_;
  std::unique_ptr<net::BeastRestClient> rest_;      ///< hot: orders, queries, resyncs, keepalives
  std::unique_ptr<net::BeastRestClient> coldRest_;  ///< start-up and reconciliation (blocking)
  std::unique_ptr<net::BeastWebSocketClient> wsApi_;
  std::unique_ptr<net::BeastWebSocketClient> userStream_;  ///< futures listenKey stream
  std::unique_ptr<RestHandler> restHandler_;
  std::unique_ptr<WsApiHandler> wsApiHandler_;
  std::unique_ptr<UserStreamHandler> userHandler_;
  PendingRequests pending_;
  LiveOrderTable live_;
  interfaces::IExecutionSink* sink_ = nullptr;
  bool running_ = false;
  bool timeSyncInFlight_ = false;
  bool subscribed_ = false;
  bool userStreamUp_ = false;
  bool wsApiUp_ = false;            ///< the WebSocket API connection is up       ///< futures: the listenKey stream connected at least once
  int subscribeRefusedStatus_ = 0;  ///< start(): the venue's status when it refused the subscription
  std::string listenKey_;
  int64_t nextKeepaliveMono_ = 0;
  uint64_t coldId_ = 0;  ///< request ids of the cold client
  std::vector<common::ClientOrderId> seenScratch_;  ///< reserved at start: open orders seen in a resync
  api::binance::ParamList params_;
  std::unique_ptr<char[]> signBuf_;    ///< signed query / WebSocket API payload
  std::unique_ptr<char[]> wireBuf_;    ///< REST target or WebSocket API frame
  BinanceOrderGatewayCounters counters_;
  /// New orders waiting for the next batch (futures, REST).
  common::OrderRequest batch_[kMaxBatch]{};
  common::TimestampNs batchTs_[kMaxBatch]{};
  size_t batchCount_ = 0;
  /// Refusals found while sending a batch from send() (the sink may only be called in poll()).
  static constexpr size_t kMaxDeferred = 64;
  PendingRequest deferred_[kMaxDeferred];
  common::RejectReason deferredWhy_[kMaxDeferred]{};
  size_t deferredCount_ = 0;
};

}  // namespace hft::execution_engine::gateways
