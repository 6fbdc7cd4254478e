#pragma once
#include <algorithm>
#include <cstdint>

#include "common/Int128.h"
#include "execution_engine/sim/QueueModel.h"

namespace hft::execution_engine::sim {

/// Where one resting order stands in the FIFO queue of its price level, counted in displayed
/// quantity (our own orders are not in the venue's feed, so the displayed quantity is always
/// the others'). The arithmetic is documented in README.md ("Queue position"); these two
/// functions are all of it. noexcept, no allocation.
struct QueuePosition {
  int64_t ahead = 0;          ///< displayed quantity in front of us
  int64_t traded_unseen = 0;  ///< traded at our price since the book last changed our level

  /// A public trade of `qty` at our price against our side. The queue ahead shrinks by qty;
  /// returns the part of qty beyond the queue ahead (what would have reached us).
  int64_t onTrade(int64_t qty) noexcept {
    const int64_t reached = qty > ahead ? qty - ahead : 0;
    ahead = qty >= ahead ? 0 : ahead - qty;
    traded_unseen += qty;
    return reached;
  }

  /// The book shows our level going from `before` to `after` displayed quantity. A decrease
  /// is first explained by trades not yet seen in the book (traded_unseen); the rest are
  /// cancellations, assigned by the model. Afterwards the queue ahead never exceeds what is
  /// displayed, and traded_unseen is cleared (this update reflects every earlier trade).
  void onLevelChange(QueueModel model, int64_t before, int64_t after) noexcept {
    if (after < before) {
      const int64_t decrease = before - after;
      const int64_t explained = std::min(decrease, traded_unseen);
      const int64_t canceled = decrease - explained;
      if (canceled > 0 && ahead > 0) {
        if (model == QueueModel::Optimistic) {
          ahead -= std::min(ahead, canceled);
        } else if (model == QueueModel::Proportional) {
          // The level before these cancellations, net of the trades already taken off `ahead`.
          const int64_t level = before - explained;
          if (level > 0)
            ahead -= static_cast<int64_t>(static_cast<common::Int128>(canceled) * ahead / level);  // rounded down
        }
      }
    }
    traded_unseen = 0;
    ahead = std::clamp<int64_t>(ahead, 0, std::max<int64_t>(after, 0));
  }
};

}  // namespace hft::execution_engine::sim
