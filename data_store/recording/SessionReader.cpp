#include "data_store/recording/SessionReader.h"

#include <fcntl.h>
#include <lz4frame.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <system_error>

namespace hft::data_store::recording {
namespace {

size_t blockBytesOf(LZ4F_blockSizeID_t id) {
  switch (id) {
    case LZ4F_max256KB: return 256 * 1024;
    case LZ4F_max1MB: return 1024 * 1024;
    case LZ4F_max4MB: return 4 * 1024 * 1024;
    default: return 64 * 1024;  // LZ4F_max64KB and LZ4F_default
  }
}

std::string lz4Error(size_t code) {
  const std::string name = LZ4F_getErrorName(code);
  if (name == "ERROR_blockChecksum_invalid") return "block checksum mismatch";
  if (name == "ERROR_contentChecksum_invalid") return "content checksum mismatch";
  if (name == "ERROR_headerChecksum_invalid") return "frame header checksum mismatch";
  if (name == "ERROR_decompressionFailed") return "corrupt block (LZ4 decoding failed)";
  return "LZ4 " + name;
}

std::string hex32(uint32_t v) {
  char s[16];
  std::snprintf(s, sizeof s, "0x%08X", v);
  return s;
}

template <size_t N>
std::string fixedString(const char (&s)[N]) { return std::string(s, strnlen(s, N)); }

/// The bytes as text if printable, else as hex: for "this is not our magic" messages.
std::string shown(const unsigned char* p, size_t n) {
  std::string text, hex;
  bool printable = true;
  for (size_t i = 0; i < n; ++i) {
    printable = printable && p[i] >= 0x20 && p[i] < 0x7F;
    text += static_cast<char>(p[i]);
    char h[4];
    std::snprintf(h, sizeof h, "%02X", p[i]);
    hex += h;
  }
  return printable ? '"' + text + '"' : "0x" + hex;
}

/// A frame entry is believable if it continues the chain (ordinal, stream offset) and its
/// frame lies in [from, to).
bool continues(const FrameIndexEntry& e, uint64_t ordinal, uint64_t stream, uint64_t from, uint64_t to) {
  constexpr uint32_t kSmallestLz4Frame = 11;  // 7-byte header + 4-byte end mark
  return e.first_event == ordinal && e.stream_offset == stream && e.file_offset >= from && e.file_offset <= to &&
         e.frame_bytes >= kSmallestLz4Frame && e.frame_bytes <= to - e.file_offset;
}

}  // namespace

SessionReader::SessionReader(const std::string& path) : path_(path) {
  try {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(path + ": cannot open: " + std::generic_category().message(errno));
    struct stat st{};
    const bool statOk = ::fstat(fd, &st) == 0;
    if (!statOk || st.st_size == 0) {
      const std::string why =
          statOk ? " is empty (not a session file)" : ": fstat: " + std::generic_category().message(errno);
      ::close(fd);
      throw std::runtime_error(path + why);
    }
    fileSize_ = static_cast<uint64_t>(st.st_size);
    void* map = ::mmap(nullptr, fileSize_, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);  // the mapping keeps the file
    if (map == MAP_FAILED) throw std::runtime_error(path + ": mmap: " + std::generic_category().message(errno));
    base_ = static_cast<const unsigned char*>(map);
    ::madvise(map, fileSize_, MADV_SEQUENTIAL);

    if (fileSize_ < 4 || le32(0) != kLz4FrameMagic)
      throw std::runtime_error(path + " is not an LZ4 frame file (magic at byte 0 is " +
                               (fileSize_ < 4 ? "missing: the file has " + std::to_string(fileSize_) + " bytes"
                                              : hex32(le32(0))) +
                               ", expected " + hex32(kLz4FrameMagic) + ")");
    if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx_, LZ4F_VERSION)))
      throw std::runtime_error(path + ": no LZ4F context");
    dataEnd_ = fileSize_;
    readHeader();
    if (!loadIndex()) rebuildIndex();
    positionAt(dataStart_, headerBytes_, 0);
  } catch (...) {
    release();  // no destructor runs for a throwing constructor
    throw;
  }
}

SessionReader::~SessionReader() { release(); }

void SessionReader::release() noexcept {
  if (base_ != nullptr) ::munmap(const_cast<unsigned char*>(base_), fileSize_);
  base_ = nullptr;
  LZ4F_freeDecompressionContext(dctx_);
  dctx_ = nullptr;
}

