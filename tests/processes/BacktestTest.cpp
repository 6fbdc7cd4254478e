// Integration: the whole multi-process backtest (datafeed lockstep replay + strategy_runner +
// backtester) through scripts/backtest, twice: byte-identical results, whatever the scheduling
// (the second run squeezes every process onto one core).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "ProcessRunner.h"

using hft::test::bin;
using hft::test::Process;
using hft::test::sourceFile;
namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
/// A synthetic session of `events` events in `dir`.
std::string generateSession(const fs::path& dir, int events) {
  const std::string rec = (dir / "session.bin.lz4").string();
  Process gen(bin("recording"), {"generate", "--events", std::to_string(events), "--out", rec, "--config",
                                 sourceFile("config/system.json")},
              (dir / "gen.txt").string());
  EXPECT_EQ(gen.wait(), 0) << gen.output();
  return rec;
}

/// scripts/backtest CONFIG --out DIR/out<run>; run 1 squeezes every process onto one core.
fs::path runBacktest(const fs::path& dir, const std::string& cfg, int run) {
  const fs::path out = dir / ("out" + std::to_string(run));
  std::vector<std::string> args{sourceFile("scripts/backtest"), cfg, "--out", out.string()};
  if (run == 1) args.insert(args.begin(), {"-c", "0", "/bin/bash"});
  Process bt(run == 1 ? "/usr/bin/taskset" : "/bin/bash", args, (dir / "bt.txt").string());
  EXPECT_EQ(bt.wait(120000), 0) << bt.output();
  return out;
}
}  // namespace

TEST(Backtest, twoRunsOfTheSameConfigGiveByteIdenticalResults) {
  const fs::path dir = fs::temp_directory_path() / ("hft-bt-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string rec = generateSession(dir, 60000);
  const std::string cfg = (dir / "bt.json").string();
  std::ofstream(cfg) << R"({"name": "determinism", "recordings": [")" << rec << R"("],
    "strategies": [")" << sourceFile("config/strategies/market_maker.json") << R"("],
    "simulation": {"queue": "proportional",
      "order_latency": {"kind": "lognormal", "mu": "13.8", "sigma": "0.4", "min_ns": 200000, "max_ns": 20000000, "seed": 7},
      "fees": {"simulated": {"maker": "0.0001", "taker": "0.0005"}},
      "balances": {"simulated": {"USDT": "100000", "BTC": "1"}}}})";
  std::string csv[2];
  for (int run = 0; run < 2; ++run) {
    const fs::path out = runBacktest(dir, cfg, run);
    csv[run] = slurp(out / "backtest_results.csv");
    const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
    for (const char* key : {"net_pnl", "gross_pnl", "fees", "max_drawdown", "win_rate", "sharpe", "sortino", "turnover",
                            "orders", "fills", "cancels", "rejects", "fill_ratio"})
      EXPECT_TRUE(summary.contains(key)) << key;
    EXPECT_GT(summary["orders"].get<int>(), 0);
    const std::string html = slurp(out / "report.html");
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_EQ(html.find("http"), html.find("http://www.w3.org/2000/svg")) << "self-contained: no external resources";
  }
  EXPECT_GT(std::count(csv[0].begin(), csv[0].end(), '\n'), 5) << "the market maker traded";
  EXPECT_TRUE(csv[0] == csv[1]) << "same recording and config give byte-identical fills";
  fs::remove_all(dir);
}

// Two strategies on one instrument, zero latency everywhere: the lookahead is the 1 ns floor,
// and orders of the two queues are merged by request time. Normal scheduling and one core give
// the same fills.
TEST(Backtest, twoStrategiesWithZeroLatencyAreReproducible) {
  const fs::path dir = fs::temp_directory_path() / ("hft-bt2-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string rec = generateSession(dir, 20000);
  // A TWAP short enough for the recording (about 1 s of market time).
  const std::string twap = (dir / "twap.json").string();
  std::ofstream(twap) << R"({"name": "twap_test", "strategy": "twap", "strategy_id": 20,
    "instruments": ["simulated:BTC-USDT"],
    "params": {"side": "buy", "total_qty": "0.05", "start_offset_ms": 50, "duration_ms": 600, "slices": 12,
               "mode": "aggressive", "aggression_ticks": 1, "complete_at_end": true}})";
  const std::string cfg = (dir / "bt.json").string();
  std::ofstream(cfg) << R"({"name": "two", "recordings": [")" << rec << R"("],
    "strategies": [")" << sourceFile("config/strategies/market_maker.json") << R"(", ")" << twap << R"("],
    "simulation": {"queue": "proportional",
      "order_latency": {"kind": "constant", "ns": 0}, "ack_latency": {"kind": "constant", "ns": 0},
      "fees": {"simulated": {"maker": "0.0001", "taker": "0.0005"}},
      "balances": {"simulated": {"USDT": "1000000", "BTC": "10"}}}})";
  std::string csv[2];
  for (int run = 0; run < 2; ++run) {
    const fs::path out = runBacktest(dir, cfg, run);
    csv[run] = slurp(out / "backtest_results.csv");
  }
  // Column 2 is the strategy id: market_maker.json is 1, twap.json 20.
  EXPECT_NE(csv[0].find(",1,simulated,"), std::string::npos) << csv[0].substr(0, 2000);
  EXPECT_NE(csv[0].find(",20,simulated,"), std::string::npos) << "both strategies traded";
  EXPECT_TRUE(csv[0] == csv[1]) << "scheduling does not change the fills";
  fs::remove_all(dir);
}

