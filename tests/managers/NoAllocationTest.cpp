// The risk manager's hot path never allocates: every global operator new in this test binary
// is counted (AllocationCounter.cpp), and the count must not move while check(), the
// bookkeeping and the feeds run.
#include <gtest/gtest.h>

#include "RiskTestUtil.h"

namespace hft::test {
uint64_t allocationCount() noexcept;  // AllocationCounter.cpp: global operator new calls so far
}  // namespace hft::test

using namespace hft;
using namespace hft::test;

namespace {

TEST(NoAllocation, checkBookkeepingAndFeedsNeverAllocateAfterConstruction) {
  nlohmann::json rules = baseRules();
  rules["global"]["daily_loss_limit"] = "1000";
  rules["venues"]["simulated"] = {{"rate_limit", {{"orders_per_second", "1000"}, {"burst", 100}}},
                                  {"max_position_notional", "10000000"}};
  rules["venues"]["binance_futures"]["max_leverage"] = "5";
  rules["strategies"]["1"] = {{"max_open_orders", 50},
                              {"rate_limit", {{"orders_per_second", "1000"}, {"burst", 100}}},
                              {"daily_loss_limit", "500"},
                              {"max_position", {{"simulated:BTC-USDT", "50"}}}};
  const uint64_t atStart = allocationCount();
  RiskHarness h(rules);
  ASSERT_GT(allocationCount(), atStart) << "construction allocates: the counter must see it";
  h.risk.onBalance(ExchangeId::Simulated, "USDT", usd(10'000'000));
  h.risk.onBalance(ExchangeId::Simulated, "BTC", btc(100));
  h.risk.onEquity(ExchangeId::BinanceFutures, usd(1'000'000));

  // Requests built before counting: the Order builder is test code, not the hot path.
  std::vector<Order> orders(4000);
  for (size_t i = 0; i < orders.size(); ++i) {
    Order& o = orders[i];
    if (i % 4 == 1) o.sell(btc(0.01), px(30010));
    if (i % 4 == 2) o.on(kFutBtc, ExchangeId::BinanceFutures).buy(4, px(30000));  // 0.004 BTC: above min notional
    if (i % 4 == 3 && i > 4) o.buy(btc(0.02), px(29990)).modifies(orders[i - 4].id());
  }
  Order bad;
  bad.r.qty = 0;
  Order killed;
  h.risk.killSwitch().engage("test");  // warm the kill-switch path too
  (void)h.risk.check(killed, kT0);
  h.risk.killSwitch().clear();

  const uint64_t before = allocationCount();
  uint64_t accepted = 0;
  common::TimestampNs now = kT0;
  for (size_t i = 0; i < orders.size(); ++i) {
    now += 5'000'000;
    h.risk.onReferencePrice(kBtc, px(30000) + static_cast<int64_t>(i % 7) * 10);
    h.risk.onPnl(1, -static_cast<int64_t>(i), 0, now);
    h.risk.onBalance(ExchangeId::Simulated, "USDT", usd(10'000'000));
    const common::OrderRequest& r = orders[i];
    if (h.risk.check(r, now).accepted()) {
      ++accepted;
      h.risk.onAccepted(r);
      if (i % 3 == 0)
        h.risk.onFill(r.client_order_id, r.strategy_id, r.header.instrument_id, r.side, r.qty / 2, r.price);
      if (i % 5 == 0) h.risk.onOrderDone(r.client_order_id);
      if (i % 11 == 0) (void)h.risk.onModifyRejected(r.client_order_id);
    }
    if (i >= 6) h.risk.onOrderDone(orders[i - 6].id());  // orders live a few iterations
    (void)h.risk.check(bad, now);
    (void)h.risk.check(Order().cancels(r.client_order_id), now);
    (void)h.risk.available(ExchangeId::Simulated, "USDT");
  }
  EXPECT_EQ(allocationCount() - before, 0u) << "allocations during the hot path";
  EXPECT_GT(accepted, orders.size() / 2) << "the loop must exercise the accepting path";
}

}  // namespace
