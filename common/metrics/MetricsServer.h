#pragma once
// A tiny HTTP/1.1 server on its own thread for Prometheus scrapes and health checks:
//
//   GET /metrics  200 text/plain; version=0.0.4   (the registry, rendered)
//   GET /health   200 {"status":"ok","daemon":"datafeed","uptime_s":12.3,"detail":{...}}
//                 503 with "status":"unhealthy" when the daemon's health callback says so
//   other paths   404;  other methods 405;  malformed requests 400;  HEAD = GET without body
//
// One connection at a time, one request per connection (every response says
// `Connection: close`); requests are capped at 8 KiB and each connection at io_timeout_ms, so
// a stuck or hostile client delays a scrape but never hangs or crashes the server. Binds
// 127.0.0.1 by default: metrics are not for the network unless the operator says so.
//
// Threads: the constructor binds and starts the server thread (throws when it cannot bind);
// stop() / the destructor end it promptly (an eventfd wakes the poll). The health callback and
// the collectors run on the server thread: they may only read atomics or other thread-safe state.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "common/metrics/MetricsRegistry.h"

namespace hft::common::metrics {

struct HealthStatus {
  bool healthy = true;
  std::string detail_json;  ///< a JSON object ("{...}") shown as "detail"; empty = none
};

struct MetricsServerOptions {
  std::string address = "127.0.0.1";  ///< numeric IPv4 or IPv6 address to bind
  uint16_t port = 0;                  ///< 0 = an ephemeral port (see port()); daemons treat 0 as "off"
  std::string daemon;                 ///< shown in /health
  int io_timeout_ms = 2000;           ///< per connection: read the request and write the response
};

class MetricsServer {
 public:
  using HealthFn = std::function<HealthStatus()>;

  MetricsServer(MetricsRegistry& registry, MetricsServerOptions options, HealthFn health = {});
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  /// Idempotent; joins the server thread.
  void stop() noexcept;
  /// The bound port (the ephemeral one when options.port was 0).
  uint16_t port() const noexcept { return port_; }
  const std::string& address() const noexcept { return options_.address; }
  uint64_t requestsServed() const noexcept { return served_.load(std::memory_order_relaxed); }

  /// The full response (status line, headers, body) to one raw request (everything up to and
  /// including the blank line). Never throws. Server thread, or tests.
  std::string respond(std::string_view request);

 private:
  void run() noexcept;
  void serve(int fd) noexcept;
  std::string health(bool head);

  MetricsRegistry& registry_;
  MetricsServerOptions options_;
  HealthFn healthFn_;
  int listenFd_ = -1;
  int wakeFd_ = -1;
  uint16_t port_ = 0;
  int64_t startMonoNs_ = 0;
  std::atomic<uint64_t> served_{0};
  std::thread thread_;
};

}  // namespace hft::common::metrics
