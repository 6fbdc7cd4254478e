// OrderRequest -> Upbit order-entry requests, byte for byte.
#include "api/exchanges/upbit/OrderEncoder.h"

#include <gtest/gtest.h>

#include <string>

#include "UpbitTestUtil.h"
#include "api/exchanges/shared/JwtSigner.h"
#include "api/exchanges/upbit/TickTables.h"

namespace {

using hft::api::shared::QueryParams;
using hft::api::upbit::EncodeStatus;
using hft::api::upbit::Endpoint;
using hft::api::upbit::HttpMethod;
using hft::api::upbit::kUpbit;
using hft::api::upbit::OrderEncoder;
using hft::common::OrderType;
using hft::common::Side;
using hft::common::TimeInForce;

std::string query(const QueryParams& p) {
  char buf[1024];
  return std::string(buf, p.renderQuery(buf));
}
std::string json(const QueryParams& p) {
  char buf[1024];
  return std::string(buf, p.renderJson(buf));
}

class UpbitEncoder : public ::testing::Test {
 protected:
  hft::test::KoreanInstruments instruments;
  const hft::config::Instrument& btc = instruments.at("KRW-BTC");
  hft::api::shared::TickBands krw{hft::api::upbit::krwTickBands(), hft::api::upbit::kTickTableScale};
  OrderEncoder encoder{kUpbit, krw};
  QueryParams params;
  Endpoint endpoint;
};

TEST_F(UpbitEncoder, limitBuyIsTheDocumentedBodyPlusOurIdentifier) {
  // The docs' request body {"market":"KRW-BTC","side":"bid","volume":"1","price":"140000000","ord_type":"limit"}.
  const auto r = hft::test::limitBuy(btc, 1234567890123, 140'000'000, 100'000'000);
  ASSERT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(endpoint.method, HttpMethod::Post);
  EXPECT_EQ(endpoint.path, "/v1/orders");
  EXPECT_EQ(endpoint.rateGroup, "order");
  EXPECT_EQ(json(params), R"({"market":"KRW-BTC","side":"bid","volume":"1","price":"140000000","ord_type":"limit",)"
                          R"("identifier":"1234567890123"})");
  EXPECT_EQ(query(params), "market=KRW-BTC&side=bid&volume=1&price=140000000&ord_type=limit&identifier=1234567890123");
}

TEST_F(UpbitEncoder, theDocsSampleBodyIsReproducedWhenSamplesArePresent) {
  HFT_SKIP_WITHOUT_SAMPLES();
  const auto r = hft::test::limitBuy(btc, 1, 140'000'000, 100'000'000);
  ASSERT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::Ok);
  std::string doc = hft::test::readSample("upbit/rest/POST_v1_orders_request_body.json");
  while (!doc.empty() && (doc.back() == '\n' || doc.back() == '\r')) doc.pop_back();
  doc.pop_back();  // the closing brace: our body continues with the identifier
  EXPECT_EQ(json(params).substr(0, doc.size()), doc);
}

