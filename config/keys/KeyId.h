#pragma once
// Which credentials: a venue and one of its markets, written "venue:market" ("binance:spot").
#include <compare>
#include <string>
#include <string_view>

namespace hft::config::keys {

struct KeyId {
  static constexpr size_t kMaxPartChars = 32;

  std::string venue;   ///< 1..32 of [a-z0-9_]: "binance", "upbit"
  std::string market;  ///< 1..32 of [a-z0-9_]: "spot", "futures", "coinm"

  /// Parses "venue:market"; throws std::invalid_argument naming the text when a part is
  /// empty, too long or has characters outside [a-z0-9_].
  static KeyId parse(std::string_view text);
  /// Checks both parts; same errors as parse().
  static KeyId make(std::string_view venue, std::string_view market);
  /// True when `part` is a valid venue or market.
  static bool validPart(std::string_view part) noexcept;

  std::string toString() const;
  auto operator<=>(const KeyId&) const = default;
};

}  // namespace hft::config::keys
