#pragma once
// Live order entry on Upbit, and with the Bithumb dialect on Bithumb (one class: the two venues
// speak one protocol, see api/exchanges/upbit/Dialect.h). REST with a fresh JWT per request for
// orders, cancels, queries, open orders and balances; fills and cancels from the private
// WebSocket (myOrder + myAsset). See README.md (this folder) for the behaviour table.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/exchanges/shared/JwtSigner.h"
#include "api/exchanges/shared/QueryParams.h"
#include "api/exchanges/upbit/InstrumentResolver.h"
#include "api/exchanges/upbit/OrderEncoder.h"
#include "api/exchanges/upbit/OrderResponseParser.h"
#include "api/exchanges/upbit/PrivateStreamParser.h"
#include "api/exchanges/upbit/RemainingReq.h"
#include "common/Xoshiro256.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/gateways/LiveOrderTable.h"
#include "execution_engine/gateways/OrderUuidTable.h"
#include "execution_engine/gateways/PendingRequests.h"
#include "execution_engine/gateways/UpbitOrderGatewayConfig.h"
#include "interfaces/IOrderGateway.h"
#include "interfaces/IRestApiClient.h"

namespace hft::net {
class BeastRestClient;
class BeastWebSocketClient;
}  // namespace hft::net

namespace hft::execution_engine::gateways {

/// Counted events (plain fields of the executor thread).
struct UpbitOrderGatewayCounters {
  uint64_t requests_sent = 0;          ///< order, cancel and query requests handed to the REST client
  uint64_t throttled = 0;              ///< send()/query() answered Throttled (Remaining-Req sec=0, 429 back-off)
  uint64_t venue_rejects = 0;          ///< Rejected reports (venue errors, transport NotSent)
  uint64_t unknown_outcomes = 0;       ///< timeout, 5xx, connection lost mid-request: not resent
  uint64_t query_retries = 0;          ///< queries asked again after a lost answer (safe: they change nothing)
  uint64_t stream_reconnects = 0;      ///< the private stream came back after a drop
  uint64_t open_order_resyncs = 0;     ///< GET open orders sent after a reconnect
  uint64_t resync_queries = 0;         ///< live orders missing from the open orders, queried
  uint64_t parse_errors = 0;           ///< answers or frames that did not parse
  uint64_t stream_errors = 0;          ///< {"error":..} frames on the private stream
  uint64_t text_pings = 0;             ///< "PING" frames sent (keep-alive)
  uint64_t reports = 0;                ///< ExecutionReports delivered
  uint64_t balance_updates = 0;        ///< BalanceUpdates delivered
};

/// IOrderGateway for Upbit or Bithumb (config.dialect).
///
/// start() (cold, blocking, throws): starts the REST clients and the private stream (JWT in the
/// upgrade request), subscribes myOrder + myAsset and waits for the connection.
/// send()/query()/poll() (executor thread, never block, no lock, no allocation after start):
/// requests are encoded (OrderEncoder: tick bands on Upbit), checked against the Remaining-Req
/// tracker of their group (Throttled, nothing sent), signed with a fresh JWT (nonce from a
/// seeded generator, no syscall) and handed to the REST client's I/O thread. Answers and stream
/// frames come back from poll(). A request whose fate is unknown (timeout, 5xx, connection
/// lost) is never resent and gets no report: the executor's timeout queries it.
class UpbitOrderGateway final : public interfaces::IOrderGateway {
 public:
  /// Validates the configuration (URLs, key, secret) and builds the clients; connects nothing.
  /// Throws std::invalid_argument. `registry` must outlive the gateway.
  UpbitOrderGateway(UpbitOrderGatewayConfig config, const config::InstrumentRegistry& registry);
  ~UpbitOrderGateway() override;

  std::string name() const override;  ///< "upbit" / "bithumb"
  common::ExchangeId venue() const noexcept override { return config_.dialect.exchange; }
  void start(interfaces::IExecutionSink& sink) override;
  interfaces::SendStatus send(const common::OrderRequest& request, common::TimestampNs localSendTs) noexcept override;
  interfaces::SendStatus query(common::InstrumentId instrument, common::ClientOrderId id) noexcept override;
  int poll() noexcept override;
  [[nodiscard]] bool fetchOpenOrders(std::vector<interfaces::VenueOrder>& out, std::string& error) override;
  [[nodiscard]] bool fetchBalances(std::vector<interfaces::VenueBalance>& out, std::string& error) override;
  [[nodiscard]] bool fetchPositions(std::vector<interfaces::VenuePosition>& out, std::string& error) override;
  bool supportsNativeAmend() const noexcept override { return false; }  ///< cancel, then new
  bool supportsBatch() const noexcept override { return false; }
  void stop() noexcept override;

