#include "common/metrics/MetricsServer.h"

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/Clock.h"
#include "common/Cpu.h"
#include "common/metrics/PrometheusText.h"

namespace hft::common::metrics {

namespace {

constexpr size_t kMaxRequestBytes = 8192;

std::string response(const char* status, const char* contentType, const std::string& body, bool head,
                     const char* extraHeaders = "") {
  std::string r = "HTTP/1.1 ";
  r.append(status).append("\r\nContent-Type: ").append(contentType);
  r.append("\r\nContent-Length: ").append(std::to_string(body.size()));
  r.append("\r\nCache-Control: no-store\r\nConnection: close\r\n").append(extraHeaders).append("\r\n");
  if (!head) r.append(body);
  return r;
}

std::string plain(const char* status, const char* text, bool head = false, const char* extraHeaders = "") {
  std::string body = text;
  body.push_back('\n');
  return response(status, "text/plain; charset=utf-8", body, head, extraHeaders);
}

bool isTokenChar(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool isToken(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (const char c : s)
    if (!isTokenChar(c)) return false;
  return true;
}

/// Visible ASCII only (no spaces, controls or bytes >= 0x7f): an origin-form request target.
bool isTarget(std::string_view s) noexcept {
  if (s.empty() || s[0] != '/') return false;
  for (const char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) return false;
  return true;
}

std::string jsonEscape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out.append(buf);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

/// Where the header block ends (index just past the blank line), or npos.
size_t headerEnd(std::string_view s) noexcept {
  const size_t crlf = s.find("\r\n\r\n");
  const size_t lf = s.find("\n\n");
  if (crlf == std::string_view::npos && lf == std::string_view::npos) return std::string_view::npos;
  if (crlf != std::string_view::npos && (lf == std::string_view::npos || crlf + 2 <= lf)) return crlf + 4;
  return lf + 2;
}

}  // namespace

MetricsServer::MetricsServer(MetricsRegistry& registry, MetricsServerOptions options, HealthFn health)
    : registry_(registry), options_(std::move(options)), healthFn_(std::move(health)), startMonoNs_(monoNowNs()) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(options_.port);
  if (const int rc = getaddrinfo(options_.address.c_str(), port.c_str(), &hints, &res); rc != 0 || !res) {
    std::string m = "metrics server: bad address \"";
    m.append(options_.address).append("\" (a numeric IPv4 or IPv6 address): ").append(gai_strerror(rc));
    throw std::invalid_argument(m);
  }
  listenFd_ = ::socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  const bool ok = listenFd_ >= 0 && setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
                  ::bind(listenFd_, res->ai_addr, res->ai_addrlen) == 0 && ::listen(listenFd_, 16) == 0;
  const int err = errno;
  freeaddrinfo(res);
  if (!ok) {
    if (listenFd_ >= 0) ::close(listenFd_);
    std::string m = "metrics server: cannot listen on ";
    m.append(options_.address).append(":").append(port).append(": ").append(std::strerror(err));
    throw std::runtime_error(m);
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(listenFd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                      : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wakeFd_ < 0) {
    ::close(listenFd_);
    throw std::runtime_error("metrics server: eventfd failed");
  }
  thread_ = std::thread([this] { run(); });
}

MetricsServer::~MetricsServer() { stop(); }

void MetricsServer::stop() noexcept {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wakeFd_, &one, sizeof one);
    thread_.join();
  }
  if (listenFd_ >= 0) ::close(listenFd_);
  if (wakeFd_ >= 0) ::close(wakeFd_);
  listenFd_ = wakeFd_ = -1;
}

void MetricsServer::run() noexcept {
  try {
    nameThisThread("metrics-http");
  } catch (...) {
  }
  for (;;) {
    pollfd fds[2] = {{wakeFd_, POLLIN, 0}, {listenFd_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[0].revents) return;
    if (!(fds[1].revents & POLLIN)) continue;
    for (;;) {
      const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          pollfd w{wakeFd_, POLLIN, 0};  // out of descriptors: back off 10 ms, still stoppable
          if (::poll(&w, 1, 10) > 0) return;
        }
        break;  // EAGAIN (drained), ECONNABORTED, EINTR: back to poll
      }
      serve(fd);
      ::close(fd);
    }
  }
}

