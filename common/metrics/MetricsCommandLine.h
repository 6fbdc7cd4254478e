#pragma once
// The daemons' shared metrics options: --metrics-port N (0 = off, the default) and
// --metrics-address A (default 127.0.0.1). Port plan: README "Metrics and health".
#include <memory>
#include <string>

#include "common/CommandLine.h"
#include "common/metrics/MetricsServer.h"

namespace hft::common::metrics {

void addMetricsOptions(CommandLine& cl);

/// Null when --metrics-port is 0; otherwise a running server (its address printed on stderr).
/// Throws on a port outside 0..65535 or an address it cannot bind. Cold, at start-up.
std::unique_ptr<MetricsServer> startMetricsServer(const CommandLine& cl, MetricsRegistry& registry,
                                                  const std::string& daemon, MetricsServer::HealthFn health);

}  // namespace hft::common::metrics
