// BinanceOrderGateway against FakeBinanceOrderVenue (Beast on 127.0.0.1): start-up, order entry
// over REST and the WebSocket API, the user data stream, clock resync, rate limits, unknown
// outcomes, listenKey expiry, reconnect resync, and that no secret leaks into logs or errors.
// Payload shapes follow exchange-samples/binance (hard-coded in the fake: runs without
// /work/shared). Generous deadlines, no timing assertions.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "FakeBinanceOrderVenue.h"
#include "common/EventHeader.h"
#include "common/log/HotLog.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/gateways/BinanceOrderGateway.h"

namespace hft::execution_engine::gateways {
namespace {

using common::ExecType;
using common::RejectReason;
using interfaces::SendOutcome;
using test::FakeBinanceOrderVenue;
using test::NextOrderFault;

constexpr const char* kKey = "testApiKeyAbc123";
constexpr const char* kSecret = "s3cr3tS3cr3tS3cr3tDoNotLeak";
constexpr common::InstrumentId kSpotBtc = 1;
constexpr common::InstrumentId kFutBtc = 11;

const config::InstrumentRegistry& registry() {
  static const auto reg = config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 1, "exchange": "binance", "base": "BTC", "quote": "USDT", "venue_symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 5, "tick_size": "0.01", "lot_size": "0.00001"},
    {"id": 11, "exchange": "binance_futures", "base": "BTC", "quote": "USDT", "venue_symbol": "BTCUSDT", "price_scale": 2, "qty_scale": 3, "tick_size": "0.1", "lot_size": "0.001"}
  ]})"), "test");
  return reg;
}

struct Sink final : interfaces::IExecutionSink {
  std::vector<common::ExecutionReport> reports;
  std::vector<common::BalanceUpdate> balances;
  void onExecutionReport(const common::ExecutionReport& r) noexcept override { reports.push_back(r); }
  void onBalanceUpdate(const common::BalanceUpdate& b) noexcept override { balances.push_back(b); }
  const common::ExecutionReport* find(common::ClientOrderId id, ExecType type) const {
    for (const auto& r : reports)
      if (r.client_order_id == id && r.exec_type == type) return &r;
    return nullptr;
  }
  int count(common::ClientOrderId id, ExecType type) const {
    int n = 0;
    for (const auto& r : reports) n += r.client_order_id == id && r.exec_type == type;
    return n;
  }
};

struct Harness {
  FakeBinanceOrderVenue venue;
  Sink sink;
  common::log::HotLogger hot{1024};
  common::log::Component component{"binance", common::log::Level::Debug};
  std::unique_ptr<BinanceOrderGateway> gw;

  Harness(bool futures, OrderEntry entry, const char* secret = kSecret, int64_t requestTimeoutMs = 2000)
      : venue(futures, kKey, kSecret) {
    BinanceOrderGatewayConfig c;
    c.market = futures ? api::binance::Market::UsdM : api::binance::Market::Spot;
    c.rest_url = venue.restUrl();
    c.ws_url = venue.wsUrl();
    c.ws_api_url = venue.wsApiUrl();
    c.order_entry = entry;
    c.api_key = kKey;
    c.api_secret = common::SecureBuffer(64, common::SecureBuffer::LockPolicy::BestEffort);
    EXPECT_TRUE(c.api_secret.append(secret, std::strlen(secret)));
    c.request_timeout_ms = requestTimeoutMs;
    c.start_timeout_ms = 3000;
    c.ws_idle_timeout_ms = 10'000;
    c.hot_log = &hot;
    c.log_component = &component;
    if (futures) {
      c.dual_side_position = 0;
      c.symbols.push_back({kFutBtc, 5, MarginType::Crossed});
    }
    gw = std::make_unique<BinanceOrderGateway>(std::move(c), registry());
  }
  ~Harness() {
    if (gw) gw->stop();
  }

