// UpbitOrderGateway against FakeUpbitOrderVenue (Beast on 127.0.0.1; every JWT verified there
// with JwtSigner): ack, fills and balances from myOrder/myAsset, cancel, queries, venue error
// mapping, 429 back-off, 5xx without resend, private stream reconnect resync, the Bithumb
// dialect, credentials and the exchange-file config. Generous deadlines, no timing assertions.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "FakeUpbitOrderVenue.h"
#include "api/exchanges/bithumb/BithumbDialect.h"
#include "api/exchanges/upbit/VenueOrderIdOf.h"
#include "common/Clock.h"
#include "common/EventHeader.h"
#include "config/ExchangeConfig.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/gateways/UpbitGatewayEnv.h"
#include "execution_engine/gateways/UpbitOrderGateway.h"

namespace hft::execution_engine::gateways {
namespace {

using common::ExecType;
using common::RejectReason;
using interfaces::SendOutcome;
using test::FakeUpbitOrderVenue;
using test::UpbitFault;

constexpr const char* kKey = "upbitAccessKey123";
constexpr const char* kSecret = "upbitS3cr3tDoNotLeakXYZ";
constexpr common::InstrumentId kUpbitBtc = 21;
constexpr common::InstrumentId kBithumbBtc = 31;

const config::InstrumentRegistry& registry() {
  static const auto reg = config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 21, "exchange": "upbit", "base": "BTC", "quote": "KRW", "venue_symbol": "KRW-BTC", "price_scale": 0, "qty_scale": 8, "tick_size": "1000", "lot_size": "0.00000001"},
    {"id": 31, "exchange": "bithumb", "base": "BTC", "quote": "KRW", "venue_symbol": "KRW-BTC", "price_scale": 0, "qty_scale": 8, "tick_size": "1000", "lot_size": "0.00000001"}
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

UpbitOrderGatewayConfig configFor(const FakeUpbitOrderVenue& venue, const api::upbit::Dialect& dialect,
                                  const char* secret = kSecret, int64_t textPingMs = 0) {
  UpbitOrderGatewayConfig c;
  c.dialect = dialect;
  c.rest_url = venue.restUrl();
  c.private_ws_url = venue.privateWsUrl();
  c.access_key = kKey;
  c.secret_key = common::SecureBuffer(64, common::SecureBuffer::LockPolicy::BestEffort);
  EXPECT_TRUE(c.secret_key.append(secret, std::strlen(secret)));
  c.request_timeout_ms = 1500;
  c.start_timeout_ms = 3000;
  c.ws_idle_timeout_ms = 10'000;
  c.backoff_429_ms = 300;
  c.initial_backoff_ms = 50;
  c.max_backoff_ms = 200;
  c.text_ping_interval_ms = textPingMs;
  return c;
}

struct Harness {
  FakeUpbitOrderVenue venue;
  Sink sink;
  std::unique_ptr<UpbitOrderGateway> gw;
  common::InstrumentId instrument;
  common::ExchangeId exchange;