TEST_F(UpbitEncoder, timeInForceAndSellSide) {
  auto r = hft::test::limitBuy(btc, 9, 100'473'000, 14'208);
  r.side = Side::Sell;
  r.tif = TimeInForce::IOC;
  ASSERT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(query(params), "market=KRW-BTC&side=ask&volume=0.00014208&price=100473000&ord_type=limit&identifier=9"
                           "&time_in_force=ioc");
  r.tif = TimeInForce::FOK;
  ASSERT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(params.find("time_in_force"), "fok");
  r.tif = TimeInForce::PostOnly;
  ASSERT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(params.find("time_in_force"), "post_only");
}

TEST_F(UpbitEncoder, marketSellByVolumeAndMarketBuyByAmount) {
  auto r = hft::test::limitBuy(btc, 5, 0, 50'000'000);
  r.type = OrderType::Market;
  r.side = Side::Sell;
  ASSERT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(json(params), R"({"market":"KRW-BTC","side":"ask","volume":"0.5","ord_type":"market","identifier":"5"})");
  r.side = Side::Buy;
  EXPECT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::Unsupported) << "buys at market by amount only";
  ASSERT_EQ(encoder.encodeMarketBuyByAmount(r, 10'000, btc, params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(json(params), R"({"market":"KRW-BTC","side":"bid","price":"10000","ord_type":"price","identifier":"5"})");
}

TEST_F(UpbitEncoder, pricesOffTheKrwBandGridAreRefusedBeforeSending) {
  auto r = hft::test::limitBuy(btc, 1, 137'002'500, 1);  // 1,000 KRW tick above 2,000,000
  EXPECT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::OffTick);
  EXPECT_EQ(hft::api::upbit::toRejectReason(EncodeStatus::OffTick), hft::common::RejectReason::OffTickPrice);
  r.price = 0;
  EXPECT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::InvalidPrice);
  const auto& usdt = instruments.at("KRW-USDT");  // price scale 1
  auto u = hft::test::limitBuy(usdt, 1, 13'955, 100'000'000);  // 1,395.5 KRW: tick 1 in the general table
  EXPECT_EQ(encoder.encode(u, usdt, params, endpoint), EncodeStatus::OffTick);
  u.price = 13'950;
  EXPECT_EQ(encoder.encode(u, usdt, params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(params.find("price"), "1395");
}

TEST_F(UpbitEncoder, btcAndUsdtMarketsWriteTheirDecimalsExactly) {
  const auto& ethBtc = instruments.at("BTC-ETH");  // price scale 8
  OrderEncoder btcMarket{kUpbit, hft::api::shared::TickBands(hft::api::upbit::btcTickBands(),
                                                             hft::api::upbit::kTickTableScale)};
  auto r = hft::test::limitBuy(ethBtc, 3, 3'456'789, 150'000'000);
  ASSERT_EQ(btcMarket.encode(r, ethBtc, params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(query(params), "market=BTC-ETH&side=bid&volume=1.5&price=0.03456789&ord_type=limit&identifier=3");
  const auto& btcUsdt = instruments.at("USDT-BTC");  // price scale 2
  OrderEncoder usdtMarket{kUpbit, hft::api::shared::TickBands(hft::api::upbit::usdtTickBands(),
                                                              hft::api::upbit::kTickTableScale)};
  auto u = hft::test::limitBuy(btcUsdt, 4, 10'234'501, 1'000);
  ASSERT_EQ(usdtMarket.encode(u, btcUsdt, params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(params.find("price"), "102345.01");
  EXPECT_EQ(params.find("volume"), "0.00001");
}

TEST_F(UpbitEncoder, withoutBandsTheInstrumentsTickAndLotApply) {
  OrderEncoder plain{kUpbit};
  hft::config::Instrument coarse = btc;
  coarse.tick_size = 1000;
  coarse.lot_size = 1000;
  auto r = hft::test::limitBuy(coarse, 1, 137'002'500, 2000);
  EXPECT_EQ(plain.encode(r, coarse, params, endpoint), EncodeStatus::OffTick);
  r.price = 137'002'000;
  r.qty = 2500;
  EXPECT_EQ(plain.encode(r, coarse, params, endpoint), EncodeStatus::OffLot);
  r.qty = 0;
  EXPECT_EQ(plain.encode(r, coarse, params, endpoint), EncodeStatus::InvalidQuantity);
}

TEST_F(UpbitEncoder, refusesWhatSpotVenuesDoNotHave) {
  auto r = hft::test::limitBuy(btc, 1, 100'000'000, 1);
  r.type = OrderType::StopLimit;
  EXPECT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::Unsupported);
  r.type = OrderType::Limit;
  r.reduce_only = 1;
  EXPECT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::Unsupported);
  r.reduce_only = 0;
  r.action = hft::common::OrderAction::Modify;
  EXPECT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::Unsupported);
  r.action = hft::common::OrderAction::New;
  r.client_order_id = 0;
  EXPECT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::MissingOrderId);
  r.client_order_id = 1;
  r.side = static_cast<Side>(9);
  EXPECT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::InvalidEnum);
  r.side = Side::Buy;
  r.header.instrument_id = 2;
  EXPECT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::WrongInstrument);
  hft::test::KoreanInstruments bithumb(hft::common::ExchangeId::Bithumb);
  const auto& other = bithumb.at("KRW-BTC");
  EXPECT_EQ(encoder.encode(hft::test::limitBuy(other, 1, 100'000'000, 1), other, params, endpoint),
            EncodeStatus::WrongInstrument);
}

TEST_F(UpbitEncoder, cancelQueryAndOpenOrders) {
  auto r = hft::test::limitBuy(btc, 0, 0, 0);
  r.action = hft::common::OrderAction::Cancel;
  r.orig_client_order_id = 77;
  ASSERT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(endpoint.method, HttpMethod::Delete);
  EXPECT_EQ(endpoint.path, "/v1/order");
  EXPECT_EQ(query(params), "identifier=77");
  r.orig_client_order_id = 0;
  EXPECT_EQ(encoder.encode(r, btc, params, endpoint), EncodeStatus::MissingOrderId);

  ASSERT_EQ(encoder.encodeCancelByUuid("cdd92199-2897-4e14-9448-f923320408ad", params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(query(params), "uuid=cdd92199-2897-4e14-9448-f923320408ad");
  EXPECT_EQ(encoder.encodeCancelByUuid("x&y", params, endpoint), EncodeStatus::BadUuid);
  EXPECT_EQ(encoder.encodeCancelByUuid("", params, endpoint), EncodeStatus::BadUuid);

  ASSERT_EQ(encoder.encodeQuery(77, params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(endpoint.method, HttpMethod::Get);
  EXPECT_EQ(endpoint.path, "/v1/order");
  EXPECT_EQ(query(params), "identifier=77");
  ASSERT_EQ(encoder.encodeQueryByUuid("cdd92199-2897-4e14-9448-f923320408ad", params, endpoint), EncodeStatus::Ok);

  // The derived JWT vector's query string, exactly: its hash is the vector's query_hash.
  ASSERT_EQ(encoder.encodeOpenOrders(btc, 10, params, endpoint), EncodeStatus::Ok);
  EXPECT_EQ(endpoint.path, "/v1/orders/open");
  EXPECT_EQ(query(params), "market=KRW-BTC&states[]=wait&states[]=watch&limit=10");
  hft::api::shared::JwtSigner jwt(kUpbit.jwtAlg, kUpbit.jwtClaims, "a7Xd92LmQW3vBtRzYpMj5CxNKeT1HuVs0fFgJcAw",
                                  "upbit-dummy-secret-key-for-tests-0123456789");
  char hex[128];
  ASSERT_TRUE(jwt.queryHashHex(query(params), hex));
  EXPECT_EQ(std::string(hex, 16), "e3cfc649139c595e");
  EXPECT_EQ(encoder.encodeOpenOrders(btc, 101, params, endpoint), EncodeStatus::TooLarge);
}

}  // namespace
