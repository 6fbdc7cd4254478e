#include "config/keys/SecretInput.h"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace hft::config::keys {

namespace {

/// Echo off on a terminal for its lifetime.
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (isatty(fd_) == 1 && tcgetattr(fd_, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHOE | ECHOK | ECHONL);
      active_ = tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (active_) tcsetattr(fd_, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;
  bool active() const noexcept { return active_; }

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

void writeAll(int fd, const char* s) noexcept {
  size_t left = std::strlen(s);
  while (left > 0) {
    const ssize_t n = ::write(fd, s, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    s += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

bool readSecretLine(int fd, common::SecureBuffer& out, int promptFd, const char* prompt) {
  out.clear();
  if (prompt != nullptr && promptFd >= 0) writeAll(promptFd, prompt);
  EchoOff echo(fd);
  bool any = false, overflow = false;
  for (;;) {
    unsigned char c = 0;
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      out.clear();
      throw std::runtime_error(std::string("read: ") + std::strerror(err));
    }
    if (n == 0) break;
    any = true;
    if (c == '\n') break;
    if (!overflow && !out.push_back(c)) overflow = true;
    c = 0;
  }
  if (echo.active() && promptFd >= 0) writeAll(promptFd, "\n");
  if (overflow) {
    out.clear();
    throw std::runtime_error("input line longer than " + std::to_string(out.capacity()) + " bytes");
  }
  if (!out.empty() && out.data()[out.size() - 1] == '\r') out.resize(out.size() - 1);
  return any;
}

}  // namespace hft::config::keys
