#pragma once
// IGateway over several IGateways in one datafeed: e.g. Binance and Upbit market data on one bus
// from one process. Each member delivers straight to the datafeed's sink, so its events keep
// their own exchange ids and nothing is copied or allocated per event.
//
// Order: every poll() polls each unfinished member once, in construction order, and returns the
// sum. Events of one member stay in that member's order; events of different members are
// interleaved as they arrive (live venues have no common clock). A replay that must be merged by
// exchange time is one ReplayGateway over all the files, not a composite of replays.
//
// All calls on the datafeed's thread (the members deliver on the polling thread too).
#include <memory>
#include <string>
#include <vector>

#include "interfaces/IGateway.h"

namespace hft::gateways {

class CompositeGateway final : public interfaces::IGateway {
 public:
  /// Takes the members. Throws std::invalid_argument when there are none or one is null.
  explicit CompositeGateway(std::vector<std::unique_ptr<interfaces::IGateway>> members);
  ~CompositeGateway() override;
  CompositeGateway(const CompositeGateway&) = delete;
  CompositeGateway& operator=(const CompositeGateway&) = delete;

  /// The members' names joined by '+' ("binance+upbit").
  std::string name() const override { return name_; }
  /// Starts every member, in order, on `sink`. When one throws, the members already started are
  /// stopped (in reverse order) and the exception propagates: nothing is left running.
  void start(interfaces::IEventSink& sink) override;
  /// Polls each member that has not finished once; returns the events delivered in total.
  int poll() noexcept override;
  /// True once every member has finished (never, while one is a live venue).
  bool finished() const noexcept override;
  /// Stops every member, in reverse order. Idempotent, like the members' own stop().
  void stop() noexcept override;
  /// True when any member is a live venue (the datafeed must not pace by event time then).
  bool isLive() const noexcept override;
  /// Every member's lines, in order.
  std::vector<std::string> statusLines() const override;

  size_t size() const noexcept { return members_.size(); }
  /// The i-th member, e.g. to read its counters at exit (i < size()).
  interfaces::IGateway& member(size_t i) noexcept { return *members_[i]; }
  const interfaces::IGateway& member(size_t i) const noexcept { return *members_[i]; }

 private:
  std::vector<std::unique_ptr<interfaces::IGateway>> members_;
  std::string name_;
};

}  // namespace hft::gateways
