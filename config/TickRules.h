#pragma once
// A venue's price-band tick table (config/tick_rules/<name>.json): the order price increment
// depends on the price itself (Upbit KRW: 1 KRW from 1,000, 5 KRW from 5,000, ... 1,000 KRW
// from 1,000,000). Loaded once into integer bands at the file's price_scale; the queries are
// noexcept, allocation-free and work on raw fixed-point prices, so they may run on a hot path.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/OrderEnums.h"

namespace hft::config {

/// Prices from `from` (inclusive) up to the next band's `from` (exclusive) move in `tick`s.
/// Both are raw units at the rules' price scale; `from` is a multiple of `tick`.
struct TickBand {
  int64_t from;
  int64_t tick;
};

class TickRules {
 public:
  /// No valid price (a buy below the lowest price a rescaled table can express).
  static constexpr int64_t kNoPrice = -1;

  /// Reads and validates a file; throws ConfigError naming the file and the key path
  /// ("bands[3].tick").
  static TickRules loadFile(const std::string& path);
  /// Validates a parsed document. Rules: an object {"venue", "quote", "price_scale" 0..12,
  /// "bands": [{"from": "<decimal>", "tick": "<decimal>"}...], "source"?, "checked"?}; the first
  /// band starts at "0", `from`s strictly ascend, every tick > 0, every `from` is a multiple of
  /// its band's tick, every decimal exactly representable at price_scale.
  static TickRules fromJson(const nlohmann::json& j, const std::string& source);

  const std::string& source() const noexcept { return source_; }
  const std::string& venue() const noexcept { return venue_; }
  const std::string& quote() const noexcept { return quote_; }
  int priceScale() const noexcept { return priceScale_; }
  const std::vector<TickBand>& bands() const noexcept { return bands_; }
  /// Lowest price the table can express: 0 for a loaded file, higher after rescaled() dropped
  /// the bands whose ticks are finer than the new scale.
  int64_t minPrice() const noexcept { return bands_.front().from; }

  /// The tick of the band holding `price`; the lowest band's tick below minPrice().
  int64_t tickAt(int64_t price) const noexcept;
  /// True when `price` >= minPrice() and is a whole number of its band's ticks.
  bool isOnTick(int64_t price) const noexcept;
  /// The nearest valid price on the passive side: Buy rounds down (the largest valid price
  /// <= price; kNoPrice below minPrice()), Sell (and None) round up (the smallest valid
  /// price >= price, which may be the next band's start). A price on the grid is returned as is.
  int64_t roundToTick(int64_t price, common::Side side) const noexcept;

  /// The same table at another price scale (an instrument's). Bands whose `from` or `tick`
  /// are not whole units at `priceScale` are dropped when they are the cheapest bands (their
  /// prices cannot be quoted at that scale: minPrice() rises); a band above a kept one that
  /// cannot be expressed, or an overflow, throws ConfigError naming the source and the band.
  TickRules rescaled(int priceScale) const;

 private:
  size_t bandOf(int64_t price) const noexcept;

  std::string source_;
  std::string venue_;
  std::string quote_;
  int priceScale_ = 0;
  std::vector<TickBand> bands_;  ///< never empty
};

}  // namespace hft::config
