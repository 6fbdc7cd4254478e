#pragma once
// Everything a strategy may do or know. Strategies never touch the bus, the wall clock, files
// or sockets: only this. That is what makes live and backtest the same code path.
#include <span>

#include "common/Ids.h"
#include "config/InstrumentRegistry.h"
#include "strategy_engine/OpenOrder.h"
#include "strategy_engine/OrderParams.h"
#include "strategy_engine/Position.h"
#include "strategy_engine/book/OrderBook.h"

namespace hft::strategy_engine {

class StrategyContext {
 public:
  virtual ~StrategyContext() = default;

  /// Sends a new order; returns its client order id, or 0 when refused locally (unknown
  /// instrument, qty <= 0, price off the tick grid, order table or queue full). Never blocks.
  virtual common::ClientOrderId sendOrder(const OrderParams& order) noexcept = 0;
  /// Requests a cancel; false if the order is unknown, already cancelling, or the queue is full.
  virtual bool cancelOrder(common::ClientOrderId id) noexcept = 0;
  /// Requests a price/qty change; returns the id of the replacement order (0 when refused: the
  /// order is unknown, not yet acknowledged by the venue, already being canceled or replaced,
  /// or the open-order table or queue is full).
  virtual common::ClientOrderId modifyOrder(common::ClientOrderId id, int64_t price, int64_t qty) noexcept = 0;
  /// Cancels every open order (of one instrument, or all when 0); returns how many.
  virtual int cancelAll(common::InstrumentId instrument = 0) noexcept = 0;

  /// The L2 book of a subscribed instrument (nullptr if not subscribed).
  virtual const OrderBook* book(common::InstrumentId instrument) const noexcept = 0;
  virtual const Position& position(common::InstrumentId instrument) const noexcept = 0;
  virtual const OpenOrder* order(common::ClientOrderId id) const noexcept = 0;
  /// This strategy's open orders (valid until the next call into the context).
  virtual std::span<const OpenOrder> openOrders() const noexcept = 0;
  virtual const config::Instrument* instrument(common::InstrumentId instrument) const noexcept = 0;
  /// The instruments the strategy was configured with, in config order.
  virtual std::span<const common::InstrumentId> instruments() const noexcept = 0;

  /// Event time of the event being handled (never the wall clock).
  virtual common::TimestampNs now() const noexcept = 0;
  /// Calls IStrategy::onTimer(id) once event time reaches `at`; false when the timer table is full.
  virtual bool setTimer(common::TimestampNs at, uint64_t id) noexcept = 0;
  virtual common::StrategyId strategyId() const noexcept = 0;
};

}  // namespace hft::strategy_engine
