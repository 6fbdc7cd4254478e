#pragma once
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/InstrumentRegistry.h"
#include "interfaces/IOrderGateway.h"

namespace hft::execution_engine::gateways {

struct DryRunConfig {
  common::ExchangeId venue = common::ExchangeId::None;  ///< the venue this gateway stands in for
  std::vector<interfaces::VenueBalance> balances;       ///< reported on start and by fetchBalances
  std::vector<interfaces::VenuePosition> positions;     ///< reported by fetchPositions
  common::VenueOrderId first_venue_order_id = 1;        ///< venue ids count up from here
};

/// An order gateway that sends nothing anywhere: it writes one line per request to a log and
/// answers like a venue that accepts everything and never trades. For running the executor
/// (and strategies) against live market data without touching an account.
///
/// Answers (all delivered from poll(), in request order; header.exchange_ts_ns, venue_ts_ns
/// and local_send_ts_ns = the send's localSendTs, receive_ts_ns too):
/// - New -> `New` with a venue order id (first_venue_order_id, +1 per order) and
///   leaves_qty = qty. Orders that could only trade at once (Market, IOC, FOK) are then
///   `Expired` (nothing to trade against); the rest rest forever. A client id seen before
///   -> `Rejected` DuplicateClientOrderId.
/// - Cancel of a working order of the same strategy -> `Canceled` of that order
///   (client_order_id = orig_client_order_id = the canceled order's id); anything else ->
///   `Rejected` UnknownOrder with the cancel's own ids.
/// - Modify (native amend: supportsNativeAmend() is true) of a working order of the same
///   strategy -> `Canceled` of the old id, then `New` of the new id with the new price and
///   quantity, orig_client_order_id = the old id, a new venue order id. Same contract as the
///   simulator's cancel-replace, so the OMS handles both alike. Unknown -> `Rejected`
///   UnknownOrder.
/// - query(id) -> the order's current state: `New` while working, `Canceled`/`Expired` once
///   done; an id never seen -> `Rejected` UnknownOrder.
/// - start() -> one BalanceUpdate per configured balance (delta 0: a full refresh).
/// Never fills, never throttles. send() returns Rejected VenueUnavailable before start() or
/// after stop(), and Rejected InvalidRequest for a request naming another venue.
///
/// Log line (request and answer): `dry_run binance send ts=... cid=42 action=new strategy=1
/// instrument=BTC/USDT side=buy type=limit tif=gtc price=50000.00 qty=0.00100 stop=0
/// orig=0 -> new venue_order_id=1`. Lines are buffered and written to the FILE* (and
/// fflush'd) in poll(): the dry run is not a latency path, but send() still does no I/O.
///
/// Memory: every order ever seen is kept (ids must stay unique); fine for a dry run.
/// Single-threaded like every IOrderGateway.
class DryRunGateway final : public interfaces::IOrderGateway {
 public:
  /// `registry` (optional) names instruments and scales prices in the log; `log` (not owned,
  /// may be nullptr = no log) must outlive the gateway.
  DryRunGateway(DryRunConfig config, std::FILE* log, const config::InstrumentRegistry* registry = nullptr);

  std::string name() const override;
  common::ExchangeId venue() const noexcept override { return config_.venue; }
  void start(interfaces::IExecutionSink& sink) override;
  interfaces::SendStatus send(const common::OrderRequest& request, common::TimestampNs localSendTs) noexcept override;
  interfaces::SendStatus query(common::InstrumentId instrument, common::ClientOrderId id) noexcept override;
  int poll() noexcept override;
  [[nodiscard]] bool fetchOpenOrders(std::vector<interfaces::VenueOrder>& out, std::string& error) override;
  [[nodiscard]] bool fetchBalances(std::vector<interfaces::VenueBalance>& out, std::string& error) override;
  [[nodiscard]] bool fetchPositions(std::vector<interfaces::VenuePosition>& out, std::string& error) override;
  bool supportsNativeAmend() const noexcept override { return true; }
  bool supportsBatch() const noexcept override { return false; }
  void stop() noexcept override;

  /// Requests logged so far (whether or not poll() has written them yet).
  uint64_t requestsLogged() const noexcept { return requests_; }

 private:
  struct Order {
    interfaces::VenueOrder venue;   ///< as fetchOpenOrders lists it
    common::StrategyId strategy_id;
    common::ExecType status;        ///< New while working; Canceled / Expired once done
    common::TimestampNs send_ts;    ///< of the request that last changed it
  };

  void onNew(const common::OrderRequest& r, common::TimestampNs ts);
  void onCancel(const common::OrderRequest& r, common::TimestampNs ts);
  void onModify(const common::OrderRequest& r, common::TimestampNs ts);
  Order& admit(const common::OrderRequest& r, common::TimestampNs ts);
  void report(const Order& o, common::ExecType type, common::ClientOrderId orig, common::TimestampNs ts);
  void reject(const common::OrderRequest& r, common::RejectReason why, common::TimestampNs ts);
  void logRequest(const common::OrderRequest& r, common::TimestampNs ts);
  void logAnswer(const char* text);
  std::string price(common::InstrumentId id, int64_t raw, bool isQty) const;

  DryRunConfig config_;
  std::FILE* log_;
  const config::InstrumentRegistry* registry_;
  interfaces::IExecutionSink* sink_ = nullptr;
  bool running_ = false;
  common::VenueOrderId nextVenueId_;
  std::unordered_map<common::ClientOrderId, Order> orders_;
  std::vector<common::ExecutionReport> pendingReports_;
  std::vector<common::BalanceUpdate> pendingBalances_;
  std::string pendingLog_;  ///< lines not yet written to log_
  uint64_t requests_ = 0;
};

}  // namespace hft::execution_engine::gateways
