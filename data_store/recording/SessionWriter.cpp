#include "data_store/recording/SessionWriter.h"

#include <fcntl.h>
#include <lz4frame.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace hft::data_store::recording {
namespace {

constexpr size_t kMinFrameBytes = 4 * 1024;
constexpr size_t kMaxFrameBytes = 64 * 1024 * 1024;  // frame sizes are u32 in the index

LZ4F_preferences_t preferences(int level) {
  LZ4F_preferences_t p{};
  p.frameInfo.blockSizeID = LZ4F_max64KB;  // = kBlockBytes
  p.frameInfo.blockMode = LZ4F_blockIndependent;
  p.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  p.frameInfo.blockChecksumFlag = LZ4F_blockChecksumEnabled;
  p.compressionLevel = level;
  p.autoFlush = 1;  // we hand over whole blocks: compress them straight from the stage, no copy
  return p;
}

std::string errnoText(const char* call) { return std::string(call) + ": " + std::generic_category().message(errno); }

template <size_t N>
void copyField(char (&dst)[N], const std::string& s, const std::string& what, const std::string& path) {
  if (s.size() >= N)
    throw std::runtime_error("SessionWriter: " + path + ": " + what + " '" + s + "' is longer than " +
                             std::to_string(N - 1) + " bytes");
  std::memset(dst, 0, N);
  std::memcpy(dst, s.data(), s.size());
}

/// FileHeader + instrument table: the first frame of the file.
std::vector<unsigned char> encodeHeader(const SessionInfo& info, const std::string& path) {
  FileHeader h{};
  std::memcpy(h.magic, kFileMagic, sizeof h.magic);
  h.format_version = kFormatVersion;
  h.schema_version = common::kSchemaVersion;
  h.header_bytes = static_cast<uint32_t>(sizeof(FileHeader) + info.instruments.size() * sizeof(InstrumentEntry));
  h.start_ns = info.start_ns;
  h.instrument_count = static_cast<uint32_t>(info.instruments.size());
  copyField(h.session, info.session, "session name", path);
  copyField(h.venue, info.venue, "venue", path);
  if (info.instruments.size() > (kMaxFrameBytes - sizeof(FileHeader)) / sizeof(InstrumentEntry))
    throw std::runtime_error("SessionWriter: " + path + ": too many instruments");

  std::vector<unsigned char> bytes(h.header_bytes);
  std::memcpy(bytes.data(), &h, sizeof h);
  unsigned char* row = bytes.data() + sizeof h;
  for (const InstrumentInfo& i : info.instruments) {
    InstrumentEntry e{};
    e.id = i.id;
    e.exchange = i.exchange;
    e.price_scale = i.price_scale;
    e.qty_scale = i.qty_scale;
    copyField(e.venue_symbol, i.venue_symbol, "venue symbol", path);
    copyField(e.name, i.name, "instrument name", path);
    std::memcpy(row, &e, sizeof e);
    row += sizeof e;
  }
  return bytes;
}

}  // namespace

SessionWriter::SessionWriter(const std::string& path, const SessionInfo& info, const WriterOptions& opts)
    : path_(path), opts_(opts) {
  auto setupError = [&](const std::string& why) { return std::runtime_error("SessionWriter: " + path + ": " + why); };
  if (opts.max_frame_bytes < kMinFrameBytes || opts.max_frame_bytes > kMaxFrameBytes)
    throw setupError("max_frame_bytes " + std::to_string(opts.max_frame_bytes) + " is outside [4 KiB, 64 MiB]");
  if (opts.flush_interval_ns <= 0) throw setupError("flush_interval_ns must be positive");

  const std::vector<unsigned char> header = encodeHeader(info, path);
  const LZ4F_preferences_t prefs = preferences(opts.compression_level);
  std::vector<unsigned char> headerFrame(LZ4F_compressFrameBound(header.size(), &prefs));
  const size_t headerFrameBytes =
      LZ4F_compressFrame(headerFrame.data(), headerFrame.size(), header.data(), header.size(), &prefs);
  if (LZ4F_isError(headerFrameBytes)) throw setupError(LZ4F_getErrorName(headerFrameBytes));

  stage_ = std::make_unique_for_overwrite<unsigned char[]>(kBlockBytes);
  outCapacity_ = sizeof(FrameDescriptor) + LZ4F_compressFrameBound(opts.max_frame_bytes, &prefs);
  out_ = std::make_unique_for_overwrite<unsigned char[]>(outCapacity_);
  if (LZ4F_isError(LZ4F_createCompressionContext(&cctx_, LZ4F_VERSION))) throw setupError("no LZ4F context");

  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (opts.overwrite ? O_TRUNC : O_EXCL), 0644);
  if (fd_ < 0) {
    const bool exists = errno == EEXIST;
    const std::string why = errnoText("cannot create");
    LZ4F_freeCompressionContext(cctx_);
    throw setupError(why + (exists ? " (WriterOptions::overwrite replaces it)" : ""));
  }
  try {
    writeAll(headerFrame.data(), headerFrameBytes);  // a crash from now on leaves a readable file
  } catch (...) {
    ::close(fd_);
    ::unlink(path.c_str());
    LZ4F_freeCompressionContext(cctx_);
    throw;
  }
  streamBytes_ = header.size();
}

SessionWriter::~SessionWriter() {
  try {
    close();
  } catch (...) {
    // A destructor must not throw. The file then has no trailer; a reader rebuilds the index.
  }
  if (fd_ >= 0) ::close(fd_);
  LZ4F_freeCompressionContext(cctx_);
}

