// The dry-run order gateway: acks, cancels, amends, refusals, queries and reconciliation,
// answered from poll() only, and one log line per request.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "ExecTestUtil.h"
#include "execution_engine/gateways/DryRunGateway.h"

namespace hft::test {
namespace {

using common::ExecType;
using common::RejectReason;
using execution_engine::gateways::DryRunConfig;
using execution_engine::gateways::DryRunGateway;
using interfaces::SendStatus;

struct RecordingSink final : interfaces::IExecutionSink {
  std::vector<common::ExecutionReport> reports;
  std::vector<common::BalanceUpdate> balances;
  void onExecutionReport(const common::ExecutionReport& r) noexcept override { reports.push_back(r); }
  void onBalanceUpdate(const common::BalanceUpdate& b) noexcept override { balances.push_back(b); }
};

/// The log goes to memory (open_memstream) so tests can read the lines.
struct MemoryLog {
  char* data = nullptr;
  size_t size = 0;
  std::FILE* file = open_memstream(&data, &size);
  ~MemoryLog() {
    std::fclose(file);
    std::free(data);
  }
  std::string text() {
    std::fflush(file);
    return std::string(data, size);
  }
};

interfaces::VenueBalance venueBalance(const char* asset, int64_t free, int64_t locked) {
  interfaces::VenueBalance b{};
  common::setAsset(b.asset, asset);
  b.free = free;
  b.locked = locked;
  return b;
}

class DryRun : public ::testing::Test {
 protected:
  DryRun() : gateway_(config(), log_.file, &registry_) { gateway_.start(sink_); }
  static DryRunConfig config() {
    DryRunConfig c;
    c.venue = common::ExchangeId::Binance;
    c.balances = {venueBalance("USDT", 1000'00000000, 0), venueBalance("BTC", 1'00000000, 0)};
    c.first_venue_order_id = 5000;
    return c;
  }
  /// Sends, checks that nothing reaches the sink before poll(), polls; returns the new reports.
  std::vector<common::ExecutionReport> roundTrip(const common::OrderRequest& r, common::TimestampNs ts) {
    (void)gateway_.poll();  // start's balances
    sink_.reports.clear();
    EXPECT_EQ(gateway_.send(r, ts), SendStatus::sent());
    EXPECT_TRUE(sink_.reports.empty()) << "answered from send()";
    const int n = gateway_.poll();
    EXPECT_EQ(n, static_cast<int>(sink_.reports.size()));
    return sink_.reports;
  }

  config::InstrumentRegistry registry_ = testRegistry();
  MemoryLog log_;
  RecordingSink sink_;
  DryRunGateway gateway_;
};

constexpr common::TimestampNs kT = kMay1Noon + 123;

TEST_F(DryRun, describesItself) {
  EXPECT_EQ(gateway_.name(), "dry_run:binance");
  EXPECT_EQ(gateway_.venue(), common::ExchangeId::Binance);
  EXPECT_TRUE(gateway_.supportsNativeAmend());
  EXPECT_FALSE(gateway_.supportsBatch());
}

TEST_F(DryRun, startReportsTheConfiguredBalancesOnTheFirstPoll) {
  EXPECT_TRUE(sink_.balances.empty());
  EXPECT_EQ(gateway_.poll(), 2);
  ASSERT_EQ(sink_.balances.size(), 2u);
  EXPECT_STREQ(sink_.balances[0].asset, "USDT");
  EXPECT_EQ(sink_.balances[0].free, 1000'00000000);
  EXPECT_EQ(sink_.balances[0].header.type, common::EventType::BalanceUpdate);
  EXPECT_EQ(sink_.balances[0].header.exchange_id, common::ExchangeId::Binance);
  EXPECT_EQ(sink_.balances[1].delta, 0);
  EXPECT_EQ(gateway_.poll(), 0);
}

TEST_F(DryRun, aNewOrderIsAckedWithAVenueIdAndLogged) {
  const auto reports = roundTrip(newOrder(11, 5'000'010, 100), kT);
  ASSERT_EQ(reports.size(), 1u);
  const common::ExecutionReport& x = reports[0];
  EXPECT_EQ(x.header.type, common::EventType::ExecutionReport);
  EXPECT_EQ(x.header.size, sizeof(common::ExecutionReport));
  EXPECT_EQ(x.header.exchange_id, common::ExchangeId::Binance);
  EXPECT_EQ(x.header.instrument_id, kBtcUsdt);
  EXPECT_EQ(x.header.exchange_ts_ns, kT);
  EXPECT_EQ(x.exec_type, ExecType::New);
  EXPECT_EQ(x.client_order_id, 11u);
  EXPECT_EQ(x.venue_order_id, 5000u);
  EXPECT_EQ(x.order_price, 5'000'010);
  EXPECT_EQ(x.leaves_qty, 100);
  EXPECT_EQ(x.cum_qty, 0);
  EXPECT_EQ(x.local_send_ts_ns, kT);
  EXPECT_EQ(x.venue_ts_ns, kT);
  EXPECT_EQ(x.strategy_id, 7u);
  EXPECT_EQ(x.side, common::Side::Buy);
  EXPECT_EQ(x.orig_client_order_id, 0u);
  EXPECT_EQ(gateway_.requestsLogged(), 1u);
  expectMentions(log_.text(), {"dry_run binance send ts=" + std::to_string(kT), "cid=11", "action=new",
                               "instrument=BTC/USDT", "price=50000.10", "qty=0.00100",
                               "-> new cid=11 venue_order_id=5000\n"});
  EXPECT_EQ(roundTrip(newOrder(12, 5'000'000, 100), kT)[0].venue_order_id, 5001u);
}

TEST_F(DryRun, aCancelCancelsTheOriginalOrder) {
  roundTrip(newOrder(11, 5'000'010, 100), kT);
  const auto reports = roundTrip(cancelOrder(12, 11), kT + 5);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].exec_type, ExecType::Canceled);
  EXPECT_EQ(reports[0].client_order_id, 11u);
  EXPECT_EQ(reports[0].orig_client_order_id, 11u);
  EXPECT_EQ(reports[0].venue_order_id, 5000u);
  EXPECT_EQ(reports[0].leaves_qty, 0);
  EXPECT_EQ(reports[0].local_send_ts_ns, kT + 5);
  std::vector<interfaces::VenueOrder> open;
  std::string error;
  ASSERT_TRUE(gateway_.fetchOpenOrders(open, error));
  EXPECT_TRUE(open.empty());
  // Canceling it again: it is no longer working.
  const auto again = roundTrip(cancelOrder(13, 11), kT + 6);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].exec_type, ExecType::Rejected);
  EXPECT_EQ(again[0].reject_reason, RejectReason::UnknownOrder);
}

