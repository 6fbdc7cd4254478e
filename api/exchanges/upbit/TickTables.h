#pragma once
// Upbit's documented order-price units ("주문 가격 단위"), as shared::TickBands tables at
// kTickTableScale (8) decimals. The executor will take these from config/tick_rules/*.json
// (another loader); these constants are the documented defaults and the test reference.
//
// KRW market (docs.upbit.com/kr/docs/krw-market-info, updatedAt 2026-05-04, the policy in force
// since 2025-07-31), verified first-hand for prices >= 100 KRW:
//   >= 2,000,000: 1,000 | 1,000,000-: 1,000 | 500,000-: 500 | 100,000-: 100 | 50,000-: 50
//   10,000-: 10 | 5,000-: 5 | 1,000-: 1 | 100-: 1
// Below 100 KRW the page could not be read in full: the bands below are those of the 2024-10
// table (10-: 0.01, 1-: 0.001, 0.1-: 0.0001, 0.01-: 0.00001, 0.001-: 0.000001,
// 0.0001-: 0.0000001, below: 0.00000001) - NOT verified against the current page.
// Exceptions not modelled here: USDT/KRW and USDC/KRW use 0.5 KRW in 1,000-10,000 (2025-03-21).
// BTC market: one unit, 0.00000001 BTC. USDT market: >= 10: 0.01, 1-: 0.001, 0.1-: 0.0001,
// 0.01-: 0.00001, 0.001-: 0.000001, 0.0001-: 0.0000001, below: 0.00000001 (docs, 2024-08 page).
#include <span>
#include <string_view>

#include "api/exchanges/shared/TickBands.h"

namespace hft::api::upbit {

inline constexpr int kTickTableScale = 8;

std::span<const shared::TickBand> krwTickBands() noexcept;
std::span<const shared::TickBand> btcTickBands() noexcept;
std::span<const shared::TickBand> usdtTickBands() noexcept;

/// The table for a quote currency ("KRW", "BTC", "USDT"); an empty span when there is none.
std::span<const shared::TickBand> tickBandsForQuote(std::string_view quote) noexcept;

}  // namespace hft::api::upbit
