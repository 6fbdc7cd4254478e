#pragma once
#include <cstddef>
#include <cstdint>

#include "execution_engine/sim/LatencyModel.h"
#include "execution_engine/sim/Rng.h"

namespace hft::execution_engine::sim {

/// Draws latencies from a LatencyModel. The sequence depends only on the model (its seed, its
/// samples) and on how many draws were made before: two samplers built from equal models give
/// equal sequences.
class LatencySampler {
 public:
  /// Throws std::invalid_argument on an inconsistent model (negative values, min above max,
  /// Replayed without samples): start-up only.
  explicit LatencySampler(LatencyModel model);

  /// The next latency in ns, >= 0. Never throws, never allocates.
  int64_t next() noexcept;

  const LatencyModel& model() const noexcept { return m_; }

 private:
  LatencyModel m_;
  Rng rng_;
  size_t nextSample_ = 0;
};

}  // namespace hft::execution_engine::sim