  /// Polls until `done` or 10 s.
  bool pollUntil(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      if (gw->poll() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }
  void pollFor(int ms) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < end)
      if (gw->poll() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::vector<std::string> logLines() {
    std::vector<std::string> lines;
    hot.drain([&](const common::log::HotRecord& r) {
      fmt::memory_buffer b;
      r.format(r, b);
      lines.emplace_back(b.data(), b.size());
    });
    return lines;
  }
  bool futures() const { return gw->venue() == common::ExchangeId::BinanceFutures; }
};

common::OrderRequest limitBuy(bool futures, common::ClientOrderId id, int64_t price, int64_t qty) {
  common::OrderRequest r{};
  const common::ExchangeId ex = futures ? common::ExchangeId::BinanceFutures : common::ExchangeId::Binance;
  r.header = common::makeHeader<common::OrderRequest>(ex, futures ? kFutBtc : kSpotBtc, 0, 0);
  r.client_order_id = id;
  r.price = price;
  r.qty = qty;
  r.strategy_id = 7;
  r.action = common::OrderAction::New;
  r.side = common::Side::Buy;
  r.type = common::OrderType::Limit;
  r.tif = common::TimeInForce::GTC;
  return r;
}

common::OrderRequest cancelOf(const common::OrderRequest& o, common::ClientOrderId cancelId) {
  common::OrderRequest c = o;
  c.action = common::OrderAction::Cancel;
  c.client_order_id = cancelId;
  c.orig_client_order_id = o.client_order_id;
  return c;
}

// 50000.00 at price scale 2; 0.00100 at qty scale 5 (spot) / 0.001 at 3 (futures)
constexpr int64_t kPrice = 5'000'000;
int64_t qtyOf(bool futures) { return futures ? 1 : 100; }

void newThenFill(Harness& h) {
  const bool fut = h.futures();
  ASSERT_NO_THROW(h.gw->start(h.sink));
  const auto order = limitBuy(fut, 101, kPrice, qtyOf(fut));
  ASSERT_EQ(h.gw->send(order, 555).outcome, SendOutcome::Sent);
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(101, ExecType::New) != nullptr; }));
  const auto* ack = h.sink.find(101, ExecType::New);
  EXPECT_GT(ack->venue_order_id, 0u);
  EXPECT_EQ(ack->header.instrument_id, fut ? kFutBtc : kSpotBtc);
  h.venue.fill("101", fut ? "50000.0" : "50000.00000000", fut ? "0.001" : "0.00100000");
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(101, ExecType::Filled) != nullptr && !h.sink.balances.empty(); }));
  const auto* fill = h.sink.find(101, ExecType::Filled);
  EXPECT_EQ(fill->last_qty, qtyOf(fut));
  EXPECT_EQ(fill->cum_qty, qtyOf(fut));
  EXPECT_EQ(fill->last_price, kPrice);
  EXPECT_EQ(fill->strategy_id, 7u);  // filled in from the gateway's live-order table
  EXPECT_EQ(std::string(h.sink.balances[0].asset), "USDT");
  EXPECT_EQ(h.sink.balances[0].free, 95'000'000'000);  // 950 at 8 decimals
  EXPECT_EQ(h.venue.orderRequests("101"), 1);
  EXPECT_EQ(h.venue.badSignatures(), 0);
}

TEST(BinanceOrderGateway, startSyncsTheClockLoadsFiltersAndSubscribesTheSpotUserStream) {
  Harness h(false, OrderEntry::Rest);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  EXPECT_EQ(h.venue.requestsTo("GET /api/v3/time"), 1);
  EXPECT_EQ(h.venue.requestsTo("GET /api/v3/exchangeInfo"), 1);
  EXPECT_EQ(h.venue.subscriptions(), 1);
  EXPECT_EQ(h.venue.badSignatures(), 0);
  EXPECT_EQ(h.gw->counters().time_syncs, 1u);
  EXPECT_EQ(h.gw->name(), "binance:rest");
  EXPECT_TRUE(h.gw->supportsNativeAmend());
}

TEST(BinanceOrderGateway, newOverRestIsAckedThenFilledFromTheUserStreamWithABalanceUpdate) {
  Harness h(false, OrderEntry::Rest);
  newThenFill(h);
  EXPECT_EQ(h.venue.requestsTo("POST /api/v3/order?"), 1);
  EXPECT_EQ(h.sink.find(101, ExecType::New)->local_send_ts_ns, 555);  // from the REST ack
}

TEST(BinanceOrderGateway, newOverTheWebSocketApiIsAckedThenFilled) {
  Harness h(false, OrderEntry::WsApi);
  newThenFill(h);
  EXPECT_EQ(h.venue.requestsTo("POST /api/v3/order"), 0);  // nothing over REST
  bool placed = false;
  for (const auto& f : h.venue.wsApiFrames()) placed |= f.find("\"order.place\"") != std::string::npos;
  EXPECT_TRUE(placed);
}

TEST(BinanceOrderGateway, futuresNewOverTheWebSocketApiIsAckedThenFilledFromTheListenKeyStream) {
  Harness h(true, OrderEntry::WsApi);
  newThenFill(h);
  EXPECT_EQ(h.gw->name(), "binance_futures:ws_api");
  EXPECT_EQ(h.venue.requestsTo("POST /fapi/v1/order"), 0);
  EXPECT_EQ(h.venue.subscriptions(), 0);  // futures user data comes from the listenKey stream
}

