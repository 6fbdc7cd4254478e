#pragma once
// The OMS order table: every order the executor (or the backtester) has sent, what the venue
// has said about it, and whether a report is news. One thread; shared by order_executor and the
// backtester, which drive it the same way:
//
//   if (om.check(request, mode) == RecordResult::Recorded && gateway.send(...).ok())
//     om.onRequestSent(request, sendTs, mode);       // New: a PendingNew order; Cancel/Modify: markers
//   ... om.onRequestOutcomeUnknown(id) on a timeout or disconnect (then query, never resend)
//   const ApplyResult a = om.apply(report);           // every ExecutionReport from the venue
//   if (a.verdict == Verdict::Applied) { journal; publish; if (a.changes & kChangeFill) book it; }
//
// State changes go through the one table in OrderState.h; apply() only works out which event a
// report is (see README "How apply() reads a report"). Hot path: check, onRequestSent,
// onRequestOutcomeUnknown, apply, find, forEachOpen are noexcept and never allocate: the record
// pool and its open-addressing index are sized at construction. Terminal orders stay for a while
// (the last keep_terminal of them), so late repeats are still recognised, then their slots are
// reused: the table never fills up in a long run. toJson/fromJson (cold) snapshot and restore it.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/Events.h"
#include "managers/OrderState.h"

namespace hft::managers {

/// How a Modify reaches the venue; the executor picks it per venue (IOrderGateway::supportsNativeAmend).
enum class ModifyMode : uint8_t {
  CancelReplace = 0,  ///< the Modify's client id is a new order replacing the original, which is canceled
  NativeAmend = 1,    ///< the venue changes the original in place: same order, cum_qty and venue id
};

/// What check() / onRequestSent() say about a request. Values are stable (counted by index).
enum class RecordResult : uint8_t {
  Recorded = 0,        ///< accepted (check: would be)
  DuplicateId = 1,     ///< New/Modify whose client id the table already holds (live or recently done)
  UnknownOrder = 2,    ///< Cancel/Modify of an id the table does not hold
  OrderDone = 3,       ///< Cancel/Modify of an order already terminal: the request is moot
  TableFull = 4,       ///< max_live_orders orders are live
  InvalidRequest = 5,  ///< id 0, qty <= 0, side/action outside the enums, Modify changing strategy/instrument/side
  ModifyPending = 6,   ///< Modify of an order whose previous Modify has not been answered
};
inline constexpr int kRecordResultCount = 7;

/// Markers on a live order, orthogonal to its state (OrderRecord::flags).
inline constexpr uint8_t kFlagPendingCancel = 1;  ///< a cancel was sent and not answered
inline constexpr uint8_t kFlagPendingModify = 2;  ///< a modify was sent and not answered
inline constexpr uint8_t kFlagAmend = 4;          ///< the pending modify is a native amend (pending_* hold it)
inline constexpr uint8_t kFlagQueryNeeded = 8;    ///< a request about it went unanswered: ask the venue

/// One order as the OMS knows it. Prices and quantities raw at the instrument's scales.
///   0 id | 8 prev_id | 16 pending_id | 24 replaces | 32 venue_order_id | 40 price | 48 qty
///   | 56 cum_qty | 64 leaves_qty | 72 avg_price | 80 pending_price | 88 pending_qty | 96 hole_lo
///   | 104 hole_hi | 112 lost_qty | 120 local_send_ts | 128 last_update_ts | 136 strategy
///   | 140 instrument | 144 venue(u16) | 146 side | 147 type | 148 tif | 149 state | 150 flags | 151 pad
struct OrderRecord {
  common::ClientOrderId id;          ///< the order's id now (after an amend: the amend's); 0 = free slot
  common::ClientOrderId prev_id;     ///< amend: the id before the last amend, still found by find(); else 0
  common::ClientOrderId pending_id;  ///< modify in flight: the amend's id, or the replacing order's; else 0
  common::ClientOrderId replaces;    ///< cancel-replace: the order this one replaces; else 0
  common::VenueOrderId venue_order_id;  ///< from the first report that carries one; 0 until then
  int64_t price;                     ///< limit price (0 for market)
  int64_t qty;
  int64_t cum_qty;                   ///< filled so far, as the venue counts it; never decreases
  int64_t leaves_qty;                ///< live: qty - cum_qty (>= 0); terminal: 0
  int64_t avg_price;                 ///< the venue's average fill price, else ours from the fills seen
  int64_t pending_price, pending_qty;  ///< amend in flight: the new terms (qty: the new total)
  int64_t hole_lo, hole_hi;          ///< cum range (lo, hi] counted by the venue but not yet seen as fills
  int64_t lost_qty;                  ///< jumped-over quantity beyond that one hole: only a trade query finds it
  common::TimestampNs local_send_ts;   ///< when the (last) request for it was written to the venue
  common::TimestampNs last_update_ts;  ///< receive time of the last report that changed it, or the send time
  common::StrategyId strategy;
  common::InstrumentId instrument;
  common::ExchangeId venue;          ///< header.exchange_id of its request
  common::Side side;
  common::OrderType type;
  common::TimeInForce tif;
  OrderState state;
  uint8_t flags;                     ///< kFlag* bits
  uint8_t pad;

