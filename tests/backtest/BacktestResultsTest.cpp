// BacktestResults and VenueLedger over two venues quoting in different currencies (binance in
// USDT, upbit in KRW): figures per venue and per quote currency, never KRW added to USDT.
#include "execution_engine/backtest/BacktestResults.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/FixedPoint.h"

using namespace hft;
using hft::execution_engine::backtest::BacktestResults;
using hft::execution_engine::backtest::VenueLedger;

namespace {

constexpr common::InstrumentId kBinanceBtc = 1;  // binance:BTCUSDT, price scale 2, qty scale 8
constexpr common::InstrumentId kUpbitBtc = 5;    // upbit:KRW-BTC, price scale 0, qty scale 8
constexpr int64_t kE8 = 100'000'000;

const config::InstrumentRegistry& registry() {
  static const auto r = config::InstrumentRegistry::loadFile(HFT_SOURCE_DIR "/config/instruments.json");
  return r;
}

common::ExecutionReport fill(common::ExchangeId venue, common::InstrumentId id, common::Side side, int64_t price,
                             int64_t qty, int64_t fee, const char* feeAsset, common::TimestampNs t) {
  common::ExecutionReport r{};
  r.header = common::makeHeader<common::ExecutionReport>(venue, id, t, t);
  r.strategy_id = 24;
  r.exec_type = common::ExecType::Filled;
  r.side = side;
  r.last_price = price;
  r.last_qty = qty;
  r.cum_qty = qty;
  r.fee = fee;
  std::strncpy(r.fee_asset, feeAsset, sizeof r.fee_asset);
  return r;
}

common::BalanceUpdate balance(common::ExchangeId venue, const char* asset, int64_t free, int64_t locked) {
  common::BalanceUpdate u{};
  u.header = common::makeHeader<common::BalanceUpdate>(venue, 0, 0, 0);
  std::strncpy(u.asset, asset, sizeof u.asset);
  u.free = free;
  u.locked = locked;
  return u;
}

common::OrderRequest newOrder(common::ExchangeId venue, common::InstrumentId id) {
  common::OrderRequest r{};
  r.header = common::makeHeader<common::OrderRequest>(venue, id, 0, 0);
  r.action = common::OrderAction::New;
  return r;
}

/// Two pairs of an arbitrage: buy binance / sell upbit, then the reverse. 0.01 BTC each.
void tradeTwoPairs(BacktestResults& r) {
  using common::ExchangeId;
  using common::Side;
  for (int i = 0; i < 4; ++i) r.onOrderRequest(newOrder(i % 2 ? ExchangeId::Upbit : ExchangeId::Binance, i % 2 ? kUpbitBtc : kBinanceBtc));
  // 0.01 BTC = 1'000'000 at qty scale 8. Fees: 0.1% of 650 USDT = 0.65; 0.05% of 1.4M KRW = 700.
  r.onReport(fill(ExchangeId::Binance, kBinanceBtc, Side::Buy, 6'500'000, 1'000'000, 65'000'000, "USDT", 1'000));
  r.onReport(fill(ExchangeId::Upbit, kUpbitBtc, Side::Sell, 140'000'000, 1'000'000, 700 * kE8, "KRW", 1'001));
  r.onReport(fill(ExchangeId::Binance, kBinanceBtc, Side::Sell, 6'510'000, 1'000'000, 65'100'000, "USDT", 2'000));
  r.onReport(fill(ExchangeId::Upbit, kUpbitBtc, Side::Buy, 139'900'000, 1'000'000, 69'950'000'000, "KRW", 2'001));
  r.onMark(3'000, kBinanceBtc, 6'505'000);
  r.onMark(3'000, kUpbitBtc, 139'950'000);
}

}  // namespace

TEST(BacktestResults, twoQuoteCurrenciesAreReportedApartAndNeverAdded) {
  BacktestResults r(registry());
  tradeTwoPairs(r);
  r.finish(3'000);
  EXPECT_EQ(r.quoteCurrencies(), (std::vector<std::string>{"KRW", "USDT"}));
  const auto s = nlohmann::json::parse(r.summaryJson());
  EXPECT_EQ(s["quote_currency"], "mixed");
  for (const char* key : {"net_pnl", "gross_pnl", "realized_pnl", "fees", "max_drawdown", "sharpe", "sortino", "turnover"})
    EXPECT_TRUE(s[key].is_null()) << key << " would add KRW to USDT: " << s[key];
  EXPECT_EQ(s["fills"], 4);
  EXPECT_EQ(s["orders"], 4);
  // USDT: long 650 -> 651: +1 realized, fees 0.65 + 0.651.
  const auto& usdt = s["by_quote"]["USDT"];
  EXPECT_DOUBLE_EQ(usdt["realized_pnl"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(usdt["fees"].get<double>(), 1.301);
  EXPECT_DOUBLE_EQ(usdt["net_pnl"].get<double>(), -0.301);
  EXPECT_DOUBLE_EQ(usdt["turnover"].get<double>(), 1301.0);
  // KRW: short 1,400,000 -> covered at 1,399,000: +1000 realized, fees 700 + 699.5.
  const auto& krw = s["by_quote"]["KRW"];
  EXPECT_DOUBLE_EQ(krw["realized_pnl"].get<double>(), 1000.0);
  EXPECT_DOUBLE_EQ(krw["fees"].get<double>(), 1399.5);
  EXPECT_DOUBLE_EQ(krw["net_pnl"].get<double>(), -399.5);
  EXPECT_DOUBLE_EQ(krw["unrealized_pnl"].get<double>(), 0.0);
}

TEST(BacktestResults, perVenueFillsFeesAndBalances) {
  BacktestResults r(registry());
  r.setStartBalances({{common::ExchangeId::Binance, {{"USDT", 100'000 * kE8}, {"BTC", kE8}}},
                      {common::ExchangeId::Upbit, {{"KRW", 200'000'000 * kE8}, {"BTC", kE8}}}});
  tradeTwoPairs(r);
  // What the venue would publish after the fills (free + locked is held).
  r.onBalance(balance(common::ExchangeId::Binance, "USDT", 100'000 * kE8 + 100'000'000 - 130'100'000, 0));
  r.onBalance(balance(common::ExchangeId::Upbit, "KRW", 200'000'000 * kE8 - 50'000'000'000, 30'000'000'000));
  r.onBalance(balance(common::ExchangeId::Upbit, "BTC", kE8, 0));
  r.finish(3'000);
  const auto s = nlohmann::json::parse(r.summaryJson());
  const auto& b = s["venues"]["binance"];
  EXPECT_EQ(b["orders"], 2);
  EXPECT_EQ(b["fills"], 2);
  EXPECT_EQ(b["buys"], 1);
  EXPECT_EQ(b["sells"], 1);
  EXPECT_DOUBLE_EQ(b["fees"]["USDT"].get<double>(), 1.301);
  EXPECT_DOUBLE_EQ(b["traded"]["USDT"].get<double>(), 1301.0);
  EXPECT_DOUBLE_EQ(b["bought"]["BTC"].get<double>(), 0.01);
  EXPECT_DOUBLE_EQ(b["sold"]["BTC"].get<double>(), 0.01);
  EXPECT_DOUBLE_EQ(b["balances"]["USDT"]["start"].get<double>(), 100000.0);
  EXPECT_DOUBLE_EQ(b["balances"]["USDT"]["change"].get<double>(), -0.301);
  EXPECT_DOUBLE_EQ(b["balances"]["BTC"]["change"].get<double>(), 0.0) << "no update: unchanged";
  const auto& u = s["venues"]["upbit"];
  EXPECT_EQ(u["fills"], 2);
  EXPECT_DOUBLE_EQ(u["fees"]["KRW"].get<double>(), 1399.5);
  EXPECT_EQ(u["fees"].count("USDT"), 0u);
  EXPECT_DOUBLE_EQ(u["balances"]["KRW"]["end"].get<double>(), 199'999'800.0) << "free + locked";
  EXPECT_DOUBLE_EQ(u["balances"]["KRW"]["change"].get<double>(), -200.0);
  const std::string text = r.ledger().text();
  EXPECT_NE(text.find("binance: 2 fills (1 buys, 1 sells), fees 1.301 USDT; BTC 1 -> 1 (+0), USDT 100000 -> 99999.699 (-0.301)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("upbit: 2 fills (1 buys, 1 sells), fees 1399.5 KRW; BTC 1 -> 1 (+0), KRW 200000000 -> 199999800 (-200)\n"),
            std::string::npos)
      << text;
}

TEST(BacktestResults, oneQuoteCurrencyKeepsThePortfolioFigures) {
  BacktestResults r(registry());
  r.onReport(fill(common::ExchangeId::Binance, kBinanceBtc, common::Side::Buy, 6'500'000, 1'000'000, 65'000'000, "USDT", 1'000));
  r.onReport(fill(common::ExchangeId::Binance, kBinanceBtc, common::Side::Sell, 6'510'000, 1'000'000, 65'100'000, "USDT", 2'000));
  r.finish(3'000);
  const auto s = nlohmann::json::parse(r.summaryJson());
  EXPECT_EQ(s["quote_currency"], "USDT");
  EXPECT_DOUBLE_EQ(s["realized_pnl"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(s["fees"].get<double>(), 1.301);
  EXPECT_DOUBLE_EQ(s["net_pnl"].get<double>(), -0.301);
  EXPECT_DOUBLE_EQ(s["by_quote"]["USDT"]["net_pnl"].get<double>(), -0.301);
}

TEST(BacktestResults, mixedCurrencyReportDrawsNoEquityCurve) {
  BacktestResults r(registry());
  tradeTwoPairs(r);
  r.finish(3'000);
  const auto dir = std::filesystem::temp_directory_path() / ("hft-btres-" + std::to_string(getpid()));
  r.write(dir.string(), "arb");
  std::ifstream f(dir / "report.html");
  std::stringstream ss;
  ss << f.rdbuf();
  EXPECT_EQ(ss.str().find("Equity (net PnL)"), std::string::npos);
  EXPECT_NE(ss.str().find("several quote currencies"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(VenueLedger, anUnfundedVenueSaysSoAndAnAssetFirstSeenStartsAtZero) {
  VenueLedger l;
  l.setStartBalances({{common::ExchangeId::Upbit, {{"KRW", 1000 * kE8}}}});
  l.onFill(common::ExchangeId::Binance, common::Side::Buy, "BTC", "USDT", 1'000'000, 650 * kE8, "USDT", 65'000'000);
  l.onBalance(balance(common::ExchangeId::Upbit, "BTC", 2 * kE8, 0));
  l.onBalance(balance(common::ExchangeId::Upbit, "ETH", 0, 0));  // listed, never held: left out
  EXPECT_EQ(l.balances().at(common::ExchangeId::Upbit).at("BTC").start, 0);
  EXPECT_EQ(l.balances().at(common::ExchangeId::Upbit).at("BTC").end, 2 * kE8);
  const std::string text = l.text();
  EXPECT_NE(text.find("binance: 1 fills (1 buys, 0 sells), fees 0.65 USDT; unfunded"), std::string::npos) << text;
  EXPECT_NE(text.find("upbit: 0 fills (0 buys, 0 sells), fees 0; BTC 0 -> 2 (+2), KRW 1000 -> 1000 (+0)"), std::string::npos)
      << text;
  const auto j = nlohmann::json::parse(l.json(""));
  EXPECT_TRUE(j["binance"]["balances"].empty());
  EXPECT_DOUBLE_EQ(j["upbit"]["balances"]["BTC"]["change"].get<double>(), 2.0);
  EXPECT_FALSE(j["upbit"]["balances"].contains("ETH"));
  EXPECT_EQ(text.find("ETH"), std::string::npos) << text;
}
