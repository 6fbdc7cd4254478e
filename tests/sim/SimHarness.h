#pragma once
// Builders and a capturing harness for the simulated-venue tests. Events are made with the
// production makeHeader, the registry with the production loader, and the venue is driven
// only through its public calls.
#include <cstring>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/sim/Sim.h"

namespace hft::test {

using common::ExchangeId;
using common::ExecType;
using common::Liquidity;
using common::OrderType;
using common::RejectReason;
using common::Side;
using common::TimeInForce;
using common::TimestampNs;
using execution_engine::sim::LatencyModel;
using execution_engine::sim::QueueModel;
using execution_engine::sim::SimConfig;
using execution_engine::sim::SimulatedExchange;

/// Instrument 1: simulated BTC/USDT, prices at 2 decimals (tick 0.10 = raw 10), quantities at 3
/// (lot 0.010 = raw 10): raw price 10000 = 100.00, raw qty 1000 = 1.000, and 100.00 x 1.000 is an
/// amount of 100'00000000. Instrument 2: the same on binance_futures (for margin tests).
constexpr common::InstrumentId kSpot = 1;
constexpr common::InstrumentId kPerp = 2;
constexpr common::StrategyId kStrategy = 7;
constexpr int64_t kE8 = 100'000'000;  ///< 1.0 as an amount

inline config::InstrumentRegistry testRegistry() {
  const nlohmann::json doc = {{"instruments",
                               {{{"id", 1},
                                 {"exchange", "simulated"},
                                 {"base", "BTC"},
                                 {"quote", "USDT"},
                                 {"price_scale", 2},
                                 {"qty_scale", 3},
                                 {"tick_size", "0.10"},
                                 {"lot_size", "0.010"}},
                                {{"id", 2},
                                 {"exchange", "binance_futures"},
                                 {"base", "BTC"},
                                 {"quote", "USDT"},
                                 {"price_scale", 2},
                                 {"qty_scale", 3},
                                 {"tick_size", "0.10"},
                                 {"lot_size", "0.010"}}}}};
  return config::InstrumentRegistry::fromJson(doc, "test-instruments.json");
}

inline ExchangeId venueOf(common::InstrumentId id) {
  return id == kPerp ? ExchangeId::BinanceFutures : ExchangeId::Simulated;
}

/// A config with zero order and ack latency (most tests are about matching, not time).
inline SimConfig instantConfig(QueueModel q = QueueModel::Proportional) {
  SimConfig c;
  c.queue = q;
  c.order_latency = LatencyModel::constant(0);
  c.ack_latency = LatencyModel::constant(0);
  return c;
}

struct Lvl {
  Side side;
  int64_t price;
  int64_t qty;
};

inline common::BookSnapshot snapshot(TimestampNs t, std::initializer_list<common::BookLevel> bids,
                                     std::initializer_list<common::BookLevel> asks,
                                     common::InstrumentId instrument = kSpot) {
  common::BookSnapshot s{};
  s.header = common::makeHeader<common::BookSnapshot>(venueOf(instrument), instrument, t, t);
  for (const auto& l : bids) s.bids[s.bid_count++] = l;
  for (const auto& l : asks) s.asks[s.ask_count++] = l;
  return s;
}

inline common::BookDelta delta(TimestampNs t, std::initializer_list<Lvl> levels,
                               common::InstrumentId instrument = kSpot) {
  common::BookDelta d{};
  for (const Lvl& l : levels) d.levels[d.count++] = common::PriceLevelUpdate{l.price, l.qty, l.side, {}};
  d.header =
      common::makeHeader<common::BookDelta>(venueOf(instrument), instrument, t, t, common::BookDelta::sizeFor(d.count));
  return d;
}

inline common::Trade trade(TimestampNs t, int64_t price, int64_t qty, Side aggressor,
                           common::InstrumentId instrument = kSpot) {
  common::Trade x{};
  x.header = common::makeHeader<common::Trade>(venueOf(instrument), instrument, t, t);
  x.price = price;
  x.qty = qty;
  x.aggressor = aggressor;
  return x;
}

inline common::OrderRequest order(TimestampNs t, common::ClientOrderId id, Side side, OrderType type, TimeInForce tif,
                                  int64_t price, int64_t qty, common::InstrumentId instrument = kSpot) {
  common::OrderRequest r{};
  r.header = common::makeHeader<common::OrderRequest>(venueOf(instrument), instrument, t, t);
  r.action = common::OrderAction::New;
  r.client_order_id = id;
  r.side = side;
  r.type = type;
  r.tif = tif;
  r.price = price;
  r.qty = qty;
  r.strategy_id = kStrategy;
  r.request_ts_ns = t;
  return r;
}
inline common::OrderRequest limit(TimestampNs t, common::ClientOrderId id, Side side, int64_t price, int64_t qty,
                                  TimeInForce tif = TimeInForce::GTC, common::InstrumentId instrument = kSpot) {
  return order(t, id, side, OrderType::Limit, tif, price, qty, instrument);
}
inline common::OrderRequest market(TimestampNs t, common::ClientOrderId id, Side side, int64_t qty,
                                   common::InstrumentId instrument = kSpot) {
  return order(t, id, side, OrderType::Market, TimeInForce::IOC, 0, qty, instrument);
}
inline common::OrderRequest stop(TimestampNs t, common::ClientOrderId id, Side side, OrderType type, int64_t stopPrice,
                                 int64_t price, int64_t qty) {
  common::OrderRequest r = order(t, id, side, type, TimeInForce::GTC, price, qty);
  r.stop_price = stopPrice;
  return r;
}
inline common::OrderRequest cancelOf(TimestampNs t, common::ClientOrderId id, common::ClientOrderId orig) {
  common::OrderRequest r = order(t, id, Side::Buy, OrderType::Limit, TimeInForce::GTC, 0, 0);
  r.action = common::OrderAction::Cancel;
  r.orig_client_order_id = orig;
  return r;
}
inline common::OrderRequest modifyOf(TimestampNs t, common::ClientOrderId id, common::ClientOrderId orig, Side side,
                                     int64_t price, int64_t qty) {
  common::OrderRequest r = limit(t, id, side, price, qty);
  r.action = common::OrderAction::Modify;
  r.orig_client_order_id = orig;
  return r;
}

/// The venue under test, with every event it sends captured as bytes.
struct Harness {
  config::InstrumentRegistry registry = testRegistry();
  std::vector<common::EventBuffer> out;
  SimulatedExchange sim;