TEST(BinanceOrderGateway, futuresNewOverRestIsAckedThenFilledFromOrderTradeUpdate) {
  Harness h(true, OrderEntry::Rest);
  newThenFill(h);
  EXPECT_EQ(h.venue.requestsTo("POST /fapi/v1/listenKey"), 1);
  EXPECT_EQ(h.venue.requestsTo("POST /fapi/v1/leverage?"), 1);
  EXPECT_EQ(h.venue.requestsTo("POST /fapi/v1/marginType?"), 1);
  EXPECT_EQ(h.venue.requestsTo("POST /fapi/v1/positionSide/dual?"), 1);
  EXPECT_FALSE(h.gw->supportsNativeAmend());
}

TEST(BinanceOrderGateway, cancelIsReportedCanceledWithBothIds) {
  for (OrderEntry entry : {OrderEntry::Rest, OrderEntry::WsApi}) {
    Harness h(false, entry);
    ASSERT_NO_THROW(h.gw->start(h.sink));
    const auto order = limitBuy(false, 201, kPrice, 100);
    ASSERT_TRUE(h.gw->send(order, 1).ok());
    ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(201, ExecType::New) != nullptr; }));
    ASSERT_TRUE(h.gw->send(cancelOf(order, 202), 2).ok());
    ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(202, ExecType::Canceled) != nullptr; }));
    EXPECT_EQ(h.sink.find(202, ExecType::Canceled)->orig_client_order_id, 201u);
    // A cancel of an order the venue does not know: Rejected with the cancel's own ids.
    auto ghost = limitBuy(false, 299, kPrice, 100);
    ASSERT_TRUE(h.gw->send(cancelOf(ghost, 203), 3).ok());
    ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(203, ExecType::Rejected) != nullptr; }));
    EXPECT_EQ(h.sink.find(203, ExecType::Rejected)->orig_client_order_id, 299u);
  }
}

TEST(BinanceOrderGateway, queryOfAnUnknownOrderIsRejectedUnknownOrder) {
  for (OrderEntry entry : {OrderEntry::Rest, OrderEntry::WsApi}) {
    Harness h(false, entry);
    ASSERT_NO_THROW(h.gw->start(h.sink));
    ASSERT_TRUE(h.gw->query(kSpotBtc, 777).ok());
    ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(777, ExecType::Rejected) != nullptr; }));
    EXPECT_EQ(h.sink.find(777, ExecType::Rejected)->reject_reason, RejectReason::UnknownOrder);
  }
}

TEST(BinanceOrderGateway, filterViolationIsRejectedLocallyWithoutARequest) {
  Harness h(false, OrderEntry::Rest);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  // 0.00001 BTC at 50000 = 0.5 USDT, under NOTIONAL minNotional 5.
  const auto st = h.gw->send(limitBuy(false, 301, kPrice, 1), 1);
  EXPECT_EQ(st.outcome, SendOutcome::Rejected);
  EXPECT_EQ(st.reason, RejectReason::BelowMinNotional);
  // Price above PRICE_FILTER maxPrice.
  EXPECT_EQ(h.gw->send(limitBuy(false, 302, 200'000'000'00, 100), 1).reason, RejectReason::InvalidPrice);
  h.pollFor(50);
  EXPECT_EQ(h.venue.requestsTo("POST /api/v3/order"), 0);
  EXPECT_EQ(h.gw->counters().filter_rejects, 2u);
  EXPECT_TRUE(h.sink.reports.empty());
}

TEST(BinanceOrderGateway, timestampRejectionIsRetriedExactlyOnceAfterATimeResync) {
  Harness h(false, OrderEntry::Rest);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  h.venue.setNextOrderFault(NextOrderFault::Timestamp1021, 1);
  ASSERT_TRUE(h.gw->send(limitBuy(false, 401, kPrice, 100), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(401, ExecType::New) != nullptr; }));
  EXPECT_EQ(h.venue.orderRequests("401"), 2);
  EXPECT_EQ(h.venue.requestsTo("GET /api/v3/time"), 2);  // start-up + the resync
  EXPECT_EQ(h.gw->counters().timestamp_retries, 1u);
  // Refused twice: one retry only, then Rejected.
  h.venue.setNextOrderFault(NextOrderFault::Timestamp1021, 2);
  ASSERT_TRUE(h.gw->send(limitBuy(false, 402, kPrice, 100), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(402, ExecType::Rejected) != nullptr; }));
  h.pollFor(100);
  EXPECT_EQ(h.venue.orderRequests("402"), 2);
  EXPECT_EQ(h.sink.count(402, ExecType::New), 0);
}

TEST(BinanceOrderGateway, tooManyRequestsThrottlesUntilRetryAfter) {
  Harness h(false, OrderEntry::Rest);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  h.venue.setRetryAfterSeconds(1);
  h.venue.setNextOrderFault(NextOrderFault::TooMany429, 1);
  ASSERT_TRUE(h.gw->send(limitBuy(false, 501, kPrice, 100), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(501, ExecType::Rejected) != nullptr; }));
  EXPECT_EQ(h.sink.find(501, ExecType::Rejected)->reject_reason, RejectReason::RateLimit);
  EXPECT_EQ(h.gw->send(limitBuy(false, 502, kPrice, 100), 1).outcome, SendOutcome::Throttled);
  EXPECT_EQ(h.gw->query(kSpotBtc, 501).outcome, SendOutcome::Throttled);
  EXPECT_EQ(h.venue.orderRequests("502"), 0);
  // After Retry-After the same request goes out.
  ASSERT_TRUE(h.pollUntil([&] { return h.gw->send(limitBuy(false, 503, kPrice, 100), 1).ok(); }));
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(503, ExecType::New) != nullptr; }));
  EXPECT_GE(h.gw->counters().throttled, 2u);
}

