#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "common/Ids.h"
#include "common/OrderEnums.h"
#include "common/events/OrderRequest.h"
#include "interfaces/IExecutionSink.h"

namespace hft::interfaces {

/// What send() and query() did with a request. Hot path: a value, never an exception.
enum class SendOutcome : uint8_t {
  Sent = 0,       ///< handed to the venue (or its connection's send queue); the answer comes later
                  ///< as an ExecutionReport through the sink, from poll()
  Rejected = 1,   ///< refused before reaching the venue (not connected, unsupported request):
                  ///< no report follows; the caller reports `reason` to the strategy
  Throttled = 2,  ///< the venue's rate limit is used up: nothing was sent and no report follows;
                  ///< the caller retries later or rejects with RejectReason::RateLimit
};

struct SendStatus {
  SendOutcome outcome = SendOutcome::Sent;
  common::RejectReason reason = common::RejectReason::None;  ///< set when outcome is Rejected

  static constexpr SendStatus sent() noexcept { return {SendOutcome::Sent, common::RejectReason::None}; }
  static constexpr SendStatus throttled() noexcept { return {SendOutcome::Throttled, common::RejectReason::None}; }
  static constexpr SendStatus rejected(common::RejectReason why) noexcept { return {SendOutcome::Rejected, why}; }
  constexpr bool ok() const noexcept { return outcome == SendOutcome::Sent; }
  constexpr bool operator==(const SendStatus&) const noexcept = default;
};

/// One working order as the venue lists it (reconciliation). 72 bytes; prices and quantities
/// raw at the instrument's scales (config::InstrumentRegistry).
///   0 client_order_id | 8 venue_order_id | 16 price | 24 qty | 32 cum_qty | 40 stop_price
///   | 48 venue_ts_ns | 56 instrument_id(u32) | 60 side | 61 type | 62 tif | 63 position_side
///   | 64 reduce_only | 65 pad[7]
struct VenueOrder {
  common::ClientOrderId client_order_id;  ///< ours; 0 when the venue's client id is not one of ours
                                          ///< (an order placed by hand): the OMS must flag it
  common::VenueOrderId venue_order_id;
  int64_t price;                          ///< limit price (0 for market)
  int64_t qty;                            ///< original quantity
  int64_t cum_qty;                        ///< filled so far; leaves = qty - cum_qty
  int64_t stop_price;                     ///< trigger of stop types; else 0
  common::TimestampNs venue_ts_ns;        ///< venue time of the order's last change
  common::InstrumentId instrument_id;
  common::Side side;
  common::OrderType type;
  common::TimeInForce tif;
  common::PositionSide position_side;
  uint8_t reduce_only;
  uint8_t pad[7];
};
static_assert(std::is_trivially_copyable_v<VenueOrder> && std::is_standard_layout_v<VenueOrder>);
static_assert(sizeof(VenueOrder) == 72 && alignof(VenueOrder) == 8);
static_assert(offsetof(VenueOrder, venue_ts_ns) == 48 && offsetof(VenueOrder, instrument_id) == 56);
static_assert(offsetof(VenueOrder, reduce_only) == 64);

/// One asset's balance on the venue (reconciliation). 24 bytes; amounts at common::kAmountScale.
///   0 asset[8] | 8 free | 16 locked
struct VenueBalance {
  char asset[8];   ///< NUL-padded asset code ("USDT")
  int64_t free;
  int64_t locked;  ///< held by working orders (or margin)
};
static_assert(std::is_trivially_copyable_v<VenueBalance> && std::is_standard_layout_v<VenueBalance>);
static_assert(sizeof(VenueBalance) == 24 && offsetof(VenueBalance, free) == 8);

/// One derivatives position on the venue (reconciliation; spot venues have none). 32 bytes.
///   0 instrument_id(u32) | 4 position_side | 5 pad[3] | 8 qty | 16 entry_price | 24 unrealized_pnl
struct VenuePosition {
  common::InstrumentId instrument_id;
  common::PositionSide position_side;
  uint8_t pad[3];
  int64_t qty;             ///< signed, raw at the instrument's qty scale: > 0 long, < 0 short
  int64_t entry_price;     ///< raw at the instrument's price scale
  int64_t unrealized_pnl;  ///< at common::kAmountScale, in the margin asset
};
static_assert(std::is_trivially_copyable_v<VenuePosition> && std::is_standard_layout_v<VenuePosition>);
static_assert(sizeof(VenuePosition) == 32 && offsetof(VenuePosition, qty) == 8);

/// Order entry on one venue, for the order executor (one gateway per venue). An agent: the
/// executor thread calls send()/query() as requests pass risk and poll() in its loop; nothing
/// here may block on that thread. The cold reconciliation calls (fetch*) may block: the
/// executor makes them at start-up and on demand, not between hot-path calls.
///
/// Threading: every call on the executor thread (a gateway that needs its own I/O thread hides
/// it behind these calls). Sink calls happen only inside poll().
///
/// Ids: client_order_id is the OMS's id and is unique across restarts; the gateway maps it to
/// the venue's spelling and reports the venue's numeric id in venue_order_id.
class IOrderGateway {
 public:
  virtual ~IOrderGateway() = default;

  /// For logs ("binance", "dry_run:binance").
  virtual std::string name() const = 0;
  /// The venue every request sent here must name in header.exchange_id.
  virtual common::ExchangeId venue() const noexcept = 0;

  /// Connects / logs in; throws std::runtime_error on configuration errors. Reports and
  /// balance updates go to `sink` (which must outlive the gateway) from poll() on.
  virtual void start(IExecutionSink& sink) = 0;

  /// Sends a New, Cancel or Modify (see OrderRequest). Never blocks. `localSendTs` is the
  /// executor's wall time of the send: the gateway copies it into the reports' local_send_ts_ns.
  /// Modify is only sent here when supportsNativeAmend(); otherwise the OMS cancel-replaces.
  virtual SendStatus send(const common::OrderRequest& request, common::TimestampNs localSendTs) noexcept = 0;

  /// Asks the venue about an order whose outcome is unknown (send timed out, connection lost,
  /// restart). The answer comes back from poll() as an ExecutionReport of the order's current
  /// state; an order the venue does not know is reported Rejected with UnknownOrder. The
  /// instrument is part of the question because venues look orders up per symbol.
  virtual SendStatus query(common::InstrumentId instrument, common::ClientOrderId id) noexcept = 0;

  /// Reads the connection(s), delivers ready reports and balance updates to the sink; returns
  /// how many it delivered (0 = idle).
  virtual int poll() noexcept = 0;

  /// Reconciliation, cold path (may block on REST). Each replaces `out` with the venue's
  /// current view and returns true, or returns false with `error` saying what failed.
  [[nodiscard]] virtual bool fetchOpenOrders(std::vector<VenueOrder>& out, std::string& error) = 0;
  [[nodiscard]] virtual bool fetchBalances(std::vector<VenueBalance>& out, std::string& error) = 0;
  [[nodiscard]] virtual bool fetchPositions(std::vector<VenuePosition>& out, std::string& error) = 0;

  /// True when the venue amends in place (Modify is sent as such); false: cancel-replace.
  virtual bool supportsNativeAmend() const noexcept = 0;
  /// True when the venue has batch order entry; the gateway may then coalesce the sends made
  /// between two poll() calls into batch requests (send() is still one request at a time).
  virtual bool supportsBatch() const noexcept = 0;

  /// Disconnects. Orders stay as they are on the venue (cancel-on-stop is the OMS's decision).
  virtual void stop() noexcept = 0;
};

}  // namespace hft::interfaces