void SessionReader::readHeader() {
  // Frame 0 holds exactly FileHeader + instrument table; read it through the block decoder so
  // a foreign LZ4 file costs one block, not its whole first frame.
  std::vector<unsigned char> header;
  auto gather = [&](size_t n) {
    while (header.size() < n) {
      if (cur_ == end_) {
        compact();
        const Step s = inFrame_ ? decodeBlock() : Step::FrameEnd;
        if (s == Step::Failed) throw std::runtime_error(error_);
        if (s == Step::FrameEnd) return false;
      }
      const size_t take = std::min(n - header.size(), end_ - cur_);
      header.insert(header.end(), bytes() + cur_, bytes() + cur_ + take);
      cur_ += take;
    }
    return true;
  };
  if (enterFrame() != ReadResult::Event) throw std::runtime_error(error_);
  const bool whole = gather(sizeof(FileHeader));
  if (header.size() < sizeof kFileMagic || std::memcmp(header.data(), kFileMagic, sizeof kFileMagic) != 0)
    throw std::runtime_error(path_ + " is not a session file (decompressed header magic is " +
                             shown(header.data(), std::min(header.size(), sizeof kFileMagic)) + ", expected " +
                             shown(reinterpret_cast<const unsigned char*>(kFileMagic), sizeof kFileMagic) + ")");
  if (!whole) throw std::runtime_error(path_ + ": header frame ends inside the file header");
  FileHeader h;
  std::memcpy(&h, header.data(), sizeof h);
  if (h.format_version != kFormatVersion)
    throw std::runtime_error(path_ + ": recording format version " + std::to_string(h.format_version) +
                             ", this reader reads version " + std::to_string(kFormatVersion));
  if (h.schema_version != common::kSchemaVersion)
    throw std::runtime_error(path_ + ": event schema version " + std::to_string(h.schema_version) +
                             ", this build uses schema version " + std::to_string(common::kSchemaVersion));
  if (h.header_bytes != sizeof(FileHeader) + uint64_t{h.instrument_count} * sizeof(InstrumentEntry))
    throw std::runtime_error(path_ + ": corrupt file header (header_bytes " + std::to_string(h.header_bytes) +
                             " does not match " + std::to_string(h.instrument_count) + " instruments)");
  if (!gather(h.header_bytes)) throw std::runtime_error(path_ + ": header frame ends inside the instrument table");
  compact();
  if (end_ != 0 || decodeBlock() != Step::FrameEnd) {
    if (state_ == ReadResult::Error) throw std::runtime_error(error_);
    throw std::runtime_error(path_ + ": header frame holds more than the file header");
  }

  headerBytes_ = h.header_bytes;
  dataStart_ = pos_;
  info_.session = fixedString(h.session);
  info_.venue = fixedString(h.venue);
  info_.start_ns = h.start_ns;
  info_.instruments.reserve(h.instrument_count);
  for (uint32_t i = 0; i < h.instrument_count; ++i) {
    InstrumentEntry e;
    std::memcpy(&e, header.data() + sizeof h + i * sizeof e, sizeof e);
    info_.instruments.push_back({e.id, e.exchange, e.price_scale, e.qty_scale, fixedString(e.venue_symbol),
                                 fixedString(e.name)});
  }
}

bool SessionReader::loadIndex() {
  Trailer t;
  if (fileSize_ < dataStart_ + sizeof(SkippableHeader) + sizeof t) return false;
  std::memcpy(&t, base_ + fileSize_ - sizeof t, sizeof t);
  if (t.skip.magic != kTrailerMagic || t.skip.size != sizeof t - sizeof t.skip ||
      std::memcmp(t.magic, kTrailerTag, sizeof t.magic) != 0)
    return false;
  const uint64_t rowsEnd = fileSize_ - sizeof t;
  if (t.index_offset < dataStart_ || t.index_offset > rowsEnd - sizeof(SkippableHeader) ||
      t.frames != (rowsEnd - t.index_offset - sizeof(SkippableHeader)) / sizeof(FrameIndexEntry))
    return false;
  const uint64_t rows = t.frames * sizeof(FrameIndexEntry);
  SkippableHeader ih;
  std::memcpy(&ih, base_ + t.index_offset, sizeof ih);
  if (ih.magic != kIndexMagic || ih.size != rows || t.index_offset + sizeof ih + rows != rowsEnd) return false;
  const unsigned char* row = base_ + t.index_offset + sizeof ih;
  if (fnv1a64(t.magic, offsetof(Trailer, checksum) - offsetof(Trailer, magic), fnv1a64(row, rows)) != t.checksum)
    return false;

  std::vector<FrameIndexEntry> index(t.frames);
  if (rows > 0) std::memcpy(index.data(), row, rows);
  uint64_t ordinal = 0, stream = headerBytes_, from = dataStart_;
  for (const FrameIndexEntry& e : index) {
    if (!continues(e, ordinal, stream, from, t.index_offset)) return false;
    ordinal += e.events;
    stream += e.stream_bytes;
    from = e.file_offset + e.frame_bytes;
  }
  index_ = std::move(index);
  dataEnd_ = t.index_offset;
  return true;
}

