// Damaged recordings: truncation at any offset, flipped bits, a writer killed mid-run.
#include <gtest/gtest.h>
#include <lz4.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "RecordingTestUtil.h"

using namespace hft;
using namespace hft::test;
using rec::ReadResult;

namespace {

/// A closed recording and what went into it.
struct Recorded {
  std::vector<Bytes> events;
  Bytes file;
  std::vector<rec::FrameIndexEntry> index;
  uint64_t dataStart = 0;              ///< end of the header frame
  std::vector<uint64_t> streamEnds;    ///< decompressed offset just past each event
};

Recorded record(const std::string& path, uint64_t n, size_t maxFrameBytes) {
  Recorded r;
  r.events = makeEvents(n);
  rec::WriterOptions opts;
  opts.max_frame_bytes = maxFrameBytes;
  writeSession(path, r.events, opts);
  r.file = readFile(path);
  rec::SessionReader reader(path);
  r.index = reader.index();
  r.dataStart = r.index.front().file_offset - sizeof(rec::FrameDescriptor);
  uint64_t end = sizeof(rec::FileHeader) + sampleInfo().instruments.size() * sizeof(rec::InstrumentEntry);
  for (const Bytes& e : r.events) r.streamEnds.push_back(end += e.size());
  return r;
}

struct Block {
  uint64_t at;           ///< file offset of the block header
  uint32_t word;         ///< size, high bit = stored
  uint32_t decodedBytes;
};

/// The blocks of an event frame, decoded alone (our frame header is 7 bytes: no content size, no dict id).
std::vector<Block> blocksOf(const Bytes& file, const rec::FrameIndexEntry& f) {
  std::vector<Block> blocks;
  std::vector<char> out(rec::kBlockBytes);
  for (uint64_t at = f.file_offset + 7;;) {
    uint32_t word;
    std::memcpy(&word, file.data() + at, sizeof word);
    if (word == 0) return blocks;
    const uint32_t len = word & 0x7FFFFFFFu;
    const auto* src = reinterpret_cast<const char*>(file.data() + at + 4);
    const int n = (word & 0x80000000u) ? static_cast<int>(len)
                                        : LZ4_decompress_safe(src, out.data(), static_cast<int>(len),
                                                              static_cast<int>(out.size()));
    EXPECT_GT(n, 0);
    blocks.push_back({at, word, static_cast<uint32_t>(n)});
    at += 4 + len + 4;
  }
}

void expectPrefix(const ReadOutcome& got, const std::vector<Bytes>& events) {
  ASSERT_LE(got.events.size(), events.size());
  for (size_t i = 0; i < got.events.size(); ++i) ASSERT_EQ(got.events[i], events[i]) << "event " << i;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST(SessionDamage, aFileTruncatedAtAnyOffsetDeliversAPrefixInOrderThenNamesTheOffset) {
  TempDir tmp;
  const Recorded rec = record(tmp.file("s.bin.lz4"), 3'000, 96 * 1024);  // frames of two blocks
  ASSERT_GE(rec.index.size(), 3u);
  std::set<uint64_t> cuts;
  for (uint64_t at = 0; at < rec.file.size(); at += at < 300 ? 1 : 89) cuts.insert(at);
  for (const auto& f : rec.index)
    for (uint64_t at : {f.file_offset - sizeof(rec::FrameDescriptor), f.file_offset, f.file_offset + f.frame_bytes})
      for (int d : {-1, 0, 1}) cuts.insert(at + static_cast<uint64_t>(d));
  for (uint64_t back = 0; back < 200; ++back) cuts.insert(rec.file.size() - back);  // index and trailer
  std::set<uint64_t> cleanEnds = {rec.dataStart, rec.file.size() - sizeof(rec::Trailer), rec.file.size()};
  for (const auto& f : rec.index) cleanEnds.insert(f.file_offset + f.frame_bytes);

  const std::string cut = tmp.file("cut.bin.lz4");
  for (uint64_t at : cuts) {
    SCOPED_TRACE("cut at byte " + std::to_string(at));
    writeFile(cut, rec.file.data(), at);
    if (at < rec.dataStart) {  // inside the header frame: nothing to replay
      try {
        rec::SessionReader r(cut);
        ADD_FAILURE() << "opened a file cut inside its header";
      } catch (const std::runtime_error& e) {
        EXPECT_TRUE(contains(e.what(), cut)) << e.what();
      }
      continue;
    }
    rec::SessionReader r(cut);
    const ReadOutcome got = readAll(r);
    expectPrefix(got, rec.events);
    uint64_t complete = 0;  // events of the frames wholly before the cut
    for (const auto& f : rec.index)
      if (f.file_offset + f.frame_bytes <= at) complete += f.events;
    EXPECT_GE(got.events.size(), complete) << "every complete frame is replayed";
    EXPECT_EQ(r.indexRebuilt(), at != rec.file.size());
    if (cleanEnds.count(at)) {
      EXPECT_EQ(got.last, ReadResult::End) << got.error;
      EXPECT_EQ(got.events.size(), complete);
    } else {
      EXPECT_EQ(got.last, ReadResult::Error);
      EXPECT_TRUE(contains(got.error, cut + ": truncated at byte " + std::to_string(at) + ":")) << got.error;
    }
  }
}

TEST(SessionDamage, aFlippedBitInABlockIsAChecksumErrorNamingItAfterEveryEventOfTheIntactBlocksBeforeIt) {
  TempDir tmp;
  const Recorded rec = record(tmp.file("s.bin.lz4"), 10'000, 256 * 1024);  // frames of four blocks
  ASSERT_GE(rec.index.size(), 4u);
  const std::string bad = tmp.file("bad.bin.lz4");
  const std::pair<size_t, size_t> targets[] = {{0, 0}, {1, 0}, {1, 2}, {2, 3}, {rec.index.size() - 1, 0}};
  for (const auto& [frame, block] : targets) {
    SCOPED_TRACE("frame " + std::to_string(frame) + " block " + std::to_string(block));
    const rec::FrameIndexEntry& f = rec.index[frame];
    const auto blocks = blocksOf(rec.file, f);
    ASSERT_LT(block, blocks.size());
    const Block& b = blocks[block];
    ASSERT_EQ(b.word & 0x80000000u, 0u) << "a compressed block";
    Bytes file = rec.file;
    file[b.at + 4 + b.word / 2] ^= 0x10;
    writeFile(bad, file.data(), file.size());

    rec::SessionReader r(bad);
    EXPECT_FALSE(r.indexRebuilt());
    const ReadOutcome got = readAll(r);
    expectPrefix(got, rec.events);
    // Blocks end on event boundaries: the events of the intact blocks before it are delivered.
    uint64_t intactEnd = f.stream_offset;
    for (size_t k = 0; k < block; ++k) intactEnd += blocks[k].decodedBytes;
    const auto expected = static_cast<size_t>(
        std::upper_bound(rec.streamEnds.begin(), rec.streamEnds.end(), intactEnd) - rec.streamEnds.begin());
    EXPECT_TRUE(expected == 0 || rec.streamEnds[expected - 1] == intactEnd) << "a block ends on an event boundary";
    EXPECT_EQ(got.events.size(), expected);
    EXPECT_EQ(got.last, ReadResult::Error);
    EXPECT_TRUE(contains(got.error, bad + ": block checksum mismatch in block at byte " + std::to_string(b.at) +
                                        " (frame at byte " + std::to_string(f.file_offset) + ", decompressed offset "))
        << got.error;
    EXPECT_TRUE(contains(got.error, "event #" + std::to_string(expected))) << got.error;

    if (frame + 1 < rec.index.size()) {  // the index still leads past the damage
      ASSERT_TRUE(r.seekTime(rec.index[frame + 1].first_ts));
      const ReadOutcome rest = readAll(r);
      EXPECT_EQ(rest.last, ReadResult::End) << rest.error;
      EXPECT_EQ(rest.events.size(), rec.events.size() - rec.index[frame + 1].first_event);
    }
  }
}

TEST(SessionDamage, aFlippedBitInAFrameHeaderOrContentChecksumNamesTheFrame) {
  TempDir tmp;
  const Recorded rec = record(tmp.file("s.bin.lz4"), 10'000, 256 * 1024);
  const std::string bad = tmp.file("bad.bin.lz4");
  const rec::FrameIndexEntry& f = rec.index[2];
  struct Case {
    uint64_t at;
    const char* why;
    uint64_t delivered;
  } cases[] = {
      {f.file_offset + 6, "damaged frame header (frame header checksum mismatch)", f.first_event},
      {f.file_offset + f.frame_bytes - 1, "content checksum mismatch at the frame end", f.first_event + f.events},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    Bytes file = rec.file;
    file[c.at] ^= 0x01;
    writeFile(bad, file.data(), file.size());
    rec::SessionReader r(bad);
    const ReadOutcome got = readAll(r);
    expectPrefix(got, rec.events);
    EXPECT_EQ(got.events.size(), c.delivered);
    EXPECT_EQ(got.last, ReadResult::Error);
    EXPECT_TRUE(contains(got.error, c.why)) << got.error;
    EXPECT_TRUE(contains(got.error, "frame at byte " + std::to_string(f.file_offset))) << got.error;
  }
}

TEST(SessionDamage, aWriterKilledMidRunLeavesEverythingUpToItsLastFlushReadable) {
  TempDir tmp;
  const std::string path = tmp.file("killed.bin.lz4");
  constexpr uint64_t kFlushed = 500, kPending = 300;  // per round: flushed, then appended only
  int pipeFds[2];
  ASSERT_EQ(::pipe(pipeFds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // the writer: reports each completed flush, never closes
    ::close(pipeFds[0]);
    try {
      rec::SessionWriter w(path, sampleInfo());
      for (uint64_t i = 0;;) {
        auto appendEvents = [&](uint64_t count) {
          for (uint64_t end = i + count; i < end; ++i) {
            const Bytes e = makeEvent(i);
            w.append(e.data(), e.size());
          }
        };
        appendEvents(kFlushed);
        w.flush();
        if (::write(pipeFds[1], &i, sizeof i) != sizeof i) ::_exit(3);
        appendEvents(kPending);
      }
    } catch (...) {
      ::_exit(2);
    }
  }
  ::close(pipeFds[1]);
  struct Reaper {  // never leave the child running, whatever fails below
    pid_t pid;
    int status = 0;
    void reap() {
      if (pid > 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
      }
      pid = -1;
    }
    ~Reaper() { reap(); }
  } reaper{child};

  uint64_t flushed = 0;
  int reports = 0;
  while (reports < 20 && ::read(pipeFds[0], &flushed, sizeof flushed) == sizeof flushed) ++reports;
  reaper.reap();
  ::close(pipeFds[0]);
  ASSERT_EQ(reports, 20) << "the writer died early (status " << reaper.status << ")";
  ASSERT_TRUE(WIFSIGNALED(reaper.status) && WTERMSIG(reaper.status) == SIGKILL);

  rec::SessionReader r(path);
  EXPECT_TRUE(r.indexRebuilt());
  const ReadOutcome got = readAll(r);
  EXPECT_GE(got.events.size(), flushed) << "everything up to the last flush it reported";
  for (size_t i = 0; i < got.events.size(); ++i) ASSERT_EQ(got.events[i], makeEvent(i)) << "event " << i;
  if (got.last == ReadResult::End) {
    EXPECT_EQ(got.events.size() % (kFlushed + kPending), kFlushed) << "it ends on a flush";
    uint64_t indexed = 0;
    for (const auto& f : r.index()) indexed += f.events;
    EXPECT_EQ(indexed, got.events.size());
  } else {  // killed inside a write(2): rare, reported like any truncation
    EXPECT_TRUE(contains(got.error, "truncated at byte")) << got.error;
  }
}
