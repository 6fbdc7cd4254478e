#pragma once
#include <cstdint>
#include <vector>

#include "common/events/ExecutionReport.h"

namespace hft::execution_engine::sim {

/// How long one leg of the order path takes, in nanoseconds of event time. A plain description
/// (configuration); LatencySampler draws from it.
struct LatencyModel {
  enum Kind : uint8_t {
    Constant = 0,   ///< always constant_ns
    Uniform = 1,    ///< uniform integer in [min_ns, max_ns]
    LogNormal = 2,  ///< exp(mu + sigma * N(0,1)) ns, rounded, then clamped to [min_ns, max_ns] (max_ns 0 = no cap)
    Replayed = 3,   ///< samples, in order, cyclically (e.g. measured from a live recording)
  };
  Kind kind = Constant;
  int64_t constant_ns = 1'000'000;
  int64_t min_ns = 0;
  int64_t max_ns = 0;
  double mu = 0.0;     ///< LogNormal: mean of ln(ns); the median latency is exp(mu) ns
  double sigma = 0.0;  ///< LogNormal: standard deviation of ln(ns)
  uint64_t seed = 1;   ///< Uniform, LogNormal
  /// Replayed: decision-to-venue times measured from a live recording's ExecutionReports
  /// (venue_ts_ns - local_send_ts_ns of each order's New ack), drawn in order cyclically.
  std::vector<int64_t> samples;

  /// The smallest latency next() can return: the lookahead of a lockstep backtest
  /// (data_store/LockstepClock.h) is built from it.
  int64_t minimum() const noexcept {
    switch (kind) {
      case Constant:
        return constant_ns;
      case Uniform:
      case LogNormal:
        return min_ns;
      case Replayed: {
        int64_t m = samples.empty() ? 0 : samples.front();
        for (const int64_t s : samples) m = s < m ? s : m;
        return m;
      }
    }
    return 0;
  }

  static LatencyModel constant(int64_t ns) {
    LatencyModel m;
    m.constant_ns = ns;
    return m;
  }

  /// Appends the one-way time of a live New ack to samples; false (nothing added) for other
  /// reports and for reports without both timestamps or with venue_ts before local_send_ts.
  bool addSample(const common::ExecutionReport& r) {
    if (r.exec_type != common::ExecType::New || r.local_send_ts_ns <= 0 || r.venue_ts_ns < r.local_send_ts_ns)
      return false;
    samples.push_back(r.venue_ts_ns - r.local_send_ts_ns);
    return true;
  }
};

}  // namespace hft::execution_engine::sim