  explicit Harness(const api::upbit::Dialect& dialect = api::upbit::kUpbit, int64_t textPingMs = 0)
      : venue(dialect, kKey, kSecret),
        instrument(dialect.exchange == common::ExchangeId::Bithumb ? kBithumbBtc : kUpbitBtc),
        exchange(dialect.exchange) {
    sink.reports.reserve(4096);
    sink.balances.reserve(4096);
    gw = std::make_unique<UpbitOrderGateway>(configFor(venue, dialect, kSecret, textPingMs), registry());
    gw->start(sink);
  }
  ~Harness() {
    if (gw) gw->stop();
  }
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
  common::OrderRequest limitBuy(common::ClientOrderId id, int64_t price = 100'000'000, int64_t qty = 200'000) const {
    common::OrderRequest r{};
    r.header = common::makeHeader<common::OrderRequest>(exchange, instrument, 0, 0);
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
  static common::OrderRequest cancelOf(const common::OrderRequest& o, common::ClientOrderId cancelId) {
    common::OrderRequest c = o;
    c.action = common::OrderAction::Cancel;
    c.client_order_id = cancelId;
    c.orig_client_order_id = o.client_order_id;
    return c;
  }
};

TEST(UpbitOrderGateway, subscribesMyOrderAndMyAssetWithAVerifiedJwt) {
  Harness h;
  EXPECT_EQ(h.gw->name(), "upbit");
  EXPECT_FALSE(h.gw->supportsNativeAmend());
  ASSERT_TRUE(h.pollUntil([&] { return !h.venue.subscriptions().empty(); }));
  const nlohmann::json sub = nlohmann::json::parse(h.venue.subscriptions()[0]);
  ASSERT_TRUE(sub.is_array());
  EXPECT_TRUE(sub[0].contains("ticket"));
  EXPECT_EQ(sub[1]["type"], "myOrder");
  EXPECT_EQ(sub[2]["type"], "myAsset");
  EXPECT_EQ(h.venue.jwtFailures(), 0);
  EXPECT_EQ(h.venue.privateConnections(), 1);
}

TEST(UpbitOrderGateway, placeAcksThenFillsFromMyOrderWithTradePriceAndFee) {
  Harness h;
  const auto order = h.limitBuy(101);
  ASSERT_EQ(h.gw->send(order, 555).outcome, SendOutcome::Sent);
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(101, ExecType::New) != nullptr; }));
  const auto* ack = h.sink.find(101, ExecType::New);
  EXPECT_EQ(ack->strategy_id, 7u);
  EXPECT_EQ(ack->local_send_ts_ns, 555);
  EXPECT_EQ(ack->leaves_qty, 200'000);
  const std::string uuid = h.venue.uuidOf("101");
  EXPECT_EQ(ack->venue_order_id, api::upbit::venueOrderIdOf(uuid));
  EXPECT_EQ(h.gw->uuidOf(101), uuid);
  // The POST body carried our id as `identifier` and the JWT's query_hash matched it (verified).
  EXPECT_NE(h.venue.postBodies().at(0).find("\"identifier\":\"101\""), std::string::npos);
  EXPECT_EQ(h.venue.jwtFailures(), 0);

  h.venue.fill("101", "100000000", "0.0005");  // part
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(101, ExecType::PartiallyFilled) != nullptr && !h.sink.balances.empty(); }));
  const common::ExecutionReport part = *h.sink.find(101, ExecType::PartiallyFilled);
  EXPECT_EQ(part.last_price, 100'000'000);
  EXPECT_EQ(part.last_qty, 50'000);
  EXPECT_EQ(part.cum_qty, 50'000);
  EXPECT_EQ(part.leaves_qty, 150'000);
  EXPECT_EQ(part.fee, 1'250'000'000);  // 12.5 KRW
  EXPECT_EQ(part.strategy_id, 7u);
  EXPECT_EQ(part.venue_order_id, api::upbit::venueOrderIdOf(uuid));
  EXPECT_STREQ(h.sink.balances[0].asset, "KRW");
  EXPECT_EQ(h.sink.balances[0].free, 95'000'050'000'000);

  h.venue.fill("101", "100000000", "0.0015");  // the rest: trade (Filled) then done
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(101, ExecType::Filled) != nullptr; }));
  h.pollFor(100);
  EXPECT_EQ(h.sink.count(101, ExecType::Filled), 1) << "the done after the completing trade is not a second fill";
  EXPECT_EQ(h.sink.find(101, ExecType::Filled)->last_qty, 150'000);
  EXPECT_EQ(h.venue.orderRequests("101"), 1);
  EXPECT_EQ(h.gw->uuidOf(101), "") << "forgotten once final";
}

TEST(UpbitOrderGateway, cancelIsConfirmedByTheStream) {
  Harness h;
  const auto order = h.limitBuy(201);
  ASSERT_TRUE(h.gw->send(order, 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(201, ExecType::New) != nullptr; }));
  ASSERT_TRUE(h.gw->send(Harness::cancelOf(order, 202), 2).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(201, ExecType::Canceled) != nullptr; }));
  EXPECT_EQ(h.sink.find(201, ExecType::Canceled)->orig_client_order_id, 201u);
  EXPECT_EQ(h.venue.requestsTo("DELETE", "/v1/order?identifier=201"), 1);
}

TEST(UpbitOrderGateway, cancelOfAnUnknownOrderIsRejectedUnknownOrder) {
  Harness h;
  ASSERT_TRUE(h.gw->send(Harness::cancelOf(h.limitBuy(999), 301), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(301, ExecType::Rejected) != nullptr; }));
  EXPECT_EQ(h.sink.find(301, ExecType::Rejected)->reject_reason, RejectReason::UnknownOrder);
  EXPECT_EQ(h.sink.find(301, ExecType::Rejected)->orig_client_order_id, 999u);
  EXPECT_EQ(h.sink.find(301, ExecType::Rejected)->strategy_id, 7u);
}

