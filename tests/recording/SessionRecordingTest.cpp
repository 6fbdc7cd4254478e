// Round trips, the lz4 CLI view of a file, seeking, frame boundaries, refusing bad input.
#include <gtest/gtest.h>
#include <lz4frame.h>
#include <sys/stat.h>

#include <numeric>

#include "RecordingTestUtil.h"

using namespace hft;
using namespace hft::test;
using rec::ReadResult;

namespace {

uint64_t totalBytes(const std::vector<Bytes>& events) {
  return std::accumulate(events.begin(), events.end(), uint64_t{0},
                         [](uint64_t sum, const Bytes& e) { return sum + e.size(); });
}

uint64_t sequenceOf(const common::EventHeader* e) { return e->sequence; }

uint64_t fileSize(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

/// An LZ4 frame file whose decompressed start is this FileHeader (and nothing else).
void writeHeaderOnlyFile(const std::string& path, const rec::FileHeader& h) {
  Bytes out(LZ4F_compressFrameBound(sizeof h, nullptr));
  const size_t n = LZ4F_compressFrame(out.data(), out.size(), &h, sizeof h, nullptr);
  ASSERT_FALSE(LZ4F_isError(n));
  writeFile(path, out.data(), n);
}

rec::FileHeader validHeader() {
  rec::FileHeader h{};
  std::memcpy(h.magic, rec::kFileMagic, sizeof h.magic);
  h.format_version = rec::kFormatVersion;
  h.schema_version = common::kSchemaVersion;
  h.header_bytes = sizeof h;
  return h;
}

std::string openError(const std::string& path) {
  try {
    rec::SessionReader r(path);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(SessionRecording, roundTripsEventsOfEveryTypeAndTheInstrumentTable) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  const auto events = makeEvents(20'000);
  rec::WriterOptions opts;
  opts.max_frame_bytes = 256 * 1024;  // several frames of several blocks
  {
    rec::SessionWriter w(path, sampleInfo(), opts);
    for (const Bytes& e : events) w.append(e.data(), e.size());
    w.close();
    EXPECT_EQ(w.eventsWritten(), events.size());
    EXPECT_EQ(w.eventsRejected(), 0u);
    EXPECT_EQ(w.bytesIn(), totalBytes(events));
    EXPECT_EQ(w.bytesOut(), fileSize(path));
  }
  rec::SessionReader r(path);
  EXPECT_EQ(r.info(), sampleInfo());
  EXPECT_FALSE(r.indexRebuilt());
  const ReadOutcome got = readAll(r);
  EXPECT_EQ(got.last, ReadResult::End) << got.error;
  EXPECT_TRUE(got.aligned);
  ASSERT_EQ(got.events.size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) ASSERT_EQ(got.events[i], events[i]) << "event " << i;
  EXPECT_EQ(r.eventsRead(), events.size());
  EXPECT_EQ(r.decompressedBytes(), sizeof(rec::FileHeader) + 3 * sizeof(rec::InstrumentEntry) + totalBytes(events));
  EXPECT_GT(r.index().size(), 3u);
  uint64_t indexed = 0;
  for (const auto& f : r.index()) indexed += f.events;
  EXPECT_EQ(indexed, events.size());
  const common::EventHeader* e = nullptr;
  EXPECT_EQ(r.next(e), ReadResult::End) << "End stays End";
}

TEST(SessionRecording, copiesEventsIntoAnEventBufferOnRequest) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  const auto events = makeEvents(50);
  writeSession(path, events);
  rec::SessionReader r(path);
  common::EventBuffer buf;
  for (const Bytes& e : events) {
    ASSERT_EQ(r.next(buf), ReadResult::Event);
    EXPECT_EQ(0, std::memcmp(buf.bytes, e.data(), e.size()));
  }
  EXPECT_EQ(r.next(buf), ReadResult::End);
}

TEST(SessionRecording, lz4CliDecodesTheFileToTheHeaderFollowedByExactlyTheAppendedEvents) {
  if (!haveLz4Cli()) GTEST_SKIP() << "no lz4 command line tool";
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4"), raw = tmp.file("s.raw");
  const auto events = makeEvents(5'000);
  rec::WriterOptions opts;
  opts.max_frame_bytes = 64 * 1024;
  writeSession(path, events, opts);
  ASSERT_EQ(std::system(("lz4 -d -c -q '" + path + "' > '" + raw + "'").c_str()), 0);
  const Bytes out = readFile(raw);

  rec::FileHeader h;
  ASSERT_GE(out.size(), sizeof h);
  std::memcpy(&h, out.data(), sizeof h);
  EXPECT_EQ(0, std::memcmp(h.magic, "HFTREC01", 8));
  EXPECT_EQ(h.format_version, rec::kFormatVersion);
  EXPECT_EQ(h.schema_version, common::kSchemaVersion);
  EXPECT_EQ(h.start_ns, sampleInfo().start_ns);
  EXPECT_STREQ(h.session, "binance-md-test");
  EXPECT_STREQ(h.venue, "binance");
  ASSERT_EQ(h.instrument_count, 3u);
  ASSERT_EQ(h.header_bytes, sizeof h + 3 * sizeof(rec::InstrumentEntry));
  rec::InstrumentEntry third;
  std::memcpy(&third, out.data() + sizeof h + 2 * sizeof third, sizeof third);
  EXPECT_EQ(third.id, 3u);
  EXPECT_EQ(third.exchange, common::ExchangeId::BinanceFutures);
  EXPECT_EQ(third.price_scale, 1);
  EXPECT_EQ(third.qty_scale, 3);
  EXPECT_STREQ(third.venue_symbol, "BTCUSDT");
  EXPECT_STREQ(third.name, "BINANCE_FUTURES:BTC-USDT-PERP");

  Bytes expected(out.begin(), out.begin() + h.header_bytes);
  for (const Bytes& e : events) expected.insert(expected.end(), e.begin(), e.end());
  EXPECT_EQ(out.size(), expected.size());
  EXPECT_TRUE(out == expected) << "the CLI output is the header followed by the events, nothing else";
}

namespace {

/// Seeks to times before, at, between and after the events (event i at kT0 + i * kTick).
void expectSeeksLandRight(rec::SessionReader& r, uint64_t n) {
  const common::EventHeader* e = nullptr;
  for (uint64_t target : {uint64_t{0}, uint64_t{1}, n / 3, n / 2 + 1, n - 1}) {
    SCOPED_TRACE(target);
    for (common::TimestampNs offset : {common::TimestampNs{0}, -kTick / 2}) {  // at, and just before
      ASSERT_TRUE(r.seekTime(kT0 + static_cast<common::TimestampNs>(target) * kTick + offset));
      ASSERT_EQ(r.next(e), ReadResult::Event) << r.error();
      EXPECT_EQ(sequenceOf(e), target + 1);
      EXPECT_EQ(Bytes(reinterpret_cast<const unsigned char*>(e), reinterpret_cast<const unsigned char*>(e) + e->size),
                makeEvent(target));
      if (target + 1 < n) {
        ASSERT_EQ(r.next(e), ReadResult::Event) << "reading continues after a seek";
        EXPECT_EQ(sequenceOf(e), target + 2);
      }
    }
  }
  ASSERT_TRUE(r.seekTime(kT0 - 1'000'000'000));
  ASSERT_EQ(r.next(e), ReadResult::Event);
  EXPECT_EQ(sequenceOf(e), 1u) << "a time before the session lands on the first event";
  EXPECT_FALSE(r.seekTime(kT0 + static_cast<common::TimestampNs>(n) * kTick)) << "after the last event";
  EXPECT_EQ(r.next(e), ReadResult::End);
}

}  // namespace

TEST(SessionRecording, seekTimeLandsOnTheFirstEventAtOrAfterTheTimeUsingTheTrailerIndex) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  const uint64_t n = 30'000;
  rec::WriterOptions opts;
  opts.max_frame_bytes = 32 * 1024;
  writeSession(path, makeEvents(n), opts);
  rec::SessionReader r(path);
  ASSERT_FALSE(r.indexRebuilt());
  ASSERT_GT(r.index().size(), 50u);
  expectSeeksLandRight(r, n);
}

TEST(SessionRecording, seekTimeLandsOnTheFirstEventAtOrAfterTheTimeWithARebuiltIndex) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4"), cut = tmp.file("cut.bin.lz4");
  const uint64_t n = 30'000;
  rec::WriterOptions opts;
  opts.max_frame_bytes = 32 * 1024;
  writeSession(path, makeEvents(n), opts);
  std::vector<rec::FrameIndexEntry> original;
  {
    rec::SessionReader r(path);
    original = r.index();
  }
  const Bytes file = readFile(path);
  writeFile(cut, file.data(), original.back().file_offset + original.back().frame_bytes);  // no index, no trailer

  rec::SessionReader r(cut);
  EXPECT_TRUE(r.indexRebuilt());
  EXPECT_EQ(r.index(), original) << "the descriptors hold the same index";
  expectSeeksLandRight(r, n);
}

TEST(SessionRecording, seekTimeFindsALateStampedEventInAFrameWhoseLastEventIsEarlier) {
  // Frames index their largest exchange_ts, so seeking is right even when time goes back.
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  auto events = makeEvents(2'000);
  common::EventHeader h;
  std::memcpy(&h, events[500].data(), sizeof h);
  h.exchange_ts_ns = kT0 + 10'000 * kTick;  // far later than every other event
  std::memcpy(events[500].data(), &h, sizeof h);
  rec::WriterOptions opts;
  opts.max_frame_bytes = 8 * 1024;
  writeSession(path, events, opts);

  rec::SessionReader r(path);
  const common::EventHeader* e = nullptr;
  ASSERT_TRUE(r.seekTime(kT0 + 5'000 * kTick));
  ASSERT_EQ(r.next(e), ReadResult::Event);
  EXPECT_EQ(sequenceOf(e), 501u);
  EXPECT_EQ(r.next(e), ReadResult::Event);
  EXPECT_EQ(sequenceOf(e), 502u) << "events after the found one are delivered whatever their time";
}

TEST(SessionRecording, tickEndsAFrameOnlyOnceTheFlushIntervalHasPassedSinceItsFirstEvent) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  const auto events = makeEvents(9);
  constexpr int64_t ms = 1'000'000;
  {
    rec::SessionWriter w(path, sampleInfo());  // flush_interval 100 ms
    w.tick(0);
    for (int i = 0; i < 3; ++i) w.append(events[i].data(), events[i].size());
    const uint64_t before = w.bytesOut();
    w.tick(99 * ms);
    EXPECT_EQ(w.bytesOut(), before) << "99 ms: still the same frame";
    w.tick(100 * ms);
    EXPECT_GT(w.bytesOut(), before) << "100 ms: the frame went to the file";
    for (int i = 3; i < 5; ++i) w.append(events[i].data(), events[i].size());
    w.tick(150 * ms);
    w.tick(199 * ms);
    w.tick(200 * ms);  // 100 ms after the tick that preceded these events
    w.tick(1000 * ms);  // nothing pending: no empty frame
    for (int i = 5; i < 9; ++i) w.append(events[i].data(), events[i].size());
    w.tick(1050 * ms);
    w.close();
  }
  rec::SessionReader r(path);
  ASSERT_EQ(r.index().size(), 3u);
  EXPECT_EQ(r.index()[0].events, 3u);
  EXPECT_EQ(r.index()[1].events, 2u);
  EXPECT_EQ(r.index()[2].events, 4u);
  EXPECT_EQ(r.index()[1].first_event, 3u);
  EXPECT_EQ(r.index()[1].first_ts, kT0 + 3 * kTick);
  EXPECT_EQ(r.index()[1].last_ts, kT0 + 4 * kTick);
  EXPECT_EQ(readAll(r).events.size(), 9u);
}

TEST(SessionRecording, flushPutsEverythingAppendedSoFarInTheFileBeforeClose) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  const auto events = makeEvents(30);
  rec::SessionWriter w(path, sampleInfo());
  for (int i = 0; i < 20; ++i) w.append(events[i].data(), events[i].size());
  w.flush();
  for (int i = 20; i < 30; ++i) w.append(events[i].data(), events[i].size());  // not flushed
  rec::SessionReader r(path);
  EXPECT_TRUE(r.indexRebuilt());
  const ReadOutcome got = readAll(r);
  EXPECT_EQ(got.last, ReadResult::End) << got.error;
  EXPECT_EQ(got.events.size(), 20u);
  w.close();
}

TEST(SessionRecording, aFullFrameEndsBeforeTheEventThatWouldOverflowIt) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  const auto events = makeEvents(3'000);
  rec::WriterOptions opts;
  opts.max_frame_bytes = 4096;
  writeSession(path, events, opts);
  rec::SessionReader r(path);
  const auto& index = r.index();
  ASSERT_GT(index.size(), 20u);
  uint64_t stream = sizeof(rec::FileHeader) + 3 * sizeof(rec::InstrumentEntry), ordinal = 0;
  for (size_t f = 0; f < index.size(); ++f) {
    SCOPED_TRACE(f);
    EXPECT_EQ(index[f].first_event, ordinal);
    EXPECT_EQ(index[f].stream_offset, stream) << "frames start on event boundaries";
    uint64_t bytes = 0;
    for (uint32_t k = 0; k < index[f].events; ++k) bytes += events[ordinal + k].size();
    EXPECT_EQ(index[f].stream_bytes, bytes);
    EXPECT_LE(bytes, opts.max_frame_bytes);
    if (f + 1 < index.size()) {
      EXPECT_GT(bytes + events[ordinal + index[f].events].size(), opts.max_frame_bytes) << "the frame was full";
    }
    ordinal += index[f].events;
    stream += bytes;
  }
  EXPECT_EQ(ordinal, events.size());
  // Each frame decodes alone: jump straight to it.
  const common::EventHeader* e = nullptr;
  for (const auto& f : index) {
    ASSERT_TRUE(r.seekTime(f.first_ts));
    ASSERT_EQ(r.next(e), ReadResult::Event) << r.error();
    EXPECT_EQ(sequenceOf(e), f.first_event + 1);
  }
}

TEST(SessionRecording, theWriterRejectsEventsWithAnInvalidTypeOrSize) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  common::Trade t{};
  t.header = common::makeHeader<common::Trade>(common::ExchangeId::Binance, 1, kT0, kT0);
  rec::SessionWriter w(path, sampleInfo());
  w.append(t.header);
  w.append(&t, sizeof t - 8);  // size argument disagrees with the header
  t.header.size = 72;
  w.append(t.header);  // wrong size for a Trade
  t.header.size = sizeof t;
  t.header.type = common::EventType::Invalid;
  w.append(t.header);
  common::BookDelta d{};
  d.header = common::makeHeader<common::BookDelta>(common::ExchangeId::Binance, 1, kT0, kT0, 90);
  w.append(d.header);  // not kFixedBytes + n * 24
  w.append(&t, 10);    // shorter than a header
  EXPECT_EQ(w.eventsWritten(), 1u);
  EXPECT_EQ(w.eventsRejected(), 5u);
  w.close();
  rec::SessionReader r(path);
  EXPECT_EQ(readAll(r).events.size(), 1u);
}

TEST(SessionRecording, theWriterRefusesToOverwriteAnExistingFileUnlessAskedTo) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  writeSession(path, makeEvents(10));
  try {
    rec::SessionWriter w(path, sampleInfo());
    FAIL() << "overwrote an existing recording";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("exists"), std::string::npos) << e.what();
  }
  rec::WriterOptions opts;
  opts.overwrite = true;
  writeSession(path, makeEvents(3), opts);
  rec::SessionReader r(path);
  EXPECT_EQ(readAll(r).events.size(), 3u);
}

TEST(SessionRecording, theWriterRefusesNamesLongerThanTheirFields) {
  TempDir tmp;
  auto info = sampleInfo();
  info.instruments[1].name = std::string(56, 'x');
  EXPECT_THROW(rec::SessionWriter(tmp.file("a.bin.lz4"), info), std::runtime_error);
  info = sampleInfo();
  info.session = std::string(64, 's');
  EXPECT_THROW(rec::SessionWriter(tmp.file("b.bin.lz4"), info), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(tmp.file("a.bin.lz4"))) << "nothing is created for a bad setup";
}

TEST(SessionRecording, aWriterDestroyedWithoutCloseStillWritesTheTrailer) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  {
    rec::SessionWriter w(path, sampleInfo());
    for (const Bytes& e : makeEvents(100)) w.append(e.data(), e.size());
  }
  rec::SessionReader r(path);
  EXPECT_FALSE(r.indexRebuilt());
  EXPECT_EQ(readAll(r).events.size(), 100u);
}

TEST(SessionRecording, anEmptySessionHasAHeaderAndNoEvents) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  writeSession(path, {});
  rec::SessionReader r(path);
  EXPECT_EQ(r.info(), sampleInfo());
  EXPECT_FALSE(r.indexRebuilt());
  EXPECT_TRUE(r.index().empty());
  const common::EventHeader* e = nullptr;
  EXPECT_EQ(r.next(e), ReadResult::End);
  EXPECT_FALSE(r.seekTime(0));
}

