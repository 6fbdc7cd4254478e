#include "data_store/ProcessRegistry.h"

#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "common/Clock.h"
#include "common/EventType.h"

namespace hft::data_store {

const char* toString(ProcessRole r) noexcept {
  switch (r) {
    case ProcessRole::Unknown: return "unknown";
    case ProcessRole::Datafeed: return "datafeed";
    case ProcessRole::StrategyRunner: return "strategy_runner";
    case ProcessRole::OrderExecutor: return "order_executor";
    case ProcessRole::DataRecorder: return "data_recorder";
    case ProcessRole::Backtester: return "backtester";
    case ProcessRole::Monitor: return "monitor";
    case ProcessRole::Benchmark: return "benchmark";
  }
  return "?";
}

namespace {

SegmentHeader registryHeader() {
  SegmentHeader h{};
  h.magic = kSegmentMagic;
  h.layout_version = kLayoutVersion;
  h.schema_version = common::kSchemaVersion;
  h.kind = SegmentKind::Registry;
  h.slot_bytes = sizeof(RegistryEntry);
  h.capacity = kRegistryCapacity;
  h.epoch = newEpoch();
  h.total_bytes = sizeof(SegmentHeader) + sizeof(RegistryEntry) * kRegistryCapacity;
  return h;
}

constexpr SegmentExpectation kRegistryExpect{SegmentKind::Registry, sizeof(RegistryEntry), common::kSchemaVersion};

/// Names longer than the field are an error, not a silent truncation that would make two
/// rings look the same.
void copyName(char* dst, size_t cap, const std::string& src) {
  if (src.size() >= cap)
    throw std::invalid_argument("registry name \"" + src + "\" is longer than " + std::to_string(cap - 1) + " bytes");
  std::memset(dst, 0, cap);
  std::memcpy(dst, src.data(), std::min(cap - 1, src.size()));
}

}  // namespace

ProcessRegistry::ProcessRegistry(const std::string& name, const ShmOptions& opts)
    : seg_(ShmSegment::createOrOpen(name, registryHeader(), kRegistryExpect, opts)) {
  auto& h = seg_.header();
  if (readyFlag(h).load(std::memory_order_acquire) == 0) {
    // We created it: fresh pages are zero, i.e. every entry Free. Publish.
    readyFlag(h).store(1, std::memory_order_release);
  }
}

ProcessRegistry ProcessRegistry::openExisting(const std::string& name, int timeout_ms) {
  return ProcessRegistry(ShmSegment::open(name, kRegistryExpect, timeout_ms));
}

RegistryEntry* ProcessRegistry::entries() const noexcept {
  return reinterpret_cast<RegistryEntry*>(static_cast<unsigned char*>(seg_.base()) + sizeof(SegmentHeader));
}

RegistryEntry& ProcessRegistry::attach(const std::string& processName, ProcessRole role, const std::string& reading,
                                       int core) {
  RegistryEntry* e = entries();
  for (int pass = 0; pass < 2; ++pass) {
    for (uint32_t i = 0; i < kRegistryCapacity; ++i) {
      uint32_t expected = RegistryEntry::Free;
      bool claimed = e[i].state.compare_exchange_strong(expected, RegistryEntry::Claiming, std::memory_order_acq_rel);
      // Second pass: take over entries whose process died without detaching.
      if (!claimed && pass == 1 && expected == RegistryEntry::Active && !processAlive(e[i].pid))
        claimed = e[i].state.compare_exchange_strong(expected, RegistryEntry::Claiming, std::memory_order_acq_rel);
      if (!claimed) continue;
      RegistryEntry& r = e[i];
      r.pid = static_cast<uint32_t>(getpid());
      r.role = role;
      r.core = core;
      r.start_ns = common::wallNowNs();
      copyName(r.name, sizeof r.name, processName);
      copyName(r.reading, sizeof r.reading, reading);
      r.cursor.store(0, std::memory_order_relaxed);
      r.heartbeat_ns.store(r.start_ns, std::memory_order_relaxed);
      r.lost.store(0, std::memory_order_relaxed);
      r.processed.store(0, std::memory_order_relaxed);
      r.lockstep.store(0, std::memory_order_relaxed);
      r.lockstep_done.store(0, std::memory_order_relaxed);
      r.lockstep_clock_ns.store(INT64_MIN, std::memory_order_relaxed);
      r.lockstep_waiting_at_ns.store(INT64_MIN, std::memory_order_relaxed);
      r.lockstep_reports_read.store(0, std::memory_order_relaxed);
      r.state.store(RegistryEntry::Active, std::memory_order_release);
      return r;
    }
  }
  throw std::runtime_error("process registry /dev/shm/" + seg_.name() + " is full (" +
                           std::to_string(kRegistryCapacity) + " live processes)");
}

void ProcessRegistry::detach(RegistryEntry& e) noexcept {
  e.lockstep.store(0, std::memory_order_release);
  e.state.store(RegistryEntry::Free, std::memory_order_release);
}

std::vector<ProcessInfo> ProcessRegistry::list() const {
  std::vector<ProcessInfo> out;
  const RegistryEntry* e = entries();
  for (uint32_t i = 0; i < kRegistryCapacity; ++i) {
    if (e[i].state.load(std::memory_order_acquire) != RegistryEntry::Active) continue;
    ProcessInfo p{};
    p.slot = i;
    p.pid = e[i].pid;
    p.role = e[i].role;
    p.core = e[i].core;
    p.name.assign(e[i].name, strnlen(e[i].name, sizeof e[i].name));
    p.reading.assign(e[i].reading, strnlen(e[i].reading, sizeof e[i].reading));
    p.cursor = e[i].cursor.load(std::memory_order_relaxed);
    p.heartbeat_ns = e[i].heartbeat_ns.load(std::memory_order_relaxed);
    p.start_ns = e[i].start_ns;
    p.lost = e[i].lost.load(std::memory_order_relaxed);
    p.processed = e[i].processed.load(std::memory_order_relaxed);
    p.alive = processAlive(p.pid);
    p.lockstep = e[i].lockstep.load(std::memory_order_relaxed) != 0;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace hft::data_store
