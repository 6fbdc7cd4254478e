#pragma once
// Thread placement and memory locking, applied at start-up from config.
#include <string>

namespace hft::common {

/// Pins the calling thread to one CPU core. Returns an error text, empty on success.
std::string pinThisThread(int core);

/// mlockall(MCL_CURRENT | MCL_FUTURE) so the hot path never takes a page fault. Returns an
/// error text (e.g. RLIMIT_MEMLOCK too low), empty on success.
std::string lockAllMemory();

/// Names the calling thread (visible in top/htop/gdb); truncated to 15 chars.
void nameThisThread(const std::string& name);

/// Number of online CPUs.
int onlineCpuCount() noexcept;

}  // namespace hft::common
