// Integration: record a live bus with the real data_recorder, check the file with the
// recording tool, replay it through datafeed (paced, lockstep, damaged), all as processes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "ProcessRunner.h"

using hft::test::bin;
using hft::test::Process;
using hft::test::sourceFile;
namespace fs = std::filesystem;

namespace {

class RecordReplay : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    bus_ = "rr" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    setenv("HFT_BUS_NAME", bus_.c_str(), 1);
    dir_ = fs::temp_directory_path() / ("hft-" + bus_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    for (const auto& e : fs::directory_iterator("/dev/shm"))
      if (e.path().filename().string().rfind("hft." + bus_ + ".", 0) == 0) fs::remove(e.path());
    fs::remove_all(dir_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  static std::vector<std::string> cfg(std::vector<std::string> args) {
    args.push_back("--config");
    args.push_back(sourceFile("config/system.json"));
    return args;
  }
  static nlohmann::json json(const std::string& text) {
    std::istringstream in(text);
    nlohmann::json last;
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line[0] == '{') last = nlohmann::json::parse(line);
    return last;
  }
  /// Generates a synthetic session file with the recording tool.
  std::string generated(uint64_t events) {
    const std::string f = path("gen.bin.lz4");
    Process g(bin("recording"), cfg({"generate", "--events", std::to_string(events), "--out", f}), path("gen.txt"));
    EXPECT_EQ(g.wait(), 0) << g.output();
    return f;
  }
  std::string bus_;
  fs::path dir_;
};

}  // namespace

TEST_F(RecordReplay, recorderWritesEveryBusEventIntoAVerifiableSessionThatReplaysIdentically) {
  Process rec(bin("data_recorder"), cfg({"--out", path("data"), "--until-end"}), path("rec.txt"));
  Process feed(bin("datafeed"), cfg({"--events", "100000", "--speed", "0", "--wait-for-consumers", "1"}), path("feed.txt"));
  ASSERT_EQ(feed.wait(), 0) << feed.output();
  ASSERT_EQ(rec.wait(), 0) << rec.output();
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(path("data")))
    if (e.path().string().ends_with(".bin.lz4")) files.push_back(e.path().string());
  ASSERT_EQ(files.size(), 1u) << rec.output();
  EXPECT_NE(files[0].find("/simulated/"), std::string::npos) << "data/<venue>/<date>/<session>.bin.lz4";

  Process verify(bin("recording"), {"verify", files[0]}, path("verify.txt"));
  EXPECT_EQ(verify.wait(), 0) << verify.output();
  Process info(bin("recording"), {"info", "--json", files[0]}, path("info.txt"));
  ASSERT_EQ(info.wait(), 0) << info.output();
  const auto recorded = json(info.output());
  EXPECT_EQ(recorded["events_by_type"]["BookDelta"].get<uint64_t>() + recorded["events_by_type"]["Trade"].get<uint64_t>() +
                recorded["events_by_type"]["BestBidOffer"].get<uint64_t>() +
                recorded["events_by_type"]["BookSnapshot"].get<uint64_t>(),
            100000u);

  // Replay it onto a fresh bus: a consumer sees exactly the recorded market data.
  setenv("HFT_BUS_NAME", (bus_ + "r").c_str(), 1);
  Process mon(bin("bus_monitor"), cfg({"--until-end", "--json"}), path("mon.txt"));
  Process replay(bin("datafeed"), cfg({"--replay", files[0], "--speed", "0", "--wait-for-consumers", "1"}), path("replay.txt"));
  ASSERT_EQ(replay.wait(), 0) << replay.output();
  ASSERT_EQ(mon.wait(), 0) << mon.output();
  const auto seen = json(mon.output());
  for (const char* t : {"Trade", "BestBidOffer", "BookDelta", "BookSnapshot"})
    EXPECT_EQ(seen["events_by_type"][t], recorded["events_by_type"][t]) << t;
  EXPECT_EQ(seen["lost"].get<uint64_t>(), 0u);
  setenv("HFT_BUS_NAME", bus_.c_str(), 1);
  for (const auto& e : fs::directory_iterator("/dev/shm"))
    if (e.path().filename().string().rfind("hft." + bus_ + "r.", 0) == 0) fs::remove(e.path());
}

TEST_F(RecordReplay, lockstepNeverLapsASlowConsumer) {
  const std::string f = generated(20000);
  Process mon(bin("bus_monitor"), cfg({"--until-end", "--json", "--lockstep", "--slow-us", "20"}), path("mon.txt"));
  Process replay(bin("datafeed"), cfg({"--replay", f, "--speed", "0", "--lockstep", "--wait-for-consumers", "1"}),
                 path("replay.txt"));
  ASSERT_EQ(replay.wait(), 0) << replay.output();
  ASSERT_EQ(mon.wait(), 0) << mon.output();
  const auto seen = json(mon.output());
  EXPECT_EQ(seen["lost"].get<uint64_t>(), 0u) << mon.output();
  EXPECT_EQ(seen["events"].get<uint64_t>(), 20002u) << "20000 events + start and end markers";
  EXPECT_NE(replay.output().find("in lockstep"), std::string::npos);
}

