// OrderEncoder: OrderRequest -> Binance spot and USD-M order-entry parameters.
#include "api/exchanges/binance/OrderEncoder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "OrderEntryTestUtil.h"

namespace hft::api::binance {
namespace {

using common::OrderAction;
using common::OrderType;
using common::PositionSide;
using common::Side;
using common::TimeInForce;
using test::joined;
using test::orderFor;

class OrderEncoderTest : public ::testing::Test {
 protected:
  test::SampleInstruments instruments;
  const config::Instrument& spot = instruments.spot("BTCUSDT");   // price 2, qty 5 decimals
  const config::Instrument& usdm = instruments.usdm("BTCUSDT");   // price 2, qty 3 decimals
  OrderEncoder spotEnc{Market::Spot};
  OrderEncoder usdmEnc{Market::UsdM};
  ParamList out;
  Endpoint ep;

  std::string encode(const OrderEncoder& enc, const common::OrderRequest& r, const config::Instrument& inst) {
    const EncodeStatus st = enc.encode(r, inst, out, ep);
    EXPECT_EQ(st, EncodeStatus::Ok) << toString(st);
    return joined(out);
  }
  EncodeStatus status(const OrderEncoder& enc, const common::OrderRequest& r, const config::Instrument& inst) {
    return enc.encode(r, inst, out, ep);
  }
};

// ---- spot new orders --------------------------------------------------------------------------

TEST_F(OrderEncoderTest, encodesASpotLimitOrder) {
  auto r = orderFor(spot, 1234567890123, 6500050, 1500);  // 65000.50 x 0.015
  EXPECT_EQ(encode(spotEnc, r, spot),
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.015&price=65000.5"
            "&newClientOrderId=1234567890123&newOrderRespType=RESULT");
  EXPECT_EQ(ep.method, HttpMethod::Post);
  EXPECT_EQ(ep.path, "/api/v3/order");
  EXPECT_EQ(ep.wsMethod, "order.place");
  EXPECT_EQ(ep.weight, 1);
  EXPECT_EQ(ep.orders, 1);
}

TEST_F(OrderEncoderTest, encodesSpotTimeInForceIocAndFok) {
  auto r = orderFor(spot, 1, 100, 100000);
  r.side = Side::Sell;
  r.tif = TimeInForce::IOC;
  EXPECT_EQ(encode(spotEnc, r, spot),
            "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=IOC&quantity=1&price=1&newClientOrderId=1"
            "&newOrderRespType=RESULT");
  r.tif = TimeInForce::FOK;
  encode(spotEnc, r, spot);
  EXPECT_EQ(out.find("timeInForce"), "FOK");
}

TEST_F(OrderEncoderTest, encodesSpotPostOnlyAsLimitMakerWithoutTimeInForce) {
  auto r = orderFor(spot, 2, 6500000, 1);
  r.tif = TimeInForce::PostOnly;
  EXPECT_EQ(encode(spotEnc, r, spot),
            "symbol=BTCUSDT&side=BUY&type=LIMIT_MAKER&quantity=0.00001&price=65000&newClientOrderId=2"
            "&newOrderRespType=RESULT");
}

TEST_F(OrderEncoderTest, encodesASpotMarketOrderWithoutPriceOrTimeInForce) {
  auto r = orderFor(spot, 3, 0, 250000);
  r.type = OrderType::Market;
  r.tif = TimeInForce::IOC;  // ignored: a market order is immediate anyway
  EXPECT_EQ(encode(spotEnc, r, spot),
            "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=2.5&newClientOrderId=3&newOrderRespType=RESULT");
}

TEST_F(OrderEncoderTest, encodesSpotStopAndTakeProfitOrders) {
  auto r = orderFor(spot, 4, 0, 100);
  r.side = Side::Sell;
  r.type = OrderType::StopMarket;
  r.stop_price = 6000000;
  EXPECT_EQ(encode(spotEnc, r, spot),
            "symbol=BTCUSDT&side=SELL&type=STOP_LOSS&quantity=0.001&stopPrice=60000&newClientOrderId=4"
            "&newOrderRespType=RESULT");
  r.type = OrderType::StopLimit;
  r.price = 5999999;
  EXPECT_EQ(encode(spotEnc, r, spot),
            "symbol=BTCUSDT&side=SELL&type=STOP_LOSS_LIMIT&timeInForce=GTC&quantity=0.001&price=59999.99"
            "&stopPrice=60000&newClientOrderId=4&newOrderRespType=RESULT");
  r.type = OrderType::TakeProfit;
  r.price = 0;
  r.stop_price = 7000000;
  EXPECT_EQ(encode(spotEnc, r, spot),
            "symbol=BTCUSDT&side=SELL&type=TAKE_PROFIT&quantity=0.001&stopPrice=70000&newClientOrderId=4"
            "&newOrderRespType=RESULT");
}

TEST_F(OrderEncoderTest, sendsTheConfiguredResponseType) {
  OrderEncoder full(Market::Spot, OrderRespType::Full), ack(Market::Spot, OrderRespType::Ack);
  auto r = orderFor(spot, 5, 100, 1);
  encode(full, r, spot);
  EXPECT_EQ(out.find("newOrderRespType"), "FULL");
  encode(ack, r, spot);
  EXPECT_EQ(out.find("newOrderRespType"), "ACK");
  EXPECT_THROW(OrderEncoder(Market::UsdM, OrderRespType::Full), std::invalid_argument);
}

TEST_F(OrderEncoderTest, rendersTheLargestClientOrderIdWithinTheVenuePattern) {
  auto r = orderFor(spot, UINT64_MAX, 100, 1);
  encode(spotEnc, r, spot);
  EXPECT_EQ(out.find("newClientOrderId"), "18446744073709551615");  // 20 chars <= 36, digits only
}

TEST_F(OrderEncoderTest, refusesWhatSpotCannotDo) {
  auto r = orderFor(spot, 6, 100, 1);
  r.reduce_only = 1;
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::Unsupported);
  r.reduce_only = 0;
  r.position_side = PositionSide::Long;
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::Unsupported);
  r.position_side = PositionSide::Both;
  r.type = OrderType::Market;
  r.tif = TimeInForce::PostOnly;
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::Unsupported);
  EXPECT_EQ(toRejectReason(EncodeStatus::Unsupported), common::RejectReason::InvalidRequest);
}

