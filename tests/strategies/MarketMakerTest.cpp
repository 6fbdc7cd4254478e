#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "strategies/MarketMaker.h"
#include "strategy_engine/StrategyConfig.h"
#include "strategy_engine/StrategyRegistry.h"
#include "tests/strategies/StrategyHarness.h"

// Counts every allocation in this test binary, so a test can prove the steady state allocates
// nothing. (One definition per binary: other files of test_strategies must not define it.)
namespace {
std::atomic<uint64_t> gAllocations{0};
}
// Both sides not inlined: GCC would otherwise see malloc paired with a sized delete and warn
// of a mismatch.
[[gnu::noinline]] void* operator new(size_t n) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace {

using namespace hft;
using common::ExecType;
using common::OrderAction;
using common::OrderRequest;
using common::Side;
using common::TimeInForce;

constexpr common::InstrumentId kBtc = 101;  // tick 0.01 (1 raw), lot 0.00001 (1 raw)
constexpr common::TimestampNs kT0 = 1'700'000'000'000'000'000;
constexpr common::TimestampNs kMs = 1'000'000;
constexpr int64_t kBid = 6'500'000;  // 65000.00
constexpr int64_t kAsk = 6'500'100;  // 65001.00
constexpr int64_t kOneBtc = 100'000;

std::unique_ptr<strategy_engine::IStrategy> create(const std::string& paramsJson) {
  return test::createStrategy("market_maker", strategies::makeMarketMaker, test::testInstruments(), {kBtc}, paramsJson, "mm-test");
}

/// The ConfigError message of creating with these params ("" when creation succeeds).
std::string createError(const std::string& paramsJson) {
  return test::configErrorOf([&] { create(paramsJson); });
}

/// A harness with a two-sided book of 1 BTC at kBid/kAsk shifted by `ticks`.
void book(test::StrategyHarness& h, common::TimestampNs t, int64_t ticks = 0, int64_t bidQty = kOneBtc,
          int64_t askQty = kOneBtc) {
  h.book(kBtc, t, {{kBid + ticks, bidQty}}, {{kAsk + ticks, askQty}});
}

const OrderRequest* lastNew(test::StrategyHarness& h, Side side) {
  for (auto it = h.sent().rbegin(); it != h.sent().rend(); ++it)
    if (it->side == side && it->action != OrderAction::Cancel) return &*it;
  return nullptr;
}

/// Reports the order a Modify replaced as Canceled (what the venue says once the amend is done).
void confirmReplaced(test::StrategyHarness& h, const OrderRequest& modify, common::TimestampNs t) {
  OrderRequest asCancel = modify;
  asCancel.action = OrderAction::Cancel;
  h.report(asCancel, ExecType::Canceled, t);
}

TEST(MarketMaker, quotesSymmetricAroundMidAtTheConfiguredDistance) {
  test::StrategyHarness h(create(R"({"half_spread_ticks": 5, "order_qty": "0.001"})"), {kBtc});
  book(h, kT0);
  ASSERT_EQ(h.sent().size(), 2u);
  const OrderRequest& bid = h.sent()[0];
  const OrderRequest& ask = h.sent()[1];
  EXPECT_EQ(bid.action, OrderAction::New);
  EXPECT_EQ(bid.side, Side::Buy);
  EXPECT_EQ(bid.price, 6'500'045);  // mid 65000.50 - 5 ticks
  EXPECT_EQ(ask.side, Side::Sell);
  EXPECT_EQ(ask.price, 6'500'055);
  EXPECT_EQ((kBid + kAsk) - 2 * bid.price, 2 * ask.price - (kBid + kAsk));
  EXPECT_EQ(bid.qty, 100);
  EXPECT_EQ(ask.qty, 100);
  EXPECT_EQ(bid.tif, TimeInForce::PostOnly);
  EXPECT_EQ(bid.type, common::OrderType::Limit);
}

TEST(MarketMaker, halfSpreadInBpsIsTakenFromTheReferencePrice) {
  test::StrategyHarness h(create(R"({"half_spread_bps": 1, "order_qty": "0.001"})"), {kBtc});
  book(h, kT0);
  ASSERT_EQ(h.sent().size(), 2u);
  EXPECT_EQ(h.sent()[0].price, 6'499'400);  // 65000.50 - 6.50 (1 bp), floored to the tick
  EXPECT_EQ(h.sent()[1].price, 6'500'700);
}

TEST(MarketMaker, quotesFromTopOfBookWhenThereIsNoBook) {
  test::StrategyHarness h(create(R"({"half_spread_ticks": 5, "order_qty": "0.001"})"), {kBtc});
  h.bbo(kBtc, kT0, kBid, kOneBtc, kAsk, kOneBtc);
  ASSERT_EQ(h.sent().size(), 2u);
  EXPECT_EQ(h.sent()[0].price, 6'500'045);
  EXPECT_EQ(h.sent()[1].price, 6'500'055);
  // Once the L2 book has levels, the BBO is ignored in its favour.
  book(h, kT0 + 1, 20);
  const size_t n = h.sent().size();
  h.bbo(kBtc, kT0 + 2, kBid + 500, kOneBtc, kAsk + 500, kOneBtc);
  EXPECT_EQ(h.sent().size(), n);
}

TEST(MarketMaker, movesWithTheBookOnlyBeyondTheRequoteThreshold) {
  test::StrategyHarness h(create(R"({"half_spread_ticks": 5, "order_qty": "0.001", "requote_ticks": 3})"), {kBtc});
  book(h, kT0);
  const OrderRequest bid = h.sent()[0], ask = h.sent()[1];
  h.report(bid, ExecType::New, kT0 + 1);
  h.report(ask, ExecType::New, kT0 + 1);

  book(h, kT0 + 2, 2);  // 2 ticks: below the threshold
  EXPECT_EQ(h.sent().size(), 2u);

  book(h, kT0 + 3, 3);  // 3 ticks: both quotes follow, by amending the working orders
  ASSERT_EQ(h.sent().size(), 4u);
  const OrderRequest bidMove = h.sent()[2], askMove = h.sent()[3];
  EXPECT_EQ(bidMove.action, OrderAction::Modify);
  EXPECT_EQ(bidMove.orig_client_order_id, bid.client_order_id);
  EXPECT_EQ(bidMove.price, 6'500'048);
  EXPECT_EQ(askMove.action, OrderAction::Modify);
  EXPECT_EQ(askMove.orig_client_order_id, ask.client_order_id);
  EXPECT_EQ(askMove.price, 6'500'058);

  // While the replaced orders are not confirmed gone, no further amend (one in flight per side).
  book(h, kT0 + 4, 10);
  EXPECT_EQ(h.sent().size(), 4u);

  confirmReplaced(h, bidMove, kT0 + 5);
  confirmReplaced(h, askMove, kT0 + 5);
  h.report(bidMove, ExecType::New, kT0 + 5);
  h.report(askMove, ExecType::New, kT0 + 5);
  book(h, kT0 + 6, 10);
  ASSERT_EQ(h.sent().size(), 6u);
  EXPECT_EQ(h.sent()[4].orig_client_order_id, bidMove.client_order_id);
  EXPECT_EQ(h.sent()[4].price, 6'500'055);
  EXPECT_EQ(h.sent()[5].orig_client_order_id, askMove.client_order_id);
  EXPECT_EQ(h.sent()[5].price, 6'500'065);
}

TEST(MarketMaker, skewsBothQuotesAgainstInventoryAfterFills) {
  test::StrategyHarness h(create(R"({"half_spread_ticks": 5, "order_qty": "0.001", "skew_ticks_per_unit": 2})"),
                          {kBtc});
  book(h, kT0);
  const OrderRequest bid = h.sent()[0], ask = h.sent()[1];
  h.report(ask, ExecType::New, kT0 + 1);
  h.fill(bid, kT0 + 2, bid.price);  // long 0.001 = one order_qty: quotes shift down 2 ticks
  EXPECT_EQ(h.host().position(kBtc).qty, 100);
  book(h, kT0 + 3);
  ASSERT_EQ(h.sent().size(), 4u);
  const OrderRequest* newBid = lastNew(h, Side::Buy);
  const OrderRequest* newAsk = lastNew(h, Side::Sell);
  EXPECT_EQ(newBid->action, OrderAction::New);  // the filled bid is gone: a fresh one
  EXPECT_EQ(newBid->price, 6'500'043);
  EXPECT_EQ(newAsk->action, OrderAction::Modify);
  EXPECT_EQ(newAsk->price, 6'500'053);

  // Short two units: both quotes 4 ticks above the unskewed ones.
  confirmReplaced(h, *newAsk, kT0 + 4);
  const OrderRequest modifiedAsk = *newAsk;
  h.fill(modifiedAsk, kT0 + 5, modifiedAsk.price);
  h.report(*newBid, ExecType::New, kT0 + 5);
  book(h, kT0 + 6);
  const OrderRequest* ask2 = lastNew(h, Side::Sell);
  ASSERT_NE(ask2, nullptr);
  EXPECT_EQ(ask2->action, OrderAction::New);
  EXPECT_EQ(ask2->price, 6'500'055);  // flat again: no skew
  const OrderRequest* sellAgain = ask2;
  h.fill(*sellAgain, kT0 + 7, sellAgain->price);
  EXPECT_EQ(h.host().position(kBtc).qty, -100);
  book(h, kT0 + 8);
  EXPECT_EQ(lastNew(h, Side::Sell)->price, 6'500'057);
}

TEST(MarketMaker, stopsQuotingTheSideThatWouldExceedMaxPosition) {
  test::StrategyHarness h(create(R"({"half_spread_ticks": 5, "order_qty": "0.001", "max_position": "0.0015"})"),
                          {kBtc});
  book(h, kT0);
  const OrderRequest bid = h.sent()[0], ask = h.sent()[1];
  h.report(bid, ExecType::New, kT0 + 1);
  h.report(ask, ExecType::New, kT0 + 1);
  // A partial fill of 0.0006: another full bid fill would make 0.0016 > 0.0015, so the
  // working bid is cancelled; the ask (which reduces the position) stays.
  h.report(bid, ExecType::PartiallyFilled, kT0 + 2, bid.price, 60, 60);
  book(h, kT0 + 3);
  ASSERT_EQ(h.sent().size(), 3u);
  EXPECT_EQ(h.sent()[2].action, OrderAction::Cancel);
  EXPECT_EQ(h.sent()[2].orig_client_order_id, bid.client_order_id);
  h.report(h.sent()[2], ExecType::Canceled, kT0 + 4);
  book(h, kT0 + 5);
  book(h, kT0 + 6, 30);
  for (size_t i = 3; i < h.sent().size(); ++i) EXPECT_NE(h.sent()[i].side, Side::Buy) << i;

  // Selling brings the position back under the limit: the bid returns.
  h.report(ask, ExecType::PartiallyFilled, kT0 + 7, ask.price, 60, 60);
  book(h, kT0 + 8);
  const OrderRequest* newBid = lastNew(h, Side::Buy);
  ASSERT_NE(newBid, nullptr);
  EXPECT_EQ(newBid->action, OrderAction::New);
}

TEST(MarketMaker, pullsQuotesAfterAnAdverseMoveAndResumesAfterThePause) {
  test::StrategyHarness h(create(R"({"half_spread_ticks": 5, "order_qty": "0.001", "requote_ticks": 1000,
                                     "pull_ticks": 10, "pull_window_ms": 100, "pause_ms": 500})"),
                          {kBtc});
  book(h, kT0);
  const OrderRequest bid = h.sent()[0], ask = h.sent()[1];
  h.report(bid, ExecType::New, kT0 + 1);
  h.report(ask, ExecType::New, kT0 + 1);

  book(h, kT0 + 20 * kMs, -10);  // exactly the limit: not more, nothing happens
  book(h, kT0 + 40 * kMs, 0);
  EXPECT_EQ(h.sent().size(), 2u);
  book(h, kT0 + 200 * kMs, -11);  // 11 ticks, but over 200 ms: older samples left the window
  EXPECT_EQ(h.sent().size(), 2u);

  const common::TimestampNs tPull = kT0 + 250 * kMs;
  book(h, tPull, -22);  // 11 ticks down within 50 ms: against the resting bid
  ASSERT_EQ(h.sent().size(), 4u);
  EXPECT_EQ(h.sent()[2].action, OrderAction::Cancel);
  EXPECT_EQ(h.sent()[3].action, OrderAction::Cancel);
  h.report(h.sent()[2], ExecType::Canceled, tPull + 1);
  h.report(h.sent()[3], ExecType::Canceled, tPull + 1);

  book(h, tPull + 100 * kMs, -22);  // paused: no quotes
  book(h, tPull + 499 * kMs, -22);
  EXPECT_EQ(h.sent().size(), 4u);

  // The first event at or after the pause's end fires the timer, which requotes.
  h.trade(kBtc, tPull + 500 * kMs, kBid - 22, 10, Side::Sell);
  ASSERT_EQ(h.sent().size(), 6u);
  EXPECT_EQ(h.sent()[4].action, OrderAction::New);
  EXPECT_EQ(h.sent()[4].price, 6'500'045 - 22);
  EXPECT_EQ(h.sent()[4].request_ts_ns, tPull + 500 * kMs);
  EXPECT_EQ(h.sent()[5].price, 6'500'055 - 22);
}

