#pragma once
#include "common/events/OrderRequest.h"

namespace hft::strategy_engine {

/// Where the host puts the order requests strategies make: the runner's shared-memory queue
/// to the executor, or a vector in tests.
class IOrderSink {
 public:
  virtual ~IOrderSink() = default;
  /// False when the request could not be queued (queue full): the host refuses the order.
  [[nodiscard]] virtual bool send(const common::OrderRequest& request) noexcept = 0;
};

}  // namespace hft::strategy_engine
