#pragma once
#include <string>

#include "common/Events.h"
#include "strategy_engine/StrategyContext.h"

namespace hft::strategy_engine {

/// A trading strategy. The host calls these on one thread, in event order, with the context
/// already bound (ctx()). Callbacks must not block; they should not allocate after onStart.
class IStrategy {
 public:
  virtual ~IStrategy() = default;

  virtual void onStart() {}
  /// The runner is stopping; open orders are cancelled by the host afterwards if configured.
  virtual void onStop() {}
  virtual void onTrade(const common::Trade&) {}
  virtual void onTopOfBook(const common::BestBidOffer&) {}
  /// After a complete book update (a BookDelta batch without continuation, or a snapshot).
  virtual void onBookUpdate(common::InstrumentId, const OrderBook&) {}
  virtual void onBar(const common::Bar&) {}
  /// Reports of this strategy's own orders only.
  virtual void onExecutionReport(const common::ExecutionReport&) {}
  virtual void onTimer(uint64_t /*id*/) {}
  /// Market data was lost (lapped, venue reconnect): books may be stale until the next snapshot.
  virtual void onGap(const common::Gap&) {}
  /// One line of the strategy's own counters ("pairs 3, hedges 0"), printed by the runner at
  /// exit beside the host's; "" = nothing to add. Cold: called once, after onStop.
  virtual std::string exitSummary() const { return {}; }

  void bind(StrategyContext& c) noexcept { ctx_ = &c; }

 protected:
  StrategyContext& ctx() const noexcept { return *ctx_; }

 private:
  StrategyContext* ctx_ = nullptr;
};

}  // namespace hft::strategy_engine
