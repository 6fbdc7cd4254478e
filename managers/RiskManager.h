#pragma once
// Pre-trade risk: the one gate every New and Modify passes before it reaches a venue, shared by
// order_executor (live) and the backtester (replay). Both drive it the same way, with time and
// market state supplied by the caller, so a backtest takes exactly the decisions the live run
// would have taken on the same inputs.
//
// Flow, all on one thread (the executor's or the backtester's):
//   d = risk.check(request, now);          // a decision, changes nothing the next check sees
//   if (d.accepted()) { send; risk.onAccepted(request); }   // commits: open order, reservation, rate token
//   ... risk.onFill(...), risk.onOrderDone(id) as reports arrive; feeds below as data arrives.
// Call onAccepted for a passed request before checking the next one: two checks in a row both
// see the same free token, the same open-order count and the same balance.
//
// Hot path: check(), onAccepted(), onFill(), onOrderDone(), onModifyRejected(), the feeds and
// the queries are noexcept and never allocate; every table is sized at construction from the
// limits (the order table from global.max_open_orders). Only killSwitch() may be touched from
// another thread (see KillSwitch.h).
//
// Units as in RiskLimits.h: quantities and prices raw at the instrument's scales; notionals,
// balances, equity and PnL raw at common::kAmountScale.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "managers/KillSwitch.h"
#include "managers/RiskLimits.h"
#include "managers/TokenBucket.h"

namespace hft::managers {

/// What check() says about one request.
struct RiskDecision {
  common::RejectReason reason = common::RejectReason::None;  ///< None = accepted
  const char* detail = "";  ///< static text naming the limit that refused it; never freed, never null

  constexpr bool accepted() const noexcept { return reason == common::RejectReason::None; }
};

class RiskManager {
 public:
  /// Copies what it needs from `limits` and `registry` (neither is referenced afterwards).
  /// Throws std::invalid_argument when the limits name an instrument the registry lacks.
  RiskManager(const RiskLimits& limits, const config::InstrumentRegistry& registry);
  RiskManager(const RiskManager&) = delete;
  RiskManager& operator=(const RiskManager&) = delete;

  // ---- the check -------------------------------------------------------------------------

  /// Decides on one request at caller time `now` (ns since the epoch, UTC: wall time live, event
  /// time in a backtest). Cancels always pass. New and Modify are checked in this order, the
  /// first failure deciding the reason:
  ///   kill switch; request validity (action/side/type/tif, instrument, strategy, qty > 0, lot,
  ///   prices > 0 and on tick, client order id unused, a Modify's original known and of the same
  ///   instrument, strategy and side); price band; max order qty; min and max order notional;
  ///   max open orders (New only; strategy, global); max position (instrument, strategy, venue
  ///   notional), all in the worst case of every open order on that side filling; leverage;
  ///   daily loss (strategy, global); balance net of reservations; order rate (strategy, venue).
  /// A Modify is checked as if it replaced its original: the original's open quantity and
  /// reservation are released first.
  [[nodiscard]] RiskDecision check(const common::OrderRequest& r, common::TimestampNs now) noexcept;

  // ---- bookkeeping -----------------------------------------------------------------------

  /// Records a request that passed check() and was sent: the order becomes open, its balance
  /// is reserved, one token leaves the strategy's and the venue's bucket. A Modify replaces its
  /// original (kept aside for onModifyRejected). Cancels change nothing (the order stays open
  /// until onOrderDone). False when nothing was recorded: unknown instrument or strategy, Modify
  /// of an unknown order, id already open, or the order table full.
  bool onAccepted(const common::OrderRequest& r) noexcept;

  /// A fill of `qty` at `price`. Moves the instrument's and the strategy's position and the
  /// balances (fees are left to the next onBalance); when `id` is an open order, its open
  /// quantity and reservation shrink, and it is closed once nothing is left. Fills of ids not
  /// open (placed elsewhere, or before a restart) still move positions and balances.
  void onFill(common::ClientOrderId id, common::StrategyId strategy, common::InstrumentId instrument, common::Side side,
              int64_t qty, int64_t price) noexcept;
  /// The order is finished (filled, canceled, expired, rejected): releases what is left of its
  /// open quantity and reservation. Unknown ids are ignored.
  void onOrderDone(common::ClientOrderId id) noexcept;
  /// The venue refused a Modify that onAccepted recorded: the original order, as it was, is open
  /// again under its own id. False when `newId` is not an open order created by a Modify. Fills
  /// the original got meanwhile are not subtracted (conservative).
  bool onModifyRejected(common::ClientOrderId newId) noexcept;