TEST(BinanceOrderGateway, serverErrorAndTimeoutAreNeverResentAndQueryFindsTheOrder) {
  for (NextOrderFault fault : {NextOrderFault::Internal500, NextOrderFault::Silence}) {
    Harness h(false, OrderEntry::Rest, kSecret, /*requestTimeoutMs=*/300);
    ASSERT_NO_THROW(h.gw->start(h.sink));
    h.venue.setNextOrderFault(fault, 1);
    ASSERT_TRUE(h.gw->send(limitBuy(false, 601, kPrice, 100), 1).ok());
    ASSERT_TRUE(h.pollUntil([&] { return h.gw->counters().unknown_outcomes == 1; }));
    h.pollFor(200);
    EXPECT_EQ(h.venue.orderRequests("601"), 1);  // never resent
    EXPECT_EQ(h.sink.count(601, ExecType::Rejected), 0);
    // The executor's timeout asks; the venue has it.
    ASSERT_TRUE(h.gw->query(kSpotBtc, 601).ok());
    ASSERT_TRUE(h.pollUntil([&] { return h.venue.requestsTo("GET /api/v3/order?") == 1 && h.sink.count(601, ExecType::New) >= 1; }));
    EXPECT_EQ(h.venue.orderRequests("601"), 1);
  }
}

TEST(BinanceOrderGateway, listenKeyExpiredCreatesANewKeyAndResubscribes) {
  Harness h(true, OrderEntry::Rest);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  ASSERT_TRUE(h.pollUntil([&] { return h.venue.userStreamConnections() == 1; }));
  const std::string first = h.gw->listenKey();
  h.venue.expireListenKey();
  ASSERT_TRUE(h.pollUntil([&] { return h.venue.listenKeysIssued().size() == 2 && h.venue.userStreamConnections() == 2; }));
  EXPECT_NE(h.gw->listenKey(), first);
  EXPECT_EQ(h.gw->counters().listen_key_recreations, 1u);
  // Events flow on the new stream.
  ASSERT_TRUE(h.gw->send(limitBuy(true, 701, kPrice, 1), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(701, ExecType::New) != nullptr; }));
  h.venue.fill("701", "50000.0", "0.001");
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(701, ExecType::Filled) != nullptr; }));
  const auto lines = h.logLines();
  bool logged = false;
  for (const auto& l : lines) logged |= l.find("listenKey re-created") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST(BinanceOrderGateway, userStreamReconnectRequeriesOpenOrdersAndReportsWhatChanged) {
  for (bool futures : {false, true}) {
    Harness h(futures, OrderEntry::Rest);
    ASSERT_NO_THROW(h.gw->start(h.sink));
    ASSERT_TRUE(h.gw->send(limitBuy(futures, 801, kPrice, qtyOf(futures)), 1).ok());
    ASSERT_TRUE(h.gw->send(limitBuy(futures, 802, kPrice, qtyOf(futures)), 1).ok());
    ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(801, ExecType::New) && h.sink.find(802, ExecType::New); }));
    h.venue.fillSilently("801");  // happens while nobody listens
    h.venue.dropUserStreams();
    const std::string openOrders = futures ? "GET /fapi/v1/openOrders" : "GET /api/v3/openOrders";
    ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(801, ExecType::Filled) != nullptr; })) << (futures ? "futures" : "spot");
    EXPECT_EQ(h.venue.requestsTo(openOrders), 1);
    EXPECT_EQ(h.gw->counters().open_order_resyncs, 1u);
    EXPECT_EQ(h.gw->counters().resync_queries, 1u);  // 801 left the open orders; 802 is still listed
    EXPECT_EQ(h.sink.find(801, ExecType::Filled)->cum_qty, qtyOf(futures));
    const auto lines = h.logLines();
    bool logged = false;
    for (const auto& l : lines) logged |= l.find("re-querying open orders") != std::string::npos;
    EXPECT_TRUE(logged);
  }
}

