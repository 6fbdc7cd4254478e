// The shipped binary: build/bin/exchange_simulator --port 0 prints its port and answers REST.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "SimClients.h"

using namespace hft::exchange_sim_test;

TEST(ExchangeSimProcess, binaryListensOnAnEphemeralPortAndAnswersRest) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    const std::string bin = std::string(HFT_BIN_DIR) + "/exchange_simulator";
    const std::string instruments = std::string(HFT_SOURCE_DIR) + "/config/instruments.json";
    execl(bin.c_str(), bin.c_str(), "--port", "0", "--symbols", "BTCUSDT", "--instruments", instruments.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  FILE* f = fdopen(out[0], "r");
  char line[256] = {};
  ASSERT_NE(fgets(line, sizeof line, f), nullptr) << "no output from exchange_simulator";
  const std::string text(line);
  const std::string prefix = "exchange_simulator: listening on 127.0.0.1:";
  ASSERT_EQ(text.rfind(prefix, 0), 0u) << text;
  const auto port = static_cast<uint16_t>(std::stoi(text.substr(prefix.size())));
  {
    Rest rest(port);
    const Reply time = rest.get("/api/v3/time");
    EXPECT_EQ(time.status, 200);
    EXPECT_NE(time.body.find("serverTime"), std::string::npos);
    const Reply info = rest.get("/api/v3/exchangeInfo");
    EXPECT_NE(info.body.find("\"symbol\":\"BTCUSDT\""), std::string::npos);
    EXPECT_NE(info.body.find("PRICE_FILTER"), std::string::npos);
  }
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  fclose(f);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
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

std::string slurp(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return {};
  std::string s;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
  std::fclose(f);
  return s;
}

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

}  // namespace

