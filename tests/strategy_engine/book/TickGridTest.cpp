// Price <-> tick conversion by multiplication (strategy_engine/book/TickGrid.h) against plain
// integer division.
#include "strategy_engine/book/TickGrid.h"

#include <gtest/gtest.h>

#include <random>

using hft::strategy_engine::TickGrid;

namespace {

TEST(TickGrid, agreesWithIntegerDivisionForOddEvenAndDecimalTicks) {
  std::mt19937_64 rng(7);
  for (const int64_t tick : {int64_t{1}, int64_t{2}, int64_t{3}, int64_t{5}, int64_t{10}, int64_t{12}, int64_t{64},
                             int64_t{100}, int64_t{1000}, int64_t{2500}, int64_t{1'000'000}, int64_t{999'999'937},
                             int64_t{1} << 40, int64_t{10'000'000'000}}) {
    const TickGrid grid(tick);
    for (int i = 0; i < 20000; ++i) {
      // Multiples and near-multiples, small and large.
      const int64_t q = static_cast<int64_t>(rng() % (i % 2 ? 1'000'000 : (TickGrid::kMaxTicks / tick)));
      const int64_t price = q * tick + static_cast<int64_t>(rng() % 3) - 1;
      int64_t ticks = 0;
      const bool want = price > 0 && price % tick == 0;
      ASSERT_EQ(grid.toTicks(price, ticks), want) << "tick " << tick << " price " << price;
      if (want) {
        ASSERT_EQ(ticks, price / tick);
        ASSERT_EQ(grid.toPrice(ticks), price);
      }
    }
  }
}

TEST(TickGrid, rejectsNonPositivePricesAndTickNumbersBeyondTheLimit) {
  const TickGrid grid(1);
  int64_t t = 0;
  EXPECT_FALSE(grid.toTicks(0, t));
  EXPECT_FALSE(grid.toTicks(-5, t));
  EXPECT_TRUE(grid.toTicks(static_cast<int64_t>(TickGrid::kMaxTicks), t));
  EXPECT_FALSE(grid.toTicks(static_cast<int64_t>(TickGrid::kMaxTicks) + 1, t));
  EXPECT_FALSE(TickGrid(10).toTicks(-10, t));
  EXPECT_THROW(TickGrid(0), std::invalid_argument);
}

}  // namespace
