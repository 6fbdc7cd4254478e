#pragma once
// technical: one indicator signal on bars of one instrument, one position at a time.
//
// Bars: time bars (bar_interval_ms) or volume bars (bar_volume) built from the instrument's
// trades, or else the venue's own Bar events. A time bar closes on the first trade of a later
// interval or, through an event-time timer, on the first event of any kind after its end.
//
// Signals act when they appear, not while they persist (a level signal such as "RSI below
// oversold" fires on the first bar in the zone and again only after leaving it):
//   sma_cross  fast SMA crosses above / below the slow SMA        -> long / short
//   rsi        RSI enters the oversold / overbought zone           -> long / short (mean reversion)
//   macd       MACD line crosses above / below its signal line     -> long / short
//   bollinger  close below the lower / above the upper band        -> long / short (mean reversion)
// Without allow_short a short signal only means "be flat".
//
// Orders: IOC limits at the touch plus slippage_ticks (or market orders), one working order at
// a time. A signal against the position first exits; the entry in the new direction follows
// once the exit has filled completely (a flip is never one order). An entry that does not
// fill is not retried; an exit is retried on the next market-data event until flat. Stop-loss
// and take-profit (bps from the average entry price) are checked on every trade and book
// update and exit with the same IOC. A rejected order blocks new orders until the next bar.
//
// Sizing: a fixed order_qty, or risk_fraction of capital as the entry's notional (quote
// currency), rounded down to the lot size.
//
// Indicators and bar builders are allocated at construction; callbacks never allocate.
#include <memory>
#include <optional>

#include "strategy_engine/IStrategy.h"
#include "strategy_engine/StrategyParams.h"
#include "strategy_engine/StrategyRegistry.h"
#include "strategy_engine/bars/TimeBarBuilder.h"
#include "strategy_engine/bars/VolumeBarBuilder.h"
#include "strategy_engine/indicators/BollingerBands.h"
#include "strategy_engine/indicators/Macd.h"
#include "strategy_engine/indicators/Rsi.h"
#include "strategy_engine/indicators/Sma.h"

namespace hft::strategies {

class Technical final : public strategy_engine::IStrategy {
 public:
  enum class Signal : uint8_t {
    SmaCross = 1,   ///< fast/slow SMA crossover (trend)
    Rsi = 2,        ///< oversold/overbought thresholds (mean reversion)
    Macd = 3,       ///< MACD line / signal line crossover (trend)
    Bollinger = 4,  ///< close outside the bands (mean reversion)
  };

  struct Config {
    common::InstrumentId instrument = 0;
    Signal signal = Signal::SmaCross;
    uint32_t fast = 10, slow = 30, signalPeriod = 9;  ///< SMA or MACD periods (signalPeriod: MACD only)
    uint32_t period = 14;                             ///< RSI or Bollinger period
    double oversold = 30, overbought = 70;            ///< RSI zones
    double bandWidth = 2;                             ///< Bollinger: standard deviations
    int64_t barIntervalNs = 0;                        ///< time bars from trades; 0 = not
    int64_t barVolume = 0;                            ///< volume bars (qty scale); 0 = not. Neither: venue bars
    int64_t orderQty = 0;                             ///< qty scale; 0 = size by riskPpm of capital
    int64_t capital = 0;                              ///< quote currency at common::kAmountScale
    int64_t riskPpm = 0;                              ///< fraction of capital per entry, parts per million
    bool market = false;                              ///< market orders instead of IOC limits
    int64_t slippageTicks = 0;
    int64_t stopLossBps = 0;    ///< 0 = none
    int64_t takeProfitBps = 0;  ///< 0 = none
    bool allowShort = false;
  };

  /// Builds the bar builder and indicators of cfg (allocates; start-up only). Throws
  /// std::invalid_argument for periods the indicators refuse (the factory checks them first).
  Technical(const Config& cfg, const config::Instrument& instrument);

  void onTrade(const common::Trade& t) override;
  void onTopOfBook(const common::BestBidOffer& b) override;
  void onBookUpdate(common::InstrumentId instrument, const strategy_engine::OrderBook& book) override;
  void onBar(const common::Bar& bar) override;
  void onExecutionReport(const common::ExecutionReport& r) override;
  void onTimer(uint64_t id) override;

 private:
  void onBarClosed(const common::Bar& bar) noexcept;
  /// +1 long, -1 short, 0 none: the signal's state after this close.
  int evaluate(double close) noexcept;
  void checkExits(int64_t markLong, int64_t markShort) noexcept;
  void drive() noexcept;
  /// An IOC (or market) order at the touch; qty 0 = an entry, sized at its price.
  void send(common::Side side, int64_t qty) noexcept;
  int64_t sizeFor(int64_t price) const noexcept;
  void armBarTimer() noexcept;

  static constexpr uint64_t kBarTimer = 1;

  Config cfg_;
  int64_t tick_;
  int64_t lot_;
  int priceScale_;
  int qtyScale_;
  std::optional<strategy_engine::TimeBarBuilder> timeBars_;
  std::optional<strategy_engine::VolumeBarBuilder> volumeBars_;
  std::optional<strategy_engine::Sma> fastSma_, slowSma_;
  std::optional<strategy_engine::Rsi> rsi_;
  std::optional<strategy_engine::Macd> macd_;
  std::optional<strategy_engine::BollingerBands> bands_;

  double prevSpread_ = 0;  ///< fast - slow (SMA) or MACD histogram at the previous close
  bool havePrevSpread_ = false;
  int prevSignal_ = 0;       ///< evaluate() of the previous close
  int target_ = 0;           ///< wanted direction: +1, -1, 0 (flat)
  bool entryArmed_ = false;  ///< an entry towards target_ may still be sent
  bool blocked_ = false;     ///< a reject: no orders until the next bar
  common::ClientOrderId working_ = 0;
  common::TimestampNs timerBarStart_ = -1;  ///< open bar whose closing timer is set
  int64_t bid_ = 0, ask_ = 0;               ///< touch (0 = unknown)
  int64_t last_ = 0;                        ///< last trade price or bar close (0 = none)
};

/// Reads: signal ("sma_cross" | "rsi" | "macd" | "bollinger") and its periods/thresholds
/// (fast_period, slow_period | rsi_period, oversold, overbought | macd_fast, macd_slow,
/// macd_signal | bb_period, bb_stddev), bar_interval_ms or bar_volume, order_qty or
/// risk_fraction with capital, order_type ("limit_ioc" | "market"), slippage_ticks,
/// stop_loss_bps, take_profit_bps, allow_short. Only the chosen signal's keys are valid.
/// Exactly one instrument. Throws config::ConfigError naming the bad key.
std::unique_ptr<strategy_engine::IStrategy> makeTechnical(strategy_engine::StrategyParams& params,
                                                          const strategy_engine::StrategySetup& setup);

}  // namespace hft::strategies
