#pragma once
// A fake Upbit / Bithumb order-entry venue on 127.0.0.1 for the UpbitOrderGateway tests: one
// Beast server (own thread) speaking the agreed subset (/tmp/prompts/upbit_protocol.md, kept in
// execution_engine/gateways/README.md): POST /v1/orders, DELETE and GET /v1/order, GET open
// orders, GET /v1/accounts, the private WebSocket (/websocket/v1/private, /websocket/v2/private).
// Every request's JWT is verified with api::shared::JwtSigner: the token is rebuilt from its own
// claims (nonce, timestamp) and the request's query string and must match byte for byte, its
// query_hash must be the SHA-512 of the query (POST: the body's pairs in body order), the
// nonce must be new, Bithumb's timestamp within 30 s. Failures answer 401 as the venue does
// (and a refused WebSocket upgrade). Tests script faults per order and push stream events.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/exchanges/upbit/Dialect.h"

namespace hft::test {

/// What the next POST /v1/orders gets instead of a 201.
enum class UpbitFault {
  None,
  InsufficientFunds,  ///< 400 insufficient_funds_bid / _ask
  InvalidPrice,       ///< 400 invalid_price_bid / _ask
  TooMany429,         ///< 429 too_many_requests
  Internal500,        ///< 500 - and the order IS placed (unknown outcome for the client)
  Silence,            ///< placed, never answered (client timeout)
};

class FakeUpbitOrderVenue {
 public:
  FakeUpbitOrderVenue(const api::upbit::Dialect& dialect, std::string accessKey, std::string secret);
  ~FakeUpbitOrderVenue();
  FakeUpbitOrderVenue(const FakeUpbitOrderVenue&) = delete;
  FakeUpbitOrderVenue& operator=(const FakeUpbitOrderVenue&) = delete;

  std::string restUrl() const;
  std::string privateWsUrl() const;  ///< .../websocket/v1/private (Bithumb: v2)

  // scripting
  void setNextOrderFault(UpbitFault f);
  /// The next `n` GET /v1/order are answered 429 too_many_requests.
  void setQueries429(int n);
  /// `sec` of the order group's Remaining-Req header on the following answers.
  void setOrderGroupRemaining(int sec);
  /// Fills `identifier` at `price` by `volume` (decimal texts): myOrder trade (+ done when
  /// complete) and a myAsset frame on the private stream.
  void fill(const std::string& identifier, const std::string& price, const std::string& volume);
  /// Fills it completely without telling anyone (as if the stream was down).
  void fillSilently(const std::string& identifier);
  void dropPrivateStreams();

  // observations
  int orderRequests(const std::string& identifier) const;  ///< POST /v1/orders naming it
  int requestsTo(const std::string& method, const std::string& pathPrefix) const;
  int jwtFailures() const { return jwtFailures_.load(); }
  int verifiedRequests() const { return verified_.load(); }
  int privateConnections() const { return connections_.load(); }
  std::vector<std::string> subscriptions() const;     ///< every frame received on the private stream ("PING" answered {"status":"UP"})
  std::vector<std::string> lastJwtPayloads() const;   ///< decoded JWT payloads, in order
  std::vector<std::string> postBodies() const;
  std::string uuidOf(const std::string& identifier) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::atomic<int> jwtFailures_{0};
  std::atomic<int> verified_{0};
  std::atomic<int> connections_{0};
  friend struct Impl;
};

}  // namespace hft::test