TEST(UpbitOrderGateway, queryKnownReportsItsStateAndUnknownIsRejectedUnknownOrder) {
  Harness h;
  ASSERT_TRUE(h.gw->send(h.limitBuy(401), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(401, ExecType::New) != nullptr; }));
  h.sink.reports.clear();
  ASSERT_TRUE(h.gw->query(h.instrument, 401).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(401, ExecType::New) != nullptr; }));
  EXPECT_EQ(h.sink.find(401, ExecType::New)->venue_order_id, api::upbit::venueOrderIdOf(h.venue.uuidOf("401")));
  ASSERT_TRUE(h.gw->query(h.instrument, 777).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(777, ExecType::Rejected) != nullptr; }));
  EXPECT_EQ(h.sink.find(777, ExecType::Rejected)->reject_reason, RejectReason::UnknownOrder);
  EXPECT_EQ(h.venue.requestsTo("GET", "/v1/order?identifier=777"), 1);
}

TEST(UpbitOrderGateway, venueErrorsMapToRejectReasons) {
  Harness h;
  h.venue.setNextOrderFault(UpbitFault::InsufficientFunds);
  ASSERT_TRUE(h.gw->send(h.limitBuy(501), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(501, ExecType::Rejected) != nullptr; }));
  EXPECT_EQ(h.sink.find(501, ExecType::Rejected)->reject_reason, RejectReason::InsufficientBalance);
  EXPECT_EQ(h.sink.find(501, ExecType::Rejected)->strategy_id, 7u);
  h.venue.setNextOrderFault(UpbitFault::InvalidPrice);
  ASSERT_TRUE(h.gw->send(h.limitBuy(502), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(502, ExecType::Rejected) != nullptr; }));
  EXPECT_EQ(h.sink.find(502, ExecType::Rejected)->reject_reason, RejectReason::OffTickPrice);
}

TEST(UpbitOrderGateway, offTickAndMarketBuyByQuantityAreRefusedBeforeSending) {
  Harness h;
  EXPECT_EQ(h.gw->send(h.limitBuy(601, 100'000'500), 1), interfaces::SendStatus::rejected(RejectReason::OffTickPrice));
  auto market = h.limitBuy(602, 0);
  market.type = common::OrderType::Market;
  EXPECT_EQ(h.gw->send(market, 1), interfaces::SendStatus::rejected(RejectReason::InvalidRequest));
  auto modify = h.limitBuy(603);
  modify.action = common::OrderAction::Modify;
  EXPECT_EQ(h.gw->send(modify, 1).outcome, SendOutcome::Rejected);
  h.pollFor(50);
  EXPECT_EQ(h.venue.requestsTo("POST", "/v1/orders"), 0);
}

TEST(UpbitOrderGateway, tooManyRequestsRejectsThenThrottlesUntilTheBackOffEnds) {
  Harness h;
  h.venue.setNextOrderFault(UpbitFault::TooMany429);
  ASSERT_TRUE(h.gw->send(h.limitBuy(701), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(701, ExecType::Rejected) != nullptr; }));
  EXPECT_EQ(h.sink.find(701, ExecType::Rejected)->reject_reason, RejectReason::RateLimit);
  EXPECT_EQ(h.gw->send(h.limitBuy(702), 1).outcome, SendOutcome::Throttled);
  EXPECT_EQ(h.gw->query(h.instrument, 701).outcome, SendOutcome::Throttled);
  EXPECT_EQ(h.venue.orderRequests("702"), 0);
  // The back-off (300 ms here) ends: sending resumes.
  ASSERT_TRUE(h.pollUntil([&] { return h.gw->send(h.limitBuy(703), 1).ok(); }));
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(703, ExecType::New) != nullptr; }));
  EXPECT_GE(h.gw->counters().throttled, 2u);
}

TEST(UpbitOrderGateway, aRateLimitedQueryReportsNothingAndTheOrderStaysLive) {
  Harness h;
  ASSERT_TRUE(h.gw->send(h.limitBuy(731), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(731, ExecType::New) != nullptr; }));
  h.venue.setQueries429(1);
  ASSERT_TRUE(h.gw->query(h.instrument, 731).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.gw->counters().unknown_outcomes == 1; }));
  EXPECT_EQ(h.sink.find(731, ExecType::Rejected), nullptr) << "a refused query must not end the order";
  // After the back-off the question goes out again and gets the order's state.
  h.sink.reports.clear();
  ASSERT_TRUE(h.pollUntil([&] { return h.gw->query(h.instrument, 731).ok(); }));
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(731, ExecType::New) != nullptr; }));
  // Still live: the stream's fill is reported with the order's strategy.
  h.venue.fill("731", "100000000", "0.002");
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(731, ExecType::Filled) != nullptr; }));
  EXPECT_EQ(h.sink.find(731, ExecType::Filled)->strategy_id, 7u);
}