  // ---- feeds -----------------------------------------------------------------------------

  /// Last mid or trade price: the price band's reference and the mark of position notionals.
  /// Prices <= 0 and unknown instruments are ignored.
  void onReferencePrice(common::InstrumentId instrument, int64_t price) noexcept;
  /// A strategy's PnL so far: `realized` since an origin the caller picks, `unrealized` the
  /// current mark-to-market, both in one reporting currency. Daily PnL is (realized +
  /// unrealized) minus its value when the UTC day began; until the first UTC midnight seen it is
  /// measured from 0, so after a restart feed today's figures (e.g. from the journal) to keep
  /// the day's losses. `now` rolls the day over like check() does. Unknown strategies count
  /// towards the global figure only.
  void onPnl(common::StrategyId strategy, int64_t realized, int64_t unrealized, common::TimestampNs now) noexcept;
  /// An amount in `instrument`'s quote currency (kAmountScale) in the loss currency
  /// (RiskLimits global.loss_currency) at its configured rate, truncated toward zero and
  /// saturated; unchanged when the quote is the loss currency or the instrument is not listed.
  int64_t toLossCurrency(common::InstrumentId instrument, int64_t amount) const noexcept;
  /// Balance of `asset` on a spot venue that this manager's reservations come out of: the
  /// venue's free amount plus what the venue has locked for orders this manager still tracks
  /// (free + locked when all of the account's orders go through this manager). Fills adjust
  /// it until the next update. False when no configured instrument on `venue` uses `asset`.
  bool onBalance(common::ExchangeId venue, std::string_view asset, int64_t free) noexcept;
  /// Account equity (wallet balance + unrealized PnL, in the quote asset) of a futures venue,
  /// the denominator of the leverage check. Orders on a venue with max_leverage are rejected
  /// until it has been fed. False for a venue without configured instruments.
  bool onEquity(common::ExchangeId venue, int64_t equity) noexcept;

  /// The kill switch every check consults. The caller polls it (poll()) off the hot path.
  KillSwitch& killSwitch() noexcept { return killSwitch_; }
  const KillSwitch& killSwitch() const noexcept { return killSwitch_; }

  // ---- queries (0 for unknown keys) ------------------------------------------------------

  int64_t position(common::InstrumentId instrument) const noexcept;
  int64_t position(common::StrategyId strategy, common::InstrumentId instrument) const noexcept;
  int64_t openOrders() const noexcept { return openOrders_; }
  int64_t openOrders(common::StrategyId strategy) const noexcept;
  /// Open quantity of one side of an instrument, all strategies.
  int64_t openQty(common::InstrumentId instrument, common::Side side) const noexcept;
  /// Fed balance minus reservations of open orders.
  int64_t available(common::ExchangeId venue, std::string_view asset) const noexcept;
  int64_t reserved(common::ExchangeId venue, std::string_view asset) const noexcept;
  int64_t dailyPnl(common::StrategyId strategy) const noexcept;
  /// All listed strategies together.
  int64_t globalDailyPnl() const noexcept;
  /// Sum over the venue's instruments of the worst-case |position| times the mark.
  int64_t venueExposure(common::ExchangeId venue) const noexcept;
  /// Whole tokens left in a bucket as of its last refill (0 for an unlimited bucket).
  int64_t strategyTokens(common::StrategyId strategy) const noexcept;
  int64_t venueTokens(common::ExchangeId venue) const noexcept;
  /// Rejections so far with this reason (counters for the cold monitoring thread to read).
  uint64_t rejectCount(common::RejectReason reason) const noexcept;
  /// Open orders the table can hold.
  int64_t orderCapacity() const noexcept { return maxOrders_; }

 private:
  static constexpr int32_t kNone = -1;

