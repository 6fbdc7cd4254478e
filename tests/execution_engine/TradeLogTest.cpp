// JSONL trade logs: every line parses, carries decimal prices at the instrument's scales, and
// lands in the folder of its event's UTC day.
#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "ExecTestUtil.h"
#include "execution_engine/journal/TradeLog.h"

namespace hft::test {
namespace {

using execution_engine::journal::TradeLog;

std::vector<nlohmann::json> parseLines(const std::string& path) {
  const std::string text = readAll(path);
  EXPECT_TRUE(!text.empty() && text.back() == '\n') << path << " does not end with a newline";
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));  // throws if not JSON
  return lines;
}

TEST(TradeLog, aFillLineCarriesEveryFieldAsDecimalText) {
  TempDir dir;
  const config::InstrumentRegistry registry = testRegistry();
  TradeLog log(registry, dir.str());
  log.setStrategyName(7, "mm_btc");
  const common::ExecutionReport fill = fillReport(42, 5'000'010, 100);  // 50000.10 x 0.00100
  std::string error;
  ASSERT_TRUE(log.append(fill, error)) << error;
  EXPECT_EQ(log.linesWritten(), 1u);

  const std::string path = dir.str() + "/logs/2024/05/01/trades.jsonl";
  EXPECT_EQ(log.pathFor(kMay1Noon), path);
  const auto lines = parseLines(path);
  ASSERT_EQ(lines.size(), 1u);
  const nlohmann::json& j = lines[0];
  EXPECT_EQ(j["ts_ns"], std::to_string(kMay1Noon));
  EXPECT_EQ(j["ts"], "2024-05-01T12:00:00.000000000Z");
  EXPECT_EQ(j["exec_type"], "filled");
  EXPECT_EQ(j["strategy_id"], 7);
  EXPECT_EQ(j["strategy"], "mm_btc");
  EXPECT_EQ(j["venue"], "binance");
  EXPECT_EQ(j["instrument_id"], 1);
  EXPECT_EQ(j["instrument"], "BTC/USDT");
  EXPECT_EQ(j["side"], "buy");
  EXPECT_EQ(j["order_type"], "limit");
  EXPECT_EQ(j["tif"], "gtc");
  EXPECT_EQ(j["price"], "50000.10");
  EXPECT_EQ(j["qty"], "0.00100");
  EXPECT_EQ(j["last_price"], "50000.10");
  EXPECT_EQ(j["last_qty"], "0.00100");
  EXPECT_EQ(j["cum_qty"], "0.00100");
  EXPECT_EQ(j["leaves_qty"], "0.00000");
  EXPECT_EQ(j["avg_price"], "50000.10");
  EXPECT_EQ(j["fee"], "0.05000000");
  EXPECT_EQ(j["fee_asset"], "USDT");
  EXPECT_EQ(j["liquidity"], "maker");
  EXPECT_EQ(j["client_order_id"], "42");
  EXPECT_EQ(j["venue_order_id"], "9000000000000000001");  // every digit, as text
  EXPECT_EQ(j["trade_id"], "77");
  EXPECT_EQ(j["reject_reason"], "none");
  EXPECT_EQ(j["local_send_ts_ns"], std::to_string(kMay1Noon - 2'000'000));
  EXPECT_FALSE(j.contains("unscaled"));
}