TEST(UpbitOrderGateway, exhaustedOrderGroupThrottlesOrdersButNotQueries) {
  Harness h;
  h.venue.setOrderGroupRemaining(0);  // every answer says: order group, sec=0 (used up this second)
  // After an answer, the next order in the same second is Throttled; a new second opens the
  // group again. Bounded: one Throttled is expected long before 20 orders.
  int sent = 0, throttled = 0;
  bool queryWentOut = false;
  for (common::ClientOrderId id = 751; id < 771 && throttled == 0; ++id) {
    const auto st = h.gw->send(h.limitBuy(id), 1);
    if (st.outcome == SendOutcome::Sent) {
      ++sent;
      ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(id, ExecType::New) != nullptr; }));
    } else if (st.outcome == SendOutcome::Throttled) {
      ++throttled;
      queryWentOut = h.gw->query(h.instrument, 751).outcome == SendOutcome::Sent;  // default group
    }
  }
  EXPECT_EQ(throttled, 1);
  EXPECT_TRUE(queryWentOut);
  h.pollFor(50);
  EXPECT_EQ(h.venue.requestsTo("POST", "/v1/orders"), sent);
}

TEST(UpbitOrderGateway, serverErrorIsNeverResentAndQueryFindsTheOrder) {
  Harness h;
  h.venue.setNextOrderFault(UpbitFault::Internal500);
  ASSERT_TRUE(h.gw->send(h.limitBuy(801), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.gw->counters().unknown_outcomes == 1; }));
  h.sink.reports.clear();
  h.pollFor(100);
  EXPECT_EQ(h.sink.find(801, ExecType::Rejected), nullptr);
  ASSERT_TRUE(h.gw->query(h.instrument, 801).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(801, ExecType::New) != nullptr; }));
  EXPECT_EQ(h.venue.orderRequests("801"), 1);
}

TEST(UpbitOrderGateway, timeoutIsNeverResent) {
  Harness h;
  h.venue.setNextOrderFault(UpbitFault::Silence);
  ASSERT_TRUE(h.gw->send(h.limitBuy(851), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.gw->counters().unknown_outcomes == 1; }));
  ASSERT_TRUE(h.gw->query(h.instrument, 851).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(851, ExecType::New) != nullptr; }));
  EXPECT_EQ(h.venue.orderRequests("851"), 1);
}

TEST(UpbitOrderGateway, privateStreamReconnectRequeriesOpenOrders) {
  Harness h;
  ASSERT_TRUE(h.gw->send(h.limitBuy(901), 1).ok());
  ASSERT_TRUE(h.gw->send(h.limitBuy(902), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(901, ExecType::New) && h.sink.find(902, ExecType::New); }));
  h.venue.fillSilently("901");
  h.venue.dropPrivateStreams();
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(901, ExecType::Filled) != nullptr; }));
  EXPECT_EQ(h.gw->counters().stream_reconnects, 1u);
  EXPECT_GE(h.venue.requestsTo("GET", "/v1/orders/open?market=KRW-BTC"), 1);
  EXPECT_GE(h.venue.requestsTo("GET", "/v1/order?identifier=901"), 1);  // gone from the list: queried
  EXPECT_EQ(h.venue.requestsTo("GET", "/v1/order?identifier=902"), 0);  // still listed
  EXPECT_EQ(h.venue.privateConnections(), 2);
  EXPECT_EQ(h.venue.jwtFailures(), 0) << "a fresh token (nonce) for the second upgrade";
}