TEST_F(OrderEncoderTest, refusesInvalidRequestsWithTheMatchingStatus) {
  auto r = orderFor(spot, 7, 100, 0);
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::InvalidQuantity);
  r.qty = -1;
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::InvalidQuantity);
  r.qty = 1;
  r.price = 0;
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::InvalidPrice);
  r.price = 100;
  r.type = OrderType::StopMarket;
  r.stop_price = 0;
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::InvalidStopPrice);
  r = orderFor(spot, 7, 100, 1);
  r.side = Side::None;
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::InvalidEnum);
  r = orderFor(spot, 7, 100, 1);
  r.type = static_cast<OrderType>(99);
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::InvalidEnum);
  r = orderFor(spot, 7, 100, 1);
  r.tif = static_cast<TimeInForce>(0);
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::InvalidEnum);
  r = orderFor(spot, 7, 100, 1);
  r.action = static_cast<OrderAction>(9);
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::InvalidEnum);
  r = orderFor(spot, 0, 100, 1);
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::MissingOrderId);
  EXPECT_EQ(toRejectReason(EncodeStatus::InvalidQuantity), common::RejectReason::InvalidQuantity);
  EXPECT_EQ(toRejectReason(EncodeStatus::InvalidStopPrice), common::RejectReason::InvalidPrice);
}

TEST_F(OrderEncoderTest, refusesAnInstrumentOfAnotherMarketOrRequest) {
  auto r = orderFor(spot, 8, 100, 1);
  EXPECT_EQ(status(usdmEnc, r, spot), EncodeStatus::WrongInstrument);
  EXPECT_EQ(status(spotEnc, r, usdm), EncodeStatus::WrongInstrument);
  EXPECT_EQ(status(spotEnc, r, instruments.spot("ETHUSDT")), EncodeStatus::WrongInstrument);
  EXPECT_EQ(toRejectReason(EncodeStatus::WrongInstrument), common::RejectReason::UnknownInstrument);
}