TEST(TradeLog, orderEventsUseTheOrderPriceAndRemainingQuantityAndNameTheRejectReason) {
  TempDir dir;
  const config::InstrumentRegistry registry = testRegistry();
  TradeLog log(registry, dir.str());
  common::ExecutionReport ack = fillReport(5, 0, 0);
  ack.exec_type = common::ExecType::New;
  ack.order_price = 4'999'900;
  ack.leaves_qty = 250;
  ack.cum_qty = 0;
  ack.fee = 0;
  common::ExecutionReport rej = ack;
  rej.exec_type = common::ExecType::Rejected;
  rej.reject_reason = common::RejectReason::PostOnlyWouldCross;
  rej.leaves_qty = 0;
  std::string error;
  ASSERT_TRUE(log.append(ack, error)) << error;
  ASSERT_TRUE(log.append(rej, error)) << error;
  const auto lines = parseLines(log.pathFor(kMay1Noon));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["exec_type"], "new");
  EXPECT_EQ(lines[0]["price"], "49999.00");
  EXPECT_EQ(lines[0]["qty"], "0.00250");
  EXPECT_EQ(lines[0]["strategy"], "7");  // no name set: the id
  EXPECT_EQ(lines[1]["exec_type"], "rejected");
  EXPECT_EQ(lines[1]["reject_reason"], "post_only_would_cross");
}

TEST(TradeLog, eachEventLandsInTheFolderOfItsUtcDay) {
  TempDir dir;
  const config::InstrumentRegistry registry = testRegistry();
  TradeLog log(registry, dir.str());
  const common::TimestampNs lastNsOfMay1 = kMay1Noon + 12 * kHourNs - 1;
  std::string error;
  ASSERT_TRUE(log.append(fillReport(1, 100, 1, lastNsOfMay1), error)) << error;
  ASSERT_TRUE(log.append(fillReport(2, 100, 1, lastNsOfMay1 + 1), error)) << error;
  // No venue event time: the venue's transaction time decides.
  common::ExecutionReport noExchangeTs = fillReport(3, 100, 1, kMay1Noon + 36 * kHourNs);
  noExchangeTs.header.exchange_ts_ns = 0;
  ASSERT_TRUE(log.append(noExchangeTs, error)) << error;
  // A late report of the previous day goes back to that day's file.
  ASSERT_TRUE(log.append(fillReport(4, 100, 1, kMay1Noon), error)) << error;

  const auto may1 = parseLines(dir.str() + "/logs/2024/05/01/trades.jsonl");
  const auto may2 = parseLines(dir.str() + "/logs/2024/05/02/trades.jsonl");
  const auto may3 = parseLines(dir.str() + "/logs/2024/05/03/trades.jsonl");
  ASSERT_EQ(may1.size(), 2u);
  ASSERT_EQ(may2.size(), 1u);
  ASSERT_EQ(may3.size(), 1u);
  EXPECT_EQ(may1[0]["ts"], "2024-05-01T23:59:59.999999999Z");
  EXPECT_EQ(may1[1]["client_order_id"], "4");
  EXPECT_EQ(may2[0]["ts"], "2024-05-02T00:00:00.000000000Z");
  EXPECT_EQ(may3[0]["client_order_id"], "3");
  EXPECT_EQ(may3[0]["ts"], "2024-05-03T00:00:00.000000000Z");
}

TEST(TradeLog, anUnknownInstrumentIsLoggedRawAndFlagged) {
  TempDir dir;
  const config::InstrumentRegistry registry = testRegistry();
  TradeLog log(registry, dir.str());
  common::ExecutionReport x = fillReport(1, 5'000'010, 100);
  x.header.instrument_id = 99;
  const nlohmann::json j = nlohmann::json::parse(log.formatLine(x));
  EXPECT_EQ(j["instrument"], "#99");
  EXPECT_EQ(j["price"], "5000010");
  EXPECT_EQ(j["unscaled"], true);
}

TEST(TradeLog, aRootThatCannotHoldFoldersIsReportedNamingThePath) {
  TempDir dir;
  writeAll(dir.sub("file"), "not a directory");
  const config::InstrumentRegistry registry = testRegistry();
  TradeLog log(registry, dir.sub("file"));
  std::string error;
  EXPECT_FALSE(log.append(fillReport(1, 100, 1), error));
  expectMentions(error, {dir.sub("file") + "/logs/2024/05/01"});
  EXPECT_EQ(log.linesWritten(), 0u);
}

}  // namespace
}  // namespace hft::test
