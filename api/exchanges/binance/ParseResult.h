#pragma once
#include <cstdint>
#include <string_view>

#include "api/exchanges/binance/ParsedMessages.h"
#include "common/FixedPoint.h"

namespace hft::api::binance {

/// Why a message could not be parsed. Hot-path code: a code, never an exception.
enum class Status : uint8_t {
  Ok = 0,
  InvalidJson = 1,    ///< not well-formed JSON, or not an object at the top
  MissingField = 2,   ///< a field this message kind requires is absent
  WrongType = 3,      ///< a required field has another JSON type (e.g. a number where a string belongs)
  BadNumber = 4,      ///< a decimal string or integer does not convert (see ParseResult::number)
  BadLevel = 5,       ///< a depth level is not a ["price","qty"] pair
  TooManyLevels = 6,  ///< more levels on one side than the parser was sized for
  UnknownSymbol = 7,  ///< the resolver knows no instrument for the symbol (see MarketDataParser::symbol())
  TooLarge = 8,       ///< the message did not fit and the buffers could not grow
};

const char* toString(Status s) noexcept;

/// Outcome of one parse: kind and market (set once the message is classified, even when a
/// later step fails), the status, and the JSON key that failed.
struct ParseResult {
  MessageKind kind = MessageKind::None;
  Market market = Market::Spot;                     ///< told from the content along with kind
  Status status = Status::Ok;
  const char* field = "";                           ///< key of the failing field ("p", "bids"); "" when none
  common::ParseStatus number = common::ParseStatus::Ok;  ///< detail when status is BadNumber on a decimal
  std::string_view value;  ///< the decimal text that failed (BadNumber); valid until the next parse()
  bool ok() const noexcept { return status == Status::Ok; }
};

}  // namespace hft::api::binance
