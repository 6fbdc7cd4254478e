#pragma once
// Turns a backtest's fills and market marks into the three outputs a user reads:
//   backtest_results.csv  one row per fill, with position and realized PnL after it
//   summary.json          PnL, fees, drawdown, win rate, Sharpe/Sortino, turnover, counts
//   report.html           self-contained (inline SVG): equity, drawdown and position charts
// Money is fixed-point at common::kAmountScale in the instrument's quote currency; ratios are
// computed in double at the end. Deterministic: output depends only on the inputs' order.
// Several venues: summary.json also has "venues" (per venue fills, fees, balances: VenueLedger)
// and "by_quote" (PnL per quote currency). When the fills are in more than one quote currency
// (binance USDT + upbit KRW) the portfolio-wide money figures (net_pnl, fees, drawdown, Sharpe...)
// would add KRW to USDT: they are null then, "quote_currency" is "mixed", and by_quote holds the
// figures; no exchange rate is assumed.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/Events.h"
#include "common/Int128.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/backtest/VenueLedger.h"

namespace hft::execution_engine::backtest {

struct FillRow {
  common::TimestampNs ts;
  common::StrategyId strategy;
  common::ExchangeId venue;
  common::InstrumentId instrument;
  common::Side side;
  int64_t price;
  int64_t qty;
  int64_t fee;              ///< kAmountScale
  std::string fee_asset;
  common::Liquidity liquidity;
  common::VenueOrderId order_id;
  common::ClientOrderId client_order_id;
  int64_t position_after;   ///< qty scale, signed
  int64_t realized_pnl;     ///< of this fill, kAmountScale, before fees
};

struct Counters {
  uint64_t orders = 0, cancels = 0, modifies = 0, rejects = 0, fills = 0, expired = 0;
};

class BacktestResults {
 public:
  /// sampleNs: spacing of equity-curve points in event time (also the Sharpe/Sortino period).
  BacktestResults(const config::InstrumentRegistry& registry, int64_t sampleNs = 1'000'000'000);

  /// The configured balances (simulation.balances), for the per-venue start -> end figures.
  void setStartBalances(const std::map<common::ExchangeId, std::map<std::string, int64_t>>& balances) {
    ledger_.setStartBalances(balances);
  }
  void onOrderRequest(const common::OrderRequest& r);
  /// Every BalanceUpdate the venue sent.
  void onBalance(const common::BalanceUpdate& u) { ledger_.onBalance(u); }
  /// Every execution report the venue sent (fills, rejects, cancels...).
  void onReport(const common::ExecutionReport& r);
  /// Latest mid price of an instrument (raw price scale) at event time t.
  void onMark(common::TimestampNs t, common::InstrumentId instrument, int64_t mid);
  void finish(common::TimestampNs t);

  /// Writes backtest_results.csv, summary.json and report.html into dir (created if needed).
  void write(const std::string& dir, const std::string& title) const;
  std::string summaryJson() const;

  const std::vector<FillRow>& fills() const noexcept { return fills_; }
  const VenueLedger& ledger() const noexcept { return ledger_; }
  /// The quote currencies of the instruments filled, sorted ("KRW", "USDT").
  std::vector<std::string> quoteCurrencies() const;

 private:
  struct Pos {
    int64_t qty = 0;
    int64_t avg = 0;
    int64_t realized = 0;
    int64_t fees = 0;
  };
  struct Point {
    common::TimestampNs t;
    int64_t equity;    ///< realized - fees + unrealized, kAmountScale
    int64_t position;  ///< of the first instrument traded, qty scale
  };
  int64_t amount(common::InstrumentId id, common::Int128 priceTimesQty) const;
  int64_t equityNow() const;
  void sample(common::TimestampNs t);

  const config::InstrumentRegistry& registry_;
  int64_t sampleNs_;
  std::map<std::pair<common::StrategyId, common::InstrumentId>, Pos> pos_;
  std::map<common::InstrumentId, int64_t> marks_;
  std::vector<FillRow> fills_;
  std::vector<Point> curve_;
  std::vector<int64_t> roundTripPnl_;  ///< realized PnL of each reducing fill, for the win rate
  Counters counters_;
  VenueLedger ledger_;
  common::InstrumentId firstInstrument_ = 0;
  int64_t grossTraded_ = 0;  ///< sum of fill notionals, kAmountScale (turnover)
  common::TimestampNs nextSample_ = 0;
  common::TimestampNs first_ = 0, last_ = 0;
};

}  // namespace hft::execution_engine::backtest
