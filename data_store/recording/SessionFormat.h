#pragma once
// Byte layouts of a recorded session (`.bin.lz4`). The file as a whole is drawn in README.md;
// this header describes each piece once. All integers are little-endian and written raw.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "common/Events.h"

namespace hft::data_store::recording {

static_assert(std::endian::native == std::endian::little, "layouts are written raw, LZ4 is little-endian");

/// First 8 bytes of the decompressed stream. Never changes; the version is a separate field.
inline constexpr char kFileMagic[8] = {'H', 'F', 'T', 'R', 'E', 'C', '0', '1'};
/// Bump on any change of the layouts below; a reader refuses another version.
inline constexpr uint16_t kFormatVersion = 1;

/// LZ4 frame magics (lz4 frame format spec). Skippable frames (0x184D2A50..5F) are ignored
/// by `lz4 -d`; the nibble tells ours apart.
inline constexpr uint32_t kLz4FrameMagic = 0x184D2204;
inline constexpr uint32_t kSkippableMagicMin = 0x184D2A50;
inline constexpr uint32_t kSkippableMagicMax = 0x184D2A5F;
inline constexpr uint32_t kDescriptorMagic = 0x184D2A51;  ///< precedes every event frame
inline constexpr uint32_t kIndexMagic = 0x184D2A52;       ///< the time index, written by close()
inline constexpr uint32_t kTrailerMagic = 0x184D2A53;     ///< last 72 bytes of a closed file

/// The writer's LZ4 block size (LZ4F_max64KB): a reader's unit of work and of damage.
inline constexpr size_t kBlockBytes = 64 * 1024;

/// Events are handed out by pointer into the reader's 8-aligned block buffer: every event
/// size must keep the next event 8-aligned.
static_assert(sizeof(common::Trade) % 8 == 0 && sizeof(common::BestBidOffer) % 8 == 0 &&
              common::BookDelta::kFixedBytes % 8 == 0 && sizeof(common::PriceLevelUpdate) % 8 == 0 &&
              sizeof(common::BookSnapshot) % 8 == 0 && sizeof(common::OrderRequest) % 8 == 0 &&
              sizeof(common::ExecutionReport) % 8 == 0 && sizeof(common::BalanceUpdate) % 8 == 0 &&
              sizeof(common::PositionUpdate) % 8 == 0 && sizeof(common::Heartbeat) % 8 == 0 &&
              sizeof(common::Control) % 8 == 0 && sizeof(common::Gap) % 8 == 0);

/// Start of the decompressed stream (128 bytes), followed by instrument_count InstrumentEntry
/// rows; together they fill the first LZ4 frame, events follow in the next frames.
///   0 magic[8] | 8 format_version(u16) | 10 schema_version(u16) | 12 header_bytes(u32)
///   | 16 start_ns | 24 instrument_count(u32) | 28 reserved(u32) | 32 session[64] | 96 venue[32]
struct FileHeader {
  char magic[8];
  uint16_t format_version;
  uint16_t schema_version;    ///< common::kSchemaVersion of the events
  uint32_t header_bytes;      ///< sizeof(FileHeader) + instrument_count * sizeof(InstrumentEntry)
  common::TimestampNs start_ns;
  uint32_t instrument_count;
  uint32_t reserved;
  char session[64];           ///< NUL-padded
  char venue[32];             ///< NUL-padded
};
static_assert(std::is_trivially_copyable_v<FileHeader> && std::is_standard_layout_v<FileHeader>);
static_assert(sizeof(FileHeader) == 128 && alignof(FileHeader) == 8);
static_assert(offsetof(FileHeader, header_bytes) == 12 && offsetof(FileHeader, session) == 32);

/// One instrument (96 bytes).
///   0 id(u32) | 4 exchange(u16) | 6 price_scale(i8) | 7 qty_scale(i8) | 8 venue_symbol[32] | 40 name[56]
struct InstrumentEntry {
  common::InstrumentId id;
  common::ExchangeId exchange;
  int8_t price_scale;
  int8_t qty_scale;
  char venue_symbol[32];  ///< NUL-padded
  char name[56];          ///< NUL-padded
};
static_assert(std::is_trivially_copyable_v<InstrumentEntry> && std::is_standard_layout_v<InstrumentEntry>);
static_assert(sizeof(InstrumentEntry) == 96 && offsetof(InstrumentEntry, venue_symbol) == 8);
static_assert(offsetof(InstrumentEntry, name) == 40);

/// Where one event frame is and what it holds (56 bytes). The first five fields are the
/// public view (SessionReader::index()); the rest let a reader position itself exactly.
///   0 file_offset | 8 first_ts | 16 last_ts | 24 first_event | 32 events(u32)
///   | 36 frame_bytes(u32) | 40 stream_offset | 48 stream_bytes(u32) | 52 reserved(u32)
struct FrameIndexEntry {
  uint64_t file_offset;          ///< byte offset of the LZ4 frame in the file
  common::TimestampNs first_ts;  ///< smallest exchange_ts_ns in the frame (its first, when in time order)
  common::TimestampNs last_ts;   ///< largest exchange_ts_ns in the frame: seekTime relies on it
  uint64_t first_event;          ///< 0-based ordinal of the frame's first event in the file
  uint32_t events;
  uint32_t frame_bytes;          ///< compressed size of the LZ4 frame
  uint64_t stream_offset;        ///< decompressed offset of the frame's first event
  uint32_t stream_bytes;         ///< decompressed size of the frame (<= max_frame_bytes)
  uint32_t reserved;

