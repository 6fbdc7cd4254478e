// Integration: the real datafeed binary serving /metrics and /health over TCP; the scrape is
// checked by promtool when the Debian package `prometheus` is installed.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "ProcessRunner.h"

using hft::test::bin;
using hft::test::Process;
using hft::test::sourceFile;

namespace {

uint16_t freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

/// GET over a fresh connection; "" when nothing listens yet.
std::string httpGet(uint16_t port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return "";
  }
  std::string req = "GET ";
  req.append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[8192];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

std::string bodyOf(const std::string& r) {
  const size_t p = r.find("\r\n\r\n");
  return p == std::string::npos ? "" : r.substr(p + 4);
}

std::string findOnPath(const std::string& exe) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t end = std::min(dirs.find(':', start), dirs.size());
    const auto candidate = std::filesystem::path(dirs.substr(start, end - start)) / exe;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = end + 1;
  }
  return "";
}

class MetricsProcesses : public ::testing::Test {
 protected:
  void SetUp() override {
    bus_ = std::string("mx").append(std::to_string(getpid()));
    setenv("HFT_BUS_NAME", bus_.c_str(), 1);
    dir_ = std::filesystem::temp_directory_path() / std::string("hft-").append(bus_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    for (const auto& e : std::filesystem::directory_iterator("/dev/shm"))
      if (e.path().filename().string().rfind(std::string("hft.").append(bus_).append("."), 0) == 0)
        std::filesystem::remove(e.path());
    std::filesystem::remove_all(dir_);
  }
  std::string bus_;
  std::filesystem::path dir_;
};

}  // namespace

TEST_F(MetricsProcesses, datafeedServesMetricsAndHealthOverTcp) {
  const uint16_t port = freePort();
  Process feed(bin("datafeed"), {"--config", sourceFile("config/system.json"), "--source", "synthetic", "--speed", "1",
                                 "--metrics-port", std::to_string(port)},
               (dir_ / "feed").string());
  // Wait (bounded) until the feed serves a scrape showing published trades.
  std::string scrape;
  const std::regex trades(R"(hft_events_published_total\{type="Trade"\} ([1-9][0-9]*))");
  for (int i = 0; i < 1000; ++i) {
    scrape = httpGet(port, "/metrics");
    if (std::regex_search(scrape, trades)) break;
    usleep(10'000);
  }
  ASSERT_TRUE(std::regex_search(scrape, trades)) << scrape << feed.output();
  EXPECT_EQ(scrape.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(scrape.find("Content-Type: text/plain; version=0.0.4"), std::string::npos);
  const std::string body = bodyOf(scrape);
  EXPECT_NE(body.find("# TYPE hft_ring_head_sequence gauge"), std::string::npos) << body;
  EXPECT_NE(body.find("hft_bus_process_alive{process=\"datafeed:synthetic\""), std::string::npos) << body;

  const std::string health = httpGet(port, "/health");
  EXPECT_EQ(health.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << health;
  const auto h = nlohmann::json::parse(bodyOf(health));
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["daemon"], "datafeed");
  EXPECT_EQ(h["pid"].get<int>(), feed.pid());
  EXPECT_GT(h["detail"]["published"].get<uint64_t>(), 0u);
  EXPECT_EQ(httpGet(port, "/nope").rfind("HTTP/1.1 404", 0), 0u);

  const std::string promtool = findOnPath("promtool");
  if (promtool.empty()) {
    std::cout << "promtool not installed (Debian package prometheus): skipping `promtool check metrics`\n";
  } else {
    const auto file = dir_ / "scrape.txt";
    std::ofstream(file) << body;
    std::string cmd = promtool;
    cmd.append(" check metrics < ").append(file.string()).append(" > ").append((dir_ / "promtool.out").string()).append(" 2>&1");
    const int rc = std::system(cmd.c_str());
    std::ifstream out(dir_ / "promtool.out");
    const std::string report((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
    EXPECT_EQ(rc, 0) << report << body;
  }

  feed.signal(SIGTERM);
  EXPECT_EQ(feed.wait(), 0) << feed.output();
  EXPECT_NE(feed.output().find(std::string("metrics on http://127.0.0.1:").append(std::to_string(port))), std::string::npos) << feed.output();
}
