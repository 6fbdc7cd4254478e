#pragma once
// Iceberg: shows display_qty of total_qty at one limit price and shows the next slice when the
// shown one has filled completely, until total_qty is done.
//
// Price: `price` when set, else the near touch at the start (buy: the best bid; the first
// update after the start when the book is still unknown), pulled back to limit_price. It stays
// fixed for the whole order.
// Display randomization (display_jitter > 0): each slice is display_qty + k lots with k uniform
// in [-j, j], j = floor(display_qty * display_jitter / lot), drawn from SplitMix64(seed): the
// same seed gives the same slices on every platform. A slice is at least one lot.
// A slice cancelled, expired or rejected by the venue stops the iceberg (stopped()): showing
// again into a venue that refuses would loop. With duration_ms > 0 the shown slice is
// cancelled at start + duration.
#include <memory>

#include "strategies/ExecutionAlgo.h"
#include "strategies/SplitMix64.h"

namespace hft::strategies {

class Iceberg final : public ExecutionAlgo {
 public:
  /// price: raw, 0 = the touch at the start. jitterLots: j above.
  Iceberg(const ParentOrder& parent, int64_t displayQty, int64_t price, int64_t jitterLots, uint64_t seed) noexcept
      : ExecutionAlgo(parent, 0, false), display_(displayQty), price_(price), jitterLots_(jitterLots), rng_(seed) {}

  /// The working price (0 until fixed).
  int64_t price() const noexcept { return price_; }
  uint64_t slicesShown() const noexcept { return shown_; }
  bool stopped() const noexcept { return stopped_; }

 private:
  void onRun() override { show(); }
  void onQuote() override {
    if (price_ == 0) show();
  }
  void onChildEnded(const common::ExecutionReport& r) override;
  void show() noexcept;

  int64_t display_;
  int64_t price_;
  int64_t jitterLots_;
  SplitMix64 rng_;
  uint64_t shown_ = 0;
  bool stopped_ = false;
};

/// Params: side, total_qty, start_offset_ms, duration_ms (0 = none), limit_price (see
/// ParentOrder), display_qty, price, display_jitter, seed.
std::unique_ptr<strategy_engine::IStrategy> makeIceberg(strategy_engine::StrategyParams& params,
                                                        const strategy_engine::StrategySetup& setup);

}  // namespace hft::strategies
