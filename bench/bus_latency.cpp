// bus_latency: the broadcast ring between real processes pinned to cores, every figure printed
// beside a floor measured in the same run between the same two cores, because a number alone
// says little on a shared VM. Per consumer count:
//   floor       a raw cache-line ping-pong (one-way = round trip / 2) and the throughput of a
//               minimal sequence-per-slot ring (bench/MinimalRing.h), one consumer;
//   throughput  N 64-byte Heartbeats published flat out; every consumer counts what it got;
//   latency     M Heartbeats published about every --interval-ns, each carrying its send TSC;
//               pacing keeps the consumer caught up, so the figure is transfer time, not queueing.
// The parent only forks, waits and reports: the children measure, each pinned to its core.
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/MinimalRing.h"
#include "bench/Tsc.h"
#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/Cpu.h"
#include "common/Events.h"
#include "common/LatencyHistogram.h"
#include "data_store/BroadcastRing.h"
#include "data_store/WaitStrategy.h"

namespace {

using namespace hft;
using bench::tscAfterLoads;
using bench::tscNow;
using common::LatencyHistogram;
using data_store::WaitKind;

constexpr uint32_t kSlotBytes = 64;  // one Heartbeat, one cache line
constexpr uint64_t kCapacity = 1u << 16;
constexpr int kMaxConsumers = 16;
using Publisher = data_store::BroadcastPublisher<kSlotBytes>;
using Subscriber = data_store::BroadcastSubscriber<kSlotBytes>;
using Baseline = bench::MinimalRing<kSlotBytes>;
static_assert(sizeof(common::Heartbeat) == kSlotBytes);

struct Options {
  int producer_core;
  std::vector<int> consumer_cores;
  std::vector<int> consumer_counts;
  uint64_t messages;
  uint64_t latency_messages;
  uint64_t interval_ns;
  std::string wait;
  int timeout_s;
  bool json;
};

bench::TscClock gClock;   // calibrated once by the parent, inherited by every child
char gShmName[128] = {};  // the live ring, unlinked by the signal handler

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr, "bus_latency: %s\n", why.c_str());
  std::exit(2);
}

std::vector<int> intList(const common::CommandLine& cl, const std::string& name) {
  std::vector<int> out;
  for (const std::string& v : cl.getList(name)) {
    char* end = nullptr;
    out.push_back(static_cast<int>(std::strtol(v.c_str(), &end, 10)));
    if (v.empty() || *end != '\0') usage("--" + name + ": expected whole numbers, found \"" + v + "\"");
  }
  if (out.empty()) usage("--" + name + " is empty");
  return out;
}

