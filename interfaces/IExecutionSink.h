#pragma once
#include "common/events/BalanceUpdate.h"
#include "common/events/ExecutionReport.h"

namespace hft::interfaces {

/// Where an order gateway (IOrderGateway) delivers what its venue says: execution reports
/// for our orders and balance changes of the account. The executor's sink journals them,
/// updates the OMS and publishes them on the execution ring; tests use an in-memory sink.
///
/// Called on the executor thread, and only from inside IOrderGateway::poll(): never from
/// send() or query(), so the OMS is never re-entered while it is in the middle of sending.
/// The reference is valid for the duration of the call only (copy what you keep).
class IExecutionSink {
 public:
  virtual ~IExecutionSink() = default;
  /// One report of one of our orders (ack, fill, cancel, reject, expiry, query answer).
  /// header.sequence and header.publish_ts_ns are 0: the publisher stamps them.
  virtual void onExecutionReport(const common::ExecutionReport& report) noexcept = 0;
  /// The venue's view of one asset's balance (a full refresh has delta 0).
  virtual void onBalanceUpdate(const common::BalanceUpdate& balance) noexcept = 0;
};

}  // namespace hft::interfaces
