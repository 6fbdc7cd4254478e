// Taking liquidity: market orders, IOC, FOK, post-only, request validation, reports' fields.
#include <gtest/gtest.h>

#include "SimHarness.h"

namespace hft::test {
namespace {

constexpr TimestampNs kT = 1'000'000'000;

/// Bids 99.90 x 5, asks 100.00 x 1, 100.10 x 2, 100.20 x 5.
void standardBook(Harness& h) { h.md(snapshot(kT, {{9990, 5000}}, {{10000, 1000}, {10010, 2000}, {10020, 5000}})); }

TEST(SimulatedExchange, marketOrderWalksLevelsAndASecondOrderTheSameInstantSeesLess) {
  Harness h;
  standardBook(h);
  h.send(market(kT, 1, Side::Buy, 2000));
  h.send(market(kT, 2, Side::Buy, 2000));
  h.sim.advanceTo(kT);

  const auto a = h.reportsFor(1);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].exec_type, ExecType::New);
  EXPECT_EQ(a[1].exec_type, ExecType::PartiallyFilled);
  EXPECT_EQ(a[1].last_price, 10000);
  EXPECT_EQ(a[1].last_qty, 1000);
  EXPECT_EQ(a[2].exec_type, ExecType::Filled);
  EXPECT_EQ(a[2].last_price, 10010);
  EXPECT_EQ(a[2].last_qty, 1000);
  EXPECT_EQ(a[2].avg_price, 10005);
  EXPECT_EQ(a[2].liquidity, Liquidity::Taker);

  // The first order took 100.00 and half of 100.10: the second starts where it stopped.
  const auto b = h.reportsFor(2);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[1].last_price, 10010);
  EXPECT_EQ(b[1].last_qty, 1000);
  EXPECT_EQ(b[2].last_price, 10020);
  EXPECT_EQ(b[2].last_qty, 1000);
  const auto* book = h.sim.book(kSpot);
  EXPECT_EQ(book->bestAsk().price, 10020);
  EXPECT_EQ(book->bestAsk().qty, 4000);
  EXPECT_EQ(h.sim.counters().taker_fills, 4u);
}

TEST(SimulatedExchange, marketOrderLargerThanTheBookFillsWhatIsThereAndExpiresTheRest) {
  Harness h;
  standardBook(h);
  h.place(market(kT, 1, Side::Sell, 7000));
  EXPECT_EQ(h.execTypes(1), (std::vector<ExecType>{ExecType::New, ExecType::PartiallyFilled, ExecType::Expired}));
  EXPECT_EQ(h.reportsFor(1)[2].cum_qty, 5000);
  EXPECT_EQ(h.reportsFor(1)[2].leaves_qty, 0);
  EXPECT_EQ(h.sim.book(kSpot)->bestBid().qty, 0);
}

TEST(SimulatedExchange, feedUpdateOfAConsumedLevelRestoresIt) {
  Harness h;
  standardBook(h);
  h.place(market(kT, 1, Side::Buy, 1000));
  EXPECT_EQ(h.sim.book(kSpot)->bestAsk().price, 10010);
  h.md(delta(kT + 1, {{Side::Sell, 10000, 3000}}));
  EXPECT_EQ(h.sim.book(kSpot)->bestAsk().price, 10000);
  EXPECT_EQ(h.sim.book(kSpot)->bestAsk().qty, 3000);
}

TEST(SimulatedExchange, iocFillsWhatCrossesAndExpiresTheRest) {
  Harness h;
  standardBook(h);
  h.place(limit(kT, 1, Side::Buy, 10000, 3000, TimeInForce::IOC));
  const auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].exec_type, ExecType::PartiallyFilled);
  EXPECT_EQ(r[1].last_qty, 1000);
  EXPECT_EQ(r[1].leaves_qty, 2000);
  EXPECT_EQ(r[2].exec_type, ExecType::Expired);
  EXPECT_EQ(r[2].cum_qty, 1000);
  EXPECT_EQ(r[2].reject_reason, RejectReason::None);
  EXPECT_EQ(h.sim.openOrders(), 0u);
}

TEST(SimulatedExchange, fokExpiresWithFokNotFilledUnlessFullyFillableAndThenFillsAll) {
  Harness h;
  standardBook(h);
  h.place(limit(kT, 1, Side::Buy, 10010, 4000, TimeInForce::FOK));  // 3.000 available up to 100.10
  const auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].exec_type, ExecType::New);
  EXPECT_EQ(r[1].exec_type, ExecType::Expired);
  EXPECT_EQ(r[1].reject_reason, RejectReason::FokNotFilled);
  EXPECT_EQ(r[1].cum_qty, 0);
  EXPECT_EQ(h.sim.book(kSpot)->bestAsk().qty, 1000);  // nothing taken

  h.place(limit(kT, 2, Side::Buy, 10010, 3000, TimeInForce::FOK));
  EXPECT_EQ(h.execTypes(2), (std::vector<ExecType>{ExecType::New, ExecType::PartiallyFilled, ExecType::Filled}));
  EXPECT_EQ(h.reportsFor(2).back().cum_qty, 3000);
}

