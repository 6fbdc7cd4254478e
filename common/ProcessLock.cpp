#include "common/ProcessLock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <system_error>

namespace hft::common {
namespace {

std::string errnoMessage(const std::string& path, const char* call, int err) {
  std::string s = path;
  s.append(": ").append(call).append(": ").append(std::generic_category().message(err));
  return s;
}

}  // namespace

ProcessLock::ProcessLock(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(errnoMessage(path_, "cannot open the lock file", errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK) throw std::runtime_error(errnoMessage(path_, "flock", err));
    const pid_t holder = holderPid(path_);
    std::string msg = path_;
    msg.append(" is held by ");
    msg.append(holder > 0 ? "pid " + std::to_string(holder) : std::string("another process (pid not yet written)"));
    msg.append(": another instance is running");
    throw std::runtime_error(msg);
  }
  // Ours now: replace whatever pid a previous (dead) holder left.
  char text[32];
  const int n = std::snprintf(text, sizeof text, "%ld\n", static_cast<long>(::getpid()));
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, text, static_cast<size_t>(n), 0) != n) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error(errnoMessage(path_, "cannot write the pid", err));
  }
}

ProcessLock::ProcessLock(ProcessLock&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) {
  other.fd_ = -1;
}

ProcessLock::~ProcessLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor of the description releases the flock
}

pid_t ProcessLock::holderPid(const std::string& path) noexcept {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  ::close(fd);
  if (n <= 0) return 0;
  char* end = nullptr;
  const long pid = std::strtol(text, &end, 10);
  return end != text && pid > 0 ? static_cast<pid_t>(pid) : 0;
}

}  // namespace hft::common
