// Order-entry conformance: every venue's IOrderGateway, polled in-process against the real
// build/bin/exchange_simulator of that venue (one simulator per test), must report the order
// lifecycle (ack, query, cancel, fills), map the venue's errors to the documented reasons,
// hold back while the venue rate-limits, and never resend an order whose outcome is unknown.
// After every test the venue saw no client order id twice and nothing is left working.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include "RecordingSinks.h"
#include "SimulatorUnderTest.h"
#include "common/events/ExecutionReport.h"
#include "venues/Venues.h"

namespace hft::test::conformance {
namespace {

using common::ExecType;
using common::RejectReason;
using interfaces::SendOutcome;
using Clock = std::chrono::steady_clock;

const config::InstrumentRegistry& registry() {
  static const auto r = config::InstrumentRegistry::loadFile(sourceFile("config/instruments.json"));
  return r;
}

bool isFinal(ExecType t) {
  return t == ExecType::Filled || t == ExecType::Canceled || t == ExecType::Rejected || t == ExecType::Expired;
}

class OrderConformance : public ::testing::TestWithParam<ConformanceVenue> {
 protected:
  const ConformanceVenue& venue() const { return GetParam(); }

  void SetUp() override {
    inst = registry().byVenueSymbol(venue().exchange, venue().symbols.at(0));
    ASSERT_NE(inst, nullptr) << venue().symbols.at(0) << " is not in config/instruments.json";
    sim = std::make_unique<SimulatorUnderTest>(venue(), venue().symbols, 20);
    ASSERT_NE(sim->port(), 0) << sim->output();
    gateway = venue().order_entry(sim->endpoint(), registry());
    ASSERT_NE(gateway, nullptr);
    ASSERT_EQ(gateway->venue(), venue().exchange);
    ASSERT_NO_THROW(gateway->start(sink));
  }
  void TearDown() override {
    if (gateway) gateway->stop();  // orders stay on the venue: what the checks below look at
    if (!sim || sim->port() == 0) return;
    const auto state = sim->state();
    ASSERT_FALSE(state.is_discarded()) << "GET /sim/state did not parse";
    EXPECT_EQ(state.value("client_order_id_reuses", -1), 0) << "an order reached the venue twice";
    EXPECT_TRUE(state.contains("open_orders") && state["open_orders"].empty())
        << "orders left working: " << state.value("open_orders", nlohmann::json()).dump();
  }

