#pragma once
// market_maker: one bid and one ask around mid or microprice on a single instrument.
//
// Every quote decision is made from the top of book: on onBookUpdate, or on onTopOfBook while
// the L2 book is empty (venues that only publish a BBO). The desired prices are
//   bid = floor(ref - half - skew),  ask = ceil(ref + half - skew)   (on the tick grid)
// with skew = skew_ticks_per_unit * tick * position / order_qty, so a long position lowers both
// quotes (sells sooner, buys later). Quotes are clamped one tick inside the far touch, so a
// post-only quote never crosses. A side is not quoted when its fill would take |position|
// beyond max_position.
//
// Order hygiene: per side at most one working quote and at most one order being cancelled or
// replaced; a working quote is moved (modifyOrder) only when the desired price moved by
// requote_ticks or more, and not while a previous cancel/replace of that side is in flight.
// A rejected order blocks its side until the next market-data update; a RateLimit reject blocks
// it for throttle_ms (event time), since retrying at data speed only burns more of the
// budget the limit protects. The host is the source
// of truth for order state: after each report the side's slots are reconciled with
// StrategyContext::order().
//
// Adverse-move pull: if mid moved more than pull_ticks within pull_window_ms (event time)
// against a resting quote (down for a bid, up for an ask), both quotes are cancelled and
// quoting pauses for pause_ms; an event-time timer requotes when the pause ends.
//
// No allocation after construction: all state is fixed arrays.
#include <array>
#include <memory>

#include "strategy_engine/IStrategy.h"
#include "strategy_engine/StrategyParams.h"
#include "strategy_engine/StrategyRegistry.h"

namespace hft::strategies {

class MarketMaker final : public strategy_engine::IStrategy {
 public:
  struct Config {
    common::InstrumentId instrument = 0;
    bool microprice = false;           ///< reference: microprice instead of mid
    int64_t half_spread_ticks = 1;     ///< used when half_spread_centibps == 0
    int64_t half_spread_centibps = 0;  ///< half spread in 1/100 bps of the reference; 0 = use ticks
    int64_t order_qty = 0;             ///< qty scale
    int64_t skew_milliticks = 0;       ///< skew per order_qty of inventory, in 1/1000 tick
    int64_t max_position = 0;          ///< qty scale, >= order_qty
    int64_t requote_ticks = 1;
    int64_t pull_ticks = 0;  ///< 0 = never pull
    int64_t pull_window_ns = 0;
    int64_t pause_ns = 0;
    int64_t throttle_ns = 0;
    bool post_only = true;
    int64_t tick = 1;  ///< instrument tick size, price scale
  };

  explicit MarketMaker(const Config& cfg) noexcept : cfg_(cfg) {}

  void onTopOfBook(const common::BestBidOffer& b) override;
  void onBookUpdate(common::InstrumentId instrument, const strategy_engine::OrderBook& book) override;
  void onExecutionReport(const common::ExecutionReport& r) override;
  void onTimer(uint64_t id) override;
  void onGap(const common::Gap& g) override;

 private:
  /// One of our orders on a side: the working quote, or one being cancelled/replaced.
  struct Slot {
    common::ClientOrderId id = 0;  ///< 0 = free
    int64_t price = 0;
    common::ClientOrderId replaces = 0;  ///< the order this one replaced (modify), else 0
    bool cancelling = false;             ///< a cancel (or replace) of it is in flight
  };
  struct SideState {
    std::array<Slot, 2> slots{};  // one working + one in flight is the most a side ever holds
    bool rejected = false;        ///< an order was rejected: no new order until the next update
    common::TimestampNs throttledUntil = 0;  ///< RateLimit reject: no new request before this
    Slot* working() noexcept;
    Slot* find(common::ClientOrderId id) noexcept;
    Slot* freeSlot() noexcept;
    bool cancelInFlight() const noexcept;
  };
  struct Top {
    int64_t bid = 0, bidQty = 0, ask = 0, askQty = 0;
  };
  /// Min and max of mid over the pull window: monotonic queues in fixed rings. When a ring is
  /// full its oldest entry is dropped, which only shortens the window under extreme rates.
  struct MidWindow {
    static constexpr size_t kCapacity = 1024;
    struct Sample {
      common::TimestampNs t;
      int64_t midX2;
    };
    struct Queue {
      std::array<Sample, kCapacity> ring{};
      size_t head = 0, size = 0;
      void push(Sample s, bool keepMax) noexcept;
      void expire(common::TimestampNs oldest) noexcept;
      int64_t front() const noexcept { return ring[head].midX2; }
    };
    Queue max, min;
    void push(common::TimestampNs t, int64_t midX2, common::TimestampNs window) noexcept;
    void clear() noexcept { max.size = min.size = 0; }
  };

  void onTop(const Top& top) noexcept;
  void quote(const Top& top) noexcept;
  void quoteSide(int side, bool wanted, int64_t price) noexcept;
  void pull() noexcept;
  /// Cancels every order of ours on the instrument (the ones not already being cancelled).
  void cancelQuotes() noexcept;
  /// Takes the host's view of the slot's order: gone (frees the slot) or cancel pending.
  void reconcile(Slot& slot) noexcept;
  bool paused() const noexcept { return ctx().now() < pausedUntil_; }

  static constexpr int kBid = 0;
  static constexpr int kAsk = 1;
  static constexpr uint64_t kResumeTimer = 1;

  Config cfg_;
  std::array<SideState, 2> sides_{};
  Top top_{};  ///< last valid top of book, for the requote when a pause ends
  MidWindow window_{};
  common::TimestampNs pausedUntil_ = 0;
};

/// Reads: reference ("mid" | "microprice"), half_spread_ticks or half_spread_bps, order_qty,
/// skew_ticks_per_unit, max_position, requote_ticks, pull_ticks, pull_window_ms, pause_ms,
/// post_only. Exactly one instrument. Throws config::ConfigError naming the bad key.
std::unique_ptr<strategy_engine::IStrategy> makeMarketMaker(strategy_engine::StrategyParams& params,
                                                            const strategy_engine::StrategySetup& setup);

}  // namespace hft::strategies
