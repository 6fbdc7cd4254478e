#pragma once
// The operator's stop button. While engaged, the risk manager rejects every New and Modify with
// RejectReason::KillSwitch; cancels still pass, so resting orders can be pulled.
//
// Three independent sources, engaged while any one of them is on:
//   - the API: engage(reason) / clear(), for the executor's control channel and tests;
//   - a file: poll() does one stat() of the configured path; the switch is on while the file
//     exists (`touch /tmp/hft.kill` stops trading, `rm` resumes). The caller polls off the hot
//     path, e.g. every 100 ms;
//   - a signal: after installSignalHandler(), each SIGUSR1 toggles the switch
//     (`kill -USR1 <pid>` once = on, again = off). The flag is process-wide: every KillSwitch
//     in the process sees it.
//
// Threads: engaged() and reason() may be called from any thread (relaxed atomics: the switch
// publishes nothing but itself); poll(), engage() and clear() too. The signal handler only
// flips a lock-free atomic, which is async-signal-safe.
#include <atomic>
#include <csignal>
#include <cstdint>
#include <string>

namespace hft::managers {

class KillSwitch {
 public:
  /// `file` empty = no file source. Polls the file once, so a file present at start-up engages
  /// the switch before the first order. Setup: may allocate.
  explicit KillSwitch(std::string file = {});
  KillSwitch(const KillSwitch&) = delete;
  KillSwitch& operator=(const KillSwitch&) = delete;

  /// Installs a handler for `signo` (SIGUSR1 by default) that toggles the process-wide signal
  /// source. Call once from main() at start-up; throws std::system_error if sigaction fails.
  static void installSignalHandler(int signo = SIGUSR1);
  /// What the handler does: flips the signal source. Async-signal-safe.
  static void toggleSignalFlag() noexcept;

  /// Engages the API source. `reason` must outlive the switch (a string literal): it becomes
  /// the detail of every rejection while this source is the one reported.
  void engage(const char* reason) noexcept;
  /// Clears the API source and the process-wide signal source. The file source stays on while
  /// the file exists: remove the file to clear it.
  void clear() noexcept;

  /// One stat() of the file; updates the file source. Returns engaged(). Cold: not for the hot path.
  bool poll() noexcept;

  /// Any source on. Two relaxed loads.
  bool engaged() const noexcept {
    return (sources_.load(std::memory_order_relaxed) | signalFlag_.load(std::memory_order_relaxed)) != 0;
  }
  /// A static string naming the source that engaged it ("kill switch file present", the API
  /// reason, ...); "" when not engaged.
  const char* reason() const noexcept;

  const std::string& file() const noexcept { return file_; }

 private:
  static constexpr uint32_t kApi = 1;
  static constexpr uint32_t kFile = 2;
  // Process-wide because a signal handler has no context to find an instance by. Constant-
  // initialized, so it is ready before main() and reading it needs no guard.
  static constinit inline std::atomic<uint32_t> signalFlag_{0};
  static_assert(std::atomic<uint32_t>::is_always_lock_free, "a signal handler may only touch lock-free atomics");

  std::string file_;
  std::atomic<uint32_t> sources_{0};
  std::atomic<const char*> apiReason_{""};
};

}  // namespace hft::managers
