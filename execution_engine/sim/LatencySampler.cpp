#include "execution_engine/sim/LatencySampler.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace hft::execution_engine::sim {

namespace {

void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("latency model: ") + what);
}

}  // namespace

LatencySampler::LatencySampler(LatencyModel model) : m_(std::move(model)), rng_(m_.seed) {
  switch (m_.kind) {
    case LatencyModel::Constant:
      require(m_.constant_ns >= 0, "constant_ns must be >= 0");
      break;
    case LatencyModel::Uniform:
      require(m_.min_ns >= 0 && m_.min_ns <= m_.max_ns, "uniform needs 0 <= min_ns <= max_ns");
      break;
    case LatencyModel::LogNormal:
      require(std::isfinite(m_.mu) && std::isfinite(m_.sigma) && m_.sigma >= 0,
              "lognormal needs finite mu and sigma >= 0");
      require(m_.min_ns >= 0 && (m_.max_ns == 0 || m_.max_ns >= m_.min_ns),
              "lognormal needs 0 <= min_ns <= max_ns (or max_ns 0)");
      break;
    case LatencyModel::Replayed:
      require(!m_.samples.empty(), "replayed needs at least one sample");
      for (int64_t s : m_.samples) require(s >= 0, "replayed samples must be >= 0");
      break;
    default:
      require(false, "unknown kind");
  }
}

int64_t LatencySampler::next() noexcept {
  switch (m_.kind) {
    case LatencyModel::Constant:
      return m_.constant_ns;
    case LatencyModel::Uniform:
      return rng_.uniformInt(m_.min_ns, m_.max_ns);
    case LatencyModel::LogNormal: {
      const double v = std::exp(m_.mu + m_.sigma * rng_.normal());
      // 9.2e18 < INT64_MAX: the cast below is always defined (and a latency that large is absurd).
      int64_t ns = v < 9.2e18 ? static_cast<int64_t>(v + 0.5) : static_cast<int64_t>(9.2e18);
      if (ns < m_.min_ns) ns = m_.min_ns;
      if (m_.max_ns != 0 && ns > m_.max_ns) ns = m_.max_ns;
      return ns;
    }
    case LatencyModel::Replayed: {
      const int64_t ns = m_.samples[nextSample_];
      if (++nextSample_ == m_.samples.size()) nextSample_ = 0;
      return ns;
    }
  }
  return 0;
}

}  // namespace hft::execution_engine::sim
