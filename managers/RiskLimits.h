#pragma once
// Pre-trade risk limits, as loaded from config/order_rules/*.json (format: config/order_rules/
// README.md). Plain data, validated once at start-up; RiskManager copies what it needs into its
// own tables, so a RiskLimits may be discarded after construction.
//
// Units: quantities are raw at the instrument's qty_scale, prices at its price_scale; notionals,
// balances, equity and PnL are raw at common::kAmountScale (8 decimals). Notionals are in the
// instrument's quote currency; PnL and loss limits in whatever single currency the caller
// reports PnL in.
#include <cstdint>
#include <limits>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/Ids.h"
#include "config/InstrumentRegistry.h"

namespace hft::managers {

/// A limit that is not configured.
inline constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();

/// What to do with an order when no reference price has been fed for its instrument yet.
enum class NoReferencePolicy : uint8_t {
  Reject = 1,  ///< reject with PriceBand: nothing to measure a fat finger against (default)
  Allow = 2,   ///< skip the band; other checks use the order's own price (market orders still reject)
};

/// A token bucket's figures (TokenBucket.h); rate_milli == 0 means no limit.
struct RateLimit {
  int64_t rate_milli = 0;  ///< orders per second, in thousandths
  int64_t burst = 0;       ///< orders admitted at once
  constexpr bool enabled() const noexcept { return rate_milli > 0; }
};

/// Limits of one instrument, all strategies together. Every field is required in the file.
struct InstrumentLimits {
  common::InstrumentId instrument = 0;
  int64_t max_order_qty = 0;       ///< qty raw; an order's qty may equal it
  int64_t max_order_notional = 0;  ///< kAmountScale, quote currency
  int64_t max_position = 0;        ///< qty raw; |net position| in the worst case of open orders filling
  int64_t price_band_bps = 0;      ///< |price - reference| / reference, in 1/10000, 1..10000
};

/// A strategy's own position limit in one instrument.
struct StrategyPositionLimit {
  common::InstrumentId instrument = 0;
  int64_t max_position = 0;  ///< qty raw
};

/// Limits of one strategy (by its StrategyId). Unset fields are kNoLimit / disabled.
struct StrategyLimits {
  common::StrategyId id = 0;
  std::string name;  ///< optional label, for logs only
  int64_t max_open_orders = kNoLimit;
  RateLimit rate;
  int64_t daily_loss_limit = kNoLimit;  ///< kAmountScale, >= 0: loss allowed since UTC midnight
  std::vector<StrategyPositionLimit> max_position;
};

/// Limits of one venue. The loader lists every venue that has a configured instrument, with
/// the venue's default rate (defaultVenueRate) where the file gives none.
struct VenueLimits {
  common::ExchangeId venue = common::ExchangeId::None;
  RateLimit rate;
  int64_t max_position_notional = kNoLimit;  ///< kAmountScale, sum over the venue's instruments
  int64_t max_leverage_x100 = 0;             ///< futures venues only: 250 = 2.5x; 0 = none
  bool check_balance = true;                 ///< spot venues: orders must fit the fed balances
};

/// Scale of GlobalLimits::loss_rates: 12 decimals (KRW -> USDT 0.000725 is 725'000'000).
inline constexpr int kLossRateScale = 12;

struct GlobalLimits {
  int64_t max_open_orders = 0;          ///< required: also sizes the order table
  int64_t daily_loss_limit = kNoLimit;  ///< kAmountScale, all strategies together
  /// The currency every daily loss (global and per strategy) is counted in ("loss_currency",
  /// default USDT). PnL of an instrument quoted in another currency is converted at
  /// `loss_rates` (operator-set, e.g. the day's KRW rate): amounts in different currencies are
  /// never added as they are.
  std::string loss_currency = "USDT";
  std::vector<std::pair<std::string, int64_t>> loss_rates;  ///< quote currency -> loss currency, kLossRateScale
  NoReferencePolicy no_reference = NoReferencePolicy::Reject;
  bool strict_strategies = true;  ///< true: a strategy not listed is rejected (UnknownStrategy)
};

struct RiskLimits {
  /// Upper bound of every count in the file: keeps the tables sized at construction sane.
  static constexpr int64_t kMaxOpenOrders = 1'000'000;

  GlobalLimits global;
  std::vector<InstrumentLimits> instruments;  ///< only these instruments may trade
  std::vector<StrategyLimits> strategies;
  std::vector<VenueLimits> venues;
  std::string kill_switch_file;  ///< "" = no file source; relative paths resolved against the file's folder

  /// Reads and validates a file. Throws config::ConfigError naming the file and the key path.
  static RiskLimits loadFile(const std::string& path, const config::InstrumentRegistry& registry);
  /// Validates a parsed document; `source` names it in errors, `baseDir` resolves a relative
  /// kill_switch_file ("" = leave it as written).
  static RiskLimits fromJson(const nlohmann::json& j, const std::string& source,
                             const config::InstrumentRegistry& registry, const std::string& baseDir = {});

  /// The rate a venue gets when the file sets none, chosen to stay inside the venue's published
  /// order limits (figures and sources in config/order_rules/README.md). Disabled for `simulated`.
  static RateLimit defaultVenueRate(common::ExchangeId venue) noexcept;
  /// True for venues whose positions are margined derivatives (max_leverage applies, balances
  /// are not checked per asset).
  static bool isFuturesVenue(common::ExchangeId venue) noexcept;

  /// Lookups for tests and tools (linear; not for the hot path). nullptr when absent.
  const InstrumentLimits* instrument(common::InstrumentId id) const noexcept;
  const StrategyLimits* strategy(common::StrategyId id) const noexcept;
  const VenueLimits* venue(common::ExchangeId id) const noexcept;
};

}  // namespace hft::managers
