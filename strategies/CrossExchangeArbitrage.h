#pragma once
// Cross-exchange arbitrage between two instruments of the same asset on different venues
// (A = first configured instrument, B = second): when one venue's bid is above the other's ask
// by more than the costs, buy on the cheap venue and sell on the dear one with a pair of IOCs.
//
// Prices of B are converted into A's currency by price_multiplier_b (a decimal string, 1 when
// both quote the same currency; required when they differ, e.g. KRW -> USDT).
// Edge test, exact in integers: both prices are brought to one fixed-point unit of A's currency
// (A's raw * 10^(ps_B + 12), B's raw * multiplier raw at 12 decimals * 10^ps_A) and compared in
// __int128 with overflow checks (an overflow counts and never trades):
//   buy A / sell B when (bid_B * mult - ask_A) * 10^4 > (fee_bps_a + fee_bps_b + min_edge_bps) * ask_A
//   buy B / sell A when (bid_A - ask_B * mult) * 10^4 > (fee_bps_a + fee_bps_b + min_edge_bps) * bid_A
// Fees are charged as bps of A's price on both legs: the error against each leg's own notional
// is fee * edge, a second-order term (1 bps * 10 bps = 1e-7 of the notional). The bps inputs
// are read as numbers and held in 1e-4 bps units, so the comparison itself is exact.
// Size: min(order_qty, both touch quantities, the room under max_position on either venue),
// floored to a quantity valid on both venues' lots (quantities are compared at the finer of
// the two qty scales). Legs: IOC limit at the touch (buy at the ask, sell at the bid).
// One pair at a time: no new pair while a leg or a hedge is working, nor for cooldown_ms after
// a pair was sent. When both legs are done with different fills, the excess on the venue that
// filled more is sold back (or bought back) there with an IOC at its touch (a hedge), retried
// on the next market update until it is flat (after cooldown_ms when the venue or risk rejected
// it); no pair is sent meanwhile. An excess below that venue's lot cannot be traded and is
// counted as dust.
#include <memory>

#include "strategies/Touch.h"
#include "strategy_engine/IStrategy.h"
#include "strategy_engine/StrategyParams.h"
#include "strategy_engine/StrategyRegistry.h"

namespace hft::strategies {

class CrossExchangeArbitrage final : public strategy_engine::IStrategy {
 public:
  static constexpr int kMultiplierScale = 12;
  __extension__ using Int128 = __int128;  // -Wpedantic: a GCC/Clang extension, on purpose

  /// One venue's instrument as the strategy needs it.
  struct Venue {
    common::InstrumentId instrument = 0;
    int price_scale = 0;
    int64_t lot = 0;        ///< raw at its qty scale
    int64_t to_common = 1;  ///< 10^(common qty scale - its qty scale)
  };
  struct Config {
    Venue a, b;
    int64_t multiplier_b = 0;  ///< raw at kMultiplierScale
    int64_t cost = 0;          ///< fee_bps_a + fee_bps_b + min_edge_bps in 1e-4 bps
    int64_t order_qty = 0;     ///< at the common qty scale
    int64_t max_position = 0;  ///< at the common qty scale
    int64_t common_lot = 0;    ///< smallest qty valid on both venues, common scale
    common::TimestampNs cooldown = 0;
  };
  struct Counters {
    uint64_t pairs = 0;       ///< pairs sent
    uint64_t imbalances = 0;  ///< pairs whose legs filled different quantities
    uint64_t hedges = 0;      ///< hedge orders sent
    uint64_t hedge_rejects = 0;  ///< hedge orders the venue or risk refused (retried after the cooldown)
    uint64_t dust = 0;        ///< imbalances below the lot of the venue that filled more
    uint64_t overflow = 0;    ///< edge tests skipped: the products did not fit in 128 bits
    uint64_t refused = 0;     ///< orders refused by the host
  };

  explicit CrossExchangeArbitrage(const Config& c) noexcept;
  // Legs and hedges point into cfg_.
  CrossExchangeArbitrage(const CrossExchangeArbitrage&) = delete;
  CrossExchangeArbitrage& operator=(const CrossExchangeArbitrage&) = delete;

  /// Whether buying A at askA and selling B at bidB clears the costs.
  bool edgeBuyA(int64_t askA, int64_t bidB) noexcept;
  /// Whether buying B at askB and selling A at bidA clears the costs.
  bool edgeSellA(int64_t bidA, int64_t askB) noexcept;
  const Counters& counters() const noexcept { return counters_; }
  /// Qty still to hedge (raw at the hedging venue's scale).
  int64_t unhedged() const noexcept { return hedge_.qty; }

  void onTopOfBook(const common::BestBidOffer& b) override;
  void onBookUpdate(common::InstrumentId id, const strategy_engine::OrderBook& book) override;
  void onExecutionReport(const common::ExecutionReport& r) override;
  void onGap(const common::Gap& g) override;
  /// "pairs N, imbalances N, hedges N, dust N, hedge rejects N, overflow N, refused N".
  std::string exitSummary() const override;

 private:
  struct Leg {
    const Venue* venue = nullptr;
    common::Side side = common::Side::Buy;
    common::ClientOrderId id = 0;  ///< 0 once done (or never sent)
    int64_t filled = 0;            ///< raw at the venue's qty scale
  };
  struct Hedge {
    const Venue* venue = nullptr;
    common::Side side = common::Side::Buy;
    common::ClientOrderId id = 0;  ///< working hedge order
    int64_t qty = 0;               ///< still to hedge, venue's qty scale
  };

  Touch& touchOf(const Venue& v) noexcept { return &v == &cfg_.a ? touchA_ : touchB_; }
  bool clears(Int128 sell, Int128 buy, Int128 reference) noexcept;
  void evaluate() noexcept;
  /// Pair size at the common scale (0 when none): buying on `buy`, selling on `sell`.
  int64_t pairQty(const Venue& buy, const Venue& sell) noexcept;
  void sendPair(const Venue& buy, const Venue& sell, int64_t qty) noexcept;
  common::ClientOrderId sendIoc(const Venue& v, common::Side side, int64_t qty) noexcept;
  void settlePair() noexcept;
  void sendHedge() noexcept;

  Config cfg_;
  Int128 scaleA_;  ///< 10^(ps_B + kMultiplierScale): A's raw price -> common unit
  Int128 scaleB_;  ///< 10^ps_A: B's raw price * multiplier -> common unit
  Touch touchA_, touchB_;
  Leg legA_, legB_;
  bool pairActive_ = false;
  Hedge hedge_;
  bool paired_ = false;
  common::TimestampNs lastPair_ = 0;
  common::TimestampNs hedgeRetryAt_ = 0;  ///< no hedge before this: the last one was rejected
  Counters counters_;
};

/// Params: fee_bps_a, fee_bps_b, min_edge_bps, order_qty, max_position, price_multiplier_b,
/// cooldown_ms. Instruments: exactly two, same base asset, different venues.
std::unique_ptr<strategy_engine::IStrategy> makeCrossExchangeArbitrage(strategy_engine::StrategyParams& params,
                                                                       const strategy_engine::StrategySetup& setup);

}  // namespace hft::strategies
