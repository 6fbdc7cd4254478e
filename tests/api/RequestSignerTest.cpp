// HmacSigner, RequestSigner (REST and WebSocket API rules), ParamList and ServerTimeOffset.
#include "api/exchanges/binance/RequestSigner.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "BinanceTestUtil.h"
#include "OrderEntryTestUtil.h"

namespace hft::api::binance {
namespace {

using test::sharedPath;

std::string hexOf(HmacSigner& s, std::string_view payload) {
  char out[HmacSigner::kHexChars];
  EXPECT_TRUE(s.signHex(payload, out));
  return std::string(out, sizeof out);
}

// Verified by hand: printf '%s' "<payload>" | openssl dgst -sha256 -hmac 'hft-test-secret-0123456789'
constexpr std::string_view kOwnSecret = "hft-test-secret-0123456789";
constexpr std::string_view kOwnPayload =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.015&price=65000.5&newClientOrderId=1234567890123"
    "&newOrderRespType=RESULT&recvWindow=5000&timestamp=1700000000000";
constexpr std::string_view kOwnSignature = "086ed8073f5b94b855b3233942138b9f5e3f9c91a355c0604502a5bbc9834e2c";

// The venue's documented spot example (also in exchange-samples, but needed without it).
constexpr std::string_view kDocApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr std::string_view kDocSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

TEST(HmacSigner, matchesOpensslOnAVectorVerifiedByHand) {
  HmacSigner s(kOwnSecret);
  EXPECT_EQ(hexOf(s, kOwnPayload), kOwnSignature);
}

TEST(HmacSigner, givesTheSameSignatureEveryTimeItIsReused) {
  HmacSigner s(kOwnSecret);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(hexOf(s, kOwnPayload), kOwnSignature) << "call " << i;
  EXPECT_NE(hexOf(s, "other"), kOwnSignature);
  EXPECT_EQ(hexOf(s, kOwnPayload), kOwnSignature);
}

TEST(HmacSigner, signsPartsAsTheirConcatenation) {
  HmacSigner s(kOwnSecret);
  const std::string_view parts[] = {kOwnPayload.substr(0, 40), kOwnPayload.substr(40, 3), kOwnPayload.substr(43)};
  char out[HmacSigner::kHexChars];
  ASSERT_TRUE(s.signHex(parts, out));
  EXPECT_EQ(std::string_view(out, sizeof out), kOwnSignature);
}

TEST(HmacSigner, keepsTheSecretInLockedMemory) {
  HmacSigner s(kOwnSecret);
  EXPECT_TRUE(s.secretLocked());
}

TEST(HmacSigner, refusesAnEmptyOrOversizedSecret) {
  EXPECT_THROW(HmacSigner(""), std::invalid_argument);
  EXPECT_THROW(HmacSigner(std::string(HmacSigner::kMaxSecretBytes + 1, 'k')), std::invalid_argument);
}

TEST(HmacSigner, writesLowerCaseHex) {
  const uint8_t bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  char out[8];
  HmacSigner::toHex(bytes, out);
  EXPECT_EQ(std::string_view(out, 8), "000fa5ff");
}

TEST(HmacSigner, reproducesEveryDocumentedVector) {
  HFT_SKIP_WITHOUT_SHARED();
  const auto doc = nlohmann::json::parse(test::readText(sharedPath("exchange-samples/binance/signing/hmac_sha256_test_vectors.json")));
  size_t checked = 0;
  for (const auto& v : doc.at("vectors")) {
    const std::string id = v.at("id");
    HmacSigner s(v.at("secretKey").get<std::string>());
    const std::string payload = v.at("payload"), signature = v.at("signature");
    EXPECT_EQ(hexOf(s, payload), signature) << id;
    if (v.contains("queryString") && v.contains("requestBody") && !v.at("requestBody").get<std::string>().empty()) {
      // Query string and body are signed back to back, with no '&' between them.
      const std::string q = v.at("queryString"), b = v.at("requestBody");
      const std::string_view parts[] = {q, b};
      char out[HmacSigner::kHexChars];
      ASSERT_TRUE(s.signHex(parts, out)) << id;
      EXPECT_EQ(std::string_view(out, sizeof out), signature) << id;
    }
    ++checked;
  }
  EXPECT_GE(checked, 8u);
}

// ---------------------------------------------------------------------------------------------

TEST(ParamList, formatsFixedPointAsTheShortestExactDecimal) {
  ParamList p;
  p.addDecimal("a", 1500, 3);
  p.addDecimal("b", 900000, 2);
  p.addDecimal("c", 1, 8);
  p.addDecimal("d", 0, 4);
  p.addDecimal("e", -10, 3);
  p.addDecimal("f", 42, 0);
  p.addDecimal("g", 6500050, 2);
  EXPECT_EQ(test::joined(p), "a=1.5&b=9000&c=0.00000001&d=0&e=-0.01&f=42&g=65000.5");
}

TEST(ParamList, overflowsStickilyInsteadOfTruncating) {
  ParamList p;
  const std::string big(ParamList::kArenaBytes, 'x');
  EXPECT_TRUE(p.add("k", "v"));
  EXPECT_FALSE(p.add("big", big));
  EXPECT_TRUE(p.overflowed());
  EXPECT_FALSE(p.add("k2", "v2")) << "nothing is added after an overflow";
  EXPECT_EQ(p.size(), 1u);
  p.clear();
  EXPECT_FALSE(p.overflowed());
  for (size_t i = 0; i < ParamList::kMaxParams; ++i) EXPECT_TRUE(p.addUint("k", i));
  EXPECT_FALSE(p.add("one", "more"));
  EXPECT_TRUE(p.overflowed());
}

TEST(ParamList, refusesABadScale) {
  ParamList p;
  EXPECT_FALSE(p.addDecimal("x", 1, 19));
  EXPECT_TRUE(p.overflowed());
}

// ---------------------------------------------------------------------------------------------

ParamList docSpotOrder() {
  ParamList p;
  p.add("symbol", "LTCBTC");
  p.add("side", "BUY");
  p.add("type", "LIMIT");
  p.add("timeInForce", "GTC");
  p.add("quantity", "1");
  p.add("price", "0.1");
  return p;
}

TEST(RequestSigner, reproducesTheDocumentedSpotRestRequest) {
  RequestSigner signer(kDocApiKey, kDocSecret, 5000);
  char buf[512];
  SignedRequest req;
  ASSERT_EQ(signer.signRest(docSpotOrder(), 1499827319559, buf, req), SignStatus::Ok);
  EXPECT_EQ(req.text,
            "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000"
            "&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  EXPECT_EQ(req.signature, "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  EXPECT_EQ(req.timestampMs, 1499827319559);
}

TEST(RequestSigner, percentEncodesNonAsciiBeforeSigningOnRest) {
  RequestSigner signer(kDocApiKey, kDocSecret, 5000);
  ParamList p = docSpotOrder();
  ParamList q;
  q.add("symbol", "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96");  // "１２３４５６"
  for (size_t i = 1; i < p.size(); ++i) q.add(p.key(i), p.value(i));
  char buf[512];
  SignedRequest req;
  ASSERT_EQ(signer.signRest(q, 1499827319559, buf, req), SignStatus::Ok);
  EXPECT_EQ(req.text.substr(0, 62), "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&");
  EXPECT_EQ(req.signature, "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3");
}

TEST(RequestSigner, reproducesTheDocumentedWebSocketApiRequest) {
  // params: symbol, side, type, timeInForce, quantity, price + apiKey, recvWindow, timestamp
  RequestSigner signer(kDocApiKey, kDocSecret, 100);
  ParamList p;
  p.add("symbol", "BTCUSDT");
  p.add("side", "SELL");
  p.add("type", "LIMIT");
  p.add("timeInForce", "GTC");
  p.add("quantity", "0.01000000");
  p.add("price", "52000.00");
  char buf[512];
  SignedRequest req;
  ASSERT_EQ(signer.signWsApi(p, 1645423376532, buf, req), SignStatus::Ok);
  EXPECT_EQ(req.text,
            "apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00"
            "&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532"
            "&type=LIMIT");
  EXPECT_EQ(req.signature, "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24");
}

TEST(RequestSigner, signsRawUtf8OnTheWebSocketApi) {
  RequestSigner signer(kDocApiKey, kDocSecret, 5000);
  ParamList p;
  p.add("symbol", "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96");
  p.add("side", "BUY");
  p.add("type", "LIMIT");
  p.add("timeInForce", "GTC");
  p.add("quantity", "1.00000000");
  p.add("price", "0.10000000");
  char buf[512];
  SignedRequest req;
  ASSERT_EQ(signer.signWsApi(p, 1645423376532, buf, req), SignStatus::Ok);
  EXPECT_EQ(req.signature, "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd");
}

TEST(RequestSigner, leavesRecvWindowOutWhenItIsZero) {
  RequestSigner signer(kDocApiKey, kDocSecret, 0);
  ParamList p;
  p.add("symbol", "BTCUSDT");
  char buf[256];
  SignedRequest req;
  ASSERT_EQ(signer.signRest(p, 1, buf, req), SignStatus::Ok);
  EXPECT_EQ(req.text.substr(0, 28), "symbol=BTCUSDT&timestamp=1&s");
  ASSERT_EQ(signer.signRest(ParamList{}, 1, buf, req), SignStatus::Ok);
  EXPECT_EQ(req.text.substr(0, 22), "timestamp=1&signature=") << "no leading '&' without params";
}

TEST(RequestSigner, reportsABufferTooSmallWithoutWritingPastIt) {
  RequestSigner signer(kDocApiKey, kDocSecret);
  std::vector<char> buf(300, '#');
  SignedRequest req;
  const ParamList p = docSpotOrder();
  // The whole REST request is 185 chars (the WebSocket payload + signature is longer);
  // every shorter buffer fails cleanly.
  for (size_t cap : {size_t{0}, size_t{10}, size_t{110}, size_t{184}}) {
    EXPECT_EQ(signer.signRest(p, 1499827319559, std::span<char>(buf.data(), cap), req), SignStatus::BufferTooSmall) << cap;
    EXPECT_EQ(buf[cap], '#') << cap;
    EXPECT_EQ(signer.signWsApi(p, 1499827319559, std::span<char>(buf.data(), cap), req), SignStatus::BufferTooSmall) << cap;
    EXPECT_EQ(buf[cap], '#') << cap;
  }
  EXPECT_EQ(signer.signRest(p, 1499827319559, std::span<char>(buf.data(), 185), req), SignStatus::Ok);
  EXPECT_EQ(req.text.size(), 185u);
}

TEST(RequestSigner, refusesAnOverflowedParamList) {
  RequestSigner signer(kDocApiKey, kDocSecret);
  ParamList p;
  p.add("x", std::string(ParamList::kArenaBytes + 1, 'x'));
  char buf[256];
  SignedRequest req;
  EXPECT_EQ(signer.signRest(p, 1, buf, req), SignStatus::ParamsOverflowed);
  EXPECT_EQ(signer.signWsApi(p, 1, buf, req), SignStatus::ParamsOverflowed);
}

TEST(RequestSigner, refusesBadConfiguration) {
  EXPECT_THROW(RequestSigner("", kDocSecret), std::invalid_argument);
  EXPECT_THROW(RequestSigner(kDocApiKey, kDocSecret, 60001), std::invalid_argument);
  EXPECT_THROW(RequestSigner(kDocApiKey, kDocSecret, -1), std::invalid_argument);
  EXPECT_THROW(RequestSigner(kDocApiKey, ""), std::invalid_argument);
  RequestSigner ok(kDocApiKey, kDocSecret, 60000);
  EXPECT_EQ(ok.apiKey(), kDocApiKey);
  EXPECT_EQ(ok.recvWindowMs(), 60000);
}

TEST(RequestSigner, reproducesTheSharedWebSocketVectorFromItsParams) {
  HFT_SKIP_WITHOUT_SHARED();
  const auto doc = nlohmann::json::parse(test::readText(sharedPath("exchange-samples/binance/signing/hmac_sha256_test_vectors.json")));
  for (const auto& v : doc.at("vectors")) {
    if (!v.contains("params")) continue;
    const auto& params = v.at("params");
    RequestSigner signer(params.at("apiKey").get<std::string>(), v.at("secretKey").get<std::string>(),
                         params.at("recvWindow").get<int64_t>());
    ParamList p;
    for (const auto& [k, val] : params.items())
      if (k != "apiKey" && k != "recvWindow" && k != "timestamp") p.add(k, val.get<std::string>());
    char buf[512];
    SignedRequest req;
    ASSERT_EQ(signer.signWsApi(p, params.at("timestamp").get<int64_t>(), buf, req), SignStatus::Ok);
    EXPECT_EQ(req.text, v.at("payload").get<std::string>());
    EXPECT_EQ(req.signature, v.at("signature").get<std::string>());
  }
}

// ---------------------------------------------------------------------------------------------

constexpr common::TimestampNs kMs = 1'000'000;

TEST(ServerTimeOffset, neverPutsTimestampsAheadOfTheVenueClock) {
  ServerTimeOffset t;
  EXPECT_FALSE(t.synced());
  // Local clock 2000 ms behind the venue; the reply was stamped somewhere in a 40 ms round trip.
  const common::TimestampNs sent = 1'000'000 * kMs, received = sent + 40 * kMs;
  const int64_t serverTime = 1'002'000 + 25;  // stamped 25 ms after our send
  ASSERT_TRUE(t.onServerTime(serverTime, sent, received));
  EXPECT_TRUE(t.synced());
  EXPECT_EQ(t.uncertaintyNs(), 40 * kMs);
  // The true venue time at local `now` is now + 2000 ms; the estimate is below it by at most the round trip.
  const common::TimestampNs now = received + 500 * kMs;
  const int64_t trueVenueMs = now / kMs + 2000;
  EXPECT_LE(t.timestampMs(now), trueVenueMs);
  EXPECT_GE(t.timestampMs(now), trueVenueMs - 40);
  EXPECT_EQ(t.timestampMs(now), serverTime + 500);
}

TEST(ServerTimeOffset, ignoresSlowOrInvertedSamples) {
  ServerTimeOffset t(ServerTimeOffset::Config{.maxRoundTripNs = 100 * kMs, .maxTimestampRetries = 1});
  EXPECT_FALSE(t.onServerTime(5000, 10 * kMs, 9 * kMs));
  EXPECT_FALSE(t.onServerTime(5000, 0, 101 * kMs));
  EXPECT_FALSE(t.synced());
  EXPECT_TRUE(t.onServerTime(5000, 0, 100 * kMs));
  EXPECT_EQ(t.offsetNs(), 5000 * kMs - 100 * kMs);
}

TEST(ServerTimeOffset, asksForAResyncAndOneRetryOnTimestampRejections) {
  ServerTimeOffset t;
  ASSERT_TRUE(t.onServerTime(1000, 0, kMs));
  EXPECT_EQ(t.onRejected(-2010, 1), ServerTimeOffset::Retry::NotTimestampError);
  EXPECT_FALSE(t.needsResync());
  EXPECT_EQ(t.onRejected(-1021, 1), ServerTimeOffset::Retry::ResyncThenRetry);
  EXPECT_TRUE(t.needsResync());
  EXPECT_EQ(t.onRejected(-1021, 2), ServerTimeOffset::Retry::GiveUp);
  EXPECT_TRUE(t.onServerTime(1000, 0, kMs));
  EXPECT_FALSE(t.needsResync()) << "a fresh sample clears the request";
}

}  // namespace
}  // namespace hft::api::binance
