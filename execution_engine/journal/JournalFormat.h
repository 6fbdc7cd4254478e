#pragma once
// Byte layouts of the executor's journal (`<dir>/journal-<first sequence>.jnl`). The files as a
// whole are drawn in README.md; this header describes each piece once. Integers are
// little-endian and written raw.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "common/Events.h"

namespace hft::execution_engine::journal {

static_assert(std::endian::native == std::endian::little, "layouts are written raw");

/// First 8 bytes of every journal file. Never changes; the version is a separate field.
inline constexpr char kFileMagic[8] = {'H', 'F', 'T', 'J', 'R', 'N', 'L', '1'};
/// Bump on any change of the layouts below; a reader refuses another version.
inline constexpr uint16_t kFormatVersion = 1;
/// First 4 bytes of every record: "JREC".
inline constexpr uint32_t kRecordMagic = 0x4345524A;

/// What a record holds. Persisted: never renumber, only append.
enum class RecordType : uint8_t {
  RequestAccepted = 1,  ///< an OrderRequest that passed validation and risk (sent to a venue)
  RequestRejected = 2,  ///< an OrderRequest refused by the executor; aux = the RejectReason
  Report = 3,           ///< an ExecutionReport (from a venue gateway or made by the executor)
  Balance = 4,          ///< a BalanceUpdate
  Marker = 5,           ///< a JournalMarker: start, stop, snapshot taken, free note
};
const char* toString(RecordType t) noexcept;

/// What a marker marks. Persisted: never renumber, only append.
enum class MarkerKind : uint32_t {
  Started = 1,     ///< the executor started; value = its pid
  Stopped = 2,     ///< clean shutdown: nothing after this record was in flight
  Snapshot = 3,    ///< a snapshot covering every record up to `value` (a sequence) was written
  Reconciled = 4,  ///< state was reconciled with the venues; text names the venue
  Note = 5,        ///< free text (operator action, configuration change)
};

/// Payload of a Marker record (64 bytes).
///   0 ts_ns | 8 value | 16 kind(u32) | 20 reserved(u32) | 24 text[40]
struct JournalMarker {
  common::TimestampNs ts_ns;  ///< wall time of the marked event
  int64_t value;              ///< per kind (see MarkerKind)
  MarkerKind kind;
  uint32_t reserved;
  char text[40];              ///< NUL-padded
};
static_assert(std::is_trivially_copyable_v<JournalMarker> && std::is_standard_layout_v<JournalMarker>);
static_assert(sizeof(JournalMarker) == 64 && offsetof(JournalMarker, text) == 24);

/// Start of every journal file (32 bytes), written in one write(2) when the file is created.
///   0 magic[8] | 8 format_version(u16) | 10 schema_version(u16) | 12 header_bytes(u32)
///   | 16 first_sequence | 24 reserved(u32) | 28 crc32 of bytes [0, 28)
struct FileHeader {
  char magic[8];
  uint16_t format_version;
  uint16_t schema_version;   ///< common::kSchemaVersion of the payload events
  uint32_t header_bytes;     ///< sizeof(FileHeader)
  uint64_t first_sequence;   ///< sequence of the file's first record (also in the file name)
  uint32_t reserved;
  uint32_t crc32;
};
static_assert(std::is_trivially_copyable_v<FileHeader> && std::is_standard_layout_v<FileHeader>);
static_assert(sizeof(FileHeader) == 32 && offsetof(FileHeader, first_sequence) == 16);
static_assert(offsetof(FileHeader, crc32) == 28);

/// Before every payload (24 bytes); header and payload go to the file in one write(2).
///   0 magic(u32) | 4 length(u32) | 8 sequence | 16 type(u8) | 17 reserved(u8) | 18 aux(u16)
///   | 20 crc32 of bytes [0, 20) of this header followed by the payload
struct RecordHeader {
  uint32_t magic;     ///< kRecordMagic
  uint32_t length;    ///< payload bytes (exactly payloadBytes(type))
  uint64_t sequence;  ///< 1-based, +1 per record, continuous across files
  RecordType type;
  uint8_t reserved;
  uint16_t aux;       ///< RequestRejected: the common::RejectReason; otherwise 0
  uint32_t crc32;
};
static_assert(std::is_trivially_copyable_v<RecordHeader> && std::is_standard_layout_v<RecordHeader>);
static_assert(sizeof(RecordHeader) == 24 && offsetof(RecordHeader, sequence) == 8);
static_assert(offsetof(RecordHeader, crc32) == 20);

/// Payloads keep the next record 8-aligned, so a reader hands out events by pointer.
static_assert(sizeof(FileHeader) % 8 == 0 && sizeof(RecordHeader) % 8 == 0);
static_assert(sizeof(common::OrderRequest) % 8 == 0 && sizeof(common::ExecutionReport) % 8 == 0 &&
              sizeof(common::BalanceUpdate) % 8 == 0 && sizeof(JournalMarker) % 8 == 0);

/// The payload size of a record type; 0 for a type this build does not know.
constexpr uint32_t payloadBytes(RecordType t) noexcept {
  switch (t) {
    case RecordType::RequestAccepted:
    case RecordType::RequestRejected: return sizeof(common::OrderRequest);
    case RecordType::Report: return sizeof(common::ExecutionReport);
    case RecordType::Balance: return sizeof(common::BalanceUpdate);
    case RecordType::Marker: return sizeof(JournalMarker);
  }
  return 0;
}

/// The bus event type a record's payload must carry (Invalid for Marker).
constexpr common::EventType payloadEventType(RecordType t) noexcept {
  switch (t) {
    case RecordType::RequestAccepted:
    case RecordType::RequestRejected: return common::EventType::OrderRequest;
    case RecordType::Report: return common::EventType::ExecutionReport;
    case RecordType::Balance: return common::EventType::BalanceUpdate;
    case RecordType::Marker: return common::EventType::Invalid;
  }
  return common::EventType::Invalid;
}

inline constexpr size_t kMaxRecordBytes = sizeof(RecordHeader) + sizeof(common::ExecutionReport);

/// CRC-32 (zlib's, the IEEE polynomial), continued from `crc` (0 to start).
uint32_t crc32(const void* data, size_t n, uint32_t crc = 0) noexcept;

/// Outcome of checking the bytes at one record position.
enum class RecordCheck : uint8_t {
  Ok = 0,         ///< a whole, intact record
  Truncated = 1,  ///< the bytes end inside the record (a torn write)
  Damaged = 2,    ///< the record is whole but wrong (magic, type, length, CRC, sequence, payload)
};

/// Checks the record at `p` (`avail` bytes to the end of the file). `expectedSequence` 0
/// accepts any sequence. On Ok, `out` holds the header; otherwise `why` (if given) says what
/// is wrong, without the file name or offset. Allocates only to build `why`.
RecordCheck checkRecord(const unsigned char* p, size_t avail, uint64_t expectedSequence, RecordHeader& out,
                        std::string* why);

/// Checks a file header; returns an empty string when it is good, else what is wrong
/// (not a journal file, another version naming both, damaged header).
std::string checkFileHeader(const unsigned char* p, size_t avail);

/// "journal-00000000000000000042.jnl": names sort as sequences do.
std::string journalFileName(uint64_t firstSequence);

struct JournalFile {
  std::string path;
  uint64_t first_sequence;
};
/// The journal files of `dir`, by first sequence (other files are ignored). Throws
/// std::runtime_error naming the directory when it cannot be read.
std::vector<JournalFile> listJournalFiles(const std::string& dir);

}  // namespace hft::execution_engine::journal
