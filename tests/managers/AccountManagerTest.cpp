// AccountManager: venue balances, reservations of open orders, the shadow moves of fills until
// the venue's next update, margin venues left alone, reconciliation mismatches, snapshots, bad
// input, and no allocation on the hot path.
#include "managers/AccountManager.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "RiskTestUtil.h"  // testRegistry(): simulated BTC-USDT (1), binance_futures BTCUSDT (2), simulated ETH-USDT (3)
#include "config/ConfigError.h"

namespace hft::test {
uint64_t allocationCount() noexcept;  // AllocationCounter.cpp: global operator new calls so far
}  // namespace hft::test

using namespace hft;
using managers::AccountManager;
using managers::ReserveResult;
using common::ExchangeId;
using common::Side;
using test::btc;
using test::kBtc;
using test::kFutBtc;
using test::px;
using test::usd;

namespace {

constexpr common::TimestampNs kT0 = test::kT0;
constexpr ExchangeId kSim = ExchangeId::Simulated;

// The hot path's promises, checked at compile time.
static_assert(noexcept(std::declval<AccountManager&>().onBalance(std::declval<const common::BalanceUpdate&>())));
static_assert(noexcept(std::declval<AccountManager&>().onFill(std::declval<const common::ExecutionReport&>())));
static_assert(noexcept(std::declval<AccountManager&>().reserve(std::declval<const common::OrderRequest&>(), 0)));
static_assert(noexcept(std::declval<AccountManager&>().release(1)));
static_assert(noexcept(std::declval<const AccountManager&>().available(ExchangeId::Simulated, "USDT")));

common::BalanceUpdate balance(ExchangeId venue, const char* asset, int64_t free, int64_t locked,
                              common::TimestampNs ts = kT0) {
  common::BalanceUpdate u{};
  u.header = common::makeHeader<common::BalanceUpdate>(venue, 0, ts, ts);
  common::setAsset(u.asset, asset);
  u.free = free;
  u.locked = locked;
  return u;
}

common::OrderRequest order(common::ClientOrderId id, Side side, int64_t qty, int64_t price,
                           common::InstrumentId instrument = kBtc) {
  common::OrderRequest r{};
  r.header = common::makeHeader<common::OrderRequest>(instrument == kFutBtc ? ExchangeId::BinanceFutures : kSim,
                                                      instrument, kT0, kT0);
  r.client_order_id = id;
  r.action = common::OrderAction::New;
  r.side = side;
  r.type = price > 0 ? common::OrderType::Limit : common::OrderType::Market;
  r.tif = common::TimeInForce::GTC;
  r.strategy_id = 1;
  r.price = price;
  r.qty = qty;
  return r;
}

common::ExecutionReport fill(common::ClientOrderId id, Side side, int64_t qty, int64_t price, int64_t fee = 0,
                             const char* feeAsset = "USDT", common::TimestampNs ts = kT0 + 1000,
                             common::InstrumentId instrument = kBtc) {
  common::ExecutionReport r{};
  r.header = common::makeHeader<common::ExecutionReport>(kSim, instrument, ts, ts);
  r.client_order_id = id;
  r.exec_type = common::ExecType::PartiallyFilled;
  r.side = side;
  r.last_qty = qty;
  r.last_price = price;
  r.venue_ts_ns = ts;
  r.fee = fee;
  common::setAsset(r.fee_asset, feeAsset);
  return r;
}

struct Harness {
  config::InstrumentRegistry registry = test::testRegistry();
  AccountManager am{registry};
  Harness() {
    am.onBalance(balance(kSim, "USDT", usd(100'000), 0));
    am.onBalance(balance(kSim, "BTC", btc(2), 0));
  }
  managers::BalanceView of(const char* asset) const { return am.balance(kSim, asset); }
};

TEST(AccountManager, balanceUpdatesReplaceTheVenuesFigures) {
  Harness h;
  EXPECT_EQ(h.am.available(kSim, "USDT"), usd(100'000));
  EXPECT_TRUE(h.am.onBalance(balance(kSim, "USDT", usd(90'000), usd(5'000), kT0 + 10)));
  const managers::BalanceView v = h.of("USDT");
  EXPECT_TRUE(v.known);
  EXPECT_EQ(v.free, usd(90'000));
  EXPECT_EQ(v.locked, usd(5'000));
  EXPECT_EQ(v.venue_ts, kT0 + 10);
  EXPECT_FALSE(h.am.balance(ExchangeId::Upbit, "USDT").known);
  EXPECT_EQ(h.am.available(ExchangeId::Upbit, "USDT"), 0);
}

TEST(AccountManager, anOlderUpdateArrivingLateIsIgnored) {
  Harness h;
  h.am.onBalance(balance(kSim, "USDT", usd(50), 0, kT0 + 100));
  EXPECT_FALSE(h.am.onBalance(balance(kSim, "USDT", usd(70), 0, kT0 + 50)));
  EXPECT_EQ(h.of("USDT").free, usd(50));
  EXPECT_EQ(h.am.counters().stale_updates, 1u);
}

TEST(AccountManager, anOrderReservesUntilTheVenueLocksItThenAvailableIsTheVenuesFree) {
  Harness h;
  ASSERT_EQ(h.am.reserve(order(1, Side::Buy, btc(1), px(30000))), ReserveResult::Reserved);
  EXPECT_EQ(h.am.reservedBy(1), usd(30'000));
  EXPECT_EQ(h.am.available(kSim, "USDT"), usd(70'000)) << "sent, not yet locked by the venue";
  ASSERT_EQ(h.am.reserve(order(2, Side::Sell, btc(0.5), px(31000))), ReserveResult::Reserved);
  EXPECT_EQ(h.am.available(kSim, "BTC"), btc(1.5));

  // The venue acks and locks: free drops, locked rises, available stays.
  h.am.onBalance(balance(kSim, "USDT", usd(70'000), usd(30'000), kT0 + 10));
  EXPECT_EQ(h.am.available(kSim, "USDT"), usd(70'000));
  // A hand-placed order elsewhere locks 5000 more: the venue's free still bounds us.
  h.am.onBalance(balance(kSim, "USDT", usd(65'000), usd(35'000), kT0 + 20));
  EXPECT_EQ(h.am.available(kSim, "USDT"), usd(65'000));

  h.am.release(1);
  EXPECT_EQ(h.am.reservedBy(1), 0);
  EXPECT_EQ(h.of("USDT").reserved, 0);
  h.am.release(1);  // twice: ignored
  EXPECT_EQ(h.am.reservationCount(), 1u);
}

TEST(AccountManager, aFillAtABetterPriceSpendsFromLockedAndFreesTheDifference) {
  Harness h;
  h.am.reserve(order(1, Side::Buy, btc(1), px(30000)));
  h.am.onBalance(balance(kSim, "USDT", usd(70'000), usd(30'000), kT0 + 10));
  ASSERT_TRUE(h.am.onFill(fill(1, Side::Buy, btc(0.5), px(29000), usd(1.5))));
  const managers::BalanceView q = h.of("USDT");
  EXPECT_EQ(q.locked, usd(15'000)) << "the filled half's lock is used";
  EXPECT_EQ(q.free, usd(70'000) + usd(500) - usd(1.5)) << "bought for 14500 of the 15000 locked, fee paid";
  EXPECT_EQ(q.reserved, usd(15'000));
  EXPECT_EQ(q.available, q.free);
  EXPECT_EQ(h.of("BTC").free, btc(2.5));
  // The venue's next update replaces the estimate.
  h.am.onBalance(balance(kSim, "USDT", usd(70'498), usd(15'000), kT0 + 2000));
  EXPECT_EQ(h.of("USDT").free, usd(70'498));
  // The rest fills: the reservation is gone.
  h.am.onFill(fill(1, Side::Buy, btc(0.5), px(30000), 0, "USDT", kT0 + 3000));
  EXPECT_EQ(h.am.reservedBy(1), 0);
  EXPECT_EQ(h.am.reservationCount(), 0u);
  EXPECT_EQ(h.of("USDT").locked, 0);
}

TEST(AccountManager, aSellFillPaysFromTheBaseAndReceivesQuoteWithFeesInAnyAsset) {
  Harness h;
  h.am.reserve(order(1, Side::Sell, btc(1), px(30000)));
  h.am.onBalance(balance(kSim, "BTC", btc(1), btc(1), kT0 + 10));
  h.am.onFill(fill(1, Side::Sell, btc(1), px(30000), usd(0.05), "BNB"));
  EXPECT_EQ(h.of("BTC").free, btc(1));
  EXPECT_EQ(h.of("BTC").locked, 0);
  EXPECT_EQ(h.of("USDT").free, usd(130'000));
  EXPECT_EQ(h.of("BNB").free, -usd(0.05)) << "an asset first seen in a fee";
  EXPECT_TRUE(h.of("BNB").known);
}

TEST(AccountManager, aMarketOrderWasNeverLockedSoItsFillSpendsFree) {
  Harness h;
  ASSERT_EQ(h.am.reserve(order(1, Side::Buy, btc(1), 0)), ReserveResult::NoPrice);
  ASSERT_EQ(h.am.reserve(order(1, Side::Buy, btc(1), 0), px(31000)), ReserveResult::Reserved);
  EXPECT_EQ(h.am.available(kSim, "USDT"), usd(69'000));
  h.am.onFill(fill(1, Side::Buy, btc(1), px(30000)));
  EXPECT_EQ(h.of("USDT").free, usd(70'000));
  EXPECT_EQ(h.of("USDT").locked, 0);
  EXPECT_EQ(h.of("USDT").reserved, 0);
}

TEST(AccountManager, aFillAlreadyInTheVenuesLastUpdateMovesNothing) {
  Harness h;
  h.am.onBalance(balance(kSim, "USDT", usd(70'000), 0, kT0 + 5000));
  h.am.onBalance(balance(kSim, "BTC", btc(3), 0, kT0 + 5000));
  h.am.onFill(fill(9, Side::Buy, btc(1), px(30000), 0, "USDT", kT0 + 4000));  // older than both updates
  EXPECT_EQ(h.of("USDT").free, usd(70'000));
  EXPECT_EQ(h.of("BTC").free, btc(3));
  EXPECT_EQ(h.am.counters().covered_fills, 1u);
  h.am.onFill(fill(9, Side::Buy, btc(1), px(30000), 0, "USDT", kT0 + 6000));
  EXPECT_EQ(h.of("USDT").free, usd(40'000));
  EXPECT_EQ(h.am.counters().shadow_fills, 1u);
}

TEST(AccountManager, marginVenuesAreLeftToTheVenue) {
  Harness h;
  h.am.onBalance(balance(ExchangeId::BinanceFutures, "USDT", usd(1000), 0));
  EXPECT_EQ(h.am.reserve(order(1, Side::Buy, 1000, px(30000), kFutBtc)), ReserveResult::NotNeeded);
  common::ExecutionReport f = fill(1, Side::Buy, 1000, px(30000), usd(12), "USDT", kT0 + 1000, kFutBtc);
  f.header.exchange_id = ExchangeId::BinanceFutures;
  EXPECT_TRUE(h.am.onFill(f));
  EXPECT_EQ(h.am.available(ExchangeId::BinanceFutures, "USDT"), usd(1000));
}

TEST(AccountManager, refusesBadReservationsWithAReason) {
  Harness h;
  common::OrderRequest cancel = order(1, Side::Buy, btc(1), px(1));
  cancel.action = common::OrderAction::Cancel;
  EXPECT_EQ(h.am.reserve(cancel), ReserveResult::InvalidRequest);
  EXPECT_EQ(h.am.reserve(order(0, Side::Buy, btc(1), px(1))), ReserveResult::InvalidRequest);
  EXPECT_EQ(h.am.reserve(order(1, Side::None, btc(1), px(1))), ReserveResult::InvalidRequest);
  EXPECT_EQ(h.am.reserve(order(1, Side::Buy, btc(1), px(1), 99)), ReserveResult::UnknownInstrument);
  EXPECT_EQ(h.am.reserve(order(1, Side::Buy, btc(1), px(1))), ReserveResult::Reserved);
  EXPECT_EQ(h.am.reserve(order(1, Side::Buy, btc(1), px(1))), ReserveResult::DuplicateId);
  EXPECT_EQ(h.am.reserve(order(2, Side::Sell, btc(1), 0)), ReserveResult::Reserved) << "a market sell needs no price";
  EXPECT_FALSE(h.am.onFill(fill(1, Side::Buy, 0, px(1))));
  EXPECT_FALSE(h.am.onFill(fill(1, Side::Buy, 1, px(1), 0, "USDT", kT0, 99)));

  AccountManager small(h.registry, managers::AccountManagerSizes{4, 1});
  EXPECT_EQ(small.reserve(order(1, Side::Buy, btc(1), px(1))), ReserveResult::Reserved);
  EXPECT_EQ(small.reserve(order(2, Side::Buy, btc(1), px(1))), ReserveResult::TableFull);
  EXPECT_THROW(AccountManager(h.registry, managers::AccountManagerSizes{0, 1}), std::invalid_argument);
}

TEST(AccountManager, reservationsRoundUpToTheAmountScale) {
  Harness h;
  // ETH-USDT: price 2 dp, qty 4 dp -> price*qty at 6 dp, finer than needed: exact.
  h.am.reserve(order(1, Side::Buy, 3, 10001, test::kEth));  // 0.0003 ETH at 100.01 = 0.030003
  EXPECT_EQ(h.am.reservedBy(1), 3'000'300);
  // BTC-USDT: price 2 dp, qty 8 dp -> price*qty at 10 dp. 1e-8 BTC at 30000.01 = 0.0003000001 USDT.
  h.am.reserve(order(2, Side::Buy, 1, px(30000.01)));
  EXPECT_EQ(h.am.reservedBy(2), 30'001) << "rounded up: never reserve less than the venue locks";
}

TEST(AccountManager, anAmendMovesTheReservationToTheNewIdAndTerms) {
  Harness h;
  h.am.reserve(order(1, Side::Buy, btc(1), px(30000)));
  h.am.onFill(fill(1, Side::Buy, btc(0.25), px(30000)));
  EXPECT_TRUE(h.am.onAmended(1, 2, px(29000), btc(0.5)));
  EXPECT_EQ(h.am.reservedBy(1), 0);
  EXPECT_EQ(h.am.reservedBy(2), usd(14'500));
  EXPECT_EQ(h.of("USDT").reserved, usd(14'500));
  EXPECT_FALSE(h.am.onAmended(1, 3, px(1), 1));
  EXPECT_TRUE(h.am.onAmended(2, 3, 0, 0)) << "nothing left: released";
  EXPECT_EQ(h.of("USDT").reserved, 0);
}

TEST(AccountManager, reconciliationListsEveryAssetThatDiffers) {
  Harness h;
  h.am.onBalance(balance(kSim, "ETH", btc(5), 0));
  h.am.onFill(fill(1, Side::Buy, btc(0.1), px(30000)));  // shadow: -3000 USDT, +0.1 BTC
  const managers::VenueAmount venue[] = {
      {"USDT", usd(97'000), 0},        // agrees with our estimate
      {"BTC", btc(2.1) - 1, 0},        // one unit off
      {"XRP", usd(10), 0},             // we have never heard of it
  };
  std::vector<managers::BalanceMismatch> m = h.am.reconcile(kSim, venue);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].asset, "BTC");
  EXPECT_EQ(m[0].our_free, btc(2.1));
  EXPECT_EQ(m[0].venue_free, btc(2.1) - 1);
  EXPECT_EQ(m[1].asset, "ETH") << "we hold it, the venue does not list it";
  EXPECT_EQ(m[1].our_free, btc(5));
  EXPECT_EQ(m[1].venue_free, 0);
  EXPECT_EQ(m[2].asset, "XRP");
  EXPECT_EQ(m[2].our_free, 0);
  EXPECT_EQ(h.am.reconcile(kSim, venue, 1).size(), 2u) << "a tolerance of one unit hides BTC";
  EXPECT_TRUE(h.am.reconcile(ExchangeId::Upbit, {}).empty());

  struct VenueBalanceLike {
    char asset[8];
    int64_t free;
    int64_t locked;
  };
  std::vector<VenueBalanceLike> fetched(3);
  common::setAsset(fetched[0].asset, "USDT");
  fetched[0].free = usd(97'000);
  fetched[0].locked = 0;
  common::setAsset(fetched[1].asset, "BTC");
  fetched[1].free = btc(2.1);
  fetched[1].locked = 0;
  common::setAsset(fetched[2].asset, "ETH");
  fetched[2].free = btc(5);
  fetched[2].locked = 7;
  m = h.am.reconcileWith(kSim, fetched);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].asset, "ETH");
  EXPECT_EQ(m[0].venue_locked, 7);
}

// ---- snapshots -----------------------------------------------------------------------------

TEST(AccountManagerSnapshot, aRestartInTheMiddleEndsWithTheSameBalancesAsNoRestart) {
  const config::InstrumentRegistry registry = test::testRegistry();
  auto drive = [](AccountManager& am, int from, int to) {
    for (int i = from; i < to; ++i) {
      const auto id = static_cast<common::ClientOrderId>(i + 1);
      const Side side = i % 3 == 0 ? Side::Sell : Side::Buy;
      if (i % 10 == 0) am.onBalance(balance(kSim, "USDT", usd(100'000 + i), usd(i), kT0 + i * 1000));
      am.reserve(order(id, side, btc(0.01) * (i % 4 + 1), px(30000) + i));
      am.onFill(fill(id, side, btc(0.01), px(30000), i, i % 4 ? "USDT" : "BNB", kT0 + i * 1000 + 500));
      if (i % 5 == 0) am.release(id - 2);
    }
  };
  AccountManager straight(registry);
  drive(straight, 0, 100);
  for (int restartAt : {30, 55, 99}) {
    AccountManager first(registry);
    drive(first, 0, restartAt);
    AccountManager second = AccountManager::fromJson(nlohmann::json::parse(first.toJson().dump()), registry);
    EXPECT_EQ(second.toJson(), first.toJson());
    drive(second, restartAt, 100);
    EXPECT_EQ(second.toJson(), straight.toJson()) << "restart at " << restartAt;
    for (const char* asset : {"USDT", "BTC", "BNB"})
      EXPECT_EQ(second.available(kSim, asset), straight.available(kSim, asset)) << asset;
  }
  EXPECT_GT(straight.reservationCount(), 10u);
}

std::string snapshotError(const nlohmann::json& j) {
  try {
    AccountManager::fromJson(j, test::testRegistry(), {}, "acct.json");
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(AccountManagerSnapshot, refusesMalformedSnapshotsNamingTheKeyPath) {
  Harness h;
  h.am.reserve(order(5, Side::Buy, btc(1), px(30000)));
  const nlohmann::json good = h.am.toJson();
  ASSERT_EQ(snapshotError(good), "no error");
  nlohmann::json j = good;
  j["balances"][1]["asset"] = "TOOLONGASSET";
  EXPECT_NE(snapshotError(j).find("acct.json: balances[1].asset: expected an asset code of 1 to 8"),
            std::string::npos)
      << snapshotError(j);
  j = good;
  j["balances"][0].erase("locked");
  EXPECT_NE(snapshotError(j).find("balances[0].locked"), std::string::npos) << snapshotError(j);
  j = good;
  j["reservations"][0]["instrument"] = test::kFutBtc;
  EXPECT_NE(snapshotError(j).find("reservations[0].instrument: expected a spot instrument"), std::string::npos)
      << snapshotError(j);
  j = good;
  j["reservations"][0]["side"] = "hold";
  EXPECT_NE(snapshotError(j).find("reservations[0].side: expected buy or sell"), std::string::npos)
      << snapshotError(j);
  j = good;
  j["reservations"].push_back(j["reservations"][0]);
  EXPECT_NE(snapshotError(j).find("reservations[1].id: expected an id held once"), std::string::npos)
      << snapshotError(j);
  j = good;
  j["format"] = "something";
  EXPECT_NE(snapshotError(j).find("format: expected \"hft.account_manager\""), std::string::npos) << snapshotError(j);
}

// ---- no allocation -------------------------------------------------------------------------

TEST(AccountManagerNoAllocation, feedsReservationsAndQueriesNeverAllocate) {
  Harness h;
  h.am.onBalance(balance(kSim, "BNB", usd(10), 0));
  std::vector<common::OrderRequest> orders;
  std::vector<common::ExecutionReport> fills;
  std::vector<common::BalanceUpdate> updates;
  for (int i = 0; i < 3000; ++i) {
    const Side side = i % 2 ? Side::Buy : Side::Sell;
    orders.push_back(order(static_cast<common::ClientOrderId>(i + 1), side, btc(0.02), px(30000)));
    fills.push_back(fill(static_cast<common::ClientOrderId>(i + 1), side, btc(0.01), px(29990), 3, i % 3 ? "USDT" : "BNB",
                         kT0 + i * 10 + 5));
    updates.push_back(balance(kSim, i % 2 ? "USDT" : "BTC", usd(100'000), usd(i), kT0 + i * 10));
  }
  const uint64_t before = test::allocationCount();
  int64_t sink = 0;
  for (size_t i = 0; i < orders.size(); ++i) {
    h.am.onBalance(updates[i]);
    (void)h.am.reserve(orders[i]);
    h.am.onFill(fills[i]);
    if (i % 4 == 0) h.am.onAmended(orders[i].client_order_id, orders[i].client_order_id + 1'000'000, px(29000), btc(0.01));
    if (i >= 3) h.am.release(orders[i - 3].client_order_id);
    sink += h.am.available(kSim, "USDT") + h.am.balance(kSim, "BTC").reserved + h.am.reservedBy(orders[i].client_order_id);
  }
  EXPECT_EQ(test::allocationCount() - before, 0u) << "allocations on the hot path";
  EXPECT_GT(h.am.counters().shadow_fills, 2000u);
  EXPECT_NE(sink, 0);
}

}  // namespace
