#pragma once
#include <cstdint>
#include <string_view>

#include "api/exchanges/upbit/ParsedMessages.h"
#include "common/FixedPoint.h"

namespace hft::api::upbit {

/// Why a message (or a REST body) could not be converted. Hot path: a code, never an exception.
enum class Status : uint8_t {
  Ok = 0,
  InvalidJson = 1,    ///< not well-formed (truncated, ...), or not an object / array of objects
  MissingField = 2,   ///< a field this message kind needs is absent
  WrongType = 3,      ///< a field has another JSON type (a string where a number belongs, ...)
  BadNumber = 4,      ///< a number or decimal string does not convert (see ParseResult::number)
  BadValue = 5,       ///< an enum text this parser does not know ("ab":"XX", "state":"odd")
  UnknownSymbol = 6,  ///< the resolver knows no instrument for the market code
  TooManyLevels = 7,  ///< more orderbook units than the parser was sized for
  TooLarge = 8,       ///< the message did not fit and the buffers could not grow
};
const char* toString(Status s) noexcept;

/// Outcome of one parse. On failure `field` names the key as it appeared in the message
/// ("trade_price", "tp", "orderbook_units[2].ask_size"; the DEFAULT spelling when the key was
/// missing from a DEFAULT message, the SIMPLE one in a SIMPLE message) and `offset` is the byte
/// offset in the message of the failing value - of the object lacking a missing field, or of the
/// point where the JSON broke.
struct ParseResult {
  MessageKind kind = MessageKind::None;
  Status status = Status::Ok;
  const char* field = "";  ///< valid until the parser's next parse (list items are formatted into it)
  uint32_t offset = 0;
  uint32_t item = 0;  ///< index of the failing object in a *_LIST frame (0 otherwise)
  common::ParseStatus number = common::ParseStatus::Ok;  ///< detail of BadNumber
  std::string_view value;  ///< the text that failed (BadNumber, BadValue); valid until the next parse
  bool ok() const noexcept { return status == Status::Ok; }
};

}  // namespace hft::api::upbit
