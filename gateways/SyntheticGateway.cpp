#include "gateways/SyntheticGateway.h"

#include <stdexcept>
#include <utility>

namespace hft::gateways {

SyntheticGateway::SyntheticGateway(SyntheticConfig cfg, int maxEventsPerPoll)
    : market_(std::move(cfg)), maxEventsPerPoll_(maxEventsPerPoll) {
  if (maxEventsPerPoll_ < 1) throw std::invalid_argument("SyntheticGateway: maxEventsPerPoll must be >= 1");
}

int SyntheticGateway::poll() noexcept {
  if (sink_ == nullptr) return 0;
  int n = 0;
  while (n < maxEventsPerPoll_ && market_.next(buffer_)) {
    sink_->onEvent(buffer_.header());
    ++n;
  }
  return n;
}

}  // namespace hft::gateways