// Cross-venue: the shipped arbitrage backtest (config/backtests/arb_binance_upbit.json, the
// shipped strategy config) on two recordings, one per venue - Binance BTCUSDT in USDT and Upbit
// KRW-BTC in KRW, generated at prices the strategy's multiplier lines up - merged by exchange time.
// Two runs (the second on one core) give byte-identical outputs, and the strategy traded both
// legs: pairs, fills and balances on both venues.
TEST(Backtest, arbitrageOnBinanceAndUpbitTradesBothVenuesAndIsReproducible) {
  const fs::path dir = fs::temp_directory_path() / ("hft-bt-arb-" + std::to_string(getpid()));
  fs::create_directories(dir);
  auto generate = [&](const std::string& venue, const std::string& instrument, const std::string& price, int seed) {
    const std::string rec = (dir / (venue + ".bin.lz4")).string();
    Process gen(bin("recording"), {"generate", "--events", "12000", "--events-per-second", "400", "--seed",
                                   std::to_string(seed), "--instruments", instrument, "--start-prices",
                                   instrument + "=" + price, "--out", rec, "--config", sourceFile("config/system.json")},
                (dir / ("gen-" + venue + ".txt")).string());
    EXPECT_EQ(gen.wait(), 0) << gen.output();
    return rec;
  };
  const std::string binance = generate("binance", "binance:BTCUSDT", "65000", 5);
  const std::string upbit = generate("upbit", "upbit:KRW-BTC", "140000000", 6);
  auto cfg = nlohmann::json::parse(slurp(sourceFile("config/backtests/arb_binance_upbit.json")));
  cfg["recordings"] = {binance, upbit};
  cfg["strategies"] = {sourceFile("config/strategies/cross_exchange_arbitrage.json")};
  cfg["order_rules"] = sourceFile("config/order_rules/default.json");
  const std::string cfgFile = (dir / "arb.json").string();
  std::ofstream(cfgFile) << cfg.dump(2);

  std::string outputs[2];
  for (int run = 0; run < 2; ++run) {
    const fs::path out = runBacktest(dir, cfgFile, run);
    outputs[run] = slurp(out / "backtest_results.csv") + slurp(out / "summary.json") + slurp(out / "report.html");
    if (run == 1) continue;
    // strategy_runner prints the strategy's own counters at exit.
    const std::string log = slurp(out / "logs" / "strategy_cross_exchange_arbitrage.txt");
    const auto at = log.find(": pairs ");
    ASSERT_NE(at, std::string::npos) << log;
    EXPECT_GT(std::stoi(log.substr(at + 8)), 0) << log;

    const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
    EXPECT_EQ(summary["quote_currency"], "mixed");
    EXPECT_TRUE(summary["net_pnl"].is_null()) << "KRW is never added to USDT";
    const auto& b = summary["venues"]["binance"];
    const auto& u = summary["venues"]["upbit"];
    EXPECT_GT(b["fills"].get<int>(), 0) << summary.dump(2);
    EXPECT_GT(u["fills"].get<int>(), 0) << summary.dump(2);
    EXPECT_GT(b["fees"]["USDT"].get<double>(), 0);
    EXPECT_GT(u["fees"]["KRW"].get<double>(), 0);
    // Each pair buys on one venue and sells on the other: the BTC moved on one venue came back
    // on the other (within one order of 0.0005 BTC, a pair whose hedge the run ended before).
    const double btcB = b["balances"]["BTC"]["change"].get<double>(), btcU = u["balances"]["BTC"]["change"].get<double>();
    EXPECT_NE(btcB, 0.0);
    EXPECT_LE(std::abs(btcB + btcU), 0.0005) << summary.dump(2);
    EXPECT_NE(b["balances"]["USDT"]["change"].get<double>(), 0.0);
    EXPECT_NE(u["balances"]["KRW"]["change"].get<double>(), 0.0);
    EXPECT_TRUE(summary["by_quote"].contains("USDT") && summary["by_quote"].contains("KRW")) << summary.dump(2);
  }
  EXPECT_TRUE(outputs[0] == outputs[1]) << "same recordings and config give byte-identical results";
  fs::remove_all(dir);
}
