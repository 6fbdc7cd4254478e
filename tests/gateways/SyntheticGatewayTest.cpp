#include "gateways/SyntheticGateway.h"

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <vector>

using namespace hft::common;
using namespace hft::gateways;

namespace {

SyntheticConfig smallConfig(uint64_t maxEvents) {
  SyntheticConfig cfg;
  cfg.max_events = maxEvents;
  cfg.instruments = {{1, ExchangeId::Simulated, 6'500'000, 10, 1'000, 2, 6},
                     {2, ExchangeId::Simulated, 350'000, 1, 10'000, 2, 8}};
  return cfg;
}

/// Keeps a copy of every event it is given.
struct RecordingSink final : hft::interfaces::IEventSink {
  std::vector<EventBuffer> events;
  void onEvent(EventHeader& event) noexcept override {
    EventBuffer b{};
    std::memcpy(b.bytes, &event, event.size);
    events.push_back(b);
  }
};

}  // namespace

TEST(SyntheticGateway, deliversAtMostTheBatchSizePerPollUntilFinished) {
  SyntheticGateway gw(smallConfig(1'000), 64);
  RecordingSink sink;
  EXPECT_EQ(gw.name(), "synthetic");
  gw.start(sink);
  int polls = 0;
  while (!gw.finished()) {
    const int n = gw.poll();
    ASSERT_GT(n, 0);
    ASSERT_LE(n, 64);
    ++polls;
  }
  EXPECT_EQ(polls, 16);  // 15 x 64 + 40
  EXPECT_EQ(sink.events.size(), 1'000u);
  EXPECT_EQ(gw.poll(), 0);
  EXPECT_EQ(gw.market().generated(), 1'000u);
}

TEST(SyntheticGateway, deliversExactlyTheMarketsEvents) {
  SyntheticGateway gw(smallConfig(5'000), 100);
  RecordingSink sink;
  gw.start(sink);
  while (gw.poll() > 0) {
  }
  SyntheticMarket m(smallConfig(5'000));
  EventBuffer buf;
  ASSERT_EQ(sink.events.size(), 5'000u);
  for (const EventBuffer& e : sink.events) {
    ASSERT_TRUE(m.next(buf));
    ASSERT_EQ(std::memcmp(e.bytes, buf.bytes, buf.header().size), 0);
  }
}

TEST(SyntheticGateway, deliversNothingBeforeStartOrAfterStop) {
  SyntheticGateway gw(smallConfig(0), 10);
  RecordingSink sink;
  EXPECT_EQ(gw.poll(), 0);
  gw.start(sink);
  EXPECT_EQ(gw.poll(), 10);
  gw.stop();
  EXPECT_EQ(gw.poll(), 0);
  EXPECT_FALSE(gw.finished());  // unbounded runs never finish
  gw.start(sink);               // resumes where it stopped
  EXPECT_EQ(gw.poll(), 10);
  EXPECT_EQ(sink.events.size(), 20u);
}

TEST(SyntheticGateway, rejectsABadConfigAtConstruction) {
  EXPECT_THROW(SyntheticGateway(SyntheticConfig{}), std::invalid_argument);
  EXPECT_THROW(SyntheticGateway(smallConfig(10), 0), std::invalid_argument);
}
