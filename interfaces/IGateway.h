#pragma once
#include <string>
#include <vector>

#include "interfaces/IEventSink.h"

namespace hft::interfaces {

/// A source of market data for the datafeed: a venue connection, a replay of recorded
/// sessions, or the synthetic market. Runs as an agent: the datafeed calls poll() in its
/// loop; poll returns how much work it did (0 = idle, the wait strategy decides what next).
class IGateway {
 public:
  virtual ~IGateway() = default;
  /// Human-readable name for logs ("synthetic", "binance", "replay").
  virtual std::string name() const = 0;
  /// Connects / opens; throws on configuration errors.
  virtual void start(IEventSink& sink) = 0;
  /// Delivers ready events to the sink; returns the number delivered.
  virtual int poll() noexcept = 0;
  /// True once a finite source (replay, bounded synthetic run) has delivered everything.
  virtual bool finished() const noexcept = 0;
  virtual void stop() noexcept = 0;

  /// True for a live venue: its events are published as they arrive, never paced by event
  /// time (a replay or the synthetic market is paced by the datafeed's --speed).
  virtual bool isLive() const noexcept { return false; }
  /// What the source did, one line each, for the datafeed's exit summary (cold: after stop()).
  /// Lines start with the gateway's name ("binance: 1200 frames, 0 reconnects, ...").
  virtual std::vector<std::string> statusLines() const { return {}; }
};

}  // namespace hft::interfaces