  bool has(uint8_t flag) const noexcept { return (flags & flag) != 0; }
  /// Quantity the venue says filled that no fill report has shown yet (query the trades).
  int64_t unreportedQty() const noexcept { return hole_hi - hole_lo + lost_qty; }
};
static_assert(std::is_trivially_copyable_v<OrderRecord> && std::is_standard_layout_v<OrderRecord>);
static_assert(sizeof(OrderRecord) == 152 && alignof(OrderRecord) == 8);
static_assert(offsetof(OrderRecord, strategy) == 136 && offsetof(OrderRecord, flags) == 150);

/// ApplyResult::changes bits.
inline constexpr uint8_t kChangeState = 1;            ///< the order's state changed (before != after)
inline constexpr uint8_t kChangeFill = 2;             ///< the report is a fill to book (last_qty > 0, not seen before)
inline constexpr uint8_t kChangeUnreported = 4;       ///< cum_qty jumped past fills not seen: query trades
inline constexpr uint8_t kChangeTerms = 8;            ///< a native amend took effect (price/qty/id changed)
inline constexpr uint8_t kChangeRequestRejected = 16; ///< the venue refused a cancel/modify of the order
inline constexpr uint8_t kChangeDone = 32;            ///< the order became terminal: release its risk and reservation

/// What apply() did with one report.
struct ApplyResult {
  Verdict verdict = Verdict::UnknownOrder;
  OrderState before = OrderState::PendingNew;  ///< of `order`; meaningless when verdict is UnknownOrder
  OrderState after = OrderState::PendingNew;
  uint8_t changes = 0;                         ///< kChange* bits; 0 unless Applied
  common::ClientOrderId order = 0;             ///< current id of the order the report concerned; 0 = none
};

struct OrderManagerSizes {
  uint32_t max_live_orders = 4096;  ///< non-terminal orders at once (RecordResult::TableFull beyond)
  uint32_t keep_terminal = 4096;    ///< terminal orders kept for recognising late reports
  static constexpr uint32_t kMax = 1u << 22;  ///< each of the two
};

struct OrderManagerCounters {
  uint64_t verdicts[kVerdictCount] = {};     ///< apply() and onRequestOutcomeUnknown(), by Verdict
  uint64_t refused[kRecordResultCount] = {}; ///< onRequestSent() results other than Recorded, by RecordResult
  uint64_t fill_gaps = 0;    ///< reports whose cum_qty jumped past fills not seen
  uint64_t hole_fills = 0;   ///< late fills accepted into such a jump
  uint64_t evicted = 0;      ///< terminal orders dropped to make room
};

class OrderManager {
 public:
  /// Throws std::invalid_argument when a size is 0 or above OrderManagerSizes::kMax.
  explicit OrderManager(OrderManagerSizes sizes = {});

