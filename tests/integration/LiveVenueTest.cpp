// Integration: the live trading path end to end with real processes on loopback.
//   exchange_simulator (Binance protocol) <- datafeed --source binance -> bus -> strategy_runner
//   (market_maker) -> order_executor (BinanceOrderGateway) -> simulator; data_recorder records.
// At the end the executor's balances (its shutdown snapshot) must equal the simulator's account,
// no client order id may have reached the venue twice, and nothing may be left working.
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


struct Outcome {
  std::string feed, executor, strategy, recorder;
  json sim;       ///< /sim/state after everything stopped
  json balances;  ///< the executor's shutdown snapshot: account_manager.balances
};

class LiveVenue : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    bus_ = "lv" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    setenv("HFT_BUS_NAME", bus_.c_str(), 1);
    dir_ = std::filesystem::temp_directory_path() / ("hft-" + bus_);
    std::filesystem::create_directories(dir_);
    setenv("HFT_LOG_DIR", (dir_ / "logs").c_str(), 1);
    // A throwaway key pair for the loopback venue, never a real one.
    std::ofstream(dir_ / "secret") << "integration-secret-" << bus_;
    std::filesystem::permissions(dir_ / "secret", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  void TearDown() override {
    strategy_.reset();
    executor_.reset();
    recorder_.reset();
    feed_.reset();
    sim_.reset();
    for (const auto& e : std::filesystem::directory_iterator("/dev/shm"))
      if (e.path().filename().string().rfind("hft." + bus_ + ".", 0) == 0) std::filesystem::remove(e.path());
    for (const char* v : {"HFT_BINANCE_API_KEY", "HFT_BINANCE_API_SECRET", "HFT_BINANCE_REST_URL", "HFT_BINANCE_WS_URL",
                          "HFT_BINANCE_WS_API_URL", "HFT_LOG_DIR"})
      unsetenv(v);
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }
  std::string out(const std::string& name) const { return (dir_ / name).string(); }

  void startSimulator() {
    sim_ = std::make_unique<Process>(bin("exchange_simulator"),
                                     std::vector<std::string>{"--port", "0", "--symbols", "BTCUSDT", "--instruments",
                                                              sourceFile("config/instruments.json"), "--seed", "7",
                                                              "--api-key", "itkey", "--api-secret-file", out("secret")},
                                     out("sim"));
    port_ = hft::test::listeningPort(*sim_);
    ASSERT_NE(port_, 0) << sim_->output();
  }

  /// Everything up and quoting: datafeed live against the simulator, recorder, executor with
  /// the Binance gateway (`orderEntry` rest or ws_api), the market maker.
  /// `armFault`: a /sim/fault query armed before the strategy starts, so that its first orders
  /// meet it (the market maker sends most of its orders in its first second).
  void startTrading(const std::string& orderEntry, int requestTimeoutMs = 5000, const std::string& armFault = "") {
    ASSERT_NO_FATAL_FAILURE(startSimulator());
    const std::string rest = "http://127.0.0.1:" + std::to_string(port_);
    const std::string ws = "ws://127.0.0.1:" + std::to_string(port_);
    std::ifstream secretIn(dir_ / "secret");
    std::string secret;
    std::getline(secretIn, secret);
    setenv("HFT_BINANCE_API_KEY", "itkey", 1);
    setenv("HFT_BINANCE_API_SECRET", secret.c_str(), 1);
    setenv("HFT_BINANCE_REST_URL", rest.c_str(), 1);
    setenv("HFT_BINANCE_WS_URL", ws.c_str(), 1);
    setenv("HFT_BINANCE_WS_API_URL", (ws + "/ws-api/v3").c_str(), 1);

    json ex = json::parse(std::ifstream(sourceFile("config/executor.json")));
    ex["order_rules"] = sourceFile("config/order_rules/default.json");
    ex["data_root"] = out("data");
    ex["journal"]["dir"] = out("data/journal");
    ex["request_timeout_ms"] = requestTimeoutMs;
    ex["gateways"] = json{{"binance", {{"kind", "binance"}, {"order_entry", orderEntry}}}};
    std::ofstream(out("executor.json")) << ex.dump(2);

    const std::string system = sourceFile("config/system.json");
    feed_ = std::make_unique<Process>(
        bin("datafeed"),
        std::vector<std::string>{"--config", system, "--source", "binance", "--symbols", "BTCUSDT", "--rest-url", rest,
                                 "--ws-url", ws + "/stream"},
        out("feed"));
    recorder_ = std::make_unique<Process>(
        bin("data_recorder"), std::vector<std::string>{"--config", system, "--out", out("rec"), "--session", "live"},
        out("recorder"));
    executor_ = std::make_unique<Process>(bin("order_executor"),
                                          std::vector<std::string>{"--config", out("executor.json"), "--system", system},
                                          out("executor"));
    ASSERT_TRUE(waitForOutput(*executor_, "reconcile:", 15000)) << executor_->output();
    ASSERT_TRUE(waitForOutput(*feed_, "book synced", 15000)) << feed_->output();
    if (!armFault.empty()) {
      ASSERT_NO_FATAL_FAILURE(fault(armFault));
    }
    strategy_ = std::make_unique<Process>(
        bin("strategy_runner"),
        std::vector<std::string>{"--config", sourceFile("config/strategies/market_maker_binance.json"), "--system", system},
        out("strategy"));
  }

  void fault(const std::string& query) {
    const std::string reply = http(port_, "POST", "/sim/fault?" + query);
    ASSERT_FALSE(reply.empty()) << "no answer from /sim/fault?" << query;
    ASSERT_EQ(reply.find("\"code\""), std::string::npos) << reply;
  }

  /// Stops the strategy (it cancels its orders), lets the answers come back, stops the rest.
  Outcome stopTrading() {
    Outcome o;
    strategy_->signal(SIGTERM);
    EXPECT_EQ(strategy_->wait(15000), 0) << strategy_->output();
    usleep(1'500'000);  // the cancels' answers and the last balance updates reach the executor
    executor_->signal(SIGTERM);
    EXPECT_EQ(executor_->wait(15000), 0) << executor_->output();
    feed_->signal(SIGTERM);
    feed_->wait(15000);
    recorder_->signal(SIGTERM);
    EXPECT_EQ(recorder_->wait(15000), 0) << recorder_->output();
    o.feed = feed_->output();
    o.executor = executor_->output();
    o.strategy = strategy_->output();
    o.recorder = recorder_->output();
    o.sim = json::parse(http(port_, "GET", "/sim/state"), nullptr, false);
    for (const auto& f : std::filesystem::directory_iterator(out("data/snapshots"))) {
      const json snap = json::parse(std::ifstream(f.path()), nullptr, false);
      if (!snap.is_discarded()) o.balances = snap["state"]["account_manager"]["balances"];
    }
    return o;
  }

  /// The invariants every run must keep, faults or not.
  void expectConsistent(const Outcome& o) {
    ASSERT_FALSE(o.sim.is_discarded()) << "no /sim/state";
    EXPECT_EQ(o.sim["client_order_id_reuses"], 0) << "an order reached the venue twice\n" << o.executor;
    EXPECT_TRUE(o.sim["open_orders"].empty()) << "left working at the venue: " << o.sim["open_orders"].dump() << "\n"
                                              << o.executor << o.strategy;
    std::map<std::string, std::pair<int64_t, int64_t>> executor;
    for (const auto& b : o.balances)
      if (b["venue"] == "binance") executor[b["asset"]] = {b["free"].get<int64_t>(), b["locked"].get<int64_t>()};
    ASSERT_FALSE(o.sim["balances"].empty());
    for (const auto& b : o.sim["balances"]) {
      const std::string asset = b["asset"];
      ASSERT_TRUE(executor.count(asset)) << "executor has no " << asset << " balance\n" << o.balances.dump();
      EXPECT_EQ(executor[asset].first, amount(b["free"])) << asset << " free: executor vs simulator\n" << o.executor;
      EXPECT_EQ(executor[asset].second, amount(b["locked"])) << asset << " locked: executor vs simulator";
    }
    EXPECT_EQ(number(o.feed, R"((\d+) parse errors)"), 0u) << o.feed;
  }

  uint16_t port_ = 0;
  std::string bus_;
  std::filesystem::path dir_;
  std::unique_ptr<Process> sim_, feed_, recorder_, executor_, strategy_;
};

