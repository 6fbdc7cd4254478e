// Integration: the whole multi-process backtest (datafeed lockstep replay + strategy_runner +
// backtester) through scripts/backtest, twice: byte-identical results, whatever the scheduling
// (the second run squeezes every process onto one core).
#include <gtest/gtest.h>

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