TEST_F(DryRun, aCancelOfAnOrderItNeverSawIsRejectedUnknownOrder) {
  const auto reports = roundTrip(cancelOrder(21, 999), kT);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].exec_type, ExecType::Rejected);
  EXPECT_EQ(reports[0].reject_reason, RejectReason::UnknownOrder);
  EXPECT_EQ(reports[0].client_order_id, 21u);  // the cancel's own ids
  EXPECT_EQ(reports[0].orig_client_order_id, 999u);
  expectMentions(log_.text(), {"action=cancel", "orig=999", "-> rejected unknown_order"});
}

TEST_F(DryRun, aCancelFromAnotherStrategyIsRejected) {
  roundTrip(newOrder(11, 5'000'010, 100), kT);
  common::OrderRequest c = cancelOrder(12, 11);
  c.strategy_id = 8;
  const auto reports = roundTrip(c, kT);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].reject_reason, RejectReason::UnknownOrder);
}

TEST_F(DryRun, aModifyCancelsTheOldIdAndAcksTheNewTermsUnderTheNewId) {
  roundTrip(newOrder(11, 5'000'010, 100), kT);
  common::OrderRequest m = newOrder(12, 4'999'000, 300);
  m.action = common::OrderAction::Modify;
  m.orig_client_order_id = 11;
  const auto reports = roundTrip(m, kT + 9);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].exec_type, ExecType::Canceled);
  EXPECT_EQ(reports[0].client_order_id, 11u);
  EXPECT_EQ(reports[0].venue_order_id, 5000u);
  EXPECT_EQ(reports[1].exec_type, ExecType::New);
  EXPECT_EQ(reports[1].client_order_id, 12u);
  EXPECT_EQ(reports[1].orig_client_order_id, 11u);
  EXPECT_EQ(reports[1].venue_order_id, 5001u);
  EXPECT_EQ(reports[1].order_price, 4'999'000);
  EXPECT_EQ(reports[1].leaves_qty, 300);
  std::vector<interfaces::VenueOrder> open;
  std::string error;
  ASSERT_TRUE(gateway_.fetchOpenOrders(open, error));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].client_order_id, 12u);
  EXPECT_EQ(open[0].price, 4'999'000);
  EXPECT_EQ(open[0].qty, 300);
  EXPECT_EQ(open[0].instrument_id, kBtcUsdt);
  // Modify of an unknown order, and to an id already used: rejected, nothing changes.
  m.orig_client_order_id = 999;
  m.client_order_id = 13;
  EXPECT_EQ(roundTrip(m, kT)[0].reject_reason, RejectReason::UnknownOrder);
  m.orig_client_order_id = 12;
  m.client_order_id = 11;
  EXPECT_EQ(roundTrip(m, kT)[0].reject_reason, RejectReason::DuplicateClientOrderId);
  ASSERT_TRUE(gateway_.fetchOpenOrders(open, error));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].client_order_id, 12u);
}

