#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/Events.h"
#include "data_store/recording/SessionFormat.h"
#include "data_store/recording/SessionInfo.h"

struct LZ4F_cctx_s;

namespace hft::data_store::recording {

struct WriterOptions {
  int compression_level = 1;  ///< LZ4F level: <= 2 fast (negative = faster, less compression), >= 3 HC
  int64_t flush_interval_ns = 100'000'000;  ///< tick() ends a frame this long after it started
  size_t max_frame_bytes = 1 << 20;  ///< uncompressed bytes per frame, [4 KiB, 64 MiB]
  bool fsync_on_close = true;
  bool overwrite = false;  ///< replace an existing file instead of refusing it
};

/// Writes one recorded session (`.bin.lz4`, layout in README.md). Single-threaded: one thread
/// owns the writer. It never reads a clock: tick() takes the caller's monotonic time.
///
/// Events are memcpy'd into a 64 KiB staging block; a block that cannot take the next event
/// whole is compressed at once (LZ4F_compressUpdate) into the current frame's output buffer,
/// so blocks, like frames, hold whole events. A frame ends (and goes to the file in one
/// write(2), preceded by its descriptor) when the next event would take it past
/// max_frame_bytes, when tick() sees it older than flush_interval_ns, or on flush()/close().
/// Memory: one frame of compressed output plus one block of input.
///
/// Errors: setup (constructor) throws std::runtime_error naming the path. append() never
/// throws for a bad event (it counts it in eventsRejected()), but a frame it completes may
/// fail to reach the disk: append/tick/flush/close then throw std::runtime_error naming the
/// path and errno, and the writer refuses everything after (appends count as rejected).
class SessionWriter {
 public:
  SessionWriter(const std::string& path, const SessionInfo& info, const WriterOptions& opts = {});
  ~SessionWriter();  ///< close() if still open; swallows errors
  SessionWriter(const SessionWriter&) = delete;
  SessionWriter& operator=(const SessionWriter&) = delete;

  /// Copies event.size bytes. An event whose type/size fails common::isValidEventSize is
  /// not written (eventsRejected() counts it), so a file never holds one a reader refuses.
  void append(const common::EventHeader& event) { append(&event, event.size); }
  /// Same contract for raw bytes: `size` must equal the header's size field.
  void append(const void* bytes, size_t size) {
    common::EventHeader h;
    if (size < sizeof h) [[unlikely]] {
      ++rejected_;
      return;
    }
    std::memcpy(&h, bytes, sizeof h);  // `bytes` may be unaligned
    if (h.size != size || !common::isValidEventSize(h.type, h.size)) [[unlikely]] {
      ++rejected_;
      return;
    }
    if (size > room_ && !makeRoom(size)) [[unlikely]] {
      ++rejected_;  // closed or failed
      return;
    }
    std::memcpy(stage_.get() + stageUsed_, bytes, size);
    stageUsed_ += size;
    frameIn_ += size;
    room_ -= size;
    ++frame_.events;
    frame_.first_ts = std::min(frame_.first_ts, h.exchange_ts_ns);
    frame_.last_ts = std::max(frame_.last_ts, h.exchange_ts_ns);
    bytesIn_ += size;
    ++events_;
  }
  /// Ends the current frame if it is non-empty and flush_interval_ns have passed since its
  /// first event (as seen by the ticks). Call it from the writer's loop, idle or not.
  void tick(int64_t monoNowNs);
  /// Ends the current frame now: everything appended so far is in the file (write(2),
  /// survives the process, not a power loss).
  void flush();
  /// Ends the frame, appends index and trailer, fsyncs (per options) and closes. Idempotent.
  void close();

  uint64_t eventsWritten() const noexcept { return events_; }
  uint64_t eventsRejected() const noexcept { return rejected_; }
  uint64_t bytesIn() const noexcept { return bytesIn_; }    ///< event bytes accepted
  uint64_t bytesOut() const noexcept { return fileBytes_; }  ///< bytes written to the file
  const std::string& path() const noexcept { return path_; }

 private:
  bool makeRoom(size_t size);
  bool beginFrame();
  void compressStage();
  void endFrame();
  void writeIndex();
  void writeAll(const void* data, size_t n);
  [[noreturn]] void fail(const std::string& what);

  std::string path_;
  WriterOptions opts_;
  int fd_ = -1;
  bool failed_ = false;
  LZ4F_cctx_s* cctx_ = nullptr;
  std::unique_ptr<unsigned char[]> stage_;  ///< kBlockBytes of input not yet compressed
  size_t stageUsed_ = 0;
  std::unique_ptr<unsigned char[]> out_;    ///< descriptor + compressed frame so far
  size_t outCapacity_ = 0;
  size_t outUsed_ = 0;
  size_t frameIn_ = 0;                      ///< uncompressed bytes in the current frame
  size_t room_ = 0;                         ///< bytes that fit the open block and frame; 0 = no open frame
  FrameIndexEntry frame_{};                 ///< the current frame, filled as events arrive
  static constexpr int64_t kNoTime = INT64_MIN;
  int64_t lastTickNs_ = kNoTime;
  int64_t frameStartNs_ = kNoTime;          ///< last tick before the frame's first event
  std::vector<FrameIndexEntry> index_;
  uint64_t fileBytes_ = 0;
  uint64_t streamBytes_ = 0;                ///< decompressed bytes so far, header included
  uint64_t events_ = 0;
  uint64_t rejected_ = 0;
  uint64_t bytesIn_ = 0;
};

}  // namespace hft::data_store::recording