  /// Would onRequestSent record `r`? Changes nothing. Cancel and Modify name their order by
  /// orig_client_order_id (an amended order also by its previous id).
  [[nodiscard]] RecordResult check(const common::OrderRequest& r, ModifyMode mode) const noexcept;
  /// Records a request written to the venue at `sendTs`: New creates a PendingNew order; Cancel
  /// marks its order kFlagPendingCancel; Modify, per `mode`: CancelReplace creates the replacing
  /// order (PendingNew, `replaces` set) and marks the original kFlagPendingModify; NativeAmend
  /// marks the original kFlagPendingModify | kFlagAmend and holds the new id and terms until the
  /// venue answers. Anything but Recorded changes nothing (and is counted).
  RecordResult onRequestSent(const common::OrderRequest& r, common::TimestampNs sendTs,
                             ModifyMode mode = ModifyMode::CancelReplace) noexcept;
  /// A request about order `id` got no answer (timeout, disconnect). A PendingNew order becomes
  /// Unknown; any live one is marked kFlagQueryNeeded. The caller must query, never resend.
  /// Returns the table's verdict (UnknownOrder when `id` is not held).
  Verdict onRequestOutcomeUnknown(common::ClientOrderId id) noexcept;
  /// Applies one execution report. Reports of unknown ids change nothing (UnknownOrder).
  ApplyResult apply(const common::ExecutionReport& r) noexcept;

  /// The order known by `id` (its current id, or its id before an amend, or the id of an amend
  /// in flight); nullptr when not held. Valid until the next call that changes the table.
  const OrderRecord* find(common::ClientOrderId id) const noexcept;

  /// Calls f(const OrderRecord&) for every live order (PendingNew, Acked, PartiallyFilled,
  /// Unknown), in slot order. f must not change this manager.
  template <class F>
  void forEachOpen(F&& f) const noexcept(noexcept(f(std::declval<const OrderRecord&>()))) {
    for (const OrderRecord& o : records_)
      if (o.id != 0 && isLive(o.state)) f(o);
  }
  /// Orders to ask the venue about: state Unknown or kFlagQueryNeeded. Cold path (allocates).
  std::vector<common::ClientOrderId> ordersNeedingQuery() const;

  size_t liveCount() const noexcept { return live_; }
  /// Terminal orders held for recognising late reports.
  size_t terminalCount() const noexcept { return ringCount_; }
  const OrderManagerSizes& sizes() const noexcept { return sizes_; }
  const OrderManagerCounters& counters() const noexcept { return counters_; }

  // ---- snapshot (cold path) --------------------------------------------------------------
  /// Live orders sorted by id, terminal ones oldest first, and the counters: two managers that
  /// hold the same orders give the same JSON, whatever the history of their slots.
  nlohmann::json toJson() const;
  /// Restores a toJson() document into a manager of `sizes`. Throws config::ConfigError naming
  /// `source` and the key path of the first bad value (wrong format or version, missing key,
  /// out-of-range value, more live orders than max_live_orders). Terminal orders beyond
  /// keep_terminal are dropped oldest first.
  static OrderManager fromJson(const nlohmann::json& j, OrderManagerSizes sizes,
                               const std::string& source = "order_manager snapshot");

  static constexpr const char* kFormat = "hft.order_manager";
  static constexpr int kVersion = 1;

 private:
  static constexpr int32_t kNone = -1;
  struct IndexSlot {
    common::ClientOrderId id = 0;  // 0 = empty
    int32_t record = kNone;
  };

  int32_t lookup(common::ClientOrderId id) const noexcept;
  OrderRecord* record(common::ClientOrderId id) noexcept;
  bool indexInsert(common::ClientOrderId id, int32_t rec) noexcept;
  void indexErase(common::ClientOrderId id) noexcept;
  int32_t allocate() noexcept;  // a free record, kNone when none
  void retire(int32_t rec) noexcept;  // a record that became terminal: into the ring, evicting the oldest
  void evict(int32_t rec) noexcept;
  RecordResult refuse(RecordResult why) noexcept;
  ApplyResult applyRequestReject(const common::ExecutionReport& r, OrderRecord* named) noexcept;
  void clearModify(OrderRecord& o) noexcept;
  void finish(OrderRecord& o) noexcept;  // became terminal

  OrderManagerSizes sizes_;
  std::vector<OrderRecord> records_;   // pool: max_live_orders + keep_terminal
  std::vector<int32_t> free_;          // free record indexes (a stack; capacity fixed)
  std::vector<IndexSlot> index_;       // open addressing, linear probing; <= 2 keys per record, at most half full
  uint64_t indexMask_ = 0;
  int indexShift_ = 64;
  std::vector<int32_t> ring_;          // terminal records, oldest at ringHead_
  size_t ringHead_ = 0, ringCount_ = 0;
  size_t live_ = 0;
  OrderManagerCounters counters_;
};

const char* toString(RecordResult r) noexcept;

}  // namespace hft::managers
