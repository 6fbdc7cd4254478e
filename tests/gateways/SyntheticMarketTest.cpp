#include "gateways/SyntheticMarket.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <new>
#include <stdexcept>
#include <unordered_map>
#include <vector>

using namespace hft::common;
using namespace hft::gateways;

// Counts every allocation in this binary, so a test can prove next() allocates nothing.
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

/// Three realistic instruments: BTC (0.10 tick), ETH (0.01 tick), a cheap coin on another venue.
SyntheticConfig testConfig(uint64_t maxEvents, uint64_t seed = 42) {
  SyntheticConfig cfg;
  cfg.seed = seed;
  cfg.max_events = maxEvents;
  cfg.instruments = {
      {1, ExchangeId::Simulated, 6'500'000, 10, 1'000, 2, 6, 500'000},       // 65000.00 / 0.10, lot 0.001, touch 0.5
      {2, ExchangeId::Simulated, 350'000, 1, 10'000, 2, 8, 500'000'000},     // 3500.00 / 0.01, lot 0.0001, touch 5
      {7, ExchangeId::BinanceFutures, 15'000, 1, 1, 5, 0, 0},                // 0.15000 / 0.00001, lot 1, 20 lots
  };
  return cfg;
}

struct Book {
  std::map<int64_t, int64_t, std::greater<>> bids;
  std::map<int64_t, int64_t> asks;
  void apply(const PriceLevelUpdate& u) {
    if (u.side == Side::Buy) {
      if (u.qty == 0) bids.erase(u.price); else bids[u.price] = u.qty;
    } else {
      if (u.qty == 0) asks.erase(u.price); else asks[u.price] = u.qty;
    }
  }
};

struct InstrumentCheck {
  const SyntheticInstrument* spec = nullptr;
  Book book;
  uint64_t lastUpdateId = 0;
  bool inPiece = false;      // a continuation piece is outstanding
  uint64_t pieceFirst = 0;
  int64_t bboBid = 0, bboBidQty = 0, bboAsk = 0, bboAskQty = 0;
  uint64_t lastTradeId = 0;
  bool tradePending = false; // the next event must be the delta that consumes this trade
  Side tradeMaker = Side::None;
  int64_t tradePrice = 0, tradeQty = 0, tradeLevelBefore = 0;
  double minMidTicks = 1e300, maxMidTicks = -1e300;
  BookSnapshot snapshot{};
};

struct Stats {
  std::unordered_map<EventType, uint64_t> byType;
  uint64_t smallDeltas = 0;  // live (not initial) deltas of 1-6 levels
  uint64_t liveDeltas = 0;
};

/// Replays a bounded run, checking every invariant consumers rely on; returns counts.
/// Stops at the first failure so a bug reports once, not a million times.
Stats checkInvariants(const SyntheticConfig& cfg, bool expectTrends) {
  SyntheticMarket m(cfg);
  std::unordered_map<InstrumentId, InstrumentCheck> ins;
  for (const auto& s : cfg.instruments) ins[s.id].spec = &s;
  const auto depth = static_cast<size_t>(cfg.book_depth);
  Stats st;
  EventBuffer buf;
  TimestampNs lastTs = 0, lastRecv = 0;
  EventType mustFollow = EventType::Invalid;
  InstrumentId mustFollowFor = 0;
  uint64_t n = 0;
  while (m.next(buf)) {
    ++n;
    const EventHeader& h = buf.header();
    SCOPED_TRACE(testing::Message() << "event " << n << " " << toString(h.type));
    EXPECT_TRUE(isValidEventSize(h.type, h.size));
    EXPECT_EQ(h.schema_version, kSchemaVersion);
    EXPECT_EQ(h.sequence, 0u);
    EXPECT_EQ(h.publish_ts_ns, 0);
    auto it = ins.find(h.instrument_id);
    if (it == ins.end()) {
      ADD_FAILURE() << "unknown instrument " << h.instrument_id;
      return st;
    }
    InstrumentCheck& c = it->second;
    const SyntheticInstrument& spec = *c.spec;
    EXPECT_EQ(h.exchange_id, spec.exchange);
    EXPECT_GE(h.exchange_ts_ns, lastTs);
    EXPECT_GE(h.exchange_ts_ns, cfg.start_ns);
    EXPECT_GE(h.receive_ts_ns, lastRecv);
    EXPECT_GE(h.receive_ts_ns - h.exchange_ts_ns, 150'000);
    EXPECT_LE(h.receive_ts_ns - h.exchange_ts_ns, 2'200'000);
    lastTs = h.exchange_ts_ns;
    lastRecv = h.receive_ts_ns;
    ++st.byType[h.type];

    // An action's events come together: a Trade is followed by the delta that consumes it,
    // and a change of the top by the BestBidOffer that shows it.
    if (mustFollow != EventType::Invalid) {
      EXPECT_EQ(h.type, mustFollow);
      EXPECT_EQ(h.instrument_id, mustFollowFor);
      mustFollow = EventType::Invalid;
    }
    const auto onGrid = [&](int64_t price, int64_t qty, bool removal) {
      EXPECT_GT(price, 0);
      EXPECT_EQ(price % spec.tick_size, 0);
      EXPECT_EQ(qty % spec.lot_size, 0);
      EXPECT_TRUE(removal ? qty >= 0 : qty > 0);
    };

    const bool bookShown = !c.book.bids.empty() && !c.book.asks.empty();
    if (!bookShown && (h.type == EventType::Trade || h.type == EventType::BestBidOffer)) {
      ADD_FAILURE() << "a trade or quote before the book was shown";
      return st;
    }
    switch (h.type) {
      case EventType::BookSnapshot: {
        const auto& s = buf.as<BookSnapshot>();
        EXPECT_EQ(s.bid_count, std::min<size_t>(BookSnapshot::kDepth, depth));
        c.snapshot = s;
        break;
      }
      case EventType::BookDelta: {
        const auto& d = buf.as<BookDelta>();
        EXPECT_EQ(d.header.size, BookDelta::sizeFor(d.count));
        EXPECT_EQ(d.flags, d.header.flags);
        EXPECT_GE(d.count, 1);
        const bool initial = (d.flags & BookDelta::kFromSnapshot) != 0;
        if (c.inPiece) {
          EXPECT_EQ(d.first_update_id, c.pieceFirst);
          EXPECT_EQ(d.flags & BookDelta::kClearBook, 0);
        } else if (initial) {
          EXPECT_NE(d.flags & BookDelta::kClearBook, 0);
          EXPECT_EQ(d.first_update_id, c.snapshot.last_update_id);
          EXPECT_EQ(d.last_update_id, c.snapshot.last_update_id);
          c.book = {};
        } else {
          EXPECT_EQ(d.flags, 0);  // live diffs always fit one piece
          ++st.liveDeltas;
          st.smallDeltas += d.count <= 6;
          EXPECT_EQ(d.first_update_id, c.lastUpdateId + 1);
          EXPECT_EQ(d.prev_update_id, c.lastUpdateId);
          EXPECT_EQ(d.last_update_id, d.first_update_id + d.count - 1);
        }
        c.pieceFirst = d.first_update_id;
        c.lastUpdateId = d.last_update_id;
        for (uint16_t i = 0; i < d.count; ++i) {
          onGrid(d.levels[i].price, d.levels[i].qty, !initial);
          EXPECT_TRUE(d.levels[i].side == Side::Buy || d.levels[i].side == Side::Sell);
          c.book.apply(d.levels[i]);
        }
        c.inPiece = (d.flags & BookDelta::kContinuation) != 0;
        if (c.inPiece) break;
        if (c.tradePending) {  // the book shows the liquidity the trade took
          const int64_t left = c.tradeMaker == Side::Sell
                                   ? (c.book.asks.count(c.tradePrice) ? c.book.asks.at(c.tradePrice) : 0)
                                   : (c.book.bids.count(c.tradePrice) ? c.book.bids.at(c.tradePrice) : 0);
          EXPECT_EQ(left, c.tradeLevelBefore - c.tradeQty);
          c.tradePending = false;
        }
        EXPECT_EQ(c.book.bids.size(), depth);
        EXPECT_EQ(c.book.asks.size(), depth);
        if (c.book.bids.empty() || c.book.asks.empty()) break;
        const auto [bid, bidQty] = *c.book.bids.begin();
        const auto [ask, askQty] = *c.book.asks.begin();
        EXPECT_LT(bid, ask) << "crossed book";
        if (bid != c.bboBid || bidQty != c.bboBidQty || ask != c.bboAsk || askQty != c.bboAskQty) {
          mustFollow = EventType::BestBidOffer;
          mustFollowFor = h.instrument_id;
        }
        const double midTicks = 0.5 * static_cast<double>(bid + ask) / static_cast<double>(spec.tick_size);
        c.minMidTicks = std::min(c.minMidTicks, midTicks);
        c.maxMidTicks = std::max(c.maxMidTicks, midTicks);
        if (initial) {  // the snapshot shows the top of the book the delta carried
          size_t i = 0;
          for (auto b = c.book.bids.begin(); i < c.snapshot.bid_count; ++b, ++i)
            EXPECT_TRUE(c.snapshot.bids[i].price == b->first && c.snapshot.bids[i].qty == b->second);
          i = 0;
          for (auto a = c.book.asks.begin(); i < c.snapshot.ask_count; ++a, ++i)
            EXPECT_TRUE(c.snapshot.asks[i].price == a->first && c.snapshot.asks[i].qty == a->second);
        }
        break;
      }
      case EventType::Trade: {
        const auto& t = buf.as<Trade>();
        EXPECT_FALSE(c.inPiece);
        onGrid(t.price, t.qty, false);
        EXPECT_EQ(t.trade_id, c.lastTradeId + 1);
        c.lastTradeId = t.trade_id;
        EXPECT_TRUE(t.aggressor == Side::Buy || t.aggressor == Side::Sell);
        // A buyer lifts the best ask, a seller hits the best bid, never more than is there.
        c.tradeMaker = t.aggressor == Side::Buy ? Side::Sell : Side::Buy;
        const auto touch = c.tradeMaker == Side::Sell ? *c.book.asks.begin() : *c.book.bids.begin();
        EXPECT_EQ(t.price, touch.first);
        EXPECT_LE(t.qty, touch.second);
        c.tradePending = true;
        mustFollow = EventType::BookDelta;
        mustFollowFor = h.instrument_id;
        c.tradePrice = t.price;
        c.tradeQty = t.qty;
        c.tradeLevelBefore = touch.second;
        break;
      }
      case EventType::BestBidOffer: {
        const auto& q = buf.as<BestBidOffer>();
        EXPECT_FALSE(c.inPiece);
        EXPECT_FALSE(c.tradePending);
        EXPECT_EQ(q.update_id, c.lastUpdateId);
        EXPECT_EQ(q.bid_price, c.book.bids.begin()->first);
        EXPECT_EQ(q.bid_qty, c.book.bids.begin()->second);
        EXPECT_EQ(q.ask_price, c.book.asks.begin()->first);
        EXPECT_EQ(q.ask_qty, c.book.asks.begin()->second);
        EXPECT_LT(q.bid_price, q.ask_price);
        c.bboBid = q.bid_price;
        c.bboBidQty = q.bid_qty;
        c.bboAsk = q.ask_price;
        c.bboAskQty = q.ask_qty;
        break;
      }
      default:
        ADD_FAILURE() << "unexpected event type";
        return st;
    }
    if (::testing::Test::HasFailure()) return st;
  }
  EXPECT_EQ(n, cfg.max_events);
  for (const auto& [id, c] : ins) {
    EXPECT_GT(c.lastTradeId, 0u) << "instrument " << id;
    // Over a long run every mid wanders many ticks: tens of basis points.
    const double startTicks = static_cast<double>(c.spec->start_price / c.spec->tick_size);
    if (expectTrends) {
      EXPECT_GT((c.maxMidTicks - c.minMidTicks) / startTicks * 1e4, 20) << "instrument " << id;
    }
  }
  return st;
}

/// max/mean of events per 100 ms window of event time (the last, partial window dropped).
double burstiness(const SyntheticConfig& cfg) {
  SyntheticMarket m(cfg);
  EventBuffer buf;
  std::vector<uint64_t> w;
  while (m.next(buf)) {
    const auto i = static_cast<size_t>((buf.header().exchange_ts_ns - cfg.start_ns) / 100'000'000);
    if (i >= w.size()) w.resize(i + 1);
    ++w[i];
  }
  const size_t n = w.size() - 1;
  double sum = 0, mx = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += static_cast<double>(w[i]);
    mx = std::max(mx, static_cast<double>(w[i]));
  }
  return mx / (sum / static_cast<double>(n));
}

uint64_t fnv1a(const void* p, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<const unsigned char*>(p)[i]) * 0x100000001b3ULL;
  return h;
}

