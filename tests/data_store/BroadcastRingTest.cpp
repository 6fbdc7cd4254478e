#include "data_store/BroadcastRing.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <unistd.h>

#include <thread>
#include <vector>

#include "TestBus.h"

using namespace hft;
using namespace hft::data_store;
using hft::test::checkedTrade;
using hft::test::isIntactTrade;
using hft::test::ShmCleanup;
using hft::test::uniqueName;

namespace {

struct Collected {
  std::vector<common::Trade> trades;
  std::vector<common::Gap> gaps;
};

template <uint32_t S>
int drain(BroadcastSubscriber<S>& sub, Collected& c, int budget = 1 << 20) {
  return sub.poll(
      [&](const common::EventHeader& h) {
        if (h.type == common::EventType::Trade) c.trades.push_back(reinterpret_cast<const common::Trade&>(h));
        if (h.type == common::EventType::Gap) c.gaps.push_back(reinterpret_cast<const common::Gap&>(h));
      },
      budget);
}

}  // namespace

TEST(BroadcastRing, deliversEveryEventInOrderWithGapFreeSequences) {
  ShmCleanup shm(uniqueName("md"));
  MarketDataPublisher pub(shm.name, 64);
  MarketDataSubscriber sub(shm.name);
  for (uint64_t i = 1; i <= 50; ++i) {
    auto t = checkedTrade(i);
    EXPECT_EQ(pub.publish(t), i);
  }
  Collected c;
  EXPECT_EQ(drain(sub, c), 50);
  ASSERT_EQ(c.trades.size(), 50u);
  for (uint64_t i = 0; i < 50; ++i) {
    EXPECT_EQ(c.trades[i].header.sequence, i + 1);
    EXPECT_TRUE(isIntactTrade(c.trades[i]));
  }
  EXPECT_TRUE(c.gaps.empty());
  EXPECT_EQ(drain(sub, c), 0) << "nothing more to read";
}

TEST(BroadcastRing, copiesVariableSizeEventsExactly) {
  ShmCleanup shm(uniqueName("md"));
  MarketDataPublisher pub(shm.name, 16);
  MarketDataSubscriber sub(shm.name);
  common::BookDelta d{};
  d.header = common::makeHeader<common::BookDelta>(common::ExchangeId::Binance, 3, 11, 12, common::BookDelta::sizeFor(3));
  d.count = 3;
  d.first_update_id = 100;
  d.last_update_id = 102;
  for (int i = 0; i < 3; ++i) d.levels[i] = {1000 + i, 5 * i, i ? common::Side::Sell : common::Side::Buy, {}};
  pub.publish(d);
  common::BookDelta got{};
  sub.poll([&](const common::EventHeader& h) { std::memcpy(&got, &h, h.size); });
  EXPECT_EQ(got.header.size, common::BookDelta::sizeFor(3));
  EXPECT_EQ(std::memcmp(&got, &d, common::BookDelta::sizeFor(3)), 0);
}

TEST(BroadcastRing, consumersHaveIndependentCursors) {
  ShmCleanup shm(uniqueName("md"));
  MarketDataPublisher pub(shm.name, 64);
  MarketDataSubscriber a(shm.name), b(shm.name);
  for (uint64_t i = 1; i <= 10; ++i) {
    auto t = checkedTrade(i);
    pub.publish(t);
  }
  Collected ca, cb;
  EXPECT_EQ(drain(a, ca, 4), 4);
  EXPECT_EQ(drain(b, cb), 10);
  EXPECT_EQ(drain(a, ca), 6);
  EXPECT_EQ(a.cursor(), 11u);
  EXPECT_EQ(b.cursor(), 11u);
}

TEST(BroadcastRing, lateJoinerStartsLiveOrFromOldest) {
  ShmCleanup shm(uniqueName("md"));
  MarketDataPublisher pub(shm.name, 16);
  for (uint64_t i = 1; i <= 40; ++i) {
    auto t = checkedTrade(i);
    pub.publish(t);
  }
  MarketDataSubscriber live(shm.name, StartAt::Live);
  MarketDataSubscriber oldest(shm.name, StartAt::Oldest);
  Collected cl, co;
  EXPECT_EQ(drain(live, cl), 0);
  EXPECT_GT(drain(oldest, co), 8);
  EXPECT_TRUE(co.gaps.empty());
  EXPECT_EQ(co.trades.back().header.sequence, 40u);
}

TEST(BroadcastRing, lappedConsumerReportsLostCountAndSkipsToLiveData) {
  ShmCleanup shm(uniqueName("md"));
  MarketDataPublisher pub(shm.name, 8);
  MarketDataSubscriber sub(shm.name);
  for (uint64_t i = 1; i <= 3; ++i) {
    auto t = checkedTrade(i);
    pub.publish(t);
  }
  Collected c;
  drain(sub, c);
  ASSERT_EQ(c.trades.size(), 3u);
  for (uint64_t i = 4; i <= 30; ++i) {  // 27 more into 8 slots: the reader is lapped
    auto t = checkedTrade(i);
    pub.publish(t);
  }
  c = {};
  drain(sub, c);
  ASSERT_EQ(c.gaps.size(), 1u);
  EXPECT_EQ(c.gaps[0].reason, common::GapReason::ConsumerLapped);
  EXPECT_EQ(c.gaps[0].lost_count, 26u) << "messages 4..29 lost, 30 is delivered";
  ASSERT_EQ(c.trades.size(), 1u);
  EXPECT_EQ(c.trades[0].header.sequence, 30u);
  EXPECT_TRUE(isIntactTrade(c.trades[0]));
  EXPECT_EQ(sub.lostTotal(), 26u);
  // And it keeps going normally.
  auto t = checkedTrade(31);
  pub.publish(t);
  c = {};
  drain(sub, c);
  ASSERT_EQ(c.trades.size(), 1u);
  EXPECT_EQ(c.trades[0].header.sequence, 31u);
}

