#pragma once
#include <cstddef>
#include <memory>
#include <string_view>

#include "api/exchanges/binance/InstrumentResolver.h"
#include "api/exchanges/binance/ParseResult.h"
#include "api/exchanges/binance/ParsedMessages.h"

namespace hft::api::binance {

/// Sizes of a MarketDataParser's buffers, all allocated up front.
struct ParserLimits {
  size_t maxLevelsPerSide = 5000;        ///< spot REST snapshots reach 5000 levels per side
  size_t initialMessageBytes = 1 << 18;  ///< a 1000-level snapshot is ~70 KB; larger ones grow the buffers
};

/// Parses Binance market-data JSON (spot and USD-M) straight into fixed-point integers with
/// simdjson On-Demand: trade, aggTrade, bookTicker, depthUpdate and REST depth snapshots, as
/// raw stream payloads or inside the combined-stream wrapper {"stream":..,"data":{..}}.
///
/// The market is told from the content, because both venues spell symbols alike:
///   depthUpdate has `pu` on USD-M; bookTicker has `e` on USD-M (spot's has no e/E/T);
///   a REST snapshot has `E`/`T` on USD-M; trade/aggTrade carry `M` only on spot.
/// Unknown keys are ignored (venues add fields; old captures carry removed ones). Keys are
/// matched wherever they appear in the object, so key order does not matter.
///
/// Keys and decimal strings are read in place in the message copy rather than unescaped into
/// simdjson's string buffer (bench_parse): a key with an escape is unescaped first, but a decimal
/// with one ("1\u0030.5") is a BadNumber; no venue escapes digits.
///
/// One parser per thread. After construction parse() never throws and allocates only when a
/// message is larger than any before (buffers grow, then stay). Results live in the parser
/// and stay valid until the next parse().
class MarketDataParser {
 public:
  /// Allocates every buffer. `resolver` must outlive the parser.
  explicit MarketDataParser(InstrumentResolver& resolver, ParserLimits limits = ParserLimits{});
  ~MarketDataParser();
  MarketDataParser(const MarketDataParser&) = delete;
  MarketDataParser& operator=(const MarketDataParser&) = delete;

  /// Parses one message; copies it first into an internal buffer with the padding simdjson
  /// reads past the end. On Ok, the accessor matching result.kind holds the message.
  [[nodiscard]] ParseResult parse(std::string_view message) noexcept;

  const ParsedTrade& trade() const noexcept { return trade_; }            ///< Trade, AggTrade
  const ParsedBookTicker& bookTicker() const noexcept { return ticker_; }  ///< BookTicker
  const ParsedDepth& depth() const noexcept { return depth_; }            ///< DepthUpdate, DepthSnapshot

  /// Of the last message, whatever its kind or status; "" when absent. Valid until the next parse().
  std::string_view stream() const noexcept;     ///< combined-stream name ("btcusdt@trade")
  std::string_view eventType() const noexcept;  ///< `e` ("trade", "markPriceUpdate")
  std::string_view symbol() const noexcept;     ///< `s` ("BTCUSDT")

 private:
  struct Impl;  // simdjson state and scratch buffers: keeps simdjson.h out of this header
  ParseResult classifyAndConvert() noexcept;

  InstrumentResolver& resolver_;
  std::unique_ptr<Impl> impl_;
  ParsedTrade trade_{};
  ParsedBookTicker ticker_{};
  ParsedDepth depth_{};
};

}  // namespace hft::api::binance