Options parse(int argc, char** argv) {
  common::CommandLine cl("bus_latency",
                         "One-way latency and throughput of the shm broadcast ring between pinned processes,\n"
                         "each beside a cache-line ping-pong floor and a minimal ring from the same run.");
  cl.option("producer-core", "core of the producer (and of the ping side of the floor)", "0")
      .option("consumer-cores", "cores of the consumers, used round-robin (a core may be shared)", "1")
      .option("consumers", "consumer counts to run, one configuration each", "1,2,4")
      .option("messages", "messages of the flat-out throughput run", "10000000")
      .option("latency-messages", "paced messages of the latency run (and ping-pong rounds); 0 = min(messages, 1M)",
              "0")
      .option("interval-ns", "pacing of the latency run", "1000")
      .option("wait",
              "consumer idle strategy: auto (busy_spin, or spin_yield when consumers share a core), "
              "busy_spin, spin_yield, blocking",
              "auto")
      .option("timeout-s", "hard bound on the whole run; children give up and are killed after it", "60")
      .flag("json", "one JSON object per configuration per line instead of a table");
  Options o;
  try {
    if (!cl.parse(argc, argv)) std::exit(0);
    o.producer_core = static_cast<int>(cl.getInt("producer-core"));
    o.consumer_cores = intList(cl, "consumer-cores");
    o.consumer_counts = intList(cl, "consumers");
    o.messages = static_cast<uint64_t>(cl.getInt("messages"));
    o.latency_messages = static_cast<uint64_t>(cl.getInt("latency-messages"));
    o.interval_ns = static_cast<uint64_t>(cl.getInt("interval-ns"));
    o.wait = cl.get("wait");
    o.timeout_s = static_cast<int>(cl.getInt("timeout-s"));
    o.json = cl.has("json");
  } catch (const std::invalid_argument& e) {
    usage(e.what());
  }
  if (o.latency_messages == 0) o.latency_messages = std::min<uint64_t>(o.messages, 1'000'000);
  if (o.messages < 2 || o.latency_messages < 2) usage("need at least 2 messages");
  const int cpus = common::onlineCpuCount();
  for (int c : o.consumer_counts)
    if (c < 1 || c > kMaxConsumers) usage("consumer counts must be 1.." + std::to_string(kMaxConsumers));
  if (o.producer_core < 0 || o.producer_core >= cpus) usage("producer core does not exist");
  for (int c : o.consumer_cores) {
    if (c < 0 || c >= cpus) usage("consumer core " + std::to_string(c) + " does not exist");
    if (c == o.producer_core) usage("consumers must not share the producer's core (the ping-pong would crawl)");
  }
  if (o.wait != "auto" && !data_store::waitKindFromString(o.wait))
    usage("--wait must be auto, busy_spin, spin_yield or blocking");
  return o;
}

/// Zeroed memory shared with forked children: they write results in it, the parent reads them
/// after they exit. `bytes` may exceed sizeof(T) for a raw area.
template <class T>
class Shared {
 public:
  explicit Shared(size_t bytes = sizeof(T)) : bytes_(bytes) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error(std::string("mmap: ") + std::strerror(errno));
    p_ = new (p) T();
  }
  ~Shared() { munmap(p_, bytes_); }
  Shared(const Shared&) = delete;
  Shared& operator=(const Shared&) = delete;
  T* get() const noexcept { return p_; }
  T* operator->() const noexcept { return p_; }

 private:
  T* p_;
  size_t bytes_;
};

/// A child's page tables for shared memory start empty: touch every page before timing starts.
/// Reads only, so no line ends up modified in this core's cache.
void prefault(const void* p, size_t bytes) {
  const auto* b = static_cast<const volatile unsigned char*>(p);
  for (size_t off = 0; off < bytes; off += 4096) (void)b[off];
}

/// Makes what `p` points to observable, so the compiler keeps a copy that nothing else reads.
inline void escape(const void* p) { asm volatile("" : : "r"(p) : "memory"); }

void pin(int core) {
  if (const std::string err = common::pinThisThread(core); !err.empty()) throw std::runtime_error(err);
}

/// Every spin of a child checks this now and then, so no child outlives the run.
struct Deadline {
  int64_t at_ns;
  void check(const char* what) const {
    if (common::monoNowNs() > at_ns) throw std::runtime_error(std::string("timed out ") + what);
  }
};

/// Start-up waits: yields, since a consumer sharing the core may still need it to attach.
template <class Pred>
void waitFor(Pred&& ready, const Deadline& d, const char* what) {
  while (!ready()) {
    sched_yield();
    d.check(what);
  }
}

/// Forked children of one measurement. Each runs a body and _exits: 0 on success, 1 on an
/// exception (printed). The parent waits on SIGCHLD (blocked in main) instead of polling, so it
/// never wakes on the cores being measured.
class Children {
 public:
  Children() = default;
  Children(const Children&) = delete;
  Children& operator=(const Children&) = delete;
  ~Children() { killAll(); }

