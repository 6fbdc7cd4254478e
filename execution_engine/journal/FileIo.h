#pragma once
// The few POSIX file operations the journal, trade log, snapshots and reports share. Every
// function reports failure as a value (errno-style text only where the caller is cold).
#include <cstddef>
#include <string>

namespace hft::execution_engine::journal {

/// write(2) until all n bytes are written, retrying EINTR and short writes. Returns false with
/// errno set on failure (the file may then hold a prefix of the data). No allocation.
[[nodiscard]] bool writeAll(int fd, const void* data, size_t n) noexcept;

/// fsync(2) of a directory, so a file created or renamed in it survives a power loss.
[[nodiscard]] bool fsyncDirectory(const std::string& dir) noexcept;

/// "<path>: <call>: strerror(errno)" for error messages. Cold path.
std::string errnoText(const std::string& path, const char* call);

/// Creates `dir` and its parents (mkdir -p). Returns false with `error` naming the path.
[[nodiscard]] bool makeDirectories(const std::string& dir, std::string& error);

/// Writes `content` to `path` atomically: a temporary file next to it (`path` + ".tmp"),
/// fsync, rename over `path`, fsync of the directory. A crash leaves either the old file or
/// the new one, never a mix (and maybe a stale ".tmp", which readers ignore). Returns false
/// with `error` naming the file and the failed call.
[[nodiscard]] bool writeFileAtomically(const std::string& path, const std::string& content, std::string& error);

/// Reads a whole regular file. Returns false with `error` naming the file.
[[nodiscard]] bool readFile(const std::string& path, std::string& out, std::string& error);

}  // namespace hft::execution_engine::journal
