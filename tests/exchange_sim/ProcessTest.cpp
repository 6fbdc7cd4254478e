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
