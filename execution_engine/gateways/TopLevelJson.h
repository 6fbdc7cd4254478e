#pragma once
// The top level of one JSON object or array, as raw text views: enough to take a WebSocket API
// envelope apart ({"id":..,"status":..,"result":{..}} or a user-data event) and to split an
// array reply (GET openOrders) into its objects, so that OrderResponseParser gets exactly the
// part it understands. No allocation, no exceptions; strings are not unescaped (keys of the
// venue's envelopes are plain ASCII) and nested values are skipped by bracket matching with
// string awareness, not validated (the parser that receives them validates).
#include <cstddef>
#include <string_view>

namespace hft::execution_engine::gateways::json {

/// Length of the value starting at text[0] (object, array, string, number, literal); 0 when it
/// is cut short or does not start a value.
size_t valueLength(std::string_view text) noexcept;

/// A string value's contents without the quotes ("" when `raw` is not a string).
std::string_view stringContents(std::string_view raw) noexcept;

/// Calls fn(key, rawValue) for each member of the object `text`; false when `text` is not one
/// well-bracketed object (members before the failure have been visited).
template <class Fn>
bool forEachMember(std::string_view text, Fn&& fn) noexcept;

/// Calls fn(rawValue) for each element of the array `text`; false when it is not one array.
template <class Fn>
bool forEachElement(std::string_view text, Fn&& fn) noexcept;

/// The raw value of top-level member `key` of object `text`; empty when absent.
std::string_view member(std::string_view text, std::string_view key) noexcept;

namespace detail {
inline size_t skipSpace(std::string_view t, size_t i) noexcept {
  while (i < t.size() && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t')) ++i;
  return i;
}
}  // namespace detail

template <class Fn>
bool forEachMember(std::string_view text, Fn&& fn) noexcept {
  size_t i = detail::skipSpace(text, 0);
  if (i >= text.size() || text[i] != '{') return false;
  i = detail::skipSpace(text, i + 1);
  if (i < text.size() && text[i] == '}') return true;
  while (i < text.size()) {
    const size_t keyLen = valueLength(text.substr(i));
    if (keyLen < 2 || text[i] != '"') return false;
    const std::string_view key = text.substr(i + 1, keyLen - 2);
    i = detail::skipSpace(text, i + keyLen);
    if (i >= text.size() || text[i] != ':') return false;
    i = detail::skipSpace(text, i + 1);
    const size_t valueLen = valueLength(text.substr(i));
    if (valueLen == 0) return false;
    fn(key, text.substr(i, valueLen));
    i = detail::skipSpace(text, i + valueLen);
    if (i >= text.size()) return false;
    if (text[i] == '}') return true;
    if (text[i] != ',') return false;
    i = detail::skipSpace(text, i + 1);
  }
  return false;
}

template <class Fn>
bool forEachElement(std::string_view text, Fn&& fn) noexcept {
  size_t i = detail::skipSpace(text, 0);
  if (i >= text.size() || text[i] != '[') return false;
  i = detail::skipSpace(text, i + 1);
  if (i < text.size() && text[i] == ']') return true;
  while (i < text.size()) {
    const size_t valueLen = valueLength(text.substr(i));
    if (valueLen == 0) return false;
    fn(text.substr(i, valueLen));
    i = detail::skipSpace(text, i + valueLen);
    if (i >= text.size()) return false;
    if (text[i] == ']') return true;
    if (text[i] != ',') return false;
    i = detail::skipSpace(text, i + 1);
  }
  return false;
}

}  // namespace hft::execution_engine::gateways::json