TEST(MarketMaker, pullsOnARiseAgainstTheRestingAsk) {
  test::StrategyHarness h(
      create(R"({"half_spread_ticks": 5, "order_qty": "0.001", "pull_ticks": 10, "pause_ms": 500})"), {kBtc});
  book(h, kT0);
  h.report(h.sent()[0], ExecType::Filled, kT0 + 1, h.sent()[0].price, 100, 100);  // only the ask rests
  book(h, kT0 + 10 * kMs, 11);
  size_t cancels = 0;
  for (const auto& r : h.sent()) cancels += r.action == OrderAction::Cancel;
  EXPECT_EQ(cancels, 1u);
}

TEST(MarketMaker, usesMicropriceWhenConfigured) {
  test::StrategyHarness h(create(R"({"half_spread_ticks": 5, "order_qty": "0.001", "reference": "microprice"})"),
                          {kBtc});
  // 3 BTC bid, 1 BTC ask: microprice = (65000.00 * 1 + 65001.00 * 3) / 4 = 65000.75
  book(h, kT0, 0, 3 * kOneBtc, kOneBtc);
  ASSERT_EQ(h.sent().size(), 2u);
  EXPECT_EQ(h.sent()[0].price, 6'500'070);
  EXPECT_EQ(h.sent()[1].price, 6'500'080);
}