TEST(BinanceOrderGateway, reconciliationFetchesOpenOrdersBalancesAndPositions) {
  Harness spot(false, OrderEntry::Rest);
  ASSERT_NO_THROW(spot.gw->start(spot.sink));
  ASSERT_TRUE(spot.gw->send(limitBuy(false, 901, kPrice, 100), 1).ok());
  ASSERT_TRUE(spot.pollUntil([&] { return spot.sink.find(901, ExecType::New) != nullptr; }));
  std::vector<interfaces::VenueOrder> orders;
  std::vector<interfaces::VenueBalance> balances;
  std::vector<interfaces::VenuePosition> positions;
  std::string error;
  ASSERT_TRUE(spot.gw->fetchOpenOrders(orders, error)) << error;
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].client_order_id, 901u);
  EXPECT_EQ(orders[0].qty, 100);
  EXPECT_EQ(orders[0].price, kPrice);
  ASSERT_TRUE(spot.gw->fetchBalances(balances, error)) << error;
  ASSERT_EQ(balances.size(), 2u);
  EXPECT_EQ(std::string(balances[0].asset), "BTC");
  EXPECT_EQ(balances[0].locked, 50'000'000);
  EXPECT_EQ(balances[1].free, 100'012'345'678);
  ASSERT_TRUE(spot.gw->fetchPositions(positions, error));
  EXPECT_TRUE(positions.empty());

  Harness fut(true, OrderEntry::Rest);
  ASSERT_NO_THROW(fut.gw->start(fut.sink));
  ASSERT_TRUE(fut.gw->fetchBalances(balances, error)) << error;
  ASSERT_EQ(balances.size(), 1u);
  EXPECT_EQ(balances[0].free, 90'000'000'000);
  EXPECT_EQ(balances[0].locked, 10'000'000'000);
  ASSERT_TRUE(fut.gw->fetchPositions(positions, error)) << error;
  ASSERT_EQ(positions.size(), 1u);
  EXPECT_EQ(positions[0].qty, 2);
  EXPECT_EQ(positions[0].entry_price, 5'000'012);  // truncated to the price scale
}

TEST(BinanceOrderGateway, secretsNeverAppearInLogsErrorsOrOnTheWire) {
  // A wrong secret: the venue refuses the signed subscription; start() fails and says so.
  Harness bad(false, OrderEntry::Rest, "wrongSecretWrongSecret");
  try {
    bad.gw->start(bad.sink);
    ADD_FAILURE() << "start() should fail with a wrong secret";
  } catch (const std::exception& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find("wrongSecret"), std::string::npos) << what;
    EXPECT_EQ(what.find(kKey), std::string::npos) << what;
    EXPECT_NE(what.find("userDataStream"), std::string::npos) << what;
  }
  EXPECT_GE(bad.venue.badSignatures(), 1);
  for (const auto& l : bad.logLines()) {
    EXPECT_EQ(l.find("wrongSecret"), std::string::npos) << l;
    EXPECT_EQ(l.find(kKey), std::string::npos) << l;
  }

  // A working session with a reconnect, a resync and an unknown outcome logs plenty: no secret.
  Harness h(false, OrderEntry::WsApi, kSecret, 300);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  h.venue.setNextOrderFault(NextOrderFault::Timestamp1021, 1);
  ASSERT_TRUE(h.gw->send(limitBuy(false, 1001, kPrice, 100), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1001, ExecType::New) != nullptr; }));
  h.venue.dropUserStreams();
  ASSERT_TRUE(h.pollUntil([&] { return h.gw->counters().open_order_resyncs == 1; }));
  const auto lines = h.logLines();
  EXPECT_FALSE(lines.empty());
  for (const auto& l : lines) {
    EXPECT_EQ(l.find(kSecret), std::string::npos) << l;
    EXPECT_EQ(l.find(kKey), std::string::npos) << l;
  }
  for (const auto& t : h.venue.restTargets()) EXPECT_EQ(t.find(kSecret), std::string::npos) << t;
  for (const auto& f : h.venue.wsApiFrames()) EXPECT_EQ(f.find(kSecret), std::string::npos) << f;
}

}  // namespace
}  // namespace hft::execution_engine::gateways

