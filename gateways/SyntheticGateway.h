#pragma once
#include <string>

#include "common/Events.h"
#include "gateways/SyntheticMarket.h"
#include "interfaces/IGateway.h"

namespace hft::gateways {

/// IGateway over a SyntheticMarket: each poll() hands the sink up to maxEventsPerPoll events
/// as fast as it can. Event-time pacing is the datafeed's job, not this class's.
/// All calls on the datafeed's thread.
class SyntheticGateway final : public interfaces::IGateway {
 public:
  /// Throws std::invalid_argument on a bad config or maxEventsPerPoll < 1.
  explicit SyntheticGateway(SyntheticConfig cfg, int maxEventsPerPoll = 256);

  std::string name() const override { return "synthetic"; }
  /// Starts (or resumes after stop()) delivering to `sink`, which must outlive the gateway's use.
  void start(interfaces::IEventSink& sink) override { sink_ = &sink; }
  /// Delivers up to maxEventsPerPoll events; 0 before start(), after stop() or once finished.
  int poll() noexcept override;
  /// True once a bounded run (max_events > 0) has delivered every event.
  bool finished() const noexcept override { return market_.exhausted(); }
  void stop() noexcept override { sink_ = nullptr; }

  const SyntheticMarket& market() const noexcept { return market_; }

 private:
  SyntheticMarket market_;
  int maxEventsPerPoll_;
  interfaces::IEventSink* sink_ = nullptr;
  common::EventBuffer buffer_{};
};

}  // namespace hft::gateways