  template <class Body>
  void spawn(Body&& body) {
    std::fflush(nullptr);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // a parent killed by anything takes its children along
      if (getppid() != parent) _exit(3);
      int rc = 0;
      try {
        body();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "bus_latency: child %d: %s\n", static_cast<int>(getpid()), e.what());
        rc = 1;
      }
      std::fflush(stderr);
      _exit(rc);  // not exit(): the parent's destructors own the shm names and the children
    }
    pids_.push_back(pid);
  }

  /// Returns when all exited 0. Kills the rest and throws if one fails or `deadline_ns` passes.
  void waitAll(int64_t deadline_ns) {
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    while (!pids_.empty()) {
      for (auto it = pids_.begin(); it != pids_.end();) {
        int status = 0;
        const pid_t r = waitpid(*it, &status, WNOHANG);
        if (r == 0) {
          ++it;
          continue;
        }
        it = pids_.erase(it);
        if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
          killAll();
          throw std::runtime_error(WIFSIGNALED(status) ? "a child died of signal " + std::to_string(WTERMSIG(status))
                                                       : std::string("a child failed"));
        }
      }
      if (pids_.empty()) break;
      const int64_t left = deadline_ns - common::monoNowNs();
      if (left <= 0) {
        killAll();
        throw std::runtime_error("children did not finish in time: killed them");
      }
      const timespec ts{left / 1'000'000'000, left % 1'000'000'000};
      sigtimedwait(&chld, nullptr, &ts);
    }
  }

 private:
  void killAll() noexcept {
    for (pid_t p : pids_) kill(p, SIGKILL);
    for (pid_t p : pids_) waitpid(p, nullptr, 0);
    pids_.clear();
  }
  std::vector<pid_t> pids_;
};

common::Heartbeat makeHeartbeat() {
  common::Heartbeat hb{};
  hb.header = common::makeHeader<common::Heartbeat>(common::ExchangeId::None, 0, 0, 0);
  hb.pid = static_cast<uint32_t>(getpid());
  return hb;
}

// ---- floor 1: one cache line bounced between the two cores ---------------------------------

struct PingPong {
  alignas(64) std::atomic<uint64_t> ball{0};  // the only line that moves: odd = ping, even = pong
  alignas(64) std::atomic<int> ready{0};
  LatencyHistogram rtt;
};

