#pragma once
// IWebSocketClient over Boost.Beast: one ws:// or wss:// connection kept up by its own I/O
// thread (ping/pong, dead-stream detection, maximum connection age, jittered exponential
// backoff, subscriptions re-sent after every reconnect). Beast stays in the .cpp.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/net/Backoff.h"
#include "api/net/TlsConfig.h"
#include "interfaces/IWebSocketClient.h"

namespace hft::net {

struct WebSocketClientConfig {
  std::string url;                                 ///< "wss://stream.binance.com:9443/stream?streams=btcusdt@depth@100ms"
  TlsConfig tls;
  int64_t connect_timeout_ns = 10'000'000'000;     ///< TCP connect, TLS and WS handshakes (each)
  int64_t idle_timeout_ns = 30'000'000'000;        ///< nothing received (data, ping, pong) for this
                                                   ///< long = dead stream -> reconnect; we ping
                                                   ///< after half of it without traffic
  int64_t max_connection_age_ns = 23LL * 3600 * 1'000'000'000;  ///< reconnect before this age
                                                   ///< (Binance cuts at 24 h); 0 = never
  BackoffConfig backoff;                           ///< waits between connection attempts
  size_t inbound_slots = 1024;                     ///< frames + state changes awaiting poll()
  size_t inbound_reserve_bytes = 2048;             ///< per slot, reserved at start-up
  size_t max_backlog = 65536;                      ///< frames held on the I/O side while the
                                                   ///< slots are full; more = Overflow reconnect
  size_t send_slots = 64;                          ///< frames queued by send()
  size_t max_send_bytes = 4096;                    ///< per frame given to send()
  size_t max_message_bytes = 16u << 20;            ///< larger inbound frames are an Error
  std::string user_agent = "hft/0.1";
  /// Optional: called on the I/O thread before every WebSocket handshake (each connection
  /// attempt); a non-empty result is sent as the upgrade request's `Authorization` header.
  /// For venues that authenticate the private stream with a per-connection token (Upbit,
  /// Bithumb: a JWT with a fresh nonce each time). Must not throw; must be safe to call from
  /// the I/O thread (it runs concurrently with the caller's thread).
  std::function<std::string()> authorization;
};

/// Counters, readable from any thread (relaxed).
struct WebSocketClientStats {
  uint64_t connections_opened = 0;
  uint64_t reconnects = 0;        ///< reconnect attempts started
  uint64_t frames_received = 0;
  uint64_t frames_sent = 0;
  uint64_t frames_dropped = 0;    ///< inbound frames lost to an Overflow
  uint64_t sends_dropped = 0;     ///< send() frames dropped while disconnected
};

class BeastWebSocketClient final : public interfaces::IWebSocketClient {
 public:
  /// Validates the configuration; throws std::invalid_argument (or std::runtime_error for an
  /// unreadable CA file).
  explicit BeastWebSocketClient(WebSocketClientConfig config);
  ~BeastWebSocketClient() override;
  BeastWebSocketClient(const BeastWebSocketClient&) = delete;
  BeastWebSocketClient& operator=(const BeastWebSocketClient&) = delete;

  void start() override;
  void stop() noexcept override;
  [[nodiscard]] interfaces::WsSendStatus send(std::string_view text, bool resubscribe, uint64_t tag = 0) noexcept override;
  size_t poll(interfaces::IWebSocketHandler& handler, size_t max = SIZE_MAX) noexcept override;
  uint64_t reconnects() const noexcept override;

  WebSocketClientStats stats() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hft::net
