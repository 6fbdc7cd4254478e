// Integration: cross-exchange arbitrage live on two venues, all real processes on loopback.
//   exchange_simulator (Binance spot)  \                                 / BinanceOrderGateway
//                                        > datafeed --source binance,upbit -> bus -> strategy_runner
//   exchange_simulator --market upbit  /     (one producer, two venues)    (arbitrage) -> order_executor
//                                                                          \ UpbitOrderGateway
// The two synthetic markets walk apart (5 bps per sqrt(s)), so the strategy finds edges and
// trades pairs. At the end, on each venue: the executor's balances equal the venue's account to
// the last unit, no client order id reached the venue twice, nothing is left working.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "ProcessRunner.h"
#include "SimHttp.h"
#include "TextFigures.h"

using hft::test::amount;
using hft::test::bin;
using hft::test::number;
using hft::test::http;
using hft::test::Process;
using hft::test::sourceFile;
using hft::test::waitForOutput;
using nlohmann::json;

namespace {


constexpr const char* kVenueVariables[] = {"HFT_BINANCE_API_KEY",  "HFT_BINANCE_API_SECRET", "HFT_BINANCE_REST_URL",
                                           "HFT_BINANCE_WS_URL",   "HFT_BINANCE_WS_API_URL", "HFT_UPBIT_ACCESS_KEY",
                                           "HFT_UPBIT_SECRET_KEY", "HFT_UPBIT_REST_URL",     "HFT_UPBIT_WS_URL",
                                           "HFT_LOG_DIR"};

class LiveArbitrage : public ::testing::Test {
 protected:
  void SetUp() override {
    bus_ = "la" + std::to_string(getpid());
    setenv("HFT_BUS_NAME", bus_.c_str(), 1);
    dir_ = std::filesystem::temp_directory_path() / ("hft-" + bus_);
    std::filesystem::create_directories(dir_);
    setenv("HFT_LOG_DIR", (dir_ / "logs").c_str(), 1);
    std::ofstream(dir_ / "secret") << "arbitrage-secret-" << bus_;  // a throwaway loopback key
    std::filesystem::permissions(dir_ / "secret", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  void TearDown() override {
    strategy_.reset();
    executor_.reset();
    feed_.reset();
    binance_.reset();
    upbit_.reset();
    for (const auto& e : std::filesystem::directory_iterator("/dev/shm"))
      if (e.path().filename().string().rfind("hft." + bus_ + ".", 0) == 0) std::filesystem::remove(e.path());
    for (const char* v : kVenueVariables) unsetenv(v);
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }
  std::string out(const std::string& name) const { return (dir_ / name).string(); }

  std::unique_ptr<Process> simulator(const std::vector<std::string>& profile, const std::string& name, uint16_t& port) {
    std::vector<std::string> args{"--port", "0", "--instruments", sourceFile("config/instruments.json"),
                                  "--volatility-bps", "5", "--api-key", "itkey", "--api-secret-file", out("secret")};
    args.insert(args.end(), profile.begin(), profile.end());
    auto p = std::make_unique<Process>(bin("exchange_simulator"), args, out(name));
    port = hft::test::listeningPort(*p);
    return p;
  }

  std::unique_ptr<Process> binance_, upbit_, feed_, executor_, strategy_;
  uint16_t binancePort_ = 0, upbitPort_ = 0;
  std::string bus_;
  std::filesystem::path dir_;
};

/// The executor's balances of `venue` (its shutdown snapshot) against the venue's own account.
void expectSameAccount(const json& executorBalances, const std::string& venue, const json& sim, const std::string& log) {
  ASSERT_FALSE(sim.is_discarded()) << venue << ": no /sim/state";
  EXPECT_EQ(sim["client_order_id_reuses"], 0) << venue << ": an order reached the venue twice\n" << log;
  EXPECT_TRUE(sim["open_orders"].empty()) << venue << ": left working: " << sim["open_orders"].dump();
  std::map<std::string, std::pair<int64_t, int64_t>> mine;
  for (const auto& b : executorBalances)
    if (b["venue"] == venue) mine[b["asset"]] = {b["free"].get<int64_t>(), b["locked"].get<int64_t>()};
  ASSERT_FALSE(sim["balances"].empty()) << venue;
  for (const auto& b : sim["balances"]) {
    const std::string asset = b["asset"];
    ASSERT_TRUE(mine.count(asset)) << venue << ": the executor has no " << asset << " balance\n" << executorBalances.dump();
    EXPECT_EQ(mine[asset].first, amount(b["free"])) << venue << " " << asset << " free: executor vs venue\n" << log;
    EXPECT_EQ(mine[asset].second, amount(b["locked"])) << venue << " " << asset << " locked: executor vs venue";
  }
}

}  // namespace

TEST_F(LiveArbitrage, tradesPairsOnBinanceAndUpbitAndEachVenuesAccountEqualsTheExecutors) {
  // Binance BTCUSDT from 65,000 USDT and Upbit KRW-BTC from 140,000,000 KRW: the prices
  // config/strategies/cross_exchange_arbitrage.json's price_multiplier_b lines up.
  binance_ = simulator({"--symbols", "BTCUSDT", "--seed", "31", "--start-prices", "BTCUSDT=65000"}, "sim-binance", binancePort_);
  ASSERT_NE(binancePort_, 0) << binance_->output();
  upbit_ = simulator({"--market", "upbit", "--seed", "32"}, "sim-upbit", upbitPort_);
  ASSERT_NE(upbitPort_, 0) << upbit_->output();

  std::ifstream secretIn(dir_ / "secret");
  std::string secret;
  std::getline(secretIn, secret);
  const std::string b = "127.0.0.1:" + std::to_string(binancePort_), u = "127.0.0.1:" + std::to_string(upbitPort_);
  // Endpoints through each venue's own variables: one datafeed and one executor serve both.
  setenv("HFT_BINANCE_API_KEY", "itkey", 1);
  setenv("HFT_BINANCE_API_SECRET", secret.c_str(), 1);
  setenv("HFT_BINANCE_REST_URL", ("http://" + b).c_str(), 1);
  setenv("HFT_BINANCE_WS_URL", ("ws://" + b).c_str(), 1);
  setenv("HFT_BINANCE_WS_API_URL", ("ws://" + b + "/ws-api/v3").c_str(), 1);
  setenv("HFT_UPBIT_ACCESS_KEY", "itkey", 1);
  setenv("HFT_UPBIT_SECRET_KEY", secret.c_str(), 1);
  setenv("HFT_UPBIT_REST_URL", ("http://" + u).c_str(), 1);
  setenv("HFT_UPBIT_WS_URL", ("ws://" + u + "/websocket/v1").c_str(), 1);

  json ex = json::parse(std::ifstream(sourceFile("config/executor.json")));
  ex["order_rules"] = sourceFile("config/order_rules/default.json");
  ex["data_root"] = out("data");
  ex["journal"]["dir"] = out("data/journal");
  ex["gateways"] = json{{"binance", {{"kind", "binance"}, {"order_entry", "rest"}}}, {"upbit", {{"kind", "upbit"}}}};
  std::ofstream(out("executor.json")) << ex.dump(2);

  const std::string system = sourceFile("config/system.json");
  feed_ = std::make_unique<Process>(
      bin("datafeed"), std::vector<std::string>{"--config", system, "--source", "binance,upbit", "--symbols", "BTCUSDT,KRW-BTC"},
      out("feed"));
  executor_ = std::make_unique<Process>(
      bin("order_executor"), std::vector<std::string>{"--config", out("executor.json"), "--system", system}, out("executor"));
  ASSERT_TRUE(waitForOutput(*executor_, "reconcile:", 20000)) << executor_->output();
  ASSERT_TRUE(waitForOutput(*feed_, "book synced", 15000)) << feed_->output();
  strategy_ = std::make_unique<Process>(
      bin("strategy_runner"),
      std::vector<std::string>{"--config", sourceFile("config/strategies/cross_exchange_arbitrage.json"), "--system", system},
      out("strategy"));

  // Until both venues have traded (the pairs' legs), at most 40 s.
  const auto traded = [&](uint16_t port) {
    const json s = json::parse(http(port, "GET", "/sim/state"), nullptr, false);
    if (s.is_discarded()) return false;
    for (const auto& bal : s["balances"])
      if (bal["asset"] == "BTC") return amount(bal["free"]) + amount(bal["locked"]) != 100'000'000;
    return false;
  };
  for (int i = 0; i < 400 && !(traded(binancePort_) && traded(upbitPort_)); ++i) usleep(100'000);
  usleep(2'000'000);  // the legs' reports travel venue -> executor -> strategy

  strategy_->signal(SIGTERM);
  EXPECT_EQ(strategy_->wait(15000), 0) << strategy_->output();
  usleep(1'500'000);  // the last answers and balance updates reach the executor
  executor_->signal(SIGTERM);
  EXPECT_EQ(executor_->wait(15000), 0) << executor_->output();
  feed_->signal(SIGTERM);
  feed_->wait(15000);

  const std::string strategy = strategy_->output(), executor = executor_->output(), feed = feed_->output();
  EXPECT_GE(number(strategy, R"(pairs (\d+))"), 1u) << strategy;
  EXPECT_GE(number(strategy, R"((\d+) fills)"), 2u) << strategy;
  EXPECT_TRUE(traded(binancePort_)) << "no fill on binance\n" << strategy << executor;
  EXPECT_TRUE(traded(upbitPort_)) << "no fill on upbit\n" << strategy << executor;
  EXPECT_EQ(number(feed, R"(binance: \d+ frames, \d+ reconnects, \d+ sequence gaps, \d+ resyncs, \d+/\d+ snapshots applied/requested, (\d+) parse errors)"), 0u) << feed;
  EXPECT_EQ(number(feed, R"(upbit: .* (\d+) parse errors)"), 0u) << feed;

  json balances;
  for (const auto& f : std::filesystem::directory_iterator(out("data/snapshots"))) {
    const json snap = json::parse(std::ifstream(f.path()), nullptr, false);
    if (!snap.is_discarded()) balances = snap["state"]["account_manager"]["balances"];
  }
  expectSameAccount(balances, "binance", json::parse(http(binancePort_, "GET", "/sim/state"), nullptr, false), executor);
  expectSameAccount(balances, "upbit", json::parse(http(upbitPort_, "GET", "/sim/state"), nullptr, false), executor);
}
