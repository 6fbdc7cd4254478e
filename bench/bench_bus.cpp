// bench_bus: single-thread costs of the bus primitives (Google Benchmark), each next to the
// minimal sequence-per-slot ring of bench/MinimalRing.h measured in the same binary:
//   Publish        publish only, no reader (the producer's cost per event);
//   RoundTrip      publish then read back in the same thread (both sides' instructions, no
//                  cache-line transfer: bus_latency measures that between processes);
//   SpscPushPop    the order queue, push then pop `batch` orders.
// The thread is pinned (--core=N, default the last core; -1 leaves it unpinned).
#include <benchmark/benchmark.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "bench/MinimalRing.h"
#include "common/Cpu.h"
#include "common/Events.h"
#include "data_store/BroadcastRing.h"
#include "data_store/SpscQueue.h"

namespace {

using namespace hft;
constexpr uint64_t kCapacity = 1u << 16;  // as in bus_latency: 4 MiB of 64-byte slots

/// A unique /dev/shm name, removed when the benchmark run ends.
struct ShmName {
  std::string name;
  ShmName() {
    static std::atomic<int> n{0};
    name = "hft.bench_bus." + std::to_string(getpid()) + "." + std::to_string(n++);
  }
  ~ShmName() { data_store::ShmSegment::remove(name); }
};

/// Zeroed, prefaulted memory of the same kind as a segment (shared, 4 KiB pages).
struct SharedMemory {
  void* p;
  size_t bytes;
  explicit SharedMemory(size_t n)
      : p(mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)), bytes(n) {
    if (p == MAP_FAILED) throw std::runtime_error("mmap failed");
    std::memset(p, 0, n);
  }
  ~SharedMemory() { munmap(p, bytes); }
};

template <class E>
E makeEvent();

template <>
common::Heartbeat makeEvent() {
  common::Heartbeat e{};
  e.header = common::makeHeader<common::Heartbeat>(common::ExchangeId::None, 0, 0, 0);
  e.pid = 1;
  return e;
}

template <>
common::Trade makeEvent() {
  common::Trade e{};
  e.header = common::makeHeader<common::Trade>(common::ExchangeId::Simulated, 1, 1, 2);
  e.price = 100'000;
  e.qty = 5;
  return e;
}

template <>
common::BookDelta makeEvent() {
  common::BookDelta e{};
  e.header = common::makeHeader<common::BookDelta>(common::ExchangeId::Simulated, 1, 1, 2,
                                                   common::BookDelta::sizeFor(common::BookDelta::kMaxLevels));
  e.count = common::BookDelta::kMaxLevels;
  for (uint16_t i = 0; i < e.count; ++i)
    e.levels[i] = {100'000 + i, 7, i % 2 ? common::Side::Buy : common::Side::Sell, {}};
  return e;
}

template <class E>
void setCounters(benchmark::State& state, const E& e) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(e.header.size));
}

template <class E, uint32_t SlotBytes>
void Publish(benchmark::State& state) {
  ShmName shm;
  data_store::BroadcastPublisher<SlotBytes> pub(shm.name, kCapacity);
  E e = makeEvent<E>();
  for (auto _ : state) pub.publish(e);
  setCounters(state, e);
}

template <class E, uint32_t SlotBytes>
void RoundTrip(benchmark::State& state) {
  ShmName shm;
  data_store::BroadcastPublisher<SlotBytes> pub(shm.name, kCapacity);
  data_store::BroadcastSubscriber<SlotBytes> sub(shm.name);
  E e = makeEvent<E>();
  alignas(64) unsigned char out[SlotBytes];
  for (auto _ : state) {
    pub.publish(e);
    uint64_t lost = 0;
    if (sub.tryRead(out, lost) != data_store::ReadStatus::Ok) state.SkipWithError("read back failed");
    benchmark::DoNotOptimize(out);
  }
  setCounters(state, e);
}

template <class E, uint32_t SlotBytes>
void MinimalPublish(benchmark::State& state) {
  SharedMemory mem(bench::MinimalRing<SlotBytes>::bytes(kCapacity));
  typename bench::MinimalRing<SlotBytes>::Writer writer(mem.p, kCapacity);
  E e = makeEvent<E>();
  for (auto _ : state) {
    writer.publish(&e, e.header.size);
    benchmark::ClobberMemory();  // plain stores: keep them in the loop
  }
  setCounters(state, e);
}

template <class E, uint32_t SlotBytes>
void MinimalRoundTrip(benchmark::State& state) {
  SharedMemory mem(bench::MinimalRing<SlotBytes>::bytes(kCapacity));
  typename bench::MinimalRing<SlotBytes>::Writer writer(mem.p, kCapacity);
  typename bench::MinimalRing<SlotBytes>::Reader reader(mem.p, kCapacity);
  E e = makeEvent<E>();
  alignas(64) unsigned char out[SlotBytes];
  for (auto _ : state) {
    writer.publish(&e, e.header.size);
    if (!reader.tryRead(out, e.header.size)) state.SkipWithError("read back failed");
    benchmark::DoNotOptimize(out);
  }
  setCounters(state, e);
}

void SpscPushPop(benchmark::State& state) {
  ShmName shm;
  data_store::OrderQueueProducer producer(shm.name, 1024);
  data_store::OrderQueueConsumer consumer(shm.name);
  common::OrderRequest order{};
  order.header = common::makeHeader<common::OrderRequest>(common::ExchangeId::Simulated, 1, 0, 0);
  const auto batch = state.range(0);
  for (auto _ : state) {
    for (int64_t i = 0; i < batch; ++i)
      if (!producer.tryPush(order)) state.SkipWithError("queue full");
    for (int64_t i = 0; i < batch; ++i)
      if (!consumer.tryPop(order)) state.SkipWithError("queue empty");
    benchmark::DoNotOptimize(order);
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

using common::BookDelta;
using common::Heartbeat;
using common::Trade;
using data_store::kMarketDataSlotBytes;

// 64 = one cache line per Heartbeat; 128 = the smallest slot a Trade fits; 512 = the
// market-data ring as deployed (every event type shares it).
BENCHMARK(Publish<Heartbeat, 64>);
BENCHMARK(MinimalPublish<Heartbeat, 64>);
BENCHMARK(Publish<Heartbeat, kMarketDataSlotBytes>);
BENCHMARK(Publish<Trade, 128>);
BENCHMARK(MinimalPublish<Trade, 128>);
BENCHMARK(Publish<Trade, kMarketDataSlotBytes>);
BENCHMARK(Publish<BookDelta, kMarketDataSlotBytes>);
BENCHMARK(MinimalPublish<BookDelta, kMarketDataSlotBytes>);
BENCHMARK(RoundTrip<Heartbeat, 64>);
BENCHMARK(MinimalRoundTrip<Heartbeat, 64>);
BENCHMARK(RoundTrip<Trade, kMarketDataSlotBytes>);
BENCHMARK(RoundTrip<BookDelta, kMarketDataSlotBytes>);
BENCHMARK(MinimalRoundTrip<BookDelta, kMarketDataSlotBytes>);
BENCHMARK(SpscPushPop)->Arg(1)->Arg(64);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  int core = common::onlineCpuCount() - 1;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--core=", 7) == 0)
      core = std::atoi(argv[i] + 7);
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (const std::string err = common::pinThisThread(core); !err.empty()) {
    std::fprintf(stderr, "bench_bus: %s\n", err.c_str());
    return 1;
  }
  benchmark::AddCustomContext("pinned_core", core < 0 ? "none" : std::to_string(core));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
