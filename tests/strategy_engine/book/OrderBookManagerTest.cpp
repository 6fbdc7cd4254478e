// Books of many instruments fed from bus events (strategy_engine/book/OrderBookManager.h).
#include "strategy_engine/book/OrderBookManager.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "BookEvents.h"

using namespace hft;
using namespace hft::strategy_engine;
using common::Side;
using test::delta;
using test::snapshot;

namespace {

TEST(OrderBookManager, dispatchesDeltasAndSnapshotsToTheNamedInstrument) {
  OrderBookManager m({{1, 10}, {7, 5}});
  EXPECT_EQ(m.size(), 2u);
  const auto d = delta({{Side::Buy, 1000, 5}}, 0, 3, 7);
  const OrderBook* b7 = m.onEvent(d.header);
  ASSERT_NE(b7, nullptr);
  EXPECT_EQ(b7, m.book(7));
  EXPECT_EQ(b7->bestBid().price, 1000);
  EXPECT_EQ(b7->tick(), 5);
  EXPECT_TRUE(m.book(1)->empty());

  const auto s = snapshot({{990, 1}}, {{1010, 2}}, 9, 1);
  EXPECT_EQ(m.onEvent(s.header), m.book(1));
  EXPECT_EQ(m.book(1)->bestAsk().price, 1010);
  EXPECT_EQ(m.book(1)->lastUpdateId(), 9u);
  EXPECT_EQ(m.book(7)->bestBid().price, 1000);
}

TEST(OrderBookManager, ignoresOtherEventsAndUnknownInstruments) {
  OrderBookManager m({{1, 10}});
  common::Trade t{};
  t.header = common::makeHeader<common::Trade>(common::ExchangeId::Simulated, 1, 1, 1);
  EXPECT_EQ(m.onEvent(t.header), nullptr);
  const auto d = delta({{Side::Buy, 1000, 5}}, 0, 3, 2);
  EXPECT_EQ(m.onEvent(d.header), nullptr);
  EXPECT_EQ(m.unknownInstrumentEvents(), 1u);
  EXPECT_EQ(m.book(2), nullptr);
  EXPECT_EQ(m.book(0), nullptr);
  EXPECT_EQ(m.book(100000), nullptr);
  EXPECT_TRUE(m.book(1)->empty());
}

TEST(OrderBookManager, refusesADeltaWhoseSizeIsShorterThanItsCount) {
  OrderBookManager m({{1, 10}});
  auto d = delta({{Side::Buy, 1000, 5}, {Side::Buy, 990, 5}});
  d.header.size = common::BookDelta::sizeFor(1);
  EXPECT_EQ(m.onEvent(d.header), nullptr);
  EXPECT_EQ(m.malformedEvents(), 1u);
  EXPECT_TRUE(m.book(1)->empty());
}

TEST(OrderBookManager, refusesZeroDuplicateOrOutOfRangeIdsAndBadTicks) {
  using Ticks = std::vector<std::pair<common::InstrumentId, int64_t>>;
  EXPECT_THROW(OrderBookManager(Ticks{{0, 1}}), std::invalid_argument);
  EXPECT_THROW(OrderBookManager(Ticks{{1, 1}, {1, 2}}), std::invalid_argument);
  EXPECT_THROW(OrderBookManager(Ticks{{70000, 1}}), std::invalid_argument);
  EXPECT_THROW(OrderBookManager(Ticks{{1, 0}}), std::invalid_argument);
}

TEST(OrderBookManager, buildsOneBookPerRegistryInstrumentWithItsTick) {
  const nlohmann::json doc = {
      {"instruments",
       {{{"id", 1}, {"exchange", "binance"}, {"base", "BTC"}, {"quote", "USDT"}, {"venue_symbol", "BTCUSDT"},
         {"price_scale", 2}, {"qty_scale", 5}, {"tick_size", "0.01"}, {"lot_size", "0.00001"}, {"min_notional", "5"}},
        {{"id", 3}, {"exchange", "upbit"}, {"base", "BTC"}, {"quote", "KRW"}, {"venue_symbol", "KRW-BTC"},
         {"price_scale", 0}, {"qty_scale", 8}, {"tick_size", "1000"}, {"lot_size", "0.00000001"},
         {"min_notional", "5000"}}}}};
  const auto registry = config::InstrumentRegistry::fromJson(doc, "test");
  OrderBookManager m(registry, 10);
  EXPECT_EQ(m.size(), 2u);
  ASSERT_NE(m.book(1), nullptr);
  ASSERT_NE(m.book(3), nullptr);
  EXPECT_EQ(m.book(2), nullptr);
  EXPECT_EQ(m.book(1)->tick(), 1);
  EXPECT_EQ(m.book(3)->tick(), 1000);
  EXPECT_EQ(m.book(3)->windowTicks(), 1024);
}

}  // namespace
