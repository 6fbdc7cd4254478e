#pragma once
// Balances per (venue, asset) as the OMS sees them: the venue's last word (BalanceUpdate from
// its account stream), moved by our fills until the venue's next word (a shadow estimate), less
// what our open orders reserve. One thread; shared by order_executor and the backtester.
//
//   am.onBalance(update);                    // every BalanceUpdate: replaces the venue's figures
//   am.reserve(request, worstPrice);         // a New (or cancel-replace leg) sent: reserve what it may spend
//   am.onFill(report);                       // each new fill (OrderManager's kChangeFill)
//   am.release(id);                          // the order is done (OrderManager's kChangeDone)
//   am.available(venue, "USDT");
//   am.reconcile(venue, fetchedBalances);    // cold: our view vs a venue snapshot -> mismatches
//
// Spot venues: a buy reserves price x qty of the quote asset (rounded up), a sell qty of the base
// asset. A fill releases the filled part of its order's reservation, takes what that part had
// locked out of `locked` (the venue locked it), pays or receives the other asset in `free`,
// and pays its fee from `free` of the fee asset. Margin venues (binance_futures) are left to the
// venue's updates: realized PnL, funding and margin are the venue's arithmetic, so fills and
// orders there change nothing here (reserve() says NotNeeded).
//
// available = min(free, free + locked - reserved): with every order on the account ours and
// acked, the venue's locked equals our reservations and available is the venue's free; an order
// sent but not yet locked by the venue is subtracted; orders placed by hand lock funds the min()
// keeps out. A fill whose venue time is not after the asset's last update is already in that
// update and moves nothing.
//
// Hot path: onBalance, onFill, reserve, release, onAmended and the queries are noexcept and never
// allocate (tables sized at construction). reconcile, toJson and fromJson are cold.
#include <cstdint>
#include <cstring>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"

namespace hft::managers {

/// One asset on one venue, at common::kAmountScale.
struct BalanceView {
  int64_t free = 0;      ///< the venue's free + our fills since
  int64_t locked = 0;    ///< the venue's locked + our fills since
  int64_t reserved = 0;  ///< by our open orders
  int64_t available = 0; ///< min(free, free + locked - reserved)
  common::TimestampNs venue_ts = 0;  ///< venue time of the last update (0: none yet)
  bool known = false;    ///< a balance update or a fill has named it
};

/// One asset whose figures differ between our view and the venue's.
struct BalanceMismatch {
  std::string asset;
  int64_t our_free = 0, our_locked = 0;
  int64_t venue_free = 0, venue_locked = 0;
};

/// One asset as a venue snapshot lists it (interfaces::VenueBalance and BalanceUpdate convert).
struct VenueAmount {
  std::string_view asset;
  int64_t free = 0;
  int64_t locked = 0;
};

enum class ReserveResult : uint8_t {
  Reserved = 0,
  NotNeeded = 1,          ///< margin venue, or a zero amount: nothing reserved
  UnknownInstrument = 2,
  DuplicateId = 3,        ///< the id already holds a reservation
  NoPrice = 4,            ///< a buy without a limit, stop or caller-given price to reserve at
  TableFull = 5,          ///< reservations or balances at their maximum
  InvalidRequest = 6,     ///< not New/Modify, id 0, qty <= 0, side not Buy/Sell
};

struct AccountManagerSizes {
  uint32_t max_balances = 256;       ///< (venue, asset) pairs
  uint32_t max_reservations = 4096;  ///< open orders holding a reservation
};

struct AccountManagerCounters {
  uint64_t updates = 0;         ///< balance updates applied
  uint64_t stale_updates = 0;   ///< balance updates older than the one applied before (ignored)
  uint64_t shadow_fills = 0;    ///< fills that moved balances
  uint64_t covered_fills = 0;   ///< fills already in the venue's last update (moved nothing)
  uint64_t table_full = 0;      ///< balances or reservations refused for room
};

class AccountManager {
 public:
  /// Copies what it needs from the registry. Throws std::invalid_argument on a size of 0.
  explicit AccountManager(const config::InstrumentRegistry& registry, AccountManagerSizes sizes = {});

  /// The venue's figures for one asset (header.exchange_id, asset): replace ours and drop the
  /// shadow of earlier fills. False when ignored: older than the last update applied
  /// (header.exchange_ts_ns), empty asset, or no room for a new asset.
  bool onBalance(const common::BalanceUpdate& u) noexcept;
  /// A new fill: releases the filled part of its order's reservation and, on spot venues, moves
  /// the balances. False when the report is no fill (last_qty <= 0), or of an unknown instrument.
  bool onFill(const common::ExecutionReport& r) noexcept;

