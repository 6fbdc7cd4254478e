#include "api/import/LineReader.h"

#include <zlib.h>

#include <cstring>

#include "api/import/IImporter.h"

namespace hft::api {

LineReader::LineReader(const std::string& path) : path_(path) {
  gz_ = gzopen(path.c_str(), "rb");
  if (!gz_) throw ImportError(path, 0, "cannot open file");
  gzbuffer(static_cast<gzFile>(gz_), 1 << 17);
  buf_.resize(1 << 20);
}

LineReader::~LineReader() {
  if (gz_) gzclose(static_cast<gzFile>(gz_));
}

bool LineReader::next(std::string_view& line) {
  for (;;) {
    if (const void* nl = std::memchr(buf_.data() + begin_, '\n', end_ - begin_)) {
      const size_t at = static_cast<size_t>(static_cast<const char*>(nl) - buf_.data());
      size_t len = at - begin_;
      if (len > 0 && buf_[begin_ + len - 1] == '\r') --len;
      line = std::string_view(buf_.data() + begin_, len);
      begin_ = at + 1;
      ++line_;
      return true;
    }
    if (eof_) {
      if (begin_ == end_) return false;
      line = std::string_view(buf_.data() + begin_, end_ - begin_);  // last line, no newline
      begin_ = end_;
      ++line_;
      return true;
    }
    // Move the partial line to the front, grow for very long lines, read more.
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
    const int n = gzread(static_cast<gzFile>(gz_), buf_.data() + end_, static_cast<unsigned>(buf_.size() - end_));
    if (n < 0) {
      int err = Z_OK;
      const char* msg = gzerror(static_cast<gzFile>(gz_), &err);
      std::string why = "read error: ";
      why.append(msg ? msg : "unknown");
      throw ImportError(path_, line_ + 1, why);
    }
    if (n == 0) eof_ = true;
    end_ += static_cast<size_t>(n);
  }
}

}  // namespace hft::api