TEST_F(RecordReplay, damagedFileReplaysEverythingBeforeTheDamageThenSaysWhereItStopped) {
  const std::string f = generated(50000);
  const auto size = fs::file_size(f);
  fs::resize_file(f, size / 2);  // a recorder killed mid-write
  Process verify(bin("recording"), {"verify", f}, path("verify.txt"));
  EXPECT_NE(verify.wait(), 0);
  EXPECT_NE(verify.output().find("FAILED"), std::string::npos) << verify.output();
  Process mon(bin("bus_monitor"), cfg({"--until-end", "--json"}), path("mon.txt"));
  Process replay(bin("datafeed"), cfg({"--replay", f, "--speed", "0", "--wait-for-consumers", "1"}), path("replay.txt"));
  EXPECT_EQ(replay.wait(), 1) << replay.output();
  ASSERT_EQ(mon.wait(), 0) << mon.output();
  const std::string out = replay.output();
  EXPECT_NE(out.find("replay stopped early"), std::string::npos) << out;
  EXPECT_NE(out.find(f), std::string::npos) << "names the file: " << out;
  EXPECT_NE(out.find("offset"), std::string::npos) << "says where: " << out;
  const auto seen = json(mon.output());
  EXPECT_GT(seen["events"].get<uint64_t>(), 10000u) << "the intact first half was replayed";
  EXPECT_LT(seen["events"].get<uint64_t>(), 50000u);
}

TEST_F(RecordReplay, generateIsDeterministicAndCutMergeCatAgree) {
  const std::string a = generated(30000);
  const std::string b = path("gen2.bin.lz4");
  Process g(bin("recording"), cfg({"generate", "--events", "30000", "--out", b}), path("gen2.txt"));
  ASSERT_EQ(g.wait(), 0);
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  const std::string ba((std::istreambuf_iterator<char>(fa)), {}), bb((std::istreambuf_iterator<char>(fb)), {});
  EXPECT_TRUE(ba == bb) << "same seed and config give a byte-identical session";

  Process info(bin("recording"), {"info", "--json", a}, path("info.txt"));
  ASSERT_EQ(info.wait(), 0);
  const auto i = json(info.output());
  const int64_t first = i["first_ts_ns"], last = i["last_ts_ns"];
  const int64_t mid = first + (last - first) / 2;
  Process c1(bin("recording"), {"cut", a, "--to", std::to_string(mid), "--out", path("c1.bin.lz4")}, path("c1.txt"));
  Process c2(bin("recording"), {"cut", a, "--from", std::to_string(mid + 1), "--out", path("c2.bin.lz4")}, path("c2.txt"));
  ASSERT_EQ(c1.wait(), 0) << c1.output();
  ASSERT_EQ(c2.wait(), 0) << c2.output();
  Process m(bin("recording"), {"merge", "--out", path("m.bin.lz4"), path("c2.bin.lz4"), path("c1.bin.lz4")}, path("m.txt"));
  ASSERT_EQ(m.wait(), 0) << m.output();
  EXPECT_NE(m.output().find("merged 30000 events"), std::string::npos) << m.output();
  Process v(bin("recording"), {"verify", path("m.bin.lz4")}, path("v.txt"));
  EXPECT_EQ(v.wait(), 0) << v.output();
  Process cat(bin("recording"), {"cat", "--format", "jsonl", path("m.bin.lz4")}, path("cat.txt"));
  ASSERT_EQ(cat.wait(), 0);
  std::istringstream lines(cat.output());
  uint64_t n = 0;
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);  // every line is valid JSON
    EXPECT_TRUE(j.contains("type"));
    ++n;
  }
  EXPECT_EQ(n, 30000u);
}

TEST_F(RecordReplay, badInputToTheToolIsAClearError) {
  const std::string notLz4 = path("plain.bin.lz4");
  std::ofstream(notLz4) << "this is not lz4 at all";
  Process v(bin("recording"), {"verify", notLz4}, path("v.txt"));
  EXPECT_NE(v.wait(), 0);
  EXPECT_NE(v.output().find("plain.bin.lz4"), std::string::npos) << v.output();
  const std::string empty = path("empty.bin.lz4");
  std::ofstream(empty).close();
  Process e(bin("recording"), {"info", empty}, path("e.txt"));
  EXPECT_NE(e.wait(), 0);
  EXPECT_NE(e.output().find("empty"), std::string::npos) << e.output();
  Process r(bin("datafeed"), cfg({"--replay", notLz4}), path("r.txt"));
  EXPECT_EQ(r.wait(), 2);
  EXPECT_NE(r.output().find("plain.bin.lz4"), std::string::npos) << r.output();
  // generate of venue instruments: each bad option named with what was wrong.
  const std::vector<std::pair<std::vector<std::string>, std::string>> badGenerate{
      {{"--instruments", "binance:NOPE"}, "--instruments: a name is not in the instrument registry"},
      {{"--instruments", "binance:BTCUSDT", "--start-prices", "binance:BTCUSDT=abc"},
       "--start-prices: bad price 'abc' for binance:BTCUSDT"},
      {{"--instruments", "binance:BTCUSDT", "--start-prices", "upbit:KRW-BTC=140000000"},
       "--start-prices: upbit:KRW-BTC is not a generated instrument"},
      {{"--instruments", "binance:BTCUSDT", "--start-prices", "65000"}, "--start-prices: expected NAME=DECIMAL, found '65000'"}};
  for (const auto& [args, error] : badGenerate) {
    std::vector<std::string> all{"generate", "--events", "10", "--out", path("bad-gen.bin.lz4")};
    all.insert(all.end(), args.begin(), args.end());
    Process g(bin("recording"), cfg(all), path("g.txt"));
    EXPECT_NE(g.wait(), 0);
    EXPECT_NE(g.output().find(error), std::string::npos) << g.output();
  }
}
