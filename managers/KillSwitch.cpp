#include "managers/KillSwitch.h"

#include <sys/stat.h>

#include <cerrno>
#include <system_error>
#include <utility>

namespace hft::managers {

namespace {

void onSignal(int) { KillSwitch::toggleSignalFlag(); }

}  // namespace

KillSwitch::KillSwitch(std::string file) : file_(std::move(file)) {
  poll();  // a kill file left in place stops trading from the first order, not from the first poll
}

void KillSwitch::installSignalHandler(int signo) {
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // a toggle must not make the hot thread's syscalls fail with EINTR
  if (sigaction(signo, &sa, nullptr) != 0)
    throw std::system_error(errno, std::generic_category(), "KillSwitch: sigaction");
}

void KillSwitch::toggleSignalFlag() noexcept { signalFlag_.fetch_xor(1, std::memory_order_relaxed); }

void KillSwitch::engage(const char* reason) noexcept {
  apiReason_.store(reason ? reason : "kill switch engaged", std::memory_order_relaxed);
  sources_.fetch_or(kApi, std::memory_order_relaxed);
}

void KillSwitch::clear() noexcept {
  sources_.fetch_and(~kApi, std::memory_order_relaxed);
  signalFlag_.store(0, std::memory_order_relaxed);
}

bool KillSwitch::poll() noexcept {
  if (!file_.empty()) {
    struct stat st;
    // Any error other than "not there" (EACCES on a path component...) counts as present:
    // a kill switch that cannot be read must fail safe.
    const bool present = ::stat(file_.c_str(), &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
    if (present)
      sources_.fetch_or(kFile, std::memory_order_relaxed);
    else
      sources_.fetch_and(~kFile, std::memory_order_relaxed);
  }
  return engaged();
}

const char* KillSwitch::reason() const noexcept {
  const uint32_t s = sources_.load(std::memory_order_relaxed);
  if (s & kApi) return apiReason_.load(std::memory_order_relaxed);
  if (s & kFile) return "kill switch file present";
  if (signalFlag_.load(std::memory_order_relaxed)) return "kill switch toggled on by signal";
  return "";
}

}  // namespace hft::managers
