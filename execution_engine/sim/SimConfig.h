#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "common/Ids.h"
#include "config/JsonNode.h"
#include "execution_engine/sim/LatencyModel.h"
#include "execution_engine/sim/QueueModel.h"
#include "execution_engine/sim/VenueFees.h"

namespace hft::execution_engine::sim {

/// How the simulated venue behaves: the "simulation" object of a backtest config (README.md
/// documents every key). Start-up only.
struct SimConfig {
  QueueModel queue = QueueModel::Proportional;
  /// Strategy decision -> venue arrival, in event time. Market data reaches the strategy at its
  /// venue time in a backtest, so this leg must also hold the market-data latency the live
  /// strategy would have had (venue -> datafeed -> strategy) as well as strategy -> executor ->
  /// venue.
  LatencyModel order_latency;
  /// Venue -> strategy for reports, on top of the venue time; 0 means reports reach the strategy
  /// with the same delay as market data (which order_latency already accounts for).
  LatencyModel ack_latency = LatencyModel::constant(0);
  /// Venues without an entry trade without fees.
  std::map<common::ExchangeId, VenueFees> fees;
  /// asset -> amount at common::kAmountScale. A venue without an entry is unfunded: its
  /// balances are not checked, not moved and not published.
  std::map<common::ExchangeId, std::map<std::string, int64_t>> balances;
  /// A venue listed here is a margin (futures) venue: an order reserves notional / leverage of
  /// the quote asset and positions may go short; 1 = fully funded margin. Unlisted venues are spot.
  std::map<common::ExchangeId, int> leverage;

  static constexpr int kMaxLeverage = 125;

  /// Reads and validates the "simulation" object. Throws config::ConfigError naming the file and
  /// the key path (e.g. "simulation.fees.binance.maker").
  static SimConfig fromJson(const config::JsonNode& node);
};

}  // namespace hft::execution_engine::sim
