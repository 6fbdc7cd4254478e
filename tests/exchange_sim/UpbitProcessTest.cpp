// The shipped binaries: the real datafeed --source upbit against exchange_simulator --market upbit.
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
using hft::test::waitForOutput;

namespace {

/// The number printed before `label` in the datafeed's exit line ("... 123 trades, ...").
long countBefore(const std::string& text, const std::string& label) {
  const size_t at = text.find(" " + label);
  if (at == std::string::npos) return -1;
  size_t start = at;
  while (start > 0 && text[start - 1] >= '0' && text[start - 1] <= '9') --start;
  return start == at ? -1 : std::stol(text.substr(start, at - start));
}

}  // namespace

// datafeed --source upbit publishes trades and books from the simulator's Upbit profile, rides
// an injected disconnect (a reconnect), and ends with 0 parse errors.
TEST(UpbitProcess, realDatafeedPublishesTradesAndBooksFromTheUpbitProfileWithoutParseErrors) {
  const std::string bus = "exsimup" + std::to_string(getpid());
  setenv("HFT_BUS_NAME", bus.c_str(), 1);
  const std::string simLog = "/tmp/exsim_upbit_sim_" + std::to_string(getpid()) + ".log";
  Process sim(bin("exchange_simulator"),
              {"--market", "upbit", "--port", "0", "--symbols", "KRW-BTC,KRW-ETH", "--events-per-second", "1000",
               "--instruments", sourceFile("config/instruments.json")},
              simLog);
  const uint16_t port = listeningPort(sim);
  ASSERT_NE(port, 0) << sim.output();

  const std::string log = "/tmp/exsim_upbit_datafeed_" + std::to_string(getpid()) + ".log";
  Process feed(bin("datafeed"),
               {"--config", sourceFile("config/system.json"), "--source", "upbit", "--symbols", "KRW-BTC,KRW-ETH",
                "--ws-url", "ws://127.0.0.1:" + std::to_string(port) + "/websocket/v1"},
               log);
  EXPECT_TRUE(waitForOutput(feed, "upbit: connected", 15000)) << feed.output();
  usleep(1'000'000);  // some data on the first connection
  {
    Rest client(port);
    EXPECT_EQ(client.call(hft::interfaces::HttpMethod::Post, "/sim/fault?kind=disconnect").status, 200);
  }
  EXPECT_TRUE(waitForOutput(feed, "upbit: reconnected", 15000)) << feed.output();
  usleep(1'000'000);  // and on the second
  feed.signal(SIGTERM);
  EXPECT_EQ(feed.wait(15000), 0) << "datafeed status";
  sim.signal(SIGTERM);
  sim.wait(15000);
  const std::string all = feed.output();
  EXPECT_GT(countBefore(all, "trades,"), 0) << all;
  EXPECT_GT(countBefore(all, "books,"), 0) << all;
  EXPECT_GE(countBefore(all, "reconnects,"), 1) << all;
  EXPECT_EQ(countBefore(all, "parse errors"), 0) << all;
  EXPECT_EQ(countBefore(all, "venue errors,"), 0) << all;
  std::remove(log.c_str());
  std::remove(simLog.c_str());
  unsetenv("HFT_BUS_NAME");
  for (const char* segment : {".md", ".registry"})  // the bus the datafeed made for this test
    std::remove(("/dev/shm/hft." + bus + segment).c_str());
}