TEST(SessionRecording, theReaderRefusesAMissingFileNamingIt) {
  TempDir tmp;
  const std::string msg = openError(tmp.file("nope.bin.lz4"));
  EXPECT_NE(msg.find("nope.bin.lz4"), std::string::npos) << msg;
  EXPECT_NE(msg.find("No such file"), std::string::npos) << msg;
}

TEST(SessionRecording, theReaderRefusesAnEmptyFile) {
  TempDir tmp;
  const std::string path = tmp.file("empty.bin.lz4");
  writeFile(path, nullptr, 0);
  EXPECT_NE(openError(path).find("empty.bin.lz4 is empty"), std::string::npos) << openError(path);
}

TEST(SessionRecording, theReaderRefusesANonLz4FileNamingTheMagicAtByteZero) {
  TempDir tmp;
  const std::string path = tmp.file("text.bin.lz4");
  const std::string text = "hello, this is not compressed";
  writeFile(path, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  const std::string msg = openError(path);
  EXPECT_NE(msg.find("text.bin.lz4 is not an LZ4 frame file (magic at byte 0 is 0x6C6C6568"), std::string::npos) << msg;
}

TEST(SessionRecording, theReaderRefusesAnLz4FileOfOtherContentAsNotASessionFile) {
  TempDir tmp;
  const std::string path = tmp.file("random.lz4");
  Bytes random(100'000);
  for (size_t i = 0; i < random.size(); ++i) random[i] = static_cast<unsigned char>(mix(i));
  Bytes out(LZ4F_compressFrameBound(random.size(), nullptr));
  const size_t n = LZ4F_compressFrame(out.data(), out.size(), random.data(), random.size(), nullptr);
  ASSERT_FALSE(LZ4F_isError(n));
  writeFile(path, out.data(), n);
  const std::string msg = openError(path);
  EXPECT_NE(msg.find("random.lz4 is not a session file (decompressed header magic is 0x"), std::string::npos) << msg;
}

TEST(SessionRecording, theReaderRefusesAFileMadeByTheLz4CliAsNotASessionFile) {
  if (!haveLz4Cli()) GTEST_SKIP() << "no lz4 command line tool";
  TempDir tmp;
  const std::string raw = tmp.file("notes.txt"), path = tmp.file("notes.txt.lz4");
  std::string text;
  for (int i = 0; i < 20'000; ++i) text += "line " + std::to_string(i) + "\n";
  writeFile(raw, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  ASSERT_EQ(std::system(("lz4 -q '" + raw + "' '" + path + "'").c_str()), 0);
  const std::string msg = openError(path);
  EXPECT_NE(msg.find("notes.txt.lz4 is not a session file (decompressed header magic is 0x6C696E6520300A6C"),
            std::string::npos)  // "line 0\nl"
      << msg;
}

TEST(SessionRecording, theReaderRefusesAnotherEventSchemaVersionNamingBothVersions) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  rec::FileHeader h = validHeader();
  h.schema_version = common::kSchemaVersion + 1;
  writeHeaderOnlyFile(path, h);
  const std::string msg = openError(path);
  EXPECT_NE(msg.find("event schema version " + std::to_string(common::kSchemaVersion + 1) +
                     ", this build uses schema version " + std::to_string(common::kSchemaVersion)),
            std::string::npos)
      << msg;
}

TEST(SessionRecording, theReaderRefusesAnotherFormatVersionNamingBothVersions) {
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  rec::FileHeader h = validHeader();
  h.format_version = rec::kFormatVersion + 1;
  writeHeaderOnlyFile(path, h);
  const std::string msg = openError(path);
  EXPECT_NE(msg.find("recording format version " + std::to_string(rec::kFormatVersion + 1) +
                     ", this reader reads version " + std::to_string(rec::kFormatVersion)),
            std::string::npos)
      << msg;
}

TEST(SessionRecording, aHandMadeHeaderOnlyFileIsAValidEmptySession) {
  // The format is what README.md says: a header frame alone is a session with no events.
  TempDir tmp;
  const std::string path = tmp.file("s.bin.lz4");
  writeHeaderOnlyFile(path, validHeader());
  rec::SessionReader r(path);
  EXPECT_TRUE(r.indexRebuilt());
  const common::EventHeader* e = nullptr;
  EXPECT_EQ(r.next(e), ReadResult::End) << r.error();
}
