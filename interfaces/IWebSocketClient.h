#pragma once
// A venue's WebSocket stream as the gateways see it: the connection lives on an I/O thread,
// text frames and connection state changes come back, in order, through poll() on the caller's
// thread. Venue-neutral.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hft::interfaces {

/// Connection state reported by poll(), in the order it happened.
enum class WsState : uint8_t {
  Connected = 1,     ///< the first connection is up (subscriptions were just sent)
  Disconnected = 2,  ///< the connection is gone (or could not be made); `reason` says why
  Reconnecting = 3,  ///< waiting `delay_ns` before connection attempt `attempt`
  Reconnected = 4,   ///< a later connection is up and the subscriptions were sent again: data
                     ///< may have been missed, resync (book snapshot, query open orders)
};

/// Why a connection ended.
enum class WsDisconnectReason : uint8_t {
  None = 0,           ///< (not a disconnect)
  ConnectFailed = 1,  ///< resolve, TCP connect, TLS (incl. certificate) or WS handshake failed
  ClosedByPeer = 2,   ///< the server closed (close frame, EOF, reset)
  DeadStream = 3,     ///< nothing (data, ping or pong) received for the idle timeout
  MaxAge = 4,         ///< closed by us before the configured maximum connection age
  Overflow = 5,       ///< the caller did not poll and the inbound backlog limit was hit;
                      ///< frames were dropped, so the connection was restarted
  Error = 6,          ///< any other read/write error
};

struct WsStateChange {
  WsState state = WsState::Connected;
  WsDisconnectReason reason = WsDisconnectReason::None;  ///< for Disconnected
  uint32_t attempt = 0;      ///< for Reconnecting: 1 for the first retry after a disconnect
  int64_t delay_ns = 0;      ///< for Reconnecting: the (jittered) wait before the attempt
  uint64_t reconnects = 0;   ///< reconnect attempts started so far
  int64_t ts_ns = 0;         ///< wall clock of the change
};

/// One received text frame. `text` points into the client's slot: valid only during the call.
struct WsMessage {
  std::string_view text;
  int64_t recv_ns = 0;       ///< wall clock when the frame was complete
  uint64_t seq = 0;          ///< per-client frame counter (1, 2, ...) over all connections
};

/// Receives frames and state changes from poll(), on the polling thread.
class IWebSocketHandler {
 public:
  virtual ~IWebSocketHandler() = default;
  virtual void onMessage(const WsMessage& message) noexcept = 0;
  virtual void onState(const WsStateChange& change) noexcept = 0;
  /// A non-resubscribe frame given to send() was dropped because no connection was up.
  virtual void onSendDropped(uint64_t tag) noexcept { (void)tag; }
};

/// Result of send().
enum class WsSendStatus : uint8_t {
  Queued = 0,      ///< handed to the I/O thread
  QueueFull = 1,   ///< the send queue is full: poll/wait, then retry
  TooLarge = 2,    ///< longer than the configured maximum frame
  NotRunning = 3,  ///< start() was not called, or stop() was
};

/// One WebSocket connection (URL from configuration), kept up by the I/O thread.
///
/// Threads: start()/stop() cold (may block, allocate, throw); send() and poll() on one caller
/// thread: they never block, lock or allocate.
class IWebSocketClient {
 public:
  virtual ~IWebSocketClient() = default;
  /// Starts the I/O thread, which connects (and reconnects) on its own. Throws on bad config.
  virtual void start() = 0;
  /// Closes and joins the I/O thread. No state change is reported for it.
  virtual void stop() noexcept = 0;
  /// Queues a text frame. `resubscribe`: remember it and send it again, in the original order,
  /// after every reconnect (subscriptions); such a frame given while disconnected is sent on
  /// the next connection. Other frames given while disconnected are dropped and reported by
  /// onSendDropped(tag).
  [[nodiscard]] virtual WsSendStatus send(std::string_view text, bool resubscribe, uint64_t tag = 0) noexcept = 0;
  /// Delivers up to `max` frames and state changes, in order; returns how many.
  virtual size_t poll(IWebSocketHandler& handler, size_t max = SIZE_MAX) noexcept = 0;
  /// Reconnect attempts started so far (any thread).
  virtual uint64_t reconnects() const noexcept = 0;
};

}  // namespace hft::interfaces
