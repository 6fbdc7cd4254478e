// Integration: a captured real Binance feed served by exchange_simulator --capture and taken in
// by the live datafeed (WebSocket + REST snapshot, book sync) records the same events as
// `recording import` of that capture. Receive times differ by nature, and so does one thing
// more: where the snapshot lands among the trades and tickers, since the live datafeed asks for
// it over REST and buffers diffs meanwhile (the venue's documented procedure). So: the same
// events (multiset), trades and tickers in the same order, book events in the same order.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "ProcessRunner.h"

using hft::test::bin;
using hft::test::Process;
using hft::test::sourceFile;
using hft::test::waitForOutput;

namespace {

const char* kCapture = "../shared/exchange-samples/market-data/hftbacktest/binance_spot_btcusdt_20240808_2354-2400UTC.gz";


/// The recording's market events as JSON lines without sequence and receive time.
std::vector<std::string> marketEvents(const std::string& recording, const std::string& scratch) {
  Process cat(bin("recording"), {"cat", "--format", "jsonl", recording}, scratch);
  EXPECT_EQ(cat.wait(60000), 0);
  std::vector<std::string> out;
  std::ifstream in(scratch);
  const std::regex volatileFields(R"("sequence":\d+,|,"receive_ts_ns":\d+)");
  for (std::string line; std::getline(in, line);) {
    if (line.find("\"type\":\"Heartbeat\"") != std::string::npos || line.find("\"type\":\"Control\"") != std::string::npos ||
        line.find("\"type\":\"Gap\"") != std::string::npos || line.empty() || line[0] != '{')
      continue;
    out.push_back(std::regex_replace(line, volatileFields, ""));
  }
  return out;
}

bool isBook(const std::string& e) {
  return e.find("\"type\":\"BookDelta\"") != std::string::npos || e.find("\"type\":\"BookSnapshot\"") != std::string::npos;
}

std::vector<std::string> only(const std::vector<std::string>& v, bool book) {
  std::vector<std::string> out;
  for (const auto& e : v)
    if (isBook(e) == book) out.push_back(e);
  return out;
}

}  // namespace

TEST(CaptureReplay, theLiveDatafeedOnACapturedFeedRecordsWhatTheImportOfThatCaptureHas) {
  const std::string capture = sourceFile(kCapture);
  if (!std::filesystem::exists(capture)) GTEST_SKIP() << "no capture sample at " << capture;
  const std::string bus = "cr" + std::to_string(getpid());
  setenv("HFT_BUS_NAME", bus.c_str(), 1);
  const auto dir = std::filesystem::temp_directory_path() / ("hft-" + bus);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  setenv("HFT_LOG_DIR", (dir / "logs").c_str(), 1);
  const std::string system = sourceFile("config/system.json");

  Process import(bin("recording"), {"import", "--format", "binance-ws-capture", "--config", system, "--out",
                                    (dir / "import.bin.lz4").string(), capture},
                 (dir / "import.txt").string());
  ASSERT_EQ(import.wait(60000), 0) << import.output();

  std::string live;
  {
    Process sim(bin("exchange_simulator"), {"--port", "0", "--capture", capture, "--speed", "0", "--instruments",
                                            sourceFile("config/instruments.json")},
                (dir / "sim.txt").string());
    const uint16_t simPort = hft::test::listeningPort(sim);
    ASSERT_NE(simPort, 0) << sim.output();
    const std::string port = std::to_string(simPort);
    Process feed(bin("datafeed"), {"--config", system, "--source", "binance", "--symbols", "BTCUSDT", "--rest-url",
                                   "http://127.0.0.1:" + port, "--ws-url", "ws://127.0.0.1:" + port + "/stream"},
                 (dir / "feed.txt").string());
    // --from-oldest: whatever the feed published before the recorder attached is still in the ring.
    Process recorder(bin("data_recorder"),
                     {"--config", system, "--out", (dir / "rec").string(), "--session", "live", "--no-exec", "--from-oldest"},
                     (dir / "rec.txt").string());
    // The simulator closes the stream at the end of the capture: the first connection is the whole capture.
    ASSERT_TRUE(waitForOutput(feed, "disconnected", 120000)) << feed.output();
    feed.signal(SIGTERM);
    EXPECT_EQ(feed.wait(15000), 0) << feed.output();
    EXPECT_NE(feed.output().find(" 0 parse errors"), std::string::npos) << feed.output();
    recorder.signal(SIGTERM);
    ASSERT_EQ(recorder.wait(30000), 0) << recorder.output();
    sim.signal(SIGTERM);
    sim.wait(10000);
    for (const auto& f : std::filesystem::recursive_directory_iterator(dir / "rec"))
      if (f.path().string().ends_with(".bin.lz4")) live = f.path().string();
  }
  ASSERT_FALSE(live.empty());

  const std::vector<std::string> imported = marketEvents((dir / "import.bin.lz4").string(), (dir / "a.jsonl").string());
  std::vector<std::string> recorded = marketEvents(live, (dir / "b.jsonl").string());
  ASSERT_GT(imported.size(), 10000u);
  // After the capture's end the datafeed reconnects and gets it again: keep the first pass.
  ASSERT_GE(recorded.size(), imported.size());
  recorded.resize(imported.size());

  EXPECT_EQ(only(recorded, false), only(imported, false)) << "trades and tickers, in order";
  EXPECT_EQ(only(recorded, true), only(imported, true)) << "book snapshot chain and diffs, in order";
  std::vector<std::string> a = imported, b = recorded;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_TRUE(a == b) << "the same events";
  if (!HasFailure()) std::filesystem::remove_all(dir);
  unsetenv("HFT_LOG_DIR");
}
