#include "gateways/CompositeGateway.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/Events.h"
#include "gateways/SyntheticGateway.h"

using namespace hft::common;
using namespace hft::gateways;
using hft::interfaces::IEventSink;
using hft::interfaces::IGateway;

// Counts every allocation in this binary, so a test can prove poll() allocates nothing.
namespace {
std::atomic<uint64_t> gAllocations{0};
}
void* operator new(size_t n) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
// Not inlined: GCC would otherwise see free() on a new'd pointer and warn of a mismatch.
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace {

/// What the scripted gateways did, in call order ("binance:start", "upbit:poll", ...).
std::vector<std::string> gCalls;

/// A gateway that delivers `total` trades of its venue, `perPoll` per poll, and logs its calls.
class ScriptedGateway final : public IGateway {
 public:
  ScriptedGateway(ExchangeId venue, std::string name, int total, int perPoll, bool failStart = false)
      : venue_(venue), name_(std::move(name)), total_(total), perPoll_(perPoll), failStart_(failStart) {}
  std::string name() const override { return name_; }
  void start(IEventSink& sink) override {
    gCalls.push_back(name_ + ":start");
    if (failStart_) throw std::runtime_error(name_ + ": cannot connect");
    sink_ = &sink;
  }
  int poll() noexcept override {
    if (!sink_) return 0;
    ++polls;
    int n = 0;
    for (; n < perPoll_ && sent_ < total_; ++n, ++sent_) {
      Trade t{};
      t.header = makeHeader<Trade>(venue_, static_cast<InstrumentId>(venue_ == ExchangeId::Upbit ? 5 : 1),
                                   1'000 + sent_, 1'000 + sent_);
      t.trade_id = static_cast<uint64_t>(sent_ + 1);
      sink_->onEvent(t.header);
    }
    return n;
  }
  bool finished() const noexcept override { return total_ >= 0 && sent_ >= total_; }
  void stop() noexcept override {
    gCalls.push_back(name_ + ":stop");
    sink_ = nullptr;
  }
  int polls = 0;

 private:
  ExchangeId venue_;
  std::string name_;
  int total_, perPoll_, sent_ = 0;
  bool failStart_;
  IEventSink* sink_ = nullptr;
};

/// Keeps (venue, instrument, trade id) of every trade, in arrival order, in reserved space.
struct TradeSink final : IEventSink {
  struct Seen {
    ExchangeId venue;
    InstrumentId instrument;
    uint64_t trade_id;
  };
  std::vector<Seen> seen;
  uint64_t events = 0;
  TradeSink() { seen.reserve(100'000); }
  void onEvent(EventHeader& e) noexcept override {
    ++events;
    if (e.type == EventType::Trade && seen.size() < seen.capacity())
      seen.push_back({e.exchange_id, e.instrument_id, reinterpret_cast<const Trade&>(e).trade_id});
  }
};

std::vector<std::unique_ptr<IGateway>> members(std::unique_ptr<IGateway> a, std::unique_ptr<IGateway> b) {
  std::vector<std::unique_ptr<IGateway>> v;
  v.push_back(std::move(a));
  v.push_back(std::move(b));
  return v;
}

}  // namespace

TEST(CompositeGateway, refusesNoMembersAndNullMembers) {
  EXPECT_THROW(CompositeGateway g{std::vector<std::unique_ptr<IGateway>>{}}, std::invalid_argument);
  std::vector<std::unique_ptr<IGateway>> v;
  v.push_back(std::make_unique<ScriptedGateway>(ExchangeId::Binance, "binance", 1, 1));
  v.push_back(nullptr);
  try {
    CompositeGateway g(std::move(v));
    FAIL() << "a null member was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("member 1"), std::string::npos) << e.what();
  }
}

TEST(CompositeGateway, isNamedAfterItsMembers) {
  CompositeGateway g(members(std::make_unique<ScriptedGateway>(ExchangeId::Binance, "binance", 1, 1),
                             std::make_unique<ScriptedGateway>(ExchangeId::Upbit, "upbit", 1, 1)));
  EXPECT_EQ(g.name(), "binance+upbit");
  EXPECT_EQ(g.size(), 2u);
  EXPECT_EQ(g.member(1).name(), "upbit");
}

TEST(CompositeGateway, pollsEveryMemberOnceAndEventsKeepTheirVenue) {
  CompositeGateway g(members(std::make_unique<ScriptedGateway>(ExchangeId::Binance, "binance", 5, 2),
                             std::make_unique<ScriptedGateway>(ExchangeId::Upbit, "upbit", 3, 3)));
  TradeSink sink;
  EXPECT_EQ(g.poll(), 0) << "nothing before start";
  g.start(sink);
  EXPECT_EQ(g.poll(), 5);  // binance 2 + upbit 3
  ASSERT_EQ(sink.seen.size(), 5u);
  EXPECT_EQ(sink.seen[0].venue, ExchangeId::Binance);
  EXPECT_EQ(sink.seen[1].venue, ExchangeId::Binance);
  for (size_t i = 2; i < 5; ++i) {
    EXPECT_EQ(sink.seen[i].venue, ExchangeId::Upbit);
    EXPECT_EQ(sink.seen[i].instrument, 5u);
    EXPECT_EQ(sink.seen[i].trade_id, i - 1);
  }
  EXPECT_FALSE(g.finished()) << "binance still has 3 trades";
  EXPECT_EQ(g.poll(), 2);
  EXPECT_EQ(g.poll(), 1);
  EXPECT_TRUE(g.finished());
  EXPECT_EQ(g.poll(), 0);
  EXPECT_EQ(sink.seen.size(), 8u);
  // A finished member is not polled again.
  EXPECT_EQ(static_cast<ScriptedGateway&>(g.member(1)).polls, 1);
  EXPECT_EQ(static_cast<ScriptedGateway&>(g.member(0)).polls, 3);
}

TEST(CompositeGateway, finishesOnlyWhenEveryMemberHas) {
  // total -1: a live venue, never finished.
  CompositeGateway g(members(std::make_unique<ScriptedGateway>(ExchangeId::Binance, "binance", -1, 4),
                             std::make_unique<ScriptedGateway>(ExchangeId::Upbit, "upbit", 2, 4)));
  TradeSink sink;
  g.start(sink);
  for (int i = 0; i < 10; ++i) (void)g.poll();
  EXPECT_TRUE(g.member(1).finished());
  EXPECT_FALSE(g.finished());
}

TEST(CompositeGateway, stopsEveryMemberInReverseOrder) {
  gCalls.clear();
  CompositeGateway g(members(std::make_unique<ScriptedGateway>(ExchangeId::Binance, "binance", 5, 1),
                             std::make_unique<ScriptedGateway>(ExchangeId::Upbit, "upbit", 5, 1)));
  TradeSink sink;
  g.start(sink);
  EXPECT_EQ(g.poll(), 2);
  g.stop();
  EXPECT_EQ(gCalls, (std::vector<std::string>{"binance:start", "upbit:start", "upbit:stop", "binance:stop"}));
  EXPECT_EQ(g.poll(), 0) << "stopped members deliver nothing";
}

TEST(CompositeGateway, aMemberThatFailsToStartStopsTheOnesAlreadyStarted) {
  gCalls.clear();
  std::vector<std::unique_ptr<IGateway>> v;
  v.push_back(std::make_unique<ScriptedGateway>(ExchangeId::Binance, "binance", 5, 1));
  v.push_back(std::make_unique<ScriptedGateway>(ExchangeId::Upbit, "upbit", 5, 1, true));
  v.push_back(std::make_unique<ScriptedGateway>(ExchangeId::Bithumb, "bithumb", 5, 1));
  CompositeGateway g(std::move(v));
  TradeSink sink;
  try {
    g.start(sink);
    FAIL() << "start did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "upbit: cannot connect");
  }
  EXPECT_EQ(gCalls, (std::vector<std::string>{"binance:start", "upbit:start", "binance:stop"}));
  EXPECT_EQ(g.poll(), 0) << "nothing is left running";
}

SyntheticConfig venueMarket(ExchangeId venue, InstrumentId id, int64_t startPrice, uint64_t seed) {
  SyntheticConfig cfg;
  cfg.seed = seed;
  cfg.max_events = 20'000;
  cfg.instruments = {{id, venue, startPrice, 1, 1'000, 2, 8}};
  return cfg;
}

TEST(CompositeGateway, twoSyntheticVenuesDeliverEverythingWithoutAllocating) {
  CompositeGateway g(members(std::make_unique<SyntheticGateway>(venueMarket(ExchangeId::Binance, 1, 6'500'000, 1), 64),
                             std::make_unique<SyntheticGateway>(venueMarket(ExchangeId::Upbit, 5, 6'500'000, 2), 64)));
  struct VenueCount final : IEventSink {
    uint64_t binance = 0, upbit = 0, other = 0;
    void onEvent(EventHeader& e) noexcept override {
      if (e.exchange_id == ExchangeId::Binance && e.instrument_id == 1) ++binance;
      else if (e.exchange_id == ExchangeId::Upbit && e.instrument_id == 5) ++upbit;
      else ++other;
    }
  } sink;
  g.start(sink);
  (void)g.poll();  // warm-up
  const uint64_t before = gAllocations.load();
  while (!g.finished()) (void)g.poll();
  EXPECT_EQ(gAllocations.load() - before, 0u) << "poll() allocated";
  EXPECT_EQ(sink.binance, 20'000u);
  EXPECT_EQ(sink.upbit, 20'000u);
  EXPECT_EQ(sink.other, 0u);
  g.stop();
}