  /// Reserves what a New (or the replacing order of a cancel-replace Modify) may spend, at its
  /// limit price, else its stop price, else `price` (the caller's worst case for market orders).
  ReserveResult reserve(const common::OrderRequest& r, int64_t price = 0) noexcept;
  /// A native amend took effect: the reservation of `oldId` moves to `newId` and is recomputed
  /// for `remainingQty` at `price`. False when `oldId` holds none.
  bool onAmended(common::ClientOrderId oldId, common::ClientOrderId newId, int64_t price,
                 int64_t remainingQty) noexcept;
  /// The order is done: whatever it still reserves is released. Unknown ids are ignored.
  void release(common::ClientOrderId id) noexcept;

  int64_t available(common::ExchangeId venue, std::string_view asset) const noexcept;
  BalanceView balance(common::ExchangeId venue, std::string_view asset) const noexcept;
  /// What order `id` still reserves (0 when none).
  int64_t reservedBy(common::ClientOrderId id) const noexcept;
  size_t reservationCount() const noexcept { return reservations_; }
  const AccountManagerCounters& counters() const noexcept { return counters_; }

  /// Our view of `venue` against the venue's snapshot: every asset whose free or locked differs
  /// by more than `tolerance`, including assets only one side lists (the other counts as 0).
  /// Sorted by asset. Cold path.
  std::vector<BalanceMismatch> reconcile(common::ExchangeId venue, std::span<const VenueAmount> venueBalances,
                                         int64_t tolerance = 0) const;
  /// The same for any list of items with `asset` (char[8]), `free` and `locked` members.
  template <class Range>
  std::vector<BalanceMismatch> reconcileWith(common::ExchangeId venue, const Range& items, int64_t tolerance = 0) const {
    std::vector<VenueAmount> v;
    for (const auto& b : items) v.push_back({std::string_view(b.asset, strnlen(b.asset, sizeof b.asset)), b.free, b.locked});
    return reconcile(venue, v, tolerance);
  }

  // ---- snapshot (cold path) --------------------------------------------------------------
  /// Balances sorted by (venue, asset) and reservations sorted by id; reserved sums are rebuilt.
  nlohmann::json toJson() const;
  /// Throws config::ConfigError naming `source` and the key path of the first bad value.
  static AccountManager fromJson(const nlohmann::json& j, const config::InstrumentRegistry& registry,
                                 AccountManagerSizes sizes = {}, const std::string& source = "account_manager snapshot");

  static constexpr const char* kFormat = "hft.account_manager";
  static constexpr int kVersion = 1;

 private:
  static constexpr int32_t kNone = -1;
  struct Balance {
    common::ExchangeId venue = common::ExchangeId::None;
    uint64_t asset = 0;  // 8 bytes of the NUL-padded code; 0 = empty slot
    int64_t venue_free = 0, venue_locked = 0;
    int64_t shadow_free = 0, shadow_locked = 0;
    int64_t reserved = 0;
    common::TimestampNs venue_ts = 0;
  };
  struct Reservation {
    common::ClientOrderId id = 0;  // 0 = empty slot
    int32_t balance = kNone;
    common::InstrumentId instrument = 0;
    common::Side side = common::Side::None;
    int64_t price = 0;      // what a buy's notional is reserved at
    int64_t remaining = 0;  // qty not yet filled
    int64_t amount = 0;     // reserved now, kAmountScale
    bool venue_locks = true;  // the venue locks it while the order rests (all but market orders)
  };
  struct InstrumentInfo {
    common::ExchangeId venue = common::ExchangeId::None;  // None = not in the registry
    bool margin = false;
    int price_scale = 0, qty_scale = 0;
    uint64_t base = 0, quote = 0;
  };

  const InstrumentInfo* info(common::InstrumentId id) const noexcept;
  int32_t findBalance(common::ExchangeId venue, uint64_t asset) const noexcept;
  int32_t balanceSlot(common::ExchangeId venue, uint64_t asset) noexcept;  // finds or adds; kNone when full
  int32_t findReservation(common::ClientOrderId id) const noexcept;
  int32_t insertReservation(common::ClientOrderId id) noexcept;  // kNone when full
  void eraseReservation(int32_t slot) noexcept;
  int64_t reservationAmount(const InstrumentInfo& in, common::Side side, int64_t price, int64_t qty) const noexcept;
  static BalanceView view(const Balance& b) noexcept;

  std::vector<InstrumentInfo> instruments_;  // by instrument id
  std::vector<Balance> balances_;            // open addressing by (venue, asset)
  uint64_t balanceMask_ = 0;
  int balanceShift_ = 64;
  size_t balanceCount_ = 0;
  std::vector<Reservation> table_;           // open addressing by client order id
  uint64_t tableMask_ = 0;
  int tableShift_ = 64;
  size_t reservations_ = 0;
  AccountManagerSizes sizes_;
  AccountManagerCounters counters_;
};

}  // namespace hft::managers
