#pragma once
// scheme://host[:port][/target] for http, https, ws and wss.
#include <cstdint>
#include <string>

namespace hft::net {

struct Url {
  std::string scheme;   ///< lower-case: http, https, ws, wss
  std::string host;     ///< name or IP literal (IPv6 without brackets)
  uint16_t port = 0;    ///< explicit or the scheme's default (80/443)
  std::string target;   ///< path and query, "/" when absent
  bool tls() const noexcept { return scheme == "https" || scheme == "wss"; }
  /// "host" or "host:port" as the Host header wants it.
  std::string hostHeader() const;

  /// Throws std::invalid_argument naming the URL and what is wrong.
  static Url parse(const std::string& url);
};

}  // namespace hft::net