  explicit Harness(SimConfig c = instantConfig())
      : sim(registry, std::move(c), [this](const common::EventHeader& h) {
          common::EventBuffer b{};
          std::memcpy(b.bytes, &h, h.size);
          out.push_back(b);
        }) {}

  template <class E>
  void md(const E& e) {
    sim.onMarketData(e.header);
  }
  void send(const common::OrderRequest& r) { sim.onOrderRequest(r); }
  /// Sends and lets the venue handle it at the request's own time.
  void place(const common::OrderRequest& r) {
    sim.onOrderRequest(r);
    sim.advanceTo(r.request_ts_ns);
  }

  std::vector<common::ExecutionReport> reports() const {
    std::vector<common::ExecutionReport> v;
    for (const auto& b : out)
      if (b.header().type == common::EventType::ExecutionReport) v.push_back(b.as<common::ExecutionReport>());
    return v;
  }
  /// Reports about one client order id.
  std::vector<common::ExecutionReport> reportsFor(common::ClientOrderId id) const {
    std::vector<common::ExecutionReport> v;
    for (const auto& r : reports())
      if (r.client_order_id == id) v.push_back(r);
    return v;
  }
  std::vector<common::BalanceUpdate> balanceUpdates() const {
    std::vector<common::BalanceUpdate> v;
    for (const auto& b : out)
      if (b.header().type == common::EventType::BalanceUpdate) v.push_back(b.as<common::BalanceUpdate>());
    return v;
  }
  std::vector<ExecType> execTypes(common::ClientOrderId id) const {
    std::vector<ExecType> v;
    for (const auto& r : reportsFor(id)) v.push_back(r.exec_type);
    return v;
  }
};

}  // namespace hft::test
