// Bithumb 2.x through the Upbit-family code with Bithumb's dialect: JWT (HS256 + timestamp),
// the order encoder, the public WebSocket v1 ticker, and order replies.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "UpbitTestUtil.h"
#include "api/exchanges/bithumb/BithumbDialect.h"
#include "api/exchanges/upbit/MarketDataParser.h"
#include "api/exchanges/upbit/OrderEncoder.h"
#include "api/exchanges/upbit/OrderResponseParser.h"

namespace {

using hft::api::bithumb::kBithumb;
using hft::api::shared::JwtSigner;
using hft::api::shared::JwtStatus;
using hft::common::ExchangeId;

constexpr const char* kAccess = "L7rVaYfBIc2BDsnlQGfkR93d6DoOAJCw7mJr5Eso";
constexpr const char* kNonce = "6f5570df-d8bc-4daf-85b4-976733feb624";
constexpr const char* kSecret = "bithumb-dummy-secret-key-for-tests-0123456789";
constexpr int64_t kTs = 1712230310689;

std::string base64UrlDecode(std::string_view s) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '-' ? 62 : 63;
  };
  std::string out;
  int bits = 0, acc = 0;
  for (char c : s) {
    acc = (acc << 6) | val(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::string token(JwtSigner& s, std::string_view query) {
  char buf[JwtSigner::kMaxTokenChars];
  size_t n = 0;
  EXPECT_EQ(s.build(kNonce, kTs, query, buf, n), JwtStatus::Ok);
  return std::string(buf, n);
}

TEST(BithumbJwt, orderTokenMatchesTheDerivedVectorByteForByte) {
  JwtSigner s = hft::api::bithumb::makeJwtSigner(kAccess, kSecret);
  EXPECT_EQ(s.alg(), hft::api::shared::JwtAlg::HS256);
  EXPECT_EQ(token(s, "market=KRW-BTC&side=bid&volume=0.001&price=84000000&ord_type=limit"),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY2Nlc3Nfa2V5IjoiTDdyVmFZZkJJYzJCRHNubFFHZmtSOTNkNkRvT0FKQ3c3bUpyNU"
            "VzbyIsIm5vbmNlIjoiNmY1NTcwZGYtZDhiYy00ZGFmLTg1YjQtOTc2NzMzZmViNjI0IiwidGltZXN0YW1wIjoxNzEyMjMwMzEwNjg5LCJxdWV"
            "yeV9oYXNoIjoiODU3YmE0ODZjYmZkMjNhODljY2UzZjI0OWVkYWIxNjUyZTE5ODc1MjZjMWFjMDU4ZmRhMDhhNWUwNjdkNjQ5OWM2NjVmNzQ4"
            "MWEyN2M4MjI1ZjNiZTM3N2ZjM2Q5YWJmMDg3ZDVjZTAwM2Q0OGNiMzNjNDNkYmZmYWY1NWFkNWUiLCJxdWVyeV9oYXNoX2FsZyI6IlNIQTUx"
            "MiJ9.oCZi7ne-vZJid3JSsTaDYSjpkOdxmdrEyMA9p-VABaw");
}

TEST(BithumbJwt, payloadHasTheDocumentedClaims) {
  HFT_SKIP_WITHOUT_SAMPLES();
  const auto doc = nlohmann::json::parse(hft::test::readSample("bithumb/jwt_payload_examples_doc.json"));
  JwtSigner s = hft::api::bithumb::makeJwtSigner(kAccess, kSecret);
  const std::string t = token(s, "");
  const size_t dot1 = t.find('.'), dot2 = t.find('.', dot1 + 1);
  const auto payload = nlohmann::json::parse(base64UrlDecode(t.substr(dot1 + 1, dot2 - dot1 - 1)));
  EXPECT_EQ(payload, doc.at("without_params"));
  const auto header = nlohmann::json::parse(base64UrlDecode(t.substr(0, dot1)));
  EXPECT_EQ(header, nlohmann::json::parse(R"({"alg":"HS256","typ":"JWT"})"));
  // With parameters: the same claims as the doc's example plus the hash (its query is unpublished).
  const std::string t2 = token(s, "market=KRW-BTC");
  const size_t e1 = t2.find('.'), e2 = t2.find('.', e1 + 1);
  const auto p2 = nlohmann::json::parse(base64UrlDecode(t2.substr(e1 + 1, e2 - e1 - 1)));
  for (const auto& [key, value] : doc.at("with_params").items()) EXPECT_TRUE(p2.contains(key)) << key;
  EXPECT_EQ(p2.at("query_hash_alg"), "SHA512");
  EXPECT_EQ(p2.size(), doc.at("with_params").size());
}

class BithumbOrders : public ::testing::Test {
 protected:
  hft::test::KoreanInstruments instruments{ExchangeId::Bithumb};
  const hft::config::Instrument& btc = instruments.at("KRW-BTC");
  hft::api::upbit::OrderEncoder encoder{kBithumb};
  hft::api::shared::QueryParams params;
  hft::api::upbit::Endpoint endpoint;
  std::string query() {
    char buf[512];
    return std::string(buf, params.renderQuery(buf));
  }
};

TEST_F(BithumbOrders, limitBuyUsesClientOrderIdAndTheV1Paths) {
  const auto r = hft::test::limitBuy(btc, 42, 84'000'000, 100'000);
  ASSERT_EQ(encoder.encode(r, btc, params, endpoint), hft::api::upbit::EncodeStatus::Ok);
  EXPECT_EQ(endpoint.method, hft::api::upbit::HttpMethod::Post);
  EXPECT_EQ(endpoint.path, "/v1/orders");
  // The derived vector's hashed string, plus our id.
  EXPECT_EQ(query(), "market=KRW-BTC&side=bid&volume=0.001&price=84000000&ord_type=limit&client_order_id=42");
  ASSERT_EQ(encoder.encodeOpenOrders(btc, 0, params, endpoint), hft::api::upbit::EncodeStatus::Ok);
  EXPECT_EQ(endpoint.path, "/v1/orders");
  EXPECT_EQ(query(), "market=KRW-BTC&states[]=wait") << "Bithumb has no reserved (watch) orders";
  auto cancel = r;
  cancel.action = hft::common::OrderAction::Cancel;
  cancel.orig_client_order_id = 42;
  ASSERT_EQ(encoder.encode(cancel, btc, params, endpoint), hft::api::upbit::EncodeStatus::Ok);
  EXPECT_EQ(endpoint.method, hft::api::upbit::HttpMethod::Delete);
  EXPECT_EQ(query(), "client_order_id=42");
}

TEST_F(BithumbOrders, upbitInstrumentsAreRefused) {
  hft::test::KoreanInstruments upbit;
  const auto& other = upbit.at("KRW-BTC");
  EXPECT_EQ(encoder.encode(hft::test::limitBuy(other, 1, 84'000'000, 1), other, params, endpoint),
            hft::api::upbit::EncodeStatus::WrongInstrument);
}

TEST_F(BithumbOrders, repliesReadClientOrderIdAndNumericErrorNames) {
  hft::api::upbit::OrderResponseParser parser{kBithumb, instruments};
  const auto r = parser.parse(
      R"({"uuid":"C0106000032400700021","side":"bid","ord_type":"limit","price":"84000000","state":"wait",)"
      R"("market":"KRW-BTC","created_at":"2024-04-04T20:31:50+09:00","volume":"0.001","remaining_volume":"0.001",)"
      R"("reserved_fee":"0","remaining_fee":"0","paid_fee":"0","locked":"84000","executed_volume":"0",)"
      R"("trades_count":0,"client_order_id":"42"})",
      1);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(parser.reports()[0].client_order_id, 42u);
  EXPECT_EQ(parser.reports()[0].header.exchange_id, ExchangeId::Bithumb);
  EXPECT_EQ(parser.uuid(0), "C0106000032400700021");
  const auto e = parser.parse(R"({"error":{"name":400,"message":"bad"}})", 1);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(parser.error().name, "400");
  EXPECT_EQ(parser.error().reason, hft::common::RejectReason::VenueRejected);
}

struct Tickers final : hft::api::upbit::MarketDataHandler {
  std::vector<hft::api::upbit::ParsedTicker> got;
  void onTrade(const hft::api::upbit::ParsedTrade&) noexcept override {}
  void onOrderbook(const hft::api::upbit::ParsedOrderbook&) noexcept override {}
  void onTicker(const hft::api::upbit::ParsedTicker& t) noexcept override { got.push_back(t); }
};

TEST(BithumbMarketData, docTickerParsesWithTheUpbitParser) {
  HFT_SKIP_WITHOUT_SAMPLES();
  hft::test::KoreanInstruments instruments{ExchangeId::Bithumb};
  hft::api::upbit::MarketDataParser parser{instruments};
  Tickers out;
  const auto r = parser.parse(hft::test::readSample("bithumb/ws_ticker_SNAPSHOT_doc_example.json"), out);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  ASSERT_EQ(out.got.size(), 1u);
  const auto& t = out.got[0];
  EXPECT_EQ(t.instrument->exchange, ExchangeId::Bithumb);
  EXPECT_EQ(t.trade_price, 493100);
  EXPECT_EQ(t.trade_volume, 325290000);  // 3.2529
  EXPECT_EQ(t.opening_price, 484500);
  EXPECT_EQ(t.stream, hft::api::upbit::StreamType::Snapshot);
  EXPECT_EQ(t.trade_ns, 1725927377174LL * 1'000'000);
  EXPECT_EQ(t.event_ns, 1725927377287LL * 1'000'000);
}

TEST(BithumbMarketData, legacyOneXFramesAreRecognisedAsOther) {
  HFT_SKIP_WITHOUT_SAMPLES();
  hft::test::KoreanInstruments instruments{ExchangeId::Bithumb};
  hft::api::upbit::MarketDataParser parser{instruments};
  Tickers out;
  const auto doc = nlohmann::json::parse(hft::test::readSample("bithumb/legacy_v1.2.0_ws_pubwss_examples.json"));
  const auto r = parser.parse(doc.at("connected").dump(), out);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.kind, hft::api::upbit::MessageKind::Other);
  EXPECT_TRUE(out.got.empty());
}

}  // namespace
