#include "common/metrics/MetricsCommandLine.h"

#include <cstdio>
#include <stdexcept>

namespace hft::common::metrics {

void addMetricsOptions(CommandLine& cl) {
  cl.option("metrics-port", "serve GET /metrics (Prometheus) and GET /health on this TCP port (0 = off)", "0")
      .option("metrics-address", "address the metrics server binds", "127.0.0.1");
}

std::unique_ptr<MetricsServer> startMetricsServer(const CommandLine& cl, MetricsRegistry& registry,
                                                  const std::string& daemon, MetricsServer::HealthFn health) {
  const int64_t port = cl.getInt("metrics-port");
  if (port < 0 || port > 65535) throw std::invalid_argument("--metrics-port: expected 0..65535 (0 = off)");
  if (port == 0) return nullptr;
  MetricsServerOptions o;
  o.address = cl.get("metrics-address");
  o.port = static_cast<uint16_t>(port);
  o.daemon = daemon;
  auto server = std::make_unique<MetricsServer>(registry, o, std::move(health));
  const bool v6 = o.address.find(':') != std::string::npos;
  std::fprintf(stderr, "%s: metrics on http://%s%s%s:%u/metrics (and /health)\n", daemon.c_str(), v6 ? "[" : "",
               o.address.c_str(), v6 ? "]" : "", static_cast<unsigned>(server->port()));
  return server;
}

}  // namespace hft::common::metrics