TEST(UpbitOrderGateway, reconciliationListsOpenOrdersAndBalances) {
  Harness h;
  ASSERT_TRUE(h.gw->send(h.limitBuy(1001), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1001, ExecType::New) != nullptr; }));
  std::vector<interfaces::VenueOrder> orders;
  std::string error;
  ASSERT_TRUE(h.gw->fetchOpenOrders(orders, error)) << error;
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].client_order_id, 1001u);
  EXPECT_EQ(orders[0].qty, 200'000);
  EXPECT_EQ(orders[0].price, 100'000'000);
  std::vector<interfaces::VenueBalance> balances;
  ASSERT_TRUE(h.gw->fetchBalances(balances, error)) << error;
  ASSERT_EQ(balances.size(), 2u);
  EXPECT_STREQ(balances[0].asset, "KRW");
  EXPECT_EQ(balances[0].free, 100'000'012'345'678);  // truncated at 8 decimals
  EXPECT_EQ(balances[0].locked, 500'000'000'000);
  std::vector<interfaces::VenuePosition> positions;
  EXPECT_TRUE(h.gw->fetchPositions(positions, error));
  EXPECT_TRUE(positions.empty());
}

TEST(UpbitOrderGateway, bithumbDialectUsesClientOrderIdHs256AndTimestamp) {
  Harness h(api::bithumb::kBithumb);
  EXPECT_EQ(h.gw->name(), "bithumb");
  EXPECT_EQ(h.gw->venue(), common::ExchangeId::Bithumb);
  ASSERT_TRUE(h.gw->send(h.limitBuy(1101), 1).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1101, ExecType::New) != nullptr; }));
  EXPECT_NE(h.venue.postBodies().at(0).find("\"client_order_id\":\"1101\""), std::string::npos);
  for (const std::string& p : h.venue.lastJwtPayloads()) EXPECT_NE(p.find("\"timestamp\":"), std::string::npos) << p;
  h.venue.fill("1101", "100000000", "0.002");
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.find(1101, ExecType::Filled) != nullptr; }));
  ASSERT_TRUE(h.gw->query(h.instrument, 1101).ok());
  ASSERT_TRUE(h.pollUntil([&] { return h.sink.count(1101, ExecType::Filled) == 2; }));
  EXPECT_EQ(h.venue.requestsTo("GET", "/v1/order?client_order_id=1101"), 1);
  EXPECT_EQ(h.venue.jwtFailures(), 0);
}

TEST(UpbitOrderGateway, wrongSecretIsRefusedAndTheErrorNamesVariablesNotValues) {
  FakeUpbitOrderVenue venue(api::upbit::kUpbit, kKey, kSecret);
  Sink sink;
  auto c = configFor(venue, api::upbit::kUpbit, "notTheRightSecretValue99");
  c.start_timeout_ms = 500;
  UpbitOrderGateway gw(std::move(c), registry());
  try {
    gw.start(sink);
    FAIL() << "start() must throw when the private stream refuses the token";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("HFT_UPBIT_ACCESS_KEY"), std::string::npos) << what;
    EXPECT_EQ(what.find("notTheRightSecretValue99"), std::string::npos);
    EXPECT_EQ(what.find(kKey), std::string::npos);
  }
  EXPECT_GE(venue.jwtFailures(), 1);
  EXPECT_EQ(venue.privateConnections(), 0);
}

TEST(UpbitOrderGateway, textPingKeepAliveIsAnsweredAndIgnored) {
  Harness h(api::upbit::kUpbit, 20);
  ASSERT_TRUE(h.pollUntil([&] {
    int pings = 0;
    for (const auto& f : h.venue.subscriptions()) pings += f == "PING";
    return pings >= 2;
  }));
  h.pollFor(50);
  EXPECT_GE(h.gw->counters().text_pings, 2u);
  EXPECT_EQ(h.gw->counters().parse_errors, 0u);  // {"status":"UP"} is understood
  EXPECT_EQ(h.gw->counters().stream_errors, 0u);
}

TEST(UpbitGatewayEnv, missingCredentialsNameTheVariablesNeverValues) {
  UpbitOrderGatewayConfig c;
  const config::EnvLookup none = [](const char*) -> const char* { return nullptr; };
  try {
    loadUpbitCredentials(c, std::nullopt, nullptr, none);
    FAIL();
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("HFT_UPBIT_ACCESS_KEY"), std::string::npos) << what;
    EXPECT_NE(what.find("HFT_UPBIT_SECRET_KEY"), std::string::npos) << what;
    EXPECT_NE(what.find("upbit:spot"), std::string::npos) << what;
  }
  c.dialect = api::bithumb::kBithumb;
  const config::EnvLookup onlyKey = [](const char* n) -> const char* {
    return std::string(n) == "HFT_BITHUMB_ACCESS_KEY" ? "keyValue123" : nullptr;
  };
  try {
    loadUpbitCredentials(c, std::nullopt, nullptr, onlyKey);
    FAIL();
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("HFT_BITHUMB_SECRET_KEY"), std::string::npos) << what;
    EXPECT_EQ(what.find("keyValue123"), std::string::npos) << what;
  }
  const config::EnvLookup both = [](const char* n) -> const char* {
    const std::string s(n);
    return s == "HFT_BITHUMB_ACCESS_KEY" ? "keyValue123" : s == "HFT_BITHUMB_SECRET_KEY" ? "secretValue456" : nullptr;
  };
  loadUpbitCredentials(c, std::nullopt, nullptr, both);
  EXPECT_EQ(c.access_key, "keyValue123");
  EXPECT_EQ(c.secret_key.view(), "secretValue456");
}