TEST(MarketMaker, neverSendsACrossingPostOnlyQuote) {
  test::StrategyHarness h(create(R"({"half_spread_ticks": 1, "order_qty": "0.001", "skew_ticks_per_unit": 10})"),
                          {kBtc});
  // One-tick market; after a sell fill the skew lifts both quotes 10 ticks, through the ask.
  h.book(kBtc, kT0, {{kBid, kOneBtc}}, {{kBid + 1, kOneBtc}});
  h.report(h.sent()[0], ExecType::New, kT0);  // acked: it may be amended
  h.fill(h.sent()[1], kT0 + 1, h.sent()[1].price);
  h.book(kBtc, kT0 + 2, {{kBid, kOneBtc}}, {{kBid + 1, kOneBtc}});
  const OrderRequest* bid = lastNew(h, Side::Buy);
  EXPECT_EQ(bid->price, kBid);  // clamped one tick below the ask

  // A random walk with random fills: every quote stays strictly inside the far touch.
  uint64_t seed = 12345;
  auto next = [&seed](uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int64_t>((seed >> 33) % n);
  };
  int64_t mid = kBid;
  for (int i = 0; i < 2000; ++i) {
    const common::TimestampNs t = kT0 + 10 + i;
    mid += next(7) - 3;
    const int64_t b = mid - next(3), a = mid + 1 + next(3);
    const size_t before = h.sent().size();
    h.book(kBtc, t, {{b, 1 + next(kOneBtc)}}, {{a, 1 + next(kOneBtc)}});
    for (size_t k = before; k < h.sent().size(); ++k) {
      const OrderRequest r = h.sent()[k];
      if (r.action == OrderAction::Cancel) continue;
      if (r.side == Side::Buy)
        EXPECT_LT(r.price, a) << i;
      else
        EXPECT_GT(r.price, b) << i;
      if (r.action == OrderAction::Modify) confirmReplaced(h, r, t);
      if (next(4) == 0)
        h.fill(r, t, r.price);
      else
        h.report(r, ExecType::New, t);
    }
  }
}

