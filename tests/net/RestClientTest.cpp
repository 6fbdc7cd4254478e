#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "NetTestUtil.h"
#include "TestCert.h"
#include "TestServers.h"
#include "api/net/BeastRestClient.h"

namespace hft::net {
namespace {

using interfaces::HttpHeader;
using interfaces::HttpMethod;
using interfaces::RestRequest;
using interfaces::RestResponse;
using interfaces::SubmitStatus;
using interfaces::TransportOutcome;
using test::HttpAction;
using test::HttpTestReply;
using test::HttpTestRequest;
using test::HttpTestServer;
using test::pollUntil;

/// Copies what the handler sees (the views die after the call).
struct Got {
  uint64_t id;
  TransportOutcome outcome;
  unsigned status;
  int64_t sent_ns, received_ns;
  std::string body, weight, retry_after;
  size_t header_count;
};

struct Collector : interfaces::IRestResponseHandler {
  std::vector<Got> got;
  void onResponse(const RestResponse& r) noexcept override {
    got.push_back({r.request_id, r.outcome, r.status, r.sent_ns, r.received_ns, std::string(r.body),
                   std::string(r.header("x-mbx-used-weight-1m")), std::string(r.header("Retry-After")),
                   r.headers.size()});
  }
};

RestClientConfig configFor(const std::string& url) {
  RestClientConfig c;
  c.base_url = url;
  c.connect_timeout_ns = 5'000'000'000;
  c.request_timeout_ns = 5'000'000'000;
  c.max_in_flight = 8;
  return c;
}

std::string plainUrl(const HttpTestServer& s) { return test::cat("http://127.0.0.1:", std::to_string(s.port())); }

bool waitFor(BeastRestClient& client, Collector& sink, size_t n) {
  return pollUntil([&] { return client.poll(sink); }, [&] { return sink.got.size() >= n; });
}

HttpTestReply echoReply(const HttpTestRequest& r, uint64_t index, HttpAction action = HttpAction::Respond) {
  HttpTestReply reply;
  reply.action = action;
  reply.body = test::cat(r.method, " ", r.target, " key=", r.header("X-MBX-APIKEY"), " body=", r.body);
  reply.headers = {{"X-MBX-USED-WEIGHT-1M", std::to_string(index + 1)}, {"Retry-After", "7"}};
  return reply;
}

TEST(RestClient, roundTripCarriesHeadersAndBodyAndReusesOneKeepAliveConnection) {
  HttpTestServer server([](const HttpTestRequest& r, uint64_t i) { return echoReply(r, i); });
  BeastRestClient client(configFor(plainUrl(server)));
  client.start();
  const HttpHeader key[] = {{"X-MBX-APIKEY", "abc123"}, {"Content-Type", "application/x-www-form-urlencoded"}};
  ASSERT_EQ(client.submit({HttpMethod::Get, "/api/v3/time", {}, {}, 1}), SubmitStatus::Queued);
  ASSERT_EQ(client.submit({HttpMethod::Post, "/api/v3/order?symbol=BTCUSDT", key, "side=BUY", 2}), SubmitStatus::Queued);
  ASSERT_EQ(client.submit({HttpMethod::Delete, "/api/v3/order", key, {}, 3}), SubmitStatus::Queued);
  Collector sink;
  ASSERT_TRUE(waitFor(client, sink, 3));
  ASSERT_EQ(sink.got.size(), 3u);
  const char* bodies[] = {"GET /api/v3/time key= body=", "POST /api/v3/order?symbol=BTCUSDT key=abc123 body=side=BUY",
                          "DELETE /api/v3/order key=abc123 body="};
  for (size_t i = 0; i < 3; ++i) {
    const Got& g = sink.got[i];
    EXPECT_EQ(g.id, i + 1);  // submission order
    EXPECT_EQ(g.outcome, TransportOutcome::Ok);
    EXPECT_EQ(g.status, 200u);
    EXPECT_EQ(g.body, bodies[i]);
    EXPECT_EQ(g.weight, std::to_string(i + 1));  // looked up case-insensitively
    EXPECT_EQ(g.retry_after, "7");
    EXPECT_GE(g.header_count, 3u);  // and Content-Length etc.: all headers are there
    EXPECT_GT(g.sent_ns, 0);
    EXPECT_LE(g.sent_ns, g.received_ns);
  }
  EXPECT_EQ(server.connectionsAccepted(), 1u);
  EXPECT_EQ(client.stats().connections_opened, 1u);
  client.stop();
}

TEST(RestClient, reconnectsWhenTheServerClosedTheConnection) {
  HttpTestServer server([](const HttpTestRequest& r, uint64_t i) {
    return echoReply(r, i, i == 0 ? HttpAction::RespondAndClose : i == 1 ? HttpAction::RespondThenDrop : HttpAction::Respond);
  });
  BeastRestClient client(configFor(plainUrl(server)));
  client.start();
  Collector sink;
  ASSERT_EQ(client.submit({HttpMethod::Get, "/a", {}, {}, 1}), SubmitStatus::Queued);
  ASSERT_TRUE(waitFor(client, sink, 1));
  // "Connection: close" was answered: the client drops the connection itself.
  ASSERT_EQ(client.submit({HttpMethod::Get, "/b", {}, {}, 2}), SubmitStatus::Queued);
  ASSERT_TRUE(waitFor(client, sink, 2));
  // This one the server closed silently while idle: the client must notice before writing.
  ASSERT_TRUE(pollUntil([] { return 0; }, [&] { return server.connectionsClosedByServer() == 2; }));
  ASSERT_EQ(client.submit({HttpMethod::Get, "/c", {}, {}, 3}), SubmitStatus::Queued);
  ASSERT_TRUE(waitFor(client, sink, 3));
  for (const Got& g : sink.got) {
    EXPECT_EQ(g.outcome, TransportOutcome::Ok) << g.id;
    EXPECT_EQ(g.status, 200u);
  }
  EXPECT_EQ(server.connectionsAccepted(), 3u);
  EXPECT_EQ(server.requestsReceived(), 3u);
  EXPECT_EQ(client.stats().connections_opened, 3u);
  client.stop();
}

TEST(RestClient, unansweredRequestTimesOutAndIsSentExactlyOnce) {
  std::atomic<int> neverAnsweredSeen{0};
  HttpTestServer server([&](const HttpTestRequest& r, uint64_t i) {
    if (r.target == "/never") {
      ++neverAnsweredSeen;
      return HttpTestReply{HttpAction::Ignore, 0, {}, {}};
    }
    return echoReply(r, i);
  });
  RestClientConfig cfg = configFor(plainUrl(server));
  cfg.request_timeout_ns = 200'000'000;
  BeastRestClient client(cfg);
  client.start();
  Collector sink;
  ASSERT_EQ(client.submit({HttpMethod::Post, "/never", {}, "x=1", 7}), SubmitStatus::Queued);
  ASSERT_EQ(client.submit({HttpMethod::Get, "/after", {}, {}, 8}), SubmitStatus::Queued);
  ASSERT_TRUE(waitFor(client, sink, 2));
  EXPECT_EQ(sink.got[0].id, 7u);
  EXPECT_EQ(sink.got[0].outcome, TransportOutcome::Timeout);  // outcome unknown: query, never resend
  EXPECT_EQ(sink.got[0].status, 0u);
  EXPECT_GT(sink.got[0].sent_ns, 0);
  EXPECT_EQ(sink.got[1].id, 8u);
  EXPECT_EQ(sink.got[1].outcome, TransportOutcome::Ok);  // on a fresh connection
  EXPECT_EQ(neverAnsweredSeen.load(), 1);                 // no silent retry
  EXPECT_EQ(server.requestsReceived(), 2u);
  EXPECT_EQ(server.connectionsAccepted(), 2u);
  EXPECT_EQ(client.stats().timeouts, 1u);
  EXPECT_EQ(client.stats().requests_written, 2u);
  client.stop();
}

TEST(RestClient, refusedConnectionIsReportedAsNotSent) {
  test::RefusingPort refusing;
  BeastRestClient client(configFor(test::cat("http://127.0.0.1:", std::to_string(refusing.port()))));
  client.start();
  Collector sink;
  ASSERT_EQ(client.submit({HttpMethod::Get, "/x", {}, {}, 5}), SubmitStatus::Queued);
  ASSERT_TRUE(waitFor(client, sink, 1));
  EXPECT_EQ(sink.got[0].outcome, TransportOutcome::NotSent);  // safe to resend
  EXPECT_EQ(sink.got[0].sent_ns, 0);
  EXPECT_EQ(client.stats().requests_written, 0u);
  EXPECT_EQ(client.stats().connect_failures, 1u);
  client.stop();
}

TEST(RestClient, submitRefusesWhenStoppedOversizedOrOutOfSlots) {
  HttpTestServer server([](const HttpTestRequest&, uint64_t) { return HttpTestReply{HttpAction::Ignore, 0, {}, {}}; });
  RestClientConfig cfg = configFor(plainUrl(server));
  cfg.max_in_flight = 2;
  cfg.max_target_bytes = 16;
  BeastRestClient client(cfg);
  EXPECT_EQ(client.submit({HttpMethod::Get, "/", {}, {}, 1}), SubmitStatus::NotRunning);
  client.start();
  EXPECT_EQ(client.submit({HttpMethod::Get, "/this/target/is/too/long", {}, {}, 1}), SubmitStatus::TooLarge);
  EXPECT_EQ(client.submit({HttpMethod::Get, "/1", {}, {}, 1}), SubmitStatus::Queued);
  EXPECT_EQ(client.submit({HttpMethod::Get, "/2", {}, {}, 2}), SubmitStatus::Queued);
  EXPECT_EQ(client.submit({HttpMethod::Get, "/3", {}, {}, 3}), SubmitStatus::QueueFull);
  client.stop();
  EXPECT_EQ(client.submit({HttpMethod::Get, "/4", {}, {}, 4}), SubmitStatus::NotRunning);
}

TEST(RestClient, httpsVerifiesTheServerCertificateAgainstTheConfiguredCa) {
  const test::TestCert cert = test::makeSelfSignedCert();
  const std::string caFile = test::writeTempFile("hft_net_ca", cert.cert_pem);
  HttpTestServer server([](const HttpTestRequest& r, uint64_t i) { return echoReply(r, i); },
                        {true, cert.cert_pem, cert.key_pem});
  for (const std::string host : {"127.0.0.1", "localhost"}) {  // IP SAN, and DNS SAN + SNI
    RestClientConfig cfg = configFor(test::cat("https://", host, ":", std::to_string(server.port())));
    cfg.tls.ca_file = caFile;
    BeastRestClient client(cfg);
    client.start();
    Collector sink;
    ASSERT_EQ(client.submit({HttpMethod::Get, "/api/v3/ping", {}, {}, 1}), SubmitStatus::Queued);
    ASSERT_EQ(client.submit({HttpMethod::Get, "/api/v3/time", {}, {}, 2}), SubmitStatus::Queued);
    ASSERT_TRUE(waitFor(client, sink, 2));
    EXPECT_EQ(sink.got[0].outcome, TransportOutcome::Ok) << host;
    EXPECT_EQ(sink.got[1].outcome, TransportOutcome::Ok) << host;
    EXPECT_EQ(sink.got[1].body, "GET /api/v3/time key= body=");
    EXPECT_EQ(client.stats().connections_opened, 1u) << host;
    client.stop();
  }
  // The system CAs do not know the self-signed certificate: nothing may be sent.
  RestClientConfig cfg = configFor(test::cat("https://127.0.0.1:", std::to_string(server.port())));
  BeastRestClient untrusting(cfg);
  untrusting.start();
  Collector sink;
  ASSERT_EQ(untrusting.submit({HttpMethod::Get, "/secret", {}, {}, 9}), SubmitStatus::Queued);
  ASSERT_TRUE(waitFor(untrusting, sink, 1));
  EXPECT_EQ(sink.got[0].outcome, TransportOutcome::NotSent);
  untrusting.stop();
  std::remove(caFile.c_str());
}

}  // namespace
}  // namespace hft::net
