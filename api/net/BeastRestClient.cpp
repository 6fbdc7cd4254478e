#include "api/net/BeastRestClient.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <utility>  // before Asio: boost 1.74 awaitable.hpp uses std::exchange without it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "api/net/SlotRing.h"
#include "api/net/Url.h"
#include "api/net/detail/Tls.h"
#include "common/Clock.h"

namespace hft::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using interfaces::HttpHeader;
using interfaces::HttpMethod;
using interfaces::RestRequest;
using interfaces::RestResponse;
using interfaces::SubmitStatus;
using interfaces::TransportOutcome;

namespace {

constexpr size_t kMaxRequestHeaders = 16;

/// Caller -> I/O thread. Buffers reserved at construction; the caller only assign()s within them.
struct RequestSlot {
  HttpMethod method = HttpMethod::Get;
  uint64_t id = 0;
  std::string target;
  std::string body;
  std::string header_block;  ///< name0 value0 name1 value1 ... back to back
  std::array<std::pair<uint32_t, uint32_t>, kMaxRequestHeaders> header_lens{};
  uint32_t header_count = 0;
};

/// I/O thread -> caller. The I/O thread may grow the buffers (never the caller).
struct ResponseSlot {
  uint64_t id = 0;
  TransportOutcome outcome = TransportOutcome::Ok;
  uint16_t status = 0;
  int64_t sent_ns = 0;
  int64_t received_ns = 0;
  std::string body;
  std::string header_block;
  std::vector<HttpHeader> headers;  ///< views into header_block
};

http::verb toVerb(HttpMethod m) noexcept {
  switch (m) {
    case HttpMethod::Get: return http::verb::get;
    case HttpMethod::Post: return http::verb::post;
    case HttpMethod::Put: return http::verb::put;
    case HttpMethod::Delete: return http::verb::delete_;
  }
  return http::verb::get;
}

std::chrono::nanoseconds nanos(int64_t ns) noexcept { return std::chrono::nanoseconds(ns); }

/// Which outcome a failed write/read means. Only a failed connect is NotSent (handled apart).
TransportOutcome classify(const boost::system::error_code& ec) noexcept {
  if (ec == beast::error::timeout) return TransportOutcome::Timeout;
  if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message)
    return TransportOutcome::BadResponse;
  return TransportOutcome::Disconnected;
}

}  // namespace

struct BeastRestClient::Impl {
  RestClientConfig cfg;
  Url url;
  std::string host_header;
  asio::io_context ioc{1};  // first member: destroyed last, after every socket
  asio::ssl::context ssl_ctx;
  tcp::resolver resolver{ioc};
  SlotRing<RequestSlot> requests;
  SlotRing<ResponseSlot> responses;
  asio::posix::stream_descriptor wake{ioc};  // eventfd: the caller's "new request" doorbell
  int wake_fd = -1;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  std::thread thread;
  std::atomic<bool> running{false};
  bool started = false;

  // Caller-thread only.
  uint64_t submitted = 0;
  uint64_t completed = 0;

  // Stats (I/O thread writes, anyone reads).
  std::atomic<uint64_t> connections_opened{0}, connect_failures{0}, requests_written{0}, timeouts{0}, disconnects{0};

  explicit Impl(RestClientConfig c)
      : cfg(std::move(c)),
        url(Url::parse(cfg.base_url)),
        host_header(url.hostHeader()),
        ssl_ctx(url.tls() ? detail::makeClientContext(cfg.tls) : asio::ssl::context(asio::ssl::context::tls_client)),
        requests(cfg.max_in_flight,
                 [this](RequestSlot& s) {
                   s.target.reserve(cfg.max_target_bytes);
                   s.body.reserve(cfg.max_body_bytes);
                   s.header_block.reserve(cfg.max_header_bytes);
                 }),
        responses(cfg.max_in_flight, [](ResponseSlot& s) {
          s.body.reserve(4096);
          s.header_block.reserve(1024);
          s.headers.reserve(32);
        }) {
    if (url.scheme != "http" && url.scheme != "https") throw std::invalid_argument("REST client: base_url must be http:// or https://");
    if (cfg.max_in_flight == 0 || cfg.connect_timeout_ns <= 0 || cfg.request_timeout_ns <= 0)
      throw std::invalid_argument("REST client: max_in_flight and timeouts must be > 0");
    wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    wake.assign(wake_fd);  // owns the fd from here on
  }

  bool connected() const noexcept { return plain.has_value() || tls.has_value(); }
  beast::tcp_stream& lowest() noexcept { return plain ? *plain : beast::get_lowest_layer(*tls); }

  void closeConnection() noexcept {
    if (plain) {
      boost::system::error_code ec;
      plain->socket().shutdown(tcp::socket::shutdown_both, ec);
      plain->close();
      plain.reset();
    }
    if (tls) {
      beast::get_lowest_layer(*tls).close();  // no TLS close_notify: the connection is abandoned anyway
      tls.reset();
    }
    buffer.clear();
  }