uint64_t fills(const Outcome& o) { return number(o.strategy, R"((\d+) fills)"); }

}  // namespace

TEST_F(LiveVenue, marketMakerOverRestTradesAndTheExecutorsBalancesEqualTheVenuesAccount) {
  ASSERT_NO_FATAL_FAILURE(startTrading("rest"));
  usleep(6'000'000);
  const Outcome o = stopTrading();
  expectConsistent(o);
  EXPECT_GT(fills(o), 0u) << o.strategy;
  EXPECT_GT(number(o.executor, R"((\d+) accepted)"), 0u) << o.executor;
  EXPECT_EQ(number(o.executor, R"((\d+) timeouts)"), 0u) << o.executor;
  // The session was recorded, and the recording checks out.
  std::string rec;
  for (const auto& f : std::filesystem::recursive_directory_iterator(out("rec")))
    if (f.path().string().ends_with(".bin.lz4")) rec = f.path().string();
  ASSERT_FALSE(rec.empty()) << o.recorder;
  Process verify(bin("recording"), {"verify", rec}, out("verify"));
  EXPECT_EQ(verify.wait(30000), 0) << verify.output();
}

TEST_F(LiveVenue, marketMakerOverTheWebSocketApiTradesAndBalancesAgree) {
  ASSERT_NO_FATAL_FAILURE(startTrading("ws_api"));
  usleep(6'000'000);
  const Outcome o = stopTrading();
  expectConsistent(o);
  EXPECT_GT(fills(o), 0u) << o.strategy;
  EXPECT_GT(number(o.executor, R"((\d+) accepted)"), 0u) << o.executor;
}

