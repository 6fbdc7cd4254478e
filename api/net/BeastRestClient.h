#pragma once
// IRestApiClient over Boost.Beast: one persistent HTTP/1.1 keep-alive connection to one host
// (http:// or https://), driven by its own I/O thread. Beast stays in the .cpp.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "api/net/TlsConfig.h"
#include "interfaces/IRestApiClient.h"

namespace hft::net {

struct RestClientConfig {
  std::string base_url;                          ///< "https://api.binance.com" (a path is ignored)
  TlsConfig tls;
  int64_t connect_timeout_ns = 5'000'000'000;    ///< resolve + TCP connect + TLS handshake
  int64_t request_timeout_ns = 10'000'000'000;   ///< write + complete answer, per request
  size_t max_in_flight = 64;                     ///< submitted but not yet polled (slots)
  size_t max_target_bytes = 8192;                ///< per request, reserved per slot
  size_t max_body_bytes = 65536;                 ///< per request, reserved per slot
  size_t max_header_bytes = 2048;                ///< names + values of a request's headers
  size_t max_response_body_bytes = 64u << 20;    ///< larger answers are BadResponse
  std::string user_agent = "hft/0.1";
};

/// Counters, readable from any thread (relaxed).
struct RestClientStats {
  uint64_t connections_opened = 0;   ///< successful connects (1 + reconnects)
  uint64_t connect_failures = 0;
  uint64_t requests_written = 0;     ///< requests whose write began
  uint64_t timeouts = 0;
  uint64_t disconnects = 0;          ///< Disconnected + BadResponse outcomes
};

class BeastRestClient final : public interfaces::IRestApiClient {
 public:
  /// Validates the configuration (URL, limits); throws std::invalid_argument.
  explicit BeastRestClient(RestClientConfig config);
  ~BeastRestClient() override;
  BeastRestClient(const BeastRestClient&) = delete;
  BeastRestClient& operator=(const BeastRestClient&) = delete;

  void start() override;
  void stop() noexcept override;
  [[nodiscard]] interfaces::SubmitStatus submit(const interfaces::RestRequest& request) noexcept override;
  size_t poll(interfaces::IRestResponseHandler& handler, size_t max = SIZE_MAX) noexcept override;

  RestClientStats stats() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hft::net
