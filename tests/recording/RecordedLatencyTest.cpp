// Replayed order latency for backtests, measured from the execution reports of a recorded live
// session (execution_engine/backtest/RecordedLatency.h).
#include "execution_engine/backtest/RecordedLatency.h"

#include <gtest/gtest.h>

#include "RecordingTestUtil.h"
#include "config/ConfigError.h"

using namespace hft;
using namespace hft::test;
namespace bt = hft::execution_engine::backtest;

namespace {
Bytes report(common::ExecType type, common::TimestampNs sent, common::TimestampNs venue) {
  common::ExecutionReport r{};
  r.header = common::makeHeader<common::ExecutionReport>(common::ExchangeId::Binance, 1, venue, venue + 1000);
  r.exec_type = type;
  r.local_send_ts_ns = sent;
  r.venue_ts_ns = venue;
  const auto* p = reinterpret_cast<const unsigned char*>(&r);
  return Bytes(p, p + sizeof r);
}

struct TempFile {
  std::string path = (std::filesystem::temp_directory_path() / ("hft-lat-" + std::to_string(getpid()) + ".bin.lz4")).string();
  ~TempFile() { std::filesystem::remove(path); }
};
}  // namespace

TEST(RecordedLatency, everyNewAckWithBothTimesIsOneSampleInRecordingOrder) {
  TempFile f;
  std::vector<Bytes> events;  // market data around them is skipped
  for (const Bytes& e : makeEvents(50))
    if (reinterpret_cast<const common::EventHeader*>(e.data())->type != common::EventType::ExecutionReport) events.push_back(e);
  ASSERT_GT(events.size(), 20u);
  events.push_back(report(common::ExecType::New, kT0, kT0 + 300'000));
  events.push_back(report(common::ExecType::Filled, kT0, kT0 + 900'000));  // not an ack: not a sample
  events.push_back(report(common::ExecType::New, kT0 + 10, kT0 + 10 + 250'000));
  events.push_back(report(common::ExecType::New, 0, kT0 + 5));                // no send time: skipped
  events.push_back(report(common::ExecType::New, kT0 + 100, kT0 + 50));       // venue before send: skipped
  writeSession(f.path, events);
  const bt::RecordedLatency m = bt::readRecordedLatency({f.path});
  EXPECT_TRUE(m.errors.empty());
  EXPECT_EQ(m.reports, 5u);
  EXPECT_EQ(m.skipped, 2u);
  EXPECT_EQ(m.samples_ns, (std::vector<int64_t>{300'000, 250'000}));
}

TEST(RecordedLatency, aBacktestConfigNamingRecordingsGetsTheirSamples) {
  TempFile f;
  writeSession(f.path, {report(common::ExecType::New, kT0, kT0 + 400'000)});
  nlohmann::json sim = {{"order_latency", {{"kind", "replayed"}, {"recordings", {f.path}}}},
                        {"ack_latency", {{"kind", "constant"}, {"ns", 5}}}};
  bt::resolveRecordedLatency(sim, "bt.json");
  EXPECT_EQ(sim["order_latency"]["samples_ns"], nlohmann::json::array({400'000}));
  EXPECT_FALSE(sim["order_latency"].contains("recordings"));
  EXPECT_EQ(sim["ack_latency"]["ns"], 5) << "other models untouched";
}

TEST(RecordedLatency, aRecordingWithoutAcksOrAMissingFileIsAConfigErrorNamingTheKey) {
  TempFile f;
  std::vector<Bytes> md;
  for (const Bytes& e : makeEvents(20))
    if (reinterpret_cast<const common::EventHeader*>(e.data())->type != common::EventType::ExecutionReport) md.push_back(e);
  writeSession(f.path, md);
  nlohmann::json sim = {{"order_latency", {{"kind", "replayed"}, {"recordings", {f.path}}}}};
  try {
    bt::resolveRecordedLatency(sim, "bt.json");
    FAIL() << "no samples must be an error";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("bt.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("simulation.order_latency.recordings"), std::string::npos) << e.what();
  }
  nlohmann::json missing = {{"order_latency", {{"kind", "replayed"}, {"recordings", {"/nonexistent/x.bin.lz4"}}}}};
  EXPECT_THROW(bt::resolveRecordedLatency(missing, "bt.json"), config::ConfigError);
}
