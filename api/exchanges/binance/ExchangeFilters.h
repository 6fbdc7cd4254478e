#pragma once
// The venue's trading rules from GET /api/v3/exchangeInfo (spot) and /fapi/v1/exchangeInfo
// (USD-M), converted once to the instrument's fixed point, and the pre-send check of an
// OrderRequest against them (the venue would refuse the order with -1013 / -4xxx otherwise).
//
//   filter                  keys read                                   check (a 0 disables a rule)
//   PRICE_FILTER            minPrice maxPrice tickSize                  price and stopPrice: min <= p <= max, p % tick == 0
//   LOT_SIZE                minQty maxQty stepSize                      min <= q <= max, (q - min) % step == 0
//   MARKET_LOT_SIZE         minQty maxQty stepSize                      the same, market-executed orders (on top of LOT_SIZE)
//   MIN_NOTIONAL  spot      minNotional applyToMarket                   price * qty >= min
//                 USD-M     notional (NOT minNotional)                  price * qty >= notional, reduce-only exempt
//   NOTIONAL      spot      minNotional maxNotional applyMin/MaxToMarket min <= price * qty <= max
//   PERCENT_PRICE spot      multiplierUp multiplierDown                 ref * down <= price <= ref * up
//                 USD-M     multiplierUp multiplierDown                 BUY: price <= mark * up; SELL: price >= mark * down
//   PERCENT_PRICE_BY_SIDE   bid/askMultiplierUp/Down                    per side, as spot PERCENT_PRICE
//   MAX_NUM_ORDERS          maxNumOrders (spot) / limit (USD-M)         kept for the caller (open orders are not known here)
// Other filters (ICEBERG_PARTS, MAX_NUM_ALGO_ORDERS, TRAILING_DELTA, ...) are ignored.
// The notional uses the limit price; for orders that execute as market orders (MARKET,
// STOP_LOSS, TAKE_PROFIT) the stop price, or refPrice for a plain MARKET, and the "market"
// notional limits (applyToMarket / applyMinToMarket / applyMaxToMarket). refPrice is the
// caller's: spot's average price over avgPriceMins, USD-M's mark price; 0 skips the rules that
// need it. Several notional filters all apply: the tightest bound is kept.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/exchanges/binance/InstrumentResolver.h"
#include "api/exchanges/binance/Market.h"
#include "api/exchanges/binance/RateLimitTracker.h"
#include "common/OrderEnums.h"
#include "common/events/OrderRequest.h"

namespace hft::api::binance {

/// Multipliers (PERCENT_PRICE) are fixed point with this many decimals ("1.1500" -> 115000000).
inline constexpr int kMultiplierScale = 8;

/// One symbol's rules at its instrument's scales (152 bytes). 0 means "no such rule"
/// everywhere, as on the venue.
///   0 instrument | 4 market | 5 price_scale | 6 qty_scale | 7 pad | 8 min/max price, tick
///   | 32 LOT_SIZE | 56 MARKET_LOT_SIZE | 80 notional limits | 112 multipliers
///   | 144 max_num_orders | 148 reduce-only exempt | 149 pad[3]
struct SymbolFilters {
  common::InstrumentId instrument;
  Market market;
  int8_t price_scale, qty_scale;  ///< the instrument's, copied so that check() needs nothing else
  uint8_t pad;
  int64_t min_price, max_price, tick_size;                    ///< price scale
  int64_t min_qty, max_qty, step_size;                        ///< LOT_SIZE, qty scale
  int64_t market_min_qty, market_max_qty, market_step_size;   ///< MARKET_LOT_SIZE, qty scale
  int64_t min_notional, max_notional;                         ///< priced orders, common::kAmountScale
  int64_t market_min_notional, market_max_notional;           ///< market orders (at refPrice)
  int64_t buy_mult_up, buy_mult_down, sell_mult_up, sell_mult_down;  ///< kMultiplierScale
  uint32_t max_num_orders;
  uint8_t min_notional_reduce_only_exempt;  ///< USD-M: reduce-only orders skip the min notional
  uint8_t pad2[3];
};
static_assert(std::is_trivially_copyable_v<SymbolFilters> && std::is_standard_layout_v<SymbolFilters>);
static_assert(sizeof(SymbolFilters) == 152 && alignof(SymbolFilters) == 8);
static_assert(offsetof(SymbolFilters, min_price) == 8 && offsetof(SymbolFilters, buy_mult_up) == 112);

/// Checks `request` (New or Modify; Cancel passes) against `filters` before it is sent.
/// Returns the first rule broken, in the venue's order (price, quantity, notional, band):
///   InvalidPrice        price/stopPrice <= 0 where needed, or outside [minPrice, maxPrice]
///   OffTickPrice        price/stopPrice not a multiple of tickSize
///   InvalidQuantity     qty <= 0 or below minQty
///   MaxOrderQuantity    above maxQty
///   OffLotQuantity      (qty - minQty) not a multiple of stepSize
///   BelowMinNotional / MaxOrderNotional, PriceBand
/// Hot path: no allocation, never throws.
common::RejectReason check(const common::OrderRequest& request, const SymbolFilters& filters,
                           int64_t refPrice) noexcept;

/// exchangeInfo of one market: the rules of every symbol the resolver knows, and the rate limits.
class ExchangeFilters {
 public:
  /// Cold path (start-up, periodic refresh). Returns "" on success, else what failed, naming
  /// the symbol, the filter, the key and the byte offset. Symbols the resolver does not know
  /// are skipped; a known symbol whose rule does not fit its instrument's scale (a tick finer
  /// than price_scale) is an error: the configuration is wrong.
  std::string parse(Market market, std::string_view json, InstrumentResolver& resolver);

  /// nullptr when the instrument had no entry in the last parse.
  const SymbolFilters* find(common::InstrumentId id) const noexcept;
  const std::vector<SymbolFilters>& symbols() const noexcept { return symbols_; }
  /// exchangeInfo "rateLimits", for RateLimitTracker.
  const std::vector<RateLimit>& rateLimits() const noexcept { return rateLimits_; }

 private:
  std::vector<SymbolFilters> symbols_;  // sorted by instrument id
  std::vector<RateLimit> rateLimits_;
};

}  // namespace hft::api::binance
