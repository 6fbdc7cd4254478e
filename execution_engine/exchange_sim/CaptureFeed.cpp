#include "execution_engine/exchange_sim/CaptureFeed.h"

#include <charconv>
#include <stdexcept>

#include "api/import/LineReader.h"

namespace hft::execution_engine::exchange_sim {

CaptureFeed CaptureFeed::load(const std::string& path) {
  CaptureFeed f;
  api::LineReader reader(path);
  std::string_view line;
  size_t lineNo = 0;
  while (reader.next(line)) {
    ++lineNo;
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    int64_t ns = 0;
    const auto [p, ec] = std::from_chars(line.data(), line.data() + (space == std::string_view::npos ? 0 : space), ns);
    if (space == std::string_view::npos || ec != std::errc() || p != line.data() + space)
      throw std::runtime_error(path + ":" + std::to_string(lineNo) +
                               ": expected '<receive_ns> <json>' (an integer, one space, the captured message)");
    std::string_view json = line.substr(space + 1);
    if (json.empty() || json.front() != '{')
      throw std::runtime_error(path + ":" + std::to_string(lineNo) + ": byte " + std::to_string(space + 1) +
                               ": expected a JSON object");
    CapturedFrame frame{ns, std::string(json)};
    if (json.find("\"lastUpdateId\"") != std::string_view::npos && json.find("\"stream\"") == std::string_view::npos &&
        json.find("\"e\"") == std::string_view::npos)
      f.snapshots_.push_back(std::move(frame));
    else
      f.frames_.push_back(std::move(frame));
  }
  return f;
}

}  // namespace hft::execution_engine::exchange_sim
