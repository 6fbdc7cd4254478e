#include "execution_engine/gateways/TopLevelJson.h"

namespace hft::execution_engine::gateways::json {

size_t valueLength(std::string_view t) noexcept {
  if (t.empty()) return 0;
  const char c = t[0];
  if (c == '"') {
    for (size_t i = 1; i < t.size(); ++i) {
      if (t[i] == '\\') {
        ++i;  // the escaped character, whatever it is
      } else if (t[i] == '"') {
        return i + 1;
      }
    }
    return 0;
  }
  if (c == '{' || c == '[') {
    // Depth counting over both bracket kinds; strings are skipped whole so that brackets
    // inside them do not count. Mismatched kinds are left for the real parser to refuse.
    size_t depth = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      const char d = t[i];
      if (d == '"') {
        const size_t n = valueLength(t.substr(i));
        if (n == 0) return 0;
        i += n - 1;
      } else if (d == '{' || d == '[') {
        ++depth;
      } else if (d == '}' || d == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return 0;
  }
  // number, true, false, null: up to the next delimiter
  size_t i = 0;
  while (i < t.size() && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' && t[i] != '\n' &&
         t[i] != '\r' && t[i] != '\t')
    ++i;
  return i;
}

std::string_view stringContents(std::string_view raw) noexcept {
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return {};
  return raw.substr(1, raw.size() - 2);
}

std::string_view member(std::string_view text, std::string_view key) noexcept {
  std::string_view found;
  (void)forEachMember(text, [&](std::string_view k, std::string_view v) {
    if (found.empty() && k == key) found = v;
  });
  return found;
}

}  // namespace hft::execution_engine::gateways::json