TEST(SimulatedExchange, postOnlyThatWouldCrossIsRejectedAndOneThatDoesNotRests) {
  Harness h;
  standardBook(h);
  h.place(limit(kT, 1, Side::Buy, 10000, 1000, TimeInForce::PostOnly));
  const auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exec_type, ExecType::Rejected);
  EXPECT_EQ(r[0].reject_reason, RejectReason::PostOnlyWouldCross);
  EXPECT_EQ(r[0].venue_order_id, 0u);

  h.place(limit(kT, 2, Side::Buy, 9990, 1000, TimeInForce::PostOnly));
  EXPECT_EQ(h.execTypes(2), (std::vector<ExecType>{ExecType::New}));
  EXPECT_EQ(h.sim.queueAhead(2), 5000);
  EXPECT_EQ(h.sim.counters().rejectsFor(RejectReason::PostOnlyWouldCross), 1u);
}

TEST(SimulatedExchange, crossingGtcLimitTakesUpToItsPriceAndRestsTheRestAsMaker) {
  Harness h;
  standardBook(h);
  h.place(limit(kT, 1, Side::Buy, 10010, 5000));
  auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[2].exec_type, ExecType::PartiallyFilled);
  EXPECT_EQ(r[2].cum_qty, 3000);
  EXPECT_EQ(r[2].leaves_qty, 2000);
  EXPECT_EQ(h.sim.queueAhead(1), 0);  // nobody displayed at 100.10 on the bid
  // The rest is a maker order now: a sell trade at 100.10 fills it.
  h.md(trade(kT + 1, 10010, 2000, Side::Sell));
  r = h.reportsFor(1);
  EXPECT_EQ(r.back().exec_type, ExecType::Filled);
  EXPECT_EQ(r.back().liquidity, Liquidity::Maker);
  EXPECT_EQ(r.back().avg_price, (10000 * 1000 + 10010 * 4000) / 5000);
}

TEST(SimulatedExchange, restingOrderFillsInPartsWithCumLeavesAndAveragePrice) {
  Harness h;
  h.md(snapshot(kT, {{9980, 1000}}, {{10010, 1000}}));
  h.place(limit(kT, 1, Side::Buy, 9990, 1000));
  EXPECT_EQ(h.sim.queueAhead(1), 0);
  h.md(trade(kT + 1, 9990, 300, Side::Sell));
  h.md(trade(kT + 2, 9990, 900, Side::Sell));
  const auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].exec_type, ExecType::PartiallyFilled);
  EXPECT_EQ(r[1].last_qty, 300);
  EXPECT_EQ(r[1].cum_qty, 300);
  EXPECT_EQ(r[1].leaves_qty, 700);
  EXPECT_EQ(r[1].avg_price, 9990);
  EXPECT_EQ(r[1].header.exchange_ts_ns, kT + 1);
  EXPECT_EQ(r[2].exec_type, ExecType::Filled);
  EXPECT_EQ(r[2].last_qty, 700);
  EXPECT_EQ(r[2].cum_qty, 1000);
  EXPECT_EQ(r[2].leaves_qty, 0);
  EXPECT_EQ(r[2].trade_id, r[1].trade_id + 1);
  EXPECT_EQ(h.sim.openOrders(), 0u);
}

TEST(SimulatedExchange, bookShowingTheOppositeSideThroughOurPriceFillsTheRestAsMakerAtOurPrice) {
  Harness h;
  h.md(snapshot(kT, {{9990, 10000}}, {{10010, 1000}}));
  h.place(limit(kT, 1, Side::Buy, 9990, 1000));
  EXPECT_EQ(h.sim.queueAhead(1), 10000);
  h.md(delta(kT + 1, {{Side::Sell, 9980, 500}, {Side::Sell, 10010, 0}, {Side::Buy, 9990, 0}}));
  const auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::Filled);
  EXPECT_EQ(r[1].last_price, 9990);
  EXPECT_EQ(r[1].last_qty, 1000);
  EXPECT_EQ(r[1].liquidity, Liquidity::Maker);
}

TEST(SimulatedExchange, tradeThroughOurPriceFillsTheWholeRest) {
  Harness h;
  h.md(snapshot(kT, {{9990, 10000}}, {{10010, 1000}}));
  h.place(limit(kT, 1, Side::Buy, 9990, 1000));
  h.md(trade(kT + 1, 9980, 10, Side::Sell));
  const auto r = h.reportsFor(1);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].exec_type, ExecType::Filled);
  EXPECT_EQ(r[1].last_price, 9990);
  EXPECT_EQ(r[1].last_qty, 1000);
}

