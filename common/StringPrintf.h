#pragma once
// printf into a std::string, for cold-path text (exit summaries, status lines). Allocates: never
// on a hot path.
#include <cstdarg>
#include <cstdio>
#include <string>

namespace hft::common {

[[gnu::format(printf, 1, 2)]] inline std::string stringPrintf(const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list again;
  va_copy(again, args);
  const int len = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  std::string out;
  if (len > 0) {
    out.resize(static_cast<size_t>(len) + 1);
    std::vsnprintf(out.data(), out.size(), format, again);
    out.resize(static_cast<size_t>(len));
  }
  va_end(again);
  return out;
}

}  // namespace hft::common
