// The order state machine's table (managers/OrderState.h): its promises checked over every
// cell, and the cells the OMS relies on by name.
#include "managers/OrderState.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace hft::managers;

namespace {

using S = OrderState;
using E = OrderEvent;
using V = Verdict;

static_assert(noexcept(transition(S::Acked, E::Ack)), "the table is hot-path code");
static_assert(transition(S::PendingNew, E::Ack).state == S::Acked, "usable at compile time");

constexpr S kAllStates[] = {S::PendingNew, S::Acked,    S::PartiallyFilled, S::Filled,
                            S::Canceled,   S::Rejected, S::Expired,         S::Unknown};
constexpr E kAllEvents[] = {E::Ack,      E::PartialFill, E::Fill,    E::HoleFill, E::RepeatFill,
                            E::OldFill,  E::Canceled,    E::Rejected, E::Expired, E::NoAnswer};

TEST(OrderState, terminalStatesNeverLeaveWhateverArrives) {
  for (S s : kAllStates) {
    if (!isTerminal(s)) continue;
    for (E e : kAllEvents) EXPECT_EQ(transition(s, e).state, s) << toString(s) << " + " << toString(e);
  }
}

TEST(OrderState, ignoredEventsNeverMoveAnOrder) {
  int ignored = 0;
  for (S s : kAllStates)
    for (E e : kAllEvents) {
      const Transition t = transition(s, e);
      if (t.verdict == V::Applied) continue;
      ++ignored;
      EXPECT_EQ(t.state, s) << toString(s) << " + " << toString(e) << " is " << toString(t.verdict);
      EXPECT_NE(t.verdict, V::UnknownOrder) << "UnknownOrder is apply()'s, not the table's";
    }
  EXPECT_GT(ignored, 20) << "the table must refuse something";
}

TEST(OrderState, everyCellLandsOnAValidState) {
  for (S s : kAllStates)
    for (E e : kAllEvents) {
      const S next = transition(s, e).state;
      EXPECT_GE(static_cast<int>(next), 1);
      EXPECT_LT(static_cast<int>(next), kOrderStateCount);
    }
}

TEST(OrderState, valuesOutsideTheEnumsAreIllegalAndKeepTheState) {
  EXPECT_EQ(transition(static_cast<S>(0), E::Ack).verdict, V::Illegal);
  EXPECT_EQ(transition(static_cast<S>(9), E::Ack).verdict, V::Illegal);
  EXPECT_EQ(transition(S::Acked, static_cast<E>(0)).verdict, V::Illegal);
  const Transition t = transition(S::Acked, static_cast<E>(200));
  EXPECT_EQ(t.verdict, V::Illegal);
  EXPECT_EQ(t.state, S::Acked);
}

TEST(OrderState, aFillBeforeTheAckIsAcceptedAndImpliesTheAck) {
  EXPECT_EQ(transition(S::PendingNew, E::PartialFill).state, S::PartiallyFilled);
  EXPECT_EQ(transition(S::PendingNew, E::PartialFill).verdict, V::Applied);
  EXPECT_EQ(transition(S::PendingNew, E::Fill).state, S::Filled);
  // ... and the ack that arrives afterwards is old news.
  EXPECT_EQ(transition(S::PartiallyFilled, E::Ack).verdict, V::Stale);
  EXPECT_EQ(transition(S::Filled, E::Ack).verdict, V::Stale);
}

TEST(OrderState, repeatsAreDuplicatesAndOlderFillsStale) {
  EXPECT_EQ(transition(S::Acked, E::Ack).verdict, V::Duplicate);
  EXPECT_EQ(transition(S::PartiallyFilled, E::RepeatFill).verdict, V::Duplicate);
  EXPECT_EQ(transition(S::Filled, E::RepeatFill).verdict, V::Duplicate);
  EXPECT_EQ(transition(S::PartiallyFilled, E::OldFill).verdict, V::Stale);
  EXPECT_EQ(transition(S::Canceled, E::Canceled).verdict, V::Duplicate);
  EXPECT_EQ(transition(S::Rejected, E::Rejected).verdict, V::Duplicate);
  EXPECT_EQ(transition(S::Expired, E::Expired).verdict, V::Duplicate);
}

TEST(OrderState, contradictionsAreIllegal) {
  EXPECT_EQ(transition(S::Rejected, E::PartialFill).verdict, V::Illegal);  // a refused order never traded
  EXPECT_EQ(transition(S::Filled, E::Canceled).verdict, V::Illegal);
  EXPECT_EQ(transition(S::Canceled, E::Fill).verdict, V::Illegal);  // "filled" and "canceled" both final
  EXPECT_EQ(transition(S::Acked, E::Rejected).verdict, V::Illegal);  // accepted, then refused
  EXPECT_EQ(transition(S::Filled, E::PartialFill).verdict, V::Illegal);  // more than all of it
}

TEST(OrderState, aLateFillOfACanceledOrderStillCountsButTheOrderStaysCanceled) {
  const Transition t = transition(S::Canceled, E::PartialFill);
  EXPECT_EQ(t.verdict, V::Applied);
  EXPECT_EQ(t.state, S::Canceled);
  EXPECT_EQ(transition(S::Expired, E::HoleFill).verdict, V::Applied);
  EXPECT_EQ(transition(S::Filled, E::HoleFill).verdict, V::Applied);
}

TEST(OrderState, anUnansweredNewIsUnknownUntilTheVenueSaysOtherwise) {
  EXPECT_EQ(transition(S::PendingNew, E::NoAnswer).state, S::Unknown);
  EXPECT_EQ(transition(S::Unknown, E::NoAnswer).verdict, V::Duplicate);
  EXPECT_EQ(transition(S::Unknown, E::Ack).state, S::Acked);
  EXPECT_EQ(transition(S::Unknown, E::Rejected).state, S::Rejected);  // the venue never saw it
  EXPECT_EQ(transition(S::Unknown, E::Fill).state, S::Filled);
  // A live order whose cancel went unanswered keeps its state (the OMS flags it for a query).
  EXPECT_EQ(transition(S::PartiallyFilled, E::NoAnswer).state, S::PartiallyFilled);
  EXPECT_EQ(transition(S::PartiallyFilled, E::NoAnswer).verdict, V::Applied);
  EXPECT_EQ(transition(S::Filled, E::NoAnswer).verdict, V::Stale);
}

TEST(OrderState, liveAndTerminalPartitionTheStates) {
  for (S s : kAllStates) EXPECT_NE(isLive(s), isTerminal(s)) << toString(s);
}

TEST(OrderState, namesAreDistinct) {
  std::set<std::string> names;
  for (S s : kAllStates) names.insert(toString(s));
  for (E e : kAllEvents) names.insert(toString(e));
  EXPECT_EQ(names.size() + 3, std::size(kAllStates) + std::size(kAllEvents))
      << "canceled, rejected and expired name both a state and an event";
  EXPECT_STREQ(toString(V::Stale), "stale");
}

}  // namespace