namespace hft::execution_engine::gateways {
namespace {

common::OrderRequest modifyOf(const common::OrderRequest& o, common::ClientOrderId newId, int64_t price) {
  common::OrderRequest m = o;
  m.action = common::OrderAction::Modify;
  m.client_order_id = newId;
  m.orig_client_order_id = o.client_order_id;
  m.price = price;
  return m;
}

TEST(BinanceOrderGateway, spotModifyIsOneCancelReplaceReportedAsCanceledOldAndNewOrder) {
  for (OrderEntry entry : {OrderEntry::Rest, OrderEntry::WsApi}) {
    Harness h(false, entry);
    ASSERT_NO_THROW(h.gw->start(h.sink));
    const auto order = limitBuy(false, 1101, kPrice, 100);
    ASSERT_TRUE(h.gw->send(order, 1).ok());
    ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1101, ExecType::New) != nullptr; }));
    ASSERT_TRUE(h.gw->send(modifyOf(order, 1102, kPrice - 100), 2).ok());
    ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1102, ExecType::New) != nullptr; }));
    bool oldCanceled = false;
    for (const auto& r : h.sink.reports)
      oldCanceled |= r.exec_type == ExecType::Canceled && r.orig_client_order_id == 1101;
    EXPECT_TRUE(oldCanceled);
    EXPECT_EQ(h.venue.orderRequests("1102"), 1);
    // Replacing an order that is gone: the cancel fails, the new order is not attempted.
    ASSERT_TRUE(h.gw->send(modifyOf(limitBuy(false, 1199, kPrice, 100), 1103, kPrice), 3).ok());
    ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1103, ExecType::Rejected) != nullptr; }));
    EXPECT_EQ(h.sink.find(1103, ExecType::Rejected)->orig_client_order_id, 1199u);
    EXPECT_EQ(h.venue.orderRequests("1103"), 0);
  }
}

TEST(BinanceOrderGateway, webSocketApi429ThrottlesUntilItsRetryAfter) {
  Harness h(false, OrderEntry::WsApi);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  h.venue.setRetryAfterSeconds(1);
  h.venue.setNextOrderFault(NextOrderFault::TooMany429, 1);
  ASSERT_TRUE(h.gw->send(limitBuy(false, 1201, kPrice, 100), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1201, ExecType::Rejected) != nullptr; }));
  EXPECT_EQ(h.sink.find(1201, ExecType::Rejected)->reject_reason, RejectReason::RateLimit);
  EXPECT_EQ(h.gw->send(limitBuy(false, 1202, kPrice, 100), 1).outcome, SendOutcome::Throttled);
  // The venue said one second (not the 60 s default for a 429 without one).
  ASSERT_TRUE(h.pollUntil([&] { return h.gw->send(limitBuy(false, 1203, kPrice, 100), 1).ok(); }));
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1203, ExecType::New) != nullptr; }));
  EXPECT_EQ(h.venue.orderRequests("1202"), 0);
}

}  // namespace
}  // namespace hft::execution_engine::gateways

#include "AllocationCounter.h"