TEST(SimulatedExchange, tradesOnTheOtherSideDoNotFillUs) {
  Harness h;
  h.md(snapshot(kT, {{9990, 0}}, {{10010, 1000}}));
  h.place(limit(kT, 1, Side::Buy, 9990, 1000));
  h.md(trade(kT + 1, 9990, 5000, Side::Buy));  // a buyer lifting someone's offer at 99.90
  EXPECT_EQ(h.execTypes(1), (std::vector<ExecType>{ExecType::New}));
}

TEST(SimulatedExchange, invalidRequestsAreRejectedWithTheirReason) {
  Harness h;
  standardBook(h);
  auto unknown = limit(kT, 1, Side::Buy, 9990, 1000);
  unknown.header.instrument_id = 99;
  auto wrongVenue = limit(kT, 2, Side::Buy, 9990, 1000);
  wrongVenue.header.exchange_id = ExchangeId::Binance;
  h.place(unknown);
  h.place(wrongVenue);
  h.place(limit(kT, 3, Side::Buy, 9990, 0));
  h.place(limit(kT, 4, Side::Buy, 9990, 1005));
  h.place(limit(kT, 5, Side::Buy, 9995, 1000));
  h.place(limit(kT, 6, Side::Buy, 0, 1000));
  h.place(stop(kT, 7, Side::Buy, OrderType::StopMarket, 10003, 0, 1000));
  h.place(limit(kT, 8, Side::Buy, 9990, 1000));
  h.place(limit(kT, 8, Side::Buy, 9980, 1000));  // same id while 8 is open
  const std::vector<RejectReason> expected{RejectReason::UnknownInstrument, RejectReason::UnknownInstrument,
                                           RejectReason::InvalidQuantity,   RejectReason::OffLotQuantity,
                                           RejectReason::OffTickPrice,      RejectReason::InvalidPrice,
                                           RejectReason::OffTickPrice};
  for (common::ClientOrderId id = 1; id <= 7; ++id) {
    const auto r = h.reportsFor(id);
    ASSERT_EQ(r.size(), 1u) << id;
    EXPECT_EQ(r[0].exec_type, ExecType::Rejected) << id;
    EXPECT_EQ(r[0].reject_reason, expected[id - 1]) << id;
  }
  const auto dup = h.reportsFor(8);
  ASSERT_EQ(dup.size(), 2u);
  EXPECT_EQ(dup[1].exec_type, ExecType::Rejected);
  EXPECT_EQ(dup[1].reject_reason, RejectReason::DuplicateClientOrderId);
  EXPECT_EQ(h.sim.counters().rejects, 8u);
  EXPECT_EQ(h.sim.openOrders(), 1u);
}

TEST(SimulatedExchange, reportsCarryVenueTimeSendTimeIdsAndQuoteFeeAsset) {
  SimConfig c = instantConfig();
  c.order_latency = LatencyModel::constant(3'000);
  c.ack_latency = LatencyModel::constant(500);
  Harness h(c);
  standardBook(h);
  h.send(market(kT, 41, Side::Buy, 1000));
  h.send(limit(kT, 42, Side::Buy, 9990, 1000));
  h.sim.advanceTo(kT + 10'000);
  const auto r = h.reports();
  ASSERT_EQ(r.size(), 3u);
  for (const auto& x : r) {
    EXPECT_EQ(x.header.type, common::EventType::ExecutionReport);
    EXPECT_EQ(x.header.size, sizeof(common::ExecutionReport));
    EXPECT_EQ(x.header.exchange_id, ExchangeId::Simulated);
    EXPECT_EQ(x.header.instrument_id, kSpot);
    EXPECT_EQ(x.header.exchange_ts_ns, kT + 3'000);
    EXPECT_EQ(x.venue_ts_ns, kT + 3'000);
    EXPECT_EQ(x.header.receive_ts_ns, kT + 3'500);
    EXPECT_EQ(x.local_send_ts_ns, kT);
    EXPECT_EQ(x.strategy_id, kStrategy);
    EXPECT_STREQ(x.fee_asset, "USDT");
  }
  EXPECT_EQ(r[0].venue_order_id, 1u);
  EXPECT_EQ(r[1].venue_order_id, 1u);
  EXPECT_EQ(r[2].venue_order_id, 2u);
  ASSERT_EQ(h.sim.fills().size(), 1u);
  EXPECT_EQ(h.sim.fills()[0].client_order_id, 41u);
  EXPECT_EQ(h.sim.fills()[0].fee_asset, "USDT");
  EXPECT_EQ(h.sim.fills()[0].ts, kT + 3'000);
}

}  // namespace
}  // namespace hft::test
