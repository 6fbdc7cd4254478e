#include "execution_engine/exchange_sim/QueryString.h"

namespace hft::execution_engine::exchange_sim {

namespace {
int hexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// `part` without its `signature=...` parameter (and the '&' that joined it).
std::string withoutSignature(std::string_view part) {
  std::string out;
  size_t pos = 0;
  while (pos <= part.size() && !part.empty()) {
    size_t amp = part.find('&', pos);
    if (amp == std::string_view::npos) amp = part.size();
    std::string_view kv = part.substr(pos, amp - pos);
    if (kv.substr(0, 10) != "signature=") {
      if (!out.empty()) out.push_back('&');
      out.append(kv);
    }
    if (amp == part.size()) break;
    pos = amp + 1;
  }
  return out;
}
}  // namespace

std::string QueryString::decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 &&
               hexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

QueryString::QueryString(std::string_view raw) { append(raw); }

void QueryString::append(std::string_view raw) {
  size_t pos = 0;
  while (pos < raw.size()) {
    size_t amp = raw.find('&', pos);
    if (amp == std::string_view::npos) amp = raw.size();
    std::string_view kv = raw.substr(pos, amp - pos);
    if (!kv.empty()) {
      const size_t eq = kv.find('=');
      if (eq == std::string_view::npos) params_.emplace_back(decode(kv), std::string());
      else params_.emplace_back(decode(kv.substr(0, eq)), decode(kv.substr(eq + 1)));
    }
    pos = amp + 1;
  }
}

const std::string* QueryString::find(std::string_view key) const noexcept {
  for (const auto& [k, v] : params_)
    if (k == key) return &v;
  return nullptr;
}

std::string_view QueryString::get(std::string_view key) const noexcept {
  const std::string* v = find(key);
  return v ? std::string_view(*v) : std::string_view();
}

std::string signedPayloadOf(std::string_view query, std::string_view body) {
  std::string out = withoutSignature(query);
  out.append(withoutSignature(body));
  return out;
}

}  // namespace hft::execution_engine::exchange_sim
