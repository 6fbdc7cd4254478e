#include "execution_engine/journal/FileIo.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace hft::execution_engine::journal {

bool writeAll(int fd, const void* data, size_t n) noexcept {
  const auto* p = static_cast<const unsigned char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (w == 0) {  // a regular file never does this; do not spin on it
      errno = EIO;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool fsyncDirectory(const std::string& dir) noexcept {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

std::string errnoText(const std::string& path, const char* call) {
  const int saved = errno;  // building the string may not touch errno, but be sure
  std::string s = path;
  s.append(": ").append(call).append(": ").append(std::generic_category().message(saved));
  return s;
}

bool makeDirectories(const std::string& dir, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    error = dir;
    error.append(": cannot create directory: ").append(ec.message());
    return false;
  }
  return true;
}

bool writeFileAtomically(const std::string& path, const std::string& content, std::string& error) {
  std::string tmp = path;
  tmp.append(".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = errnoText(tmp, "open");
    return false;
  }
  if (!writeAll(fd, content.data(), content.size()) || ::fsync(fd) != 0) {
    error = errnoText(tmp, "write/fsync");
    ::close(fd);
    ::unlink(tmp.c_str());
    return false;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    error = errnoText(path, "rename");
    ::unlink(tmp.c_str());
    return false;
  }
  const std::string dir = std::filesystem::path(path).parent_path().string();
  if (!fsyncDirectory(dir.empty() ? "." : dir)) {
    error = errnoText(dir, "fsync of the directory");
    return false;
  }
  return true;
}

bool readFile(const std::string& path, std::string& out, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = errnoText(path, "open");
    return false;
  }
  out.clear();
  char buf[65536];
  for (;;) {
    const ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0) {
      if (errno == EINTR) continue;
      error = errnoText(path, "read");
      ::close(fd);
      return false;
    }
    if (r == 0) break;
    out.append(buf, static_cast<size_t>(r));
  }
  ::close(fd);
  return true;
}

}  // namespace hft::execution_engine::journal
