#pragma once
// In-memory sinks for the conformance suites: every event / report / balance a gateway
// delivers, copied, in arrival order.
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "common/Events.h"
#include "interfaces/IEventSink.h"
#include "interfaces/IExecutionSink.h"

namespace hft::test::conformance {

/// Market data. `observer` (optional) sees each event as it arrives (the book checker).
class RecordingEventSink final : public interfaces::IEventSink {
 public:
  std::function<void(const common::EventBuffer&)> observer;
  std::vector<common::EventBuffer> events;
  std::vector<std::string> malformed;  ///< events with a bad size for their type

  void onEvent(common::EventHeader& e) noexcept override {
    if (!common::isValidEventSize(e.type, e.size) || e.size > sizeof(common::EventBuffer)) {
      malformed.push_back("type " + std::to_string(static_cast<int>(e.type)) + " size " + std::to_string(e.size));
      return;
    }
    common::EventBuffer b;
    std::memset(b.bytes, 0, sizeof b.bytes);
    std::memcpy(b.bytes, &e, e.size);
    events.push_back(b);
    if (observer) observer(events.back());
  }
  /// Events of `type` for `instrument` (0 = any) from index `from` on.
  size_t count(common::EventType type, common::InstrumentId instrument = 0, size_t from = 0) const {
    size_t n = 0;
    for (size_t i = from; i < events.size(); ++i)
      if (events[i].header().type == type && (instrument == 0 || events[i].header().instrument_id == instrument)) ++n;
    return n;
  }
};

/// Order entry.
class RecordingExecutionSink final : public interfaces::IExecutionSink {
 public:
  std::vector<common::ExecutionReport> reports;
  std::vector<common::BalanceUpdate> balances;

  void onExecutionReport(const common::ExecutionReport& r) noexcept override { reports.push_back(r); }
  void onBalanceUpdate(const common::BalanceUpdate& b) noexcept override { balances.push_back(b); }

  /// Reports about order `id` (its own or, for cancels, as the order acted on), from index `from`.
  std::vector<common::ExecutionReport> about(common::ClientOrderId id, size_t from = 0) const {
    std::vector<common::ExecutionReport> out;
    for (size_t i = from; i < reports.size(); ++i)
      if (reports[i].client_order_id == id || reports[i].orig_client_order_id == id) out.push_back(reports[i]);
    return out;
  }
  const common::ExecutionReport* find(common::ClientOrderId id, common::ExecType type, size_t from = 0) const {
    for (size_t i = from; i < reports.size(); ++i)
      if ((reports[i].client_order_id == id || reports[i].orig_client_order_id == id) && reports[i].exec_type == type)
        return &reports[i];
    return nullptr;
  }
  /// The last balance reported for `asset`; nullptr when none was.
  const common::BalanceUpdate* lastBalance(const std::string& asset) const {
    for (auto it = balances.rbegin(); it != balances.rend(); ++it)
      if (std::strncmp(it->asset, asset.c_str(), sizeof it->asset) == 0) return &*it;
    return nullptr;
  }
};

}  // namespace hft::test::conformance
