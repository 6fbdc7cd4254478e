// Golden cases of the text exposition format 0.0.4 (common/metrics/PrometheusText.h).
#include <gtest/gtest.h>

#include <cstdint>

#include "common/metrics/MetricsRegistry.h"
#include "common/metrics/PrometheusText.h"

using namespace hft::common::metrics;

namespace {
std::string render(const MetricsRegistry& r) { return renderPrometheusText(r.snapshot()); }
}  // namespace

TEST(PrometheusText, rendersACounterWithHelpAndType) {
  MetricsRegistry r;
  r.counter("hft_requests_total", "Requests handled").add(42);
  EXPECT_EQ(render(r),
            "# HELP hft_requests_total Requests handled\n"
            "# TYPE hft_requests_total counter\n"
            "hft_requests_total 42\n");
}

TEST(PrometheusText, rendersGaugesAtTheirFixedPointScale) {
  MetricsRegistry r;
  r.gauge("hft_pnl", "PnL", {}, 8).set(-150'000'000);
  r.gauge("hft_qty", "Quantity", {}, 3).set(2'500);
  r.gauge("hft_zero", "Zero", {}, 8).set(0);
  EXPECT_EQ(render(r),
            "# HELP hft_pnl PnL\n# TYPE hft_pnl gauge\nhft_pnl -1.5\n"
            "# HELP hft_qty Quantity\n# TYPE hft_qty gauge\nhft_qty 2.5\n"
            "# HELP hft_zero Zero\n# TYPE hft_zero gauge\nhft_zero 0\n");
}

TEST(PrometheusText, formatsDecimalsExactly) {
  EXPECT_EQ(formatDecimal({0, 0}), "0");
  EXPECT_EQ(formatDecimal({7, 0}), "7");
  EXPECT_EQ(formatDecimal({1, 8}), "0.00000001");
  EXPECT_EQ(formatDecimal({-1, 8}), "-0.00000001");
  EXPECT_EQ(formatDecimal({1'000'000'000, 9}), "1");
  EXPECT_EQ(formatDecimal({12'345, 2}), "123.45");
  EXPECT_EQ(formatDecimal({INT64_MIN, 0}), "-9223372036854775808");
  EXPECT_EQ(formatDecimal({INT64_MAX, 18}), "9.223372036854775807");
}

TEST(PrometheusText, rendersLabelledSeriesOfOneFamilyUnderOneHeader) {
  MetricsRegistry r;
  r.counter("hft_events_total", "Events", {{"type", "Trade"}}).set(3);
  r.gauge("hft_lag", "Lag", {{"ring", "md"}}).set(7);
  r.counter("hft_events_total", "Events", {{"type", "BookDelta"}}).set(5);
  EXPECT_EQ(render(r),
            "# HELP hft_events_total Events\n"
            "# TYPE hft_events_total counter\n"
            "hft_events_total{type=\"Trade\"} 3\n"
            "hft_events_total{type=\"BookDelta\"} 5\n"
            "# HELP hft_lag Lag\n"
            "# TYPE hft_lag gauge\n"
            "hft_lag{ring=\"md\"} 7\n");
}

TEST(PrometheusText, escapesLabelValuesAndHelpText) {
  MetricsRegistry r;
  r.counter("hft_x_total", "Back\\slash and\nnewline \"quotes stay\"", {{"path", "C:\\dir \"a\"\nb"}, {"empty", ""}}).set(1);
  EXPECT_EQ(render(r),
            "# HELP hft_x_total Back\\\\slash and\\nnewline \"quotes stay\"\n"
            "# TYPE hft_x_total counter\n"
            "hft_x_total{path=\"C:\\\\dir \\\"a\\\"\\nb\",empty=\"\"} 1\n");
}

TEST(PrometheusText, rendersHistogramsWithCumulativeBucketsInfSumAndCount) {
  MetricsRegistry r;
  auto& h = r.histogram("hft_latency_seconds", "Latency", {}, {10, 100}, 3);  // ms -> seconds
  for (const int64_t v : {5, 50, 50, 500}) h.observe(v);
  EXPECT_EQ(render(r),
            "# HELP hft_latency_seconds Latency\n"
            "# TYPE hft_latency_seconds histogram\n"
            "hft_latency_seconds_bucket{le=\"0.01\"} 1\n"
            "hft_latency_seconds_bucket{le=\"0.1\"} 3\n"
            "hft_latency_seconds_bucket{le=\"+Inf\"} 4\n"
            "hft_latency_seconds_sum 0.605\n"
            "hft_latency_seconds_count 4\n");
}

TEST(PrometheusText, putsTheBucketBoundAfterTheSeriesLabels) {
  MetricsRegistry r;
  auto& h = r.histogram("hft_size", "Sizes", {{"ring", "md"}}, {8}, 0);
  h.observe(8);  // bounds are inclusive
  h.observe(9);
  EXPECT_EQ(render(r),
            "# HELP hft_size Sizes\n"
            "# TYPE hft_size histogram\n"
            "hft_size_bucket{ring=\"md\",le=\"8\"} 1\n"
            "hft_size_bucket{ring=\"md\",le=\"+Inf\"} 2\n"
            "hft_size_sum{ring=\"md\"} 17\n"
            "hft_size_count{ring=\"md\"} 2\n");
}

TEST(PrometheusText, anEmptyHistogramStillHasAllItsLines) {
  MetricsRegistry r;
  r.histogram("hft_h", "H", {}, {1}, 0);
  EXPECT_EQ(render(r),
            "# HELP hft_h H\n# TYPE hft_h histogram\n"
            "hft_h_bucket{le=\"1\"} 0\nhft_h_bucket{le=\"+Inf\"} 0\nhft_h_sum 0\nhft_h_count 0\n");
}

TEST(PrometheusText, mergesCollectorSeriesIntoARegisteredFamilyAndDropsDuplicates) {
  MetricsRegistry r;
  r.gauge("hft_lag", "Lag", {{"a", "1"}, {"b", "2"}}).set(1);
  r.addCollector([](std::vector<FamilySnapshot>& out) {
    addSample(out, "hft_lag", "Lag", MetricType::Gauge, {{"b", "2"}, {"a", "1"}}, {99, 0});  // same series, other order
    addSample(out, "hft_lag", "Lag", MetricType::Gauge, {{"a", "3"}}, {3, 0});
    addSample(out, "hft_other", "Other", MetricType::Counter, {}, {4, 0});
    addSample(out, "hft_other", "Other", MetricType::Counter, {}, {5, 0});  // duplicate: dropped
  });
  EXPECT_EQ(render(r),
            "# HELP hft_lag Lag\n# TYPE hft_lag gauge\n"
            "hft_lag{a=\"1\",b=\"2\"} 1\n"
            "hft_lag{a=\"3\"} 3\n"
            "# HELP hft_other Other\n# TYPE hft_other counter\n"
            "hft_other 4\n");
}

TEST(PrometheusText, dropsACollectorFamilyThatClashesWithARegisteredType) {
  MetricsRegistry r;
  r.counter("hft_x_total", "X").set(1);
  r.addCollector([](std::vector<FamilySnapshot>& out) {
    addSample(out, "hft_x_total", "X", MetricType::Gauge, {{"a", "b"}}, {2, 0});
  });
  EXPECT_EQ(render(r), "# HELP hft_x_total X\n# TYPE hft_x_total counter\nhft_x_total 1\n");
}

TEST(PrometheusText, omitsFamiliesWithoutSeriesAndNeverRepeatsAHeader) {
  std::vector<FamilySnapshot> f;
  familyOf(f, "hft_empty", "Empty", MetricType::Gauge);
  addSample(f, "hft_a", "A", MetricType::Gauge, {}, {1, 0});
  f.push_back({"hft_a", "A", MetricType::Gauge, {SeriesSnapshot{{{"k", "v"}}, {2, 0}, {}, {}, 0}}});
  EXPECT_EQ(renderPrometheusText(f), "# HELP hft_a A\n# TYPE hft_a gauge\nhft_a 1\n");
}
