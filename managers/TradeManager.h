#pragma once
// Positions and PnL of the fills the OMS books: per (strategy, instrument) — the venue is the
// instrument's —, summed per instrument (all strategies), and unified per (base, quote) across
// venues ("BTC/USDT" on binance spot and binance futures together). One thread; shared by
// order_executor and the backtester.
//
//   tm.onFill(report);              // each report that OrderManager::apply marked kChangeFill
//   tm.onMark(instrument, price);   // mid or last trade: prices unrealized PnL
//   tm.position(strategy, instrument), tm.instrumentPosition(instrument), tm.unified("BTC", "USDT")
//   at UTC midnight: rows = tm.dailyPnl(); write them; tm.beginDay(midnight);
//
// Method: average cost. A position keeps its cost (the sum of price x signed qty of what is
// open, exact in 128 bits); reducing it realizes (fill price - average entry) x closed qty; a
// fill that crosses zero closes the whole position and opens the rest at the fill price.
// Integers only. Units: qty and prices raw at the instrument's scales; PnL, fees and volume in
// the instrument's quote asset at common::kAmountScale, each fill's realized PnL truncated
// toward zero once. Fees: quote-asset fees (an empty fee_asset counts as quote) are in `fees`
// and come off netPnl(); fees in any other asset (BNB, the base asset) are summed per
// (strategy, venue, asset) in otherFees() and never converted.
//
// Hot path: onFill, onMark and the queries are noexcept and never allocate (tables sized at
// construction). dailyPnl, toJson and fromJson are cold.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/Events.h"
#include "common/Int128.h"
#include "config/InstrumentRegistry.h"

namespace hft::managers {

/// A position and its PnL: one strategy in one instrument, or a sum of them.
struct PositionView {
  int64_t qty = 0;              ///< signed: > 0 long, < 0 short
  int64_t avg_entry_price = 0;  ///< 0 when flat; for a sum over strategies on both sides, the break-even price
  int64_t realized_pnl = 0;     ///< before fees
  int64_t unrealized_pnl = 0;   ///< qty x (mark - entry); 0 before the first mark
  int64_t fees = 0;             ///< quote-asset fees paid (rebates negative)
  int64_t volume = 0;           ///< traded notional
  int64_t bought_qty = 0;
  int64_t sold_qty = 0;
  uint64_t fills = 0;

  int64_t netPnl() const noexcept { return realized_pnl + unrealized_pnl - fees; }
};

/// One (base, quote) across venues. Quantities at qty_scale and prices at price_scale: the
/// largest scales among its instruments, so every instrument's values convert exactly.
struct UnifiedPosition {
  PositionView total;
  int qty_scale = 0;
  int price_scale = 0;
  int instruments = 0;  ///< how many instruments (venues) it spans; 0 = no such pair
};

/// One (strategy, venue, instrument) over one reporting day (since beginDay). Amounts as in
/// PositionView. The day's PnL is realized + unrealized - unrealized_at_start - fees.
struct DailyPnlRow {
  common::TimestampNs day_start_ns = 0;  ///< what beginDay was given (0 before the first call)
  common::StrategyId strategy = 0;
  common::ExchangeId venue = common::ExchangeId::None;
  common::InstrumentId instrument = 0;
  int64_t realized_pnl = 0;         ///< realized during the day
  int64_t unrealized_pnl = 0;       ///< at the marks now
  int64_t unrealized_at_start = 0;  ///< at the marks when the day began
  int64_t fees = 0;
  int64_t volume = 0;
  int64_t bought_qty = 0;
  int64_t sold_qty = 0;
  int64_t position = 0;             ///< qty now
  uint64_t fills = 0;

  int64_t dayPnl() const noexcept { return realized_pnl + unrealized_pnl - unrealized_at_start - fees; }
};

/// What onFill did with a report.
enum class FillResult : uint8_t {
  Booked = 0,
  NotAFill = 1,           ///< last_qty == 0: nothing to book (acks, cancels, state reports)
  UnknownInstrument = 2,
  InvalidFill = 3,        ///< last_qty < 0, last_price <= 0, or side not Buy/Sell
  TableFull = 4,          ///< a new (strategy, instrument) beyond max_positions
};
inline constexpr int kFillResultCount = 5;

struct TradeManagerSizes {
  uint32_t max_positions = 4096;  ///< (strategy, instrument) pairs ever traded
  uint32_t max_fee_entries = 256; ///< (strategy, venue, asset) of non-quote fees
};

struct TradeManagerCounters {
  uint64_t results[kFillResultCount] = {};  ///< onFill results
  uint64_t fees_dropped = 0;                ///< non-quote fees lost to a full fee table
};

class TradeManager {
 public:
  /// Copies what it needs from the registry. Throws std::invalid_argument on a size of 0.
  explicit TradeManager(const config::InstrumentRegistry& registry, TradeManagerSizes sizes = {});

  /// Books the fill in an execution report: last_qty at last_price, side, fee in fee_asset,
  /// for report.strategy_id in header.instrument_id. Feed each fill once (OrderManager's
  /// kChangeFill says which reports are new fills).
  FillResult onFill(const common::ExecutionReport& r) noexcept;
  /// The price unrealized PnL is measured at. False (ignored) for an unknown instrument or price <= 0.
  bool onMark(common::InstrumentId instrument, int64_t price) noexcept;
  int64_t mark(common::InstrumentId instrument) const noexcept;

