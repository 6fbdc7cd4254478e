#pragma once
// Drives one strategy through a real StrategyHost with crafted events: collects the order
// requests it makes and lets a test answer them with execution reports.
#include <memory>
#include <string>
#include <vector>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "config/ConfigError.h"
#include "strategy_engine/StrategyHost.h"
#include "strategy_engine/StrategyRegistry.h"

namespace hft::test {

/// Instruments used by strategy tests: 101 BTC-USDT (tick 0.01, lot 0.00001) and 102
/// ETH-USDT on the simulated venue; 1 BTCUSDT on binance, 5 KRW-BTC on upbit (arbitrage).
inline config::InstrumentRegistry testInstruments() {
  return config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 101, "exchange": "simulated", "base": "BTC", "quote": "USDT", "price_scale": 2, "qty_scale": 5,
     "tick_size": "0.01", "lot_size": "0.00001", "min_notional": "1"},
    {"id": 102, "exchange": "simulated", "base": "ETH", "quote": "USDT", "price_scale": 2, "qty_scale": 4,
     "tick_size": "0.01", "lot_size": "0.0001", "min_notional": "1"},
    {"id": 1, "exchange": "binance", "base": "BTC", "quote": "USDT", "venue_symbol": "BTCUSDT", "price_scale": 2,
     "qty_scale": 5, "tick_size": "0.01", "lot_size": "0.00001", "min_notional": "5"},
    {"id": 3, "exchange": "binance_futures", "base": "BTC", "quote": "USDT", "venue_symbol": "BTCUSDT",
     "price_scale": 2, "qty_scale": 3, "tick_size": "0.10", "lot_size": "0.001", "min_notional": "5"}
  ]})"), "test-instruments");
}

/// Creates a strategy the way strategy_runner does: through a StrategyRegistry, so unknown
/// and bad parameters are refused exactly as in production. `source` names the parameters in
/// error messages.
inline std::unique_ptr<strategy_engine::IStrategy> createStrategy(const std::string& name,
                                                                  strategy_engine::StrategyRegistry::Factory factory,
                                                                  const config::InstrumentRegistry& instruments,
                                                                  std::vector<common::InstrumentId> ids,
                                                                  const std::string& paramsJson,
                                                                  const std::string& source) {
  const nlohmann::json doc = nlohmann::json::parse(paramsJson);
  strategy_engine::StrategyRegistry registry;
  registry.add(name, "test", std::move(factory));
  strategy_engine::StrategyParams params(config::JsonNode(doc, source));
  return registry.create(name, params, {instruments, std::move(ids)});
}

/// The ConfigError message `create()` throws ("" when it succeeds).
template <class Create>
std::string configErrorOf(Create&& create) {
  try {
    create();
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}

class VectorSink final : public strategy_engine::IOrderSink {
 public:
  bool send(const common::OrderRequest& r) noexcept override {
    if (full) return false;
    sent.push_back(r);
    return true;
  }
  std::vector<common::OrderRequest> sent;
  bool full = false;
};

class StrategyHarness {
 public:
  StrategyHarness(std::unique_ptr<strategy_engine::IStrategy> strategy, std::vector<common::InstrumentId> instruments,
                  common::StrategyId id = 7)
      : registry_(testInstruments()), strategy_(std::move(strategy)),
        host_(registry_, strategy_engine::HostConfig{id, 1, std::move(instruments), 256, 256}, *strategy_, sink_) {
    host_.start();
  }

  strategy_engine::StrategyHost& host() { return host_; }
  const config::InstrumentRegistry& registry() const { return registry_; }
  std::vector<common::OrderRequest>& sent() { return sink_.sent; }
  VectorSink& sink() { return sink_; }

  /// A full two-sided book replacing what was there: levels as (price, qty) raw, best first.
  void book(common::InstrumentId id, common::TimestampNs t, std::vector<std::pair<int64_t, int64_t>> bids,
            std::vector<std::pair<int64_t, int64_t>> asks) {
    common::BookDelta d{};
    const auto* inst = registry_.byId(id);
    d.header = common::makeHeader<common::BookDelta>(inst->exchange, id, t, t);
    d.flags = common::BookDelta::kClearBook | common::BookDelta::kFromSnapshot;
    for (auto& [p, q] : bids) d.levels[d.count++] = {p, q, common::Side::Buy, {}};
    for (auto& [p, q] : asks) d.levels[d.count++] = {p, q, common::Side::Sell, {}};
    d.header.size = common::BookDelta::sizeFor(d.count);
    d.last_update_id = ++updateId_;
    host_.onEvent(d.header);
  }
  /// One level change.
  void level(common::InstrumentId id, common::TimestampNs t, common::Side side, int64_t price, int64_t qty) {
    common::BookDelta d{};
    const auto* inst = registry_.byId(id);
    d.header = common::makeHeader<common::BookDelta>(inst->exchange, id, t, t, common::BookDelta::sizeFor(1));
    d.count = 1;
    d.levels[0] = {price, qty, side, {}};
    d.last_update_id = ++updateId_;
    host_.onEvent(d.header);
  }
  void trade(common::InstrumentId id, common::TimestampNs t, int64_t price, int64_t qty, common::Side aggressor) {
    common::Trade tr{};
    const auto* inst = registry_.byId(id);
    tr.header = common::makeHeader<common::Trade>(inst->exchange, id, t, t);
    tr.price = price;
    tr.qty = qty;
    tr.aggressor = aggressor;
    tr.trade_id = ++tradeId_;
    host_.onEvent(tr.header);
  }
  void bbo(common::InstrumentId id, common::TimestampNs t, int64_t bid, int64_t bidQty, int64_t ask, int64_t askQty) {
    common::BestBidOffer b{};
    const auto* inst = registry_.byId(id);
    b.header = common::makeHeader<common::BestBidOffer>(inst->exchange, id, t, t);
    b.bid_price = bid;
    b.bid_qty = bidQty;
    b.ask_price = ask;
    b.ask_qty = askQty;
    host_.onEvent(b.header);
  }
  /// Answers a request: New (ack), fills, cancels, rejects.
  void report(const common::OrderRequest& r, common::ExecType type, common::TimestampNs t, int64_t lastPrice = 0,
              int64_t lastQty = 0, int64_t cumQty = 0, common::RejectReason reason = common::RejectReason::None) {
    common::ExecutionReport e{};
    e.header = common::makeHeader<common::ExecutionReport>(r.header.exchange_id, r.header.instrument_id, t, t);
    e.client_order_id = r.action == common::OrderAction::Cancel ? r.orig_client_order_id : r.client_order_id;
    e.strategy_id = r.strategy_id;
    e.exec_type = type;
    e.reject_reason = reason;
    e.side = r.side;
    e.order_type = r.type;
    e.order_price = r.price;
    e.last_price = lastPrice;
    e.last_qty = lastQty;
    e.cum_qty = cumQty;
    e.leaves_qty = r.qty - cumQty;
    common::setAsset(e.fee_asset, "USDT");
    host_.onEvent(e.header);
  }
  /// Fills a whole order at a price.
  void fill(const common::OrderRequest& r, common::TimestampNs t, int64_t price) {
    report(r, common::ExecType::Filled, t, price, r.qty, r.qty);
  }

 private:
  config::InstrumentRegistry registry_;
  std::unique_ptr<strategy_engine::IStrategy> strategy_;
  VectorSink sink_;
  strategy_engine::StrategyHost host_;
  uint64_t updateId_ = 0;
  uint64_t tradeId_ = 0;
};

}  // namespace hft::test