TEST(MarketMaker, backsOffAfterARejectUntilTheNextBookUpdate) {
  test::StrategyHarness h(create(R"({"half_spread_ticks": 5, "order_qty": "0.001"})"), {kBtc});
  book(h, kT0);
  h.report(h.sent()[0], ExecType::Rejected, kT0 + 1);
  h.report(h.sent()[1], ExecType::New, kT0 + 1);
  h.trade(kBtc, kT0 + 2, kBid, 10, Side::Sell);
  EXPECT_EQ(h.sent().size(), 2u);
  book(h, kT0 + 3);
  ASSERT_EQ(h.sent().size(), 3u);
  EXPECT_EQ(h.sent()[2].side, Side::Buy);
  EXPECT_EQ(h.sent()[2].action, OrderAction::New);
}

TEST(MarketMaker, rejectsBadParametersNamingTheKey) {
  EXPECT_NE(createError(R"({"half_spread_ticks": -1, "order_qty": "0.001"})").find("half_spread_ticks"),
            std::string::npos);
  EXPECT_NE(createError(R"({"half_spread_ticks": 1})").find("order_qty"), std::string::npos);
  EXPECT_NE(createError(R"({"order_qty": "0.000001"})").find("order_qty"), std::string::npos);  // off the lot
  EXPECT_NE(createError(R"({"order_qty": "-0.001"})").find("order_qty"), std::string::npos);
  EXPECT_NE(createError(R"({"order_qty": "0.001", "reference": "last"})").find("reference"), std::string::npos);
  EXPECT_NE(
      createError(R"({"order_qty": "0.001", "half_spread_ticks": 2, "half_spread_bps": 1.5})").find("half_spread_bps"),
      std::string::npos);
  EXPECT_NE(createError(R"({"order_qty": "0.001", "max_position": "0.0005"})").find("max_position"), std::string::npos);
  // An unknown name (a typo) is refused by the registry, listing the valid ones.
  const std::string typo = createError(R"({"order_qty": "0.001", "half_spred_ticks": 2})");
  EXPECT_NE(typo.find("half_spred_ticks"), std::string::npos);
  EXPECT_NE(typo.find("half_spread_ticks"), std::string::npos);
  EXPECT_EQ(createError(R"({"order_qty": "0.001"})"), "");
}

