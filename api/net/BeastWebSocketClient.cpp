#include "api/net/BeastWebSocketClient.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <utility>  // before Asio: boost 1.74 awaitable.hpp uses std::exchange without it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

#include "api/net/SlotRing.h"
#include "api/net/Url.h"
#include "api/net/detail/Tls.h"
#include "common/Clock.h"

namespace hft::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using interfaces::WsDisconnectReason;
using interfaces::WsSendStatus;
using interfaces::WsState;
using interfaces::WsStateChange;

namespace {

using PlainWs = websocket::stream<beast::tcp_stream>;
using TlsWs = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

enum class InKind : uint8_t { Message = 0, State = 1, SendDropped = 2 };

/// I/O thread -> caller: a frame, a state change or a dropped send, in the order they happened.
struct InboundSlot {
  InKind kind = InKind::Message;
  WsStateChange state{};
  std::string text;
  int64_t recv_ns = 0;
  uint64_t seq = 0;
  uint64_t tag = 0;
};

/// Caller -> I/O thread.
struct SendSlot {
  std::string text;
  bool resubscribe = false;
  uint64_t tag = 0;
};

struct OutFrame {
  std::string text;
  bool resubscribe = false;
  uint64_t tag = 0;
};

std::chrono::nanoseconds nanos(int64_t ns) noexcept { return std::chrono::nanoseconds(ns); }

}  // namespace

struct BeastWebSocketClient::Impl {
  WebSocketClientConfig cfg;
  Url url;
  std::string host_header;
  asio::io_context ioc{1};  // first member: destroyed last, after every socket and timer
  asio::ssl::context ssl_ctx;
  tcp::resolver resolver{ioc};
  SlotRing<InboundSlot> inbound;
  SlotRing<SendSlot> sends;
  asio::posix::stream_descriptor wake{ioc};  // eventfd: the caller's "new frame to send" doorbell
  int wake_fd = -1;
  asio::steady_timer writer_wake{ioc};      // cancelled to wake the writer
  asio::steady_timer retry_timer{ioc};
  asio::steady_timer age_timer{ioc};
  asio::steady_timer flush_timer{ioc};
  std::thread thread;
  std::atomic<bool> running{false};
  bool started = false;

  // I/O thread state.
  Backoff backoff;
  std::deque<InboundSlot> backlog;          // when the caller's slots are full
  size_t backlog_frames = 0;
  bool flush_armed = false;
  std::vector<OutFrame> subscriptions;      // re-sent, in order, on every connection
  std::deque<OutFrame> outbox;              // to write on the current connection
  bool connected = false;
  bool ever_connected = false;
  uint64_t generation = 0;                  // bumped per connection: stale writers stop
  beast::tcp_stream* current = nullptr;     // lowest layer of the live connection
  bool closing_for_age = false;
  bool closing_for_overflow = false;
  uint64_t seq = 0;

  std::atomic<uint64_t> connections_opened{0}, reconnect_count{0}, frames_received{0}, frames_sent{0},
      frames_dropped{0}, sends_dropped{0};

  explicit Impl(WebSocketClientConfig c)
      : cfg(std::move(c)),
        url(Url::parse(cfg.url)),
        host_header(url.hostHeader()),
        ssl_ctx(url.tls() ? detail::makeClientContext(cfg.tls) : asio::ssl::context(asio::ssl::context::tls_client)),
        inbound(cfg.inbound_slots, [this](InboundSlot& s) { s.text.reserve(cfg.inbound_reserve_bytes); }),
        sends(cfg.send_slots, [this](SendSlot& s) { s.text.reserve(cfg.max_send_bytes); }),
        backoff(cfg.backoff) {
    if (url.scheme != "ws" && url.scheme != "wss") throw std::invalid_argument("WebSocket client: url must be ws:// or wss://");
    if (cfg.connect_timeout_ns <= 0 || cfg.idle_timeout_ns <= 0 || cfg.max_connection_age_ns < 0)
      throw std::invalid_argument("WebSocket client: timeouts must be > 0");
    wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    wake.assign(wake_fd);
  }

  // ---- delivery to the caller, in order --------------------------------------------------

