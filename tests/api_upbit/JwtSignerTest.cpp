// JWT tokens byte-exact against the derived vectors (exchange-samples/upbit/auth/
// jwt_test_vectors_DERIVED.json), and the pieces they are made of.
#include "api/exchanges/shared/JwtSigner.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "UpbitTestUtil.h"
#include "api/exchanges/shared/QueryParams.h"

namespace {

using hft::api::shared::JwtAlg;
using hft::api::shared::JwtClaims;
using hft::api::shared::JwtSigner;
using hft::api::shared::JwtStatus;

constexpr const char* kUpbitAccess = "a7Xd92LmQW3vBtRzYpMj5CxNKeT1HuVs0fFgJcAw";
constexpr const char* kUpbitNonce = "b2f1e3f8-2dc1-4d6f-a838-c74c49b0e39a";
constexpr const char* kUpbitSecret = "upbit-dummy-secret-key-for-tests-0123456789";

std::string token(JwtSigner& s, std::string_view nonce, int64_t ts, std::string_view query) {
  char buf[JwtSigner::kMaxTokenChars];
  size_t n = 0;
  const JwtStatus st = s.build(nonce, ts, query, buf, n);
  EXPECT_EQ(st, JwtStatus::Ok) << toString(st);
  return std::string(buf, n);
}

// A copy of one derived vector, so that the signer is checked even without the samples.
TEST(JwtSigner, upbitTokenWithoutParamsMatchesTheDerivedVector) {
  JwtSigner s(JwtAlg::HS512, JwtClaims::Upbit, kUpbitAccess, kUpbitSecret);
  EXPECT_EQ(token(s, kUpbitNonce, 0, ""),
            "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJhY2Nlc3Nfa2V5IjoiYTdYZDkyTG1RVzN2QnRSellwTWo1Q3hOS2VUMUh1VnMwZkZnS"
            "mNBdyIsIm5vbmNlIjoiYjJmMWUzZjgtMmRjMS00ZDZmLWE4MzgtYzc0YzQ5YjBlMzlhIn0.wPu08PdYdlZQiZQRKnby-P81uazR8ybn1fVh"
            "67fRTYyJpLNGm0zym6y6NAV0uxZOrLqzTBAc8Dh7BGWQ2xr1mA");
  EXPECT_TRUE(s.secretLocked());
}

TEST(JwtSigner, queryHashIsTheSha512HexOfTheRawQueryString) {
  JwtSigner s(JwtAlg::HS512, JwtClaims::Upbit, kUpbitAccess, kUpbitSecret);
  char hex[JwtSigner::kQueryHashHexChars];
  ASSERT_TRUE(s.queryHashHex("market=KRW-BTC&states[]=wait&states[]=watch&limit=10", hex));
  EXPECT_EQ(std::string(hex, sizeof hex),
            "e3cfc649139c595e1c26a8aa2b3c8504f4b15011fc2b819081451e5e845172bd5dbbb5110ec5d7a3d1d32ff71f46a78323a040e8be"
            "df8672021fd2206190a3a8");
}

TEST(JwtSigner, everyDerivedVectorIsReproducedByteForByte) {
  HFT_SKIP_WITHOUT_SAMPLES();
  const auto doc = nlohmann::json::parse(hft::test::readSample("upbit/auth/jwt_test_vectors_DERIVED.json"));
  ASSERT_GE(doc.at("vectors").size(), 5u);
  for (const auto& v : doc.at("vectors")) {
    const bool bithumb = v.at("exchange") == "bithumb";
    const auto payload = nlohmann::json::parse(v.at("payload_json").get<std::string>());
    JwtSigner s(bithumb ? JwtAlg::HS256 : JwtAlg::HS512, bithumb ? JwtClaims::Bithumb : JwtClaims::Upbit,
                payload.at("access_key").get<std::string>(), v.at("secret_key").get<std::string>());
    const int64_t ts = payload.contains("timestamp") ? payload.at("timestamp").get<int64_t>() : 0;
    const std::string query = v.at("query_string_hashed");
    SCOPED_TRACE(v.at("request").get<std::string>());
    EXPECT_EQ(token(s, payload.at("nonce").get<std::string>(), ts, query), v.at("jwt").get<std::string>());
    if (!query.empty()) {
      char hex[JwtSigner::kQueryHashHexChars];
      ASSERT_TRUE(s.queryHashHex(query, hex));
      EXPECT_EQ(std::string(hex, sizeof hex), v.at("query_hash_sha512_hex").get<std::string>());
    }
    char header[JwtSigner::kMaxTokenChars + 8];
    size_t n = 0;
    ASSERT_EQ(s.buildAuthorization(payload.at("nonce").get<std::string>(), ts, query, header, n), JwtStatus::Ok);
    EXPECT_EQ(std::string(header, n), v.at("authorization_header").get<std::string>());
  }
}

TEST(JwtSigner, postBodyRenderedAsQueryReproducesTheVectorsHashedString) {
  // The POST vector's body, in its order, through QueryParams: the hashed string and the body.
  hft::api::shared::QueryParams p;
  p.add("market", "KRW-BTC");
  p.add("side", "bid");
  p.addDecimal("volume", 100000, 8);
  p.addDecimal("price", 50000000, 0);
  p.add("ord_type", "limit");
  char buf[256];
  EXPECT_EQ(std::string(buf, p.renderQuery(buf)), "market=KRW-BTC&side=bid&volume=0.001&price=50000000&ord_type=limit");
  EXPECT_EQ(std::string(buf, p.renderJson(buf)),
            R"({"market":"KRW-BTC","side":"bid","volume":"0.001","price":"50000000","ord_type":"limit"})");
}

TEST(JwtSigner, bithumbTokenCarriesTheTimestampClaim) {
  JwtSigner s(JwtAlg::HS256, JwtClaims::Bithumb, "L7rVaYfBIc2BDsnlQGfkR93d6DoOAJCw7mJr5Eso",
              "bithumb-dummy-secret-key-for-tests-0123456789");
  EXPECT_EQ(token(s, "6f5570df-d8bc-4daf-85b4-976733feb624", 1712230310689, ""),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY2Nlc3Nfa2V5IjoiTDdyVmFZZkJJYzJCRHNubFFHZmtSOTNkNkRvT0FKQ3c3bUpyNU"
            "VzbyIsIm5vbmNlIjoiNmY1NTcwZGYtZDhiYy00ZGFmLTg1YjQtOTc2NzMzZmViNjI0IiwidGltZXN0YW1wIjoxNzEyMjMwMzEwNjg5fQ.V8P"
            "7dh2vSFGxaGqoeKTj_DeZuyPDVtDq9-m6AMRmziE");
}

TEST(JwtSigner, aFreshNonceGivesAFreshToken) {
  JwtSigner s(JwtAlg::HS512, JwtClaims::Upbit, kUpbitAccess, kUpbitSecret);
  EXPECT_NE(token(s, kUpbitNonce, 0, "a=1"), token(s, "00000000-0000-4000-8000-000000000000", 0, "a=1"));
}

TEST(JwtSigner, refusesNoncesThatWouldNeedJsonEscaping) {
  JwtSigner s(JwtAlg::HS512, JwtClaims::Upbit, kUpbitAccess, kUpbitSecret);
  char buf[JwtSigner::kMaxTokenChars];
  size_t n = 99;
  EXPECT_EQ(s.build("ab\"cd", 0, "", buf, n), JwtStatus::BadNonce);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(s.build("", 0, "", buf, n), JwtStatus::BadNonce);
  EXPECT_EQ(s.build("a\\b", 0, "", buf, n), JwtStatus::BadNonce);
}

TEST(JwtSigner, saysWhenTheOutputBufferIsTooSmall) {
  JwtSigner s(JwtAlg::HS512, JwtClaims::Upbit, kUpbitAccess, kUpbitSecret);
  char small[100];
  size_t n = 0;
  EXPECT_EQ(s.build(kUpbitNonce, 0, "market=KRW-BTC", small, n), JwtStatus::BufferTooSmall);
  char tiny[3];
  EXPECT_EQ(s.buildAuthorization(kUpbitNonce, 0, "", tiny, n), JwtStatus::BufferTooSmall);
}

TEST(JwtSigner, refusesBadKeysAtConstruction) {
  EXPECT_THROW(JwtSigner(JwtAlg::HS512, JwtClaims::Upbit, "", kUpbitSecret), std::invalid_argument);
  EXPECT_THROW(JwtSigner(JwtAlg::HS512, JwtClaims::Upbit, "key\"with-quote", kUpbitSecret), std::invalid_argument);
  EXPECT_THROW(JwtSigner(JwtAlg::HS512, JwtClaims::Upbit, kUpbitAccess, ""), std::invalid_argument);
  EXPECT_THROW(JwtSigner(JwtAlg::HS512, JwtClaims::Upbit, kUpbitAccess, std::string(JwtSigner::kMaxSecretBytes + 1, 'x')),
               std::invalid_argument);
}

TEST(Base64Url, encodesWithoutPaddingInTheUrlAlphabet) {
  using hft::api::shared::base64UrlEncode;
  auto enc = [](std::string_view s) {
    char out[64];
    const size_t n = base64UrlEncode({reinterpret_cast<const uint8_t*>(s.data()), s.size()}, out);
    return std::string(out, n);
  };
  EXPECT_EQ(enc("f"), "Zg");
  EXPECT_EQ(enc("fo"), "Zm8");
  EXPECT_EQ(enc("foo"), "Zm9v");
  EXPECT_EQ(enc("\xfb\xff"), "-_8");  // '+' and '/' of plain base64 become '-' and '_'
  char tiny[2];
  const uint8_t three[3] = {1, 2, 3};
  EXPECT_EQ(base64UrlEncode(three, tiny), 0u);
}

TEST(Uuid, formatsVersion4FromTheCallersRandomBytes) {
  const uint8_t bytes[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                             0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  char out[36];
  hft::api::shared::formatUuidV4(bytes, out);
  EXPECT_EQ(std::string(out, 36), "ffffffff-ffff-4fff-bfff-ffffffffffff");
}

}  // namespace
