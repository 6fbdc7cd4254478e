#include "execution_engine/journal/SnapshotStore.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "execution_engine/journal/FileIo.h"
#include "execution_engine/journal/JournalFormat.h"
#include "execution_engine/journal/UtcTime.h"

namespace hft::execution_engine::journal {
namespace {

constexpr const char* kFormat = "hft-executor-snapshot";
constexpr size_t kHourNameBytes = 11;  // "YYYYMMDD-HH"
constexpr std::string_view kSuffix = ".json";
constexpr std::string_view kTempSuffix = ".json.tmp";

/// "YYYYMMDD-HH" of ts into buf (>= 16 bytes), NUL-terminated. No allocation.
void hourName(common::TimestampNs ts, char* buf, size_t len) noexcept {
  const UtcTime t = utcTime(ts);
  std::snprintf(buf, len, "%04d%02d%02d-%02d", t.year, t.month, t.day, t.hour);
}

bool isHourName(std::string_view s) noexcept {
  if (s.size() != kHourNameBytes || s[8] != '-') return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (i != 8 && (s[i] < '0' || s[i] > '9')) return false;
  return true;
}

uint32_t stateCrc(const nlohmann::json& state) {
  const std::string text = state.dump();
  return crc32(text.data(), text.size());
}

bool parseU64(const nlohmann::json& j, const char* key, uint64_t& out) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return false;
  const std::string& s = it->get_ref<const std::string&>();
  const auto [end, err] = std::from_chars(s.data(), s.data() + s.size(), out);
  return err == std::errc{} && end == s.data() + s.size() && !s.empty();
}

/// Why a parsed snapshot document is not valid ("" when it is).
std::string invalidReason(const nlohmann::json& doc, uint64_t& sequence, int64_t& writtenNs) {
  if (!doc.is_object()) return "not a JSON object";
  const auto format = doc.find("format");
  if (format == doc.end() || *format != kFormat) return std::string("\"format\" is not \"") + kFormat + "\"";
  const auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer()) return "\"version\" missing";
  if (*version != SnapshotStore::kVersion)
    return "snapshot version " + version->dump() + ", this build reads version " +
           std::to_string(SnapshotStore::kVersion);
  if (!parseU64(doc, "journal_sequence", sequence)) return "\"journal_sequence\" missing or not a decimal string";
  uint64_t written = 0;
  if (!parseU64(doc, "written_ns", written)) return "\"written_ns\" missing or not a decimal string";
  writtenNs = static_cast<int64_t>(written);
  const auto state = doc.find("state");
  if (state == doc.end()) return "\"state\" missing";
  const auto crc = doc.find("state_crc32");
  if (crc == doc.end() || !crc->is_number_unsigned()) return "\"state_crc32\" missing";
  const uint32_t computed = stateCrc(*state);
  if (crc->get<uint64_t>() != computed)
    return "state CRC mismatch (stored " + crc->dump() + ", computed " + std::to_string(computed) + ")";
  return {};
}

}  // namespace

SnapshotStore::SnapshotStore(std::string root, size_t keep) : keep_(keep) {
  if (keep_ == 0) throw std::runtime_error(root + ": snapshots: keep must be >= 1");
  dir_ = std::move(root);
  dir_.append("/snapshots");
  const std::vector<std::string> files = list();
  if (!files.empty()) newest_ = std::filesystem::path(files.back()).stem().string();
}

std::string SnapshotStore::pathFor(common::TimestampNs ts) const {
  char name[16];
  hourName(ts, name, sizeof name);
  std::string path = dir_;
  path.append("/").append(name).append(kSuffix);
  return path;
}

bool SnapshotStore::dueAt(common::TimestampNs now) const noexcept {
  char name[16];
  hourName(now, name, sizeof name);
  return std::strcmp(name, newest_.c_str()) > 0;
}

bool SnapshotStore::write(const nlohmann::json& state, uint64_t journalSequence, common::TimestampNs now,
                          std::string& error) {
  if (!makeDirectories(dir_, error)) return false;
  nlohmann::ordered_json doc;
  doc["format"] = kFormat;
  doc["version"] = kVersion;
  doc["journal_sequence"] = std::to_string(journalSequence);
  doc["written_ns"] = std::to_string(now);
  doc["written"] = isoUtc(now);
  doc["state_crc32"] = stateCrc(state);
  doc["state"] = state;
  std::string text = doc.dump(1);
  text.push_back('\n');
  const std::string path = pathFor(now);
  if (!writeFileAtomically(path, text, error)) return false;
  const std::string name = std::filesystem::path(path).stem().string();
  newest_ = std::max(newest_, name);
  return true;
}

LoadedSnapshot SnapshotStore::loadNewest() const {
  LoadedSnapshot out;
  std::vector<std::string> files = list();
  for (auto it = files.rbegin(); it != files.rend(); ++it) {
    std::string text, why;
    if (!readFile(*it, text, why)) {
      out.skipped.push_back(why);
      continue;
    }
    const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
      out.skipped.push_back(*it + ": not valid JSON (truncated or damaged)");
      continue;
    }
    uint64_t sequence = 0;
    int64_t written = 0;
    if (const std::string bad = invalidReason(doc, sequence, written); !bad.empty()) {
      out.skipped.push_back(*it + ": " + bad);
      continue;
    }
    out.found = true;
    out.path = *it;
    out.journal_sequence = sequence;
    out.written_ns = written;
    out.state = doc.at("state");
    return out;
  }
  return out;
}

size_t SnapshotStore::prune() {
  size_t removed = 0;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir_, ec);
  if (!ec) {
    for (const auto& entry : it) {
      const std::string name = entry.path().filename().string();
      if (name.ends_with(kTempSuffix) && ::unlink(entry.path().c_str()) == 0) ++removed;
    }
  }
  const std::vector<std::string> files = list();
  for (size_t i = 0; i + keep_ < files.size(); ++i)
    if (::unlink(files[i].c_str()) == 0) ++removed;
  return removed;
}

std::vector<std::string> SnapshotStore::list() const {
  std::vector<std::string> files;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir_, ec);
  if (ec) return files;  // no directory yet: no snapshots
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.size() == kHourNameBytes + kSuffix.size() && name.ends_with(kSuffix) &&
        isHourName(std::string_view(name).substr(0, kHourNameBytes)))
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());  // names sort as hours
  return files;
}

}  // namespace hft::execution_engine::journal
