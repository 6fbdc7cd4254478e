#pragma once
// Trailing stop held locally (for venues without a native one): exits a position with one
// order when the price retraces by the trail from the best level seen since activation.
//
// `side` is the exit's side: "sell" protects a long (tracks the highest price and fires when
// the price falls to peak - trail), "buy" protects a short (tracks the lowest and fires when it
// rises to trough + trail). The trail is trail_ticks ticks or trail_bps of the best level
// (floored to a raw unit); exactly one of the two is set.
// Prices watched: each trade's price, and on book/BBO updates the exit side's touch (a sell
// exit watches the best bid: what it could sell at).
// activation_price (optional): tracking starts once the price reaches it (sell exit: at or
// above it; buy exit: at or below); the activating price is the first best level.
// Exit: one order for `qty` or, when qty is 0, for the strategy's position in the instrument
// if it is on the protected side: a market order, or with order_type "ioc" an IOC limit
// slippage_ticks through the touch (through the trigger price when the touch is unknown).
// Nothing is sent after it, whatever its outcome.
#include <memory>

#include "strategies/Touch.h"
#include "strategy_engine/IStrategy.h"
#include "strategy_engine/StrategyParams.h"
#include "strategy_engine/StrategyRegistry.h"

namespace hft::strategies {

class TrailingStop final : public strategy_engine::IStrategy {
 public:
  enum class State : uint8_t {
    Inactive = 0,   ///< waiting for activation_price
    Tracking = 1,   ///< following the best level
    Triggered = 2,  ///< the exit was sent (or there was nothing to exit); finished
  };
  struct Config {
    common::InstrumentId instrument = 0;
    common::Side side = common::Side::Sell;  ///< of the exit
    int64_t qty = 0;                         ///< raw; 0 = the position at the trigger
    int64_t trail_ticks = 0;
    int64_t trail_bps = 0;
    int64_t activation_price = 0;  ///< raw; 0 = active from the first price
    bool market = true;            ///< market order, else IOC limit
    int64_t slippage_ticks = 0;    ///< IOC only
    bool reduce_only = false;
    int64_t tick = 0;
  };

  explicit TrailingStop(const Config& c) noexcept : cfg_(c) {}

  State state() const noexcept { return state_; }
  /// Best level since activation (peak for a sell exit, trough for a buy exit).
  int64_t best() const noexcept { return best_; }
  /// The price at or beyond which the exit fires (0 until tracking).
  int64_t stopPrice() const noexcept;
  /// The exit's client order id (0 when none was sent).
  common::ClientOrderId exitOrder() const noexcept { return exit_; }

  void onTrade(const common::Trade& t) override;
  void onTopOfBook(const common::BestBidOffer& b) override;
  void onBookUpdate(common::InstrumentId id, const strategy_engine::OrderBook& book) override;

 private:
  bool sellExit() const noexcept { return cfg_.side == common::Side::Sell; }
  void onPrice(int64_t price) noexcept;
  void trigger(int64_t price) noexcept;

  Config cfg_;
  State state_ = State::Inactive;
  int64_t best_ = 0;
  Touch touch_;
  common::ClientOrderId exit_ = 0;
};

/// Params: side, qty, trail_bps, trail_ticks, activation_price, order_type ("market" | "ioc"),
/// slippage_ticks, reduce_only.
std::unique_ptr<strategy_engine::IStrategy> makeTrailingStop(strategy_engine::StrategyParams& params,
                                                             const strategy_engine::StrategySetup& setup);

}  // namespace hft::strategies
