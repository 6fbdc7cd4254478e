#pragma once
// One blocking HTTP/1.1 exchange with Connection: close, for tests that talk to a venue on
// loopback from outside its client code: exchange_simulator's control endpoints (/sim/fault,
// /sim/state) and the public REST reads the conformance kit compares a gateway's view with.
// Plain sockets, no library: usable by any test target (tests/integration links nothing else).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace hft::test {

struct HttpReply {
  int status = 0;    ///< 0 when nothing (or nothing parsable) came back
  std::string body;  ///< de-chunked
};

/// `method` `target` (path and query) to 127.0.0.1:`port`; an empty body is sent. Waits at most
/// `timeoutMs` for each read.
inline HttpReply httpExchange(uint16_t port, const std::string& method, const std::string& target,
                              int timeoutMs = 10000) {
  HttpReply out;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return out;
  timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return out;
  }
  std::string req = method;
  req.append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  (void)!::write(fd, req.data(), req.size());
  std::string reply;
  char buf[8192];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) reply.append(buf, static_cast<size_t>(n));
  ::close(fd);
  const size_t body = reply.find("\r\n\r\n");
  if (body == std::string::npos || reply.rfind("HTTP/1.", 0) != 0) return out;
  const std::string head = reply.substr(0, body);
  const size_t sp = head.find(' ');
  if (sp != std::string::npos) out.status = std::atoi(head.c_str() + sp + 1);
  std::string rest = reply.substr(body + 4);
  if (head.find("chunked") == std::string::npos) {
    out.body = std::move(rest);
    return out;
  }
  for (size_t p = 0;;) {  // de-chunk
    const size_t eol = rest.find("\r\n", p);
    if (eol == std::string::npos) break;
    const size_t len = std::stoul(rest.substr(p, eol - p), nullptr, 16);
    if (len == 0) break;
    out.body.append(rest, eol + 2, len);
    p = eol + 2 + len + 2;
  }
  return out;
}

/// The body only ("" when nothing came back).
inline std::string http(uint16_t port, const std::string& method, const std::string& target) {
  return httpExchange(port, method, target).body;
}

}  // namespace hft::test