void MetricsServer::serve(int fd) noexcept {
  const int64_t deadline = monoNowNs() + int64_t{options_.io_timeout_ms} * 1'000'000;
  bool stopping = false;
  auto waitFor = [&](short events) -> bool {  // false: timeout, stop (stopping = true) or error
    for (;;) {
      const int64_t left = deadline - monoNowNs();
      if (left <= 0) return false;
      pollfd fds[2] = {{fd, events, 0}, {wakeFd_, POLLIN, 0}};
      const int rc = ::poll(fds, 2, static_cast<int>(left / 1'000'000 + 1));
      if (rc < 0 && errno == EINTR) continue;
      if (fds[1].revents) stopping = true;
      if (rc < 0 || stopping) return false;
      if (fds[0].revents) return true;
    }
  };
  std::string out;
  try {
    std::string req;
    char buf[2048];
    bool complete = false, eof = false;
    while (!complete && !eof && req.size() <= kMaxRequestBytes) {
      if (!waitFor(POLLIN)) break;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) {
        eof = true;
        break;
      }
      req.append(buf, static_cast<size_t>(n));
      complete = headerEnd(req) != std::string::npos;
    }
    if (req.empty() || stopping) return;  // nothing asked (closed or timed out), or shutting down
    if (complete) out = respond(std::string_view(req).substr(0, headerEnd(req)));
    else if (req.size() > kMaxRequestBytes) out = plain("400 Bad Request", "request header too large");
    else out = plain("400 Bad Request", "incomplete request");
  } catch (...) {
    return;  // out of memory: drop the connection
  }
  size_t sent = 0;
  while (sent < out.size()) {
    const ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!waitFor(POLLOUT)) return;
    } else {
      return;
    }
  }
  served_.fetch_add(1, std::memory_order_relaxed);
  // Closing with unread input would send a reset that can destroy the response in flight:
  // half-close, then drain briefly until the client closes.
  ::shutdown(fd, SHUT_WR);
  char sink[4096];
  size_t drained = 0;
  const int64_t drainUntil = monoNowNs() + 200'000'000;
  while (drained < 65536 && monoNowNs() < drainUntil) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
    if (::poll(fds, 2, 50) <= 0 || fds[1].revents) break;
    const ssize_t n = ::recv(fd, sink, sizeof sink, 0);
    if (n <= 0) break;
    drained += static_cast<size_t>(n);
  }
}

std::string MetricsServer::respond(std::string_view request) {
  try {
    const size_t eol = request.find('\n');
    if (eol == std::string_view::npos) return plain("400 Bad Request", "malformed request line");
    std::string_view line = request.substr(0, eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t sp1 = line.find(' ');
    const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
      return plain("400 Bad Request", "malformed request line");
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    if (!isToken(method) || !isTarget(target) || (version != "HTTP/1.1" && version != "HTTP/1.0"))
      return plain("400 Bad Request", "malformed request line");
    // Header lines: "name: value", no folding, no control characters but tab.
    size_t pos = eol + 1;
    while (pos < request.size()) {
      size_t next = request.find('\n', pos);
      if (next == std::string_view::npos) next = request.size();
      std::string_view h = request.substr(pos, next - pos);
      if (!h.empty() && h.back() == '\r') h.remove_suffix(1);
      pos = next + 1;
      if (h.empty()) break;
      const size_t colon = h.find(':');
      if (colon == std::string_view::npos || !isToken(h.substr(0, colon)))
        return plain("400 Bad Request", "malformed header");
      for (const char c : h)
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return plain("400 Bad Request", "malformed header");
    }
    const bool head = method == "HEAD";
    if (method != "GET" && !head) return plain("405 Method Not Allowed", "only GET and HEAD", false, "Allow: GET, HEAD\r\n");
    const std::string_view path = target.substr(0, target.find('?'));
    if (path == "/metrics") return response("200 OK", kPrometheusContentType, renderPrometheusText(registry_.snapshot()), head);
    if (path == "/health") return health(head);
    return plain("404 Not Found", "not found (try /metrics or /health)", head);
  } catch (const std::exception& e) {
    return plain("500 Internal Server Error", e.what());
  } catch (...) {
    return plain("500 Internal Server Error", "error");
  }
}

std::string MetricsServer::health(bool head) {
  HealthStatus h;
  std::string error;
  if (healthFn_) {
    try {
      h = healthFn_();
    } catch (const std::exception& e) {
      h.healthy = false;
      error = e.what();
    }
  }
  std::string body = "{\"status\":\"";
  body.append(h.healthy ? "ok" : "unhealthy").append("\"");
  if (!options_.daemon.empty()) body.append(",\"daemon\":\"").append(jsonEscape(options_.daemon)).append("\"");
  body.append(",\"pid\":").append(std::to_string(getpid()));
  body.append(",\"uptime_s\":").append(formatDecimal({(monoNowNs() - startMonoNs_) / 1'000'000, 3}));
  if (!error.empty()) body.append(",\"error\":\"").append(jsonEscape(error)).append("\"");
  if (!h.detail_json.empty()) body.append(",\"detail\":").append(h.detail_json);
  body.append("}\n");
  return response(h.healthy ? "200 OK" : "503 Service Unavailable", "application/json", body, head);
}

}  // namespace hft::common::metrics
