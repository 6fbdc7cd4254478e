#pragma once
// Blocking wrappers over the project's own clients (api/net) for the simulator tests: one REST
// call at a time, and a WebSocket whose frames and state changes are collected.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "api/net/BeastRestClient.h"
#include "api/net/BeastWebSocketClient.h"
#include "common/Clock.h"

namespace hft::exchange_sim_test {

struct Reply {
  interfaces::TransportOutcome outcome = interfaces::TransportOutcome::NotSent;
  uint16_t status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(const std::string& name) const {
    for (const auto& [k, v] : headers)
      if (interfaces::headerNameEquals(k, name)) return v;
    return {};
  }
};

class Rest final : interfaces::IRestResponseHandler {
 public:
  explicit Rest(uint16_t port) : client_(config(port)) { client_.start(); }
  ~Rest() override { client_.stop(); }

  Reply call(interfaces::HttpMethod method, const std::string& target, const std::string& apiKey = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!apiKey.empty()) headers.emplace_back("X-MBX-APIKEY", apiKey);
    return call(method, target, headers, "");
  }
  /// Any headers and body (Upbit: Authorization and a JSON body).
  Reply call(interfaces::HttpMethod method, const std::string& target,
             const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
    std::vector<interfaces::HttpHeader> hs;
    for (const auto& [k, v] : headers) hs.push_back(interfaces::HttpHeader{k, v});
    interfaces::RestRequest r;
    r.method = method;
    r.target = target;
    r.headers = hs;
    r.body = body;
    done_ = false;
    reply_ = Reply{};
    if (client_.submit(r) != interfaces::SubmitStatus::Queued) return reply_;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done_ && std::chrono::steady_clock::now() < deadline) {
      client_.poll(*this);
      if (!done_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return reply_;
  }
  Reply get(const std::string& target, const std::string& apiKey = "") {
    return call(interfaces::HttpMethod::Get, target, apiKey);
  }

 private:
  static net::RestClientConfig config(uint16_t port) {
    net::RestClientConfig c;
    c.base_url = "http://127.0.0.1:" + std::to_string(port);
    c.request_timeout_ns = 5'000'000'000;
    return c;
  }
  void onResponse(const interfaces::RestResponse& r) noexcept override {
    reply_.outcome = r.outcome;
    reply_.status = r.status;
    reply_.body = std::string(r.body);
    for (const auto& h : r.headers) reply_.headers.emplace_back(std::string(h.name), std::string(h.value));
    done_ = true;
  }
  net::BeastRestClient client_;
  Reply reply_;
  bool done_ = false;
};

class Ws final : interfaces::IWebSocketHandler {
 public:
  Ws(uint16_t port, const std::string& path) : client_(config(port, path)) { client_.start(); }
  ~Ws() override { client_.stop(); }

  void send(const std::string& text) { (void)client_.send(text, false); }
  /// Polls until pred() or the deadline; true when pred() held.
  template <class P>
  bool waitFor(P pred, int ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
      client_.poll(*this);
      if (pred()) return true;
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  bool waitConnected() { return waitFor([&] { return connected; }); }

  std::vector<std::string> frames;
  std::vector<int64_t> recvNs;
  bool connected = false;
  int disconnects = 0;

 private:
  static net::WebSocketClientConfig config(uint16_t port, const std::string& path) {
    net::WebSocketClientConfig c;
    c.url = "ws://127.0.0.1:" + std::to_string(port) + path;
    c.backoff.initial_ns = 50'000'000;
    c.backoff.max_ns = 200'000'000;
    return c;
  }
  void onMessage(const interfaces::WsMessage& m) noexcept override {
    frames.emplace_back(m.text);
    recvNs.push_back(m.recv_ns);
  }
  void onState(const interfaces::WsStateChange& c) noexcept override {
    if (c.state == interfaces::WsState::Connected || c.state == interfaces::WsState::Reconnected) connected = true;
    if (c.state == interfaces::WsState::Disconnected) {
      connected = false;
      ++disconnects;
    }
  }
  net::BeastWebSocketClient client_;
};

}  // namespace hft::exchange_sim_test
