#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace hft::data_store {

/// "HFTSHM01" little-endian: first word of every shared-memory segment of this project.
inline constexpr uint64_t kSegmentMagic = 0x31304D4853544648ull;
/// Bump on any change of a segment layout (header, ring, queue, registry).
inline constexpr uint32_t kLayoutVersion = 3;

enum class SegmentKind : uint32_t {
  BroadcastRing = 1,  ///< one producer, many readers that never hold it back
  SpscQueue = 2,      ///< one producer, one consumer, lossless (order flow)
  Registry = 3,       ///< table of attached processes
};
const char* toString(SegmentKind k) noexcept;

/// First cache line of every segment. Written once by the creator, then read-only, except
/// `ready` which the creator sets last so an attacher never sees a half-initialized segment.
///
///   0 magic | 8 layout_version | 12 schema_version | 16 kind | 20 slot_bytes | 24 capacity
///   | 32 epoch | 40 owner_pid | 44 ready | 48 created_ns | 56 total_bytes
struct alignas(64) SegmentHeader {
  uint64_t magic;
  uint32_t layout_version;
  uint32_t schema_version;   ///< common::kSchemaVersion of the events it carries
  SegmentKind kind;
  uint32_t slot_bytes;
  uint64_t capacity;         ///< slots (power of two) or registry entries
  uint64_t epoch;            ///< unique per creation: a restarted producer has a new one
  uint32_t owner_pid;        ///< creator (the single writer for rings and queues)
  uint32_t ready;            ///< accessed through readyFlag(): 0 until initialized, then 1
  int64_t created_ns;
  uint64_t total_bytes;
};
static_assert(sizeof(SegmentHeader) == 64);
static_assert(offsetof(SegmentHeader, ready) == 44);
static_assert(std::atomic_ref<uint32_t>::required_alignment <= 4, "shared across processes");

inline constexpr uint32_t kSegmentInitializing = 0;
inline constexpr uint32_t kSegmentLive = 1;      ///< owner initialized it and is (or was) writing
inline constexpr uint32_t kSegmentReleased = 2;  ///< owner shut down cleanly; readers may drain it

/// The creator stores 1 with release after initializing; attachers load with acquire.
inline std::atomic_ref<uint32_t> readyFlag(SegmentHeader& h) noexcept { return std::atomic_ref<uint32_t>(h.ready); }

/// What an attacher expects; compared against the header with messages naming both sides.
struct SegmentExpectation {
  SegmentKind kind;
  uint32_t slot_bytes;      ///< 0 = any
  uint32_t schema_version;
};

/// Checks magic, layout and schema versions, kind and slot size. Returns an error text naming
/// the segment and both versions on mismatch, or empty when compatible.
std::string checkCompatible(const SegmentHeader& h, const SegmentExpectation& want, const std::string& name);

}  // namespace hft::data_store
