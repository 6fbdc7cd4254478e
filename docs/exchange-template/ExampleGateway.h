#pragma once
// TEMPLATE (docs/adding-an-exchange.md): copy to gateways/<Venue>Gateway.h, rename Example ->
// your venue, and replace the comments marked "venue:" with the venue's protocol. Compiled by
// the build (docs/exchange-template/CMakeLists.txt) so it stays in step with the interfaces;
// never registered, never run.
//
// Market data for one venue: one WebSocket (api/net BeastWebSocketClient) whose frames the
// venue's protocol core (api/exchanges/<venue>/MarketDataParser) turns straight into
// fixed-point bus events on the datafeed's thread.
#include <memory>
#include <string>
#include <vector>

#include "interfaces/IGateway.h"

namespace hft::config {
class InstrumentRegistry;
}

namespace hft::gateways {

struct ExampleGatewayConfig {
  std::string ws_url;                ///< venue: the public market-data endpoint
  std::vector<std::string> symbols;  ///< venue symbols, all in the instrument registry
};

class ExampleGateway final : public interfaces::IGateway {
 public:
  /// Resolves every symbol in `registry` and allocates every buffer (nothing after start-up).
  /// Throws std::invalid_argument naming an unknown symbol.
  ExampleGateway(ExampleGatewayConfig config, const config::InstrumentRegistry& registry);
  ~ExampleGateway() override;

  std::string name() const override { return "examplex"; }
  void start(interfaces::IEventSink& sink) override;
  /// Frames -> events. Never allocates, throws or blocks; a gap or reconnect publishes a Gap.
  int poll() noexcept override;
  bool finished() const noexcept override { return false; }
  void stop() noexcept override;
  bool isLive() const noexcept override { return true; }
  std::vector<std::string> statusLines() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hft::gateways
