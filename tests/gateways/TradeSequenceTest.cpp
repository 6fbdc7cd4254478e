#include "gateways/TradeSequence.h"

#include <gtest/gtest.h>

using hft::gateways::TradeSequence;
using V = TradeSequence::Verdict;

TEST(TradeSequence, increasingIdsAreNewRepeatsAreDuplicatesAndLowerIdsGoBackwards) {
  TradeSequence s;
  EXPECT_EQ(s.next(10), V::New);  // the first one, whatever its value
  EXPECT_EQ(s.next(11), V::New);
  EXPECT_EQ(s.next(15), V::New);  // holes are not gaps: ids are unique, not contiguous
  EXPECT_EQ(s.next(15), V::Duplicate);
  EXPECT_EQ(s.last(), 15u);
  EXPECT_EQ(s.next(12), V::Backwards);
  EXPECT_EQ(s.last(), 12u);  // the feed's new position
  EXPECT_EQ(s.next(13), V::New);
}

TEST(TradeSequence, aFirstIdOfZeroIsRememberedSoItsRepeatIsADuplicate) {
  TradeSequence s;
  EXPECT_EQ(s.next(0), V::New);
  EXPECT_EQ(s.next(0), V::Duplicate);
}
