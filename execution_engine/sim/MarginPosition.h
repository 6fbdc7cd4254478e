#pragma once
#include <cstdint>

#include "common/Int128.h"
#include "common/OrderEnums.h"
#include "execution_engine/sim/Amounts.h"

namespace hft::execution_engine::sim {

/// The venue's net position in one instrument of a margin (futures) venue: one-way mode, the
/// same arithmetic as strategy_engine's Position (average entry, PnL realized on reduction).
struct MarginPosition {
  int64_t qty = 0;    ///< signed: > 0 long, < 0 short (qty scale)
  int64_t entry = 0;  ///< average entry price (price scale), 0 when flat

  /// Applies a fill; returns the PnL it realizes (quote asset, kAmountScale, before fees).
  int64_t apply(common::Side side, int64_t price, int64_t q, const Amounts& amounts) noexcept {
    const int64_t signedQty = side == common::Side::Buy ? q : -q;
    const int64_t held = qty < 0 ? -qty : qty;
    if (qty == 0 || (qty > 0) == (signedQty > 0)) {
      const common::Int128 sum = static_cast<common::Int128>(entry) * held + static_cast<common::Int128>(price) * q;
      entry = static_cast<int64_t>(sum / (held + q));
      qty += signedQty;
      return 0;
    }
    const int64_t closed = held < q ? held : q;
    const int64_t diff = qty > 0 ? price - entry : entry - price;
    // Rounded toward zero for gains and losses alike.
    const int64_t realized = diff >= 0 ? amounts.notional(diff, closed) : -amounts.notional(-diff, closed);
    qty += signedQty;
    if (qty == 0)
      entry = 0;
    else if ((qty > 0) == (signedQty > 0))
      entry = price;  // flipped: the rest opened at this price
    return realized;
  }

  /// Margin the position holds: |qty| * entry / leverage, quote asset at kAmountScale.
  int64_t margin(const Amounts& amounts, int leverage) const noexcept {
    return Amounts::margin(amounts.notional(entry, qty < 0 ? -qty : qty), leverage);
  }
};

}  // namespace hft::execution_engine::sim
