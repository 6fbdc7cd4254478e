#include "TestServers.h"

#include <utility>  // before Asio: boost 1.74 awaitable.hpp uses std::exchange without it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "interfaces/IRestApiClient.h"

namespace hft::net::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::redirect_error;
using asio::use_awaitable;

namespace {

/// Listener + io_context + thread shared by both servers.
struct ServerBase {
  asio::io_context ioc{1};
  ssl::context ctx{ssl::context::tls_server};
  tcp::acceptor acceptor{ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  bool tls = false;
  std::thread thread;
  std::atomic<uint64_t> accepted{0};

  explicit ServerBase(const ServerTls& t) : tls(t.enabled) {
    if (tls) {
      ctx.use_certificate_chain(asio::buffer(t.cert_pem));
      ctx.use_private_key(asio::buffer(t.key_pem), ssl::context::pem);
    }
  }
  void run() {
    thread = std::thread([this] { ioc.run(); });
  }
  void stop() {
    ioc.stop();
    if (thread.joinable()) thread.join();
  }
  asio::awaitable<void> sleepForever() {
    asio::steady_timer t(ioc);
    t.expires_after(std::chrono::hours(1));
    boost::system::error_code ec;
    co_await t.async_wait(redirect_error(use_awaitable, ec));
  }
};

}  // namespace

std::string HttpTestRequest::header(const std::string& name) const {
  for (const auto& [n, v] : headers)
    if (interfaces::headerNameEquals(n, name)) return v;
  return {};
}

// ---- HTTP -----------------------------------------------------------------------------------

struct HttpTestServer::Impl : ServerBase {
  Handler handler;
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> closed{0};

  Impl(Handler h, const ServerTls& t) : ServerBase(t), handler(std::move(h)) {}

  template <class Stream>
  asio::awaitable<void> serve(Stream& stream) {
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    for (;;) {
      http::request<http::string_body> req;
      co_await http::async_read(stream, buffer, req, redirect_error(use_awaitable, ec));
      if (ec) co_return;
      HttpTestRequest r;
      r.method = std::string(req.method_string());
      r.target = std::string(req.target());
      r.body = req.body();
      for (const auto& f : req) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
      const HttpTestReply reply = handler(r, requests.fetch_add(1));
      if (reply.action == HttpAction::Ignore) {
        co_await sleepForever();
        co_return;
      }
      http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
      for (const auto& [n, v] : reply.headers) res.set(n, v);
      res.body() = reply.body;
      res.keep_alive(reply.action != HttpAction::RespondAndClose);
      res.prepare_payload();
      co_await http::async_write(stream, res, redirect_error(use_awaitable, ec));
      if (ec) co_return;
      if (reply.action != HttpAction::Respond) {
        beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
        beast::get_lowest_layer(stream).close();
        closed.fetch_add(1);
        co_return;
      }
    }
  }

  asio::awaitable<void> connection(tcp::socket socket) {
    if (tls) {
      beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), ctx);
      boost::system::error_code ec;
      co_await stream.async_handshake(ssl::stream_base::server, redirect_error(use_awaitable, ec));
      if (!ec) co_await serve(stream);
    } else {
      beast::tcp_stream stream(std::move(socket));
      co_await serve(stream);
    }
  }

  asio::awaitable<void> acceptLoop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(redirect_error(use_awaitable, ec));
      if (ec) co_return;
      accepted.fetch_add(1);
      asio::co_spawn(ioc, connection(std::move(socket)), asio::detached);
    }
  }
};

HttpTestServer::HttpTestServer(Handler handler, ServerTls tls) : impl_(std::make_unique<Impl>(std::move(handler), tls)) {
  asio::co_spawn(impl_->ioc, impl_->acceptLoop(), asio::detached);
  impl_->run();
}
HttpTestServer::~HttpTestServer() { impl_->stop(); }
uint16_t HttpTestServer::port() const { return impl_->acceptor.local_endpoint().port(); }
uint64_t HttpTestServer::connectionsAccepted() const { return impl_->accepted.load(); }
uint64_t HttpTestServer::requestsReceived() const { return impl_->requests.load(); }
uint64_t HttpTestServer::connectionsClosedByServer() const { return impl_->closed.load(); }

// ---- WebSocket ------------------------------------------------------------------------------

struct WsTestServer::Impl : ServerBase {
  Policy policy;
  mutable std::mutex mutex;
  std::vector<std::string> texts;

  Impl(Policy p, const ServerTls& t) : ServerBase(t), policy(std::move(p)) {}

  template <class Ws>
  asio::awaitable<void> serve(Ws& ws, WsBehavior behavior) {
    boost::system::error_code ec;
    co_await ws.async_accept(redirect_error(use_awaitable, ec));
    if (ec) co_return;
    for (;;) {
      beast::flat_buffer buffer;
      co_await ws.async_read(buffer, redirect_error(use_awaitable, ec));
      if (ec) co_return;
      {
        std::lock_guard lock(mutex);
        texts.push_back(beast::buffers_to_string(buffer.data()));
      }
      if (behavior == WsBehavior::SilentAfterFirstFrame) {
        co_await sleepForever();  // no read pending: pings go unanswered
        co_return;
      }
      ws.text(true);
      co_await ws.async_write(buffer.data(), redirect_error(use_awaitable, ec));
      if (ec) co_return;
    }
  }

  asio::awaitable<void> connection(tcp::socket socket, WsBehavior behavior) {
    if (tls) {
      websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(std::move(socket), ctx);
      boost::system::error_code ec;
      co_await ws.next_layer().async_handshake(ssl::stream_base::server, redirect_error(use_awaitable, ec));
      if (!ec) co_await serve(ws, behavior);
    } else {
      websocket::stream<beast::tcp_stream> ws(std::move(socket));
      co_await serve(ws, behavior);
    }
  }

  asio::awaitable<void> acceptLoop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(redirect_error(use_awaitable, ec));
      if (ec) co_return;
      const WsBehavior behavior = policy(accepted.fetch_add(1));
      asio::co_spawn(ioc, connection(std::move(socket), behavior), asio::detached);
    }
  }
};

WsTestServer::WsTestServer(Policy policy, ServerTls tls) : impl_(std::make_unique<Impl>(std::move(policy), tls)) {
  asio::co_spawn(impl_->ioc, impl_->acceptLoop(), asio::detached);
  impl_->run();
}
WsTestServer::~WsTestServer() { impl_->stop(); }
uint16_t WsTestServer::port() const { return impl_->acceptor.local_endpoint().port(); }
uint64_t WsTestServer::connectionsAccepted() const { return impl_->accepted.load(); }
std::vector<std::string> WsTestServer::received() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->texts;
}

}  // namespace hft::net::test
