#include "config/VenueSymbol.h"

#include <array>

namespace hft::config {

namespace {

using Pair = std::pair<std::string, std::string>;

/// Quote assets Binance lists, used only to split separator-less (BASEQUOTE) symbols; extend when a new
/// quote asset is traded. Longest first, so that adding a code another one ends with (say
/// "USD" beside "BUSD") cannot change how existing symbols split.
constexpr std::array<std::string_view, 27> kBinanceQuotes = {
    "FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDP", "BIDR", "IDRT", "DOGE",
    "BTC",   "ETH",  "BNB",  "TRY",  "EUR",  "GBP",  "BRL",  "AUD",  "JPY",
    "RUB",   "UAH",  "ZAR",  "NGN",  "PLN",  "RON",  "ARS",  "MXN",  "DAI",
};

std::optional<Pair> checked(std::string_view base, std::string_view quote) {
  if (!isAssetCode(base) || !isAssetCode(quote)) return std::nullopt;
  return Pair{std::string(base), std::string(quote)};
}

/// Splits "A<sep>B" with exactly one separator into {A, B}.
std::optional<Pair> splitAt(std::string_view s, char sep) {
  const size_t at = s.find(sep);
  if (at == std::string_view::npos) return std::nullopt;
  return checked(s.substr(0, at), s.substr(at + 1));  // a second separator fails isAssetCode
}

}  // namespace

bool isAssetCode(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

SymbolFormat symbolFormatFromString(std::string_view s) noexcept {
  if (s == "BASEQUOTE") return SymbolFormat::BaseQuote;
  if (s == "QUOTE-BASE") return SymbolFormat::QuoteDashBase;
  if (s == "BASE-QUOTE") return SymbolFormat::BaseDashQuote;
  if (s == "BASE_QUOTE") return SymbolFormat::BaseUnderscoreQuote;
  return SymbolFormat::None;
}

namespace {

struct RegisteredFormat {
  common::ExchangeId exchange;
  SymbolFormat format;
};
std::array<RegisteredFormat, 32> gFormats{};
size_t gFormatCount = 0;

SymbolFormat builtInFormat(common::ExchangeId exchange) noexcept {
  switch (exchange) {
    case common::ExchangeId::Binance:
    case common::ExchangeId::BinanceFutures: return SymbolFormat::BaseQuote;
    case common::ExchangeId::Upbit:
    case common::ExchangeId::Bithumb: return SymbolFormat::QuoteDashBase;  // Bithumb API 2.x; 1.x spelled BTC_KRW
    case common::ExchangeId::Simulated: return SymbolFormat::BaseDashQuote;
    case common::ExchangeId::None: break;
  }
  return SymbolFormat::None;
}

}  // namespace

SymbolFormat symbolFormat(common::ExchangeId exchange) noexcept {
  if (const SymbolFormat f = builtInFormat(exchange); f != SymbolFormat::None) return f;
  for (size_t i = 0; i < gFormatCount; ++i)
    if (gFormats[i].exchange == exchange) return gFormats[i].format;
  return SymbolFormat::None;
}

bool setSymbolFormat(common::ExchangeId exchange, SymbolFormat format) noexcept {
  if (format == SymbolFormat::None || exchange == common::ExchangeId::None) return false;
  if (const SymbolFormat f = builtInFormat(exchange); f != SymbolFormat::None) return f == format;
  for (size_t i = 0; i < gFormatCount; ++i)
    if (gFormats[i].exchange == exchange) {
      gFormats[i].format = format;
      return true;
    }
  if (gFormatCount == gFormats.size()) return false;
  gFormats[gFormatCount++] = {exchange, format};
  return true;
}

std::string venueSymbol(common::ExchangeId exchange, std::string_view base, std::string_view quote) {
  const std::string b(base), q(quote);
  switch (symbolFormat(exchange)) {
    case SymbolFormat::BaseQuote: return b + q;
    case SymbolFormat::QuoteDashBase: return q + "-" + b;
    case SymbolFormat::BaseDashQuote: return b + "-" + q;
    case SymbolFormat::BaseUnderscoreQuote: return b + "_" + q;
    case SymbolFormat::None: break;
  }
  return {};
}

std::optional<Pair> splitVenueSymbol(common::ExchangeId exchange, std::string_view symbol) {
  switch (symbolFormat(exchange)) {
    case SymbolFormat::BaseQuote:
      for (std::string_view q : kBinanceQuotes) {
        if (symbol.size() > q.size() && symbol.ends_with(q))
          return checked(symbol.substr(0, symbol.size() - q.size()), q);
      }
      return std::nullopt;
    case SymbolFormat::QuoteDashBase: {
      auto p = splitAt(symbol, '-');
      if (p) std::swap(p->first, p->second);  // QUOTE-BASE
      return p;
    }
    case SymbolFormat::BaseDashQuote: return splitAt(symbol, '-');
    case SymbolFormat::BaseUnderscoreQuote: return splitAt(symbol, '_');
    case SymbolFormat::None: break;
  }
  return std::nullopt;
}

std::string normalizedName(std::string_view base, std::string_view quote) {
  return std::string(base) + "/" + std::string(quote);
}

std::optional<Pair> splitNormalizedName(std::string_view name) { return splitAt(name, '/'); }

std::optional<std::string> normalizeVenueSymbol(common::ExchangeId exchange, std::string_view symbol) {
  const auto p = splitVenueSymbol(exchange, symbol);
  if (!p) return std::nullopt;
  return normalizedName(p->first, p->second);
}

std::optional<std::string> venueSymbolFromName(common::ExchangeId exchange, std::string_view name) {
  const auto p = splitNormalizedName(name);
  if (!p || exchange == common::ExchangeId::None) return std::nullopt;
  return venueSymbol(exchange, p->first, p->second);
}

}  // namespace hft::config