TEST(MarketMaker, configFileCreatesTheStrategy) {
  const auto instruments = config::InstrumentRegistry::loadFile(HFT_SOURCE_DIR "/config/instruments.json");
  const auto cfg =
      strategy_engine::StrategyConfig::loadFile(HFT_SOURCE_DIR "/config/strategies/market_maker.json", instruments);
  EXPECT_EQ(cfg.strategy, "market_maker");
  strategy_engine::StrategyRegistry registry;
  registry.add("market_maker", "test", strategies::makeMarketMaker);
  strategy_engine::StrategyParams params(cfg.params());
  EXPECT_NE(registry.create(cfg.strategy, params, {instruments, cfg.instruments}), nullptr);
}

TEST(MarketMaker, allocatesNothingInSteadyState) {
  test::StrategyHarness h(create(R"({"half_spread_ticks": 5, "order_qty": "0.001", "skew_ticks_per_unit": 1,
                                     "pull_ticks": 50, "pull_window_ms": 100})"),
                          {kBtc});
  h.sent().reserve(100'000);  // the test's sink, not the strategy, would otherwise grow
  book(h, kT0);
  for (size_t k = 0; k < h.sent().size(); ++k) h.report(h.sent()[k], ExecType::New, kT0);

  // The book steps 5 ticks up and down; every step amends both quotes, and the test confirms
  // the amends so the next step can amend again. Fills now and then change the skew.
  size_t answered = h.sent().size();
  auto run = [&](int first, int last) {
    for (int i = first; i < last; ++i) {
      const common::TimestampNs t = kT0 + (i + 1) * kMs;
      // Add the new level before removing the old one, leading side first: never one-sided.
      const bool up = i % 2 == 0;
      const int64_t from = up ? 0 : 5, to = up ? 5 : 0;
      const Side lead = up ? Side::Sell : Side::Buy, trail = up ? Side::Buy : Side::Sell;
      auto at = [](Side s, int64_t shift) { return (s == Side::Buy ? kBid : kAsk) + shift; };
      h.level(kBtc, t, lead, at(lead, to), kOneBtc);
      h.level(kBtc, t, lead, at(lead, from), 0);
      h.level(kBtc, t, trail, at(trail, to), kOneBtc);
      h.level(kBtc, t, trail, at(trail, from), 0);
      for (; answered < h.sent().size(); ++answered) {
        const OrderRequest& r = h.sent()[answered];
        if (r.action == OrderAction::Modify) confirmReplaced(h, r, t);
        if (r.action == OrderAction::Cancel)
          h.report(r, ExecType::Canceled, t);
        else if (i % 97 == 0)
          h.fill(r, t, r.price);
        else
          h.report(r, ExecType::New, t);
      }
    }
  };
  run(0, 1000);  // warm-up
  const size_t sentBefore = h.sent().size();
  const uint64_t before = gAllocations.load();
  run(1000, 3500);  // 4 book updates each: 10k updates
  const uint64_t allocations = gAllocations.load() - before;
  EXPECT_EQ(allocations, 0u);
  EXPECT_GT(h.sent().size() - sentBefore, 4000u);  // it really was requoting
}

}  // namespace

