#include "strategy_engine/bars/VolumeBarBuilder.h"

#include <stdexcept>

namespace hft::strategy_engine {

VolumeBarBuilder::VolumeBarBuilder(int64_t volumeRaw, int priceScale, int qtyScale)
    : threshold_(volumeRaw), acc_(priceScale, qtyScale) {
  if (volumeRaw <= 0) throw std::invalid_argument("volume bar size must be > 0");
}

bool VolumeBarBuilder::onTrade(const common::Trade& t) noexcept {
  acc_.add(t);
  last_ = common::eventTime(t.header);
  if (acc_.volume() < threshold_) return false;
  close();
  return true;
}

bool VolumeBarBuilder::flush() noexcept {
  if (acc_.empty()) return false;
  close();
  return true;
}

}  // namespace hft::strategy_engine
