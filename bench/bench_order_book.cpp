// bench_order_book: the strategy engine's L2 book (strategy_engine/book/OrderBook.h) next to a
// std::map book (the usual first implementation) measured in the same binary, on the same
// pre-generated stream of BookDeltas:
//   Apply/levels      apply one delta of `levels` updates (1-6), 30% of them removals, all
//                     within 10 ticks of a random-walk mid, so best levels are often removed;
//   ApplyThenTop      the same, then read best bid and ask (what a strategy does per update);
//   BestBidAsk        read best bid and ask of a populated book;
//   Top5              copy the 5 best levels of both sides.
// The thread is pinned (--core=N, default the last core; -1 leaves it unpinned).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/Cpu.h"
#include "common/Events.h"
#include "strategy_engine/book/OrderBook.h"

namespace {

using namespace hft;
using common::BookDelta;
using common::BookLevel;
using common::Side;

constexpr int64_t kTick = 10;          // raw price units per tick
constexpr int64_t kMid = 5'000'000;    // in ticks
constexpr int kDepth = 200;            // initial levels per side
constexpr size_t kStream = 1u << 14;   // deltas per stream, replayed in a loop

/// The flat-array book under test.
struct FlatBook {
  strategy_engine::OrderBook book{kTick};
  void apply(const BookDelta& d) { book.apply(d); }
  BookLevel bestBid() const { return book.bestBid(); }
  BookLevel bestAsk() const { return book.bestAsk(); }
  void top5(BookLevel* bids, BookLevel* asks) const {
    book.topLevels(Side::Buy, {bids, 5});
    book.topLevels(Side::Sell, {asks, 5});
  }
};

/// Baseline: one std::map per side (a node allocation per new level).
struct MapBook {
  std::map<int64_t, int64_t, std::greater<>> bids;
  std::map<int64_t, int64_t> asks;
  void apply(const BookDelta& d) {
    for (uint16_t i = 0; i < d.count; ++i) {
      const auto& u = d.levels[i];
      if (u.side == Side::Buy) set(bids, u.price, u.qty);
      else set(asks, u.price, u.qty);
    }
  }
  template <class M>
  static void set(M& m, int64_t price, int64_t qty) {
    if (qty == 0) m.erase(price);
    else m.insert_or_assign(price, qty);
  }
  BookLevel bestBid() const { return bids.empty() ? BookLevel{0, 0} : BookLevel{bids.begin()->first, bids.begin()->second}; }
  BookLevel bestAsk() const { return asks.empty() ? BookLevel{0, 0} : BookLevel{asks.begin()->first, asks.begin()->second}; }
  template <class M>
  static void top(const M& m, BookLevel* out) {
    int n = 0;
    for (auto it = m.begin(); it != m.end() && n < 5; ++it) out[n++] = {it->first, it->second};
  }
  void top5(BookLevel* b, BookLevel* a) const {
    top(bids, b);
    top(asks, a);
  }
};

BookDelta makeDelta() {
  BookDelta d{};
  d.header = common::makeHeader<BookDelta>(common::ExchangeId::Simulated, 1, 0, 0, BookDelta::kFixedBytes);
  return d;
}

void push(BookDelta& d, Side s, int64_t ticks, int64_t qty) {
  d.levels[d.count++] = common::PriceLevelUpdate{ticks * kTick, qty, s, {}};
  d.header.size = BookDelta::sizeFor(d.count);
}

/// The initial book: kDepth levels per side around kMid, in deltas of 16 levels.
std::vector<BookDelta> initialBook() {
  std::vector<BookDelta> out;
  BookDelta d = makeDelta();
  for (int i = 0; i < kDepth; ++i) {
    push(d, Side::Buy, kMid - 1 - i, 100 + i);
    push(d, Side::Sell, kMid + 1 + i, 100 + i);
    if (d.count >= BookDelta::kMaxLevels - 1) out.push_back(d), d = makeDelta();
  }
  if (d.count) out.push_back(d);
  return out;
}

/// A stream of deltas of `levels` updates each: the mid walks +-1 tick; each update is within
/// 10 ticks of the touch on its side, 30% remove a level (an existing one when possible).
std::vector<BookDelta> stream(int levels) {
  std::mt19937_64 rng(42 + levels);
  std::map<int64_t, int64_t, std::greater<>> bids;  // kept to pick levels that exist for removals
  std::map<int64_t, int64_t> asks;
  for (int i = 0; i < kDepth; ++i) bids[kMid - 1 - i] = 1, asks[kMid + 1 + i] = 1;
  int64_t mid = kMid;
  std::vector<BookDelta> out;
  out.reserve(kStream);
  for (size_t k = 0; k < kStream; ++k) {
    mid += static_cast<int64_t>(rng() % 3) - 1;
    BookDelta d = makeDelta();
    for (int i = 0; i < levels; ++i) {
      const bool buy = rng() & 1;
      const int64_t dist = static_cast<int64_t>(rng() % 10);
      const bool remove = rng() % 10 < 3;
      if (buy) {
        int64_t t = std::min(mid - 1 - dist, bids.empty() ? mid - 1 : bids.begin()->first + 1);
        if (remove && !bids.empty()) t = std::next(bids.begin(), static_cast<long>(dist % std::min<size_t>(bids.size(), 5)))->first;
        push(d, Side::Buy, t, remove ? 0 : 1 + static_cast<int64_t>(rng() % 1000));
        if (remove) bids.erase(t); else bids[t] = 1;
        while (!asks.empty() && asks.begin()->first <= t) {  // keep the book uncrossed
          push(d, Side::Sell, asks.begin()->first, 0);
          asks.erase(asks.begin());
          if (d.count == BookDelta::kMaxLevels) break;
        }
      } else {
        int64_t t = std::max(mid + 1 + dist, asks.empty() ? mid + 1 : asks.begin()->first - 1);
        if (remove && !asks.empty()) t = std::next(asks.begin(), static_cast<long>(dist % std::min<size_t>(asks.size(), 5)))->first;
        push(d, Side::Sell, t, remove ? 0 : 1 + static_cast<int64_t>(rng() % 1000));
        if (remove) asks.erase(t); else asks[t] = 1;
        while (!bids.empty() && bids.begin()->first >= t) {
          push(d, Side::Buy, bids.begin()->first, 0);
          bids.erase(bids.begin());
          if (d.count == BookDelta::kMaxLevels) break;
        }
      }
      if (d.count >= BookDelta::kMaxLevels - 1) break;
    }
    out.push_back(d);
  }
  return out;
}

template <class Book>
void warm(Book& b, const std::vector<BookDelta>& s) {
  for (const auto& d : initialBook()) b.apply(d);
  for (const auto& d : s) b.apply(d);  // one pass: every node/page the loop touches exists
}

template <class Book>
void Apply(benchmark::State& state) {
  const auto s = stream(static_cast<int>(state.range(0)));
  Book b;
  warm(b, s);
  size_t i = 0, levels = 0;
  for (auto _ : state) {
    b.apply(s[i]);
    levels += s[i].count;
    i = (i + 1) & (kStream - 1);
  }
  benchmark::DoNotOptimize(b);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["levels_per_delta"] = static_cast<double>(levels) / static_cast<double>(state.iterations());
}

template <class Book>
void ApplyThenTop(benchmark::State& state) {
  const auto s = stream(static_cast<int>(state.range(0)));
  Book b;
  warm(b, s);
  size_t i = 0;
  for (auto _ : state) {
    b.apply(s[i]);
    const BookLevel bid = b.bestBid(), ask = b.bestAsk();
    benchmark::DoNotOptimize(bid);
    benchmark::DoNotOptimize(ask);
    i = (i + 1) & (kStream - 1);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

template <class Book>
void BestBidAsk(benchmark::State& state) {
  const auto s = stream(3);
  Book b;
  warm(b, s);
  for (auto _ : state) {
    benchmark::DoNotOptimize(b);  // the book may have changed: reload it every time
    const BookLevel bid = b.bestBid(), ask = b.bestAsk();
    benchmark::DoNotOptimize(bid);
    benchmark::DoNotOptimize(ask);
  }
}

template <class Book>
void Top5(benchmark::State& state) {
  const auto s = stream(3);
  Book b;
  warm(b, s);
  BookLevel bids[5], asks[5];
  for (auto _ : state) {
    benchmark::DoNotOptimize(b);
    b.top5(bids, asks);
    benchmark::DoNotOptimize(bids);
    benchmark::DoNotOptimize(asks);
  }
}

BENCHMARK(Apply<FlatBook>)->DenseRange(1, 6);
BENCHMARK(Apply<MapBook>)->DenseRange(1, 6);
BENCHMARK(ApplyThenTop<FlatBook>)->Arg(3);
BENCHMARK(ApplyThenTop<MapBook>)->Arg(3);
BENCHMARK(BestBidAsk<FlatBook>);
BENCHMARK(BestBidAsk<MapBook>);
BENCHMARK(Top5<FlatBook>);
BENCHMARK(Top5<MapBook>);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  int core = common::onlineCpuCount() - 1;
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--core=", 7) == 0) core = std::atoi(argv[i] + 7);
  if (core >= 0) {
    if (const std::string err = common::pinThisThread(core); !err.empty()) {
      std::fprintf(stderr, "bench_order_book: %s\n", err.c_str());
      return 1;
    }
  }
  benchmark::AddCustomContext("pinned_core", core < 0 ? "none" : std::to_string(core));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