bool SessionWriter::makeRoom(size_t size) {
  if (frameIn_ + size > opts_.max_frame_bytes) endFrame();
  if (frameIn_ == 0) {
    if (!beginFrame()) return false;
  } else {
    compressStage();  // the block is full up to this event: blocks end on event boundaries
  }
  room_ = std::min(opts_.max_frame_bytes - frameIn_, kBlockBytes - stageUsed_);
  return true;
}

void SessionWriter::tick(int64_t monoNowNs) {
  lastTickNs_ = monoNowNs;
  if (frameIn_ == 0) return;
  if (frameStartNs_ == kNoTime) {
    frameStartNs_ = monoNowNs;  // events came before any tick: count from the first one
    return;
  }
  if (monoNowNs - frameStartNs_ >= opts_.flush_interval_ns) endFrame();
}

void SessionWriter::flush() { endFrame(); }

void SessionWriter::close() {
  if (fd_ < 0) return;
  try {
    if (!failed_) {
      endFrame();
      writeIndex();
      if (opts_.fsync_on_close && ::fsync(fd_) != 0) fail(errnoText("fsync"));
    }
  } catch (...) {
    ::close(fd_);
    fd_ = -1;
    throw;
  }
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0 && !failed_) fail(errnoText("close"));
}

void SessionWriter::writeIndex() {
  const size_t rows = index_.size() * sizeof(FrameIndexEntry);
  if (rows > UINT32_MAX) return;  // too big for a skippable frame: readers rebuild it from the descriptors
  Trailer t{};
  t.skip = {kTrailerMagic, sizeof t - sizeof t.skip};
  std::memcpy(t.magic, kTrailerTag, sizeof t.magic);
  t.index_offset = fileBytes_;
  t.frames = index_.size();
  t.events = events_;
  t.stream_bytes = streamBytes_;
  t.first_ts = index_.empty() ? 0 : INT64_MAX;
  t.last_ts = index_.empty() ? 0 : INT64_MIN;
  for (const FrameIndexEntry& f : index_) {
    t.first_ts = std::min(t.first_ts, f.first_ts);
    t.last_ts = std::max(t.last_ts, f.last_ts);
  }
  t.checksum = fnv1a64(t.magic, offsetof(Trailer, checksum) - offsetof(Trailer, magic), fnv1a64(index_.data(), rows));
  const SkippableHeader indexHeader{kIndexMagic, static_cast<uint32_t>(rows)};
  std::vector<unsigned char> tail(sizeof indexHeader + rows + sizeof t);
  std::memcpy(tail.data(), &indexHeader, sizeof indexHeader);
  if (rows > 0) std::memcpy(tail.data() + sizeof indexHeader, index_.data(), rows);
  std::memcpy(tail.data() + sizeof indexHeader + rows, &t, sizeof t);
  writeAll(tail.data(), tail.size());  // index and trailer in one write(2)
}

bool SessionWriter::beginFrame() {
  if (fd_ < 0 || failed_) return false;
  const LZ4F_preferences_t prefs = preferences(opts_.compression_level);
  const size_t n = LZ4F_compressBegin(cctx_, out_.get() + sizeof(FrameDescriptor),
                                      outCapacity_ - sizeof(FrameDescriptor), &prefs);
  if (LZ4F_isError(n)) fail(std::string("LZ4F_compressBegin: ") + LZ4F_getErrorName(n));
  outUsed_ = sizeof(FrameDescriptor) + n;
  frame_ = FrameIndexEntry{};
  frame_.file_offset = fileBytes_ + sizeof(FrameDescriptor);
  frame_.first_ts = INT64_MAX;
  frame_.last_ts = INT64_MIN;
  frame_.first_event = events_;
  frame_.stream_offset = streamBytes_;
  frameStartNs_ = lastTickNs_;  // a lower bound of the first event's time: flushes are never late
  return true;
}

void SessionWriter::compressStage() {
  const size_t n = LZ4F_compressUpdate(cctx_, out_.get() + outUsed_, outCapacity_ - outUsed_, stage_.get(),
                                       stageUsed_, nullptr);
  if (LZ4F_isError(n)) fail(std::string("LZ4F_compressUpdate: ") + LZ4F_getErrorName(n));
  outUsed_ += n;
  stageUsed_ = 0;
}

void SessionWriter::endFrame() {
  if (frameIn_ == 0) return;
  if (stageUsed_ > 0) compressStage();
  const size_t n = LZ4F_compressEnd(cctx_, out_.get() + outUsed_, outCapacity_ - outUsed_, nullptr);
  if (LZ4F_isError(n)) fail(std::string("LZ4F_compressEnd: ") + LZ4F_getErrorName(n));
  outUsed_ += n;
  frame_.frame_bytes = static_cast<uint32_t>(outUsed_ - sizeof(FrameDescriptor));
  frame_.stream_bytes = static_cast<uint32_t>(frameIn_);
  FrameDescriptor d{{kDescriptorMagic, sizeof d - sizeof d.skip}, frame_, 0};
  d.checksum = fnv1a64(&d.entry, sizeof d.entry);
  std::memcpy(out_.get(), &d, sizeof d);
  writeAll(out_.get(), outUsed_);  // descriptor + frame in one write(2)
  index_.push_back(frame_);
  streamBytes_ += frameIn_;
  frameIn_ = room_ = outUsed_ = 0;
}

void SessionWriter::writeAll(const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail(errnoText("write"));
    }
    p += w;
    n -= static_cast<size_t>(w);
    fileBytes_ += static_cast<size_t>(w);
  }
}

void SessionWriter::fail(const std::string& what) {
  failed_ = true;  // the file may now end in a partial frame: write nothing more after it
  frameIn_ = room_ = stageUsed_ = outUsed_ = 0;
  throw std::runtime_error("SessionWriter: " + path_ + ": " + what);
}

}  // namespace hft::data_store::recording