TEST(StrategyHostClock, controlAndHeartbeatEventsDoNotMoveEventTime) {
  // A strategy that records ctx().now() on every book update.
  struct Clock : hft::strategy_engine::IStrategy {
    std::vector<hft::common::TimestampNs> seen;
    void onBookUpdate(hft::common::InstrumentId, const hft::strategy_engine::OrderBook&) override { seen.push_back(ctx().now()); }
  };
  auto owned = std::make_unique<Clock>();
  Clock* clock = owned.get();
  hft::test::StrategyHarness h(std::move(owned), {101});
  h.book(101, 1'000, {{6'500'000, 100}}, {{6'500'100, 100}});
  hft::common::Control c{};
  c.header = hft::common::makeHeader<hft::common::Control>(hft::common::ExchangeId::None, 0, 0, 9'000'000'000'000'000'000);
  h.host().onEvent(c.header);  // wall-clock stamped marker
  h.level(101, 2'000, hft::common::Side::Buy, 6'500'000, 200);
  ASSERT_EQ(clock->seen.size(), 2u);
  EXPECT_EQ(clock->seen[0], 1'000);
  EXPECT_EQ(clock->seen[1], 2'000) << "the control marker's wall time did not leak into event time";
}

// A replace racing its own New (the venue may reject or fill the New) would name an order the
// venue never had; the host refuses it until the ack, and the quote follows once acked.
TEST(MarketMaker, amendsOnlyOrdersTheVenueHasAcknowledged) {
  test::StrategyHarness h(create(R"({"half_spread_ticks": 5, "order_qty": "0.001", "requote_ticks": 3})"), {kBtc});
  book(h, kT0);
  ASSERT_EQ(h.sent().size(), 2u);
  const OrderRequest bid = h.sent()[0], ask = h.sent()[1];
  book(h, kT0 + 1, 5);  // beyond the threshold, but nothing acknowledged yet
  EXPECT_EQ(h.sent().size(), 2u);
  EXPECT_EQ(h.host().modifyOrder(bid.client_order_id, bid.price + 5, bid.qty), 0u);
  h.report(bid, ExecType::New, kT0 + 2);
  h.report(ask, ExecType::New, kT0 + 2);
  book(h, kT0 + 3, 5);
  ASSERT_EQ(h.sent().size(), 4u);
  EXPECT_EQ(h.sent()[2].action, OrderAction::Modify);
  EXPECT_EQ(h.sent()[2].orig_client_order_id, bid.client_order_id);
}

// A RateLimit reject holds that side back for throttle_ms of event time, not just one update.
TEST(MarketMaker, backsOffForThrottleMsAfterARateLimitReject) {
  test::StrategyHarness h(create(R"({"half_spread_ticks": 5, "order_qty": "0.001", "throttle_ms": 100})"), {kBtc});
  book(h, kT0);
  ASSERT_EQ(h.sent().size(), 2u);
  const OrderRequest bid = h.sent()[0];
  h.report(h.sent()[1], ExecType::New, kT0);
  h.report(bid, ExecType::Rejected, kT0 + 1, 0, 0, 0, common::RejectReason::RateLimit);
  const size_t n = h.sent().size();
  book(h, kT0 + 2);
  book(h, kT0 + 50 * kMs);
  for (size_t k = n; k < h.sent().size(); ++k) EXPECT_NE(h.sent()[k].side, Side::Buy) << "no bid within 100 ms";
  book(h, kT0 + 102 * kMs);
  ASSERT_GT(h.sent().size(), n);
  EXPECT_EQ(h.sent().back().side, Side::Buy) << "the bid comes back after the back-off";
  EXPECT_EQ(h.sent().back().action, OrderAction::New);
}
