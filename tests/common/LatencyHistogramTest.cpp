#include "common/LatencyHistogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

using hft::common::LatencyHistogram;

TEST(LatencyHistogram, smallValuesAreExact) {
  LatencyHistogram h;
  for (int v = 0; v < 64; ++v) h.record(v);
  EXPECT_EQ(h.count(), 64u);
  EXPECT_EQ(h.percentile(0.0), 0u);
  EXPECT_EQ(h.percentile(0.5), 32u);
  EXPECT_EQ(h.max(), 63u);
}

TEST(LatencyHistogram, percentilesStayWithinTheBucketErrorOfExactOnes) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(5.0, 1.2);  // latency-like: long right tail
  std::vector<uint64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 100'000; ++i) {
    const auto v = static_cast<uint64_t>(dist(rng));
    values.push_back(v);
    h.record(static_cast<int64_t>(v));
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = static_cast<double>(values[static_cast<size_t>(q * static_cast<double>(values.size()))]);
    const double got = static_cast<double>(h.percentile(q));
    EXPECT_NEAR(got, exact, exact * 0.04 + 1) << "q=" << q;
  }
  EXPECT_EQ(h.max(), values.back());
}

TEST(LatencyHistogram, negativeValuesCountAsZeroAndMergeAddsUp) {
  LatencyHistogram a, b;
  a.record(-5);
  b.record(1'000'000);
  a.merge(b);
  EXPECT_EQ(a.count(), 2u);
  EXPECT_EQ(a.min(), 0u);
  EXPECT_EQ(a.max(), 1'000'000u);
  EXPECT_EQ(a.percentile(1.0), 1'000'000u);
}