  // ---- queries (zeros for what was never traded) -----------------------------------------
  PositionView position(common::StrategyId strategy, common::InstrumentId instrument) const noexcept;
  /// All strategies in one instrument (= on its venue).
  PositionView instrumentPosition(common::InstrumentId instrument) const noexcept;
  /// Every instrument whose registry base and quote are these, across venues.
  UnifiedPosition unified(std::string_view base, std::string_view quote) const noexcept;
  /// The unified view `instrument` belongs to.
  UnifiedPosition unifiedOf(common::InstrumentId instrument) const noexcept;
  /// Fees in `asset` (not the quote asset of the instrument traded), summed, at kAmountScale.
  int64_t otherFees(common::StrategyId strategy, common::ExchangeId venue, std::string_view asset) const noexcept;
  /// The bus event for a strategy's position (header times = now).
  common::PositionUpdate positionUpdate(common::StrategyId strategy, common::InstrumentId instrument,
                                        common::TimestampNs now) const noexcept;

  /// Calls f(strategy, instrument, const PositionView&) for every position ever traded, in slot order.
  template <class F>
  void forEachPosition(F&& f) const {
    for (const Slot& s : slots_)
      if (s.instrument != 0) f(s.strategy, s.instrument, view(s.book, s.instrument));
  }

  // ---- daily rows ------------------------------------------------------------------------
  /// Starts a reporting day: what each position has realized, paid and traded so far, and its
  /// unrealized PnL at the current marks, become the day's baseline.
  void beginDay(common::TimestampNs dayStart) noexcept;
  common::TimestampNs dayStart() const noexcept { return dayStart_; }
  /// One row per position traded since beginDay or still open (or open when the day began),
  /// sorted by (strategy, instrument). Cold path.
  std::vector<DailyPnlRow> dailyPnl() const;

  const TradeManagerCounters& counters() const noexcept { return counters_; }

  // ---- snapshot (cold path) --------------------------------------------------------------
  /// Positions sorted by (strategy, instrument) with their day baselines, marks, other fees,
  /// the day start and the counters. Instrument and unified totals are sums, rebuilt on load.
  nlohmann::json toJson() const;
  /// Throws config::ConfigError naming `source` and the key path of the first bad value
  /// (format/version, missing key, instrument not in `registry`, more positions than max_positions).
  static TradeManager fromJson(const nlohmann::json& j, const config::InstrumentRegistry& registry,
                               TradeManagerSizes sizes = {}, const std::string& source = "trade_manager snapshot");

  static constexpr const char* kFormat = "hft.trade_manager";
  static constexpr int kVersion = 1;

 private:
  static constexpr int32_t kNone = -1;
  /// Running totals of one position (or a sum of positions).
  struct Book {
    int64_t qty = 0;
    common::Int128 cost = 0;  // sum of price x signed qty of the open part, raw price*qty units
    int64_t realized = 0, fees = 0, volume = 0, bought = 0, sold = 0;
    uint64_t fills = 0;
  };
  struct Slot {
    common::StrategyId strategy = 0;
    common::InstrumentId instrument = 0;  // 0 = empty slot
    Book book;
    Book dayBase;  // book at beginDay (its qty and cost unused)
    int64_t unrealizedAtStart = 0;
  };
  struct InstrumentInfo {
    common::ExchangeId venue = common::ExchangeId::None;  // None = not in the registry
    int price_scale = 0, qty_scale = 0;
    uint64_t quote = 0;  // asset code as 8 bytes, NUL-padded
    int32_t group = kNone;
    int64_t mark = 0;
    Book total;
  };
  struct Group {
    std::string base, quote;
    std::vector<common::InstrumentId> members;
    int qty_scale = 0, price_scale = 0;
  };
  struct FeeEntry {
    common::StrategyId strategy = 0;
    common::ExchangeId venue = common::ExchangeId::None;
    uint64_t asset = 0;  // 0 = empty entry
    int64_t amount = 0;
  };

  const InstrumentInfo* info(common::InstrumentId id) const noexcept;
  int32_t findSlot(common::StrategyId strategy, common::InstrumentId instrument) const noexcept;
  int32_t insertSlot(common::StrategyId strategy, common::InstrumentId instrument) noexcept;  // kNone when full
  PositionView view(const Book& b, common::InstrumentId instrument) const noexcept;
  int64_t unrealized(const Book& b, const InstrumentInfo& in) const noexcept;
  UnifiedPosition unifiedGroup(int32_t group) const noexcept;
  void addFee(common::StrategyId strategy, common::ExchangeId venue, uint64_t asset, int64_t amount) noexcept;

  std::vector<InstrumentInfo> instruments_;  // by instrument id
  std::vector<Group> groups_;
  std::vector<Slot> slots_;                  // open addressing by (strategy, instrument)
  uint64_t slotMask_ = 0;
  int slotShift_ = 64;
  size_t positions_ = 0;
  TradeManagerSizes sizes_;
  std::vector<FeeEntry> fees_;               // first-come, linear: a handful of assets
  common::TimestampNs dayStart_ = 0;
  TradeManagerCounters counters_;
};

}  // namespace hft::managers
