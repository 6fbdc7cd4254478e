// The daily PnL CSV: exact content, RFC 4180 quoting, the day's folder, atomic rewrite.
#include <gtest/gtest.h>

#include "ExecTestUtil.h"
#include "execution_engine/journal/PnlReport.h"

namespace hft::test {
namespace {

using execution_engine::journal::PnlReport;
using execution_engine::journal::PnlRow;

std::vector<PnlRow> rows() {
  PnlRow a;
  a.strategy = "mm_btc";
  a.venue = "binance";
  a.instrument = "BTC/USDT";
  a.realized_pnl = 12'345'000'000;   // 123.45
  a.unrealized_pnl = -50'000'000;    // -0.5
  a.fees = 1'234'567;                // 0.01234567
  a.volume = 1'000'000'00000000;     // 1000000
  a.fills = 42;
  PnlRow b;
  b.strategy = "arb, \"fast\"";
  b.venue = "upbit";
  b.instrument = "BTC/KRW";
  b.realized_pnl = -1;
  b.fees = -200'000'000;             // a rebate of 2
  return {a, b};
}

TEST(PnlReport, writesOneLinePerRowUnderTheHeaderWithEightDecimals) {
  EXPECT_EQ(PnlReport::format(kMay1Noon, rows()),
            "date,strategy,venue,instrument,realized_pnl,unrealized_pnl,fees,volume,fills\n"
            "2024-05-01,mm_btc,binance,BTC/USDT,123.45000000,-0.50000000,0.01234567,1000000.00000000,42\n"
            "2024-05-01,\"arb, \"\"fast\"\"\",upbit,BTC/KRW,-0.00000001,0.00000000,-2.00000000,0.00000000,0\n");
  EXPECT_EQ(PnlReport::format(kMay1Noon, {}),
            "date,strategy,venue,instrument,realized_pnl,unrealized_pnl,fees,volume,fills\n");
}

TEST(PnlReport, goesToTheFolderOfItsUtcDayAndIsRewrittenWhole) {
  TempDir dir;
  std::string error;
  const std::string path = dir.str() + "/logs/2024/05/01/pnl.csv";
  EXPECT_EQ(PnlReport::pathFor(dir.str(), kMay1Noon + 11 * kHourNs), path);
  ASSERT_TRUE(PnlReport::write(dir.str(), kMay1Noon, rows(), error)) << error;
  EXPECT_EQ(readAll(path), PnlReport::format(kMay1Noon, rows()));
  const std::vector<PnlRow> one(1, rows()[0]);
  ASSERT_TRUE(PnlReport::write(dir.str(), kMay1Noon + kHourNs, one, error)) << error;
  EXPECT_EQ(readAll(path), PnlReport::format(kMay1Noon, one));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  ASSERT_TRUE(PnlReport::write(dir.str(), kMay1Noon + 12 * kHourNs, one, error)) << error;
  const std::string next = dir.str() + "/logs/2024/05/02/pnl.csv";
  expectMentions(readAll(next), {"2024-05-02,mm_btc"});
}

TEST(PnlReport, anUnwritableRootIsReportedNamingThePath) {
  TempDir dir;
  writeAll(dir.sub("file"), "x");
  std::string error;
  EXPECT_FALSE(PnlReport::write(dir.sub("file"), kMay1Noon, rows(), error));
  expectMentions(error, {dir.sub("file") + "/logs/2024/05/01"});
}

}  // namespace
}  // namespace hft::test
