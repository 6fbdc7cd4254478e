#pragma once
// exchange_simulator's engine: a local Binance-protocol venue on loopback. One io thread runs a
// Boost.Beast HTTP + WebSocket server on one port, the clock-driven market (Venue) and the
// routing (RequestRouter). Public header of hft_exchange_sim; Beast stays in the .cpp.
//
//   REST         /api/v3/... (spot) or /fapi/v1|v2|v3/... (USD-M), /sim/fault, /sim/state
//   market data  /stream?streams=a/b (combined), /ws/<stream> (raw); USD-M also
//                /public/stream?streams=.., /market/stream?streams=..; live SUBSCRIBE/UNSUBSCRIBE
//   WS API       /ws-api/v3 (spot): order.place, order.cancel, order.status, openOrders.status,
//                account.status, time, userDataStream.subscribe.signature
//   user data    spot: in the WS API session that subscribed; USD-M: /private/ws/<listenKey>
//                (also /ws/<listenKey>)
// With VenueConfig::protocol = Upbit or Bithumb instead: /websocket/v1 (quotation requests:
// trade, orderbook, ticker), GET /v1/orderbook|ticker|market/all, JWT order entry (POST /v1/orders,
// DELETE|GET /v1/order, open orders, GET /v1/accounts) and the private stream
// /websocket/v1|v2/private (myOrder, myAsset); the same /sim/fault and /sim/state.
#include <cstdint>
#include <memory>
#include <string>

#include "config/InstrumentRegistry.h"
#include "execution_engine/exchange_sim/RateLimiter.h"
#include "execution_engine/exchange_sim/VenueConfig.h"

namespace hft::execution_engine::exchange_sim {

struct SimulatorOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 18480;             ///< 0 = ephemeral (port() says which)
  VenueConfig venue;
  std::string api_key;               ///< accepted key / access key ("" = no signed request is accepted)
  std::string api_secret;            ///< its secret (copied into a locked signer, then wiped here)
  RateLimits limits;
  std::string capture_path;          ///< non-empty: capture mode (replay this file, no synthetic market)
  double capture_speed = 1.0;        ///< capture pacing; 0 = as fast as the client reads
  int64_t tick_ms = 5;               ///< how often the market clock advances
  int64_t ws_ping_interval_ms = 20000;  ///< server pings (Binance spot: 20 s)
};

class ExchangeSimulator {
 public:
  /// Validates and builds everything (throws std::invalid_argument / std::runtime_error). The
  /// registry must outlive the simulator.
  ExchangeSimulator(const config::InstrumentRegistry& registry, SimulatorOptions options);
  ~ExchangeSimulator();
  ExchangeSimulator(const ExchangeSimulator&) = delete;
  ExchangeSimulator& operator=(const ExchangeSimulator&) = delete;

  /// Binds, listens and starts the io thread. Throws when the address cannot be bound.
  void start();
  /// Stops the io thread and closes every connection (idempotent).
  void stop();
  /// The bound port (after start()).
  uint16_t port() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hft::execution_engine::exchange_sim
