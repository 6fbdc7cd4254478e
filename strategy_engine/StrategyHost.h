#pragma once
// Runs one strategy: keeps its books, positions, open orders and event-time timers, turns its
// requests into OrderRequests for the sink, and dispatches bus events to it. The same class
// runs live (strategy_runner), in backtests, and in tests: only the event source and the
// order sink differ.
#include <vector>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "strategy_engine/IOrderSink.h"
#include "strategy_engine/IStrategy.h"
#include "strategy_engine/StrategyContext.h"
#include "strategy_engine/book/OrderBookManager.h"

namespace hft::strategy_engine {

struct HostConfig {
  common::StrategyId strategy_id = 1;
  /// Distinguishes runs of the same strategy in client order ids (live: from the start time;
  /// backtests: fixed, so ids are reproducible).
  uint32_t run_id = 0;
  std::vector<common::InstrumentId> instruments;
  size_t max_open_orders = 256;
  size_t max_timers = 256;
};

struct HostCounters {
  uint64_t events = 0;
  uint64_t orders_sent = 0;
  uint64_t cancels_sent = 0;
  uint64_t modifies_sent = 0;
  uint64_t local_rejects = 0;    ///< refused before leaving the process (bad params, table/queue full)
  uint64_t venue_rejects = 0;    ///< Rejected execution reports
  uint64_t fills = 0;
  uint64_t gaps = 0;
};

class StrategyHost final : public StrategyContext {
 public:
  /// Throws std::invalid_argument when an instrument is unknown or the strategy id does not
  /// fit the client-order-id layout.
  StrategyHost(const config::InstrumentRegistry& instruments, HostConfig cfg, IStrategy& strategy, IOrderSink& sink);

  void start();
  /// Calls onStop, then cancels every open order when cancelOpenOrders.
  void stop(bool cancelOpenOrders);
  /// One bus event (market data of any instrument, execution reports of any strategy).
  void onEvent(const common::EventHeader& e) noexcept;

  const HostCounters& counters() const noexcept { return counters_; }

  // StrategyContext
  common::ClientOrderId sendOrder(const OrderParams& order) noexcept override;
  bool cancelOrder(common::ClientOrderId id) noexcept override;
  common::ClientOrderId modifyOrder(common::ClientOrderId id, int64_t price, int64_t qty) noexcept override;
  int cancelAll(common::InstrumentId instrument = 0) noexcept override;
  const OrderBook* book(common::InstrumentId instrument) const noexcept override;
  const Position& position(common::InstrumentId instrument) const noexcept override;
  const OpenOrder* order(common::ClientOrderId id) const noexcept override;
  std::span<const OpenOrder> openOrders() const noexcept override { return {open_.data(), open_.size()}; }
  const config::Instrument* instrument(common::InstrumentId instrument) const noexcept override;
  std::span<const common::InstrumentId> instruments() const noexcept override { return cfg_.instruments; }
  common::TimestampNs now() const noexcept override { return now_; }
  bool setTimer(common::TimestampNs at, uint64_t id) noexcept override;
  common::StrategyId strategyId() const noexcept override { return cfg_.strategy_id; }

  /// Client order id layout: strategy (12 bits) | run (24 bits) | counter (28 bits).
  static common::ClientOrderId makeOrderId(common::StrategyId s, uint32_t run, uint32_t counter) noexcept {
    return (static_cast<uint64_t>(s & 0xFFF) << 52) | (static_cast<uint64_t>(run & 0xFFFFFF) << 28) | (counter & 0xFFFFFFF);
  }

 private:
  bool subscribed(common::InstrumentId id) const noexcept { return id < subscribed_.size() && subscribed_[id]; }
  void fireTimers() noexcept;
  void onReport(const common::ExecutionReport& r) noexcept;
  void applyFill(const common::ExecutionReport& r) noexcept;
  OpenOrder* findOpen(common::ClientOrderId id) noexcept;
  void removeOpen(common::ClientOrderId id) noexcept;
  common::OrderRequest request(common::OrderAction action, const config::Instrument& inst) const noexcept;
  bool validPriceQty(const config::Instrument& inst, common::OrderType type, int64_t price, int64_t qty) const noexcept;

  const config::InstrumentRegistry& registry_;
  HostConfig cfg_;
  IStrategy& strategy_;
  IOrderSink& sink_;
  OrderBookManager books_;
  std::vector<bool> subscribed_;
  std::vector<Position> positions_;  // by instrument id
  std::vector<OpenOrder> open_;      // capacity fixed at max_open_orders
  struct Timer {
    common::TimestampNs at;
    uint64_t id;
  };
  std::vector<Timer> timers_;        // sorted by time, latest first; capacity fixed
  common::TimestampNs now_ = 0;
  uint32_t nextOrder_ = 0;
  HostCounters counters_{};
  Position none_{};
};

}  // namespace hft::strategy_engine