  struct InstrumentState {
    common::InstrumentId id = 0;
    common::ExchangeId exchange = common::ExchangeId::None;
    int32_t venue = kNone;                              // venues_ index
    int32_t baseBalance = kNone, quoteBalance = kNone;  // balances_ indexes
    int64_t tick = 1, lot = 1, min_notional = 0;
    int64_t notional_mul = 1, notional_div = 1;  // price*qty -> kAmountScale
    int64_t qty_mul = 1, qty_div = 1;            // qty -> kAmountScale
    int64_t max_order_qty = 0, max_order_notional = 0, max_position = 0, band_bps = 0;
    int64_t reference = 0;  // 0 = none yet
    int64_t mark = 0;       // reference, else last order/fill price: prices the exposure
    int64_t position = 0, open_buy = 0, open_sell = 0;
    int64_t exposure = 0;  // worst-case |position| * mark, kAmountScale; summed in the venue
    int64_t loss_rate = 0;  // quote -> loss currency at kLossRateScale; 0 = the quote is the loss currency
  };
  struct StrategyState {
    common::StrategyId id = 0;
    int64_t max_open_orders = kNoLimit, open_orders = 0;
    int64_t daily_loss_limit = kNoLimit;
    int64_t total = 0, baseline = 0;  // realized + unrealized; its value at the start of the day
    TokenBucket bucket;
  };
  struct Holding {  // one strategy in one instrument
    int64_t max_position = kNoLimit;
    int64_t position = 0, open_buy = 0, open_sell = 0;
  };
  struct VenueState {
    common::ExchangeId id = common::ExchangeId::None;
    bool futures = false, check_balance = true;
    int64_t max_notional = kNoLimit, max_leverage_x100 = 0;
    int64_t exposure = 0, equity = 0;
    TokenBucket bucket;
  };
  struct Balance {
    common::ExchangeId venue = common::ExchangeId::None;
    char asset[8] = {};
    int64_t free = 0, reserved = 0;
  };
  struct Order {  // an open order; id 0 = empty slot
    common::ClientOrderId id = 0;
    common::ClientOrderId prev_id = 0;  // Modify: the order it replaced
    int64_t remaining = 0, reserve_price = 0, reserved = 0;
    int64_t prev_remaining = 0, prev_reserve_price = 0;
    int32_t instrument = 0, strategy = 0, balance = kNone;
    common::Side side = common::Side::None;
  };
  /// What check() and onAccepted() both derive from a request.
  struct Pricing {
    int64_t price = 0;          // the price the order trades near: limit, stop, or the reference
    int64_t reserve_price = 0;  // buys: the price its balance is reserved at
  };

  int32_t instrumentSlot(common::InstrumentId id) const noexcept;
  int32_t strategySlot(common::StrategyId id) const noexcept;  // 0 = unlisted (non-strict), kNone = refused
  int32_t venueSlot(common::ExchangeId id) const noexcept;
  int32_t balanceSlot(common::ExchangeId venue, std::string_view asset) const noexcept;
  Holding& holding(int32_t strategy, int32_t instrument) noexcept {
    return holdings_[static_cast<size_t>(strategy) * instruments_.size() + static_cast<size_t>(instrument)];
  }

  RiskDecision reject(common::RejectReason reason, const char* detail) noexcept;
  void rollDay(common::TimestampNs now) noexcept;
  Pricing pricing(const common::OrderRequest& r, const InstrumentState& in) const noexcept;
  int64_t reservation(const InstrumentState& in, common::Side side, int64_t qty, int64_t reservePrice) const noexcept;
  void recomputeExposure(InstrumentState& in) noexcept;
  void addOpen(Order& o, int64_t sign) noexcept;  // +1 opens o's remaining and reservation, -1 releases them

  Order* findOrder(common::ClientOrderId id) noexcept;
  const Order* findOrder(common::ClientOrderId id) const noexcept;
  Order* insertOrder(common::ClientOrderId id) noexcept;  // nullptr when full
  void eraseOrder(Order* o) noexcept;

  std::vector<InstrumentState> instruments_;
  std::vector<int32_t> instrumentById_;          // InstrumentId -> instruments_ index, kNone
  std::vector<StrategyState> strategies_;        // [0] = unlisted strategies
  std::vector<common::StrategyId> strategyIds_;  // sorted ids of strategies_[1..]
  std::vector<Holding> holdings_;                // strategies_ x instruments_
  std::vector<VenueState> venues_;
  std::array<int8_t, 256> venueById_{};  // ExchangeId -> venues_ index + 1; 0 = none
  std::vector<Balance> balances_;
  std::vector<Order> orders_;  // open addressing, linear probing
  uint64_t orderMask_ = 0;
  int orderShift_ = 64;
  int64_t maxOrders_ = 0;  // the table holds at most this many

  int64_t maxOpenOrders_ = 0, openOrders_ = 0;
  int64_t dailyLossLimit_ = kNoLimit;
  int64_t globalTotal_ = 0, globalBaseline_ = 0;
  int64_t day_ = 0;
  bool dayStarted_ = false;
  bool strict_ = true;
  NoReferencePolicy noReference_ = NoReferencePolicy::Reject;
  std::array<uint64_t, 64> rejects_{};
  KillSwitch killSwitch_;
};

}  // namespace hft::managers