/// Median one-way cache-line transfer in ns (round trip / 2).
double measureFloor(const Options& o, int consumerCore, const Deadline& d) {
  Shared<PingPong> s;
  const uint64_t warm = o.latency_messages / 10, rounds = warm + o.latency_messages;
  Children kids;
  kids.spawn([&] {
    pin(consumerCore);
    s->ready.store(1, std::memory_order_release);
    for (uint64_t i = 0; i < rounds; ++i) {
      for (uint32_t n = 1; s->ball.load(std::memory_order_acquire) != 2 * i + 1; ++n) {
        common::cpuRelax();
        if ((n & 0xFFFFF) == 0) d.check("in ping-pong (pong)");
      }
      s->ball.store(2 * i + 2, std::memory_order_release);
    }
  });
  kids.spawn([&] {
    pin(o.producer_core);
    prefault(&s->rtt, sizeof s->rtt);
    waitFor([&] { return s->ready.load(std::memory_order_acquire) == 1; }, d, "waiting for pong");
    for (uint64_t i = 0; i < rounds; ++i) {
      const uint64_t t0 = tscNow();
      s->ball.store(2 * i + 1, std::memory_order_release);
      for (uint32_t n = 1; s->ball.load(std::memory_order_acquire) != 2 * i + 2; ++n) {
        common::cpuRelax();
        if ((n & 0xFFFFF) == 0) d.check("in ping-pong (ping)");
      }
      const uint64_t t1 = tscAfterLoads();
      if (i >= warm) s->rtt.record(static_cast<int64_t>(gClock.toNs(t1 - t0) + 0.5));
    }
  });
  kids.waitAll(d.at_ns + 2'000'000'000);
  return static_cast<double>(s->rtt.percentile(0.5)) / 2.0;
}

// ---- floor 2: the minimal ring, flat out, one consumer ----------------------------------------

struct BaselineRun {
  alignas(64) std::atomic<int> ready{0};
  alignas(64) uint64_t start_tsc = 0;  // producer's line: written before and after, never during
  alignas(64) uint64_t end_tsc = 0;    // consumer's line
  uint64_t lost = 0;
};

struct Throughput {
  double msgs_per_s;  ///< messages / the consumer's time to the last one
  uint64_t lost;      ///< skipped when lapped: the minimal ring's producer does not wait either
  uint64_t messages;
  double delivered_per_s() const {
    return msgs_per_s * static_cast<double>(messages - lost) / static_cast<double>(messages);
  }
};

Throughput measureBaseline(const Options& o, int consumerCore, const Deadline& d) {
  Shared<BaselineRun> s;
  Shared<unsigned char> area(Baseline::bytes(kCapacity));
  void* ring = area.get();
  Children kids;
  kids.spawn([&] {
    pin(consumerCore);
    prefault(ring, Baseline::bytes(kCapacity));
    Baseline::Reader reader(ring, kCapacity);
    common::Heartbeat hb{};
    s->ready.store(1, std::memory_order_release);
    for (uint32_t n = 1;; ++n) {
      if (reader.tryRead(&hb, sizeof hb)) {
        escape(&hb);
        if (hb.header.sequence == o.messages) break;
      } else if ((n & 0xFFFFF) == 0) {
        d.check("in baseline consumer");
      }
    }
    s->end_tsc = tscNow();
    s->lost = reader.lost();
  });
  kids.spawn([&] {
    pin(o.producer_core);
    prefault(ring, Baseline::bytes(kCapacity));
    Baseline::Writer writer(ring, kCapacity);
    common::Heartbeat hb = makeHeartbeat();
    waitFor([&] { return s->ready.load(std::memory_order_acquire) == 1; }, d, "waiting for baseline consumer");
    s->start_tsc = tscNow();
    for (uint64_t i = 1; i <= o.messages; ++i) {
      hb.counter = i;
      writer.publish(&hb, sizeof hb);
    }
  });
  kids.waitAll(d.at_ns + 2'000'000'000);
  return {static_cast<double>(o.messages) / (gClock.toNs(s->end_tsc - s->start_tsc) * 1e-9), s->lost, o.messages};
}

// ---- the bus: one producer, k consumers, same processes for every phase -----------------------
// Sequences 1..C are a warm-up lap (C = ring capacity) that the producer paces on the slowest
// consumer, so every consumer has touched every slot's page before anything is timed; then N
// flat out; then M paced and timestamped.

struct alignas(64) ConsumerSide {
  /// Last warm-up sequence read, then C+N when throughput is done. The only field the producer
  /// reads during a run, so it has a line to itself.
  std::atomic<uint64_t> progress{0};
  alignas(64) uint64_t tput_end_tsc = 0;
  uint64_t tput_received = 0;
  uint64_t tput_lost = 0;
  uint64_t lat_lost = 0;
  uint64_t negative = 0;  ///< receive stamp before send stamp: TSC skew between the cores
  LatencyHistogram latency;
};

struct BusRun {
  alignas(64) std::atomic<int> ready{0};
  alignas(64) uint64_t tput_start_tsc = 0;
  uint64_t tput_end_tsc = 0;
  ConsumerSide consumers[kMaxConsumers];
};

struct BusResult {
  LatencyHistogram latency;  // all consumers merged
  double msgs_per_s;         // N / the slowest consumer's time to reach message N
  double delivered_per_s;    // what the slowest consumer actually read, per second
  double producer_msgs_per_s;
  uint64_t lost;  // throughput phase, summed over consumers
  uint64_t received_min;
  uint64_t lat_lost;
  uint64_t negative;
};

void runConsumer(BusRun* s, int index, const Options& o, data_store::WaitStrategy wait, const Deadline& d) {
  ConsumerSide& me = s->consumers[index];
  prefault(&me, sizeof me);
  Subscriber sub(gShmName, data_store::StartAt::Live);  // attached before the first publish
  const uint64_t warmEnd = kCapacity, tputEnd = warmEnd + o.messages, last = tputEnd + o.latency_messages;
  s->ready.fetch_add(1, std::memory_order_acq_rel);
  alignas(64) common::Heartbeat hb{};
  for (uint32_t n = 1;; ++n) {
    uint64_t lost = 0;
    const data_store::ReadStatus st = sub.tryRead(&hb, lost);
    if (st == data_store::ReadStatus::Ok) {
      escape(&hb);
      const uint64_t seq = hb.header.sequence;
      if (seq > tputEnd) {
        auto ticks = static_cast<int64_t>(tscAfterLoads() - hb.counter);
        if (ticks < 0) {
          ++me.negative;
          ticks = 0;
        }
        me.latency.record(static_cast<int64_t>(gClock.toNs(ticks) + 0.5));
        if (seq == last) return;
      } else if (seq > warmEnd) {
        ++me.tput_received;
        if (seq == tputEnd) {
          me.tput_end_tsc = tscNow();  // only here: rdtscp per message would serialize the loads
          me.progress.store(seq, std::memory_order_release);
        }
      } else {
        me.progress.store(seq, std::memory_order_release);
      }
    } else if (st == data_store::ReadStatus::Lapped) {
      (sub.cursor() <= tputEnd ? me.tput_lost : me.lat_lost) += lost;
    }
    wait.idle(st == data_store::ReadStatus::Empty ? 0 : 1, [&](int64_t ns) { sub.waitForData(ns); });
    if ((n & 0xFFFFF) == 0) d.check("in bus consumer");
  }
}

void runProducer(BusRun* s, int consumers, const Options& o, WaitKind kind, const Deadline& d) {
  pin(o.producer_core);
  Publisher pub(gShmName, kCapacity);
  pub.setNotify(kind == WaitKind::Blocking);  // as a deployment with sleeping consumers would
  common::Heartbeat hb = makeHeartbeat();
  waitFor([&] { return s->ready.load(std::memory_order_acquire) == consumers; }, d, "waiting for consumers");
  auto slowest = [&] {
    uint64_t m = ~0ull;
    for (int i = 0; i < consumers; ++i) m = std::min(m, s->consumers[i].progress.load(std::memory_order_acquire));
    return m;
  };
  for (uint64_t seq = 1; seq <= kCapacity; ++seq) {
    // Stay half a lap ahead of the slowest consumer at most: the warm-up must lose nothing.
    for (uint32_t n = 1; slowest() + kCapacity / 2 < seq; ++n) {
      if ((n & 0xFFFF) != 0) continue;
      sched_yield();
      d.check("in warm-up");
    }
    pub.publish(hb);
  }
  waitFor([&] { return slowest() == kCapacity; }, d, "for consumers to finish the warm-up");

  s->tput_start_tsc = tscNow();
  for (uint64_t i = 0; i < o.messages; ++i) pub.publish(hb);
  s->tput_end_tsc = tscNow();
  waitFor([&] { return slowest() == kCapacity + o.messages; }, d, "for consumers to finish the throughput run");

  const uint64_t step = gClock.ticks(static_cast<double>(o.interval_ns));
  for (uint64_t i = 0; i < o.latency_messages; ++i) {
    const uint64_t due = tscNow() + step;
    while (tscNow() < due) {
    }
    hb.counter = tscNow();  // the payload carries its send time
    pub.publish(hb);
  }
}

BusResult measureBus(const Options& o, int consumers, WaitKind kind, bool shared, const Deadline& d) {
  // On a shared core, spinning on an empty ring holds the core until the kernel's time slice
  // ends (hundreds of us) while the others have data: give it up at once instead.
  const data_store::WaitStrategy wait = shared ? data_store::WaitStrategy(kind, 0, 0) : data_store::WaitStrategy(kind);
  Shared<BusRun> s;
  Children kids;
  kids.spawn([&] { runProducer(s.get(), consumers, o, kind, d); });
  for (int i = 0; i < consumers; ++i) {
    const int core = o.consumer_cores[static_cast<size_t>(i) % o.consumer_cores.size()];
    kids.spawn([&, i, core] {
      pin(core);
      runConsumer(s.get(), i, o, wait, d);
    });
  }
  kids.waitAll(d.at_ns + 2'000'000'000);

  BusResult r{};
  r.received_min = ~0ull;
  uint64_t slowestEnd = 0;
  for (int i = 0; i < consumers; ++i) {
    const ConsumerSide& c = s->consumers[i];
    r.latency.merge(c.latency);
    slowestEnd = std::max(slowestEnd, c.tput_end_tsc);
    r.lost += c.tput_lost;
    r.received_min = std::min(r.received_min, c.tput_received);
    r.lat_lost += c.lat_lost;
    r.negative += c.negative;
  }
  const auto perSecond = [&](uint64_t end) {
    return static_cast<double>(o.messages) / (gClock.toNs(end - s->tput_start_tsc) * 1e-9);
  };
  r.msgs_per_s = perSecond(slowestEnd);
  r.delivered_per_s = r.msgs_per_s * static_cast<double>(r.received_min) / static_cast<double>(o.messages);
  r.producer_msgs_per_s = perSecond(s->tput_end_tsc);
  return r;
}

std::string coreList(const Options& o, int consumers) {
  std::string out;
  for (int i = 0; i < consumers; ++i) {
    if (i > 0) out += ',';
    out += std::to_string(o.consumer_cores[static_cast<size_t>(i) % o.consumer_cores.size()]);
  }
  return out;
}

// ---- what the platform takes: time a spinning core does not get ------------------------------

struct Jitter {
  double lost_pct;  ///< share of the window in gaps longer than 1 us (interrupts, host preemption)
  uint64_t max_ns;  ///< longest gap
};

/// Spins on `core` reading the TSC for `window_ns` and adds up the gaps: a consumer stalled by
/// the same gaps delays every message published meanwhile, which is what sets p99 and beyond.
Jitter measureJitter(int core, int64_t window_ns, const Deadline& d) {
  Shared<Jitter> s;
  Children kids;
  kids.spawn([&] {
    pin(core);
    const uint64_t gap = gClock.ticks(1000), end = tscNow() + gClock.ticks(static_cast<double>(window_ns));
    uint64_t prev = tscNow(), lost = 0, longest = 0;
    for (uint64_t now = prev; now < end; prev = now) {
      now = tscNow();
      if (now - prev <= gap) continue;
      lost += now - prev;
      longest = std::max(longest, now - prev);
    }
    *s.get() = {100.0 * gClock.toNs(lost) / static_cast<double>(window_ns),
                static_cast<uint64_t>(gClock.toNs(longest))};
  });
  kids.waitAll(d.at_ns + 2'000'000'000);
  return *s.get();
}

// ---- report ---------------------------------------------------------------------------------

struct Row {
  int consumers;
  std::string cores;
  bool shared;
  WaitKind wait;
  double floor_before, floor_after;  // one-way ns; measured again after, to catch a vCPU move
  Throughput baseline;
  BusResult bus;
  Jitter jitter;

  double floor() const { return (floor_before + floor_after) / 2; }
  uint64_t p(double q) const { return bus.latency.percentile(q); }
};

void printJson(const Options& o, const Row& r) {
  const auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  std::printf(
      "{\"consumers\":%d,\"producer_core\":%d,\"consumer_cores\":[%s],\"shared_core\":%s,\"wait\":\"%s\","
      "\"latency_messages\":%llu,\"interval_ns\":%llu,\"p50_ns\":%llu,\"p99_ns\":%llu,\"p999_ns\":%llu,"
      "\"max_ns\":%llu,\"floor_one_way_ns\":%.1f,\"floor_before_ns\":%.1f,\"floor_after_ns\":%.1f,"
      "\"p50_over_floor\":%.3f,\"latency_lost\":%llu,\"tsc_negative\":%llu,\"messages\":%llu,\"msgs_per_s\":%.0f,"
      "\"delivered_per_s\":%.0f,\"producer_msgs_per_s\":%.0f,\"lost\":%llu,\"received_min\":%llu,"
      "\"baseline_msgs_per_s\":%.0f,\"baseline_lost\":%llu,\"baseline_delivered_per_s\":%.0f,"
      "\"throughput_over_baseline\":%.3f,\"delivered_over_baseline\":%.3f,"
      "\"jitter_lost_pct\":%.3f,\"jitter_max_ns\":%llu,\"tsc_ghz\":%.4f}\n",
      r.consumers, o.producer_core, r.cores.c_str(), r.shared ? "true" : "false", data_store::toString(r.wait),
      u(o.latency_messages), u(o.interval_ns), u(r.p(0.5)), u(r.p(0.99)), u(r.p(0.999)), u(r.bus.latency.max()),
      r.floor(), r.floor_before, r.floor_after, static_cast<double>(r.p(0.5)) / r.floor(), u(r.bus.lat_lost),
      u(r.bus.negative), u(o.messages), r.bus.msgs_per_s, r.bus.delivered_per_s, r.bus.producer_msgs_per_s,
      u(r.bus.lost), u(r.bus.received_min), r.baseline.msgs_per_s, u(r.baseline.lost), r.baseline.delivered_per_s(),
      r.bus.msgs_per_s / r.baseline.msgs_per_s, r.bus.delivered_per_s / r.baseline.delivered_per_s(), r.jitter.lost_pct,
      u(r.jitter.max_ns), gClock.ghz());
}

void printTableHeader(const Options& o, bool invariant) {
  std::printf(
      "bus_latency: producer core %d, consumer cores %s; TSC %.3f GHz%s; ring %llu x %u B slots\n"
      "  throughput: %llu msgs flat out; latency: %llu msgs, one every %llu ns\n\n",
      o.producer_core, coreList(o, static_cast<int>(o.consumer_cores.size())).c_str(), gClock.ghz(),
      invariant ? " (invariant)" : " (NOT invariant)", static_cast<unsigned long long>(kCapacity), kSlotBytes,
      static_cast<unsigned long long>(o.messages), static_cast<unsigned long long>(o.latency_messages),
      static_cast<unsigned long long>(o.interval_ns));
  std::printf("%-4s %-8s %-10s | %-30s | %-14s | %-28s | %-28s | %-6s | %s\n", "", "", "", "one-way latency, ns",
              "floor, ns", "bus throughput, msgs/s", "minimal ring, msgs/s", "deliv.", "jitter");
  std::printf("%-4s %-8s %-10s | %6s %6s %7s %8s | %7s %6s | %8s %8s %10s | %8s %8s %10s | %6s | %s\n", "cons", "cores",
              "wait", "p50", "p99", "p99.9", "max", "1-way", "ratio", "N/time", "lost", "delivered", "N/time", "lost",
              "delivered", "ratio", "lost%");
}

void printTableRow(const Row& r) {
  const auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  const bool moved = std::max(r.floor_before, r.floor_after) > 1.5 * std::min(r.floor_before, r.floor_after);
  std::printf(
      "%-4d %-8s %-10s | %6llu %6llu %7llu %8llu | %6.1f%s %5.2fx | %7.1fM %8llu %9.1fM | %7.1fM %8llu %9.1fM | %5.2fx "
      "| "
      "%.2f\n",
      r.consumers, r.cores.c_str(), data_store::toString(r.wait), u(r.p(0.5)), u(r.p(0.99)), u(r.p(0.999)),
      u(r.bus.latency.max()), r.floor(), moved ? "!" : " ", static_cast<double>(r.p(0.5)) / r.floor(),
      r.bus.msgs_per_s / 1e6, u(r.bus.lost), r.bus.delivered_per_s / 1e6, r.baseline.msgs_per_s / 1e6,
      u(r.baseline.lost), r.baseline.delivered_per_s() / 1e6, r.bus.delivered_per_s / r.baseline.delivered_per_s(),
      r.jitter.lost_pct);
}

void onSignal(int sig) {
  if (gShmName[0]) {
    char path[160] = "/dev/shm/";
    std::strncat(path, gShmName, sizeof path - 10);
    unlink(path);
  }
  signal(sig, SIG_DFL);
  raise(sig);  // children die with us through PR_SET_PDEATHSIG
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, nullptr);  // Children::waitAll sleeps in sigtimedwait
  signal(SIGINT, onSignal);
  signal(SIGTERM, onSignal);

  const bool invariant = bench::tscIsInvariant();
  if (!invariant) std::fprintf(stderr, "bus_latency: warning: no invariant TSC; cross-core stamps may be skewed\n");
  gClock = bench::TscClock::calibrate();
  const Deadline d{common::monoNowNs() + int64_t{o.timeout_s} * 1'000'000'000};

  if (!o.json) printTableHeader(o, invariant);
  int rc = 0;
  for (const int k : o.consumer_counts) {
    std::set<int> used;
    for (int i = 0; i < k; ++i) used.insert(o.consumer_cores[static_cast<size_t>(i) % o.consumer_cores.size()]);
    Row r{};
    r.consumers = k;
    r.cores = coreList(o, k);
    r.shared = used.size() < static_cast<size_t>(k);
    r.wait = o.wait == "auto" ? (r.shared ? WaitKind::SpinYield : WaitKind::BusySpin)
                              : *data_store::waitKindFromString(o.wait);
    std::snprintf(gShmName, sizeof gShmName, "hft.bench.%d.c%d", static_cast<int>(getpid()), k);
    try {
      const int first = o.consumer_cores[0];
      r.floor_before = measureFloor(o, first, d);
      r.baseline = measureBaseline(o, first, d);
      r.bus = measureBus(o, k, r.wait, r.shared, d);
      data_store::ShmSegment::remove(gShmName);
      r.floor_after = measureFloor(o, first, d);
      r.jitter = measureJitter(first, 100'000'000, d);
    } catch (const std::exception& e) {
      data_store::ShmSegment::remove(gShmName);
      std::fprintf(stderr, "bus_latency: %d consumer(s): %s\n", k, e.what());
      rc = 1;
      break;
    }
    o.json ? printJson(o, r) : printTableRow(r);
    std::fflush(stdout);
  }
  gShmName[0] = 0;
  if (!o.json && rc == 0)
    std::printf(
        "\nfloor: raw cache-line ping-pong between the producer core and the first consumer core, one-way =\n"
        "  p50 round trip / 2, mean of a run before and after the bus (! = they differ by > 1.5x: the VM\n"
        "  moved a vCPU mid-run); ratio = bus p50 / floor.\n"
        "throughput: N/time = N / the slowest consumer's time to message N; lost = messages lapped\n"
        "  consumers skipped (all consumers); delivered = what the slowest consumer read, per second.\n"
        "minimal ring: bench/MinimalRing.h between the same cores, flat out, one consumer;\n"
        "  deliv. ratio = bus delivered / minimal ring delivered.\n"
        "jitter: share of 100 ms that a spinning process on the consumer core lost in gaps > 1 us.\n"
        "Consumers sharing a core are time-sliced by the kernel: their latency includes scheduling.\n");
  return rc;
}
