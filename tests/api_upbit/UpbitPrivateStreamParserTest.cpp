// PrivateStreamParser: myOrder (wait / trade / done / cancel, Bithumb's client_order_id),
// myAsset, {"status":"UP"}, error frames, and bad input naming the field and its byte offset.
// Frames are written from the key list of the docs' myOrder page (DEFAULT format).
#include <gtest/gtest.h>

#include <string>

#include "UpbitTestUtil.h"
#include "api/exchanges/bithumb/BithumbDialect.h"
#include "api/exchanges/upbit/PrivateStreamParser.h"
#include "api/exchanges/upbit/VenueOrderIdOf.h"

namespace hft::api::upbit {
namespace {

using common::ExecType;

std::string myOrder(const std::string& state, const std::string& extra = "", const std::string& idKey = "identifier") {
  return R"({"type":"myOrder","code":"KRW-BTC","uuid":"ac2dc2a3-fce9-40a2-a4f6-5987c25c438f","ask_bid":"BID",)"
         R"("order_type":"limit","state":")" + state + R"(","trade_uuid":"68315169-fba4-4175-ade3-aff14a616657",)"
         R"("price":100473000.0,"avg_price":100473000.0,"volume":0.0005,"remaining_volume":0.0015,)"
         R"("executed_volume":0.0005,"trades_count":1,"reserved_fee":0,"remaining_fee":0,"paid_fee":25.11825,)"
         R"("locked":0,"executed_funds":50236.5,"time_in_force":null,"trade_fee":25.11825,"is_maker":true,)"
         R"(")" + idKey + R"(":"42","order_timestamp":1710146517267,"timestamp":1710146517267,"stream_type":"REALTIME")" +
         extra + "}";
}

struct PrivateStreamParserTest : ::testing::Test {
  test::KoreanInstruments instruments;
  PrivateStreamParser parser{kUpbit, instruments};
};

TEST_F(PrivateStreamParserTest, tradeStateIsAFillWithTheTradesPriceAndVolume) {
  const PrivateResult r = parser.parse(myOrder("trade"), 7);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  ASSERT_EQ(r.kind, PrivateKind::MyOrder);
  const common::ExecutionReport& e = parser.report();
  EXPECT_EQ(e.exec_type, ExecType::PartiallyFilled);
  EXPECT_EQ(e.client_order_id, 42u);
  EXPECT_EQ(e.last_price, 100473000);
  EXPECT_EQ(e.last_qty, 50000);  // 0.0005 at 8 decimals
  EXPECT_EQ(e.cum_qty, 50000);
  EXPECT_EQ(e.leaves_qty, 150000);
  EXPECT_EQ(e.fee, 2511825000);  // 25.11825 KRW at kAmountScale
  EXPECT_STREQ(e.fee_asset, "KRW");
  EXPECT_EQ(e.liquidity, common::Liquidity::Maker);
  EXPECT_EQ(e.side, common::Side::Buy);
  EXPECT_EQ(e.venue_ts_ns, 1710146517267'000'000);
  EXPECT_EQ(e.header.receive_ts_ns, 7);
  EXPECT_EQ(e.venue_order_id, venueOrderIdOf("ac2dc2a3-fce9-40a2-a4f6-5987c25c438f"));
  EXPECT_EQ(parser.uuid(), "ac2dc2a3-fce9-40a2-a4f6-5987c25c438f");
  EXPECT_EQ(parser.tradeUuid(), "68315169-fba4-4175-ade3-aff14a616657");
  EXPECT_NE(e.trade_id, 0u);
}

TEST_F(PrivateStreamParserTest, lastTradeWithNothingRemainingIsFilled) {
  std::string f = myOrder("trade");
  f.replace(f.find("\"remaining_volume\":0.0015"), 25, "\"remaining_volume\":0.0");
  const PrivateResult r = parser.parse(f, 0);
  ASSERT_TRUE(r.ok()) << r.field;
  EXPECT_EQ(parser.report().exec_type, ExecType::Filled);
}

TEST_F(PrivateStreamParserTest, waitDoneCancelMapToNewFilledCanceled) {
  std::string wait = myOrder("wait");
  wait.replace(wait.find("\"executed_volume\":0.0005"), 24, "\"executed_volume\":0");
  ASSERT_TRUE(parser.parse(wait, 0).ok());
  EXPECT_EQ(parser.report().exec_type, ExecType::New);
  EXPECT_EQ(parser.report().order_price, 100473000);
  EXPECT_EQ(parser.report().last_qty, 0);
  ASSERT_TRUE(parser.parse(myOrder("done"), 0).ok());
  EXPECT_EQ(parser.report().exec_type, ExecType::Filled);
  EXPECT_EQ(parser.report().last_qty, 0);
  ASSERT_TRUE(parser.parse(myOrder("cancel"), 0).ok());
  EXPECT_EQ(parser.report().exec_type, ExecType::Canceled);
  EXPECT_EQ(parser.state(), "cancel");
}

TEST_F(PrivateStreamParserTest, exponentNumbersConvertExactly) {
  std::string f = myOrder("trade");
  f.replace(f.find("\"volume\":0.0005"), 15, "\"volume\":5E-4");
  ASSERT_TRUE(parser.parse(f, 0).ok());
  EXPECT_EQ(parser.report().last_qty, 50000);
}

TEST_F(PrivateStreamParserTest, bithumbDialectReadsClientOrderId) {
  test::KoreanInstruments bithumbInstruments(common::ExchangeId::Bithumb);
  PrivateStreamParser p(bithumb::kBithumb, bithumbInstruments);
  ASSERT_TRUE(p.parse(myOrder("wait", "", "client_order_id"), 0).ok());
  EXPECT_EQ(p.report().client_order_id, 42u);
  EXPECT_EQ(p.report().header.exchange_id, common::ExchangeId::Bithumb);
  // Upbit's key is not ours there: not one of our orders.
  ASSERT_TRUE(p.parse(myOrder("wait"), 0).ok());
  EXPECT_EQ(p.report().client_order_id, 0u);
}

TEST_F(PrivateStreamParserTest, foreignIdentifierIsNotOurs) {
  std::string f = myOrder("wait");
  f.replace(f.find("\"identifier\":\"42\""), 17, "\"identifier\":\"my-manual-order\"");
  ASSERT_TRUE(parser.parse(f, 0).ok());
  EXPECT_EQ(parser.report().client_order_id, 0u);
}

TEST_F(PrivateStreamParserTest, myAssetGivesBalances) {
  const std::string f = R"({"type":"myAsset","asset_uuid":"e635f223-1609-4969-8fb6-4376937baad6","assets":[)"
                        R"({"currency":"KRW","balance":1386929.37231066771348207123,"locked":10329.670127489597585685},)"
                        R"({"currency":"BTC","balance":0.5,"locked":0}],"asset_timestamp":1710146517259,)"
                        R"("timestamp":1710146517267,"stream_type":"REALTIME"})";
  const PrivateResult r = parser.parse(f, 0);
  ASSERT_TRUE(r.ok()) << r.field << " " << toString(r.status);
  ASSERT_EQ(r.kind, PrivateKind::MyAsset);
  ASSERT_EQ(parser.balances().size(), 2u);
  EXPECT_STREQ(parser.balances()[0].asset, "KRW");
  EXPECT_EQ(parser.balances()[0].free, 138692937231066);  // truncated at 8 decimals
  EXPECT_EQ(parser.balances()[0].locked, 1032967012748);
  EXPECT_EQ(parser.balances()[1].free, 50000000);
  EXPECT_EQ(parser.balances()[1].header.exchange_ts_ns, 1710146517267'000'000);
}

TEST_F(PrivateStreamParserTest, statusAndErrorFrames) {
  EXPECT_EQ(parser.parse(R"({"status":"UP"})", 0).kind, PrivateKind::Status);
  const PrivateResult e = parser.parse(R"({"error":{"name":"INVALID_AUTH","message":"bad"}})", 0);
  EXPECT_EQ(e.kind, PrivateKind::VenueError);
  EXPECT_EQ(parser.errorName(), "INVALID_AUTH");
  EXPECT_EQ(parser.parse(R"({"type":"ticker","code":"KRW-BTC"})", 0).kind, PrivateKind::Other);
}

TEST_F(PrivateStreamParserTest, badNumberNamesTheFieldAndOffset) {
  std::string f = myOrder("trade");
  const size_t at = f.find("\"price\":100473000.0");
  f.replace(at, 19, "\"price\":\"12x\"");
  const PrivateResult r = parser.parse(f, 0);
  EXPECT_EQ(r.status, Status::BadNumber);
  EXPECT_STREQ(r.field, "price");
  EXPECT_EQ(r.offset, at + 8);
  EXPECT_EQ(r.value, "12x");
}

TEST_F(PrivateStreamParserTest, missingFieldIsNamed) {
  std::string f = myOrder("wait");
  f.replace(f.find("\"state\":\"wait\","), 15, "");
  const PrivateResult r = parser.parse(f, 0);
  EXPECT_EQ(r.status, Status::MissingField);
  EXPECT_STREQ(r.field, "state");
  EXPECT_EQ(r.offset, 0u);
}

TEST_F(PrivateStreamParserTest, unknownStateSideAndMarketAreRefused) {
  std::string f = myOrder("exploded");
  PrivateResult r = parser.parse(f, 0);
  EXPECT_EQ(r.status, Status::BadValue);
  EXPECT_STREQ(r.field, "state");
  EXPECT_EQ(r.value, "exploded");
  f = myOrder("wait");
  f.replace(f.find("KRW-BTC"), 7, "KRW-XYZ");
  r = parser.parse(f, 0);
  EXPECT_EQ(r.status, Status::UnknownSymbol);
  EXPECT_STREQ(r.field, "code");
  f = myOrder("wait");
  f.replace(f.find("\"BID\""), 5, "\"SIDEWAYS\"");
  r = parser.parse(f, 0);
  EXPECT_EQ(r.status, Status::BadValue);
  EXPECT_STREQ(r.field, "ask_bid");
}

TEST_F(PrivateStreamParserTest, badAssetNamesItsIndex) {
  const std::string f = R"({"type":"myAsset","assets":[{"currency":"KRW","balance":1,"locked":0},)"
                        R"({"currency":"BTC","balance":"abc","locked":0}],"timestamp":1})";
  const PrivateResult r = parser.parse(f, 0);
  EXPECT_EQ(r.status, Status::BadNumber);
  EXPECT_STREQ(r.field, "assets[1].balance");
  EXPECT_EQ(r.offset, f.find("\"abc\""));
  const std::string missing = R"({"type":"myAsset","assets":[{"currency":"KRW","locked":0}],"timestamp":1})";
  const PrivateResult m = parser.parse(missing, 0);
  EXPECT_EQ(m.status, Status::MissingField);
  EXPECT_STREQ(m.field, "assets[0].balance");
}

TEST_F(PrivateStreamParserTest, truncatedJsonIsInvalid) {
  const std::string f = myOrder("wait").substr(0, 60);
  EXPECT_EQ(parser.parse(f, 0).status, Status::InvalidJson);
  EXPECT_EQ(parser.parse("[1,2]", 0).status, Status::InvalidJson);
}

TEST(VenueOrderIdOf, isStableAndNonZero) {
  static_assert(venueOrderIdOf("a") == venueOrderIdOf("a"));
  EXPECT_NE(venueOrderIdOf("cdd92199-2897-4e14-9448-f923320408ad"), venueOrderIdOf("cdd92199-2897-4e14-9448-f923320408ae"));
  EXPECT_EQ(venueOrderIdOf(""), 0u);
}

}  // namespace
}  // namespace hft::api::upbit
