// Fault tests across real processes (fork): a lapped consumer, consumers killed with SIGKILL
// mid-read, a producer that crashes and restarts, and a schema version mismatch.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>
#include <vector>

#include "TestBus.h"
#include "data_store/BroadcastRing.h"
#include "data_store/RingConsumer.h"

using namespace hft;
using namespace hft::data_store;
using hft::test::checkedTrade;
using hft::test::isIntactTrade;
using hft::test::ShmCleanup;
using hft::test::uniqueName;

namespace {

/// What a child reader reports back through anonymous shared memory.
struct ReaderReport {
  std::atomic<uint64_t> delivered{0};
  std::atomic<uint64_t> lost{0};
  std::atomic<uint64_t> torn{0};
  std::atomic<uint64_t> disorder{0};
  std::atomic<uint64_t> last_seq{0};
  std::atomic<uint32_t> attached{0};
  std::atomic<uint32_t> restarts_seen{0};
};

template <class T>
T* sharedAnon(size_t n = 1) {
  void* p = mmap(nullptr, sizeof(T) * n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  return new (p) T[n];
}

/// Child body: reads until it sees `total` as the last sequence (or forever if total == 0),
/// checking every message; `slowEvery` > 0 sleeps 1 ms every that many messages.
[[noreturn]] void readerChild(const std::string& ring, ReaderReport* rep, uint64_t total, int slowEvery) {
  try {
    MarketDataSubscriber sub(ring, StartAt::Oldest, 5000);
    rep->attached.store(1);
    uint64_t last = 0, n = 0;
    for (;;) {
      sub.poll([&](const common::EventHeader& h) {
        if (h.type == common::EventType::Gap) {
          rep->lost.fetch_add(reinterpret_cast<const common::Gap&>(h).lost_count);
          return;
        }
        const auto& t = reinterpret_cast<const common::Trade&>(h);
        if (!isIntactTrade(t)) rep->torn.fetch_add(1);
        if (t.header.sequence <= last) rep->disorder.fetch_add(1);
        last = t.header.sequence;
        rep->last_seq.store(last);
        rep->delivered.fetch_add(1);
        if (slowEvery > 0 && ++n % static_cast<uint64_t>(slowEvery) == 0) usleep(1000);
      });
      if (total != 0 && last >= total) _exit(0);
    }
  } catch (const std::exception& e) {
    fprintf(stderr, "reader child: %s\n", e.what());
    _exit(3);
  }
}

void waitAttached(ReaderReport* rep) {
  for (int i = 0; i < 500 && rep->attached.load() == 0; ++i) usleep(2000);
  ASSERT_EQ(rep->attached.load(), 1u) << "child never attached";
}

int waitExit(pid_t pid, int timeoutMs = 20000) {
  for (int i = 0; i < timeoutMs / 5; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    usleep(5000);
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

}  // namespace

TEST(MultiProcessRing, lappedConsumerInAnotherProcessCountsEveryLostMessage) {
  ShmCleanup shm(uniqueName("md"));
  MarketDataPublisher pub(shm.name, 256);
  auto* rep = sharedAnon<ReaderReport>();
  constexpr uint64_t kTotal = 100'000;
  const pid_t child = fork();
  if (child == 0) readerChild(shm.name, rep, kTotal, 64);  // slow: sleeps 1 ms every 64 messages
  waitAttached(rep);
  for (uint64_t i = 1; i <= kTotal; ++i) {
    auto t = checkedTrade(i);
    pub.publish(t);
    if (i % 1000 == 0) usleep(200);  // fast enough to lap the reader many times
  }
  ASSERT_EQ(waitExit(child), 0);
  EXPECT_EQ(rep->torn.load(), 0u);
  EXPECT_EQ(rep->disorder.load(), 0u);
  EXPECT_GT(rep->lost.load(), 0u) << "the test is meant to lap the reader";
  EXPECT_EQ(rep->delivered.load() + rep->lost.load(), kTotal);
}

TEST(MultiProcessRing, sigkillOfConsumersMidReadLeavesProducerAndOthersUnaffected) {
  ShmCleanup shm(uniqueName("md"));
  MarketDataPublisher pub(shm.name, 1024);
  auto* survivor = sharedAnon<ReaderReport>();
  auto* victims = sharedAnon<ReaderReport>(8);
  constexpr uint64_t kTotal = 400'000;
  const pid_t keeper = fork();
  if (keeper == 0) readerChild(shm.name, survivor, kTotal, 0);
  waitAttached(survivor);
  std::vector<pid_t> killed;
  pid_t victim = -1;
  int v = 0;
  for (uint64_t i = 1; i <= kTotal; ++i) {
    auto t = checkedTrade(i);
    pub.publish(t);
    // Every 50k messages: kill the current victim wherever it is, start another one.
    if (i % 50'000 == 1 && v < 8) {
      if (victim > 0) {
        kill(victim, SIGKILL);
        waitpid(victim, nullptr, 0);
        killed.push_back(victim);
      }
      victim = fork();
      if (victim == 0) readerChild(shm.name, &victims[v], 0, 0);
      ++v;
    }
    if (i % 2000 == 0) usleep(100);  // let the readers keep up
  }
  if (victim > 0) {
    kill(victim, SIGKILL);
    waitpid(victim, nullptr, 0);
  }
  EXPECT_EQ(pub.lastSequence(), kTotal) << "the producer never waited for anyone";
  ASSERT_EQ(waitExit(keeper), 0);
  EXPECT_EQ(survivor->torn.load(), 0u);
  EXPECT_EQ(survivor->disorder.load(), 0u);
  EXPECT_EQ(survivor->delivered.load() + survivor->lost.load(), kTotal);
  EXPECT_GE(killed.size(), 6u);
  for (int k = 0; k < v; ++k) EXPECT_EQ(victims[k].torn.load(), 0u) << "victim " << k;
}

TEST(MultiProcessRing, consumerReattachesWhenTheProducerCrashesAndRestarts) {
  ShmCleanup shm(uniqueName("md"));
  auto* go = sharedAnon<std::atomic<uint32_t>>();
  auto producerChild = [&](uint64_t base) -> pid_t {
    const pid_t p = fork();
    if (p == 0) {
      try {
        MarketDataPublisher pub(shm.name, 1024);
        go->store(1);
        for (uint64_t i = 1; i <= 500; ++i) {
          auto t = checkedTrade(base + i);
          pub.publish(t);
        }
        pause();  // stay alive until killed: a crash, not a clean exit
      } catch (const std::exception& e) {
        fprintf(stderr, "producer child: %s\n", e.what());
      }
      _exit(3);
    }
    return p;
  };
  const pid_t first = producerChild(0);
  for (int i = 0; i < 500 && go->load() == 0; ++i) usleep(2000);
  ASSERT_EQ(go->load(), 1u);
  RingConsumer<kMarketDataSlotBytes> consumer(shm.name, nullptr, WaitKind::SpinYield, StartAt::Oldest);
  uint64_t fromFirst = 0, fromSecond = 0, restarts = 0, torn = 0;
  auto handler = [&](const common::EventHeader& h) {
    if (h.type == common::EventType::Gap) {
      if (reinterpret_cast<const common::Gap&>(h).reason == common::GapReason::ProducerRestarted) ++restarts;
      return;
    }
    const auto& t = reinterpret_cast<const common::Trade&>(h);
    if (!isIntactTrade(t)) ++torn;
    if (t.header.exchange_ts_ns > 1'000'000) ++fromSecond;
    else ++fromFirst;
  };
  const auto runFor = [&](int ms) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < end) consumer.idle(consumer.poll(handler), handler);
  };
  runFor(100);
  EXPECT_EQ(fromFirst, 500u);
  kill(first, SIGKILL);  // crash: the segment stays behind with a dead owner
  waitpid(first, nullptr, 0);
  go->store(0);
  const pid_t second = producerChild(10'000'000);  // cleans the stale segment, makes a new one
  for (int i = 0; i < 500 && go->load() == 0; ++i) usleep(2000);
  runFor(400);
  kill(second, SIGKILL);
  waitpid(second, nullptr, 0);
  EXPECT_EQ(restarts, 1u);
  EXPECT_EQ(consumer.reattachCount(), 1u);
  EXPECT_EQ(fromSecond, 500u) << "all of the new producer's messages arrive";
  EXPECT_EQ(torn, 0u);
}

TEST(MultiProcessRing, schemaVersionMismatchIsAClearErrorNamingBothVersions) {
  ShmCleanup shm(uniqueName("md"));
  auto* ready = sharedAnon<std::atomic<uint32_t>>();
  const pid_t child = fork();
  if (child == 0) {
    // A process built with a newer schema: same layout, schema version + 1.
    SegmentHeader h{};
    h.magic = kSegmentMagic;
    h.layout_version = kLayoutVersion;
    h.schema_version = common::kSchemaVersion + 1;
    h.kind = SegmentKind::BroadcastRing;
    h.slot_bytes = kMarketDataSlotBytes;
    h.capacity = 16;
    h.epoch = newEpoch();
    h.total_bytes = ringSegmentBytes(kMarketDataSlotBytes, 16);
    ShmSegment seg = ShmSegment::create(shm.name, h, {});
    readyFlag(seg.header()).store(kSegmentLive);
    ready->store(1);
    pause();
    _exit(0);
  }
  for (int i = 0; i < 500 && ready->load() == 0; ++i) usleep(2000);
  try {
    MarketDataSubscriber sub(shm.name, StartAt::Live, 100);
    ADD_FAILURE() << "attach must fail";
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("schema version mismatch"), std::string::npos) << msg;
    EXPECT_NE(msg.find("segment has version " + std::to_string(common::kSchemaVersion + 1)), std::string::npos) << msg;
    EXPECT_NE(msg.find("built with version " + std::to_string(common::kSchemaVersion)), std::string::npos) << msg;
  }
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
}