  /// A kept-alive connection is reusable only if nothing is readable on it: a FIN (the server
  /// closed it while idle), a reset, or stray bytes all mean "open a new one" before writing,
  /// so a request is not written into a connection already known to be dead.
  bool idleConnectionUsable() noexcept {
    pollfd p{lowest().socket().native_handle(), POLLIN | POLLRDHUP, 0};
    return ::poll(&p, 1, 0) == 0;
  }

  asio::awaitable<bool> connect() {
    using asio::redirect_error;
    using asio::use_awaitable;
    boost::system::error_code ec;
    auto endpoints = co_await resolver.async_resolve(url.host, std::to_string(url.port), redirect_error(use_awaitable, ec));
    if (ec) co_return false;
    beast::tcp_stream* low = nullptr;
    if (url.tls()) {
      tls.emplace(ioc, ssl_ctx);
      if (!detail::prepareTlsConnection(tls->native_handle(), url.host, cfg.tls.verify_peer)) {
        tls.reset();
        co_return false;
      }
      low = &beast::get_lowest_layer(*tls);
    } else {
      plain.emplace(ioc);
      low = &*plain;
    }
    low->expires_after(nanos(cfg.connect_timeout_ns));
    co_await low->async_connect(endpoints, redirect_error(use_awaitable, ec));
    if (!ec) {
      low->socket().set_option(tcp::no_delay(true), ec);
      ec = {};
      if (tls) co_await tls->async_handshake(asio::ssl::stream_base::client, redirect_error(use_awaitable, ec));
    }
    if (ec) {
      closeConnection();
      co_return false;
    }
    low->expires_never();
    connections_opened.fetch_add(1, std::memory_order_relaxed);
    co_return true;
  }

  void deliver(uint64_t id, TransportOutcome outcome, int64_t sent_ns, http::response<http::string_body>* res) noexcept {
    ResponseSlot* s = responses.claim();
    if (s == nullptr) return;  // cannot happen: the caller keeps in-flight <= slots
    s->id = id;
    s->outcome = outcome;
    s->sent_ns = sent_ns;
    s->received_ns = common::wallNowNs();
    s->status = 0;
    s->body.clear();
    s->header_block.clear();
    s->headers.clear();
    if (res != nullptr) {
      s->status = static_cast<uint16_t>(res->result_int());
      s->body.assign(res->body());
      for (const auto& f : *res) s->header_block.append(f.name_string().data(), f.name_string().size()).append(f.value().data(), f.value().size());
      const char* p = s->header_block.data();  // views only after the block is complete
      for (const auto& f : *res) {
        const std::string_view name(p, f.name_string().size());
        p += name.size();
        const std::string_view value(p, f.value().size());
        p += value.size();
        s->headers.push_back({name, value});
      }
    }
    responses.publish();
  }

  template <class Stream>
  asio::awaitable<void> exchange(Stream& stream, const http::request<http::string_body>& req, uint64_t id) {
    using asio::redirect_error;
    using asio::use_awaitable;
    auto& low = beast::get_lowest_layer(stream);
    low.expires_after(nanos(cfg.request_timeout_ns));  // one deadline for write + whole answer
    const int64_t sent_ns = common::wallNowNs();
    requests_written.fetch_add(1, std::memory_order_relaxed);
    boost::system::error_code ec;
    co_await http::async_write(stream, req, redirect_error(use_awaitable, ec));
    http::response_parser<http::string_body> parser;
    parser.body_limit(cfg.max_response_body_bytes);
    if (!ec) co_await http::async_read(stream, buffer, parser, redirect_error(use_awaitable, ec));
    if (ec) {
      const TransportOutcome outcome = classify(ec);
      (outcome == TransportOutcome::Timeout ? timeouts : disconnects).fetch_add(1, std::memory_order_relaxed);
      closeConnection();  // `stream` is gone from here on
      deliver(id, outcome, sent_ns, nullptr);
      co_return;
    }
    low.expires_never();
    auto& res = parser.get();
    const bool keep = res.keep_alive();
    deliver(id, TransportOutcome::Ok, sent_ns, &res);
    if (!keep) closeConnection();
  }

  asio::awaitable<void> execute(const http::request<http::string_body>& req, uint64_t id) {
    if (connected() && !idleConnectionUsable()) closeConnection();
    if (!connected()) {
      // (co_await kept out of conditions: GCC 12 miscompiles co_await inside && and ?:)
      const bool up = co_await connect();
      if (!up) {
        connect_failures.fetch_add(1, std::memory_order_relaxed);
        deliver(id, TransportOutcome::NotSent, 0, nullptr);
        co_return;
      }
    }
    if (tls)
      co_await exchange(*tls, req, id);
    else
      co_await exchange(*plain, req, id);
  }