TEST_F(DryRun, ordersThatCanOnlyTradeAtOnceExpireAfterTheAck) {
  common::OrderRequest market = newOrder(11, 0, 100);
  market.type = common::OrderType::Market;
  common::OrderRequest ioc = newOrder(12, 5'000'000, 100);
  ioc.tif = common::TimeInForce::IOC;
  for (const common::OrderRequest& r : {market, ioc}) {
    const auto reports = roundTrip(r, kT);
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0].exec_type, ExecType::New);
    EXPECT_EQ(reports[1].exec_type, ExecType::Expired);
    EXPECT_EQ(reports[1].leaves_qty, 0);
    EXPECT_EQ(reports[1].client_order_id, r.client_order_id);
  }
  std::vector<interfaces::VenueOrder> open;
  std::string error;
  ASSERT_TRUE(gateway_.fetchOpenOrders(open, error));
  EXPECT_TRUE(open.empty());
}

TEST_F(DryRun, aReusedClientIdIsRejectedAsDuplicate) {
  roundTrip(newOrder(11, 5'000'010, 100), kT);
  const auto reports = roundTrip(newOrder(11, 5'000'000, 100), kT);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].reject_reason, RejectReason::DuplicateClientOrderId);
}

TEST_F(DryRun, aQueryAnswersWithTheOrdersCurrentState) {
  roundTrip(newOrder(11, 5'000'010, 100), kT);
  roundTrip(newOrder(12, 5'000'010, 100), kT);
  roundTrip(cancelOrder(13, 12), kT + 1);
  sink_.reports.clear();
  EXPECT_EQ(gateway_.query(kBtcUsdt, 11), SendStatus::sent());
  EXPECT_EQ(gateway_.query(kBtcUsdt, 12), SendStatus::sent());
  EXPECT_EQ(gateway_.query(kBtcUsdt, 77), SendStatus::sent());
  EXPECT_TRUE(sink_.reports.empty());
  EXPECT_EQ(gateway_.poll(), 3);
  ASSERT_EQ(sink_.reports.size(), 3u);
  EXPECT_EQ(sink_.reports[0].exec_type, ExecType::New);
  EXPECT_EQ(sink_.reports[0].leaves_qty, 100);
  EXPECT_EQ(sink_.reports[1].exec_type, ExecType::Canceled);
  EXPECT_EQ(sink_.reports[2].exec_type, ExecType::Rejected);
  EXPECT_EQ(sink_.reports[2].reject_reason, RejectReason::UnknownOrder);
  EXPECT_EQ(sink_.reports[2].client_order_id, 77u);
  EXPECT_EQ(sink_.reports[2].header.instrument_id, kBtcUsdt);
  expectMentions(log_.text(), {"query cid=77 -> rejected unknown_order"});
}

TEST_F(DryRun, reconciliationListsItsOpenOrdersAndConfiguredBalances) {
  roundTrip(newOrder(11, 5'000'010, 100), kT);
  roundTrip(newOrder(12, 5'100'000, 200, common::Side::Sell), kT);
  std::vector<interfaces::VenueOrder> open;
  std::vector<interfaces::VenueBalance> balances;
  std::vector<interfaces::VenuePosition> positions(3);
  std::string error;
  ASSERT_TRUE(gateway_.fetchOpenOrders(open, error));
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].venue_order_id, 5000u);
  EXPECT_EQ(open[1].venue_order_id, 5001u);
  EXPECT_EQ(open[1].side, common::Side::Sell);
  EXPECT_EQ(open[1].cum_qty, 0);
  ASSERT_TRUE(gateway_.fetchBalances(balances, error));
  ASSERT_EQ(balances.size(), 2u);
  EXPECT_STREQ(balances[1].asset, "BTC");
  ASSERT_TRUE(gateway_.fetchPositions(positions, error));
  EXPECT_TRUE(positions.empty());  // replaced, not appended to
}

TEST_F(DryRun, refusesWithoutSendingWhenStoppedOrForAnotherVenue) {
  EXPECT_EQ(gateway_.send(newOrder(1, 100, 1, common::Side::Buy, common::ExchangeId::Upbit, kBtcKrw), kT),
            SendStatus::rejected(RejectReason::InvalidRequest));
  gateway_.stop();
  EXPECT_EQ(gateway_.send(newOrder(2, 100, 1), kT), SendStatus::rejected(RejectReason::VenueUnavailable));
  EXPECT_EQ(gateway_.query(kBtcUsdt, 2), SendStatus::rejected(RejectReason::VenueUnavailable));
  EXPECT_EQ(gateway_.requestsLogged(), 0u);
}

TEST(DryRunGateway, logsNothingAndStillAnswersWithoutALogFile) {
  DryRunConfig c;
  c.venue = common::ExchangeId::Upbit;
  DryRunGateway gateway(c, nullptr);
  RecordingSink sink;
  gateway.start(sink);
  EXPECT_EQ(gateway.send(newOrder(1, 90'000'000, 5, common::Side::Buy, common::ExchangeId::Upbit, kBtcKrw), kT),
            SendStatus::sent());
  EXPECT_EQ(gateway.poll(), 1);
  EXPECT_EQ(sink.reports.at(0).exec_type, ExecType::New);
}

}  // namespace
}  // namespace hft::test
