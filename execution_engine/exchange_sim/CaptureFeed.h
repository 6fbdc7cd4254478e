#pragma once
// A captured Binance session in the `binance-ws-capture` format that `recording import` reads
// (api/import/BinanceWsCaptureImporter.h): one `<local_receive_ns> <raw JSON>` per line, plain or
// gzip. Stream frames are served verbatim over the WebSocket, paced by their receive times; the
// bare REST depth bodies ({"lastUpdateId":..}) are what GET depth answers.
#include <cstdint>
#include <string>
#include <vector>

namespace hft::execution_engine::exchange_sim {

struct CapturedFrame {
  int64_t receive_ns = 0;
  std::string text;  ///< exactly as captured
};

class CaptureFeed {
 public:
  /// Reads the whole file. Throws std::runtime_error naming file:line on a malformed line.
  static CaptureFeed load(const std::string& path);

  const std::vector<CapturedFrame>& frames() const noexcept { return frames_; }
  /// REST depth snapshots in file order (the first is served; a gap-free capture needs one).
  const std::vector<CapturedFrame>& snapshots() const noexcept { return snapshots_; }

 private:
  std::vector<CapturedFrame> frames_;
  std::vector<CapturedFrame> snapshots_;
};

}  // namespace hft::execution_engine::exchange_sim