TEST(MultiProcessRing, layoutVersionMismatchIsRefusedToo) {
  ShmCleanup shm(uniqueName("md"));
  SegmentHeader h{};
  h.magic = kSegmentMagic;
  h.layout_version = kLayoutVersion + 7;
  h.schema_version = common::kSchemaVersion;
  h.kind = SegmentKind::BroadcastRing;
  h.slot_bytes = kMarketDataSlotBytes;
  h.capacity = 16;
  h.total_bytes = ringSegmentBytes(kMarketDataSlotBytes, 16);
  ShmSegment seg = ShmSegment::create(shm.name, h, {});
  readyFlag(seg.header()).store(kSegmentLive);
  try {
    MarketDataSubscriber sub(shm.name, StartAt::Live, 100);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("layout version mismatch: segment has version " +
                                         std::to_string(kLayoutVersion + 7)),
              std::string::npos)
        << e.what();
  }
}

TEST(MultiProcessRing, staleSegmentOfACrashedOwnerIsCleanedAtStart) {
  ShmCleanup shm(uniqueName("md"));
  const pid_t child = fork();
  if (child == 0) {
    MarketDataPublisher pub(shm.name, 16);
    auto t = checkedTrade(1);
    pub.publish(t);
    raise(SIGKILL);  // dies holding the segment
  }
  waitpid(child, nullptr, 0);
  ASSERT_TRUE(ShmSegment::exists(shm.name));
  MarketDataPublisher pub(shm.name, 16);  // must not throw: the owner is dead
  MarketDataSubscriber sub(shm.name, StartAt::Oldest);
  EXPECT_EQ(sub.producerPid(), static_cast<uint32_t>(getpid()));
  EXPECT_EQ(sub.producerSequence(), 0u) << "a fresh ring, not the crashed run's data";
}
