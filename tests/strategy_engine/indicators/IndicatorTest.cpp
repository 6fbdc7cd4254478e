// Indicators (strategy_engine/indicators/) against values computed independently here: window
// statistics recomputed from scratch at every step, EMA as its closed-form weighted sum, RSI
// and MACD by direct whole-series implementations, and Wilder's RSI example as published.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "strategy_engine/indicators/BollingerBands.h"
#include "strategy_engine/indicators/Ema.h"
#include "strategy_engine/indicators/Macd.h"
#include "strategy_engine/indicators/RollingVwap.h"
#include "strategy_engine/indicators/Rsi.h"
#include "strategy_engine/indicators/Sma.h"
#include "strategy_engine/indicators/Vwap.h"

using namespace hft::strategy_engine;

namespace {

constexpr double kRel = 1e-9;

/// |got - want| within kRel of want's magnitude (of `scale` for values near zero).
#define EXPECT_CLOSE(got, want, scale) \
  EXPECT_NEAR((got), (want), kRel * std::max(std::abs(want), (scale)))

std::vector<double> randomWalk(size_t n, double start, double step, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> d(0.0, step);
  std::vector<double> xs(n);
  double x = start;
  for (auto& v : xs) {
    x += d(rng);
    v = x;
  }
  return xs;
}

/// Mean of xs[end - n, end).
double windowMean(const std::vector<double>& xs, size_t end, size_t n) {
  double s = 0;
  for (size_t i = end - n; i < end; ++i) s += xs[i];
  return s / static_cast<double>(n);
}

double windowPopulationStd(const std::vector<double>& xs, size_t end, size_t n) {
  const double m = windowMean(xs, end, n);
  double s = 0;
  for (size_t i = end - n; i < end; ++i) s += (xs[i] - m) * (xs[i] - m);
  return std::sqrt(s / static_cast<double>(n));
}

/// EMA at every index >= n - 1 (NaN before): the seed's weight (1 - a)^k plus the weighted
/// sum of the k values after it, computed as a sum, not by the recurrence.
std::vector<double> referenceEma(const std::vector<double>& xs, size_t n) {
  const double a = 2.0 / (static_cast<double>(n) + 1.0);
  std::vector<double> out(xs.size(), NAN);
  if (xs.size() < n) return out;
  const double seed = windowMean(xs, n, n);
  for (size_t t = n - 1; t < xs.size(); ++t) {
    const size_t k = t - (n - 1);
    double v = std::pow(1.0 - a, static_cast<double>(k)) * seed;
    for (size_t j = n; j <= t; ++j) v += a * std::pow(1.0 - a, static_cast<double>(t - j)) * xs[j];
    out[t] = v;
  }
  return out;
}

/// Wilder RSI at every index >= n (NaN before).
std::vector<double> referenceRsi(const std::vector<double>& xs, size_t n) {
  std::vector<double> out(xs.size(), NAN);
  double gain = 0, loss = 0;
  for (size_t i = 1; i < xs.size(); ++i) {
    const double c = xs[i] - xs[i - 1];
    const double g = std::max(c, 0.0), l = std::max(-c, 0.0);
    if (i <= n) {
      gain += g / static_cast<double>(n);
      loss += l / static_cast<double>(n);
    } else {
      gain = (gain * static_cast<double>(n - 1) + g) / static_cast<double>(n);
      loss = (loss * static_cast<double>(n - 1) + l) / static_cast<double>(n);
    }
    if (i >= n) out[i] = loss == 0 ? (gain == 0 ? 50.0 : 100.0) : 100.0 * gain / (gain + loss);
  }
  return out;
}

TEST(Sma, matchesTheMeanOfTheWindowRecomputedAtEveryStep) {
  const auto xs = randomWalk(20000, 100.0, 0.5, 1);
  for (const uint32_t n : {1u, 2u, 20u, 200u}) {
    Sma sma(n);
    for (size_t i = 0; i < xs.size(); ++i) {
      ASSERT_EQ(sma.update(xs[i]), i + 1 >= n);
      const size_t w = std::min<size_t>(n, i + 1);
      EXPECT_CLOSE(sma.value(), windowMean(xs, i + 1, w), 1.0) << "n " << n << " i " << i;
      if (HasFailure()) return;
    }
  }
}

TEST(BollingerBands, matchesThePopulationDeviationOfTheWindowRecomputedAtEveryStep) {
  const auto xs = randomWalk(20000, 100.0, 0.5, 2);
  BollingerBands bb(20, 2.0);
  for (size_t i = 0; i < xs.size(); ++i) {
    ASSERT_EQ(bb.update(xs[i]), i >= 19);
    const size_t w = std::min<size_t>(20, i + 1);
    const double m = windowMean(xs, i + 1, w), sd = windowPopulationStd(xs, i + 1, w);
    EXPECT_CLOSE(bb.middle(), m, 1.0);
    EXPECT_CLOSE(bb.stddev(), sd, 1e-3);
    EXPECT_CLOSE(bb.upper(), m + 2 * sd, 1.0);
    EXPECT_CLOSE(bb.lower(), m - 2 * sd, 1.0);
    if (HasFailure()) return;
  }
}

TEST(BollingerBands, keepsFullPrecisionOnPricesFarFromZeroWithTinyDeviations) {
  // 60000 +- a cent: the naive sum of squares would lose 13 of 16 digits here.
  const auto xs = randomWalk(200000, 60000.0, 0.003, 3);
  BollingerBands bb(20, 2.0);
  for (size_t i = 0; i < xs.size(); ++i) {
    bb.update(xs[i]);
    if (i < 19 || i % 97 != 0) continue;
    EXPECT_CLOSE(bb.middle(), windowMean(xs, i + 1, 20), 1.0);
    EXPECT_CLOSE(bb.stddev(), windowPopulationStd(xs, i + 1, 20), 0.0) << i;
    if (HasFailure()) return;
  }
}

TEST(BollingerBands, flatWindowHasZeroWidthAndTextbookValuesHold) {
  BollingerBands flat(5, 2.0);
  for (int i = 0; i < 12; ++i) flat.update(42.5);
  EXPECT_EQ(flat.stddev(), 0.0);
  EXPECT_EQ(flat.upper(), 42.5);
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population deviation exactly 2.
  BollingerBands bb(8, 2.0);
  for (const double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) bb.update(x);
  ASSERT_TRUE(bb.ready());
  EXPECT_CLOSE(bb.middle(), 5.0, 1.0);
  EXPECT_CLOSE(bb.stddev(), 2.0, 1.0);
  EXPECT_CLOSE(bb.upper(), 9.0, 1.0);
  EXPECT_CLOSE(bb.lower(), 1.0, 1.0);
}

TEST(Ema, isSeededWithTheSimpleAverageThenMatchesTheClosedFormWeightedSum) {
  const auto xs = randomWalk(1500, 100.0, 0.5, 4);
  for (const uint32_t n : {1u, 3u, 12u, 26u}) {
    const auto ref = referenceEma(xs, n);
    Ema ema(n);
    for (size_t i = 0; i < xs.size(); ++i) {
      ASSERT_EQ(ema.update(xs[i]), i + 1 >= n);
      if (i + 1 >= n) {
        EXPECT_CLOSE(ema.value(), ref[i], 1.0) << "n " << n << " i " << i;
      }
      if (HasFailure()) return;
    }
  }
  Ema three(3);  // 1, 2, 3 -> seed 2; then 2 + 0.5 * (6 - 2) = 4
  for (const double x : {1.0, 2.0, 3.0, 6.0}) three.update(x);
  EXPECT_EQ(three.value(), 4.0);
}

TEST(Rsi, matchesWildersExampleAsPublished) {
  // Closes and 14-period RSI of the StockCharts "RSI" ChartSchool example spreadsheet; the
  // published values have 2 decimals, the exact ones come from rational arithmetic.
  const std::vector<double> closes = {
      44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931,
      46.0328, 45.6140, 46.2820, 46.2820, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521,
      45.7137, 46.4515, 45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314};
  const std::vector<double> published = {70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38,
                                         54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.30, 33.08, 37.77};
  const std::vector<double> exact = {
      70.532789483695083, 66.318561805172351, 66.549829935527654, 69.406305338844376, 66.355169056271819,
      57.974855714308184, 62.929606754596996, 63.257147562545299, 56.059298715263211, 62.377071443180384,
      54.707573081261337, 50.422774411456437, 39.989823145376633, 41.460481975705633, 41.86891609254328,
      45.46321244528675,  37.304042089859685, 33.079522994388483, 37.772952114434844};
  Rsi rsi(14);
  size_t k = 0;
  for (size_t i = 0; i < closes.size(); ++i) {
    ASSERT_EQ(rsi.update(closes[i]), i >= 14);
    if (i < 14) continue;
    EXPECT_NEAR(rsi.value(), published[k], 0.005) << "day " << i + 1;
    EXPECT_CLOSE(rsi.value(), exact[k], 1.0) << "day " << i + 1;
    ++k;
  }
  EXPECT_EQ(k, published.size());
}

TEST(Rsi, matchesADirectImplementationOverALongSeriesAndHandlesFlatRuns) {
  auto xs = randomWalk(5000, 100.0, 0.5, 5);
  for (size_t i = 1000; i < 1040; ++i) xs[i] = xs[999];  // a flat run: no gains, no losses
  const auto ref = referenceRsi(xs, 14);
  Rsi rsi(14);
  for (size_t i = 0; i < xs.size(); ++i) {
    rsi.update(xs[i]);
    if (i >= 14) {
      EXPECT_CLOSE(rsi.value(), ref[i], 1.0) << i;
    }
    if (HasFailure()) return;
  }
  Rsi up(3), flat(3);
  for (const double x : {1.0, 2.0, 3.0, 4.0, 5.0}) up.update(x), flat.update(7.0);
  EXPECT_EQ(up.value(), 100.0);
  EXPECT_EQ(flat.value(), 50.0);
}

TEST(Macd, matchesLineSignalAndHistogramBuiltFromReferenceEmas) {
  const auto xs = randomWalk(800, 100.0, 0.5, 6);
  const auto fast = referenceEma(xs, 12), slow = referenceEma(xs, 26);
  std::vector<double> line;
  for (size_t i = 25; i < xs.size(); ++i) line.push_back(fast[i] - slow[i]);
  const auto signal = referenceEma(line, 9);
  Macd macd(12, 26, 9);
  for (size_t i = 0; i < xs.size(); ++i) {
    ASSERT_EQ(macd.update(xs[i]), i >= 25 + 8) << "the signal exists from value slow + signal - 1";
    if (i < 25) continue;
    EXPECT_CLOSE(macd.value(), line[i - 25], 1.0) << i;
    if (i < 33) continue;
    EXPECT_CLOSE(macd.signal(), signal[i - 25], 1.0) << i;
    EXPECT_CLOSE(macd.histogram(), line[i - 25] - signal[i - 25], 1.0) << i;
    if (HasFailure()) return;
  }
  EXPECT_THROW(Macd(26, 12, 9), std::invalid_argument);
  EXPECT_THROW(Macd(12, 26, 0), std::invalid_argument);
}

TEST(Vwap, isTheQuantityWeightedMeanSinceTheLastReset) {
  Vwap v;
  EXPECT_FALSE(v.ready());
  EXPECT_EQ(v.value(), 0.0);
  v.update(100.0, 1.0);
  v.update(103.0, 2.0);
  EXPECT_TRUE(v.ready());
  EXPECT_CLOSE(v.value(), 102.0, 1.0);
  v.reset();
  EXPECT_FALSE(v.ready());
  v.update(50.0, 3.0);
  EXPECT_EQ(v.value(), 50.0);
}

TEST(RollingVwap, matchesTheWindowRecomputedAtEveryStep) {
  const auto px = randomWalk(20000, 100.0, 0.5, 7);
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> q(0.001, 5.0);
  std::vector<double> qty(px.size());
  for (auto& x : qty) x = q(rng);
  RollingVwap v(50);
  for (size_t i = 0; i < px.size(); ++i) {
    ASSERT_EQ(v.update(px[i], qty[i]), i >= 49);
    double pq = 0, sq = 0;
    for (size_t j = i + 1 - std::min<size_t>(50, i + 1); j <= i; ++j) pq += px[j] * qty[j], sq += qty[j];
    EXPECT_CLOSE(v.value(), pq / sq, 1.0) << i;
    if (HasFailure()) return;
  }
}

TEST(Indicators, refuseAZeroPeriod) {
  EXPECT_THROW(Sma(0), std::invalid_argument);
  EXPECT_THROW(Ema(0), std::invalid_argument);
  EXPECT_THROW(Rsi(0), std::invalid_argument);
  EXPECT_THROW(BollingerBands(0, 2.0), std::invalid_argument);
  EXPECT_THROW(BollingerBands(20, -1.0), std::invalid_argument);
  EXPECT_THROW(RollingVwap(0), std::invalid_argument);
}

}  // namespace