  http::request<http::string_body> build(const RequestSlot& s) const {
    http::request<http::string_body> req{toVerb(s.method), s.target.empty() ? beast::string_view("/") : beast::string_view(s.target), 11};
    req.set(http::field::host, host_header);
    req.set(http::field::user_agent, cfg.user_agent);
    const char* p = s.header_block.data();
    for (uint32_t i = 0; i < s.header_count; ++i) {
      const beast::string_view name(p, s.header_lens[i].first);
      p += name.size();
      const beast::string_view value(p, s.header_lens[i].second);
      p += value.size();
      req.set(name, value);
    }
    req.body() = s.body;
    req.keep_alive(true);
    req.prepare_payload();
    return req;
  }

  /// The I/O thread's one agent: takes requests in order and runs each to its outcome.
  asio::awaitable<void> run() {
    for (;;) {
      while (RequestSlot* s = requests.front()) {
        const auto req = build(*s);
        const uint64_t id = s->id;
        requests.pop();
        co_await execute(req, id);
      }
      uint64_t count = 0;
      boost::system::error_code ec;
      co_await wake.async_read_some(asio::buffer(&count, sizeof count), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
    }
  }
};

BeastRestClient::BeastRestClient(RestClientConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}

BeastRestClient::~BeastRestClient() { stop(); }

void BeastRestClient::start() {
  Impl& m = *impl_;
  if (m.started) throw std::logic_error("REST client: start() called twice");
  m.started = true;
  asio::co_spawn(m.ioc, m.run(), [](std::exception_ptr e) {
    if (e) std::fputs("hft_net: REST client I/O coroutine ended with an exception\n", stderr);
  });
  m.running.store(true, std::memory_order_release);
  m.thread = std::thread([&m] { m.ioc.run(); });
}

void BeastRestClient::stop() noexcept {
  Impl& m = *impl_;
  m.running.store(false, std::memory_order_release);
  m.ioc.stop();  // pending operations are abandoned; their handlers die with the io_context
  if (m.thread.joinable()) m.thread.join();
}

SubmitStatus BeastRestClient::submit(const RestRequest& r) noexcept {
  Impl& m = *impl_;
  if (!m.running.load(std::memory_order_acquire)) return SubmitStatus::NotRunning;
  if (m.submitted - m.completed >= m.cfg.max_in_flight) return SubmitStatus::QueueFull;
  if (r.target.size() > m.cfg.max_target_bytes || r.body.size() > m.cfg.max_body_bytes ||
      r.headers.size() > kMaxRequestHeaders)
    return SubmitStatus::TooLarge;
  size_t headerBytes = 0;
  for (const HttpHeader& h : r.headers) headerBytes += h.name.size() + h.value.size();
  if (headerBytes > m.cfg.max_header_bytes) return SubmitStatus::TooLarge;
  RequestSlot* s = m.requests.claim();
  if (s == nullptr) return SubmitStatus::QueueFull;
  s->method = r.method;
  s->id = r.request_id;
  s->target.assign(r.target.data(), r.target.size());  // within the reserved capacity: no allocation
  s->body.assign(r.body.data(), r.body.size());
  s->header_block.clear();
  s->header_count = 0;
  for (const HttpHeader& h : r.headers) {
    s->header_block.append(h.name.data(), h.name.size()).append(h.value.data(), h.value.size());
    s->header_lens[s->header_count++] = {static_cast<uint32_t>(h.name.size()), static_cast<uint32_t>(h.value.size())};
  }
  m.requests.publish();
  ++m.submitted;
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t w = ::write(m.wake_fd, &one, sizeof one);  // only fails at 2^64-1
  return SubmitStatus::Queued;
}

size_t BeastRestClient::poll(interfaces::IRestResponseHandler& handler, size_t max) noexcept {
  Impl& m = *impl_;
  size_t n = 0;
  while (n < max) {
    ResponseSlot* s = m.responses.front();
    if (s == nullptr) break;
    RestResponse r;
    r.request_id = s->id;
    r.outcome = s->outcome;
    r.status = s->status;
    r.sent_ns = s->sent_ns;
    r.received_ns = s->received_ns;
    r.headers = std::span<const HttpHeader>(s->headers.data(), s->headers.size());
    r.body = s->body;
    handler.onResponse(r);
    m.responses.pop();
    ++m.completed;
    ++n;
  }
  return n;
}

RestClientStats BeastRestClient::stats() const noexcept {
  const Impl& m = *impl_;
  constexpr auto r = std::memory_order_relaxed;
  return {m.connections_opened.load(r), m.connect_failures.load(r), m.requests_written.load(r), m.timeouts.load(r),
          m.disconnects.load(r)};
}

}  // namespace hft::net
