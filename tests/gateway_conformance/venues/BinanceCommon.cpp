#include "venues/BinanceCommon.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "SimHttp.h"
#include "venues/SimBalances.h"
#include "common/FixedPoint.h"
#include "common/events/ExecutionReport.h"
#include "execution_engine/gateways/BinanceOrderGateway.h"
#include "gateways/BinanceGateway.h"

namespace hft::test::conformance::binance {

namespace {

using api::binance::Market;

bool parseLevels(const nlohmann::json& side, const config::Instrument& inst, std::vector<common::BookLevel>& out,
                 const std::string& where, std::string& error) {
  if (!side.is_array()) {
    error = where + ": array expected";
    return false;
  }
  for (size_t i = 0; i < side.size(); ++i) {
    const auto& l = side[i];
    common::BookLevel level{};
    if (!l.is_array() || l.size() < 2 || !l[0].is_string() || !l[1].is_string() ||
        common::parseDecimal(l[0].get<std::string>(), inst.price_scale, level.price) != common::ParseStatus::Ok ||
        common::parseDecimal(l[1].get<std::string>(), inst.qty_scale, level.qty) != common::ParseStatus::Ok) {
      error = where + "[" + std::to_string(i) + "]: [\"price\",\"qty\"] decimals expected";
      return false;
    }
    out.push_back(level);
  }
  return true;
}

}  // namespace

ConformanceVenue venueFor(Market market) {
  const bool spot = market == Market::Spot;
  ConformanceVenue v;
  v.exchange = api::binance::exchangeOf(market);
  v.simulator_args = {"--market", spot ? "spot" : "usdm"};
  v.book_feed = BookFeed::DiffsWithSnapshot;

  v.market_data = [market](const SimulatorEndpoint& sim, const config::InstrumentRegistry& registry,
                           const std::vector<std::string>& symbols) {
    auto c = gateways::BinanceGatewayConfig::defaultsFor(market);
    c.rest_url = sim.restUrl();
    c.setWsUrls(sim.wsBase() + "/stream");
    c.symbols = symbols;
    c.snapshot_limit = 100;
    c.snapshot_retry_ns = 200'000'000;
    c.backoff = {20'000'000, 200'000'000, 7};
    return std::unique_ptr<interfaces::IGateway>(std::make_unique<gateways::BinanceGateway>(std::move(c), registry));
  };
  v.rest_book = [spot](const SimulatorEndpoint& sim, const config::Instrument& inst, RestBook& out, std::string& error) {
    const std::string target =
        std::string(spot ? "/api/v3/depth" : "/fapi/v1/depth") + "?symbol=" + inst.venue_symbol + "&limit=5";
    const HttpReply r = httpExchange(sim.port, "GET", target);
    if (r.status != 200) {
      error = "GET " + target + ": HTTP " + std::to_string(r.status) + " " + r.body;
      return false;
    }
    const auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_object() || !j.contains("lastUpdateId") || !j["lastUpdateId"].is_number_unsigned()) {
      error = "GET " + target + ": lastUpdateId missing in " + r.body;
      return false;
    }
    out = RestBook{};
    out.update_id = j["lastUpdateId"].get<uint64_t>();
    return parseLevels(j.value("bids", nlohmann::json()), inst, out.bids, "GET " + target + " bids", error) &&
           parseLevels(j.value("asks", nlohmann::json()), inst, out.asks, "GET " + target + " asks", error);
  };

  v.order_entry = [market](const SimulatorEndpoint& sim, const config::InstrumentRegistry& registry) {
    execution_engine::gateways::BinanceOrderGatewayConfig c;
    c.market = market;
    c.rest_url = sim.restUrl();
    c.ws_url = sim.wsBase();
    c.ws_api_url = sim.wsBase() + "/ws-api/v3";
    c.order_entry = execution_engine::gateways::OrderEntry::Rest;
    c.api_key = sim.api_key;
    c.api_secret = common::SecureBuffer(128, common::SecureBuffer::LockPolicy::BestEffort);
    if (!c.api_secret.append(sim.api_secret.data(), sim.api_secret.size()))
      throw std::runtime_error("secret does not fit the SecureBuffer");
    c.request_timeout_ms = 3000;
    c.start_timeout_ms = 5000;
    c.ws_idle_timeout_ms = 10'000;
    c.batch_orders = false;  // one request per send: the kit counts requests per order
    return std::unique_ptr<interfaces::IOrderGateway>(
        std::make_unique<execution_engine::gateways::BinanceOrderGateway>(std::move(c), registry));
  };
  v.sim_balances = [spot](const nlohmann::json& state) {
    if (spot) return freeLockedBalances(state);
    std::map<std::string, SimBalance> out;
    if (!state.contains("balances") || !state["balances"].is_array())
      throw std::runtime_error("/sim/state: no balances array");
    for (const auto& b : state["balances"]) {  // USD-M: wallet balance and what is available of it
      SimBalance s;
      s.free = simAmount(b, "availableBalance");
      s.locked = std::max<int64_t>(0, simAmount(b, "balance") - s.free);
      out[b.value("asset", std::string())] = s;
    }
    return out;
  };
  // Inside the simulator's PERCENT_PRICE_BY_SIDE band (0.95..1.05 of the price), on the tick.
  v.resting_bid = [](int64_t bestBid, const config::Instrument& inst) {
    return (bestBid * 98 / 100) / inst.tick_size * inst.tick_size;
  };
  v.marketable_bid = [](int64_t bestAsk, const config::Instrument& inst) {
    return (bestAsk * 101 / 100 + inst.tick_size - 1) / inst.tick_size * inst.tick_size;
  };
  v.order_notional = spot ? 20 : 200;                    // min notional: 5 / 100 USDT
  v.unaffordable_notional = spot ? 5'000'000 : 50'000'000;  // 100k USDT (x10 leverage on USD-M)
  v.insufficient_funds = common::RejectReason::InsufficientBalance;
  return v;
}

}  // namespace hft::test::conformance::binance
