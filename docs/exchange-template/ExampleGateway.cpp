// TEMPLATE: see ExampleGateway.h. The shape every live market-data gateway has.
#include "ExampleGateway.h"

#include <cinttypes>
#include <stdexcept>

#include "common/StringPrintf.h"
#include "config/InstrumentRegistry.h"

namespace hft::gateways {

struct ExampleGateway::Impl {
  ExampleGatewayConfig config;
  const config::InstrumentRegistry& registry;
  interfaces::IEventSink* sink = nullptr;
  uint64_t frames = 0, reconnects = 0, parse_errors = 0;
  // venue: the BeastWebSocketClient, the parser, per-instrument sequence state.
};

ExampleGateway::ExampleGateway(ExampleGatewayConfig config, const config::InstrumentRegistry& registry)
    : impl_(std::make_unique<Impl>(Impl{std::move(config), registry})) {
  for (const std::string& s : impl_->config.symbols)
    if (registry.byVenueSymbol(common::exchangeFromString("examplex"), s) == nullptr)
      throw std::invalid_argument("examplex: symbol " + s + " is not in the instrument registry");
}

ExampleGateway::~ExampleGateway() = default;

void ExampleGateway::start(interfaces::IEventSink& sink) {
  impl_->sink = &sink;
  // venue: start the WebSocket; the subscription frame is sent on every (re)connection.
}

int ExampleGateway::poll() noexcept {
  // venue: drain frames; parse each into Trade / BookSnapshot / BookDelta / BestBidOffer and hand
  // them to impl_->sink->onEvent(). On a reconnect or a sequence break: a Gap per instrument,
  // then resync the book (REST snapshot, or the venue's next full book).
  return 0;
}

void ExampleGateway::stop() noexcept {
  // venue: stop the WebSocket client (joins its I/O thread).
}

std::vector<std::string> ExampleGateway::statusLines() const {
  return {common::stringPrintf("%s: %" PRIu64 " frames, %" PRIu64 " reconnects, %" PRIu64 " parse errors", name().c_str(),
                               impl_->frames, impl_->reconnects, impl_->parse_errors)};
}

}  // namespace hft::gateways
