#pragma once
// Singleton guard for processes that must run once per host and configuration (the order
// executor: two OMS instances would both send orders). Start-up only.
#include <string>
#include <sys/types.h>

namespace hft::common {

/// Holds an exclusive flock(2) on a lock file for as long as it lives, with the holder's pid
/// written in the file for the error message of the next instance.
///
/// The kernel releases the lock when the holder's descriptor is closed, which includes the
/// process dying by any signal (SIGKILL, OOM kill): there is no stale lock to clean up, and
/// the file is never removed (removing it would let two processes lock two different inodes).
/// The descriptor is O_CLOEXEC: a child that exec()s does not keep the lock, but a child that
/// only fork()s shares it until it exits (flock locks belong to the open file description).
class ProcessLock {
 public:
  /// Creates the file if needed (mode 0644) and takes the lock without waiting. Throws
  /// std::runtime_error naming the path: when another process holds it ("... is held by pid
  /// 1234: another instance is running"), or when the file cannot be opened or written.
  explicit ProcessLock(std::string path);
  ~ProcessLock();  ///< releases the lock (the file stays)
  ProcessLock(ProcessLock&& other) noexcept;
  ProcessLock& operator=(ProcessLock&&) = delete;
  ProcessLock(const ProcessLock&) = delete;
  ProcessLock& operator=(const ProcessLock&) = delete;

  const std::string& path() const noexcept { return path_; }

  /// The pid written in a lock file (0 when the file is missing, empty or unreadable). Tells
  /// who holds it; only a failing ProcessLock proves that someone does.
  static pid_t holderPid(const std::string& path) noexcept;

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace hft::common
