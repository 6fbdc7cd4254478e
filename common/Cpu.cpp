#include "common/Cpu.h"

#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hft::common {

std::string pinThisThread(int core) {
  if (core < 0) return {};
  if (core >= onlineCpuCount())
    return "core " + std::to_string(core) + " does not exist (this machine has " +
           std::to_string(onlineCpuCount()) + " cores)";
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(static_cast<size_t>(core), &set);
  const int rc = pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  if (rc != 0) return "pthread_setaffinity_np(core " + std::to_string(core) + "): " + std::strerror(rc);
  return {};
}

std::string lockAllMemory() {
  if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0)
    return std::string("mlockall: ") + std::strerror(errno) + " (raise LimitMEMLOCK / ulimit -l)";
  return {};
}

void nameThisThread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

int onlineCpuCount() noexcept { return static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)); }

}  // namespace hft::common
