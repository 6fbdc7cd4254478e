// The hot paths of the book, the bars and the indicators never allocate: every global
// operator new in this test binary is counted, and the count must not move while they run.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>
#include <cstdlib>
#include <new>

#include "BookEvents.h"
#include "strategy_engine/bars/TimeBarBuilder.h"
#include "strategy_engine/bars/VolumeBarBuilder.h"
#include "strategy_engine/book/OrderBookManager.h"
#include "strategy_engine/indicators/BollingerBands.h"
#include "strategy_engine/indicators/Ema.h"
#include "strategy_engine/indicators/Macd.h"
#include "strategy_engine/indicators/RollingVwap.h"
#include "strategy_engine/indicators/Rsi.h"
#include "strategy_engine/indicators/Sma.h"
#include "strategy_engine/indicators/Vwap.h"

namespace {
std::atomic<uint64_t> gAllocations{0};
}  // namespace

// Replaces the global allocation functions for the whole binary (array forms forward here).
// noinline: inlined into callers, GCC would see malloc'd memory reach `delete` and warn.
[[gnu::noinline]] void* operator new(std::size_t n) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace hft;
using namespace hft::strategy_engine;
using common::BookDelta;
using common::Side;
using test::delta;

namespace {

TEST(NoAllocation, countsEveryAllocationOfTheBinary) {
  static void* volatile escaped;  // observed, so the compiler may not elide the allocations
  const uint64_t before = gAllocations.load();
  escaped = new int(1);
  delete static_cast<int*>(escaped);
  std::vector<int> v(5);
  escaped = v.data();
  EXPECT_EQ(gAllocations.load(), before + 2) << "the counting operator new is not in use";
}

TEST(NoAllocation, bookApplyAndQueriesNeverAllocate) {
  OrderBookManager books({{1, 10}, {2, 1}}, 8);
  const auto d1 = delta({{Side::Buy, 1000, 5}, {Side::Buy, 990, 1}, {Side::Sell, 1010, 3}});
  const auto d2 = delta({{Side::Buy, 1000, 0}, {Side::Sell, 1010, 0}, {Side::Sell, 1015, 1}});  // one off-grid
  const auto far = delta({{Side::Buy, 500000, 5}, {Side::Sell, 500010, 2}});   // re-centers, evicts
  const auto deep = delta({{Side::Buy, 10, 5}});                               // ignored: too deep
  const auto clear = delta({{Side::Buy, 2000, 5}}, BookDelta::kClearBook | BookDelta::kContinuation);
  const auto snap = test::snapshot({{990, 1}, {980, 2}}, {{1010, 1}});
  const auto other = delta({{Side::Buy, 7, 5}}, 0, 0, 2);
  common::BookLevel top[5];
  const uint64_t before = gAllocations.load();
  int64_t sink = 0;
  for (int i = 0; i < 1000; ++i) {
    for (const common::BookDelta* d : {&d1, &d2, &far, &deep, &d1, &clear}) {
      const OrderBook* b = books.onEvent(d->header);
      sink += b->bestBid().price + b->bestAsk().qty + b->bidLevel(3).qty + b->askLevel(2).price;
      sink += b->qtyAt(Side::Buy, 990) + b->depth(Side::Sell, 5) + b->midTimes2() + b->spreadTicks();
      sink += static_cast<int64_t>(b->mid() + b->microprice()) + b->crossed() + b->empty();
      sink += b->topLevels(Side::Buy, top) + static_cast<int64_t>(b->stats().evicted_levels);
    }
    sink += books.onEvent(snap.header)->bestBid().qty + books.onEvent(other.header)->bestBid().qty;
  }
  EXPECT_EQ(gAllocations.load(), before);
  EXPECT_NE(sink, 0);
  EXPECT_GT(books.book(1)->stats().evicted_levels, 0u);
  EXPECT_GT(books.book(1)->stats().far_levels_ignored, 0u);
}

TEST(NoAllocation, barBuildersAndIndicatorsNeverAllocateAfterConstruction) {
  TimeBarBuilder time(1'000'000'000, 2, 5);
  VolumeBarBuilder volume(1000, 2, 5);
  Sma sma(20);
  Ema ema(20);
  Rsi rsi(14);
  Macd macd(12, 26, 9);
  BollingerBands bb(20, 2.0);
  Vwap vwap;
  RollingVwap rvwap(50);
  common::Trade t{};
  t.header = common::makeHeader<common::Trade>(common::ExchangeId::Simulated, 1, 0, 0);
  t.aggressor = Side::Buy;
  const uint64_t before = gAllocations.load();
  double sink = 0;
  for (int i = 0; i < 10000; ++i) {
    t.header.exchange_ts_ns = int64_t{i} * 300'000'000;
    t.price = 10000 + (i * 7919) % 101;
    t.qty = 1 + i % 300;
    sink += time.onTrade(t) + volume.onTrade(t);
    const double x = static_cast<double>(t.price);
    sma.update(x);
    ema.update(x);
    rsi.update(x);
    macd.update(x);
    bb.update(x);
    vwap.update(x, static_cast<double>(t.qty));
    rvwap.update(x, static_cast<double>(t.qty));
    sink += sma.value() + ema.value() + rsi.value() + macd.histogram() + bb.upper() + vwap.value() + rvwap.value();
  }
  sink += time.flush() + volume.flush();
  EXPECT_EQ(gAllocations.load(), before);
  EXPECT_NE(sink, 0);
}

}  // namespace
