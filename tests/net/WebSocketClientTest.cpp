#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "NetTestUtil.h"
#include "TestCert.h"
#include "TestServers.h"
#include "api/net/BeastWebSocketClient.h"

namespace hft::net {
namespace {

using interfaces::WsDisconnectReason;
using interfaces::WsSendStatus;
using interfaces::WsState;
using interfaces::WsStateChange;
using test::pollUntil;
using test::WsBehavior;
using test::WsTestServer;

/// One ordered log of everything poll() delivered (frames copied: the views die after the call).
struct Event {
  bool is_message;
  std::string text;
  uint64_t seq;
  WsStateChange state;
};

struct Recorder : interfaces::IWebSocketHandler {
  std::vector<Event> events;
  std::vector<uint64_t> dropped_tags;
  void onMessage(const interfaces::WsMessage& m) noexcept override {
    EXPECT_GT(m.recv_ns, 0);
    events.push_back({true, std::string(m.text), m.seq, {}});
  }
  void onState(const WsStateChange& s) noexcept override { events.push_back({false, {}, 0, s}); }
  void onSendDropped(uint64_t tag) noexcept override { dropped_tags.push_back(tag); }

  size_t count(WsState s) const {
    size_t n = 0;
    for (const Event& e : events) n += !e.is_message && e.state.state == s;
    return n;
  }
  size_t messages(const std::string& text) const {
    size_t n = 0;
    for (const Event& e : events) n += e.is_message && e.text == text;
    return n;
  }
  /// The event kinds in order, e.g. "C M D R r M" (C Connected, D Disconnected, R Reconnecting,
  /// r Reconnected, M message).
  std::string shape() const {
    std::string s;
    for (const Event& e : events) {
      if (!s.empty()) s.append(" ");
      if (e.is_message) s.append("M");
      else if (e.state.state == WsState::Connected) s.append("C");
      else if (e.state.state == WsState::Disconnected) s.append("D");
      else if (e.state.state == WsState::Reconnecting) s.append("R");
      else s.append("r");
    }
    return s;
  }
};

const std::string kSubscribe = R"({"method":"SUBSCRIBE","params":["btcusdt@depth@100ms"],"id":1})";

WebSocketClientConfig configFor(const std::string& url) {
  WebSocketClientConfig c;
  c.url = url;
  c.connect_timeout_ns = 5'000'000'000;
  c.idle_timeout_ns = 5'000'000'000;
  c.backoff = {10'000'000, 50'000'000, 42};
  return c;
}

std::string wsUrl(const WsTestServer& s) { return test::cat("ws://127.0.0.1:", std::to_string(s.port()), "/stream"); }

template <class Pred>
bool run(BeastWebSocketClient& client, Recorder& rec, Pred done) {
  return pollUntil([&] { return client.poll(rec); }, done);
}

TEST(WebSocketClient, connectsSubscribesAndReceivesEchoedFrames) {
  WsTestServer server([](uint64_t) { return WsBehavior::Echo; });
  BeastWebSocketClient client(configFor(wsUrl(server)));
  EXPECT_EQ(client.send(kSubscribe, true), WsSendStatus::NotRunning);
  client.start();
  ASSERT_EQ(client.send(kSubscribe, true), WsSendStatus::Queued);  // before the connection: kept
  Recorder rec;
  ASSERT_TRUE(run(client, rec, [&] { return rec.messages(kSubscribe) == 1; }));
  ASSERT_EQ(client.send("hello", false, 5), WsSendStatus::Queued);
  ASSERT_TRUE(run(client, rec, [&] { return rec.messages("hello") == 1; }));
  EXPECT_EQ(rec.shape(), "C M M");  // the state change comes before the frames
  EXPECT_LT(rec.events[1].seq, rec.events[2].seq);
  EXPECT_EQ(client.reconnects(), 0u);
  EXPECT_TRUE(rec.dropped_tags.empty());
  EXPECT_EQ(server.received(), (std::vector<std::string>{kSubscribe, "hello"}));
  EXPECT_EQ(client.send(std::string(5000, 'x'), false), WsSendStatus::TooLarge);
  client.stop();
}

TEST(WebSocketClient, silentStreamIsDeclaredDeadReconnectedAndResubscribed) {
  // Connection 0 reads the subscription and then goes quiet (no data, no pongs).
  WsTestServer server([](uint64_t i) { return i == 0 ? WsBehavior::SilentAfterFirstFrame : WsBehavior::Echo; });
  WebSocketClientConfig cfg = configFor(wsUrl(server));
  cfg.idle_timeout_ns = 300'000'000;
  BeastWebSocketClient client(cfg);
  client.start();
  ASSERT_EQ(client.send(kSubscribe, true), WsSendStatus::Queued);
  Recorder rec;
  ASSERT_TRUE(run(client, rec, [&] { return rec.messages(kSubscribe) == 1; })) << rec.shape();
  EXPECT_EQ(rec.shape(), "C D R r M");
  EXPECT_EQ(rec.events[1].state.reason, WsDisconnectReason::DeadStream);
  EXPECT_EQ(rec.events[2].state.attempt, 1u);
  EXPECT_GE(rec.events[2].state.delay_ns, cfg.backoff.initial_ns);
  EXPECT_LE(rec.events[2].state.delay_ns, cfg.backoff.max_ns);
  EXPECT_EQ(rec.events[3].state.reconnects, 1u);
  EXPECT_EQ(client.reconnects(), 1u);
  EXPECT_EQ(server.connectionsAccepted(), 2u);
  EXPECT_EQ(server.received(), (std::vector<std::string>{kSubscribe, kSubscribe}));  // resent once
  client.stop();
}

TEST(WebSocketClient, reconnectsBeforeTheMaximumConnectionAge) {
  WsTestServer server([](uint64_t) { return WsBehavior::Echo; });
  WebSocketClientConfig cfg = configFor(wsUrl(server));
  cfg.max_connection_age_ns = 200'000'000;
  BeastWebSocketClient client(cfg);
  client.start();
  ASSERT_EQ(client.send(kSubscribe, true), WsSendStatus::Queued);
  Recorder rec;
  ASSERT_TRUE(run(client, rec, [&] { return rec.messages(kSubscribe) == 2; })) << rec.shape();
  // (a slow machine may already have aged out the second connection too: check the first cycle)
  ASSERT_EQ(rec.shape().substr(0, 11), "C M D R r M") << rec.shape();
  EXPECT_EQ(rec.events[2].state.reason, WsDisconnectReason::MaxAge);
  EXPECT_GE(client.reconnects(), 1u);
  client.stop();
}

TEST(WebSocketClient, backoffDelaysStayWithinBoundsWhileTheServerIsDown) {
  test::RefusingPort refusing;
  WebSocketClientConfig cfg = configFor(test::cat("ws://127.0.0.1:", std::to_string(refusing.port()), "/ws"));
  cfg.backoff = {5'000'000, 40'000'000, 7};
  BeastWebSocketClient client(cfg);
  client.start();
  ASSERT_EQ(client.send("not subscribed", false, 99), WsSendStatus::Queued);
  Recorder rec;
  ASSERT_TRUE(run(client, rec, [&] { return rec.count(WsState::Reconnecting) >= 6 && !rec.dropped_tags.empty(); }));
  client.stop();
  EXPECT_EQ(rec.count(WsState::Connected), 0u);
  EXPECT_EQ(rec.dropped_tags, std::vector<uint64_t>{99});  // a plain frame is not kept for later
  uint32_t expectedAttempt = 1;
  for (const Event& e : rec.events) {
    if (e.is_message) continue;
    if (e.state.state == WsState::Disconnected) {
      EXPECT_EQ(e.state.reason, WsDisconnectReason::ConnectFailed);
    }
    if (e.state.state != WsState::Reconnecting) continue;
    EXPECT_EQ(e.state.attempt, expectedAttempt++);
    EXPECT_GE(e.state.delay_ns, cfg.backoff.initial_ns);
    EXPECT_LE(e.state.delay_ns, cfg.backoff.max_ns);
    if (e.state.attempt >= 4) {
      EXPECT_GE(e.state.delay_ns, cfg.backoff.max_ns / 2);  // grown to the cap
    }
  }
}

TEST(WebSocketClient, wssVerifiesTheServerAndEchoes) {
  const test::TestCert cert = test::makeSelfSignedCert();
  const std::string caFile = test::writeTempFile("hft_net_ws_ca", cert.cert_pem);
  WsTestServer server([](uint64_t) { return WsBehavior::Echo; }, {true, cert.cert_pem, cert.key_pem});
  WebSocketClientConfig cfg = configFor(test::cat("wss://localhost:", std::to_string(server.port()), "/ws"));
  cfg.tls.ca_file = caFile;
  BeastWebSocketClient client(cfg);
  client.start();
  ASSERT_EQ(client.send(kSubscribe, true), WsSendStatus::Queued);
  Recorder rec;
  ASSERT_TRUE(run(client, rec, [&] { return rec.messages(kSubscribe) == 1; })) << rec.shape();
  EXPECT_EQ(rec.shape(), "C M");
  client.stop();
  std::remove(caFile.c_str());
}

}  // namespace
}  // namespace hft::net