// ---- USD-M new orders -------------------------------------------------------------------------

TEST_F(OrderEncoderTest, encodesAUsdmLimitOrder) {
  auto r = orderFor(usdm, 42, 900000, 1000);  // 9000 x 1
  EXPECT_EQ(encode(usdmEnc, r, usdm),
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=9000&newClientOrderId=42"
            "&newOrderRespType=RESULT");
  EXPECT_EQ(ep.path, "/fapi/v1/order");
  EXPECT_EQ(ep.weight, 0) << "USD-M orders cost order count, not IP weight";
  EXPECT_EQ(ep.orders, 1);
}

TEST_F(OrderEncoderTest, encodesUsdmPostOnlyAsGtx) {
  auto r = orderFor(usdm, 43, 900010, 5);
  r.tif = TimeInForce::PostOnly;
  EXPECT_EQ(encode(usdmEnc, r, usdm),
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.005&price=9000.1&newClientOrderId=43"
            "&newOrderRespType=RESULT");
}

TEST_F(OrderEncoderTest, sendsReduceOnlyInOneWayMode) {
  auto r = orderFor(usdm, 44, 0, 2);
  r.type = OrderType::Market;
  r.side = Side::Sell;
  r.reduce_only = 1;
  EXPECT_EQ(encode(usdmEnc, r, usdm),
            "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.002&reduceOnly=true&newClientOrderId=44"
            "&newOrderRespType=RESULT");
}

TEST_F(OrderEncoderTest, sendsPositionSideInHedgeModeAndDropsAClosingReduceOnly) {
  auto r = orderFor(usdm, 45, 900000, 1);
  r.position_side = PositionSide::Long;
  EXPECT_EQ(encode(usdmEnc, r, usdm),
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=9000&positionSide=LONG"
            "&newClientOrderId=45&newOrderRespType=RESULT");
  r.side = Side::Sell;  // sell the long: closes, so reduce-only is implied
  r.reduce_only = 1;
  encode(usdmEnc, r, usdm);
  EXPECT_EQ(out.find("positionSide"), "LONG");
  EXPECT_EQ(out.find("reduceOnly"), "") << "the venue refuses reduceOnly in hedge mode";
  r.position_side = PositionSide::Short;  // sell short with reduce-only: would open
  EXPECT_EQ(status(usdmEnc, r, usdm), EncodeStatus::Unsupported);
  r.side = Side::Buy;
  encode(usdmEnc, r, usdm);
  EXPECT_EQ(out.find("positionSide"), "SHORT");
}

TEST_F(OrderEncoderTest, refusesUsdmConditionalOrdersWhichMovedToTheAlgoApi) {
  auto r = orderFor(usdm, 46, 900000, 1);
  r.stop_price = 890000;
  for (OrderType t : {OrderType::StopMarket, OrderType::StopLimit, OrderType::TakeProfit}) {
    r.type = t;
    EXPECT_EQ(status(usdmEnc, r, usdm), EncodeStatus::Unsupported) << common::toString(t);
  }
}

// ---- cancel, modify, query --------------------------------------------------------------------

TEST_F(OrderEncoderTest, encodesCancelsByClientOrderId) {
  auto r = orderFor(spot, 101, 0, 0);
  r.action = OrderAction::Cancel;
  r.orig_client_order_id = 100;
  EXPECT_EQ(encode(spotEnc, r, spot), "symbol=BTCUSDT&origClientOrderId=100&newClientOrderId=101");
  EXPECT_EQ(ep.method, HttpMethod::Delete);
  EXPECT_EQ(ep.path, "/api/v3/order");
  EXPECT_EQ(ep.wsMethod, "order.cancel");
  EXPECT_EQ(ep.orders, 0);
  r.client_order_id = 0;
  EXPECT_EQ(encode(spotEnc, r, spot), "symbol=BTCUSDT&origClientOrderId=100") << "the venue names the cancel";

  auto f = orderFor(usdm, 201, 0, 0);
  f.action = OrderAction::Cancel;
  f.orig_client_order_id = 200;
  EXPECT_EQ(encode(usdmEnc, f, usdm), "symbol=BTCUSDT&origClientOrderId=200");
  EXPECT_EQ(ep.path, "/fapi/v1/order");
  f.orig_client_order_id = 0;
  EXPECT_EQ(status(usdmEnc, f, usdm), EncodeStatus::MissingOrderId);
}