uint64_t streamHash(const SyntheticConfig& cfg) {
  SyntheticMarket m(cfg);
  EventBuffer buf;
  uint64_t h = 0xcbf29ce484222325ULL;
  while (m.next(buf)) h = fnv1a(buf.bytes, buf.header().size, h);
  return h;
}

}  // namespace

TEST(SyntheticRandom, matchesTheReferenceXoshiro256StarStarSeededBySplitmix64) {
  SyntheticRandom r(12345);
  EXPECT_EQ(r.nextU64(), 0xbe6a36374160d49bULL);
  EXPECT_EQ(r.nextU64(), 0x214aaa0637a688c6ULL);
  EXPECT_EQ(r.nextU64(), 0xf69d16de9954d388ULL);
}

TEST(SyntheticRandom, portableLogAgreesWithLibmToTheLastBitsOrSo) {
  for (double x : {1e-300, 1e-9, 0.001, 0.3, 0.5, 0.7071, 0.99999, 1.0, 1.00001, 2.0, 3.14159, 1e6, 1e300}) {
    const double ref = std::log(x);
    EXPECT_NEAR(portableLog(x), ref, 4e-16 * std::max(1.0, std::abs(ref))) << x;
  }
  EXPECT_EQ(portableLog(1.0), 0.0);
}