void SessionReader::rebuildIndex() {
  // Hop from descriptor to descriptor; stop at the first that is missing, damaged or whose
  // frame is not all in the file (the frame a crash cut short).
  indexRebuilt_ = true;
  uint64_t at = dataStart_, ordinal = 0, stream = headerBytes_;
  FrameDescriptor d;
  while (fileSize_ - at >= sizeof d) {
    std::memcpy(&d, base_ + at, sizeof d);
    if (d.skip.magic != kDescriptorMagic || d.skip.size != sizeof d - sizeof d.skip ||
        d.checksum != fnv1a64(&d.entry, sizeof d.entry) || d.entry.file_offset != at + sizeof d ||
        !continues(d.entry, ordinal, stream, at, fileSize_) || le32(d.entry.file_offset) != kLz4FrameMagic)
      break;
    index_.push_back(d.entry);
    at = d.entry.file_offset + d.entry.frame_bytes;
    ordinal += d.entry.events;
    stream += d.entry.stream_bytes;
  }
}

bool SessionReader::seekTime(common::TimestampNs t) {
  const auto it = std::find_if(index_.begin(), index_.end(), [t](const FrameIndexEntry& e) { return e.last_ts >= t; });
  if (it != index_.end()) {
    positionAt(it->file_offset, it->stream_offset, it->first_event);
  } else if (!index_.empty()) {  // not in an indexed frame; maybe in an unindexed tail
    const FrameIndexEntry& e = index_.back();
    positionAt(e.file_offset + e.frame_bytes, e.stream_offset + e.stream_bytes, e.first_event + e.events);
  } else {
    positionAt(dataStart_, headerBytes_, 0);
  }
  const common::EventHeader* e = nullptr;
  while (peek(e) == ReadResult::Event) {
    if (e->exchange_ts_ns >= t) return true;
    cur_ += e->size;
    ++ordinal_;
  }
  return false;
}

void SessionReader::positionAt(uint64_t pos, uint64_t stream, uint64_t ordinal) {
  LZ4F_resetDecompressionContext(dctx_);
  pos_ = pos;
  inFrame_ = false;
  cur_ = end_ = 0;
  streamBase_ = stream;
  ordinal_ = ordinal;
  state_ = ReadResult::Event;
  error_.clear();
}

void SessionReader::compact() {
  // Keep the partial event (< kMaxEventSize bytes) at the front; the next block lands after it.
  const size_t left = end_ - cur_;
  if (cur_ > 0 && left > 0) std::memmove(bytes(), bytes() + cur_, left);
  streamBase_ += cur_;
  cur_ = 0;
  end_ = left;
}

ReadResult SessionReader::refill() {
  if (state_ != ReadResult::Event) return state_;
  compact();
  for (;;) {
    if (!inFrame_) {
      if (const ReadResult r = enterFrame(); r != ReadResult::Event) return r;
    }
    switch (decodeBlock()) {
      case Step::Data:
        if (end_ > cur_) return ReadResult::Event;
        break;
      case Step::Failed: return state_;
      case Step::FrameEnd:
        if (end_ != cur_)
          return fail("frame ends inside an event (" + std::to_string(end_ - cur_) + " bytes of it)");
        break;
    }
  }
}