  const UpbitOrderGatewayCounters& counters() const noexcept { return counters_; }
  /// The venue's uuid of one of our live orders once an ack or event named it ("" before, and
  /// after the order's final report).
  std::string_view uuidOf(common::ClientOrderId id) const noexcept { return uuids_.find(id); }
  const api::upbit::RemainingReqTracker& rateLimits() const noexcept { return limits_; }

 private:
  struct RestHandler;
  struct StreamHandler;
  struct ColdReply;
  using Answer = RequestAnswer;

  const api::upbit::OrderEncoder& encoderFor(const config::Instrument& inst) const noexcept;
  bool buildAuthorization(std::string_view query, size_t& length) noexcept;
  interfaces::SendStatus dispatch(PendingRequest& p, const api::upbit::Endpoint& ep, common::TimestampNs now) noexcept;
  void onAnswer(PendingRequest& p, const Answer& a) noexcept;
  void onOrderAnswer(PendingRequest& p, const Answer& a) noexcept;
  void onOpenOrders(const PendingRequest& p, const Answer& a) noexcept;
  void onStreamFrame(std::string_view text, common::TimestampNs recvNs) noexcept;
  void reask(const PendingRequest& query) noexcept;
  void requeryOpenOrders() noexcept;
  void deliver(common::ExecutionReport report, const PendingRequest* p) noexcept;
  void reject(const PendingRequest& p, common::RejectReason why) noexcept;

  ColdReply cold(api::upbit::HttpMethod method, std::string_view path, const api::shared::QueryParams* params);

  UpbitOrderGatewayConfig config_;
  const config::InstrumentRegistry& registry_;
  api::upbit::RegistryResolver resolver_;
  std::unique_ptr<api::shared::JwtSigner> signer_;     ///< executor thread
  std::unique_ptr<api::shared::JwtSigner> wsSigner_;   ///< private stream handshakes (its I/O thread)
  std::unique_ptr<api::shared::JwtSigner> coldSigner_; ///< start-up and reconciliation
  api::upbit::OrderEncoder plainEncoder_;               ///< instrument tick_size only (Bithumb, other quotes)
  api::upbit::OrderEncoder krwEncoder_, btcEncoder_, usdtEncoder_;  ///< Upbit's price-unit tables
  std::unique_ptr<api::upbit::OrderResponseParser> parser_;
  std::unique_ptr<api::upbit::PrivateStreamParser> streamParser_;
  api::upbit::RemainingReqTracker limits_;
  common::Xoshiro256 rng_;
  std::unique_ptr<net::BeastRestClient> rest_;      ///< hot: orders, queries, resyncs
  std::unique_ptr<net::BeastRestClient> coldRest_;  ///< start-up and reconciliation (blocking)
  std::unique_ptr<net::BeastWebSocketClient> stream_;
  std::unique_ptr<RestHandler> restHandler_;
  std::unique_ptr<StreamHandler> streamHandler_;
  PendingRequests pending_;
  LiveOrderTable live_;
  OrderUuidTable uuids_;
  interfaces::IExecutionSink* sink_ = nullptr;
  bool running_ = false;
  bool streamUp_ = false;
  int64_t nextTextPingMono_ = 0;
  uint64_t coldId_ = 0;
  std::vector<common::ClientOrderId> seenScratch_;      ///< reserved at start: orders listed in a resync
  std::vector<common::InstrumentId> instrumentScratch_; ///< reserved at start: instruments to resync
  api::shared::QueryParams params_;
  std::unique_ptr<char[]> queryBuf_;  ///< rendered query string (hashed, and the GET/DELETE query)
  std::unique_ptr<char[]> bodyBuf_;   ///< POST JSON body
  std::unique_ptr<char[]> wireBuf_;   ///< target path?query
  char auth_[api::shared::JwtSigner::kMaxTokenChars + 8];
  UpbitOrderGatewayCounters counters_;
};

/// The factory the executor's venue registry calls: Upbit or Bithumb by config.dialect.
/// Throws std::invalid_argument as the constructor does.
std::unique_ptr<interfaces::IOrderGateway> makeUpbitOrderGateway(UpbitOrderGatewayConfig config,
                                                                 const config::InstrumentRegistry& registry);

}  // namespace hft::execution_engine::gateways