  static void copyInto(InboundSlot& dst, const InboundSlot& src) {
    dst.kind = src.kind;
    dst.state = src.state;
    dst.text.assign(src.text);  // keeps the slot's reserved buffer
    dst.recv_ns = src.recv_ns;
    dst.seq = src.seq;
    dst.tag = src.tag;
  }

  void flushBacklog() {
    while (!backlog.empty()) {
      InboundSlot* s = inbound.claim();
      if (s == nullptr) break;
      copyInto(*s, backlog.front());
      if (backlog.front().kind == InKind::Message) --backlog_frames;
      backlog.pop_front();
      inbound.publish();
    }
    if (!backlog.empty() && !flush_armed) {
      flush_armed = true;
      flush_timer.expires_after(std::chrono::milliseconds(1));
      flush_timer.async_wait([this](const boost::system::error_code&) {
        flush_armed = false;
        flushBacklog();
      });
    }
  }

  /// A free slot if nothing older is waiting in the backlog.
  InboundSlot* claimInOrder() {
    flushBacklog();
    return backlog.empty() ? inbound.claim() : nullptr;
  }

  void emit(InboundSlot&& ev) {
    if (InboundSlot* s = claimInOrder()) {
      copyInto(*s, ev);
      inbound.publish();
      return;
    }
    backlog.push_back(std::move(ev));
    flushBacklog();  // arms the retry timer
  }

  void emitState(WsState state, WsDisconnectReason reason = WsDisconnectReason::None, uint32_t attempt = 0,
                 int64_t delay_ns = 0) {
    InboundSlot ev;
    ev.kind = InKind::State;
    ev.state = {state, reason, attempt, delay_ns, reconnect_count.load(std::memory_order_relaxed), common::wallNowNs()};
    emit(std::move(ev));
  }

  void emitSendDropped(uint64_t tag) {
    sends_dropped.fetch_add(1, std::memory_order_relaxed);
    InboundSlot ev;
    ev.kind = InKind::SendDropped;
    ev.tag = tag;
    emit(std::move(ev));
  }

  void emitMessage(const char* data, size_t size, int64_t recv_ns) {
    ++seq;
    frames_received.fetch_add(1, std::memory_order_relaxed);
    if (InboundSlot* s = claimInOrder()) {  // the common case: straight into the slot
      s->kind = InKind::Message;
      s->text.assign(data, size);
      s->recv_ns = recv_ns;
      s->seq = seq;
      inbound.publish();
      return;
    }
    if (backlog_frames < cfg.max_backlog) {
      InboundSlot ev;
      ev.kind = InKind::Message;
      ev.text.assign(data, size);
      ev.recv_ns = recv_ns;
      ev.seq = seq;
      backlog.push_back(std::move(ev));
      ++backlog_frames;
      return;
    }
    // The caller is not keeping up: frames are being lost, so restart the stream (the
    // Reconnected state tells the gateway to resync) instead of silently skipping.
    frames_dropped.fetch_add(1, std::memory_order_relaxed);
    if (!closing_for_overflow && current != nullptr) {
      closing_for_overflow = true;
      current->close();
    }
  }

  // ---- sending ---------------------------------------------------------------------------

  void takeSend(SendSlot& s) {
    OutFrame f{s.text, s.resubscribe, s.tag};
    if (f.resubscribe) subscriptions.push_back(f);  // sent on every (re)connection
    if (connected) {
      outbox.push_back(std::move(f));
      writer_wake.cancel();
    } else if (!f.resubscribe) {
      emitSendDropped(f.tag);
    }
  }

