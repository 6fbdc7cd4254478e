#pragma once
// Builders shared by the risk tests. Everything goes through the production loaders: the
// registry through InstrumentRegistry::fromJson and the limits through RiskLimits::fromJson, so
// the rules under test are exactly what a file with the same text would give.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "managers/RiskLimits.h"
#include "managers/RiskManager.h"

namespace hft::test {

using common::ExchangeId;
using common::OrderAction;
using common::OrderType;
using common::RejectReason;
using common::Side;

inline constexpr common::InstrumentId kBtc =
    1;  // simulated BTC-USDT: price 2 dp, qty 8 dp, tick 0.10, lot 0.00001, min 5
inline constexpr common::InstrumentId kEth = 3;  // simulated ETH-USDT: price 2 dp, qty 4 dp
inline constexpr common::InstrumentId kFutBtc =
    2;  // binance_futures BTCUSDT: price 2 dp, qty 3 dp, tick 0.10, lot 0.001, min 100
inline constexpr common::TimestampNs kT0 = 1'700'000'000'000'000'000;  // 2023-11-14T22:13:20Z
inline constexpr int64_t kUsd = 100'000'000;                           // 1 unit at kAmountScale

/// BTC prices at 2 decimals, quantities at 8: px(30000) = 3'000'000, btc(0.01) = 1'000'000.
constexpr int64_t px(double v) { return static_cast<int64_t>(v * 100 + (v >= 0 ? 0.5 : -0.5)); }
constexpr int64_t btc(double v) { return static_cast<int64_t>(v * 100'000'000 + 0.5); }
/// An amount at kAmountScale: usd(300) = 300 * 10^8.
constexpr int64_t usd(double v) { return static_cast<int64_t>(v * 100'000'000 + (v >= 0 ? 0.5 : -0.5)); }

inline config::InstrumentRegistry testRegistry() {
  return config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 1, "exchange": "simulated", "base": "BTC", "quote": "USDT", "price_scale": 2, "qty_scale": 8,
     "tick_size": "0.10", "lot_size": "0.00001", "min_notional": "5"},
    {"id": 2, "exchange": "binance_futures", "base": "BTC", "quote": "USDT", "price_scale": 2, "qty_scale": 3,
     "tick_size": "0.10", "lot_size": "0.001", "min_notional": "100"},
    {"id": 3, "exchange": "simulated", "base": "ETH", "quote": "USDT", "price_scale": 2, "qty_scale": 4,
     "tick_size": "0.01", "lot_size": "0.0001", "min_notional": "5"}
  ]})"),
                                              "instruments.json");
}

/// Generous limits: each test tightens the one it is about. No rate limits, no balance checks.
inline nlohmann::json baseRules() {
  return nlohmann::json::parse(R"({
    "global": {"max_open_orders": 100},
    "venues": {
      "simulated": {"rate_limit": "none", "check_balance": false},
      "binance_futures": {"rate_limit": "none"}
    },
    "instruments": {
      "simulated:BTC-USDT": {"max_order_qty": "10", "max_order_notional": "1000000", "max_position": "100", "price_band_bps": 1000},
      "simulated:ETH-USDT": {"max_order_qty": "100", "max_order_notional": "1000000", "max_position": "1000", "price_band_bps": 1000},
      "binance_futures:BTCUSDT": {"max_order_qty": "10", "max_order_notional": "1000000", "max_position": "100", "price_band_bps": 1000}
    },
    "strategies": {"1": {"name": "one"}, "2": {"name": "two"}}
  })");
}

/// A registry and a manager built from `rules`, with reference prices BTC 30000, ETH 2000.
struct RiskHarness {
  config::InstrumentRegistry registry;
  managers::RiskManager risk;

  explicit RiskHarness(const nlohmann::json& rules, bool feedReferences = true)
      : registry(testRegistry()), risk(managers::RiskLimits::fromJson(rules, "rules.json", registry), registry) {
    if (feedReferences) {
      risk.onReferencePrice(kBtc, px(30000));
      risk.onReferencePrice(kEth, px(2000));
      risk.onReferencePrice(kFutBtc, px(30000));
    }
  }
};

/// A request with sane defaults: a New GTC limit buy of strategy 1 on simulated BTC-USDT.
struct Order {
  common::OrderRequest r{};

  Order() {
    static common::ClientOrderId next = 1;
    r.header = common::makeHeader<common::OrderRequest>(ExchangeId::Simulated, kBtc, 0, 0);
    r.client_order_id = next++;
    r.action = OrderAction::New;
    r.side = Side::Buy;
    r.type = OrderType::Limit;
    r.tif = common::TimeInForce::GTC;
    r.strategy_id = 1;
    r.price = px(30000);
    r.qty = btc(0.01);
  }
  Order& buy(int64_t qty, int64_t price) { return side(Side::Buy, qty, price); }
  Order& sell(int64_t qty, int64_t price) { return side(Side::Sell, qty, price); }
  Order& side(Side s, int64_t qty, int64_t price) {
    r.side = s;
    r.qty = qty;
    r.price = price;
    return *this;
  }
  Order& on(common::InstrumentId id, ExchangeId venue) {
    r.header.instrument_id = id;
    r.header.exchange_id = venue;
    return *this;
  }
  Order& strategy(common::StrategyId s) {
    r.strategy_id = s;
    return *this;
  }
  Order& type(OrderType t) {
    r.type = t;
    if (t == OrderType::Market) r.price = 0;
    return *this;
  }
  Order& modifies(common::ClientOrderId orig) {
    r.action = OrderAction::Modify;
    r.orig_client_order_id = orig;
    return *this;
  }
  Order& cancels(common::ClientOrderId orig) {
    r.action = OrderAction::Cancel;
    r.orig_client_order_id = orig;
    return *this;
  }
  common::ClientOrderId id() const { return r.client_order_id; }
  operator const common::OrderRequest&() const { return r; }
};

/// check() then, when accepted, onAccepted(): what the executor does with each request.
inline managers::RiskDecision submit(managers::RiskManager& risk, const common::OrderRequest& r,
                                     common::TimestampNs now = kT0) {
  const managers::RiskDecision d = risk.check(r, now);
  if (d.accepted()) risk.onAccepted(r);
  return d;
}

}  // namespace hft::test