TEST(BroadcastRing, concurrentSlowReaderNeverSeesATornMessage) {
  ShmCleanup shm(uniqueName("md"));
  MarketDataPublisher pub(shm.name, 64);  // small ring: laps happen constantly
  constexpr uint64_t kCount = 400'000;
  MarketDataSubscriber sub(shm.name);
  std::atomic<bool> done{false};
  uint64_t delivered = 0, lost = 0, torn = 0, lastSeq = 0, disorder = 0;
  std::thread reader([&] {
    for (;;) {
      const bool finished = done.load(std::memory_order_acquire);
      const int n = sub.poll([&](const common::EventHeader& h) {
        if (h.type == common::EventType::Gap) {
          lost += reinterpret_cast<const common::Gap&>(h).lost_count;
          return;
        }
        const auto& t = reinterpret_cast<const common::Trade&>(h);
        if (!isIntactTrade(t)) ++torn;
        if (t.header.sequence <= lastSeq) ++disorder;
        lastSeq = t.header.sequence;
        ++delivered;
        if ((delivered & 63) == 0) std::this_thread::yield();  // be slow on purpose
      });
      if (finished && n == 0) break;
    }
  });
  for (uint64_t i = 1; i <= kCount; ++i) {
    auto t = checkedTrade(i);
    pub.publish(t);
  }
  done.store(true, std::memory_order_release);
  reader.join();
  EXPECT_EQ(torn, 0u);
  EXPECT_EQ(disorder, 0u);
  EXPECT_EQ(delivered + lost, kCount) << "every message is either delivered or counted as lost";
  EXPECT_EQ(lastSeq, kCount);
}

TEST(BroadcastRing, refusesASecondProducerWhileTheOwnerLives) {
  ShmCleanup shm(uniqueName("md"));
  MarketDataPublisher pub(shm.name, 16);
  try {
    MarketDataPublisher second(shm.name, 16);
    FAIL() << "a second producer must be refused";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("owned by running process " + std::to_string(getpid())), std::string::npos)
        << e.what();
  }
}

TEST(BroadcastRing, segmentsAreCreatedPrivateByDefault) {
  ShmCleanup shm(uniqueName("md"));
  MarketDataPublisher pub(shm.name, 16);
  struct stat st{};
  ASSERT_EQ(stat(("/dev/shm/" + shm.name).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(BroadcastRing, permissionsAreConfigurable) {
  ShmCleanup shm(uniqueName("md"));
  ShmOptions opts;
  opts.permissions = 0640;
  MarketDataPublisher pub(shm.name, 16, opts);
  struct stat st{};
  ASSERT_EQ(stat(("/dev/shm/" + shm.name).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(BroadcastRing, rejectsCapacityThatIsNotAPowerOfTwo) {
  ShmCleanup shm(uniqueName("md"));
  EXPECT_THROW(MarketDataPublisher(shm.name, 100), std::invalid_argument);
}

TEST(BroadcastRing, subscriberOfAMissingRingFailsWithAClearMessage) {
  try {
    MarketDataSubscriber sub(uniqueName("absent"), StartAt::Live, 50);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("is its producer running?"), std::string::npos) << e.what();
  }
}

TEST(BroadcastRing, slotSizeMismatchIsNamed) {
  ShmCleanup shm(uniqueName("md"));
  ExecPublisher pub(shm.name, 16);
  try {
    MarketDataSubscriber sub(shm.name, StartAt::Live, 50);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("segment has 256 bytes, this process expects 512"), std::string::npos)
        << e.what();
  }
}

TEST(BroadcastRing, restartedProducerIsDetected) {
  ShmCleanup shm(uniqueName("md"));
  auto pub = std::make_unique<MarketDataPublisher>(shm.name, 16);
  MarketDataSubscriber sub(shm.name);
  const uint64_t firstEpoch = sub.epoch();
  EXPECT_FALSE(sub.producerReplaced());
  pub.reset();
  EXPECT_TRUE(sub.producerClosed());
  pub = std::make_unique<MarketDataPublisher>(shm.name, 16);
  EXPECT_TRUE(sub.producerReplaced());
  MarketDataSubscriber again(shm.name);
  EXPECT_NE(again.epoch(), firstEpoch);
}

TEST(BroadcastRing, aConsumerDoesNotAttachToTheRingOfAnExitedProducer) {
  ShmCleanup shm(uniqueName("md"));
  { MarketDataPublisher gone(shm.name, 16); }  // exited cleanly: the segment stays, released
  ASSERT_TRUE(ShmSegment::exists(shm.name));
  try {
    MarketDataSubscriber sub(shm.name, StartAt::Live, 50);
    FAIL() << "must wait for a live producer";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("producer that has exited"), std::string::npos) << e.what();
  }
  // A consumer that starts waiting before the successor arrives gets the successor's ring.
  std::thread successor([&] {
    usleep(20'000);
    MarketDataPublisher next(shm.name, 16);
    usleep(200'000);
  });
  MarketDataSubscriber sub(shm.name, StartAt::Live, 2000);
  EXPECT_FALSE(sub.producerClosed());
  successor.join();
}