namespace hft::execution_engine::gateways {
namespace {

TEST(BinanceOrderGateway, sendQueryAndPollDoNotAllocateOnceWarm) {
  for (OrderEntry entry : {OrderEntry::Rest, OrderEntry::WsApi}) {
    Harness h(false, entry);
    h.sink.reports.reserve(4096);
    h.sink.balances.reserve(4096);
    ASSERT_NO_THROW(h.gw->start(h.sink));
    uint64_t allocations = 0;
    // Every gateway call in its own counting window; the test's own work (the fake's JSON,
    // the predicates) stays outside.
    auto poll = [&](const std::function<bool()>& done) {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        int n;
        {
          test::AllocationWindow w;
          n = h.gw->poll();
          allocations += w.count();
        }
        if (n == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      return true;
    };
    auto send = [&](const common::OrderRequest& r) {
      test::AllocationWindow w;
      const bool ok = h.gw->send(r, 1).ok();
      allocations += w.count();
      return ok;
    };
    auto lifecycle = [&](common::ClientOrderId base) {
      const auto order = limitBuy(false, base, kPrice, 100);
      ASSERT_TRUE(send(order));
      ASSERT_TRUE(poll([&] { return h.sink.find(base, ExecType::New) != nullptr; }));
      const auto cancelled = limitBuy(false, base + 1, kPrice, 100);
      ASSERT_TRUE(send(cancelled));
      ASSERT_TRUE(poll([&] { return h.sink.find(base + 1, ExecType::New) != nullptr; }));
      ASSERT_TRUE(send(cancelOf(cancelled, base + 2)));
      ASSERT_TRUE(poll([&] { return h.sink.find(base + 2, ExecType::Canceled) != nullptr; }));
      {
        test::AllocationWindow w;
        ASSERT_TRUE(h.gw->query(kSpotBtc, base + 99).ok());
        allocations += w.count();
      }
      ASSERT_TRUE(poll([&] { return h.sink.find(base + 99, ExecType::Rejected) != nullptr; }));
      h.venue.fill(std::to_string(base), "50000.00000000", "0.00100000");
      ASSERT_TRUE(poll([&] { return h.sink.find(base, ExecType::Filled) != nullptr; }));
    };
    {
      test::AllocationWindow w;  // the counter works in this binary (operator new only; OpenSSL mallocs are not seen)
      std::string s(200, 'x');
      EXPECT_EQ(w.count(), 1u);
    }
    lifecycle(1300);  // warm-up: buffers reach their sizes
    allocations = 0;
    lifecycle(1400);
    EXPECT_EQ(allocations, 0u) << (entry == OrderEntry::Rest ? "rest" : "ws_api");
  }
}

}  // namespace
}  // namespace hft::execution_engine::gateways

namespace hft::execution_engine::gateways {
namespace {

TEST(BinanceOrderGateway, futuresNewOrdersBetweenTwoPollsGoOutAsOneBatchOrdersRequest) {
  Harness h(true, OrderEntry::Rest);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  EXPECT_TRUE(h.gw->supportsBatch());
  for (common::ClientOrderId id : {1501, 1502, 1503}) ASSERT_TRUE(h.gw->send(limitBuy(true, id, kPrice, 1), 1).ok());
  EXPECT_EQ(h.venue.requestsTo("POST /fapi/v1/batchOrders"), 0);  // nothing leaves before poll()
  ASSERT_TRUE(h.pollUntil([&] {
    return h.sink.find(1501, ExecType::New) && h.sink.find(1502, ExecType::New) && h.sink.find(1503, ExecType::New);
  }));
  EXPECT_EQ(h.venue.requestsTo("POST /fapi/v1/batchOrders"), 1);
  EXPECT_EQ(h.venue.requestsTo("POST /fapi/v1/order?"), 0);
  EXPECT_EQ(h.sink.find(1502, ExecType::New)->strategy_id, 7u);
  for (const char* id : {"1501", "1502", "1503"}) EXPECT_EQ(h.venue.orderRequests(id), 1) << id;

  // One refused order of a batch is rejected alone.
  ASSERT_TRUE(h.gw->send(limitBuy(true, 1504, kPrice, 1), 1).ok());
  ASSERT_TRUE(h.gw->send(limitBuy(true, 1501, kPrice, 1), 1).ok());  // the venue has this id already
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1504, ExecType::New) && h.sink.find(1501, ExecType::Rejected); }));
  EXPECT_EQ(h.sink.find(1501, ExecType::Rejected)->reject_reason, RejectReason::DuplicateClientOrderId);

  // A cancel sent right after a batched order does not overtake it.
  const auto order = limitBuy(true, 1505, kPrice, 1);
  ASSERT_TRUE(h.gw->send(order, 1).ok());
  ASSERT_TRUE(h.gw->send(cancelOf(order, 1506), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1505, ExecType::Canceled) != nullptr; }));
  EXPECT_EQ(h.sink.count(1506, ExecType::Rejected), 0);

  // Six orders between two polls: a full batch goes out from send(), the sixth alone.
  const int before = h.venue.requestsTo("POST /fapi/v1/batchOrders");
  for (common::ClientOrderId id = 1510; id < 1516; ++id) ASSERT_TRUE(h.gw->send(limitBuy(true, id, kPrice, 1), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] {
    for (common::ClientOrderId id = 1510; id < 1516; ++id)
      if (!h.sink.find(id, ExecType::New)) return false;
    return true;
  }));
  EXPECT_EQ(h.venue.requestsTo("POST /fapi/v1/batchOrders") - before, 1);
  EXPECT_EQ(h.gw->counters().batches_sent, 3u);
}

}  // namespace
}  // namespace hft::execution_engine::gateways

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hft::execution_engine::gateways {
namespace {

/// A documented payload from <repo>/../shared/exchange-samples/binance (null when absent).
nlohmann::json sample(const std::string& relative) {
  const std::filesystem::path p = std::filesystem::path(HFT_SHARED_DIR) / "exchange-samples/binance" / relative;
  std::ifstream in(p);
  if (!in) return nullptr;
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

TEST(BinanceOrderGateway, documentedSpotUserDataPayloadsBecomeReportsAndBalances) {
  nlohmann::json account = sample("spot/user-data/outboundAccountPosition.json");
  nlohmann::json exec = sample("spot/user-data/executionReport_new.json");
  if (account.is_null() || exec.is_null()) GTEST_SKIP() << "exchange-samples not present";
  Harness h(false, OrderEntry::Rest);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  ASSERT_TRUE(h.gw->send(limitBuy(false, 1601, kPrice, 100), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1601, ExecType::New) != nullptr; }));
  // The doc's executionReport (wrapped as delivered on the WebSocket API), with our symbol,
  // client id and a price / quantity on our instrument's grid; the doc's own values elsewhere.
  nlohmann::json ev = exec["event"];
  ev["s"] = "BTCUSDT";
  ev["c"] = "1601";
  ev["p"] = "50000.00000000";
  ev["q"] = "0.00100000";
  ev["x"] = "CANCELED";
  ev["X"] = "CANCELED";
  h.venue.pushUserEvent(ev.dump());
  h.venue.pushUserEvent(account["event"].dump());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1601, ExecType::Canceled) != nullptr && !h.sink.balances.empty(); }));
  EXPECT_EQ(h.sink.find(1601, ExecType::Canceled)->venue_order_id, 4293153u);  // the doc's orderId
  EXPECT_EQ(std::string(h.sink.balances[0].asset), "ETH");
  EXPECT_EQ(h.sink.balances[0].free, 1'000'000'000'000);  // "10000.000000"
}