  template <class Done>
  bool pollUntil(Done done, int ms = 10000) {
    const auto end = Clock::now() + std::chrono::milliseconds(ms);
    while (!done()) {
      if (Clock::now() > end) return false;
      if (gateway->poll() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }
  void pollFor(int ms) { pollUntil([] { return false; }, ms); }

  /// The venue's REST book of the traded instrument (best bid and ask both present).
  RestBook book() {
    RestBook b;
    std::string error;
    EXPECT_TRUE(venue().rest_book(sim->endpoint(), *inst, b, error)) << error;
    EXPECT_FALSE(b.bids.empty() || b.asks.empty()) << "one-sided REST book";
    return b;
  }
  /// Raw quantity worth `notional` whole quote units at raw `price`, on the lot grid (rounded
  /// up, so a minimum notional is met; `down` rounds down).
  int64_t qtyFor(int64_t notional, int64_t price, bool down = false) const {
    const int64_t raw = notional * common::pow10(inst->price_scale) * common::pow10(inst->qty_scale) / price;
    const int64_t lots = down ? raw / inst->lot_size : (raw + inst->lot_size - 1) / inst->lot_size;
    return lots * inst->lot_size;
  }
  common::OrderRequest buy(int64_t price, int64_t qty, common::TimeInForce tif = common::TimeInForce::GTC) {
    common::OrderRequest r{};
    r.header = common::makeHeader<common::OrderRequest>(venue().exchange, inst->id, 0, 0);
    r.client_order_id = nextId++;
    r.price = price;
    r.qty = qty;
    r.strategy_id = 7;
    r.action = common::OrderAction::New;
    r.side = common::Side::Buy;
    r.type = common::OrderType::Limit;
    r.tif = tif;
    return r;
  }
  common::OrderRequest cancelOf(common::ClientOrderId id) {
    common::OrderRequest c{};
    c.header = common::makeHeader<common::OrderRequest>(venue().exchange, inst->id, 0, 0);
    c.client_order_id = nextId++;
    c.orig_client_order_id = id;
    c.strategy_id = 7;
    c.action = common::OrderAction::Cancel;
    c.side = common::Side::Buy;
    c.type = common::OrderType::Limit;
    c.tif = common::TimeInForce::GTC;
    return c;
  }
  interfaces::SendStatus send(const common::OrderRequest& r) {
    return gateway->send(r, std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count());
  }
  /// A request refused with `why`: by send() itself (nothing sent) or by a Rejected report.
  void expectRefused(const common::OrderRequest& r, RejectReason why, const char* what) {
    const auto status = send(r);
    if (status.outcome == SendOutcome::Rejected) {
      EXPECT_EQ(status.reason, why) << what << ": send() refused it as " << common::toString(status.reason);
      return;
    }
    ASSERT_EQ(status.outcome, SendOutcome::Sent) << what;
    ASSERT_TRUE(pollUntil([&] { return sink.find(r.client_order_id, ExecType::Rejected) != nullptr; }))
        << what << ": no Rejected report";
    const auto* rej = sink.find(r.client_order_id, ExecType::Rejected);
    EXPECT_EQ(rej->reject_reason, why) << what << ": rejected as " << common::toString(rej->reject_reason);
    EXPECT_EQ(sink.find(r.client_order_id, ExecType::New), nullptr) << what << ": acked as well";
  }
  /// Cancels working order `id` and waits for its Canceled report.
  void cancel(common::ClientOrderId id) {
    ASSERT_EQ(send(cancelOf(id)).outcome, SendOutcome::Sent);
    ASSERT_TRUE(pollUntil([&] { return sink.find(id, ExecType::Canceled) != nullptr; })) << "no Canceled; " << history(id);
  }
  /// Every report about `id` so far, one per line, for failure messages.
  std::string history(common::ClientOrderId id) const {
    std::string out = "reports about " + std::to_string(id) + ":";
    for (const auto& r : sink.about(id))
      out.append("\n  ").append(common::toString(r.exec_type)).append(" reason ").append(common::toString(r.reject_reason))
          .append(" venue id ").append(std::to_string(r.venue_order_id)).append(" cum ").append(std::to_string(r.cum_qty))
          .append(" leaves ").append(std::to_string(r.leaves_qty)).append(" last ").append(std::to_string(r.last_qty))
          .append(" @ ").append(std::to_string(r.last_price));
    return out;
  }
  /// Sends `taker`, a buy IOC through the best ask worth order_notional, and waits for its final report.
  void takeOnce() {
    const RestBook b = book();
    ASSERT_FALSE(b.asks.empty());
    const int64_t price = venue().marketable_bid(b.asks[0].price, *inst);
    taker = buy(price, qtyFor(venue().order_notional, price), common::TimeInForce::IOC);
    ASSERT_EQ(send(taker).outcome, SendOutcome::Sent);
    ASSERT_TRUE(pollUntil([&] {
      for (const auto& r : sink.about(taker.client_order_id))
        if (isFinal(r.exec_type)) return true;
      return false;
    })) << "no final report for the IOC";
    pollFor(300);  // what the user stream says after the reply
  }
  nlohmann::json waitForNoOpenOrders() {
    nlohmann::json state;
    pollUntil([&] {
      state = sim->state();
      return !state.is_discarded() && state.contains("open_orders") && state["open_orders"].empty();
    });
    return state;
  }

  const config::Instrument* inst = nullptr;
  std::unique_ptr<SimulatorUnderTest> sim;
  RecordingExecutionSink sink;  // outlives the gateway that holds it
  std::unique_ptr<interfaces::IOrderGateway> gateway;
  common::ClientOrderId nextId = 1001;
  common::OrderRequest taker{};
};

// Lifecycle, resting: a limit buy away from the touch is acked New with its terms (the first
// New is what the OMS passes on to the strategy); query() answers its state; a cancel ends it.
TEST_P(OrderConformance, acksQueriesAndCancelsARestingOrder) {
  const RestBook b0 = book();
  ASSERT_FALSE(b0.bids.empty());
  const int64_t restPrice = venue().resting_bid(b0.bids[0].price, *inst);
  const auto resting = buy(restPrice, qtyFor(venue().order_notional, restPrice));
  ASSERT_EQ(send(resting).outcome, SendOutcome::Sent);
  ASSERT_TRUE(pollUntil([&] { return sink.find(resting.client_order_id, ExecType::New) != nullptr; }))
      << "no New ack; reports: " << sink.reports.size();
  const auto ack = *sink.find(resting.client_order_id, ExecType::New);
  EXPECT_GT(ack.venue_order_id, 0u);
  EXPECT_EQ(ack.header.exchange_id, venue().exchange);
  EXPECT_EQ(ack.header.instrument_id, inst->id);
  EXPECT_EQ(ack.strategy_id, 7u);
  EXPECT_EQ(ack.cum_qty, 0);
  EXPECT_EQ(ack.order_price, restPrice) << "the first New report's order_price";
  EXPECT_EQ(ack.leaves_qty, resting.qty) << "the first New report's leaves_qty";
  EXPECT_EQ(ack.side, common::Side::Buy) << "the first New report's side";

  const size_t beforeQuery = sink.reports.size();
  ASSERT_EQ(gateway->query(inst->id, resting.client_order_id).outcome, SendOutcome::Sent);
  ASSERT_TRUE(pollUntil([&] { return !sink.about(resting.client_order_id, beforeQuery).empty(); })) << "no query answer";
  const auto answer = sink.about(resting.client_order_id, beforeQuery).front();
  EXPECT_EQ(answer.exec_type, ExecType::New) << "a working order is reported New, got " << common::toString(answer.exec_type);
  EXPECT_EQ(answer.venue_order_id, ack.venue_order_id);
  EXPECT_EQ(answer.leaves_qty, resting.qty);

  ASSERT_NO_FATAL_FAILURE(cancel(resting.client_order_id));
  EXPECT_EQ(sink.find(resting.client_order_id, ExecType::Canceled)->venue_order_id, ack.venue_order_id);
}

// Lifecycle, marketable: a buy IOC through the touch ends Filled. Its fills (reports with a
// last_qty, repeats of one trade counted once, as the OMS does) each carry a price at or below
// the limit and sum to the order; a report may advance cum_qty without a last_qty (a reply that
// only knows the total: the OMS keeps the hole until the fill report), never the reverse.
TEST_P(OrderConformance, reportsFillsOfAMarketableOrderThatSumToIt) {
  ASSERT_NO_FATAL_FAILURE(takeOnce());
  int64_t filled = 0, maxCum = 0;
  bool done = false;
  std::set<uint64_t> trades;
  std::set<int64_t> cumsWithoutTradeId;
  for (const auto& r : sink.about(taker.client_order_id)) {
    EXPECT_NE(r.exec_type, ExecType::Rejected) << common::toString(r.reject_reason);
    maxCum = std::max(maxCum, r.cum_qty);
    done = done || r.exec_type == ExecType::Filled;
    if (r.last_qty == 0) continue;
    EXPECT_TRUE(r.exec_type == ExecType::PartiallyFilled || r.exec_type == ExecType::Filled)
        << "last_qty on a " << common::toString(r.exec_type) << " report";
    EXPECT_LE(r.last_qty, r.cum_qty) << "a fill larger than the order's filled total";
    const bool repeat = r.trade_id != 0 ? !trades.insert(r.trade_id).second : !cumsWithoutTradeId.insert(r.cum_qty).second;
    if (repeat) continue;
    EXPECT_GT(r.last_price, 0) << "a fill without a price";
    EXPECT_LE(r.last_price, taker.price) << "a buy filled above its limit";
    filled += r.last_qty;
  }
  EXPECT_TRUE(done) << "the marketable IOC did not fill completely; " << history(taker.client_order_id);
  EXPECT_EQ(filled, taker.qty) << "fills do not sum to the order; " << history(taker.client_order_id);
  EXPECT_EQ(maxCum, taker.qty) << history(taker.client_order_id);
}

// Balances: after a fill, the last BalanceUpdate of every asset the gateway reported, and
// fetchBalances(), equal the venue's account (/sim/state) exactly.
TEST_P(OrderConformance, reportsBalancesEqualToTheVenuesAfterAFill) {
  ASSERT_NO_FATAL_FAILURE(takeOnce());
  const auto venueBalances = venue().sim_balances(waitForNoOpenOrders());
  // The pushed view may trail the fill: a bounded wait, then exact equality.
  const bool split = venue().pushes_balance_split;
  auto same = [&](const auto& mine, const SimBalance& bal) {
    return split ? mine.free == bal.free && mine.locked == bal.locked : mine.free + mine.locked == bal.free + bal.locked;
  };
  pollUntil([&] {
    for (const auto& [asset, bal] : venueBalances) {
      const auto* mine = sink.lastBalance(asset);
      if (mine != nullptr && !same(*mine, bal)) return false;
    }
    return true;
  }, 3000);
  size_t reported = 0;
  for (const auto& [asset, bal] : venueBalances) {
    const auto* mine = sink.lastBalance(asset);
    if (mine == nullptr) continue;
    ++reported;
    if (split) {
      EXPECT_EQ(mine->free, bal.free) << asset << ": last BalanceUpdate free vs /sim/state";
      EXPECT_EQ(mine->locked, bal.locked) << asset << ": last BalanceUpdate locked vs /sim/state";
    } else {
      EXPECT_EQ(mine->free + mine->locked, bal.free + bal.locked) << asset << ": last BalanceUpdate total vs /sim/state";
    }
  }
  EXPECT_GT(reported, 0u) << "no BalanceUpdate for any asset after a fill";
  std::vector<interfaces::VenueBalance> fetched;
  std::string error;
  ASSERT_TRUE(gateway->fetchBalances(fetched, error)) << error;
  for (const auto& [asset, bal] : venueBalances) {
    const interfaces::VenueBalance* f = nullptr;
    for (const auto& x : fetched)
      if (std::strncmp(x.asset, asset.c_str(), sizeof x.asset) == 0) f = &x;
    ASSERT_NE(f, nullptr) << asset << " missing from fetchBalances()";
    EXPECT_EQ(f->free, bal.free) << asset << ": fetchBalances free vs /sim/state";
    EXPECT_EQ(f->locked, bal.locked) << asset << ": fetchBalances locked vs /sim/state";
  }
}

// ErrorMapping: insufficient funds, unknown orders (query and cancel), and orders off the
// venue's price / quantity grid are refused with the documented reasons.
TEST_P(OrderConformance, mapsVenueErrorsToTheDocumentedRejectReasons) {
  const RestBook b = book();
  ASSERT_FALSE(b.bids.empty());
  const int64_t price = venue().resting_bid(b.bids[0].price, *inst);
  ASSERT_NO_FATAL_FAILURE(expectRefused(buy(price, qtyFor(venue().unaffordable_notional, price, true)),
                                        venue().insufficient_funds, "an order the account cannot pay for"));

  const common::ClientOrderId never = 900'000;
  ASSERT_EQ(gateway->query(inst->id, never).outcome, SendOutcome::Sent);
  ASSERT_TRUE(pollUntil([&] { return !sink.about(never).empty(); })) << "no answer to a query of an unknown order";
  EXPECT_EQ(sink.about(never).front().exec_type, ExecType::Rejected);
  EXPECT_EQ(sink.about(never).front().reject_reason, RejectReason::UnknownOrder)
      << common::toString(sink.about(never).front().reject_reason);

  const auto cancelUnknown = cancelOf(900'001);
  const auto status = send(cancelUnknown);
  if (status.outcome == SendOutcome::Rejected) {
    EXPECT_EQ(status.reason, RejectReason::UnknownOrder) << common::toString(status.reason);
  } else {
    ASSERT_EQ(status.outcome, SendOutcome::Sent);
    ASSERT_TRUE(pollUntil([&] { return !sink.about(900'001).empty(); })) << "no answer to a cancel of an unknown order";
    EXPECT_EQ(sink.about(900'001).front().exec_type, ExecType::Rejected);
    EXPECT_EQ(sink.about(900'001).front().reject_reason, RejectReason::UnknownOrder)
        << common::toString(sink.about(900'001).front().reject_reason);
  }

  int gridChecks = 0;
  if (inst->tick_size > 1) {  // a price between two ticks is representable
    ++gridChecks;
    ASSERT_NO_FATAL_FAILURE(expectRefused(buy(price + inst->tick_size / 2, qtyFor(venue().order_notional, price)),
                                          RejectReason::OffTickPrice, "a price off the tick"));
  }
  if (inst->lot_size > 1) {  // a quantity between two lots is representable
    ++gridChecks;
    ASSERT_NO_FATAL_FAILURE(expectRefused(buy(price, qtyFor(venue().order_notional, price) + inst->lot_size / 2),
                                          RejectReason::OffLotQuantity, "a quantity off the lot"));
  }
  EXPECT_GT(gridChecks, 0) << inst->venue_symbol << ": neither tick nor lot is finer than one raw unit";
}

// RateLimiting: after a 429 the gateway holds back: the refused order is reported RateLimit
// and the next one is not sent (Throttled, or RateLimit without reaching the venue).
TEST_P(OrderConformance, holdsBackAfterTheVenueAnswersTooManyRequests) {
  const RestBook b = book();
  ASSERT_FALSE(b.bids.empty());
  const int64_t price = venue().resting_bid(b.bids[0].price, *inst);
  ASSERT_EQ(sim->fault("kind=http429&count=1"), 200);
  const auto first = buy(price, qtyFor(venue().order_notional, price));
  const auto firstStatus = send(first);
  if (firstStatus.outcome == SendOutcome::Sent) {
    ASSERT_TRUE(pollUntil([&] { return sink.find(first.client_order_id, ExecType::Rejected) != nullptr; }))
        << "no Rejected report for the order answered 429";
    EXPECT_EQ(sink.find(first.client_order_id, ExecType::Rejected)->reject_reason, RejectReason::RateLimit);
  } else {
    EXPECT_EQ(firstStatus.outcome, SendOutcome::Throttled);
  }
  const auto second = buy(price, qtyFor(venue().order_notional, price));
  const auto secondStatus = send(second);
  if (secondStatus.outcome == SendOutcome::Sent) {
    ASSERT_TRUE(pollUntil([&] { return !sink.about(second.client_order_id).empty(); }, 5000))
        << "the order after the 429 was sent and never answered";
    EXPECT_EQ(sink.about(second.client_order_id).front().exec_type, ExecType::Rejected)
        << "the order after the 429 reached the venue during the back-off";
    EXPECT_EQ(sink.about(second.client_order_id).front().reject_reason, RejectReason::RateLimit);
  } else {
    EXPECT_TRUE(secondStatus.outcome == SendOutcome::Throttled ||
                (secondStatus.outcome == SendOutcome::Rejected && secondStatus.reason == RejectReason::RateLimit))
        << "send() during the back-off answered " << static_cast<int>(secondStatus.outcome) << " "
        << common::toString(secondStatus.reason);
  }
  pollFor(300);
  EXPECT_EQ(sink.find(first.client_order_id, ExecType::New), nullptr) << "the 429'd order was acked";
  EXPECT_EQ(sink.find(second.client_order_id, ExecType::New), nullptr) << "an order was placed during the back-off";
  const auto state = sim->state();
  EXPECT_EQ(state["faults"]["http429"]["injected"].get<int>(), 1) << state["faults"].dump();
}

// UnknownOutcome: a 5xx on an order the venue placed anyway gives no Rejected and no resend;
// a query() learns the working order.
TEST_P(OrderConformance, neverResendsAnOrderWhoseOutcomeIsUnknownAndLearnsItByQuery) {
  const RestBook b = book();
  ASSERT_FALSE(b.bids.empty());
  const int64_t price = venue().resting_bid(b.bids[0].price, *inst);
  ASSERT_EQ(sim->fault("kind=http5xx&count=1&placed=1"), 200);
  const auto order = buy(price, qtyFor(venue().order_notional, price));
  ASSERT_EQ(send(order).outcome, SendOutcome::Sent);
  pollFor(1500);
  EXPECT_EQ(sink.find(order.client_order_id, ExecType::Rejected), nullptr)
      << "an order the venue may have placed was reported Rejected; " << history(order.client_order_id);
  auto state = sim->state();
  EXPECT_EQ(state["faults"]["http5xx"]["injected"].get<int>(), 1) << state["faults"].dump();
  ASSERT_EQ(state["open_orders"].size(), 1u) << "the venue placed the order: " << state["open_orders"].dump() << "; "
                                             << history(order.client_order_id);

  const size_t beforeQuery = sink.reports.size();
  ASSERT_EQ(gateway->query(inst->id, order.client_order_id).outcome, SendOutcome::Sent);
  ASSERT_TRUE(pollUntil([&] { return !sink.about(order.client_order_id, beforeQuery).empty(); }))
      << "no query answer; " << history(order.client_order_id);
  const auto answer = sink.about(order.client_order_id, beforeQuery).front();
  EXPECT_EQ(answer.exec_type, ExecType::New) << history(order.client_order_id);
  EXPECT_GT(answer.venue_order_id, 0u);
  EXPECT_EQ(answer.leaves_qty, order.qty);

  ASSERT_NO_FATAL_FAILURE(cancel(order.client_order_id));
  state = waitForNoOpenOrders();
  if (state.contains("orders_accepted")) {  // the Binance profile counts every order it took
    EXPECT_EQ(state["orders_accepted"].get<int>(), 1) << "the order reached the venue more than once";
  }
}

std::vector<ConformanceVenue> venuesWithOrderEntry() {
  std::vector<ConformanceVenue> out;
  for (const auto& v : allVenues())
    if (v.order_entry) out.push_back(v);
  return out;
}

std::string venueName(const ::testing::TestParamInfo<ConformanceVenue>& param) { return param.param.name; }

INSTANTIATE_TEST_SUITE_P(Venue, OrderConformance, ::testing::ValuesIn(venuesWithOrderEntry()), venueName);

}  // namespace
}  // namespace hft::test::conformance
