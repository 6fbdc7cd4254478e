// The shipped binary: build/bin/exchange_simulator --port 0 prints its port and answers REST.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "ProcessRunner.h"
#include "SimClients.h"

using namespace hft::exchange_sim_test;
using hft::test::bin;
using hft::test::listeningPort;
using hft::test::Process;
using hft::test::sourceFile;

TEST(ExchangeSimProcess, binaryListensOnAnEphemeralPortAndAnswersRest) {
  const std::string simLog = "/tmp/exsim_binary_" + std::to_string(getpid()) + ".log";
  Process sim(bin("exchange_simulator"),
              {"--port", "0", "--symbols", "BTCUSDT", "--instruments", sourceFile("config/instruments.json")}, simLog);
  const uint16_t port = listeningPort(sim);
  ASSERT_NE(port, 0) << "no port from exchange_simulator: " << sim.output();
  const std::string prefix = "exchange_simulator: listening on 127.0.0.1:";
  ASSERT_EQ(sim.output().rfind(prefix, 0), 0u) << sim.output();
  {
    Rest rest(port);
    const Reply time = rest.get("/api/v3/time");
    EXPECT_EQ(time.status, 200);
    EXPECT_NE(time.body.find("serverTime"), std::string::npos);
    const Reply info = rest.get("/api/v3/exchangeInfo");
    EXPECT_NE(info.body.find("\"symbol\":\"BTCUSDT\""), std::string::npos);
    EXPECT_NE(info.body.find("PRICE_FILTER"), std::string::npos);
  }
  sim.signal(SIGTERM);
  EXPECT_EQ(sim.wait(15000), 0) << sim.output();
  std::remove(simLog.c_str());
}

TEST(ExchangeSimProcess, badMarketOptionIsRefusedWithItsName) {
  const std::string cmd = std::string(HFT_BIN_DIR) + "/exchange_simulator --market bogus --check-config 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[512] = {};
  const size_t n = fread(buf, 1, sizeof buf - 1, p);
  const int rc = pclose(p);
  EXPECT_NE(std::string(buf, n).find("--market"), std::string::npos);
  EXPECT_NE(rc, 0);
}

namespace {

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

template <class P>
bool waitUntil(P pred, int ms) {
  for (int i = 0; i < ms / 10; ++i) {
    if (pred()) return true;
    usleep(10'000);
  }
  return pred();
}

/// The bus a test's datafeed makes (HFT_BUS_NAME for the children), removed at the end.
struct TestBus {
  std::string name;
  explicit TestBus(const std::string& prefix) : name(prefix + std::to_string(getpid())) {
    setenv("HFT_BUS_NAME", name.c_str(), 1);
  }
  ~TestBus() {
    unsetenv("HFT_BUS_NAME");
    for (const char* segment : {".md", ".registry"}) std::remove(("/dev/shm/hft." + name + segment).c_str());
  }
};

}  // namespace

// The real datafeed (BinanceGateway) against the simulator: it syncs its books, detects an
// injected gap and resyncs from a new snapshot, without a parse error.
TEST(ExchangeSimProcess, realDatafeedSyncsDetectsAnInjectedGapAndResyncs) {
  const TestBus bus("exsim");
  const std::string simLog = "/tmp/exsim_sim_" + std::to_string(getpid()) + ".log";
  Process sim(bin("exchange_simulator"),
              {"--port", "0", "--symbols", "BTCUSDT", "--events-per-second", "1000", "--instruments",
               sourceFile("config/instruments.json")},
              simLog);
  const uint16_t port = listeningPort(sim);
  ASSERT_NE(port, 0) << sim.output();
  const std::string url = "127.0.0.1:" + std::to_string(port);

  const std::string log = "/tmp/exsim_datafeed_" + std::to_string(getpid()) + ".log";
  Process feed(bin("datafeed"),
               {"--config", sourceFile("config/system.json"), "--source", "binance", "--symbols", "BTCUSDT", "--rest-url",
                "http://" + url, "--ws-url", "ws://" + url + "/stream"},
               log);
  EXPECT_TRUE(waitUntil([&] { return count(feed.output(), "book synced on snapshot") >= 1; }, 15000)) << feed.output();
  {
    Rest client(port);
    EXPECT_EQ(client.call(hft::interfaces::HttpMethod::Post, "/sim/fault?kind=gap").status, 200);
  }
  EXPECT_TRUE(waitUntil([&] { return count(feed.output(), "book synced on snapshot") >= 2; }, 15000)) << feed.output();
  feed.signal(SIGTERM);
  feed.wait(15000);
  sim.signal(SIGTERM);
  sim.wait(15000);
  const std::string all = feed.output();
  EXPECT_NE(all.find("not contiguous"), std::string::npos) << all;
  EXPECT_NE(all.find(" 0 parse errors"), std::string::npos) << all;
  std::remove(log.c_str());
  std::remove(simLog.c_str());
}

// The real datafeed on USD-M against `exchange_simulator --market usdm`: one --ws-url gives both
// routes (/public/stream for books, /market/stream for trades; the simulator serves every stream
// on either), the book syncs and trades arrive on the /market connection.
TEST(ExchangeSimProcess, realFuturesDatafeedTakesBooksFromPublicAndTradesFromMarketRoute) {
  const TestBus bus("exsimf");
  const std::string simLog = "/tmp/exsim_futures_sim_" + std::to_string(getpid()) + ".log";
  Process sim(bin("exchange_simulator"),
              {"--port", "0", "--market", "usdm", "--symbols", "BTCUSDT", "--events-per-second", "1000", "--instruments",
               sourceFile("config/instruments.json")},
              simLog);
  const uint16_t port = listeningPort(sim);
  ASSERT_NE(port, 0) << sim.output();
  const std::string url = "127.0.0.1:" + std::to_string(port);

  const std::string log = "/tmp/exsim_futures_datafeed_" + std::to_string(getpid()) + ".log";
  Process feed(bin("datafeed"),
               {"--config", sourceFile("config/system.json"), "--source", "binance_futures", "--symbols", "BTCUSDT",
                "--rest-url", "http://" + url, "--ws-url", "ws://" + url + "/stream"},
               log);
  EXPECT_TRUE(waitUntil([&] { return count(feed.output(), "book synced on snapshot") >= 1; }, 15000)) << feed.output();
  usleep(500'000);  // some trades at 1000 events/s
  feed.signal(SIGTERM);
  feed.wait(15000);
  sim.signal(SIGTERM);
  sim.wait(15000);
  const std::string all = feed.output();
  EXPECT_NE(all.find("connected to ws://" + url + "/public/stream"), std::string::npos) << all;
  EXPECT_NE(all.find("connected to ws://" + url + "/market/stream"), std::string::npos) << all;
  EXPECT_NE(all.find(" 0 parse errors"), std::string::npos) << all;
  const std::string marker = "/market (trades): ";
  const size_t at = all.find(marker);
  ASSERT_NE(at, std::string::npos) << all;
  EXPECT_GT(std::stoull(all.substr(at + marker.size())), 1u) << all;  // more than the SUBSCRIBE reply
  EXPECT_EQ(all.find("Trade 0,"), std::string::npos) << all;
  std::remove(log.c_str());
  std::remove(simLog.c_str());
}
