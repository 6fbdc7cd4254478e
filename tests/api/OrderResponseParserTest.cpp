// OrderResponseParser: REST order replies, venue errors and user-data events -> ExecutionReport
// and BalanceUpdate; the venue samples when present, and hand-made bad input.
#include "api/exchanges/binance/OrderResponseParser.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "BinanceTestUtil.h"
#include "OrderEntryTestUtil.h"

namespace hft::api::binance {
namespace {

using common::ExecType;
using common::Liquidity;
using common::OrderType;
using common::RejectReason;
using common::Side;
using common::TimeInForce;

constexpr common::TimestampNs kRecv = 42;
constexpr int64_t kMs = 1'000'000;

std::string sample(const std::string& rel) {
  return test::readText(test::sharedPath("exchange-samples/binance/" + rel));
}
std::string_view asset(const char (&a)[8]) { return {a, strnlen(a, sizeof a)}; }

class OrderResponseParserTest : public ::testing::Test {
 protected:
  test::SampleInstruments instruments;
  OrderResponseParser parser{instruments};

  const common::ExecutionReport& onlyReport() {
    EXPECT_EQ(parser.reports().size(), 1u);
    return parser.reports()[0];
  }
};

// ---- user data: the venue's samples ------------------------------------------------------------

TEST_F(OrderResponseParserTest, readsTheSpotExecutionReportSample) {
  HFT_SKIP_WITHOUT_SHARED();
  const auto r = parser.parseUserData(sample("spot/user-data/executionReport_new.json"), kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field << " @" << r.offset;
  EXPECT_EQ(r.kind, ResponseKind::ExecutionReport);
  EXPECT_EQ(r.market, Market::Spot);
  const auto& e = onlyReport();
  EXPECT_EQ(e.header.type, common::EventType::ExecutionReport);
  EXPECT_EQ(e.header.exchange_id, common::ExchangeId::Binance);
  EXPECT_EQ(e.header.instrument_id, 3u);  // ETHBTC
  EXPECT_EQ(e.header.exchange_ts_ns, 1499405658658 * kMs);  // E
  EXPECT_EQ(e.header.receive_ts_ns, kRecv);
  EXPECT_EQ(e.venue_ts_ns, 1499405658657 * kMs);  // T
  EXPECT_EQ(e.client_order_id, 0u) << "not one of our decimal ids";
  EXPECT_EQ(parser.clientOrderIdText(), "mUvoqJxFIILMdfAW5iGSOW");
  EXPECT_EQ(e.orig_client_order_id, 0u);
  EXPECT_EQ(e.venue_order_id, 4293153u);
  EXPECT_EQ(e.exec_type, ExecType::New);
  EXPECT_EQ(e.side, Side::Buy);
  EXPECT_EQ(e.order_type, OrderType::Limit);
  EXPECT_EQ(e.tif, TimeInForce::GTC);
  EXPECT_EQ(e.order_price, 10264410);
  EXPECT_EQ(e.cum_qty, 0);
  EXPECT_EQ(e.leaves_qty, 100000000);
  EXPECT_EQ(e.last_qty, 0);
  EXPECT_EQ(e.fee, 0);
  EXPECT_EQ(asset(e.fee_asset), "") << "N is null";
  EXPECT_EQ(e.trade_id, 0u) << "t = -1";
  EXPECT_EQ(e.liquidity, Liquidity::Unknown);
  EXPECT_EQ(e.reject_reason, RejectReason::None);
}

TEST_F(OrderResponseParserTest, readsTheUsdmOrderTradeUpdateSample) {
  HFT_SKIP_WITHOUT_SHARED();
  const auto r = parser.parseUserData(sample("futures-usdm/user-data/ORDER_TRADE_UPDATE.json"), kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field << " @" << r.offset;
  EXPECT_EQ(r.market, Market::UsdM);
  const auto& e = onlyReport();
  EXPECT_EQ(e.header.exchange_id, common::ExchangeId::BinanceFutures);
  EXPECT_EQ(e.header.instrument_id, 11u);
  EXPECT_EQ(e.header.exchange_ts_ns, 1568879465651 * kMs);
  EXPECT_EQ(e.venue_ts_ns, 1568879465650 * kMs);
  EXPECT_EQ(parser.clientOrderIdText(), "TEST");
  EXPECT_EQ(e.venue_order_id, 8886774u);
  EXPECT_EQ(e.side, Side::Sell);
  EXPECT_EQ(e.order_type, OrderType::StopMarket) << "TRAILING_STOP_MARKET";
  EXPECT_EQ(e.exec_type, ExecType::New);
  EXPECT_EQ(e.leaves_qty, 1);  // 0.001 at 3 decimals
  EXPECT_EQ(asset(e.fee_asset), "USDT");
}

TEST_F(OrderResponseParserTest, toleratesNullsInACapturedCombinedStreamUpdate) {
  HFT_SKIP_WITHOUT_SHARED();
  const auto r = parser.parseUserData(sample("captured/usdm_ORDER_TRADE_UPDATE_fixture_with_nulls.json"), kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field << " @" << r.offset;
  const auto& e = onlyReport();
  EXPECT_EQ(e.header.instrument_id, 12u);  // ETHUSDT
  EXPECT_EQ(e.venue_order_id, 8765432100u);
  EXPECT_EQ(e.order_price, 249550);
  EXPECT_EQ(e.leaves_qty, 1000);
  EXPECT_EQ(e.fee, 0);
  EXPECT_EQ(asset(e.fee_asset), "");
}

TEST_F(OrderResponseParserTest, readsBalancesOfBothMarkets) {
  HFT_SKIP_WITHOUT_SHARED();
  auto r = parser.parseUserData(sample("spot/user-data/outboundAccountPosition.json"), kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, ResponseKind::Balances);
  ASSERT_EQ(parser.balances().size(), 1u);
  const auto& b = parser.balances()[0];
  EXPECT_EQ(b.header.type, common::EventType::BalanceUpdate);
  EXPECT_EQ(b.header.exchange_id, common::ExchangeId::Binance);
  EXPECT_EQ(b.header.exchange_ts_ns, 1564034571105 * kMs);
  EXPECT_EQ(asset(b.asset), "ETH");
  EXPECT_EQ(b.free, 10000'00000000);
  EXPECT_EQ(b.locked, 0);
  EXPECT_EQ(b.delta, 0);

  r = parser.parseUserData(sample("futures-usdm/user-data/ACCOUNT_UPDATE.json"), kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.market, Market::UsdM);
  ASSERT_EQ(parser.balances().size(), 2u) << "positions (P) are not balances";
  EXPECT_EQ(asset(parser.balances()[0].asset), "USDT");
  EXPECT_EQ(parser.balances()[0].free, 122624'12345678);  // wallet balance
  EXPECT_EQ(parser.balances()[0].delta, 50'12345678);
  EXPECT_EQ(asset(parser.balances()[1].asset), "BUSD");
  EXPECT_EQ(parser.balances()[1].delta, -49'12345678);
  EXPECT_EQ(parser.balances()[1].header.exchange_id, common::ExchangeId::BinanceFutures);
}

TEST_F(OrderResponseParserTest, classifiesOtherUserDataEvents) {
  HFT_SKIP_WITHOUT_SHARED();
  auto r = parser.parseUserData(sample("futures-usdm/user-data/listenKeyExpired.json"), kRecv);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.kind, ResponseKind::StreamExpired);
  for (const char* f : {"spot/user-data/balanceUpdate.json", "spot/user-data/listStatus.json",
                        "futures-usdm/user-data/TRADE_LITE.json"}) {
    r = parser.parseUserData(sample(f), kRecv);
    EXPECT_TRUE(r.ok()) << f << ": " << toString(r.status) << " " << r.field;
    EXPECT_EQ(r.kind, ResponseKind::Other) << f;
  }
  EXPECT_EQ(parser.eventType(), "TRADE_LITE");
}

// ---- user data: fills and cancels (hand-made, ids are ours) ------------------------------------

constexpr std::string_view kSpotFill =
    R"({"e":"executionReport","E":1700000000123,"s":"BTCUSDT","c":"1001","S":"SELL","o":"LIMIT_MAKER","f":"GTC",)"
    R"("q":"0.02000000","p":"65000.50000000","P":"0.00000000","F":"0.00000000","g":-1,"C":"","x":"TRADE",)"
    R"("X":"PARTIALLY_FILLED","r":"NONE","i":555,"l":"0.00500000","z":"0.00500000","L":"65000.50000000",)"
    R"("n":"0.00000325","N":"BNB","T":1700000000120,"t":777,"v":3,"I":1,"w":false,"m":true,"M":true,)"
    R"("O":1699999999000,"Z":"325.00250000","Y":"325.00250000","Q":"0.00000000","W":1699999999000,"V":"EXPIRE_MAKER"})";

TEST_F(OrderResponseParserTest, readsASpotMakerFillFromTheBareLegacyEvent) {
  const auto r = parser.parseUserData(kSpotFill, kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field << " @" << r.offset;
  const auto& e = onlyReport();
  EXPECT_EQ(e.client_order_id, 1001u);
  EXPECT_EQ(e.exec_type, ExecType::PartiallyFilled);
  EXPECT_EQ(e.order_type, OrderType::Limit);
  EXPECT_EQ(e.tif, TimeInForce::PostOnly) << "LIMIT_MAKER";
  EXPECT_EQ(e.last_qty, 500);
  EXPECT_EQ(e.last_price, 6500050);
  EXPECT_EQ(e.cum_qty, 500);
  EXPECT_EQ(e.leaves_qty, 1500);
  EXPECT_EQ(e.fee, 325);
  EXPECT_EQ(asset(e.fee_asset), "BNB");
  EXPECT_EQ(e.liquidity, Liquidity::Maker);
  EXPECT_EQ(e.trade_id, 777u);
  EXPECT_EQ(e.avg_price, 6500050) << "Z / z";
  EXPECT_EQ(e.venue_ts_ns, 1700000000120 * kMs);
}

TEST_F(OrderResponseParserTest, namesBothIdsOfASpotCancel) {
  std::string msg(kSpotFill);
  msg.replace(msg.find(R"("c":"1001")"), 10, R"("c":"1002")");
  msg.replace(msg.find(R"("C":"")"), 6, R"("C":"1001")");
  msg.replace(msg.find(R"("x":"TRADE")"), 11, R"("x":"CANCELED")");
  msg.replace(msg.find(R"("X":"PARTIALLY_FILLED")"), 22, R"("X":"CANCELED")");
  const auto r = parser.parseUserData(msg, kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field << " @" << r.offset;
  const auto& e = onlyReport();
  EXPECT_EQ(e.exec_type, ExecType::Canceled);
  EXPECT_EQ(e.client_order_id, 1002u) << "the cancel's own id";
  EXPECT_EQ(e.orig_client_order_id, 1001u) << "the order that was canceled";
  EXPECT_EQ(e.leaves_qty, 0);
}

TEST_F(OrderResponseParserTest, mapsASpotRejectReason) {
  std::string msg(kSpotFill);
  msg.replace(msg.find(R"("x":"TRADE")"), 11, R"("x":"REJECTED")");
  msg.replace(msg.find(R"("X":"PARTIALLY_FILLED")"), 22, R"("X":"REJECTED")");
  msg.replace(msg.find(R"("r":"NONE")"), 10, R"("r":"INSUFFICIENT_BALANCES")");
  ASSERT_TRUE(parser.parseUserData(msg, kRecv).ok());
  EXPECT_EQ(onlyReport().exec_type, ExecType::Rejected);
  EXPECT_EQ(onlyReport().reject_reason, RejectReason::InsufficientBalance);
}

TEST_F(OrderResponseParserTest, readsAUsdmTakerFillInsideTheSubscriptionWrapper) {
  const std::string msg =
      R"({"subscriptionId":3,"event":{"e":"ORDER_TRADE_UPDATE","E":1700000000500,"T":1700000000499,"o":{"s":"BTCUSDT",)"
      R"("c":"2001","S":"BUY","o":"LIMIT","f":"GTX","q":"0.010","p":"9000.10","ap":"9000.10","sp":"0","x":"TRADE",)"
      R"("X":"FILLED","i":99,"l":"0.010","z":"0.010","L":"9000.10","N":"USDT","n":"0.0180002012","T":1700000000498,)"
      R"("t":1234,"b":"0","a":"0","m":false,"R":false,"wt":"CONTRACT_PRICE","ot":"LIMIT","ps":"BOTH","cp":false,)"
      R"("rp":"0","pP":false,"si":0,"ss":0,"V":"NONE","pm":"NONE","gtd":0}}})";
  const auto r = parser.parseUserData(msg, kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field << " @" << r.offset;
  const auto& e = onlyReport();
  EXPECT_EQ(e.client_order_id, 2001u);
  EXPECT_EQ(e.exec_type, ExecType::Filled);
  EXPECT_EQ(e.tif, TimeInForce::PostOnly) << "GTX";
  EXPECT_EQ(e.cum_qty, 10);
  EXPECT_EQ(e.leaves_qty, 0);
  EXPECT_EQ(e.avg_price, 900010);
  EXPECT_EQ(e.fee, 1800020) << "fees are truncated to 8 decimals";
  EXPECT_EQ(e.liquidity, Liquidity::Taker);
  EXPECT_EQ(e.trade_id, 1234u);
  EXPECT_EQ(e.venue_ts_ns, 1700000000498 * kMs) << "the order's trade time";
  EXPECT_EQ(e.header.exchange_ts_ns, 1700000000500 * kMs);
}

// ---- user data: bad input ----------------------------------------------------------------------

TEST_F(OrderResponseParserTest, reportsTruncatedJsonWithAnOffset) {
  for (size_t cut : {size_t{1}, size_t{40}, kSpotFill.size() / 2, kSpotFill.size() - 1}) {
    const auto r = parser.parseUserData(kSpotFill.substr(0, cut), kRecv);
    EXPECT_EQ(r.status, ResponseStatus::InvalidJson) << cut;
    EXPECT_LE(r.offset, cut) << cut;
    EXPECT_TRUE(parser.reports().empty());
  }
  EXPECT_EQ(parser.parseUserData("", kRecv).status, ResponseStatus::InvalidJson);
  EXPECT_EQ(parser.parseUserData("[1,2]", kRecv).status, ResponseStatus::InvalidJson);
  EXPECT_EQ(parser.parseUserData(std::string(kSpotFill) + "{}", kRecv).status, ResponseStatus::InvalidJson)
      << "content after the object";
}

TEST_F(OrderResponseParserTest, namesAMissingFieldAndTheObjectThatLacksIt) {
  std::string msg = R"({"subscriptionId":0,"event":)" + std::string(kSpotFill) + "}";
  msg.erase(msg.find(R"("z":"0.00500000",)"), 17);
  const auto r = parser.parseUserData(msg, kRecv);
  EXPECT_EQ(r.status, ResponseStatus::MissingField);
  EXPECT_EQ(r.field, "z");
  EXPECT_EQ(r.offset, msg.find(R"({"e")")) << "the event object, not the wrapper";
}

TEST_F(OrderResponseParserTest, namesAWrongTypeAtItsOffset) {
  std::string msg(kSpotFill);
  msg.replace(msg.find(R"("i":555)"), 7, R"("i":"555")");
  const auto r = parser.parseUserData(msg, kRecv);
  EXPECT_EQ(r.status, ResponseStatus::WrongType);
  EXPECT_EQ(r.field, "i");
  EXPECT_EQ(r.offset, msg.find(R"("555")"));

  msg = kSpotFill;
  msg.replace(msg.find(R"("m":true)"), 8, R"("m":"yes")");
  EXPECT_EQ(parser.parseUserData(msg, kRecv).field, "m");
}

TEST_F(OrderResponseParserTest, refusesAQuantityOffTheInstrumentScale) {
  std::string msg(kSpotFill);
  msg.replace(msg.find(R"("l":"0.00500000")"), 16, R"("l":"0.00500001")");
  const auto r = parser.parseUserData(msg, kRecv);
  EXPECT_EQ(r.status, ResponseStatus::BadNumber);
  EXPECT_EQ(r.field, "l");
  EXPECT_EQ(r.number, common::ParseStatus::TooManyDecimals);
  EXPECT_EQ(r.value, "0.00500001");
  EXPECT_EQ(r.offset, msg.find(R"("0.00500001")"));
}

TEST_F(OrderResponseParserTest, refusesUnknownEnumValuesAndSymbols) {
  std::string msg(kSpotFill);
  msg.replace(msg.find(R"("X":"PARTIALLY_FILLED")"), 22, R"("X":"PENDING_CANCEL")");
  auto r = parser.parseUserData(msg, kRecv);
  EXPECT_EQ(r.status, ResponseStatus::BadValue);
  EXPECT_EQ(r.field, "X");
  EXPECT_EQ(r.value, "PENDING_CANCEL");

  msg = kSpotFill;
  msg.replace(msg.find(R"("s":"BTCUSDT")"), 13, R"("s":"DOGEUSDT")");
  r = parser.parseUserData(msg, kRecv);
  EXPECT_EQ(r.status, ResponseStatus::UnknownSymbol);
  EXPECT_EQ(r.field, "s");
  EXPECT_EQ(r.value, "DOGEUSDT");

  msg = kSpotFill;
  msg.replace(msg.find(R"("N":"BNB")"), 9, R"("N":"VERYLONGASSET")");
  r = parser.parseUserData(msg, kRecv);
  EXPECT_EQ(r.status, ResponseStatus::BadValue);
  EXPECT_EQ(r.field, "N");
}

TEST_F(OrderResponseParserTest, namesTheUsdmOrderFieldsWithTheirPrefix) {
  const std::string noOrder = R"({"e":"ORDER_TRADE_UPDATE","E":1,"T":1})";
  auto r = parser.parseUserData(noOrder, kRecv);
  EXPECT_EQ(r.status, ResponseStatus::MissingField);
  EXPECT_EQ(r.field, "o");
  const std::string noQty = R"({"e":"ORDER_TRADE_UPDATE","E":1,"T":1,"o":{"s":"BTCUSDT","c":"1","S":"BUY",)"
                            R"("o":"LIMIT","f":"GTC","p":"1","x":"NEW","X":"NEW","i":1,"l":"0","z":"0","L":"0","T":1}})";
  r = parser.parseUserData(noQty, kRecv);
  EXPECT_EQ(r.status, ResponseStatus::MissingField);
  EXPECT_EQ(r.field, "o.q");
  EXPECT_EQ(r.offset, noQty.find(R"({"s")"));
}

TEST_F(OrderResponseParserTest, skipsAssetsTooLongForABalanceUpdate) {
  const std::string msg = R"({"e":"outboundAccountPosition","E":1,"u":1,"B":[{"a":"BTC","f":"1.5","l":"0.25"},)"
                          R"({"a":"BANANAS31X","f":"1","l":"0"}]})";
  ASSERT_TRUE(parser.parseUserData(msg, kRecv).ok());
  ASSERT_EQ(parser.balances().size(), 1u);
  EXPECT_EQ(parser.balances()[0].free, 150000000);
  EXPECT_EQ(parser.balances()[0].locked, 25000000);
  EXPECT_EQ(parser.skippedAssets(), 1u);

  const std::string bad = R"({"e":"outboundAccountPosition","E":1,"B":[{"a":"BTC","f":1.5,"l":"0"}]})";
  const auto r = parser.parseUserData(bad, kRecv);
  EXPECT_EQ(r.status, ResponseStatus::WrongType);
  EXPECT_EQ(r.field, "B[].f");
  EXPECT_EQ(r.offset, bad.find("1.5"));
}

// ---- REST replies ------------------------------------------------------------------------------

TEST_F(OrderResponseParserTest, readsTheSpotRestReplies) {
  HFT_SKIP_WITHOUT_SHARED();
  auto r = parser.parseRest(Market::Spot, sample("spot/rest/order_response_ACK.json"), kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, ResponseKind::OrderAck);
  EXPECT_EQ(onlyReport().exec_type, ExecType::New);
  EXPECT_EQ(onlyReport().venue_order_id, 28u);
  EXPECT_EQ(onlyReport().venue_ts_ns, 1507725176595 * kMs);
  EXPECT_EQ(parser.clientOrderIdText(), "6gCrw2kRUAF9CvJDGP16IP");

  r = parser.parseRest(Market::Spot, sample("spot/rest/order_response_RESULT.json"), kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, ResponseKind::Order);
  EXPECT_EQ(onlyReport().exec_type, ExecType::Filled);
  EXPECT_EQ(onlyReport().order_type, OrderType::Market);
  EXPECT_EQ(onlyReport().side, Side::Sell);
  EXPECT_EQ(onlyReport().cum_qty, 10'00000);
  EXPECT_EQ(onlyReport().leaves_qty, 0);
  EXPECT_EQ(onlyReport().avg_price, 100) << "cummulativeQuoteQty 10 / executedQty 10 = 1.00";
  EXPECT_TRUE(parser.fills().empty());

  r = parser.parseRest(Market::Spot, sample("spot/rest/order_response_FULL.json"), kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  ASSERT_EQ(parser.fills().size(), 5u);
  EXPECT_EQ(parser.fills()[0].price, 400000);
  EXPECT_EQ(parser.fills()[0].qty, 1'00000);
  EXPECT_EQ(parser.fills()[0].fee, 4'00000000);
  EXPECT_EQ(asset(parser.fills()[0].fee_asset), "USDT");
  EXPECT_EQ(parser.fills()[0].trade_id, 56u);
  EXPECT_EQ(parser.fills()[1].fee, 19'99500000);
  EXPECT_EQ(parser.fills()[4].trade_id, 60u);

  r = parser.parseRest(Market::Spot, sample("spot/rest/cancel_order_response.json"), kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(onlyReport().exec_type, ExecType::Canceled);
  EXPECT_EQ(onlyReport().header.instrument_id, 4u);  // LTCBTC
  EXPECT_EQ(onlyReport().order_price, 2'00000000);
  EXPECT_EQ(onlyReport().leaves_qty, 0);
  EXPECT_EQ(parser.clientOrderIdText(), "cancelMyOrder1");
}

TEST_F(OrderResponseParserTest, readsTheUsdmRestReplies) {
  HFT_SKIP_WITHOUT_SHARED();
  auto r = parser.parseRest(Market::UsdM, sample("futures-usdm/rest/order_new_response.json"), kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, ResponseKind::Order);
  const auto& e = onlyReport();
  EXPECT_EQ(e.header.exchange_id, common::ExchangeId::BinanceFutures);
  EXPECT_EQ(e.venue_order_id, 22542179u);
  EXPECT_EQ(e.exec_type, ExecType::New);
  EXPECT_EQ(e.tif, TimeInForce::GTC) << "GTD";
  EXPECT_EQ(e.leaves_qty, 10'000);
  EXPECT_EQ(e.venue_ts_ns, 1566818724722 * kMs) << "updateTime";

  r = parser.parseRest(Market::UsdM, sample("futures-usdm/rest/cancel_order_response.json"), kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(onlyReport().exec_type, ExecType::Canceled);
  EXPECT_EQ(onlyReport().order_type, OrderType::StopMarket);
  EXPECT_EQ(onlyReport().venue_order_id, 283194212u);
}

TEST_F(OrderResponseParserTest, mapsEveryDocumentedErrorBody) {
  HFT_SKIP_WITHOUT_SHARED();
  struct Expect {
    Market market;
    int code;
    std::string_view msgPart;
    RejectReason reason;
  };
  const Expect expected[] = {
      {Market::Spot, -1021, "recvWindow", RejectReason::VenueRejected},
      {Market::Spot, -1022, "Signature", RejectReason::VenueRejected},
      {Market::Spot, -1003, "request weight", RejectReason::RateLimit},
      {Market::Spot, -1015, "orders", RejectReason::RateLimit},
      {Market::Spot, -1013, "PRICE_FILTER", RejectReason::OffTickPrice},
      {Market::Spot, -1013, "LOT_SIZE", RejectReason::OffLotQuantity},
      {Market::Spot, -1013, "MIN_NOTIONAL", RejectReason::BelowMinNotional},
      {Market::Spot, -2010, "insufficient balance", RejectReason::InsufficientBalance},
      {Market::Spot, -2011, "cancel restrictions", RejectReason::VenueRejected},
      {Market::Spot, -2013, "does not exist", RejectReason::UnknownOrder},
      {Market::Spot, -2015, "API-key", RejectReason::VenueRejected},
      {Market::Spot, -1007, "Timeout", RejectReason::VenueUnavailable},
      {Market::UsdM, -1008, "throttled", RejectReason::VenueUnavailable},
      {Market::UsdM, -2019, "Margin", RejectReason::InsufficientBalance},
      {Market::UsdM, -2022, "ReduceOnly", RejectReason::ReduceOnlyRejected},
      {Market::UsdM, -4164, "notional", RejectReason::BelowMinNotional},
      {Market::UsdM, -5022, "Post Only", RejectReason::PostOnlyWouldCross},
  };
  size_t matched = 0;
  for (const char* file : {"spot/rest/errors.json", "futures-usdm/rest/errors.json"}) {
    const Market market = file[0] == 's' ? Market::Spot : Market::UsdM;
    const auto doc = nlohmann::json::parse(sample(file));
    for (const auto& ex : doc.at("examples")) {
      const std::string body = ex.at("body").dump();
      const auto r = parser.parseRest(market, body, kRecv);
      ASSERT_TRUE(r.ok()) << body;
      ASSERT_EQ(r.kind, ResponseKind::VenueError) << body;
      const VenueError& err = parser.error();
      EXPECT_EQ(err.code, ex.at("body").at("code").get<int>());
      EXPECT_EQ(err.message, ex.at("body").at("msg").get<std::string>());
      EXPECT_EQ(err.executionUnknown, err.code == -1007) << body;
      for (const Expect& x : expected)
        if (x.market == market && x.code == err.code && err.message.find(x.msgPart) != std::string_view::npos) {
          EXPECT_EQ(err.reason, x.reason) << body;
          ++matched;
        }
    }
  }
  EXPECT_GE(matched, std::size(expected));
}

TEST_F(OrderResponseParserTest, mapsErrorsThatShareACodeByMarketAndMessage) {
  EXPECT_EQ(rejectReasonOf(Market::Spot, -2010, "Order would immediately match and take."),
            RejectReason::PostOnlyWouldCross);
  EXPECT_EQ(rejectReasonOf(Market::Spot, -2010, "Duplicate order sent."), RejectReason::DuplicateClientOrderId);
  EXPECT_EQ(rejectReasonOf(Market::Spot, -2011, "Unknown order sent."), RejectReason::UnknownOrder);
  EXPECT_EQ(rejectReasonOf(Market::Spot, -1013, "Filter failure: PERCENT_PRICE_BY_SIDE"), RejectReason::PriceBand);
  EXPECT_EQ(rejectReasonOf(Market::Spot, -1013, "Filter failure: NOTIONAL"), RejectReason::BelowMinNotional);
  EXPECT_EQ(rejectReasonOf(Market::Spot, -2022, "Order cancel-replace failed."), RejectReason::VenueRejected);
  EXPECT_EQ(rejectReasonOf(Market::UsdM, -2022, "ReduceOnly Order is rejected."), RejectReason::ReduceOnlyRejected);
  EXPECT_EQ(rejectReasonOf(Market::UsdM, -9999, "new"), RejectReason::VenueRejected);
  EXPECT_TRUE(executionUnknown(-1006));
  EXPECT_FALSE(executionUnknown(-1008));
}

TEST_F(OrderResponseParserTest, readsASuccessfulCancelReplace) {
  const std::string body =
      R"({"cancelResult":"SUCCESS","newOrderResult":"SUCCESS","cancelResponse":{"symbol":"BTCUSDT",)"
      R"("origClientOrderId":"300","orderId":9,"orderListId":-1,"clientOrderId":"x8vGj2","transactTime":1684804350068,)"
      R"("price":"60000.00","origQty":"0.00100","executedQty":"0.00000","cummulativeQuoteQty":"0.00000000",)"
      R"("status":"CANCELED","timeInForce":"GTC","type":"LIMIT","side":"BUY"},"newOrderResponse":{"symbol":"BTCUSDT",)"
      R"("orderId":10,"orderListId":-1,"clientOrderId":"301","transactTime":1684804350069,"fills":[]}})";
  const auto r = parser.parseRest(Market::Spot, body, kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field << " @" << r.offset;
  EXPECT_EQ(r.kind, ResponseKind::CancelReplace);
  ASSERT_EQ(parser.items().size(), 2u);
  const ReplyItem& cancel = parser.items()[0];
  ASSERT_EQ(cancel.outcome, ReplyItem::Outcome::Report);
  EXPECT_EQ(cancel.report.exec_type, ExecType::Canceled);
  EXPECT_EQ(cancel.report.orig_client_order_id, 300u);
  EXPECT_EQ(parser.clientOrderIdText(0), "x8vGj2");
  const ReplyItem& placed = parser.items()[1];
  ASSERT_EQ(placed.outcome, ReplyItem::Outcome::Report);
  EXPECT_EQ(placed.report.exec_type, ExecType::New) << "an ACK";
  EXPECT_EQ(placed.report.client_order_id, 301u);
  EXPECT_EQ(placed.report.venue_order_id, 10u);
}

TEST_F(OrderResponseParserTest, readsAFailedCancelReplace) {
  const std::string body =
      R"({"code":-2022,"msg":"Order cancel-replace failed.","data":{"cancelResult":"FAILURE",)"
      R"("newOrderResult":"NOT_ATTEMPTED","cancelResponse":{"code":-2011,"msg":"Unknown order sent."},)"
      R"("newOrderResponse":null}})";
  const auto r = parser.parseRest(Market::Spot, body, kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field;
  EXPECT_EQ(r.kind, ResponseKind::CancelReplace);
  EXPECT_EQ(parser.error().code, -2022);
  ASSERT_EQ(parser.items().size(), 2u);
  ASSERT_EQ(parser.items()[0].outcome, ReplyItem::Outcome::Error);
  EXPECT_EQ(parser.items()[0].error.code, -2011);
  EXPECT_EQ(parser.items()[0].error.reason, RejectReason::UnknownOrder);
  EXPECT_EQ(parser.items()[1].outcome, ReplyItem::Outcome::NotAttempted);
}

TEST_F(OrderResponseParserTest, readsAUsdmBatchReplyItemByItem) {
  const std::string body =
      R"([{"clientOrderId":"11","cumQty":"0","cumQuote":"0","executedQty":"0","orderId":5001,"avgPrice":"0.00",)"
      R"("origQty":"1.000","price":"9000","reduceOnly":false,"side":"BUY","positionSide":"BOTH","status":"NEW",)"
      R"("stopPrice":"0","symbol":"BTCUSDT","timeInForce":"GTC","type":"LIMIT","origType":"LIMIT",)"
      R"("updateTime":1700000000000},{"code":-2022,"msg":"ReduceOnly Order is rejected."}])";
  const auto r = parser.parseRest(Market::UsdM, body, kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field << " @" << r.offset;
  EXPECT_EQ(r.kind, ResponseKind::Batch);
  ASSERT_EQ(parser.items().size(), 2u);
  EXPECT_EQ(parser.items()[0].outcome, ReplyItem::Outcome::Report);
  EXPECT_EQ(parser.items()[0].report.client_order_id, 11u);
  EXPECT_EQ(parser.items()[0].report.leaves_qty, 1000);
  EXPECT_EQ(parser.items()[1].outcome, ReplyItem::Outcome::Error);
  EXPECT_EQ(parser.items()[1].error.reason, RejectReason::ReduceOnlyRejected);

  EXPECT_EQ(parser.parseRest(Market::UsdM, "[1]", kRecv).status, ResponseStatus::WrongType);
}

TEST_F(OrderResponseParserTest, readsServerTimeAndEmptyReplies) {
  auto r = parser.parseRest(Market::Spot, R"({"serverTime":1499827319559})", kRecv);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.kind, ResponseKind::ServerTime);
  EXPECT_EQ(parser.serverTimeMs(), 1499827319559);
  r = parser.parseRest(Market::Spot, "{}", kRecv);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.kind, ResponseKind::Other) << "POST /api/v3/order/test";
  EXPECT_EQ(parser.serverTimeMs(), 0) << "results do not outlive their parse";
}

TEST_F(OrderResponseParserTest, namesBadRestFields) {
  const std::string result =
      R"({"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"5","transactTime":1507725176595,)"
      R"("price":"0.00000000","origQty":"10.00000000","cummulativeQuoteQty":"10.00000000","status":"FILLED",)"
      R"("timeInForce":"GTC","type":"MARKET","side":"SELL","fills":[{"price":"4000.001","qty":"1","commission":"0",)"
      R"("commissionAsset":"USDT","tradeId":56}]})";
  auto r = parser.parseRest(Market::Spot, result, kRecv);
  EXPECT_EQ(r.status, ResponseStatus::MissingField);
  EXPECT_EQ(r.field, "executedQty");
  EXPECT_EQ(r.offset, 0u);

  std::string withQty = result;
  withQty.insert(withQty.find(R"("cummulativeQuoteQty")"), R"("executedQty":"10",)");
  r = parser.parseRest(Market::Spot, withQty, kRecv);
  EXPECT_EQ(r.status, ResponseStatus::BadNumber);
  EXPECT_EQ(r.field, "fills[].price");
  EXPECT_EQ(r.offset, withQty.find(R"("4000.001")"));

  r = parser.parseRest(Market::Spot, R"({"code":"-2010","msg":"x"})", kRecv);
  EXPECT_EQ(r.status, ResponseStatus::WrongType);
  EXPECT_EQ(r.field, "code");
  EXPECT_EQ(parser.parseRest(Market::Spot, R"({"symbol":"BTCUSDT","orderId":1,)", kRecv).status,
            ResponseStatus::InvalidJson);
  EXPECT_EQ(parser.parseRest(Market::Spot, "42", kRecv).status, ResponseStatus::InvalidJson);
}

TEST_F(OrderResponseParserTest, readsPrettyPrintedJsonAndUnescapesOnlyFreeText) {
  const std::string body = "{\n  \"serverTime\" :  1499827319559 ,\n  \"x\" : \"y\"\n}\n";
  auto r = parser.parseRest(Market::Spot, body, kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " @" << r.offset;
  EXPECT_EQ(r.kind, ResponseKind::ServerTime);
  EXPECT_EQ(parser.serverTimeMs(), 1499827319559);

  r = parser.parseRest(Market::Spot, R"({ "code" : -2010 , "msg" : "say \"no\"\u0021" })", kRecv);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(parser.error().code, -2010);
  EXPECT_EQ(parser.error().message, "say \"no\"!") << "messages are unescaped";

  const std::string spaced = R"({ "e" : "executionReport" , "E" : 1 , "s" : "BTCUSDT" , "c" : "9" , "S" : "BUY" ,)"
                             R"( "o" : "LIMIT" , "f" : "IOC" , "q" : "1" , "p" : "2" , "x" : "NEW" , "X" : "NEW" ,)"
                             R"( "i" : 3 , "l" : "0" , "z" : "0" , "L" : "0" , "T" : 4 } )";
  r = parser.parseUserData(spaced, kRecv);
  ASSERT_TRUE(r.ok()) << toString(r.status) << " " << r.field << " @" << r.offset;
  EXPECT_EQ(onlyReport().client_order_id, 9u);
  EXPECT_EQ(onlyReport().tif, TimeInForce::IOC);
  EXPECT_EQ(onlyReport().order_price, 200);
}

TEST_F(OrderResponseParserTest, refusesMoreFillsThanItWasSizedFor) {
  OrderResponseParser small(instruments, OrderResponseParser::Limits{.maxFills = 1, .maxBalances = 1,
                                                                     .initialMessageBytes = 64});
  const std::string head =
      R"({"symbol":"BTCUSDT","orderId":28,"clientOrderId":"5","transactTime":1,"price":"0","origQty":"2",)"
      R"("executedQty":"2","status":"FILLED","type":"MARKET","side":"SELL","fills":[)";
  const std::string fill1 = R"({"price":"1","qty":"1","commission":"0","commissionAsset":"USDT","tradeId":1})";
  const std::string fill2 = R"({"price":"1","qty":"1","commission":"0","commissionAsset":"USDT","tradeId":2})";
  const std::string two = head + fill1 + "," + fill2 + "]}";
  const auto r = small.parseRest(Market::Spot, two, kRecv);
  EXPECT_EQ(r.status, ResponseStatus::TooManyItems);
  EXPECT_EQ(r.field, "fills");
  EXPECT_EQ(r.offset, two.find(fill2));
  const std::string one = head + fill1 + "]}";
  EXPECT_TRUE(small.parseRest(Market::Spot, one, kRecv).ok()) << "larger than the initial buffer: it grows";
  EXPECT_EQ(small.fills().size(), 1u);
}

}  // namespace
}  // namespace hft::api::binance
