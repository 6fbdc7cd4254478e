// The backtester applies the live executor's pre-trade risk (managers::RiskManager) when a
// request reaches the simulated venue, fed by that venue's own fills and order ends.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "SimHarness.h"
#include "managers/RiskLimits.h"
#include "managers/RiskManager.h"

using namespace hft;
using namespace hft::test;
using namespace hft::execution_engine::sim;
using common::ExecType;
using common::RejectReason;
using common::Side;

namespace {
constexpr common::TimestampNs kT = 1'700'000'000'000'000'000;

// BTC at price scale 2, qty scale 3 (lot 0.010): max order 1.000, max position 1.500,
// 2 orders per second with a burst of 2.
managers::RiskLimits rules(const config::InstrumentRegistry& reg) {
  return managers::RiskLimits::fromJson(nlohmann::json::parse(R"({
    "global": {"max_open_orders": 100, "strict_strategies": false},
    "venues": {"simulated": {"rate_limit": {"orders_per_second": "2", "burst": 2}, "check_balance": false}},
    "instruments": {"simulated:BTC-USDT": {"max_order_qty": "1", "max_order_notional": "1000000",
                                           "max_position": "1.5", "price_band_bps": 1000}}})"),
                                        "rules.json", reg);
}

struct RiskedVenue : Harness {
  managers::RiskManager risk{rules(registry), registry};
  RiskedVenue() {
    sim.setRiskManager(&risk);
    md(snapshot(kT, {{9900, 50000}}, {{10100, 50000}}));  // mid 100.00: the reference
  }
  RejectReason rejectOf(common::ClientOrderId id) const {
    const auto r = reportsFor(id);
    return r.size() == 1 && r[0].exec_type == ExecType::Rejected ? r[0].reject_reason : RejectReason::None;
  }
};
}  // namespace

TEST(SimPreTradeRisk, anOrderAboveTheLimitIsRejectedWithTheRiskReasonAndNeverReachesTheBook) {
  RiskedVenue h;
  h.place(limit(kT + 1, 1, Side::Buy, 9900, 1010));  // 1.010 > max_order_qty 1
  EXPECT_EQ(h.rejectOf(1), RejectReason::MaxOrderQuantity);
  EXPECT_EQ(h.sim.openOrders(), 0u);
  EXPECT_EQ(h.sim.counters().risk_rejects, 1u);
  h.place(limit(kT + 2, 2, Side::Buy, 9900, 1000));  // exactly the limit
  EXPECT_EQ(h.execTypes(2), (std::vector<ExecType>{ExecType::New}));
}

TEST(SimPreTradeRisk, theRateLimitCountsInEventTime) {
  RiskedVenue h;
  h.place(limit(kT + 1, 1, Side::Buy, 9800, 10));
  h.place(limit(kT + 2, 2, Side::Buy, 9800, 10));
  h.place(limit(kT + 3, 3, Side::Buy, 9800, 10));  // burst of 2 spent
  EXPECT_EQ(h.rejectOf(3), RejectReason::RateLimit);
  h.place(limit(kT + 600'000'000, 4, Side::Buy, 9800, 10));  // 0.6 s later: one token back
  EXPECT_EQ(h.execTypes(4), (std::vector<ExecType>{ExecType::New}));
}

TEST(SimPreTradeRisk, venueFillsMoveTheRiskPositionAndOrderEndsFreeIt) {
  RiskedVenue h;
  h.place(market(kT + 1, 1, Side::Buy, 1000));  // fills 1.000 at 101.00
  ASSERT_EQ(h.execTypes(1).back(), ExecType::Filled);
  EXPECT_EQ(h.risk.position(kSpot), 1000);
  EXPECT_EQ(h.risk.openOrders(), 0) << "the filled order is done for risk too";
  // Long 1.000: a further 0.600 would make 1.600 > 1.500.
  h.place(limit(kT + 600'000'000, 2, Side::Buy, 9900, 600));
  EXPECT_EQ(h.rejectOf(2), RejectReason::MaxPosition);
  h.place(limit(kT + 1'200'000'000, 3, Side::Buy, 9900, 500));  // 1.500: exactly the limit
  EXPECT_EQ(h.execTypes(3), (std::vector<ExecType>{ExecType::New}));
  h.place(cancelOf(kT + 1'300'000'000, 4, 3));
  EXPECT_EQ(h.risk.openOrders(), 0) << "the canceled order no longer counts";
}
