// The shipped binaries: the real datafeed --source upbit against exchange_simulator --market upbit.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "SimClients.h"

using namespace hft::exchange_sim_test;

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

template <class P>
bool waitUntil(P pred, int ms) {
  for (int i = 0; i < ms / 10; ++i) {
    if (pred()) return true;
    usleep(10'000);
  }
  return pred();
}

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
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  const pid_t sim = fork();
  ASSERT_GE(sim, 0);
  if (sim == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    const std::string bin = std::string(HFT_BIN_DIR) + "/exchange_simulator";
    const std::string instruments = std::string(HFT_SOURCE_DIR) + "/config/instruments.json";
    execl(bin.c_str(), bin.c_str(), "--market", "upbit", "--port", "0", "--symbols", "KRW-BTC,KRW-ETH",
          "--events-per-second", "1000", "--instruments", instruments.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  FILE* f = fdopen(out[0], "r");
  char line[256] = {};
  ASSERT_NE(fgets(line, sizeof line, f), nullptr);
  const std::string text(line);
  const auto port = std::stoi(text.substr(text.rfind(':') + 1));

  const std::string log = "/tmp/exsim_upbit_datafeed_" + std::to_string(getpid()) + ".log";
  const pid_t feed = fork();
  ASSERT_GE(feed, 0);
  if (feed == 0) {
    FILE* o = std::freopen(log.c_str(), "w", stdout);
    (void)o;
    dup2(STDOUT_FILENO, STDERR_FILENO);
    setenv("HFT_BUS_NAME", ("exsimup" + std::to_string(getppid())).c_str(), 1);
    const std::string bin = std::string(HFT_BIN_DIR) + "/datafeed";
    const std::string config = std::string(HFT_SOURCE_DIR) + "/config/system.json";
    const std::string ws = "ws://127.0.0.1:" + std::to_string(port) + "/websocket/v1";
    execl(bin.c_str(), bin.c_str(), "--config", config.c_str(), "--source", "upbit", "--symbols", "KRW-BTC,KRW-ETH",
          "--ws-url", ws.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  EXPECT_TRUE(waitUntil([&] { return slurp(log).find("upbit: connected") != std::string::npos; }, 15000)) << slurp(log);
  usleep(1'000'000);  // some data on the first connection
  {
    Rest client(static_cast<uint16_t>(port));
    EXPECT_EQ(client.call(hft::interfaces::HttpMethod::Post, "/sim/fault?kind=disconnect").status, 200);
  }
  EXPECT_TRUE(waitUntil([&] { return slurp(log).find("upbit: reconnected") != std::string::npos; }, 15000)) << slurp(log);
  usleep(1'000'000);  // and on the second
  kill(feed, SIGTERM);
  int status = 0;
  waitpid(feed, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "datafeed status " << status;
  kill(sim, SIGTERM);
  waitpid(sim, &status, 0);
  fclose(f);
  const std::string all = slurp(log);
  EXPECT_GT(countBefore(all, "trades,"), 0) << all;
  EXPECT_GT(countBefore(all, "books,"), 0) << all;
  EXPECT_GE(countBefore(all, "reconnects,"), 1) << all;
  EXPECT_EQ(countBefore(all, "parse errors"), 0) << all;
  EXPECT_EQ(countBefore(all, "venue errors,"), 0) << all;
  std::remove(log.c_str());
  for (const char* segment : {".md", ".registry"})  // the bus the datafeed made for this test
    std::remove(("/dev/shm/hft.exsimup" + std::to_string(getpid()) + segment).c_str());
}