  template <class Ws>
  asio::awaitable<void> writer(std::shared_ptr<Ws> ws, uint64_t gen) {
    boost::system::error_code ec;
    for (;;) {
      if (gen != generation || !connected) co_return;
      if (!outbox.empty()) {
        std::string text = std::move(outbox.front().text);
        outbox.pop_front();
        co_await ws->async_write(asio::buffer(text), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;  // the reader sees the broken connection and reconnects
        frames_sent.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      writer_wake.expires_at(asio::steady_timer::time_point::max());
      co_await writer_wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  asio::awaitable<void> pump() {
    for (;;) {
      while (SendSlot* s = sends.front()) {
        takeSend(*s);
        sends.pop();
      }
      uint64_t count = 0;
      boost::system::error_code ec;
      co_await wake.async_read_some(asio::buffer(&count, sizeof count), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
    }
  }

  // ---- one connection --------------------------------------------------------------------

  template <class Ws>
  std::shared_ptr<Ws> makeStream() {
    if constexpr (std::is_same_v<Ws, TlsWs>)
      return std::make_shared<Ws>(ioc, ssl_ctx);
    else
      return std::make_shared<Ws>(ioc);
  }

  static WsDisconnectReason classify(const boost::system::error_code& ec) noexcept {
    if (ec == beast::error::timeout) return WsDisconnectReason::DeadStream;
    if (ec == websocket::error::closed || ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::ssl::error::stream_truncated)
      return WsDisconnectReason::ClosedByPeer;
    return WsDisconnectReason::Error;
  }

  /// Connects, serves until the connection ends, and says why it ended.
  template <class Ws>
  asio::awaitable<WsDisconnectReason> session() {
    using asio::redirect_error;
    using asio::use_awaitable;
    boost::system::error_code ec;
    auto endpoints = co_await resolver.async_resolve(url.host, std::to_string(url.port), redirect_error(use_awaitable, ec));
    if (ec) co_return WsDisconnectReason::ConnectFailed;
    std::shared_ptr<Ws> ws = makeStream<Ws>();
    beast::tcp_stream& low = beast::get_lowest_layer(*ws);
    low.expires_after(nanos(cfg.connect_timeout_ns));
    co_await low.async_connect(endpoints, redirect_error(use_awaitable, ec));
    if (ec) co_return WsDisconnectReason::ConnectFailed;
    low.socket().set_option(tcp::no_delay(true), ec);
    if constexpr (std::is_same_v<Ws, TlsWs>) {
      if (!detail::prepareTlsConnection(ws->next_layer().native_handle(), url.host, cfg.tls.verify_peer))
        co_return WsDisconnectReason::ConnectFailed;
      low.expires_after(nanos(cfg.connect_timeout_ns));
      co_await ws->next_layer().async_handshake(asio::ssl::stream_base::client, redirect_error(use_awaitable, ec));
      if (ec) co_return WsDisconnectReason::ConnectFailed;
    }
    low.expires_never();  // from here the websocket stream runs its own timers
    websocket::stream_base::timeout opt{};
    opt.handshake_timeout = nanos(cfg.connect_timeout_ns);
    opt.idle_timeout = nanos(cfg.idle_timeout_ns);
    opt.keep_alive_pings = true;  // ping at idle/2; no traffic at all by idle -> beast::error::timeout
    ws->set_option(opt);
    std::string auth = cfg.authorization ? cfg.authorization() : std::string();
    ws->set_option(websocket::stream_base::decorator(
        [ua = cfg.user_agent, auth = std::move(auth)](websocket::request_type& req) {
          req.set(http::field::user_agent, ua);
          if (!auth.empty()) req.set(http::field::authorization, auth);
        }));
    ws->read_message_max(cfg.max_message_bytes);
    co_await ws->async_handshake(host_header, url.target, redirect_error(use_awaitable, ec));
    if (ec) co_return WsDisconnectReason::ConnectFailed;
    ws->text(true);

    // Up: report, then (re)send the subscriptions, then read.
    connections_opened.fetch_add(1, std::memory_order_relaxed);
    backoff.reset();
    ++generation;
    connected = true;
    current = &low;
    closing_for_age = closing_for_overflow = false;
    emitState(ever_connected ? WsState::Reconnected : WsState::Connected);
    ever_connected = true;
    outbox.clear();
    for (const OutFrame& f : subscriptions) outbox.push_back(f);
    asio::co_spawn(ioc, writer(ws, generation), [](std::exception_ptr) {});
    if (cfg.max_connection_age_ns > 0) {
      age_timer.expires_after(nanos(cfg.max_connection_age_ns));
      age_timer.async_wait([this, gen = generation](const boost::system::error_code& e) {
        if (e || gen != generation || current == nullptr) return;
        closing_for_age = true;
        current->close();
      });
    }

    beast::flat_buffer buffer;
    for (;;) {
      buffer.clear();
      co_await ws->async_read(buffer, redirect_error(use_awaitable, ec));
      if (ec) break;
      const auto data = buffer.data();
      emitMessage(static_cast<const char*>(data.data()), data.size(), common::wallNowNs());
    }

    // Down: stop this connection's writer and timer, drop what cannot be sent any more.
    const WsDisconnectReason reason = closing_for_age        ? WsDisconnectReason::MaxAge
                                      : closing_for_overflow ? WsDisconnectReason::Overflow
                                                             : classify(ec);
    connected = false;
    current = nullptr;
    ++generation;
    age_timer.cancel();
    writer_wake.cancel();
    for (const OutFrame& f : outbox)
      if (!f.resubscribe) emitSendDropped(f.tag);
    outbox.clear();
    low.close();
    co_return reason;
  }

  /// The I/O thread's agent: connect, serve, report, back off, again.
  asio::awaitable<void> run() {
    for (;;) {
      // (co_await kept out of ?: and conditions: GCC 12 miscompiles those)
      WsDisconnectReason reason;
      if (url.tls())
        reason = co_await session<TlsWs>();
      else
        reason = co_await session<PlainWs>();
      emitState(WsState::Disconnected, reason);
      const int64_t delay = backoff.next();
      reconnect_count.fetch_add(1, std::memory_order_relaxed);
      emitState(WsState::Reconnecting, WsDisconnectReason::None, backoff.attempt(), delay);
      boost::system::error_code ec;
      retry_timer.expires_after(nanos(delay));
      co_await retry_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }
};

BeastWebSocketClient::BeastWebSocketClient(WebSocketClientConfig config)
    : impl_(std::make_unique<Impl>(std::move(config))) {}

BeastWebSocketClient::~BeastWebSocketClient() { stop(); }

void BeastWebSocketClient::start() {
  Impl& m = *impl_;
  if (m.started) throw std::logic_error("WebSocket client: start() called twice");
  m.started = true;
  auto report = [](std::exception_ptr e) {
    if (e) std::fputs("hft_net: WebSocket client I/O coroutine ended with an exception\n", stderr);
  };
  asio::co_spawn(m.ioc, m.pump(), report);
  asio::co_spawn(m.ioc, m.run(), report);
  m.running.store(true, std::memory_order_release);
  m.thread = std::thread([&m] { m.ioc.run(); });
}

void BeastWebSocketClient::stop() noexcept {
  Impl& m = *impl_;
  m.running.store(false, std::memory_order_release);
  m.ioc.stop();  // pending operations are abandoned; their handlers die with the io_context
  if (m.thread.joinable()) m.thread.join();
}

WsSendStatus BeastWebSocketClient::send(std::string_view text, bool resubscribe, uint64_t tag) noexcept {
  Impl& m = *impl_;
  if (!m.running.load(std::memory_order_acquire)) return WsSendStatus::NotRunning;
  if (text.size() > m.cfg.max_send_bytes) return WsSendStatus::TooLarge;
  SendSlot* s = m.sends.claim();
  if (s == nullptr) return WsSendStatus::QueueFull;
  s->text.assign(text.data(), text.size());  // within the reserved capacity: no allocation
  s->resubscribe = resubscribe;
  s->tag = tag;
  m.sends.publish();
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t w = ::write(m.wake_fd, &one, sizeof one);
  return WsSendStatus::Queued;
}

size_t BeastWebSocketClient::poll(interfaces::IWebSocketHandler& handler, size_t max) noexcept {
  Impl& m = *impl_;
  size_t n = 0;
  while (n < max) {
    InboundSlot* s = m.inbound.front();
    if (s == nullptr) break;
    switch (s->kind) {
      case InKind::Message: handler.onMessage({s->text, s->recv_ns, s->seq}); break;
      case InKind::State: handler.onState(s->state); break;
      case InKind::SendDropped: handler.onSendDropped(s->tag); break;
    }
    m.inbound.pop();
    ++n;
  }
  return n;
}

uint64_t BeastWebSocketClient::reconnects() const noexcept {
  return impl_->reconnect_count.load(std::memory_order_relaxed);
}

WebSocketClientStats BeastWebSocketClient::stats() const noexcept {
  const Impl& m = *impl_;
  constexpr auto r = std::memory_order_relaxed;
  return {m.connections_opened.load(r), m.reconnect_count.load(r), m.frames_received.load(r),
          m.frames_sent.load(r), m.frames_dropped.load(r), m.sends_dropped.load(r)};
}

}  // namespace hft::net
