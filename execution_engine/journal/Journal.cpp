#include "execution_engine/journal/Journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "execution_engine/journal/FileIo.h"

namespace hft::execution_engine::journal {

const char* toString(AppendStatus s) noexcept {
  switch (s) {
    case AppendStatus::Ok: return "ok";
    case AppendStatus::InvalidRecord: return "invalid_record";
    case AppendStatus::WriteFailed: return "write_failed";
    case AppendStatus::SyncFailed: return "sync_failed";
    case AppendStatus::Failed: return "failed";
  }
  return "?";
}

Journal::Journal(std::string dir, JournalOptions options) : dir_(std::move(dir)), options_(std::move(options)) {
  if (options_.sync != SyncPolicy::EveryRecord && options_.sync != SyncPolicy::Interval &&
      options_.sync != SyncPolicy::Never)
    throw std::runtime_error(dir_ + ": journal option sync: unknown policy " +
                             std::to_string(static_cast<unsigned>(options_.sync)));
  if (options_.sync == SyncPolicy::Interval && options_.sync_interval_ms <= 0)
    throw std::runtime_error(dir_ + ": journal option sync_interval_ms must be > 0, got " +
                             std::to_string(options_.sync_interval_ms));
  if (options_.max_file_bytes < sizeof(FileHeader) + kMaxRecordBytes)
    throw std::runtime_error(dir_ + ": journal option max_file_bytes must be >= " +
                             std::to_string(sizeof(FileHeader) + kMaxRecordBytes) + ", got " +
                             std::to_string(options_.max_file_bytes));
  intervalNs_ = options_.sync_interval_ms * 1'000'000;
  error_.reserve(dir_.size() + 512);
  path_.resize(dir_.size() + 64);
  std::string why;
  if (!makeDirectories(dir_, why)) throw std::runtime_error(why);
  dirFd_ = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd_ < 0) throw std::runtime_error(errnoText(dir_, "open"));
  try {
    recover();
  } catch (...) {
    if (fd_ >= 0) ::close(fd_);
    ::close(dirFd_);
    throw;
  }
}

Journal::~Journal() {
  if (fd_ >= 0) {
    if (!failed_ && dirty_ && options_.sync != SyncPolicy::Never) (void)syncFile();
    ::close(fd_);
  }
  if (dirFd_ >= 0) ::close(dirFd_);
}

