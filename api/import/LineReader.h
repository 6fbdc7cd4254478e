#pragma once
// Reads a text file line by line, plain or gzip-compressed (zlib detects which), keeping the
// line number for error messages. Lines may be long (REST snapshots of 1000 levels).
#include <cstdint>
#include <string>
#include <string_view>

namespace hft::api {

class LineReader {
 public:
  /// Throws ImportError naming the path when the file cannot be opened.
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// Next line without its '\n' (and '\r'), valid until the next call; false at end of
  /// file. Throws ImportError on a read error (e.g. corrupt gzip stream) naming file and line.
  bool next(std::string_view& line);
  uint64_t lineNumber() const noexcept { return line_; }
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  void* gz_ = nullptr;  // gzFile
  std::string buf_;     // bytes [begin_, end_) not yet returned
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  uint64_t line_ = 0;
};

}  // namespace hft::api
