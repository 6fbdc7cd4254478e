// The metrics HTTP server (common/metrics/MetricsServer.h) over real loopback sockets.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "common/metrics/MetricsServer.h"
#include "common/metrics/PrometheusText.h"

using namespace hft::common::metrics;

namespace {

int connectTo(const char* ip, uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, ip, &a.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// Sends `raw` (then half-closes when asked) and reads the whole response until the server closes.
std::string roundTrip(uint16_t port, const std::string& raw, bool halfClose = false) {
  const int fd = connectTo("127.0.0.1", port);
  if (fd < 0) return "connect failed";
  size_t sent = 0;
  while (sent < raw.size()) {
    const ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  if (halfClose) ::shutdown(fd, SHUT_WR);
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string get(uint16_t port, const std::string& path) {
  std::string req = "GET ";
  req.append(path).append(" HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test\r\n\r\n");
  return roundTrip(port, req);
}

std::string cat(std::string a, const std::string& b) { return a.append(b); }

std::string statusLine(const std::string& response) { return response.substr(0, response.find("\r\n")); }
std::string body(const std::string& response) {
  const size_t p = response.find("\r\n\r\n");
  return p == std::string::npos ? "" : response.substr(p + 4);
}

/// Value of the first line starting with `prefix` (followed by a space), or -1.
int64_t valueOf(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.size() > prefix.size() && line.compare(0, prefix.size(), prefix) == 0 && line[prefix.size()] == ' ')
      return std::stoll(line.substr(prefix.size() + 1));
  return -1;
}

}  // namespace

TEST(MetricsServer, servesTheRegistryInTheTextFormat) {
  MetricsRegistry reg;
  reg.counter("hft_x_total", "X", {{"k", "v"}}).set(12);
  MetricsServer server(reg, {});
  ASSERT_NE(server.port(), 0);
  const std::string r = get(server.port(), "/metrics");
  EXPECT_EQ(statusLine(r), "HTTP/1.1 200 OK");
  EXPECT_NE(r.find("Content-Type: text/plain; version=0.0.4"), std::string::npos) << r;
  EXPECT_NE(r.find("Connection: close\r\n"), std::string::npos) << r;
  EXPECT_EQ(body(r), renderPrometheusText(reg.snapshot()));
  EXPECT_EQ(valueOf(body(r), "hft_x_total{k=\"v\"}"), 12);
  // A query string does not change the route.
  EXPECT_EQ(statusLine(get(server.port(), "/metrics?x=1")), "HTTP/1.1 200 OK");
}

TEST(MetricsServer, healthIsOkOr503AsTheDaemonSays) {
  MetricsRegistry reg;
  std::atomic<bool> healthy{true};
  MetricsServer server(reg, {"127.0.0.1", 0, "datafeed", 2000}, [&] {
    return HealthStatus{healthy.load(), "{\"published\":7}"};
  });
  std::string r = get(server.port(), "/health");
  EXPECT_EQ(statusLine(r), "HTTP/1.1 200 OK");
  EXPECT_NE(r.find("Content-Type: application/json"), std::string::npos) << r;
  EXPECT_EQ(body(r).rfind("{\"status\":\"ok\",\"daemon\":\"datafeed\",", 0), 0u) << body(r);
  EXPECT_NE(body(r).find("\"uptime_s\":"), std::string::npos) << body(r);
  EXPECT_NE(body(r).find("\"detail\":{\"published\":7}}"), std::string::npos) << body(r);
  healthy = false;
  r = get(server.port(), "/health");
  EXPECT_EQ(statusLine(r), "HTTP/1.1 503 Service Unavailable");
  EXPECT_EQ(body(r).rfind("{\"status\":\"unhealthy\"", 0), 0u) << body(r);
}

TEST(MetricsServer, aThrowingHealthCheckIsUnhealthyNotACrash) {
  MetricsRegistry reg;
  MetricsServer server(reg, {}, []() -> HealthStatus { throw std::runtime_error("venue \"x\" down"); });
  const std::string r = get(server.port(), "/health");
  EXPECT_EQ(statusLine(r), "HTTP/1.1 503 Service Unavailable");
  EXPECT_NE(body(r).find("\"error\":\"venue \\\"x\\\" down\""), std::string::npos) << body(r);
}

TEST(MetricsServer, unknownPathsAre404OtherMethods405AndHeadHasNoBody) {
  MetricsRegistry reg;
  reg.gauge("g", "G").set(1);
  MetricsServer server(reg, {});
  EXPECT_EQ(statusLine(get(server.port(), "/")), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(statusLine(get(server.port(), "/metricsx")), "HTTP/1.1 404 Not Found");
  const std::string post = roundTrip(server.port(), "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(statusLine(post), "HTTP/1.1 405 Method Not Allowed");
  EXPECT_NE(post.find("Allow: GET, HEAD"), std::string::npos);
  const std::string head = roundTrip(server.port(), "HEAD /metrics HTTP/1.0\r\n\r\n");
  EXPECT_EQ(statusLine(head), "HTTP/1.1 200 OK");
  EXPECT_NE(head.find(cat("Content-Length: ", std::to_string(renderPrometheusText(reg.snapshot()).size()))), std::string::npos);
  EXPECT_EQ(body(head), "");
}

TEST(MetricsServer, garbageGets400AndTheServerKeepsServing) {
  MetricsRegistry reg;
  reg.counter("c_total", "C").set(1);
  MetricsServer server(reg, {});
  const std::vector<std::string> bad = {
      "garbage\r\n\r\n",
      "GET /metrics\r\n\r\n",                      // no version
      "GET  /metrics HTTP/1.1\r\n\r\n",            // double space
      "GET metrics HTTP/1.1\r\n\r\n",              // not origin-form
      "GET /metrics HTTP/2.0\r\n\r\n",
      "GET /met rics HTTP/1.1\r\n\r\n",
      "GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n",
      "GET /metrics HTTP/1.1\r\n folded: header\r\n\r\n",
      "GET /metrics HTTP/1.1\r\nBad\x01Name: x\r\n\r\n",
      std::string("G\0T /metrics HTTP/1.1\r\n\r\n", 26),
      std::string("\xff\xfe\x00\x01\r\n\r\n", 8),
  };
  for (const auto& b : bad) EXPECT_EQ(statusLine(roundTrip(server.port(), b)), "HTTP/1.1 400 Bad Request") << b;
  // Incomplete request, then the client half-closes: 400, not a hang.
  EXPECT_EQ(statusLine(roundTrip(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n", true)), "HTTP/1.1 400 Bad Request");
  // Headers that never end (over 8 KiB): 400.
  EXPECT_EQ(statusLine(roundTrip(server.port(), cat("GET /metrics HTTP/1.1\r\nX: ", std::string(20000, 'a')))),
            "HTTP/1.1 400 Bad Request");
  // A client that connects and says nothing is dropped without a response.
  EXPECT_EQ(roundTrip(server.port(), "", true), "");
  EXPECT_EQ(statusLine(get(server.port(), "/metrics")), "HTTP/1.1 200 OK");
}

TEST(MetricsServer, answersEveryRandomInputWithAnHttpResponse) {
  MetricsRegistry reg;
  MetricsServer server(reg, {});
  std::mt19937_64 rng(7);
  const std::string alphabet = "GETHAD /metrics?health:\r\n\t\x01\x7f\xff HTTP/1.01";
  for (int i = 0; i < 3000; ++i) {
    std::string req;
    const size_t len = rng() % 80;
    for (size_t j = 0; j < len; ++j) req.push_back(i % 2 ? static_cast<char>(rng()) : alphabet[rng() % alphabet.size()]);
    if (i % 3 == 0) req = cat("GET /metrics HTTP/1.1\r\n", req);
    const std::string r = server.respond(req);
    ASSERT_EQ(r.rfind("HTTP/1.1 ", 0), 0u) << req;
  }
}

TEST(MetricsServer, concurrentScrapesSeeMonotoneCountsWhileAWriterBumps) {
  MetricsRegistry reg;
  Counter& c = reg.counter("hft_ops_total", "Ops");
  Histogram& h = reg.histogram("hft_op_ns", "Op time", {}, {10, 100, 1000});
  MetricsServer server(reg, {});
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    uint64_t n = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      c.set(++n);  // the owner-thread copy pattern
      h.observe(static_cast<int64_t>(n % 2000));
    }
  });
  std::atomic<int> failures{0};
  std::vector<std::thread> scrapers;
  for (int t = 0; t < 4; ++t) {
    scrapers.emplace_back([&] {
      int64_t lastOps = -1, lastCount = -1;
      for (int i = 0; i < 40; ++i) {
        const std::string r = get(server.port(), "/metrics");
        const std::string b = body(r);
        const int64_t ops = valueOf(b, "hft_ops_total");
        const int64_t count = valueOf(b, "hft_op_ns_count");
        const int64_t b10 = valueOf(b, "hft_op_ns_bucket{le=\"10\"}");
        const int64_t b100 = valueOf(b, "hft_op_ns_bucket{le=\"100\"}");
        const int64_t b1000 = valueOf(b, "hft_op_ns_bucket{le=\"1000\"}");
        const int64_t inf = valueOf(b, "hft_op_ns_bucket{le=\"+Inf\"}");
        const bool ok = statusLine(r) == "HTTP/1.1 200 OK" && ops >= lastOps && count >= lastCount && b10 >= 0 &&
                        b10 <= b100 && b100 <= b1000 && b1000 <= inf && inf == count;
        if (!ok) {
          ++failures;
          ADD_FAILURE() << r;
          return;
        }
        lastOps = ops;
        lastCount = count;
      }
    });
  }
  for (auto& s : scrapers) s.join();
  stop = true;
  writer.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GE(server.requestsServed(), 160u);
}

TEST(MetricsServer, bindsLoopbackOnlyByDefault) {
  MetricsRegistry reg;
  MetricsServer server(reg, {});
  EXPECT_EQ(server.address(), "127.0.0.1");
  // Reachable on loopback, refused on every other local IPv4 address this machine has.
  const int fd = connectTo("127.0.0.1", server.port());
  EXPECT_GE(fd, 0);
  if (fd >= 0) ::close(fd);
  ifaddrs* ifs = nullptr;
  ASSERT_EQ(getifaddrs(&ifs), 0);
  int others = 0;
  for (ifaddrs* i = ifs; i; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, ip, sizeof ip);
    if (std::string(ip).rfind("127.", 0) == 0) continue;
    ++others;
    const int o = connectTo(ip, server.port());
    EXPECT_LT(o, 0) << "reachable on " << ip;
    if (o >= 0) ::close(o);
  }
  freeifaddrs(ifs);
  if (others == 0) std::cout << "no non-loopback IPv4 address on this machine: only the bound address was checked\n";
}

TEST(MetricsServer, refusesAnAddressItCannotUse) {
  MetricsRegistry reg;
  EXPECT_THROW(MetricsServer(reg, {"localhost", 0, "", 100}), std::invalid_argument);  // numeric only
  EXPECT_THROW(MetricsServer(reg, {"300.1.1.1", 0, "", 100}), std::invalid_argument);
  MetricsServer first(reg, {});
  EXPECT_THROW(MetricsServer(reg, {"127.0.0.1", first.port(), "", 100}), std::runtime_error);  // port taken
}

TEST(MetricsServer, stopsWhileAClientHoldsAConnectionOpen) {
  MetricsRegistry reg;
  MetricsServer server(reg, {"127.0.0.1", 0, "", 60'000});
  const int fd = connectTo("127.0.0.1", server.port());
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::send(fd, "GET /metr", 9, MSG_NOSIGNAL), 9);  // the server waits for the rest
  server.stop();  // must not wait for the 60 s I/O timeout
  server.stop();  // idempotent
  char c;
  EXPECT_LE(::recv(fd, &c, 1, 0), 0);  // closed without a response
  ::close(fd);
}