void Journal::recover() {
  std::vector<JournalFile> files = listJournalFiles(dir_);
  uint64_t firstSequence = 1;  // of the file to create when none is usable
  while (!files.empty()) {
    const JournalFile f = files.back();
    std::string bytes, why;
    if (!readFile(f.path, bytes, why)) throw std::runtime_error(why);
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t size = bytes.size();

    if (size < sizeof(FileHeader)) {
      // Created, but its header never reached the file whole: a crash while rotating. It holds
      // no record; the next file takes its place (and its first sequence).
      if (::unlink(f.path.c_str()) != 0) throw std::runtime_error(errnoText(f.path, "unlink"));
      recoveryNote_.append(f.path).append(": removed: ").append(std::to_string(size));
      recoveryNote_.append(" bytes, less than the file header (a crash while creating it). ");
      firstSequence = f.first_sequence;
      files.pop_back();
      continue;
    }
    if (const std::string bad = checkFileHeader(p, size); !bad.empty()) throw std::runtime_error(f.path + ": " + bad);
    FileHeader h;
    std::memcpy(&h, p, sizeof h);
    if (h.first_sequence != f.first_sequence)
      throw std::runtime_error(f.path + ": the header says first sequence " + std::to_string(h.first_sequence) +
                               ", the file name says " + std::to_string(f.first_sequence));

    uint64_t sequence = h.first_sequence;
    size_t end = sizeof(FileHeader);
    RecordCheck check = RecordCheck::Ok;
    RecordHeader r;
    while (end < size) {
      check = checkRecord(p + end, size - end, sequence, r, &why);
      if (check != RecordCheck::Ok) break;
      end += sizeof(RecordHeader) + r.length;
      ++sequence;
    }
    if (end < size) {
      if (check == RecordCheck::Damaged) {
        // A torn tail has nothing intact after the damage; anything else is real corruption
        // that a truncation would turn into silent data loss.
        for (size_t at = end + 1; at + sizeof(RecordHeader) <= size; ++at) {
          uint32_t magic;
          std::memcpy(&magic, p + at, sizeof magic);
          RecordHeader later;
          if (magic == kRecordMagic && checkRecord(p + at, size - at, 0, later, nullptr) == RecordCheck::Ok)
            throw std::runtime_error(f.path + ": damaged record at byte " + std::to_string(end) + " (" + why +
                                     ") followed by an intact record (sequence " + std::to_string(later.sequence) +
                                     " at byte " + std::to_string(at) +
                                     "): not a torn tail, refusing to truncate; move the file aside to start");
        }
      }
      if (::truncate(f.path.c_str(), static_cast<off_t>(end)) != 0)
        throw std::runtime_error(errnoText(f.path, "truncate"));
      recoveryNote_.append(f.path).append(": torn tail at byte ").append(std::to_string(end)).append(" (");
      recoveryNote_.append(why).append("): truncated ").append(std::to_string(size - end));
      recoveryNote_.append(" bytes; the journal continues after sequence ").append(std::to_string(sequence - 1));
    }
    fd_ = ::open(f.path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error(errnoText(f.path, "open"));
    if (end < size && options_.sync != SyncPolicy::Never && ::fsync(fd_) != 0)
      throw std::runtime_error(errnoText(f.path, "fsync after truncation"));
    setPath(f.first_sequence);
    fileBytes_ = end;
    nextSequence_ = sequence;
    while (!recoveryNote_.empty() && recoveryNote_.back() == ' ') recoveryNote_.pop_back();
    return;
  }
  while (!recoveryNote_.empty() && recoveryNote_.back() == ' ') recoveryNote_.pop_back();
  nextSequence_ = firstSequence;
  if (!openNewFile(firstSequence)) throw std::runtime_error(error_);
}

void Journal::setPath(uint64_t firstSequence) noexcept {
  std::snprintf(path_.data(), path_.size(), "%s/journal-%020llu.jnl", dir_.c_str(),
                static_cast<unsigned long long>(firstSequence));
}

bool Journal::openNewFile(uint64_t firstSequence) noexcept {
  setPath(firstSequence);
  const int fd = ::open(path_.data(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    fail("open");
    return false;
  }
  FileHeader h{};
  std::memcpy(h.magic, kFileMagic, sizeof h.magic);
  h.format_version = kFormatVersion;
  h.schema_version = common::kSchemaVersion;
  h.header_bytes = sizeof h;
  h.first_sequence = firstSequence;
  h.crc32 = crc32(&h, offsetof(FileHeader, crc32));
  fd_ = fd;
  if (!writeAll(fd_, &h, sizeof h)) {
    fail("write");
    return false;
  }
  // The header reaches the disk with the first record's fdatasync; the directory entry needs
  // its own fsync, or a power loss could lose the whole file.
  if (options_.sync != SyncPolicy::Never && ::fsync(dirFd_) != 0) {
    fail("fsync of the directory");
    return false;
  }
  fileBytes_ = sizeof h;
  ++filesCreated_;
  return true;
}

AppendStatus Journal::append(RecordType type, uint16_t aux, const void* payload, uint32_t length,
                             int64_t monoNs) noexcept {
  if (failed_) [[unlikely]]
    return AppendStatus::Failed;
  const size_t bytes = sizeof(RecordHeader) + length;
  if (fileBytes_ + bytes > options_.max_file_bytes && fileBytes_ > sizeof(FileHeader)) [[unlikely]] {
    // Rotate: the old file is complete (and synced, unless the policy leaves that to the OS).
    if (dirty_ && options_.sync != SyncPolicy::Never && !syncFile()) return AppendStatus::SyncFailed;
    ::close(fd_);
    fd_ = -1;
    if (!openNewFile(nextSequence_)) return AppendStatus::WriteFailed;
  }
  const RecordHeader h{kRecordMagic, length, nextSequence_, type, 0, aux, 0};
  std::memcpy(record_, &h, sizeof h);
  std::memcpy(record_ + sizeof h, payload, length);
  const uint32_t crc = crc32(record_ + sizeof h, length, crc32(record_, offsetof(RecordHeader, crc32)));
  std::memcpy(record_ + offsetof(RecordHeader, crc32), &crc, sizeof crc);
  if (!writeAll(fd_, record_, bytes)) [[unlikely]]
    return fail("write");  // the file may end in a partial record: a restart truncates it
  fileBytes_ += bytes;
  ++nextSequence_;
  dirty_ = true;
  switch (options_.sync) {
    case SyncPolicy::EveryRecord:
      if (!syncFile()) return AppendStatus::SyncFailed;
      break;
    case SyncPolicy::Interval:
      if (!everSynced_ || monoNs - lastSyncNs_ >= intervalNs_) {
        if (!syncFile()) return AppendStatus::SyncFailed;
        lastSyncNs_ = monoNs;
        everSynced_ = true;
      }
      break;
    case SyncPolicy::Never: break;
  }
  return AppendStatus::Ok;
}

AppendStatus Journal::tick(int64_t monoNs) noexcept {
  if (failed_) return AppendStatus::Failed;
  if (options_.sync == SyncPolicy::Interval && dirty_ && (!everSynced_ || monoNs - lastSyncNs_ >= intervalNs_)) {
    if (!syncFile()) return AppendStatus::SyncFailed;
    lastSyncNs_ = monoNs;
    everSynced_ = true;
  }
  return AppendStatus::Ok;
}

AppendStatus Journal::sync() noexcept {
  if (failed_) return AppendStatus::Failed;
  if (dirty_ && !syncFile()) return AppendStatus::SyncFailed;
  return AppendStatus::Ok;
}

bool Journal::syncFile() noexcept {
  const int rc = options_.sync_hook ? options_.sync_hook(fd_) : ::fdatasync(fd_);
  ++syncs_;
  if (rc != 0) {
    fail("fdatasync");
    return false;
  }
  dirty_ = false;
  return true;
}

AppendStatus Journal::fail(const char* call) noexcept {
  const int saved = errno;
  failed_ = true;
  // error_ has capacity reserved at construction: no allocation for any realistic path.
  error_.assign(path_.data()).append(": ").append(call).append(": ").append(std::strerror(saved));
  error_.append("; the journal refuses every record from now on");
  return AppendStatus::WriteFailed;
}

}  // namespace hft::execution_engine::journal