TEST(UpbitGatewayEnv, configFromTheExchangeFiles) {
  const config::EnvLookup none = [](const char*) -> const char* { return nullptr; };
  const std::string dir = std::string(HFT_SOURCE_DIR) + "/config/exchanges/";
  const auto upbit = config::ExchangeConfig::loadFile(dir + "upbit.json", none);
  const UpbitOrderGatewayConfig u = UpbitOrderGatewayConfig::fromExchange(upbit, none);
  EXPECT_EQ(u.dialect.exchange, common::ExchangeId::Upbit);
  EXPECT_EQ(u.rest_url, "https://api.upbit.com");
  EXPECT_EQ(u.private_ws_url, "wss://api.upbit.com/websocket/v1/private");
  const auto bithumb = config::ExchangeConfig::loadFile(dir + "bithumb.json", none);
  const config::EnvLookup priv = [](const char* n) -> const char* {
    return std::string(n) == "HFT_BITHUMB_PRIVATE_WS_URL" ? "ws://127.0.0.1:9/websocket/v2/private" : nullptr;
  };
  const UpbitOrderGatewayConfig b = UpbitOrderGatewayConfig::fromExchange(bithumb, none);
  EXPECT_EQ(b.dialect.exchange, common::ExchangeId::Bithumb);
  EXPECT_EQ(b.dialect.clientIdKey, "client_order_id");
  EXPECT_EQ(b.private_ws_url, "wss://ws-api.bithumb.com/websocket/v2/private");
  EXPECT_EQ(UpbitOrderGatewayConfig::fromExchange(bithumb, priv).private_ws_url, "ws://127.0.0.1:9/websocket/v2/private");
  const auto binance = config::ExchangeConfig::loadFile(dir + "binance.json", none);
  EXPECT_THROW((void)UpbitOrderGatewayConfig::fromExchange(binance, none), std::invalid_argument);
}

}  // namespace
}  // namespace hft::execution_engine::gateways

#include "AllocationCounter.h"

namespace hft::execution_engine::gateways {
namespace {

TEST(UpbitOrderGateway, sendQueryAndPollDoNotAllocateOnceWarm) {
  Harness h;
  uint64_t allocations = 0;
  // Every gateway call in its own counting window; the fake's and the test's work stays outside.
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
    ASSERT_TRUE(send(h.limitBuy(base)));
    ASSERT_TRUE(poll([&] { return h.sink.find(base, ExecType::New) != nullptr; }));
    const auto cancelled = h.limitBuy(base + 1);
    ASSERT_TRUE(send(cancelled));
    ASSERT_TRUE(poll([&] { return h.sink.find(base + 1, ExecType::New) != nullptr; }));
    ASSERT_TRUE(send(Harness::cancelOf(cancelled, base + 2)));
    ASSERT_TRUE(poll([&] { return h.sink.find(base + 1, ExecType::Canceled) != nullptr; }));
    {
      test::AllocationWindow w;
      ASSERT_TRUE(h.gw->query(h.instrument, base + 99).ok());
      allocations += w.count();
    }
    ASSERT_TRUE(poll([&] { return h.sink.find(base + 99, ExecType::Rejected) != nullptr; }));
    h.venue.fill(std::to_string(base), "100000000", "0.002");
    ASSERT_TRUE(poll([&] { return h.sink.find(base, ExecType::Filled) != nullptr && !h.sink.balances.empty(); }));
  };
  {
    test::AllocationWindow w;  // the counter works in this binary (operator new only; OpenSSL mallocs are not seen)
    std::string s(200, 'x');
    EXPECT_EQ(w.count(), 1u);
  }
  lifecycle(1300);  // warm-up: buffers reach their sizes
  allocations = 0;
  lifecycle(1400);
  EXPECT_EQ(allocations, 0u);
}

}  // namespace
}  // namespace hft::execution_engine::gateways
