#pragma once
#include "common/EventHeader.h"

namespace hft::interfaces {

/// Where a gateway delivers normalized events. The datafeed's sink stamps the publish time
/// and puts the event on the market-data ring; tests use an in-memory sink.
class IEventSink {
 public:
  virtual ~IEventSink() = default;
  /// Takes a complete event (header.size bytes). Called on the gateway's thread.
  virtual void onEvent(common::EventHeader& event) noexcept = 0;
};

}  // namespace hft::interfaces
