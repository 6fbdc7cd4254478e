#pragma once
// Upbit WebSocket quotation payloads (and Bithumb's Public v1, which copies them) straight into
// fixed-point integers with simdjson On-Demand: ticker, trade and orderbook, in the DEFAULT
// format (full key names) and the SIMPLE one (abbreviated keys: "tp", "obu", ...), one object
// per frame or a *_LIST frame (an array of objects). Key map: exchange-samples/upbit/ws/format.md.
//
// Prices and sizes are JSON numbers on these venues, with any number of trailing zeros and
// sometimes an exponent ("7.9276E-4"): they are converted from the number's own text
// (shared::parseJsonDecimal), never through double. More decimals than the instrument's scale
// is an error, never a rounding. Unknown keys are ignored, key order does not matter.
//
// An orderbook message is a full top-N snapshot (no diffs, no sequence numbers): replace the
// local book each time. toBookSnapshot() / toTrade() / toBestBidOffer() fill the bus events.
//
// One parser per thread. After construction parse() never throws and allocates only when a
// frame is larger than any before. Results are valid until the next parse().
#include <cstddef>
#include <memory>
#include <string_view>

#include "api/exchanges/upbit/InstrumentResolver.h"
#include "api/exchanges/upbit/ParseResult.h"
#include "api/exchanges/upbit/ParsedMessages.h"
#include "common/events/BestBidOffer.h"
#include "common/events/BookSnapshot.h"
#include "common/events/Trade.h"

namespace hft::api::upbit {

/// Receives each converted object of a frame, in order, on the parsing thread.
class MarketDataHandler {
 public:
  virtual ~MarketDataHandler() = default;
  virtual void onTrade(const ParsedTrade& trade) noexcept = 0;
  virtual void onOrderbook(const ParsedOrderbook& book) noexcept = 0;
  virtual void onTicker(const ParsedTicker& ticker) noexcept = 0;
};

struct ParserLimits {
  size_t maxLevelsPerSide = 64;          ///< Upbit sends at most 30 units
  size_t initialMessageBytes = 1 << 16;  ///< larger frames grow the buffers once
};

class MarketDataParser {
 public:
  /// Allocates every buffer. `resolver` must outlive the parser.
  explicit MarketDataParser(InstrumentResolver& resolver, ParserLimits limits = ParserLimits{});
  ~MarketDataParser();
  MarketDataParser(const MarketDataParser&) = delete;
  MarketDataParser& operator=(const MarketDataParser&) = delete;

  /// Parses one frame (the venue sends UTF-8 JSON in binary or text frames: pass the bytes).
  /// Each converted object goes to `handler` before the next is read; the first failure stops
  /// the frame and is returned (objects before it were delivered). result.kind is that of the
  /// last object looked at.
  [[nodiscard]] ParseResult parse(std::string_view frame, MarketDataHandler& handler) noexcept;

  /// error.name of the last MessageKind::Error ("INVALID_AUTH", "WRONG_FORMAT", ...); valid
  /// until the next parse.
  std::string_view errorName() const noexcept;
  /// type / ty of the last object ("trade", "candle.1s", ...); "" when absent.
  std::string_view type() const noexcept;
  /// code / cd of the last object ("KRW-BTC").
  std::string_view code() const noexcept;

 private:
  struct Impl;  // simdjson state and scratch: keeps simdjson.h out of this header
  InstrumentResolver& resolver_;
  std::unique_ptr<Impl> impl_;
};

/// Bus events from parsed messages (the caller stamps sequence and publish time).
/// The book keeps its top BookSnapshot::kDepth levels per side.
void toBookSnapshot(const ParsedOrderbook& book, common::ExchangeId exchange, common::TimestampNs receiveNs,
                    common::BookSnapshot& out) noexcept;
void toTrade(const ParsedTrade& trade, common::ExchangeId exchange, common::TimestampNs receiveNs,
             common::Trade& out) noexcept;
/// From the best_* fields of a trade (false when it has none) or the top of a book.
bool toBestBidOffer(const ParsedTrade& trade, common::ExchangeId exchange, common::TimestampNs receiveNs,
                    common::BestBidOffer& out) noexcept;
void toBestBidOffer(const ParsedOrderbook& book, common::ExchangeId exchange, common::TimestampNs receiveNs,
                    common::BestBidOffer& out) noexcept;

}  // namespace hft::api::upbit
