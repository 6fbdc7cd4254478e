// Registration rules and cell behaviour of common/metrics/MetricsRegistry.h.
#include <gtest/gtest.h>

#include <stdexcept>
#include <type_traits>

#include "common/metrics/MetricsRegistry.h"

using namespace hft::common::metrics;

static_assert(noexcept(std::declval<Counter&>().add(1)) && noexcept(std::declval<Counter&>().set(1)));
static_assert(noexcept(std::declval<Gauge&>().set(1)) && noexcept(std::declval<Histogram&>().observe(1)));

TEST(MetricsRegistry, rejectsInvalidMetricAndLabelNames) {
  MetricsRegistry r;
  EXPECT_THROW(r.counter("", "h"), std::invalid_argument);
  EXPECT_THROW(r.counter("9lives", "h"), std::invalid_argument);
  EXPECT_THROW(r.counter("has-dash", "h"), std::invalid_argument);
  EXPECT_THROW(r.counter("ok_total", "h", {{"bad-label", "v"}}), std::invalid_argument);
  EXPECT_THROW(r.counter("ok_total", "h", {{"__reserved", "v"}}), std::invalid_argument);
  EXPECT_THROW(r.counter("ok_total", "h", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
  EXPECT_NO_THROW(r.counter("ns:ok_total", "h", {{"_a1", "any \"value\" at all"}}));
}

TEST(MetricsRegistry, refusesASecondSeriesWithTheSameLabelsInAnyOrder) {
  MetricsRegistry r;
  r.counter("x_total", "h", {{"a", "1"}, {"b", "2"}});
  EXPECT_THROW(r.counter("x_total", "h", {{"b", "2"}, {"a", "1"}}), std::invalid_argument);
  EXPECT_NO_THROW(r.counter("x_total", "h", {{"a", "1"}, {"b", "3"}}));
}

TEST(MetricsRegistry, refusesANameReusedWithAnotherTypeOrHelp) {
  MetricsRegistry r;
  r.counter("x_total", "h", {{"a", "1"}});
  EXPECT_THROW(r.gauge("x_total", "h", {{"a", "2"}}), std::invalid_argument);
  EXPECT_THROW(r.counter("x_total", "other help", {{"a", "2"}}), std::invalid_argument);
}

TEST(MetricsRegistry, reservesLeForBucketsAndNeedsIncreasingBounds) {
  MetricsRegistry r;
  EXPECT_THROW(r.histogram("h", "h", {{"le", "1"}}, {1, 2}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h", "h", {}, {2, 2}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h", "h", {}, {3, 1}), std::invalid_argument);
  EXPECT_THROW(r.gauge("g", "h", {}, 19), std::invalid_argument);
  EXPECT_NO_THROW(r.histogram("h", "h", {}, {1, 2}));
}

TEST(MetricsRegistry, cellsStayPutWhileMoreSeriesAreRegistered) {
  MetricsRegistry r;
  Counter& first = r.counter("c_total", "h", {{"i", "0"}});
  Gauge& g = r.gauge("g", "h");
  for (int i = 1; i < 500; ++i) r.counter("c_total", "h", {{"i", std::to_string(i)}});
  for (int i = 0; i < 100; ++i) {
    std::string name = "g";
    name.append(std::to_string(i));
    r.gauge(name, "h");
  }
  first.add(2);
  first.add();
  g.set(-4);
  const auto snap = r.snapshot();
  ASSERT_EQ(snap.size(), 102u);
  EXPECT_EQ(snap[0].series[0].value.raw, 3);
  EXPECT_EQ(snap[0].series.size(), 500u);
  EXPECT_EQ(snap[1].series[0].value.raw, -4);
}

TEST(MetricsRegistry, counterSetCopiesAnOwnersPlainTotal) {
  MetricsRegistry r;
  Counter& c = r.counter("c_total", "h");
  uint64_t plain = 0;
  for (int i = 0; i < 10; ++i) ++plain;
  c.set(plain);
  EXPECT_EQ(c.value(), 10u);
}

TEST(MetricsRegistry, histogramCountAlwaysEqualsTheSumOfItsBuckets) {
  MetricsRegistry r;
  Histogram& h = r.histogram("h", "h", {}, {0, 10, 20});
  for (int64_t v = -5; v < 40; ++v) h.observe(v);
  const auto s = r.snapshot()[0].series[0];
  ASSERT_EQ(s.buckets.size(), 3u);
  EXPECT_EQ(s.buckets[0].cumulative, 6u);   // -5..0
  EXPECT_EQ(s.buckets[1].cumulative, 16u);  // ..10
  EXPECT_EQ(s.buckets[2].cumulative, 26u);  // ..20
  EXPECT_EQ(s.count, 45u);
  int64_t sum = 0;
  for (int64_t v = -5; v < 40; ++v) sum += v;
  EXPECT_EQ(s.sum.raw, sum);
}
