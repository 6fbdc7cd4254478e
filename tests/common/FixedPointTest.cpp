#include "common/FixedPoint.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>

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

namespace {

/// An independent statement of what parseDecimal accepts, on strings: [+-] digits [. digits]
/// with at least one digit, digits beyond the scale all '0', magnitude at most INT64_MAX.
std::optional<int64_t> expectedDecimal(const std::string& t, int scale) {
  size_t i = 0;
  bool negative = false;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) negative = t[i++] == '-';
  std::string whole, frac;
  bool dot = false;
  for (; i < t.size(); ++i) {
    if (t[i] == '.') {
      if (dot) return std::nullopt;
      dot = true;
    } else if (t[i] >= '0' && t[i] <= '9') {
      (dot ? frac : whole) += t[i];
    } else {
      return std::nullopt;
    }
  }
  if (whole.empty() && frac.empty()) return std::nullopt;
  const auto s = static_cast<size_t>(scale);
  if (frac.size() > s) {
    if (frac.find_first_not_of('0', s) != std::string::npos) return std::nullopt;
    frac.resize(s);
  }
  frac.append(s - frac.size(), '0');
  std::string digits = whole + frac;
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  const std::string max = "9223372036854775807";
  if (digits.size() > max.size() || (digits.size() == max.size() && digits > max)) return std::nullopt;
  uint64_t m = 0;
  for (char c : digits) m = m * 10 + static_cast<uint64_t>(c - '0');
  return negative ? -static_cast<int64_t>(m) : static_cast<int64_t>(m);
}

}  // namespace

TEST(FixedPoint, agreesWithTheDefinitionOnRandomText) {
  // Mostly number-shaped text (the fast path), with stray characters, extra points, long digit
  // runs and signs mixed in (the checked path).
  std::mt19937_64 rng(20261121);
  const std::string alphabet = "0123456789000000000.-+x";
  int accepted = 0;
  for (int n = 0; n < 300000; ++n) {
    std::string t;
    const auto len = rng() % 24;
    if (rng() % 4 == 0) t += rng() % 2 ? '-' : '+';
    const bool shaped = rng() % 3 != 0;
    const auto point = rng() % (len + 1);
    for (size_t i = 0; i < len; ++i) {
      if (shaped) t += i == point ? '.' : static_cast<char>('0' + rng() % 10);
      else t += alphabet[rng() % alphabet.size()];
    }
    if (shaped && rng() % 2) t.append(rng() % 10, '0');  // venue-style trailing zeros
    const int scale = static_cast<int>(rng() % 19);
    const std::optional<int64_t> want = expectedDecimal(t, scale);
    int64_t v = 42;
    const ParseStatus st = parseDecimal(t, scale, v);
    if (want) {
      ++accepted;
      ASSERT_EQ(st, ParseStatus::Ok) << '"' << t << "\" at scale " << scale;
      ASSERT_EQ(v, *want) << '"' << t << "\" at scale " << scale;
    } else {
      ASSERT_NE(st, ParseStatus::Ok) << '"' << t << "\" at scale " << scale << " gave " << v;
      ASSERT_EQ(v, 42) << "failed parses leave the output untouched";
    }
  }
  EXPECT_GT(accepted, 100000) << "the generator must exercise the accepting paths";
}

TEST(FixedPoint, acceptsNumbersAtTheEdgeOfTheFastPath) {
  int64_t v = 0;
  // 18 digits once scaled: the fast path's limit; 19 digits: the checked path, same answers.
  ASSERT_EQ(parseDecimal("999999999999.999999", 6, v), ParseStatus::Ok);
  EXPECT_EQ(v, 999999999999999999);
  ASSERT_EQ(parseDecimal("9223372036854775807", 0, v), ParseStatus::Ok);
  EXPECT_EQ(v, INT64_MAX);
  ASSERT_EQ(parseDecimal("-9223372036854775807", 0, v), ParseStatus::Ok);
  EXPECT_EQ(v, -INT64_MAX);
  ASSERT_EQ(parseDecimal("000000000000000000000001.50", 2, v), ParseStatus::Ok);
  EXPECT_EQ(v, 150);
  ASSERT_EQ(parseDecimal("1.", 3, v), ParseStatus::Ok);
  EXPECT_EQ(v, 1000);
  EXPECT_EQ(parseDecimal(".", 3, v), ParseStatus::Empty);
  EXPECT_EQ(parseDecimal("1.2300001", 2, v), ParseStatus::TooManyDecimals);
  EXPECT_EQ(parseDecimal("1.230000x", 2, v), ParseStatus::BadCharacter);
  EXPECT_EQ(parseDecimal("+-1", 2, v), ParseStatus::BadCharacter);
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
