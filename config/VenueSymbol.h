#pragma once
// How each venue spells a pair, and the one normalized spelling the rest of the system uses.
// Pure functions (no instrument registry): gateways use them to map wire symbols, the registry uses them
// to check that a configured venue_symbol agrees with its base and quote.
//
//   venue            spelling of BTC quoted in KRW / USDT
//   binance(_futures) BTCUSDT      (BASEQUOTE, no separator: split by known quote suffixes)
//   upbit            KRW-BTC      (QUOTE-BASE)
//   bithumb          KRW-BTC      (QUOTE-BASE: API 2.x; the retired 1.x API spelled BTC_KRW)
//   simulated        BTC-USDT     (BASE-QUOTE)
//   a registered venue  as its config/exchanges/<venue>.json "symbol_format" says
//   normalized       BTC/KRW      (BASE/QUOTE, every venue)
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/Ids.h"

namespace hft::config {

/// How a venue writes BASE and QUOTE in one symbol.
enum class SymbolFormat : uint8_t {
  None = 0,
  BaseQuote = 1,            ///< "BTCUSDT" (split by known quote suffixes)
  QuoteDashBase = 2,        ///< "KRW-BTC"
  BaseDashQuote = 3,        ///< "BTC-USDT"
  BaseUnderscoreQuote = 4,  ///< "BTC_USDT"
};
/// Parses "BASEQUOTE", "QUOTE-BASE", "BASE-QUOTE", "BASE_QUOTE" (config/exchanges "symbol_format"); None otherwise.
SymbolFormat symbolFormatFromString(std::string_view s) noexcept;
/// The built-in venues' format, or what setSymbolFormat gave a registered one; None if neither.
SymbolFormat symbolFormat(common::ExchangeId exchange) noexcept;
/// Sets a registered (not built-in) venue's format, at start-up (config::registerExchangeFiles).
/// False for a built-in venue whose format differs, or when the table is full.
bool setSymbolFormat(common::ExchangeId exchange, SymbolFormat format) noexcept;

/// Asset codes are upper-case letters and digits ("BTC", "1000SATS"); anything else would make
/// separator-based splitting ambiguous.
bool isAssetCode(std::string_view s) noexcept;

/// The venue's spelling of base/quote; empty for ExchangeId::None.
std::string venueSymbol(common::ExchangeId exchange, std::string_view base, std::string_view quote);

/// {base, quote} of a venue symbol, or nullopt when it does not follow the venue's convention
/// (including an unknown quote suffix on Binance, whose symbols have no separator).
std::optional<std::pair<std::string, std::string>> splitVenueSymbol(common::ExchangeId exchange,
                                                                     std::string_view symbol);

/// "BASE/QUOTE".
std::string normalizedName(std::string_view base, std::string_view quote);
/// {base, quote} of "BASE/QUOTE", or nullopt.
std::optional<std::pair<std::string, std::string>> splitNormalizedName(std::string_view name);

/// Venue spelling -> normalized ("KRW-BTC" on upbit -> "BTC/KRW"); nullopt if it cannot be split.
std::optional<std::string> normalizeVenueSymbol(common::ExchangeId exchange, std::string_view symbol);
/// Normalized -> venue spelling ("BTC/KRW" -> "KRW-BTC" on upbit); nullopt if not "BASE/QUOTE".
std::optional<std::string> venueSymbolFromName(common::ExchangeId exchange, std::string_view name);

}  // namespace hft::config
