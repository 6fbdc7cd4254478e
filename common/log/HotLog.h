#pragma once
// Logging from a hot thread without formatting, allocating, locking or a syscall: the call
// copies its (trivially copyable) arguments and a pointer to a formatting function into a slot
// of a single-producer ring; the log service's thread formats and writes later (LogService.h).
//
//   static log::Component& risk = service.component("risk");       // start-up
//   hot.log(risk, log::Level::Warn, "order {} refused: {}", id, reasonName);  // hot path
//
// Arguments: numbers, enums, bools, and `const char*` that stay valid until the line is written
// (string literals, static names). A record is dropped (and counted) when the ring is full or
// the arguments do not fit a slot; the hot thread never waits.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <memory>
#include <new>
#include <string>
#include <tuple>
#include <type_traits>

#include <fmt/format.h>

#include "common/Clock.h"
#include "common/log/LogLevel.h"

namespace hft::common::log {

/// A named source of log lines with its own threshold (set from configuration, any thread).
struct Component {
  explicit Component(std::string n, Level threshold) : name(std::move(n)), level(threshold) {}
  std::string name;
  std::atomic<Level> level;
  bool enabled(Level l) const noexcept { return l >= level.load(std::memory_order_relaxed); }
};

/// One pending line: 256 bytes, the arguments stored inline.
struct alignas(64) HotRecord {
  static constexpr size_t kArgBytes = 192;
  using Formatter = void (*)(const HotRecord&, fmt::memory_buffer& out);
  Formatter format;
  const char* pattern;
  const Component* component;
  int64_t wall_ns;
  Level level;
  alignas(16) unsigned char args[kArgBytes];
};
static_assert(sizeof(HotRecord) == 256);

class HotLogger {
 public:
  /// `capacity` records (a power of two), allocated here, never again.
  explicit HotLogger(uint32_t capacity = 4096)
      : mask_(capacity - 1), slots_(std::make_unique<HotRecord[]>(capacity)) {
    if (capacity == 0 || (capacity & (capacity - 1)) != 0) throw std::invalid_argument("HotLogger capacity: a power of two");
  }
  HotLogger(const HotLogger&) = delete;
  HotLogger& operator=(const HotLogger&) = delete;

  /// Hot path: false when below the component's level (nothing done) or dropped.
  template <class... Args>
  bool log(const Component& c, Level level, const char* pattern, const Args&... args) noexcept {
    // Arrays (string literals) decay to pointers: the literal itself outlives the record.
    using Tuple = std::tuple<std::decay_t<const Args&>...>;
    static_assert((std::is_trivially_copyable_v<std::decay_t<const Args&>> && ...), "hot log arguments must be trivially copyable");
    if (!c.enabled(level)) return false;
    if constexpr (sizeof(Tuple) > HotRecord::kArgBytes || alignof(Tuple) > 16) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    } else {
      const uint64_t head = head_.load(std::memory_order_relaxed);
      if (head - tail_.load(std::memory_order_acquire) > mask_) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
      HotRecord& r = slots_[head & mask_];
      r.format = &formatTuple<Tuple>;
      r.pattern = pattern;
      r.component = &c;
      r.wall_ns = wallNowNs();
      r.level = level;
      ::new (static_cast<void*>(r.args)) Tuple(args...);
      head_.store(head + 1, std::memory_order_release);
      return true;
    }
  }

  /// Consumer side (the log service's thread): calls f(const HotRecord&) for each pending record.
  template <class F>
  size_t drain(F&& f) {
    const uint64_t head = head_.load(std::memory_order_acquire);
    uint64_t tail = tail_.load(std::memory_order_relaxed);
    size_t n = 0;
    for (; tail != head; ++tail, ++n) f(slots_[tail & mask_]);
    tail_.store(tail, std::memory_order_release);
    return n;
  }

  uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }

 private:
  template <class Tuple>
  static void formatTuple(const HotRecord& r, fmt::memory_buffer& out) {
    // The tuple was constructed in place by log(); its members are trivially destructible.
    const Tuple& t = *std::launder(reinterpret_cast<const Tuple*>(r.args));
    std::apply([&](const auto&... a) { fmt::vformat_to(std::back_inserter(out), fmt::string_view(r.pattern), fmt::make_format_args(a...)); }, t);
  }

  const uint64_t mask_;
  std::unique_ptr<HotRecord[]> slots_;
  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) std::atomic<uint64_t> tail_{0};
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace hft::common::log