TEST(BinanceOrderGateway, documentedFuturesAccountUpdateAndListenKeyExpiredAreHandled) {
  const nlohmann::json account = sample("futures-usdm/user-data/ACCOUNT_UPDATE.json");
  const nlohmann::json expired = sample("futures-usdm/user-data/listenKeyExpired.json");
  if (account.is_null() || expired.is_null()) GTEST_SKIP() << "exchange-samples not present";
  Harness h(true, OrderEntry::Rest);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  h.venue.pushUserEvent(account.dump());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.balances.size() >= 2; }));
  EXPECT_EQ(std::string(h.sink.balances[0].asset), "USDT");
  h.venue.pushUserEvent(expired.dump());  // the doc's event names another key: it still means "resubscribe"
  ASSERT_TRUE(h.pollUntil([&] { return h.venue.listenKeysIssued().size() == 2 && h.venue.userStreamConnections() == 2; }));
  EXPECT_EQ(h.gw->counters().listen_key_recreations, 1u);
}

}  // namespace
}  // namespace hft::execution_engine::gateways

namespace hft::execution_engine::gateways {
namespace {

TEST(BinanceOrderGateway, webSocketApiRateLimitCountsAreRespected) {
  Harness h(false, OrderEntry::WsApi);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  h.venue.setWsOrderCount10s(95);  // of 100 per 10 s; the tracker uses 90 %
  ASSERT_TRUE(h.gw->send(limitBuy(false, 1701, kPrice, 100), 1).ok());
  // Two News: the user stream's and the reply's (which carries the rateLimits).
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.count(1701, ExecType::New) == 2; }));
  EXPECT_EQ(h.gw->send(limitBuy(false, 1702, kPrice, 100), 1).outcome, SendOutcome::Throttled);
  EXPECT_EQ(h.venue.orderRequests("1702"), 0);
  // A cancel places no order: it still goes.
  EXPECT_TRUE(h.gw->send(cancelOf(limitBuy(false, 1701, kPrice, 100), 1703), 1).ok());
}

TEST(BinanceOrderGateway, spotEventStreamTerminatedSubscribesAgain) {
  Harness h(false, OrderEntry::Rest);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  EXPECT_EQ(h.venue.subscriptions(), 1);
  h.venue.pushUserEvent(R"({"e":"eventStreamTerminated","E":1728973001334})");
  ASSERT_TRUE(h.pollUntil([&] { return h.venue.subscriptions() == 2; }));
  EXPECT_EQ(h.gw->counters().stream_resubscribes, 1u);
  // Still delivering.
  ASSERT_TRUE(h.gw->send(limitBuy(false, 1801, kPrice, 100), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1801, ExecType::New) != nullptr; }));
  h.venue.fill("1801", "50000.00000000", "0.00100000");
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1801, ExecType::Filled) != nullptr; }));
}

}  // namespace
}  // namespace hft::execution_engine::gateways

namespace hft::execution_engine::gateways {
namespace {

TEST(BinanceOrderGateway, aQueryWhoseAnswerIsLostIsAskedAgainButAnOrderNeverIs) {
  Harness h(false, OrderEntry::Rest, kSecret, /*requestTimeoutMs=*/300);
  ASSERT_NO_THROW(h.gw->start(h.sink));
  ASSERT_TRUE(h.gw->send(limitBuy(false, 1901, kPrice, 100), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.count(1901, ExecType::New) == 2; }));  // user stream + REST ack
  const size_t before = h.sink.reports.size();
  h.venue.setSilentQueries(1);
  ASSERT_TRUE(h.gw->query(kSpotBtc, 1901).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.reports.size() > before; }));
  EXPECT_EQ(h.venue.requestsTo("GET /api/v3/order?"), 2);  // the lost one and the second ask
  EXPECT_EQ(h.gw->counters().query_retries, 1u);
  EXPECT_EQ(h.sink.reports.back().client_order_id, 1901u);
  EXPECT_EQ(h.venue.orderRequests("1901"), 1);
  // Never more than kMaxQueryAttempts asks for one query.
  h.venue.setSilentQueries(10);
  ASSERT_TRUE(h.gw->query(kSpotBtc, 1901).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.gw->counters().unknown_outcomes == 1; }));
  EXPECT_EQ(h.venue.requestsTo("GET /api/v3/order?"), 5);
}

}  // namespace
}  // namespace hft::execution_engine::gateways
