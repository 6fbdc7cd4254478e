#include "api/net/Url.h"

#include <charconv>
#include <stdexcept>

namespace hft::net {

std::string Url::hostHeader() const {
  std::string h;
  const bool v6 = host.find(':') != std::string::npos;
  if (v6) h.append("[");
  h.append(host);
  if (v6) h.append("]");
  if (port != (tls() ? 443 : 80)) h.append(":").append(std::to_string(port));
  return h;
}

Url Url::parse(const std::string& url) {
  auto fail = [&](const char* why) {
    std::string m("bad URL '");
    m.append(url).append("': ").append(why);
    throw std::invalid_argument(m);
  };
  Url u;
  const size_t sep = url.find("://");
  if (sep == std::string::npos) fail("no scheme");
  for (char c : url.substr(0, sep)) u.scheme.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  if (u.scheme != "http" && u.scheme != "https" && u.scheme != "ws" && u.scheme != "wss")
    fail("scheme must be http, https, ws or wss");
  const size_t hostStart = sep + 3;
  const size_t pathStart = url.find_first_of("/?", hostStart);
  std::string authority = url.substr(hostStart, pathStart == std::string::npos ? std::string::npos : pathStart - hostStart);
  u.target = pathStart == std::string::npos ? "/" : url.substr(pathStart);
  if (u.target.front() == '?') u.target = std::string("/").append(u.target);  // (insert(0, "/") trips a false -Wrestrict)
  if (authority.find('@') != std::string::npos) fail("user info is not supported");
  std::string portText;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos) fail("unclosed '['");
    u.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') fail("junk after ']'");
      portText = authority.substr(close + 2);
    }
  } else {
    const size_t colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos) portText = authority.substr(colon + 1);
  }
  if (u.host.empty()) fail("no host");
  u.port = u.tls() ? 443 : 80;
  if (!portText.empty()) {
    unsigned p = 0;
    auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), p);
    if (ec != std::errc() || end != portText.data() + portText.size() || p == 0 || p > 65535) fail("bad port");
    u.port = static_cast<uint16_t>(p);
  }
  return u;
}

}  // namespace hft::net
