#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/Events.h"
#include "data_store/recording/SessionFormat.h"
#include "data_store/recording/SessionInfo.h"

struct LZ4F_dctx_s;

namespace hft::data_store::recording {

enum class ReadResult : uint8_t {
  Event = 0,  ///< `event` points at the next event
  End = 1,    ///< no more events: the data ended on a frame boundary (indexRebuilt(): not closed)
  Error = 2,  ///< damage: error() says where and why; every intact event before it was delivered
};

/// Reads one recorded session (`.bin.lz4`, layout in README.md). Single-threaded.
///
/// The file is memory-mapped; each LZ4 block is checked (xxHash32) and decompressed whole
/// into an 8-aligned buffer, and events are handed out by pointer into it: no per-event
/// allocation or copy. Reading stops at the first damage (checksum, truncation, an invalid
/// event) after delivering every event of the intact blocks before it. The file must not be
/// truncated while a reader has it mapped (appending, as a live writer does, is fine: the
/// reader sees the file as it was when opened).
///
/// Setup throws std::runtime_error naming the path: missing, empty, not LZ4, not a session
/// file, another format or schema version (naming both), damaged header frame.
class SessionReader {
 public:
  using FrameIndexEntry = recording::FrameIndexEntry;

  explicit SessionReader(const std::string& path);
  ~SessionReader();
  SessionReader(const SessionReader&) = delete;
  SessionReader& operator=(const SessionReader&) = delete;

  const SessionInfo& info() const noexcept { return info_; }

  /// The next event without consuming it; pointer valid until the next call that reads.
  ReadResult peek(const common::EventHeader*& event) {
    for (;;) {
      const size_t avail = end_ - cur_;
      if (avail >= sizeof(common::EventHeader)) {
        const auto* h = reinterpret_cast<const common::EventHeader*>(bytes() + cur_);
        if (!common::isValidEventSize(h->type, h->size)) [[unlikely]]
          return invalidEvent(*h);
        if (h->size <= avail) {
          event = h;
          return ReadResult::Event;
        }
      }
      if (const ReadResult r = refill(); r != ReadResult::Event) return r;
    }
  }
  /// The next event; pointer valid until the next call that reads. After End or Error every
  /// further call returns the same (seekTime() repositions).
  ReadResult next(const common::EventHeader*& event) {
    const ReadResult r = peek(event);
    if (r == ReadResult::Event) {
      cur_ += event->size;
      ++ordinal_;
      ++eventsRead_;
    }
    return r;
  }
  /// Same, copying the event (event.size bytes) into `copy`.
  ReadResult next(common::EventBuffer& copy) {
    const common::EventHeader* e = nullptr;
    const ReadResult r = next(e);
    if (r == ReadResult::Event) std::memcpy(copy.bytes, e, e->size);
    return r;
  }

  /// Set when next() returns Error: the file, the compressed byte offset of the frame (and
  /// block), the decompressed offset and ordinal of the first event not delivered, and why.
  const std::string& error() const noexcept { return error_; }

  /// Positions at the first event (in file order) whose exchange_ts_ns >= t: jumps to the
  /// first frame whose last_ts >= t (frames decode alone), then skips events before t.
  /// Returns true if such an event follows (next() returns it), false if none (next() returns
  /// End) or damage came first (next() returns Error). Clears a previous End/Error.
  bool seekTime(common::TimestampNs t);

  /// True when the trailer was missing or damaged (writer killed, file truncated) and the
  /// index was rebuilt from the frame descriptors; it then covers the complete frames.
  bool indexRebuilt() const noexcept { return indexRebuilt_; }
  const std::vector<FrameIndexEntry>& index() const noexcept { return index_; }

  uint64_t eventsRead() const noexcept { return eventsRead_; }  ///< events returned by next()
  uint64_t compressedBytes() const noexcept { return pos_; }    ///< file bytes consumed so far
  uint64_t decompressedBytes() const noexcept { return streamBase_ + end_; }  ///< stream bytes decoded so far
  const std::string& path() const noexcept { return path_; }

 private:
  enum class Step : uint8_t { Data, FrameEnd, Failed };

  const unsigned char* bytes() const noexcept { return reinterpret_cast<const unsigned char*>(buf_.get()); }
  unsigned char* bytes() noexcept { return reinterpret_cast<unsigned char*>(buf_.get()); }
  void release() noexcept;
  void readHeader();
  bool loadIndex();
  void rebuildIndex();
  void positionAt(uint64_t pos, uint64_t stream, uint64_t ordinal);
  void compact();
  ReadResult refill();
  ReadResult enterFrame();
  Step decodeBlock();
  ReadResult invalidEvent(const common::EventHeader& h);
  ReadResult overrun(const char* what, uint64_t at);
  ReadResult fail(const std::string& why);
  uint32_t le32(uint64_t at) const noexcept {
    uint32_t v;
    std::memcpy(&v, base_ + at, sizeof v);
    return v;
  }

  std::string path_;
  const unsigned char* base_ = nullptr;  ///< the mapped file
  uint64_t fileSize_ = 0;
  uint64_t dataStart_ = 0;  ///< end of the header frame
  uint64_t dataEnd_ = 0;    ///< end of event data: the index frame, or the file end without trailer
  uint32_t headerBytes_ = 0;
  LZ4F_dctx_s* dctx_ = nullptr;

  uint64_t pos_ = 0;         ///< next compressed byte
  bool inFrame_ = false;
  bool blockChecksum_ = false;
  bool contentChecksum_ = false;
  uint64_t frameStart_ = 0;  ///< the frame (or skippable frame) being read, for messages
  size_t maxBlock_ = 0;

  std::unique_ptr<uint64_t[]> buf_;  ///< a partial event + one decoded block; 8-aligned
  size_t bufBytes_ = 0;
  size_t cur_ = 0;                   ///< next event in buf_
  size_t end_ = 0;                   ///< end of decoded bytes in buf_
  uint64_t streamBase_ = 0;          ///< decompressed offset of buf_[0]
  uint64_t ordinal_ = 0;             ///< ordinal of the event at cur_
  uint64_t eventsRead_ = 0;
  ReadResult state_ = ReadResult::Event;  ///< End/Error are sticky until seekTime()
  std::string error_;

  SessionInfo info_;
  std::vector<FrameIndexEntry> index_;
  bool indexRebuilt_ = false;
};

}  // namespace hft::data_store::recording
