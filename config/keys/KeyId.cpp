#include "config/keys/KeyId.h"

#include <stdexcept>

namespace hft::config::keys {

bool KeyId::validPart(std::string_view part) noexcept {
  if (part.empty() || part.size() > kMaxPartChars) return false;
  for (char c : part)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

KeyId KeyId::make(std::string_view venue, std::string_view market) {
  if (!validPart(venue) || !validPart(market)) {
    std::string what = "bad key id \"";
    what.append(venue).append(":").append(market).append(
        "\": expected VENUE:MARKET, each 1-32 of a-z 0-9 _ (e.g. binance:spot)");
    throw std::invalid_argument(what);
  }
  return KeyId{std::string(venue), std::string(market)};
}

KeyId KeyId::parse(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    std::string what = "bad key id \"";
    what.append(text).append("\": expected VENUE:MARKET (e.g. binance:spot)");
    throw std::invalid_argument(what);
  }
  return make(text.substr(0, colon), text.substr(colon + 1));
}

std::string KeyId::toString() const {
  std::string s = venue;
  s.append(":").append(market);
  return s;
}

}  // namespace hft::config::keys