ReadResult SessionReader::enterFrame() {
  bool announced = false;  // a descriptor was just skipped: its frame must follow
  for (;;) {
    if (pos_ == dataEnd_)
      return announced ? overrun("frame announced by the descriptor", frameStart_) : (state_ = ReadResult::End);
    frameStart_ = pos_;
    if (dataEnd_ - pos_ < 4) return overrun("frame magic", pos_);
    const uint32_t magic = le32(pos_);
    if (magic >= kSkippableMagicMin && magic <= kSkippableMagicMax) {  // descriptors, index, trailer
      if (dataEnd_ - pos_ < sizeof(SkippableHeader)) return overrun("skippable frame header", pos_);
      const uint32_t size = le32(pos_ + 4);
      if (magic == kDescriptorMagic && size != sizeof(FrameDescriptor) - sizeof(SkippableHeader))
        return fail("damaged frame descriptor at byte " + std::to_string(pos_) + " (size " + std::to_string(size) +
                    ")");
      if (dataEnd_ - pos_ - sizeof(SkippableHeader) < size) return overrun("skippable frame", pos_);
      pos_ += sizeof(SkippableHeader) + size;
      announced = magic == kDescriptorMagic;
      continue;
    }
    if (magic != kLz4FrameMagic)
      return fail("unexpected bytes at byte " + std::to_string(pos_) + " (magic " + hex32(magic) +
                  "): neither an LZ4 frame nor a skippable frame");
    const size_t avail = dataEnd_ - pos_;
    if (avail < LZ4F_MIN_SIZE_TO_KNOW_HEADER_LENGTH) return overrun("frame header", pos_);
    const size_t headerSize = LZ4F_headerSize(base_ + pos_, avail);
    if (LZ4F_isError(headerSize)) return fail("damaged frame header (" + lz4Error(headerSize) + ")");
    if (headerSize > avail) return overrun("frame header", pos_);
    LZ4F_resetDecompressionContext(dctx_);
    LZ4F_frameInfo_t fi{};
    size_t consumed = headerSize;
    if (const size_t r = LZ4F_getFrameInfo(dctx_, &fi, base_ + pos_, &consumed); LZ4F_isError(r))
      return fail("damaged frame header (" + lz4Error(r) + ")");
    pos_ += consumed;
    inFrame_ = true;
    blockChecksum_ = fi.blockChecksumFlag == LZ4F_blockChecksumEnabled;
    contentChecksum_ = fi.contentChecksumFlag == LZ4F_contentChecksumEnabled;
    maxBlock_ = blockBytesOf(fi.blockSizeID);
    if (const size_t need = maxBlock_ + common::kMaxEventSize; need > bufBytes_) {  // first frame, foreign files
      auto grown = std::make_unique_for_overwrite<uint64_t[]>((need + 7) / 8);
      if (end_ > 0) std::memcpy(grown.get(), bytes(), end_);
      buf_ = std::move(grown);
      bufBytes_ = need;
    }
    return ReadResult::Event;
  }
}

SessionReader::Step SessionReader::decodeBlock() {
  // Hand LZ4F exactly one block: it checks the block's xxHash32 and decodes it into our
  // buffer in one call, so a failed call means no byte of that block is delivered.
  const uint64_t at = pos_;
  if (dataEnd_ - at < 4) {
    overrun("block header", at);
    return Step::Failed;
  }
  const uint32_t word = le32(at);
  const size_t len = word & 0x7FFFFFFFu;  // high bit: stored uncompressed
  size_t n = 4 + (word == 0 ? (contentChecksum_ ? 4 : 0) : len + (blockChecksum_ ? 4 : 0));
  if (len > maxBlock_) {
    fail("invalid block size " + std::to_string(len) + " at byte " + std::to_string(at));
    return Step::Failed;
  }
  if (dataEnd_ - at < n) {
    overrun(word == 0 ? "frame end" : "block", at);
    return Step::Failed;
  }
  size_t produced = bufBytes_ - end_;
  if (const size_t r = LZ4F_decompress(dctx_, bytes() + end_, &produced, base_ + at, &n, nullptr); LZ4F_isError(r)) {
    fail(lz4Error(r) + (word == 0 ? " at the frame end, byte " : " in block at byte ") + std::to_string(at));
    return Step::Failed;
  }
  pos_ += n;
  end_ += produced;
  if (word != 0) return Step::Data;
  inFrame_ = false;
  return Step::FrameEnd;
}

ReadResult SessionReader::invalidEvent(const common::EventHeader& h) {
  if (state_ == ReadResult::Error) return state_;
  return fail("invalid event at decompressed offset " + std::to_string(streamBase_ + cur_) + ": type " +
              std::to_string(static_cast<unsigned>(h.type)) + ", size " + std::to_string(h.size));
}

ReadResult SessionReader::overrun(const char* what, uint64_t at) {
  if (dataEnd_ == fileSize_)
    return fail("truncated at byte " + std::to_string(fileSize_) + ": the " + what + " at byte " +
                std::to_string(at) + " is incomplete");
  return fail(std::string("the ") + what + " at byte " + std::to_string(at) +
              " runs past the end of event data at byte " + std::to_string(dataEnd_));
}

ReadResult SessionReader::fail(const std::string& why) {
  error_ = path_ + ": " + why + " (frame at byte " + std::to_string(frameStart_) + ", decompressed offset " +
           std::to_string(streamBase_ + cur_) + ", event #" + std::to_string(ordinal_) + ")";
  return state_ = ReadResult::Error;
}

}  // namespace hft::data_store::recording
