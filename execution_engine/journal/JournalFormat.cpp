#include "execution_engine/journal/JournalFormat.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace hft::execution_engine::journal {
namespace {

std::string hex32(uint32_t v) {
  char s[16];
  std::snprintf(s, sizeof s, "0x%08X", v);
  return s;
}

constexpr std::string_view kNamePrefix = "journal-";
constexpr std::string_view kNameSuffix = ".jnl";
constexpr size_t kNameDigits = 20;  // every uint64 fits: names sort as numbers

}  // namespace

const char* toString(RecordType t) noexcept {
  switch (t) {
    case RecordType::RequestAccepted: return "request_accepted";
    case RecordType::RequestRejected: return "request_rejected";
    case RecordType::Report: return "report";
    case RecordType::Balance: return "balance";
    case RecordType::Marker: return "marker";
  }
  return "?";
}

uint32_t crc32(const void* data, size_t n, uint32_t crc) noexcept {
  // zlib takes uInt lengths; our records are < 256 bytes, file headers 28.
  return static_cast<uint32_t>(::crc32(crc, static_cast<const Bytef*>(data), static_cast<uInt>(n)));
}

RecordCheck checkRecord(const unsigned char* p, size_t avail, uint64_t expectedSequence, RecordHeader& out,
                        std::string* why) {
  auto fail = [&](RecordCheck c, const std::string& text) {
    if (why != nullptr) *why = text;
    return c;
  };
  if (avail < sizeof(RecordHeader))
    return fail(RecordCheck::Truncated, "the file ends " + std::to_string(avail) + " bytes into the " +
                                            std::to_string(sizeof(RecordHeader)) + "-byte record header");
  std::memcpy(&out, p, sizeof out);
  if (out.magic != kRecordMagic)
    return fail(RecordCheck::Damaged, "bad record magic " + hex32(out.magic) + " (expected " + hex32(kRecordMagic) + ")");
  const uint32_t expectLength = payloadBytes(out.type);
  if (expectLength == 0)
    return fail(RecordCheck::Damaged, "unknown record type " + std::to_string(static_cast<unsigned>(out.type)));
  if (out.length != expectLength)
    return fail(RecordCheck::Damaged, "record length " + std::to_string(out.length) + ", a " + toString(out.type) +
                                          " record holds " + std::to_string(expectLength) + " bytes");
  const size_t whole = sizeof(RecordHeader) + out.length;
  if (avail < whole)
    return fail(RecordCheck::Truncated, "the " + std::to_string(whole) + "-byte record has only " +
                                            std::to_string(avail) + " bytes in the file");
  const uint32_t crc = crc32(p + sizeof out, out.length, crc32(p, offsetof(RecordHeader, crc32)));
  if (crc != out.crc32)
    return fail(RecordCheck::Damaged, "CRC mismatch (stored " + hex32(out.crc32) + ", computed " + hex32(crc) + ")");
  if (expectedSequence != 0 && out.sequence != expectedSequence)
    return fail(RecordCheck::Damaged, "sequence " + std::to_string(out.sequence) + ", expected " +
                                          std::to_string(expectedSequence));
  const common::EventType eventType = payloadEventType(out.type);
  if (eventType != common::EventType::Invalid) {
    common::EventHeader e;
    std::memcpy(&e, p + sizeof out, sizeof e);
    if (e.type != eventType || e.size != out.length)
      return fail(RecordCheck::Damaged, std::string("a ") + toString(out.type) + " record whose event has type " +
                                            std::to_string(static_cast<unsigned>(e.type)) + " and size " +
                                            std::to_string(e.size));
  }
  return RecordCheck::Ok;
}

std::string checkFileHeader(const unsigned char* p, size_t avail) {
  if (avail < sizeof(FileHeader))
    return "the file has " + std::to_string(avail) + " bytes, less than the " + std::to_string(sizeof(FileHeader)) +
           "-byte file header";
  FileHeader h;
  std::memcpy(&h, p, sizeof h);
  if (std::memcmp(h.magic, kFileMagic, sizeof kFileMagic) != 0) return "not a journal file (bad magic at byte 0)";
  if (h.format_version != kFormatVersion)
    return "journal format version " + std::to_string(h.format_version) + ", this reader reads version " +
           std::to_string(kFormatVersion);
  if (h.schema_version != common::kSchemaVersion)
    return "event schema version " + std::to_string(h.schema_version) + ", this build uses schema version " +
           std::to_string(common::kSchemaVersion);
  if (h.crc32 != crc32(p, offsetof(FileHeader, crc32)) || h.header_bytes != sizeof(FileHeader))
    return "damaged file header (CRC mismatch)";
  return {};
}

std::string journalFileName(uint64_t firstSequence) {
  char s[48];
  std::snprintf(s, sizeof s, "journal-%020llu.jnl", static_cast<unsigned long long>(firstSequence));
  return s;
}

std::vector<JournalFile> listJournalFiles(const std::string& dir) {
  std::vector<JournalFile> files;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) throw std::runtime_error(dir + ": cannot list the journal directory: " + ec.message());
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.size() != kNamePrefix.size() + kNameDigits + kNameSuffix.size() || !name.starts_with(kNamePrefix) ||
        !name.ends_with(kNameSuffix))
      continue;
    const std::string_view digits(name.data() + kNamePrefix.size(), kNameDigits);
    uint64_t first = 0;
    const auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), first);
    if (err != std::errc{} || end != digits.data() + digits.size()) continue;  // not ours (or > 2^64)
    files.push_back({entry.path().string(), first});
  }
  std::sort(files.begin(), files.end(),
            [](const JournalFile& a, const JournalFile& b) { return a.first_sequence < b.first_sequence; });
  return files;
}

}  // namespace hft::execution_engine::journal