TEST_F(OrderEncoderTest, encodesASpotModifyAsCancelReplace) {
  auto r = orderFor(spot, 301, 6400000, 2000);
  r.action = OrderAction::Modify;
  r.orig_client_order_id = 300;
  EXPECT_EQ(encode(spotEnc, r, spot),
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.02&price=64000"
            "&cancelReplaceMode=STOP_ON_FAILURE&cancelOrigClientOrderId=300&newClientOrderId=301"
            "&newOrderRespType=RESULT");
  EXPECT_EQ(ep.method, HttpMethod::Post);
  EXPECT_EQ(ep.path, "/api/v3/order/cancelReplace");
  EXPECT_EQ(ep.wsMethod, "order.cancelReplace");
  r.client_order_id = 0;
  EXPECT_EQ(status(spotEnc, r, spot), EncodeStatus::MissingOrderId);
}

TEST_F(OrderEncoderTest, encodesAUsdmModifyAsAnInPlaceAmend) {
  auto r = orderFor(usdm, 401, 910000, 3);
  r.action = OrderAction::Modify;
  r.orig_client_order_id = 400;
  r.side = Side::Sell;
  EXPECT_EQ(encode(usdmEnc, r, usdm), "symbol=BTCUSDT&origClientOrderId=400&side=SELL&quantity=0.003&price=9100");
  EXPECT_EQ(ep.method, HttpMethod::Put);
  EXPECT_EQ(ep.path, "/fapi/v1/order");
  EXPECT_EQ(ep.wsMethod, "order.modify");
  r.type = OrderType::Market;
  EXPECT_EQ(status(usdmEnc, r, usdm), EncodeStatus::Unsupported) << "the venue amends LIMIT orders only";
  r.type = OrderType::Limit;
  r.price = 0;
  EXPECT_EQ(status(usdmEnc, r, usdm), EncodeStatus::InvalidPrice);
}

TEST_F(OrderEncoderTest, encodesQueriesByClientOrderId) {
  ASSERT_EQ(spotEnc.encodeQuery(77, spot, out, ep), EncodeStatus::Ok);
  EXPECT_EQ(joined(out), "symbol=BTCUSDT&origClientOrderId=77");
  EXPECT_EQ(ep.method, HttpMethod::Get);
  EXPECT_EQ(ep.path, "/api/v3/order");
  EXPECT_EQ(ep.weight, 4);
  ASSERT_EQ(usdmEnc.encodeQuery(78, usdm, out, ep), EncodeStatus::Ok);
  EXPECT_EQ(joined(out), "symbol=BTCUSDT&origClientOrderId=78");
  EXPECT_EQ(ep.path, "/fapi/v1/order");
  EXPECT_EQ(usdmEnc.encodeQuery(0, usdm, out, ep), EncodeStatus::MissingOrderId);
  EXPECT_EQ(usdmEnc.encodeQuery(1, spot, out, ep), EncodeStatus::WrongInstrument);
}

// ---- USD-M batches ----------------------------------------------------------------------------

