// recording_throughput: the recorded-session format's speed, with the stock lz4 tool as the
// baseline measured in the same run on the same file.
//   1. writer ingest: synthetic events appended through SessionWriter (LZ4 level 1), events/s
//   2. reader decode: SessionReader over the file in the page cache, events/s and MB/s
//   3. baseline: `lz4 -d -c FILE > /dev/null`, MB/s, converted to events/s at the file's
//      mean event size; ratio reader / lz4
// Usage: recording_throughput [--events N] [--file PATH] [--json]
#include <sys/wait.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/Events.h"
#include "data_store/recording/SessionReader.h"
#include "data_store/recording/SessionWriter.h"
#include "gateways/SyntheticMarket.h"

using namespace hft;

namespace {

double seconds(int64_t ns) { return static_cast<double>(ns) / 1e9; }

/// Runs `lz4 -d -c file` with stdout to /dev/null; returns wall seconds, or -1 if it fails.
double timeLz4(const std::string& file) {
  const int64_t t0 = common::monoNowNs();
  const pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    execlp("lz4", "lz4", "-d", "-c", "-q", file.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return seconds(common::monoNowNs() - t0);
}

}  // namespace

int main(int argc, char** argv) {
  common::CommandLine cl("recording_throughput", "Session writer/reader throughput against the stock lz4 tool.");
  cl.option("events", "synthetic events to write", "5000000").option("file", "scratch file", "/tmp/hft-recording-bench.bin.lz4")
      .option("repeat", "decode runs (best is reported)", "3").flag("json", "one JSON object");
  try {
    if (!cl.parse(argc, argv)) return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  const std::string file = cl.get("file");
  const auto n = static_cast<uint64_t>(cl.getInt("events"));

  // Generate first (not timed), so the writer's figure is its own cost only.
  gateways::SyntheticConfig sc;
  sc.max_events = n;
  sc.instruments = {{101, common::ExchangeId::Simulated, 6'500'000, 1, 1000, 2, 8},
                    {102, common::ExchangeId::Simulated, 320'000, 1, 1000, 2, 8},
                    {103, common::ExchangeId::Simulated, 15'000, 1, 1000, 2, 8}};
  gateways::SyntheticMarket market(sc);
  std::vector<unsigned char> events;
  events.reserve(n * 120);
  common::EventBuffer buf{};
  uint64_t seq = 0;
  while (market.next(buf)) {
    buf.header().sequence = ++seq;
    events.insert(events.end(), buf.bytes, buf.bytes + buf.header().size);
  }

  std::filesystem::remove(file);
  data_store::recording::SessionInfo info{"bench", "simulated", sc.start_ns, {}};
  const int64_t w0 = common::monoNowNs();
  data_store::recording::WriterOptions wo;
  wo.fsync_on_close = false;  // measure compression + write(2), not the disk's fsync
  data_store::recording::SessionWriter writer(file, info, wo);
  for (size_t off = 0; off < events.size();) {
    const auto* h = reinterpret_cast<const common::EventHeader*>(events.data() + off);
    writer.append(*h);
    off += h->size;
  }
  writer.close();
  const double writeS = seconds(common::monoNowNs() - w0);

  double bestRead = 1e9, bestLz4 = 1e9;
  uint64_t decoded = 0, decompressedBytes = 0;
  for (int r = 0; r < cl.getInt("repeat"); ++r) {
    const int64_t t0 = common::monoNowNs();
    data_store::recording::SessionReader reader(file);
    const common::EventHeader* e = nullptr;
    uint64_t k = 0, sink = 0;
    while (reader.next(e) == data_store::recording::ReadResult::Event) {
      sink += e->sequence;  // touch each event, as a consumer would
      ++k;
    }
    bestRead = std::min(bestRead, seconds(common::monoNowNs() - t0));
    decoded = k + (sink == 0 ? 1 : 0);
    decompressedBytes = reader.decompressedBytes();
    const double l = timeLz4(file);
    if (l > 0) bestLz4 = std::min(bestLz4, l);
  }
  const double fileMB = static_cast<double>(std::filesystem::file_size(file)) / 1e6;
  const double rawMB = static_cast<double>(writer.bytesIn()) / 1e6;
  const double meanEvent = static_cast<double>(writer.bytesIn()) / static_cast<double>(writer.eventsWritten());
  const double readEps = static_cast<double>(decoded) / bestRead;
  const double lz4Eps = bestLz4 < 1e9 ? static_cast<double>(decompressedBytes) / meanEvent / bestLz4 : 0;
  if (cl.has("json")) {
    std::printf("{\"events\":%" PRIu64 ",\"mean_event_bytes\":%.1f,\"compression_ratio\":%.3f,\"write_events_per_s\":%.0f,"
                "\"write_mb_per_s\":%.1f,\"read_events_per_s\":%.0f,\"read_mb_per_s\":%.1f,\"lz4_cli_events_per_s\":%.0f,"
                "\"lz4_cli_mb_per_s\":%.1f,\"read_vs_lz4\":%.3f}\n",
                writer.eventsWritten(), meanEvent, rawMB / fileMB, static_cast<double>(writer.eventsWritten()) / writeS,
                rawMB / writeS, readEps, rawMB / bestRead, lz4Eps, rawMB / bestLz4, lz4Eps > 0 ? readEps / lz4Eps : 0.0);
  } else {
    std::printf("events %" PRIu64 ", mean %.1f bytes, raw %.1f MB, file %.1f MB, compression ratio %.2f\n",
                writer.eventsWritten(), meanEvent, rawMB, fileMB, rawMB / fileMB);
    std::printf("writer (LZ4 level 1):  %10.0f events/s  %7.1f MB/s\n", static_cast<double>(writer.eventsWritten()) / writeS,
                rawMB / writeS);
    std::printf("reader (page cache):   %10.0f events/s  %7.1f MB/s\n", readEps, rawMB / bestRead);
    if (lz4Eps > 0)
      std::printf("lz4 -d -c (baseline):  %10.0f events/s  %7.1f MB/s   reader/lz4 = %.2f\n", lz4Eps, rawMB / bestLz4,
                  readEps / lz4Eps);
    else
      std::printf("lz4 -d -c: not available\n");
  }
  std::filesystem::remove(file);
  return 0;
}
