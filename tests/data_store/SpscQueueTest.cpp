#include "data_store/SpscQueue.h"

#include <gtest/gtest.h>

#include <thread>

#include "TestBus.h"

using namespace hft;
using namespace hft::data_store;
using hft::test::ShmCleanup;
using hft::test::uniqueName;

namespace {
common::OrderRequest order(uint64_t id) {
  common::OrderRequest r{};
  r.header = common::makeHeader<common::OrderRequest>(common::ExchangeId::Binance, 1, 0, 0);
  r.client_order_id = id;
  r.qty = static_cast<int64_t>(id * 10);
  r.price = 100;
  r.action = common::OrderAction::New;
  r.side = common::Side::Buy;
  r.type = common::OrderType::Limit;
  r.tif = common::TimeInForce::GTC;
  return r;
}
}  // namespace

TEST(SpscQueue, deliversOrdersInOrder) {
  ShmCleanup shm(uniqueName("orders"));
  OrderQueueProducer p(shm.name, 8);
  OrderQueueConsumer c(shm.name);
  for (uint64_t i = 1; i <= 5; ++i) ASSERT_TRUE(p.tryPush(order(i)));
  common::OrderRequest r{};
  for (uint64_t i = 1; i <= 5; ++i) {
    ASSERT_TRUE(c.tryPop(r));
    EXPECT_EQ(r.client_order_id, i);
    EXPECT_EQ(r.qty, static_cast<int64_t>(i * 10));
  }
  EXPECT_FALSE(c.tryPop(r));
}

TEST(SpscQueue, refusesPushWhenFullAndNeverOverwrites) {
  ShmCleanup shm(uniqueName("orders"));
  OrderQueueProducer p(shm.name, 4);
  OrderQueueConsumer c(shm.name);
  for (uint64_t i = 1; i <= 4; ++i) ASSERT_TRUE(p.tryPush(order(i)));
  EXPECT_FALSE(p.tryPush(order(5))) << "a full queue refuses; the caller decides";
  EXPECT_EQ(p.depth(), 4u);
  common::OrderRequest r{};
  ASSERT_TRUE(c.tryPop(r));
  EXPECT_EQ(r.client_order_id, 1u);
  EXPECT_TRUE(p.tryPush(order(5)));
  for (uint64_t i = 2; i <= 5; ++i) {
    ASSERT_TRUE(c.tryPop(r));
    EXPECT_EQ(r.client_order_id, i);
  }
}

TEST(SpscQueue, restartedConsumerResumesWithoutLossOrRepeat) {
  ShmCleanup shm(uniqueName("orders"));
  OrderQueueProducer p(shm.name, 8);
  common::OrderRequest r{};
  {
    OrderQueueConsumer c(shm.name);
    for (uint64_t i = 1; i <= 6; ++i) ASSERT_TRUE(p.tryPush(order(i)));
    for (uint64_t i = 1; i <= 3; ++i) ASSERT_TRUE(c.tryPop(r));
  }  // the executor goes away with 3 orders unread
  for (uint64_t i = 7; i <= 9; ++i) ASSERT_TRUE(p.tryPush(order(i)));
  OrderQueueConsumer again(shm.name);
  for (uint64_t i = 4; i <= 9; ++i) {
    ASSERT_TRUE(again.tryPop(r));
    EXPECT_EQ(r.client_order_id, i);
  }
  EXPECT_FALSE(again.tryPop(r));
}

TEST(SpscQueue, threadsTransferEveryOrderExactlyOnce) {
  ShmCleanup shm(uniqueName("orders"));
  OrderQueueProducer p(shm.name, 64);
  OrderQueueConsumer c(shm.name);
  constexpr uint64_t kCount = 200'000;
  std::thread producer([&] {
    for (uint64_t i = 1; i <= kCount; ++i)
      while (!p.tryPush(order(i))) std::this_thread::yield();
  });
  uint64_t expected = 1, bad = 0;
  common::OrderRequest r{};
  while (expected <= kCount) {
    if (!c.tryPop(r)) continue;
    if (r.client_order_id != expected || r.qty != static_cast<int64_t>(expected * 10)) ++bad;
    ++expected;
  }
  producer.join();
  EXPECT_EQ(bad, 0u);
  EXPECT_FALSE(c.tryPop(r));
}
