// exchange_simulator: a local Binance-protocol venue on loopback (spot or USD-M): REST, market-data
// streams, the WebSocket API and user data, over a synthetic market with a matching engine, or a
// captured real feed replayed verbatim. --market upbit / bithumb: Upbit's protocol (quotation, JWT order
// entry, private myOrder/myAsset stream) in Upbit's or Bithumb's dialect instead. Faults on command:
// POST /sim/fault (README.md).
#include <filesystem>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "common/CommandLine.h"
#include "common/Shutdown.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/exchange_sim/ExchangeSimulator.h"

using namespace hft;
using namespace hft::execution_engine::exchange_sim;

namespace {

std::string readSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("--api-secret-file: cannot read " + path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  if (s.empty()) throw std::invalid_argument("--api-secret-file: " + path + " is empty");
  return s;
}

/// "USDT=1000,BTC=1" -> map.
std::map<std::string, std::string> parsePairs(const std::vector<std::string>& items, const char* option) {
  std::map<std::string, std::string> m;
  for (const auto& item : items) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      throw std::invalid_argument(std::string("--").append(option).append(": expected NAME=DECIMAL, found '")
                                      .append(item).append("'"));
    m[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  common::CommandLine cl("exchange_simulator",
                         "A local Binance-protocol venue (spot or USD-M) on loopback: REST, streams, WebSocket API, "
                         "matching, signatures, rate limits and injected faults.");
  cl.option("port", "TCP port; 0 = ephemeral (printed on stdout)", "18480")
      .option("bind", "address to listen on", "127.0.0.1")
      .option("market", "spot, usdm, upbit or bithumb (quotation, /v1/orders order entry, /websocket/v1|v2/private)", "spot")
      .option("tick-rules", "upbit/bithumb: KRW price-band file (default: Upbit's table; bithumb: tick_rules/bithumb_krw.json "
                            "beside the instruments file)")
      .option("fees", "MAKER,TAKER fee fractions (default: spot/usdm 0.001, upbit 0.0005, bithumb 0.0004)")
      .option("instruments", "instrument registry file", "config/instruments.json")
      .option("symbols", "comma-separated venue symbols (default: every registry instrument of the market)")
      .option("seed", "synthetic market seed", "42")
      .option("speed", "synthetic seconds per wall second (capture mode: pacing, 0 = as fast as read)", "1")
      .option("events-per-second", "mean calm book/trade actions, all symbols together", "200")
      .option("volatility-bps", "calm volatility in bps per sqrt(second)", "5")
      .option("burst-probability", "chance per symbol and second that a burst starts", "0.01")
      .option("burst-multiplier", "event rate multiplier during a burst", "20")
      .option("start-prices", "SYMBOL=PRICE,... (default BTC 60000, ETH 3000, others 100; upbit: BTC 140000000 KRW)")
      .option("balances", "ASSET=AMOUNT,... initial balances (default USDT=100000 and, on spot, BTC=1,ETH=10; "
                          "upbit/bithumb: KRW=100000000,BTC=1,ETH=10,USDT=10000)")
      .option("leverage", "USD-M leverage", "10")
      .option("weight-limit", "request weight per minute", "6000")
      .option("orders-per-10s", "order count limit per 10 s", "100")
      .option("orders-per-second", "upbit/bithumb: requests per second of the order group (default group: 30)", "8")
      .option("api-key", "accepted API key (or env HFT_SIM_API_KEY)")
      .option("api-secret-file", "file holding its secret (or env HFT_SIM_API_SECRET)")
      .option("capture", "serve this binance-ws-capture file instead of a synthetic market")
      .flag("check-config", "validate the options and exit");
  try {
    if (!cl.parse(argc, argv)) return 0;
    SimulatorOptions o;
    o.bind = cl.get("bind");
    const int64_t port = cl.getInt("port");
    if (port < 0 || port > 65535) throw std::invalid_argument("--port: expected 0..65535");
    o.port = static_cast<uint16_t>(port);
    const std::string market = cl.get("market");
    if (market == "spot") o.venue.market = api::binance::Market::Spot;
    else if (market == "usdm" || market == "futures") o.venue.market = api::binance::Market::UsdM;
    else if (market == "upbit") o.venue.protocol = SimProtocol::Upbit;
    else if (market == "bithumb") o.venue.protocol = SimProtocol::Bithumb;
    else throw std::invalid_argument("--market: expected spot, usdm, upbit or bithumb, found '" + market + "'");
    if (cl.has("tick-rules")) o.venue.tick_rules_path = cl.get("tick-rules");
    // Bithumb's bands: the config folder's tick_rules/ beside the instruments file, wherever the
    // simulator runs from.
    else if (o.venue.protocol == SimProtocol::Bithumb)
      o.venue.tick_rules_path =
          (std::filesystem::path(cl.get("instruments")).parent_path() / "tick_rules" / "bithumb_krw.json").string();
    if (cl.has("fees")) {
      const auto fees = cl.getList("fees");
      if (fees.size() != 2) throw std::invalid_argument("--fees: expected MAKER,TAKER");
      o.venue.maker_fee = fees[0];
      o.venue.taker_fee = fees[1];
    }
    if (o.venue.market == api::binance::Market::UsdM) {
      o.limits.weight_per_minute = 2400;
      o.limits.orders_per_10s = 300;
    }
    if (cl.has("weight-limit")) o.limits.weight_per_minute = static_cast<uint32_t>(cl.getInt("weight-limit"));
    if (cl.has("orders-per-10s")) o.limits.orders_per_10s = static_cast<uint32_t>(cl.getInt("orders-per-10s"));
    if (cl.has("orders-per-second")) o.limits.upbit_order_per_second = static_cast<uint32_t>(cl.getInt("orders-per-second"));
    o.venue.symbols = cl.getList("symbols");
    o.venue.seed = static_cast<uint64_t>(cl.getInt("seed"));
    o.venue.speed = cl.getDouble("speed");
    o.capture_speed = o.venue.speed;
    o.venue.events_per_second = cl.getDouble("events-per-second");
    o.venue.volatility_bps_per_sqrt_s = cl.getDouble("volatility-bps");
    o.venue.burst_probability = cl.getDouble("burst-probability");
    o.venue.burst_multiplier = cl.getDouble("burst-multiplier");
    o.venue.start_prices = parsePairs(cl.getList("start-prices"), "start-prices");
    o.venue.balances = parsePairs(cl.getList("balances"), "balances");
    o.venue.leverage = static_cast<int>(cl.getInt("leverage"));
    o.capture_path = cl.get("capture");
    const char* envKey = std::getenv("HFT_SIM_API_KEY");
    const char* envSecret = std::getenv("HFT_SIM_API_SECRET");
    o.api_key = cl.has("api-key") ? cl.get("api-key") : (envKey ? envKey : "");
    if (cl.has("api-secret-file")) o.api_secret = readSecretFile(cl.get("api-secret-file"));
    else if (envSecret) o.api_secret = envSecret;
    if (!o.api_key.empty() && o.api_secret.empty())
      throw std::invalid_argument("--api-key needs --api-secret-file (or HFT_SIM_API_SECRET)");

    const auto registry = config::InstrumentRegistry::loadFile(cl.get("instruments"));
    ExchangeSimulator sim(registry, std::move(o));
    if (cl.has("check-config")) {
      std::printf("exchange_simulator: configuration OK\n");
      return 0;
    }
    common::installShutdownHandlers();
    sim.start();
    std::printf("exchange_simulator: listening on %s:%u\n", cl.get("bind").c_str(), static_cast<unsigned>(sim.port()));
    std::fflush(stdout);
    while (!common::stopRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    sim.stop();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "exchange_simulator: %s\n", e.what());
    return 2;
  }
}