  bool operator==(const FrameIndexEntry&) const = default;
};
static_assert(std::is_trivially_copyable_v<FrameIndexEntry> && std::is_standard_layout_v<FrameIndexEntry>);
static_assert(sizeof(FrameIndexEntry) == 56 && alignof(FrameIndexEntry) == 8);
static_assert(offsetof(FrameIndexEntry, events) == 32 && offsetof(FrameIndexEntry, stream_offset) == 40);

/// Header of an LZ4 skippable frame: magic, then the payload size that follows.
struct SkippableHeader {
  uint32_t magic;
  uint32_t size;
};
static_assert(sizeof(SkippableHeader) == 8);

/// Skippable frame written just before each event frame, in the same write(2) (72 bytes).
/// A reader that finds no trailer rebuilds the index from these alone, hopping from one to
/// the next by frame_bytes without touching compressed data.
///   0 skippable{kDescriptorMagic, 64} | 8 entry(56) | 64 checksum (FNV-1a 64 of entry)
struct FrameDescriptor {
  SkippableHeader skip;
  FrameIndexEntry entry;
  uint64_t checksum;
};
static_assert(std::is_trivially_copyable_v<FrameDescriptor> && sizeof(FrameDescriptor) == 72);
static_assert(offsetof(FrameDescriptor, entry) == 8 && offsetof(FrameDescriptor, checksum) == 64);

/// Last 72 bytes of a closed file; points at the index skippable frame
/// (skippable{kIndexMagic, frames * 56} followed by the FrameIndexEntry rows).
///   0 skippable{kTrailerMagic, 64} | 8 magic[8] | 16 index_offset | 24 frames | 32 events
///   | 40 stream_bytes | 48 first_ts | 56 last_ts | 64 checksum
struct Trailer {
  SkippableHeader skip;
  char magic[8];                 ///< kTrailerTag
  uint64_t index_offset;         ///< file offset of the index frame = end of event data
  uint64_t frames;
  uint64_t events;
  uint64_t stream_bytes;         ///< decompressed size of the whole stream, header included
  common::TimestampNs first_ts;  ///< smallest exchange_ts_ns of the session (0 if no events)
  common::TimestampNs last_ts;   ///< largest
  uint64_t checksum;             ///< FNV-1a 64 of the index rows, continued over bytes [8, 64) of this
};
static_assert(std::is_trivially_copyable_v<Trailer> && sizeof(Trailer) == 72);
static_assert(offsetof(Trailer, index_offset) == 16 && offsetof(Trailer, checksum) == 64);
inline constexpr char kTrailerTag[8] = {'H', 'F', 'T', 'I', 'D', 'X', '0', '1'};

/// FNV-1a 64: a cheap check that the few metadata bytes are the ones written (the event data
/// itself is covered by LZ4's xxHash32 block and content checksums).
inline constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;
inline uint64_t fnv1a64(const void* data, size_t n, uint64_t h = kFnvOffset) noexcept {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

}  // namespace hft::data_store::recording
