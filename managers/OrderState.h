#pragma once
// The order state machine of the OMS: every state an order can be in, every event that can
// reach it, and the one table that says what each event does in each state. OrderManager is
// the only caller; tests check the table's promises (terminal states absorb, nothing unlisted
// is legal) exhaustively. Pure and constexpr: no order record, no I/O.
//
// Pending cancel / modify and "outcome of a cancel or amend unknown" are not states: they are
// markers on a live order (OrderManager's OrderFlags), orthogonal to how much of it has filled.
#include <array>
#include <cstdint>

namespace hft::managers {

/// Where one order stands. Values are persisted in snapshots: never renumber, only append.
enum class OrderState : uint8_t {
  PendingNew = 1,       ///< sent to the venue, no answer yet
  Acked = 2,            ///< the venue accepted it; nothing filled
  PartiallyFilled = 3,  ///< working, some quantity filled
  Filled = 4,           ///< terminal: all of it filled
  Canceled = 5,         ///< terminal: canceled (by us or by the venue) with the rest unfilled
  Rejected = 6,         ///< terminal: refused; it never traded
  Expired = 7,          ///< terminal: IOC/FOK remainder, or the venue's expiry
  Unknown = 8,          ///< sent, never answered (timeout, disconnect): query it, never resend
};
inline constexpr int kOrderStateCount = 9;  ///< table rows, indexed by value (0 unused)

/// What one report or request outcome means to an order, after OrderManager has compared its
/// cum_qty with what the order already knows. Values index the table (0 unused).
enum class OrderEvent : uint8_t {
  Ack = 1,          ///< ExecType::New that adds no filled quantity
  PartialFill = 2,  ///< cum_qty beyond the known one, the order still working
  Fill = 3,         ///< cum_qty beyond the known one, ExecType::Filled: the order is complete
  HoleFill = 4,     ///< a late fill that lies wholly inside quantity the cum_qty already jumped over
  RepeatFill = 5,   ///< a fill whose cum_qty equals the known one (and fills no hole)
  OldFill = 6,      ///< a fill whose cum_qty is below the known one (and fills no hole)
  Canceled = 7,     ///< ExecType::Canceled of the order itself
  Rejected = 8,     ///< ExecType::Rejected of the order itself (not of a cancel/modify of it)
  Expired = 9,      ///< ExecType::Expired
  NoAnswer = 10,    ///< a request about the order timed out or its connection dropped
};
inline constexpr int kOrderEventCount = 11;

/// What the caller should make of an event.
enum class Verdict : uint8_t {
  Applied = 0,       ///< news: the order changed; journal and publish the report
  Duplicate = 1,     ///< a repeat of what the order already says: ignore
  Stale = 2,         ///< older than what the order already says (late ack, old fill): ignore, counted
  Illegal = 3,       ///< contradicts the order (fill after reject, cancel after fill): counted, report it
  UnknownOrder = 4,  ///< OrderManager::apply only: no order with that id is held
};
inline constexpr int kVerdictCount = 5;

struct Transition {
  OrderState state;
  Verdict verdict;
};

constexpr bool isTerminal(OrderState s) noexcept {
  return s == OrderState::Filled || s == OrderState::Canceled || s == OrderState::Rejected ||
         s == OrderState::Expired;
}
/// Still able to trade (or, Unknown, perhaps able): what a kill switch must cancel.
constexpr bool isLive(OrderState s) noexcept {
  return s == OrderState::PendingNew || s == OrderState::Acked || s == OrderState::PartiallyFilled ||
         s == OrderState::Unknown;
}

namespace detail {

using S = OrderState;
using V = Verdict;
constexpr Transition kBad{S::PendingNew, V::Illegal};  // placeholder for row/column 0, never returned

// Rows: state; columns: event in the OrderEvent order above. The README draws the same table.
// {next state, verdict}. A cell that keeps the state with Illegal leaves the order untouched.
// clang-format off
constexpr std::array<std::array<Transition, kOrderEventCount>, kOrderStateCount> kTable{{
  /* 0 unused */ {{kBad, kBad, kBad, kBad, kBad, kBad, kBad, kBad, kBad, kBad, kBad}},
  /* PendingNew */ {{kBad,
    {S::Acked, V::Applied}, {S::PartiallyFilled, V::Applied}, {S::Filled, V::Applied},
    {S::PendingNew, V::Illegal}, {S::PendingNew, V::Duplicate}, {S::PendingNew, V::Stale},
    {S::Canceled, V::Applied}, {S::Rejected, V::Applied}, {S::Expired, V::Applied},
    {S::Unknown, V::Applied}}},
  /* Acked */ {{kBad,
    {S::Acked, V::Duplicate}, {S::PartiallyFilled, V::Applied}, {S::Filled, V::Applied},
    {S::Acked, V::Illegal}, {S::Acked, V::Duplicate}, {S::Acked, V::Stale},
    {S::Canceled, V::Applied}, {S::Acked, V::Illegal}, {S::Expired, V::Applied},
    {S::Acked, V::Applied}}},
  /* PartiallyFilled */ {{kBad,
    {S::PartiallyFilled, V::Stale}, {S::PartiallyFilled, V::Applied}, {S::Filled, V::Applied},
    {S::PartiallyFilled, V::Applied}, {S::PartiallyFilled, V::Duplicate}, {S::PartiallyFilled, V::Stale},
    {S::Canceled, V::Applied}, {S::PartiallyFilled, V::Illegal}, {S::Expired, V::Applied},
    {S::PartiallyFilled, V::Applied}}},
  /* Filled */ {{kBad,
    {S::Filled, V::Stale}, {S::Filled, V::Illegal}, {S::Filled, V::Illegal},
    {S::Filled, V::Applied}, {S::Filled, V::Duplicate}, {S::Filled, V::Stale},
    {S::Filled, V::Illegal}, {S::Filled, V::Illegal}, {S::Filled, V::Illegal},
    {S::Filled, V::Stale}}},
  /* Canceled */ {{kBad,
    {S::Canceled, V::Stale}, {S::Canceled, V::Applied}, {S::Canceled, V::Illegal},
    {S::Canceled, V::Applied}, {S::Canceled, V::Duplicate}, {S::Canceled, V::Stale},
    {S::Canceled, V::Duplicate}, {S::Canceled, V::Illegal}, {S::Canceled, V::Illegal},
    {S::Canceled, V::Stale}}},
  /* Rejected */ {{kBad,
    {S::Rejected, V::Illegal}, {S::Rejected, V::Illegal}, {S::Rejected, V::Illegal},
    {S::Rejected, V::Illegal}, {S::Rejected, V::Illegal}, {S::Rejected, V::Illegal},
    {S::Rejected, V::Illegal}, {S::Rejected, V::Duplicate}, {S::Rejected, V::Illegal},
    {S::Rejected, V::Stale}}},
  /* Expired */ {{kBad,
    {S::Expired, V::Stale}, {S::Expired, V::Applied}, {S::Expired, V::Illegal},
    {S::Expired, V::Applied}, {S::Expired, V::Duplicate}, {S::Expired, V::Stale},
    {S::Expired, V::Illegal}, {S::Expired, V::Illegal}, {S::Expired, V::Duplicate},
    {S::Expired, V::Stale}}},
  /* Unknown */ {{kBad,
    {S::Acked, V::Applied}, {S::PartiallyFilled, V::Applied}, {S::Filled, V::Applied},
    {S::Unknown, V::Illegal}, {S::Unknown, V::Duplicate}, {S::Unknown, V::Stale},
    {S::Canceled, V::Applied}, {S::Rejected, V::Applied}, {S::Expired, V::Applied},
    {S::Unknown, V::Duplicate}}},
}};
// clang-format on

}  // namespace detail

/// The one transition table. Values outside the enums are Illegal and keep the state.
constexpr Transition transition(OrderState state, OrderEvent event) noexcept {
  const auto s = static_cast<uint8_t>(state);
  const auto e = static_cast<uint8_t>(event);
  if (s == 0 || s >= kOrderStateCount || e == 0 || e >= kOrderEventCount) return {state, Verdict::Illegal};
  return detail::kTable[s][e];
}

namespace detail {
constexpr bool terminalStatesAbsorb() noexcept {
  for (int s = 1; s < kOrderStateCount; ++s)
    for (int e = 1; e < kOrderEventCount; ++e) {
      const auto st = static_cast<OrderState>(s);
      const Transition t = transition(st, static_cast<OrderEvent>(e));
      if (isTerminal(st) && t.state != st) return false;                        // never leave
      if (t.verdict != Verdict::Applied && t.state != st) return false;         // ignored = untouched
    }
  return true;
}
}  // namespace detail
static_assert(detail::terminalStatesAbsorb(), "terminal states never leave; ignored events never move an order");

constexpr const char* toString(OrderState s) noexcept {
  switch (s) {
    case OrderState::PendingNew: return "pending_new";
    case OrderState::Acked: return "acked";
    case OrderState::PartiallyFilled: return "partially_filled";
    case OrderState::Filled: return "filled";
    case OrderState::Canceled: return "canceled";
    case OrderState::Rejected: return "rejected";
    case OrderState::Expired: return "expired";
    case OrderState::Unknown: return "unknown";
  }
  return "?";
}

constexpr const char* toString(OrderEvent e) noexcept {
  switch (e) {
    case OrderEvent::Ack: return "ack";
    case OrderEvent::PartialFill: return "partial_fill";
    case OrderEvent::Fill: return "fill";
    case OrderEvent::HoleFill: return "hole_fill";
    case OrderEvent::RepeatFill: return "repeat_fill";
    case OrderEvent::OldFill: return "old_fill";
    case OrderEvent::Canceled: return "canceled";
    case OrderEvent::Rejected: return "rejected";
    case OrderEvent::Expired: return "expired";
    case OrderEvent::NoAnswer: return "no_answer";
  }
  return "?";
}

constexpr const char* toString(Verdict v) noexcept {
  switch (v) {
    case Verdict::Applied: return "applied";
    case Verdict::Duplicate: return "duplicate";
    case Verdict::Stale: return "stale";
    case Verdict::Illegal: return "illegal";
    case Verdict::UnknownOrder: return "unknown_order";
  }
  return "?";
}

}  // namespace hft::managers
