#pragma once
// IGateway over recorded sessions: reads one or many .bin.lz4 files, merges them by exchange
// time (receive time where the venue gives none), and hands the market-data events to the
// datafeed exactly as a live gateway would. Strategies cannot tell the difference.
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "common/Events.h"
#include "data_store/recording/SessionReader.h"
#include "interfaces/IGateway.h"

namespace hft::gateways {

struct ReplayOptions {
  std::vector<std::string> files;
  common::TimestampNs from_ns = 0;                                         ///< inclusive
  common::TimestampNs to_ns = std::numeric_limits<common::TimestampNs>::max();  ///< inclusive
  std::vector<common::InstrumentId> instruments;  ///< empty = all
  int max_events_per_poll = 256;
};

class ReplayGateway final : public interfaces::IGateway {
 public:
  /// Opens every file now: a file that is missing, not LZ4, not a session or of another
  /// schema version is a std::runtime_error naming it (nothing is replayed).
  explicit ReplayGateway(ReplayOptions opts);
  ~ReplayGateway() override;

  std::string name() const override { return "replay"; }
  void start(interfaces::IEventSink& sink) override { sink_ = &sink; }
  /// Delivers up to max_events_per_poll events in merged time order. A file that turns out
  /// damaged stops at the damage (everything before it was delivered) and is recorded in
  /// errors(); the other files go on.
  int poll() noexcept override;
  bool finished() const noexcept override { return live_ == 0; }
  void stop() noexcept override { sink_ = nullptr; }

  /// "file: where and why it stopped" for each damaged file.
  const std::vector<std::string>& errors() const noexcept { return errors_; }
  uint64_t delivered() const noexcept { return delivered_; }
  /// Market-data types are replayed; bus bookkeeping (heartbeats, start/end markers, order
  /// flow) is not, because the replaying datafeed and executor make their own.
  static bool replayed(common::EventType t) noexcept;

 private:
  struct Source {
    std::unique_ptr<data_store::recording::SessionReader> reader;
    const common::EventHeader* head = nullptr;  ///< next event to deliver (peeked)
    bool done = false;
  };
  void advance(Source& s) noexcept;
  static common::TimestampNs key(const common::EventHeader& e) noexcept { return common::eventTime(e); }
  bool wanted(const common::EventHeader& e) const noexcept;

  ReplayOptions opts_;
  std::vector<Source> sources_;
  size_t live_ = 0;
  interfaces::IEventSink* sink_ = nullptr;
  common::EventBuffer buf_{};
  std::vector<std::string> errors_;
  uint64_t delivered_ = 0;
};

}  // namespace hft::gateways
