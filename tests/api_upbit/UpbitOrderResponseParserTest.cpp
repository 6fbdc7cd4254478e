// Upbit REST order replies and error bodies -> ExecutionReport / VenueError.
#include "api/exchanges/upbit/OrderResponseParser.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "UpbitTestUtil.h"

namespace {

using hft::api::upbit::kUpbit;
using hft::api::upbit::OrderResponseParser;
using hft::api::upbit::ResponseKind;
using hft::api::upbit::ResponseResult;
using hft::api::upbit::Status;
using hft::common::ExecType;
using hft::common::RejectReason;

// 2025-07-04T15:00:00+09:00 = 2025-07-04T06:00:00Z
constexpr int64_t kCreatedNs = 1751608800LL * 1'000'000'000;

class UpbitReplies : public ::testing::Test {
 protected:
  hft::test::KoreanInstruments instruments;
  OrderResponseParser parser{kUpbit, instruments};
  ResponseResult parse(std::string_view body) { return parser.parse(body, 99); }
};

TEST_F(UpbitReplies, docNewOrderReplyIsANewReport) {
  HFT_SKIP_WITHOUT_SAMPLES();
  const ResponseResult r = parse(hft::test::readSample("upbit/rest/POST_v1_orders_response_201.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field << " @" << r.offset;
  EXPECT_EQ(r.kind, ResponseKind::Order);
  ASSERT_EQ(parser.reports().size(), 1u);
  const auto& e = parser.reports()[0];
  EXPECT_EQ(parser.uuid(0), "cdd92199-2897-4e14-9448-f923320408ad");
  EXPECT_EQ(e.exec_type, ExecType::New);
  EXPECT_EQ(e.side, hft::common::Side::Sell);
  EXPECT_EQ(e.order_type, hft::common::OrderType::Limit);
  EXPECT_EQ(e.tif, hft::common::TimeInForce::GTC);
  EXPECT_EQ(e.order_price, 140000000);
  EXPECT_EQ(e.leaves_qty, 100000000);
  EXPECT_EQ(e.cum_qty, 0);
  EXPECT_EQ(e.fee, 0);
  EXPECT_STREQ(e.fee_asset, "KRW");
  EXPECT_EQ(e.client_order_id, 0u) << "no identifier in the doc reply";
  EXPECT_EQ(e.venue_ts_ns, kCreatedNs);
  EXPECT_EQ(e.header.exchange_ts_ns, kCreatedNs);
  EXPECT_EQ(e.header.receive_ts_ns, 99);
  EXPECT_EQ(e.header.exchange_id, hft::common::ExchangeId::Upbit);
  EXPECT_EQ(e.header.instrument_id, 1u);
}

TEST_F(UpbitReplies, docCancelReplyCarriesTheOrdersStateWhenTheCancelWasAccepted) {
  HFT_SKIP_WITHOUT_SAMPLES();
  const ResponseResult r = parse(hft::test::readSample("upbit/rest/DELETE_v1_order_response_200.json"));
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(parser.reports()[0].exec_type, ExecType::New);
  EXPECT_EQ(parser.reports()[0].side, hft::common::Side::Buy);
}

TEST_F(UpbitReplies, ourIdentifierFillsAndStatesMap) {
  const std::string body =
      R"([{"uuid":"u1","side":"bid","ord_type":"limit","price":"100000000","state":"wait","market":"KRW-BTC",)"
      R"("created_at":"2025-07-04T15:00:00+09:00","volume":"1.0","remaining_volume":"0.4","executed_volume":"0.6",)"
      R"("paid_fee":"30000.123456789","identifier":"18446744073709551615","time_in_force":"post_only"},)"
      R"({"uuid":"u2","side":"ask","ord_type":"market","price":null,"state":"done","market":"KRW-ETH",)"
      R"("created_at":"2025-07-04T06:00:00Z","volume":"0.5","remaining_volume":"0","executed_volume":"0.5",)"
      R"("identifier":"not-ours"},)"
      R"({"uuid":"u3","side":"bid","ord_type":"price","price":"10000","state":"cancel","market":"KRW-BTC",)"
      R"("created_at":"2025-07-04T06:00:00.5Z","volume":null,"remaining_volume":null,"executed_volume":"0.0001"}])";
  const ResponseResult r = parse(body);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field << " @" << r.offset;
  EXPECT_EQ(r.kind, ResponseKind::Orders);
  ASSERT_EQ(parser.reports().size(), 3u);
  const auto& a = parser.reports()[0];
  EXPECT_EQ(a.exec_type, ExecType::PartiallyFilled);
  EXPECT_EQ(a.client_order_id, 18446744073709551615ull);
  EXPECT_EQ(a.cum_qty, 60000000);
  EXPECT_EQ(a.fee, 3000012345678) << "fees truncate to 8 decimals";
  EXPECT_EQ(a.tif, hft::common::TimeInForce::PostOnly);
  const auto& b = parser.reports()[1];
  EXPECT_EQ(b.exec_type, ExecType::Filled);
  EXPECT_EQ(b.client_order_id, 0u);
  EXPECT_EQ(b.order_type, hft::common::OrderType::Market);
  EXPECT_EQ(b.order_price, 0);
  EXPECT_EQ(b.venue_ts_ns, kCreatedNs);
  const auto& c = parser.reports()[2];
  EXPECT_EQ(c.exec_type, ExecType::Canceled);
  EXPECT_EQ(c.order_price, 0) << "ord_type=price's price is an amount, not a limit";
  EXPECT_EQ(c.venue_ts_ns, kCreatedNs + 500'000'000);
  EXPECT_EQ(parser.uuid(2), "u3");
}

TEST_F(UpbitReplies, docErrorBodiesKeepTheVenuesNameAndMapToRejectReasons) {
  HFT_SKIP_WITHOUT_SAMPLES();
  const auto doc = nlohmann::json::parse(hft::test::readSample("upbit/rest/POST_v1_orders_errors.json"));
  const std::pair<std::string, RejectReason> expected[] = {
      {"invalid_parameter", RejectReason::InvalidRequest},
      {"invalid_time_in_force", RejectReason::InvalidRequest},
      {"over_krw_funds_bid", RejectReason::MaxOrderNotional},
      {"insufficient_funds_bid", RejectReason::InsufficientBalance},
      {"notfoundmarket", RejectReason::UnknownInstrument},
      {"market_offline", RejectReason::VenueUnavailable},
  };
  size_t i = 0;
  for (const char* status : {"400", "403"}) {
    for (const auto& body : doc.at(status)) {
      ASSERT_LT(i, std::size(expected));
      const ResponseResult r = parse(body.dump());
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r.kind, ResponseKind::VenueError);
      EXPECT_EQ(parser.error().name, expected[i].first);
      EXPECT_EQ(parser.error().reason, expected[i].second) << expected[i].first;
      EXPECT_FALSE(parser.error().message.empty());
      ++i;
    }
  }
  EXPECT_EQ(i, std::size(expected));
}

TEST_F(UpbitReplies, errorNamesFromTheGuideMap) {
  EXPECT_EQ(hft::api::upbit::rejectReasonOf("invalid_price_ask"), RejectReason::OffTickPrice);
  EXPECT_EQ(hft::api::upbit::rejectReasonOf("under_min_total_bid"), RejectReason::BelowMinNotional);
  EXPECT_EQ(hft::api::upbit::rejectReasonOf("insufficient_funds_ask"), RejectReason::InsufficientBalance);
  EXPECT_EQ(hft::api::upbit::rejectReasonOf("jwt_verification"), RejectReason::VenueRejected);
  EXPECT_EQ(hft::api::upbit::rejectReasonOf("something_new"), RejectReason::VenueRejected);
}

TEST_F(UpbitReplies, badInputNamesFieldAndOffset) {
  const std::string truncated = R"({"uuid":"u1","side":"bid","ord_type":"li)";
  EXPECT_EQ(parse(truncated).status, Status::InvalidJson);
  EXPECT_TRUE(parser.reports().empty());

  const std::string wrongType = R"({"uuid":"u1","side":"bid","ord_type":"limit","price":140000000,"state":"wait",)"
                                R"("market":"KRW-BTC","created_at":"2025-07-04T15:00:00+09:00","executed_volume":"0"})";
  ResponseResult r = parse(wrongType);
  EXPECT_EQ(r.status, Status::WrongType);
  EXPECT_STREQ(r.field, "price");
  EXPECT_EQ(r.offset, wrongType.find("140000000"));

  const std::string missing = R"({"uuid":"u1","side":"bid","ord_type":"limit","state":"wait","market":"KRW-BTC",)"
                              R"("created_at":"2025-07-04T15:00:00+09:00"})";
  r = parse(missing);
  EXPECT_EQ(r.status, Status::MissingField);
  EXPECT_STREQ(r.field, "executed_volume");
  EXPECT_EQ(r.offset, 0u);

  const std::string badDecimal = R"({"uuid":"u1","side":"bid","ord_type":"limit","price":"1.5","state":"wait",)"
                                 R"("market":"KRW-BTC","created_at":"2025-07-04T15:00:00+09:00","executed_volume":"0"})";
  r = parse(badDecimal);
  EXPECT_EQ(r.status, Status::BadNumber);
  EXPECT_STREQ(r.field, "price");
  EXPECT_EQ(r.value, "1.5");
  EXPECT_EQ(r.offset, badDecimal.find("\"1.5\""));

  const std::string badState = R"({"uuid":"u1","side":"bid","ord_type":"limit","price":"1","state":"odd",)"
                               R"("market":"KRW-BTC","created_at":"2025-07-04T15:00:00+09:00","executed_volume":"0"})";
  r = parse(badState);
  EXPECT_EQ(r.status, Status::BadValue);
  EXPECT_STREQ(r.field, "state");
  EXPECT_EQ(r.value, "odd");

  const std::string badTime = R"({"uuid":"u1","side":"bid","ord_type":"limit","price":"1","state":"wait",)"
                              R"("market":"KRW-BTC","created_at":"yesterday","executed_volume":"0"})";
  r = parse(badTime);
  EXPECT_EQ(r.status, Status::BadValue);
  EXPECT_STREQ(r.field, "created_at");
  EXPECT_EQ(r.offset, badTime.find("\"yesterday\""));

  const std::string inList = R"([{"uuid":"u1","side":"bid","ord_type":"limit","price":"1","state":"wait","market":)"
                             R"("KRW-BTC","created_at":"2025-07-04T15:00:00+09:00","executed_volume":"0"},)"
                             R"({"uuid":"u2","side":"sideways","ord_type":"limit","price":"1","state":"wait","market":)"
                             R"("KRW-BTC","created_at":"2025-07-04T15:00:00+09:00","executed_volume":"0"}])";
  r = parse(inList);
  EXPECT_EQ(r.status, Status::BadValue);
  EXPECT_EQ(r.item, 1u);
  EXPECT_STREQ(r.field, "side");
  EXPECT_EQ(r.offset, inList.find("\"sideways\""));

  r = parse(R"({"uuid":"u1","side":"bid","ord_type":"limit","price":"1","state":"wait","market":"KRW-DOGE",)"
            R"("created_at":"2025-07-04T15:00:00+09:00","executed_volume":"0"})");
  EXPECT_EQ(r.status, Status::UnknownSymbol);
  EXPECT_STREQ(r.field, "market");

  r = parse(R"({"error":{"message":"no name"}})");
  EXPECT_EQ(r.status, Status::MissingField);
  EXPECT_STREQ(r.field, "error.name");
}

TEST(IsoTimestamp, parsesKstAndUtcAndRefusesGarbage) {
  hft::common::TimestampNs t = 0;
  ASSERT_TRUE(hft::api::upbit::parseIsoTimestamp("2025-07-04T15:00:00+09:00", t));
  EXPECT_EQ(t, kCreatedNs);
  ASSERT_TRUE(hft::api::upbit::parseIsoTimestamp("1970-01-01T00:00:00Z", t));
  EXPECT_EQ(t, 0);
  ASSERT_TRUE(hft::api::upbit::parseIsoTimestamp("2024-02-29T23:59:59.123-01:00", t));
  EXPECT_EQ(t, 1709254799123000000LL);
  EXPECT_FALSE(hft::api::upbit::parseIsoTimestamp("2025-13-04T15:00:00+09:00", t));
  EXPECT_FALSE(hft::api::upbit::parseIsoTimestamp("2025-07-04T15:00:00+0900", t));
  EXPECT_FALSE(hft::api::upbit::parseIsoTimestamp("2025-07-04", t));
}

}  // namespace