// The real datafeed (BinanceGateway) against the simulator: it syncs its books, detects an
// injected gap and resyncs from a new snapshot, without a parse error.
TEST(ExchangeSimProcess, realDatafeedSyncsDetectsAnInjectedGapAndResyncs) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  const pid_t sim = fork();
  ASSERT_GE(sim, 0);
  if (sim == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    const std::string bin = std::string(HFT_BIN_DIR) + "/exchange_simulator";
    const std::string instruments = std::string(HFT_SOURCE_DIR) + "/config/instruments.json";
    execl(bin.c_str(), bin.c_str(), "--port", "0", "--symbols", "BTCUSDT", "--events-per-second", "1000",
          "--instruments", instruments.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  FILE* f = fdopen(out[0], "r");
  char line[256] = {};
  ASSERT_NE(fgets(line, sizeof line, f), nullptr);
  const std::string text(line);
  const auto port = std::stoi(text.substr(text.rfind(':') + 1));
  const std::string url = "127.0.0.1:" + std::to_string(port);

  const std::string log = "/tmp/exsim_datafeed_" + std::to_string(getpid()) + ".log";
  const pid_t feed = fork();
  ASSERT_GE(feed, 0);
  if (feed == 0) {
    FILE* o = std::freopen(log.c_str(), "w", stdout);
    (void)o;
    dup2(STDOUT_FILENO, STDERR_FILENO);
    setenv("HFT_BUS_NAME", ("exsim" + std::to_string(getppid())).c_str(), 1);
    const std::string bin = std::string(HFT_BIN_DIR) + "/datafeed";
    const std::string config = std::string(HFT_SOURCE_DIR) + "/config/system.json";
    const std::string rest = "http://" + url, ws = "ws://" + url + "/stream";
    execl(bin.c_str(), bin.c_str(), "--config", config.c_str(), "--source", "binance", "--symbols", "BTCUSDT",
          "--rest-url", rest.c_str(), "--ws-url", ws.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  EXPECT_TRUE(waitUntil([&] { return count(slurp(log), "book synced on snapshot") >= 1; }, 15000)) << slurp(log);
  {
    Rest client(static_cast<uint16_t>(port));
    EXPECT_EQ(client.call(hft::interfaces::HttpMethod::Post, "/sim/fault?kind=gap").status, 200);
  }
  EXPECT_TRUE(waitUntil([&] { return count(slurp(log), "book synced on snapshot") >= 2; }, 15000)) << slurp(log);
  kill(feed, SIGTERM);
  int status = 0;
  waitpid(feed, &status, 0);
  kill(sim, SIGTERM);
  waitpid(sim, &status, 0);
  fclose(f);
  const std::string all = slurp(log);
  EXPECT_NE(all.find("not contiguous"), std::string::npos) << all;
  EXPECT_NE(all.find(" 0 parse errors"), std::string::npos) << all;
  std::remove(log.c_str());
  for (const char* segment : {".md", ".registry"})  // the bus the datafeed made for this test
    std::remove(("/dev/shm/hft.exsim" + std::to_string(getpid()) + segment).c_str());
}

// The real datafeed on USD-M against `exchange_simulator --market usdm`: one --ws-url gives both
// routes (/public/stream for books, /market/stream for trades; the simulator serves every stream
// on either), the book syncs and trades arrive on the /market connection.
TEST(ExchangeSimProcess, realFuturesDatafeedTakesBooksFromPublicAndTradesFromMarketRoute) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  const pid_t sim = fork();
  ASSERT_GE(sim, 0);
  if (sim == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    const std::string bin = std::string(HFT_BIN_DIR) + "/exchange_simulator";
    const std::string instruments = std::string(HFT_SOURCE_DIR) + "/config/instruments.json";
    execl(bin.c_str(), bin.c_str(), "--port", "0", "--market", "usdm", "--symbols", "BTCUSDT", "--events-per-second",
          "1000", "--instruments", instruments.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  FILE* f = fdopen(out[0], "r");
  char line[256] = {};
  ASSERT_NE(fgets(line, sizeof line, f), nullptr);
  const std::string text(line);
  const auto port = std::stoi(text.substr(text.rfind(':') + 1));
  const std::string url = "127.0.0.1:" + std::to_string(port);

  const std::string log = "/tmp/exsim_futures_datafeed_" + std::to_string(getpid()) + ".log";
  const pid_t feed = fork();
  ASSERT_GE(feed, 0);
  if (feed == 0) {
    FILE* o = std::freopen(log.c_str(), "w", stdout);
    (void)o;
    dup2(STDOUT_FILENO, STDERR_FILENO);
    setenv("HFT_BUS_NAME", ("exsimf" + std::to_string(getppid())).c_str(), 1);
    const std::string bin = std::string(HFT_BIN_DIR) + "/datafeed";
    const std::string config = std::string(HFT_SOURCE_DIR) + "/config/system.json";
    const std::string rest = "http://" + url, ws = "ws://" + url + "/stream";
    execl(bin.c_str(), bin.c_str(), "--config", config.c_str(), "--source", "binance_futures", "--symbols", "BTCUSDT",
          "--rest-url", rest.c_str(), "--ws-url", ws.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  EXPECT_TRUE(waitUntil([&] { return count(slurp(log), "book synced on snapshot") >= 1; }, 15000)) << slurp(log);
  usleep(500'000);  // some trades at 1000 events/s
  kill(feed, SIGTERM);
  int status = 0;
  waitpid(feed, &status, 0);
  kill(sim, SIGTERM);
  waitpid(sim, &status, 0);
  fclose(f);
  const std::string all = slurp(log);
  EXPECT_NE(all.find("connected to ws://" + url + "/public/stream"), std::string::npos) << all;
  EXPECT_NE(all.find("connected to ws://" + url + "/market/stream"), std::string::npos) << all;
  EXPECT_NE(all.find(" 0 parse errors"), std::string::npos) << all;
  const std::string marker = "/market (trades): ";
  const size_t at = all.find(marker);
  ASSERT_NE(at, std::string::npos) << all;
  EXPECT_GT(std::stoull(all.substr(at + marker.size())), 1u) << all;  // more than the SUBSCRIBE reply
  EXPECT_EQ(all.find("Trade 0,"), std::string::npos) << all;
  std::remove(log.c_str());
  for (const char* segment : {".md", ".registry"})
    std::remove(("/dev/shm/hft.exsimf" + std::to_string(getpid()) + segment).c_str());
}