TEST(SyntheticRandom, distributionsHaveTheirMoments) {
  SyntheticRandom r(7);
  constexpr int kN = 400'000;
  double eSum = 0, nSum = 0, nSq = 0, uSum = 0;
  for (int i = 0; i < kN; ++i) {
    eSum += r.exponential(2.0);
    const double z = r.normal();
    nSum += z;
    nSq += z * z;
    const double u = r.uniform();
    ASSERT_TRUE(u >= 0 && u < 1);
    uSum += u;
    ASSERT_LT(r.below(3), 3u);
  }
  EXPECT_NEAR(eSum / kN, 2.0, 0.02);
  EXPECT_NEAR(nSum / kN, 0.0, 0.01);
  EXPECT_NEAR(nSq / kN, 1.0, 0.01);
  EXPECT_NEAR(uSum / kN, 0.5, 0.005);
}

TEST(SyntheticMarket, keepsEveryInvariantOverAMillionEvents) {
  SyntheticConfig cfg = testConfig(1'000'000);
  cfg.burst_probability = 0.1;  // several bursts in the run: the hardest case for the book
  const Stats st = checkInvariants(cfg, true);
  ASSERT_FALSE(HasFailure());
  const auto count = [&](EventType t) { return st.byType.count(t) ? st.byType.at(t) : 0; };
  EXPECT_EQ(count(EventType::BookSnapshot), cfg.instruments.size());
  EXPECT_GT(count(EventType::BookDelta), 450'000u);  // the largest share
  EXPECT_GT(count(EventType::BestBidOffer), 200'000u);
  EXPECT_GT(count(EventType::Trade), 50'000u);
  // Mostly small diffs; catching up after a jump takes more (up to one 16-level piece).
  EXPECT_GT(static_cast<double>(st.smallDeltas) / static_cast<double>(st.liveDeltas), 0.75);
}

TEST(SyntheticMarket, keepsInvariantsAtTheEdgesOfTheConfig) {
  for (int depth : {1, 60}) {
    SCOPED_TRACE(depth);
    SyntheticConfig cfg = testConfig(100'000);
    cfg.book_depth = depth;  // 60 levels: the initial book spans 8 continuation pieces
    checkInvariants(cfg, false);
    ASSERT_FALSE(HasFailure());
  }
  // The cheapest allowed instrument at the highest allowed volatility: the price sits on its
  // floor much of the time and the deepest bid must stay above zero.
  SyntheticConfig cfg = testConfig(300'000);
  cfg.instruments = {{1, ExchangeId::Simulated, SyntheticMarket::minStartTicks(cfg.book_depth), 1, 1, 0, 0, 0}};
  cfg.volatility_bps_per_sqrt_s = 1000;
  cfg.events_per_second = 2000;
  cfg.burst_probability = 0.2;
  checkInvariants(cfg, false);
}

TEST(SyntheticMarket, burstsGiveAHeavierTailThanAPoissonProcess) {
  SyntheticConfig bursty = testConfig(3'000'000);
  bursty.burst_probability = 0.05;  // ~10 bursts in the run
  SyntheticConfig calm = testConfig(3'000'000);
  calm.burst_probability = 0;
  const double burstyRatio = burstiness(bursty);
  const double calmRatio = burstiness(calm);
  // ~2000 events per window: a Poisson max over ~500 windows sits a few sqrt(2000) above the mean.
  EXPECT_LT(calmRatio, 1.3);    // 1.10-1.13 over seeds 1-8
  EXPECT_GT(burstyRatio, 2.5);  // 3.4-8.2
}

namespace {

/// Variance of H-second mid changes over H x the variance of 1-second changes: 1 for a
/// random walk, above 1 when moves persist (trends). Instrument 1, sampled each second.
double varianceRatio(const SyntheticConfig& cfg, size_t horizon) {
  SyntheticMarket m(cfg);
  EventBuffer buf;
  std::vector<double> mids;  // mid at the end of each second
  double mid = 0;
  while (m.next(buf)) {
    const EventHeader& h = buf.header();
    const auto second = static_cast<size_t>((h.exchange_ts_ns - cfg.start_ns) / 1'000'000'000);
    while (mids.size() < second) mids.push_back(mid);
    if (h.type == EventType::BestBidOffer && h.instrument_id == 1)
      mid = 0.5 * static_cast<double>(buf.as<BestBidOffer>().bid_price + buf.as<BestBidOffer>().ask_price);
  }
  const auto variance = [&](size_t step) {
    double sum = 0, sq = 0, n = 0;
    for (size_t i = step; i < mids.size(); i += step) {
      const double r = mids[i] - mids[i - step];
      sum += r;
      sq += r * r;
      ++n;
    }
    return sq / n - (sum / n) * (sum / n);
  };
  return variance(horizon) / (static_cast<double>(horizon) * variance(1));
}

}  // namespace

TEST(SyntheticMarket, trendRegimesMakeLongMovesPersistUnlikeARandomWalk) {
  SyntheticConfig cfg = testConfig(1'500'000);
  cfg.instruments.resize(1);
  cfg.events_per_second = 300;  // ~3000 s of event time: ~100 regimes, 100 samples of 30 s
  cfg.burst_probability = 0;
  const double trending = varianceRatio(cfg, 30);
  cfg.trend_regime_mean_s = 0.05;  // regimes too short to trend: plain diffusion
  const double flipping = varianceRatio(cfg, 30);
  EXPECT_GT(trending, 1.8);  // 2.3-3.0 over seeds 1-8
  EXPECT_LT(flipping, 1.6);  // 0.9-1.3
}

TEST(SyntheticMarket, calmEventRateMatchesTheConfiguredRate) {
  SyntheticConfig cfg = testConfig(400'000);
  cfg.burst_probability = 0;
  SyntheticMarket m(cfg);
  EventBuffer buf;
  TimestampNs last = 0;
  while (m.next(buf)) last = buf.header().exchange_ts_ns;
  const double rate = 400'000 / (static_cast<double>(last - cfg.start_ns) * 1e-9);
  EXPECT_NEAR(rate, cfg.events_per_second, 0.15 * cfg.events_per_second);
}

TEST(SyntheticMarket, sameSeedGivesIdenticalBytesAndAnotherSeedDiffers) {
  SyntheticMarket a(testConfig(300'000)), b(testConfig(300'000)), c(testConfig(300'000, 43));
  EventBuffer ea, eb, ec;
  bool differs = false;
  for (int i = 0; i < 300'000; ++i) {
    ASSERT_TRUE(a.next(ea) && b.next(eb) && c.next(ec));
    ASSERT_EQ(ea.header().size, eb.header().size);
    ASSERT_EQ(std::memcmp(ea.bytes, eb.bytes, ea.header().size), 0) << "event " << i;
    differs |= ea.header().size != ec.header().size || std::memcmp(ea.bytes, ec.bytes, ea.header().size) != 0;
  }
  EXPECT_TRUE(differs);
  EXPECT_FALSE(a.next(ea));
  EXPECT_EQ(a.generated(), 300'000u);
}

// Recorded synthetic sessions must regenerate bit for bit on any compiler and platform.
// A deliberate change of the model changes this value: update it and say so in the commit.
TEST(SyntheticMarket, streamIsPinnedByAGoldenHash) {
  EXPECT_EQ(streamHash(testConfig(100'000)), 0xdb956bf800e32338ULL);
}

TEST(SyntheticMarket, startsWithASnapshotAndTheFullBookForEveryInstrument) {
  SyntheticConfig cfg = testConfig(0);
  SyntheticMarket m(cfg);
  EventBuffer buf;
  for (const auto& spec : cfg.instruments) {
    ASSERT_TRUE(m.next(buf));
    EXPECT_EQ(buf.header().type, EventType::BookSnapshot);
    EXPECT_EQ(buf.header().instrument_id, spec.id);
    EXPECT_EQ(buf.header().exchange_ts_ns, cfg.start_ns);
    EXPECT_EQ(buf.as<BookSnapshot>().bids[0].price, spec.start_price);
    EXPECT_EQ(buf.as<BookSnapshot>().asks[0].price, spec.start_price + spec.tick_size);
    for (int piece = 0; piece < 3; ++piece) {  // 40 levels: 16 + 16 + 8
      ASSERT_TRUE(m.next(buf));
      ASSERT_EQ(buf.header().type, EventType::BookDelta);
      const auto& d = buf.as<BookDelta>();
      EXPECT_EQ(d.count, piece < 2 ? 16 : 8);
      EXPECT_EQ((d.flags & BookDelta::kClearBook) != 0, piece == 0);
      EXPECT_EQ((d.flags & BookDelta::kContinuation) != 0, piece < 2);
      EXPECT_NE(d.flags & BookDelta::kFromSnapshot, 0);
    }
    ASSERT_TRUE(m.next(buf));
    EXPECT_EQ(buf.header().type, EventType::BestBidOffer);
  }
  ASSERT_TRUE(m.next(buf));
  EXPECT_GT(buf.header().exchange_ts_ns, cfg.start_ns);
}

TEST(SyntheticMarket, nextNeverAllocates) {
  SyntheticMarket m(testConfig(0));
  EventBuffer buf;
  const uint64_t before = gAllocations.load();
  for (int i = 0; i < 200'000; ++i) ASSERT_TRUE(m.next(buf));
  EXPECT_EQ(gAllocations.load(), before);
  static_assert(noexcept(m.next(buf)));
}

TEST(SyntheticMarket, rejectsConfigsItCannotSimulate) {
  const auto rejects = [](auto&& edit) {
    SyntheticConfig cfg = testConfig(10);
    edit(cfg);
    EXPECT_THROW(SyntheticMarket{cfg}, std::invalid_argument);
  };
  rejects([](SyntheticConfig& c) { c.instruments.clear(); });
  rejects([](SyntheticConfig& c) { c.instruments[0].start_price += 1; });           // off the tick grid
  rejects([](SyntheticConfig& c) { c.instruments[1].id = c.instruments[0].id; });  // duplicate id
  rejects([](SyntheticConfig& c) { c.instruments[0].id = 0; });
  rejects([](SyntheticConfig& c) { c.instruments[0].lot_size = 0; });
  rejects([](SyntheticConfig& c) { c.instruments[2].start_price = 100; });  // too few ticks for the book
  rejects([](SyntheticConfig& c) { c.book_depth = 0; });
  rejects([](SyntheticConfig& c) { c.events_per_second = 0; });
  rejects([](SyntheticConfig& c) { c.burst_probability = 1; });
  rejects([](SyntheticConfig& c) { c.burst_multiplier = 0.5; });
  rejects([](SyntheticConfig& c) { c.volatility_bps_per_sqrt_s = 1001; });
  EXPECT_NO_THROW(SyntheticMarket{testConfig(10)});
}
