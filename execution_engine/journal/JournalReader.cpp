#include "execution_engine/journal/JournalReader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>

#include "execution_engine/journal/FileIo.h"

namespace hft::execution_engine::journal {

JournalReader::JournalReader(const std::string& dir, uint64_t afterSequence)
    : dir_(dir), after_(afterSequence), delivered_(afterSequence) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw std::runtime_error(dir + ": the journal directory does not exist (or is not a directory)");
  files_ = listJournalFiles(dir);
  // Start in the last file whose first record is at or before the first one wanted; the
  // records before it in that file are checked, not delivered.
  for (size_t i = 0; i < files_.size(); ++i)
    if (files_[i].first_sequence <= afterSequence + 1) nextFile_ = i;
}

ReadStatus JournalReader::next(JournalRecord& record) {
  if (state_ != ReadStatus::Record) return state_;
  for (;;) {
    if (!any_ || pos_ >= size_) {
      if (!openNextFile()) return state_;
      continue;
    }
    RecordHeader h;
    std::string why;
    const RecordCheck c = checkRecord(bytes() + pos_, size_ - pos_, scanSequence_, h, &why);
    if (c != RecordCheck::Ok) {
      std::string text = file_;
      if (c == RecordCheck::Truncated) text.append(": truncated at byte ").append(std::to_string(size_));
      text.append(": record at byte ").append(std::to_string(pos_));
      text.append(" (sequence ").append(std::to_string(scanSequence_)).append(" expected): ").append(why);
      return fail(std::move(text));
    }
    const unsigned char* payload = bytes() + pos_ + sizeof h;
    pos_ += sizeof h + h.length;
    ++scanSequence_;
    if (h.sequence <= after_) continue;
    record.type = h.type;
    record.aux = h.aux;
    record.sequence = h.sequence;
    record.length = h.length;
    record.payload = payload;
    delivered_ = h.sequence;
    ++recordsRead_;
    return ReadStatus::Record;
  }
}

bool JournalReader::openNextFile() {
  if (nextFile_ >= files_.size()) {
    const uint64_t last = any_ ? scanSequence_ - 1 : 0;
    if (last < after_) {
      fail(dir_ + ": the journal ends at sequence " + std::to_string(last) + ", before the requested start after " +
           std::to_string(after_) + " (its tail was lost, or this is another journal)");
      return false;
    }
    file_.clear();
    state_ = ReadStatus::End;
    return false;
  }
  const JournalFile& f = files_[nextFile_++];
  if (any_ && f.first_sequence != scanSequence_) {
    fail(f.path + ": sequence gap: the previous file ends at sequence " + std::to_string(scanSequence_ - 1) +
         ", this one starts at " + std::to_string(f.first_sequence));
    return false;
  }
  if (!any_ && f.first_sequence > after_ + 1) {
    fail(f.path + ": the journal starts at sequence " + std::to_string(f.first_sequence) + ", records after " +
         std::to_string(after_) + " were asked for: the ones in between are missing");
    return false;
  }

  const int fd = ::open(f.path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st{};
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    fail(errnoText(f.path, fd < 0 ? "open" : "fstat"));
    if (fd >= 0) ::close(fd);
    return false;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  buf_ = std::make_unique_for_overwrite<uint64_t[]>(size / 8 + 1);
  auto* out = reinterpret_cast<unsigned char*>(buf_.get());
  size_t got = 0;
  while (got < size) {
    const ssize_t r = ::read(fd, out + got, size - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;  // error, or the file shrank since fstat: read what is there
    got += static_cast<size_t>(r);
  }
  ::close(fd);
  size_ = got;
  file_ = f.path;
  any_ = true;
  if (const std::string bad = checkFileHeader(bytes(), size_); !bad.empty()) {
    fail(f.path + ": " + bad);
    return false;
  }
  FileHeader h;
  std::memcpy(&h, bytes(), sizeof h);
  if (h.first_sequence != f.first_sequence) {
    fail(f.path + ": the header says first sequence " + std::to_string(h.first_sequence) +
         ", the file name says " + std::to_string(f.first_sequence));
    return false;
  }
  pos_ = sizeof h;
  scanSequence_ = h.first_sequence;
  return true;
}

ReadStatus JournalReader::fail(std::string why) {
  error_ = std::move(why);
  state_ = ReadStatus::Error;
  return state_;
}

}  // namespace hft::execution_engine::journal