TEST_F(OrderEncoderTest, encodesAUsdmBatchAsOneJsonParameter) {
  const auto& eth = instruments.usdm("ETHUSDT");
  common::OrderRequest reqs[] = {orderFor(usdm, 1, 900000, 1000), orderFor(eth, 2, 250050, 10)};
  reqs[1].side = Side::Sell;
  reqs[1].tif = TimeInForce::PostOnly;
  const config::Instrument* insts[] = {&usdm, &eth};
  ASSERT_EQ(usdmEnc.encodeBatchNew(reqs, insts, out, ep), EncodeStatus::Ok);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out.key(0), "batchOrders");
  EXPECT_EQ(out.value(0),
            "[{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",\"quantity\":\"1\","
            "\"price\":\"9000\",\"newClientOrderId\":\"1\",\"newOrderRespType\":\"RESULT\"},"
            "{\"symbol\":\"ETHUSDT\",\"side\":\"SELL\",\"type\":\"LIMIT\",\"timeInForce\":\"GTX\",\"quantity\":\"0.01\","
            "\"price\":\"2500.5\",\"newClientOrderId\":\"2\",\"newOrderRespType\":\"RESULT\"}]");
  const auto parsed = nlohmann::json::parse(out.value(0));  // throws (fails the test) when not JSON
  EXPECT_EQ(parsed.size(), 2u);
  EXPECT_EQ(ep.path, "/fapi/v1/batchOrders");
  EXPECT_EQ(ep.orders, 2);

  // Percent-encoded on the wire, and signed as sent.
  RequestSigner signer("key", "secret", 5000);
  char buf[2048];
  SignedRequest req;
  ASSERT_EQ(signer.signRest(out, 1, buf, req), SignStatus::Ok);
  EXPECT_EQ(req.text.substr(0, 42), "batchOrders=%5B%7B%22symbol%22%3A%22BTCUSD");
}

TEST_F(OrderEncoderTest, refusesBadBatches) {
  common::OrderRequest six[6];
  const config::Instrument* insts[6];
  for (int i = 0; i < 6; ++i) {
    six[i] = orderFor(usdm, static_cast<uint64_t>(i + 1), 900000, 1);
    insts[i] = &usdm;
  }
  EXPECT_EQ(usdmEnc.encodeBatchNew(std::span(six, 6), std::span(insts, 6), out, ep), EncodeStatus::BadBatchSize);
  EXPECT_EQ(usdmEnc.encodeBatchNew({}, {}, out, ep), EncodeStatus::BadBatchSize);
  EXPECT_EQ(usdmEnc.encodeBatchNew(std::span(six, 2), std::span(insts, 1), out, ep), EncodeStatus::BadBatchSize);
  EXPECT_EQ(spotEnc.encodeBatchNew(std::span(six, 1), std::span(insts, 1), out, ep), EncodeStatus::Unsupported);
  six[1].qty = 0;
  EXPECT_EQ(usdmEnc.encodeBatchNew(std::span(six, 2), std::span(insts, 2), out, ep), EncodeStatus::InvalidQuantity)
      << "one bad order refuses the batch";
  six[1].qty = 1;
  six[1].action = OrderAction::Cancel;
  EXPECT_EQ(usdmEnc.encodeBatchNew(std::span(six, 2), std::span(insts, 2), out, ep), EncodeStatus::Unsupported);
}

TEST_F(OrderEncoderTest, encodesAUsdmBatchCancel) {
  const common::ClientOrderId ids[] = {11, 12, 13};
  ASSERT_EQ(usdmEnc.encodeBatchCancel(ids, usdm, out, ep), EncodeStatus::Ok);
  EXPECT_EQ(joined(out), "symbol=BTCUSDT&origClientOrderIdList=[\"11\",\"12\",\"13\"]");
  EXPECT_EQ(ep.method, HttpMethod::Delete);
  EXPECT_EQ(ep.path, "/fapi/v1/batchOrders");
  const common::ClientOrderId withZero[] = {11, 0};
  EXPECT_EQ(usdmEnc.encodeBatchCancel(withZero, usdm, out, ep), EncodeStatus::MissingOrderId);
  const common::ClientOrderId eleven[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  EXPECT_EQ(usdmEnc.encodeBatchCancel(eleven, usdm, out, ep), EncodeStatus::BadBatchSize);
  EXPECT_EQ(spotEnc.encodeBatchCancel(ids, spot, out, ep), EncodeStatus::Unsupported);
}

}  // namespace
}  // namespace hft::api::binance
