#include "common/FixedPoint.h"

#include <gtest/gtest.h>

using namespace hft::common;

TEST(FixedPoint, parsesDecimalsIntoRawUnitsWithoutDouble) {
  int64_t v = 0;
  ASSERT_EQ(parseDecimal("123.45", 2, v), ParseStatus::Ok);
  EXPECT_EQ(v, 12345);
  ASSERT_EQ(parseDecimal("0.00000001", 8, v), ParseStatus::Ok);
  EXPECT_EQ(v, 1);
  ASSERT_EQ(parseDecimal("-7", 3, v), ParseStatus::Ok);
  EXPECT_EQ(v, -7000);
  ASSERT_EQ(parseDecimal("+1.5", 1, v), ParseStatus::Ok);
  EXPECT_EQ(v, 15);
  // Binance sends "0.10000000" for a 2-decimal tick: trailing zeros past the scale are fine.
  ASSERT_EQ(parseDecimal("65000.10000000", 2, v), ParseStatus::Ok);
  EXPECT_EQ(v, 6500010);
  ASSERT_EQ(parseDecimal(".5", 1, v), ParseStatus::Ok);
  EXPECT_EQ(v, 5);
}

TEST(FixedPoint, rejectsBadInputWithAReason) {
  int64_t v = 42;
  EXPECT_EQ(parseDecimal("", 2, v), ParseStatus::Empty);
  EXPECT_EQ(parseDecimal("-", 2, v), ParseStatus::Empty);
  EXPECT_EQ(parseDecimal("1.2.3", 2, v), ParseStatus::BadCharacter);
  EXPECT_EQ(parseDecimal("1e5", 2, v), ParseStatus::BadCharacter);
  EXPECT_EQ(parseDecimal("12a", 2, v), ParseStatus::BadCharacter);
  EXPECT_EQ(parseDecimal("0.123", 2, v), ParseStatus::TooManyDecimals);
  EXPECT_EQ(parseDecimal("99999999999999999999", 0, v), ParseStatus::Overflow);
  EXPECT_EQ(parseDecimal("92233720368.54775808", 8, v), ParseStatus::Overflow);
  EXPECT_EQ(parseDecimal("1", 19, v), ParseStatus::BadScale);
  EXPECT_EQ(v, 42) << "failed parses leave the output untouched";
}

TEST(FixedPoint, parsesTheLargestValueThatFits) {
  int64_t v = 0;
  ASSERT_EQ(parseDecimal("92233720368.54775807", 8, v), ParseStatus::Ok);
  EXPECT_EQ(v, INT64_MAX);
}

TEST(FixedPoint, formatsRoundTrip) {
  EXPECT_EQ(formatDecimal(12345, 2), "123.45");
  EXPECT_EQ(formatDecimal(-5, 3), "-0.005");
  EXPECT_EQ(formatDecimal(0, 2), "0.00");
  EXPECT_EQ(formatDecimal(7, 0), "7");
  EXPECT_EQ(formatDecimal(INT64_MIN, 0), "-9223372036854775808");
  for (int64_t raw : {1LL, -1LL, 100LL, 123456789LL, -987654321LL}) {
    int64_t back = 0;
    ASSERT_EQ(parseDecimal(formatDecimal(raw, 4), 4, back), ParseStatus::Ok);
    EXPECT_EQ(back, raw);
  }
}

TEST(FixedPoint, rescalesOnlyWithoutLoss) {
  int64_t out = 0;
  EXPECT_TRUE(rescale(123, 2, 4, out));
  EXPECT_EQ(out, 12300);
  EXPECT_TRUE(rescale(12300, 4, 2, out));
  EXPECT_EQ(out, 123);
  EXPECT_FALSE(rescale(12345, 4, 2, out));
  EXPECT_FALSE(rescale(INT64_MAX / 10, 0, 2, out));
}