TEST_F(LiveVenue, aSequenceGapIsDetectedTheBookResyncedAndTheGapRecorded) {
  ASSERT_NO_FATAL_FAILURE(startTrading("rest"));
  usleep(2'000'000);
  ASSERT_NO_FATAL_FAILURE(fault("kind=gap&count=1"));
  usleep(3'000'000);
  const Outcome o = stopTrading();
  expectConsistent(o);
  EXPECT_GE(number(o.feed, R"((\d+) sequence gaps)"), 1u) << o.feed;
  EXPECT_GE(number(o.feed, R"((\d+)/\d+ snapshots applied)"), 2u) << o.feed;
  std::string rec;
  for (const auto& f : std::filesystem::recursive_directory_iterator(out("rec")))
    if (f.path().string().ends_with(".bin.lz4")) rec = f.path().string();
  ASSERT_FALSE(rec.empty());
  Process info(bin("recording"), {"info", rec}, out("info"));
  ASSERT_EQ(info.wait(30000), 0) << info.output();
  EXPECT_GE(number(info.output(), R"(gaps (\d+))"), 1u) << "the recording must show the discontinuity\n" << info.output();
}

TEST_F(LiveVenue, aDisconnectOfEveryStreamIsSurvivedBooksRebuiltAndStateConsistent) {
  ASSERT_NO_FATAL_FAILURE(startTrading("rest"));
  usleep(2'000'000);
  ASSERT_NO_FATAL_FAILURE(fault("kind=disconnect&count=1"));
  usleep(4'000'000);
  const Outcome o = stopTrading();
  expectConsistent(o);
  EXPECT_GE(number(o.feed, R"((\d+) reconnects)"), 1u) << o.feed;
  EXPECT_GE(number(o.feed, R"((\d+)/\d+ snapshots applied)"), 2u) << o.feed;
}

TEST_F(LiveVenue, ordersPlacedDespiteA5xxAreLearnedAndNeverResent) {
  // The venue places the order but answers 503: the executor must not send it again; it learns
  // the order from the user data stream (or by asking).
  ASSERT_NO_FATAL_FAILURE(startTrading("rest", 1000, "kind=http5xx&count=2&placed=1"));
  usleep(4'000'000);
  const Outcome o = stopTrading();
  expectConsistent(o);
  EXPECT_EQ(o.sim["faults"]["http5xx"]["injected"], 2) << o.sim.dump();
}

TEST_F(LiveVenue, ordersLostBehindA5xxTimeOutAndAreQueriedNeverResent) {
  // 503 and the order was not placed: nothing comes on the user stream either; the request
  // times out, the executor queries (-2013: the venue does not know it) and never resends.
  ASSERT_NO_FATAL_FAILURE(startTrading("rest", 1000, "kind=http5xx&count=1&placed=0"));
  usleep(4'000'000);
  const Outcome o = stopTrading();
  expectConsistent(o);
  EXPECT_EQ(o.sim["faults"]["http5xx"]["injected"], 1) << o.sim.dump();
  EXPECT_GE(number(o.executor, R"((\d+) timeouts)"), 1u) << o.executor;
  EXPECT_GE(number(o.executor, R"((\d+) queries)"), 1u) << o.executor;
}

TEST_F(LiveVenue, slowAnswersAreWaitedForOrQueriedNeverResent) {
  ASSERT_NO_FATAL_FAILURE(startTrading("rest", 1000, "kind=slow&count=2&ms=2500"));
  usleep(5'000'000);
  const Outcome o = stopTrading();
  expectConsistent(o);
  EXPECT_EQ(o.sim["faults"]["slow"]["injected"], 2) << o.sim.dump();
}

TEST_F(LiveVenue, rateLimit429sAreRespectedWithoutDuplicates) {
  ASSERT_NO_FATAL_FAILURE(startTrading("rest", 5000, "kind=http429&count=3"));
  usleep(5'000'000);
  const Outcome o = stopTrading();
  expectConsistent(o);
  // At least the first order met a 429; how many more did depends on the Retry-After pause.
  EXPECT_GE(o.sim["faults"]["http429"]["injected"].get<int>(), 1) << o.sim.dump();
}

TEST_F(LiveVenue, aTimestampOutsideRecvWindowIsRetriedOnceAfterATimeResync) {
  ASSERT_NO_FATAL_FAILURE(startTrading("rest", 5000, "kind=timestamp1021&count=1"));
  usleep(4'000'000);
  const Outcome o = stopTrading();
  expectConsistent(o);
  EXPECT_EQ(o.sim["faults"]["timestamp1021"]["injected"], 1) << o.sim.dump();
  EXPECT_GT(number(o.executor, R"((\d+) accepted)"), 0u) << o.executor;
}

TEST_F(LiveVenue, aDroppedUserDataStreamIsResubscribedAndFillsStillReachTheExecutor) {
  ASSERT_NO_FATAL_FAILURE(startTrading("rest"));
  usleep(2'000'000);
  ASSERT_NO_FATAL_FAILURE(fault("kind=drop_user_stream&count=1"));
  usleep(4'000'000);
  const Outcome o = stopTrading();
  expectConsistent(o);
  EXPECT_EQ(o.sim["faults"]["drop_user_stream"]["injected"], 1) << o.sim.dump();
}
