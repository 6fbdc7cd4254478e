#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "api/net/Backoff.h"
#include "api/net/Url.h"

namespace hft::net {
namespace {

TEST(Backoff, delaysGrowToTheCapAndStayWithinBounds) {
  Backoff b({10'000'000, 80'000'000, 1});
  int64_t cap = 10'000'000;
  for (int i = 0; i < 50; ++i) {
    const int64_t d = b.next();
    EXPECT_GE(d, 10'000'000);
    EXPECT_LE(d, cap);
    EXPECT_GE(d, cap / 2);
    cap = std::min<int64_t>(cap * 2, 80'000'000);
  }
}

TEST(Backoff, sameSeedGivesTheSameSequenceAndResetStartsOver) {
  Backoff a({1'000'000, 1'000'000'000, 99}), b({1'000'000, 1'000'000'000, 99}), c({1'000'000, 1'000'000'000, 100});
  std::vector<int64_t> sa, sb, sc;
  for (int i = 0; i < 10; ++i) {
    sa.push_back(a.next());
    sb.push_back(b.next());
    sc.push_back(c.next());
  }
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa, sc);
  a.reset();
  EXPECT_EQ(a.attempt(), 0u);
  EXPECT_EQ(a.next(), 1'000'000);  // the first wait is the initial one
}

TEST(Backoff, rejectsBoundsThatMakeNoSense) {
  EXPECT_THROW(Backoff({0, 10, 1}), std::invalid_argument);
  EXPECT_THROW(Backoff({20, 10, 1}), std::invalid_argument);
}

TEST(Url, parsesSchemesPortsAndTargets) {
  Url u = Url::parse("wss://stream.binance.com:9443/stream?streams=btcusdt@trade");
  EXPECT_EQ(u.scheme, "wss");
  EXPECT_EQ(u.host, "stream.binance.com");
  EXPECT_EQ(u.port, 9443);
  EXPECT_EQ(u.target, "/stream?streams=btcusdt@trade");
  EXPECT_TRUE(u.tls());
  EXPECT_EQ(u.hostHeader(), "stream.binance.com:9443");
  u = Url::parse("HTTPS://api.binance.com");
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.target, "/");
  EXPECT_EQ(u.hostHeader(), "api.binance.com");
  u = Url::parse("http://[::1]:8080?x=1");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.target, "/?x=1");
  EXPECT_EQ(u.hostHeader(), "[::1]:8080");
  EXPECT_THROW(Url::parse("ftp://x"), std::invalid_argument);
  EXPECT_THROW(Url::parse("http://host:99999/"), std::invalid_argument);
  EXPECT_THROW(Url::parse("api.binance.com"), std::invalid_argument);
}

}  // namespace
}  // namespace hft::net
