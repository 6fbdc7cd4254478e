#pragma once
// A fake Binance order-entry venue on 127.0.0.1 for the BinanceOrderGateway tests: one Beast
// server (own thread) speaking the documented subset - signed REST (/api/v3, /fapi/v1), the
// spot WebSocket API at /ws-api/v3 (order.place/cancel/status, userDataStream.subscribe.
// signature) and the futures user stream at /private/ws/<listenKey>. Signatures are checked
// (REST: the query string; WebSocket API: sorted params); bad ones get -1022. Tests script
// failures (-1021, 429, 5xx, silence) per request and push user-data events.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hft::test {

/// What the next order request (POST order / order.place) gets instead of an ack.
enum class NextOrderFault {
  None,
  Timestamp1021,  ///< 400 {"code":-1021}: refused, not executed
  TooMany429,     ///< 429 {"code":-1003} with Retry-After
  Internal500,    ///< 500 - and the order IS placed (unknown outcome on the client side)
  Silence,        ///< placed, but never answered (client timeout)
};

struct FakeOrder {
  std::string symbol, cid, side, type, tif, price, qty;
  uint64_t order_id = 0;
  std::string executed = "0";
  std::string status = "NEW";
};

class FakeBinanceOrderVenue {
 public:
  FakeBinanceOrderVenue(bool futures, std::string apiKey, std::string secret);
  ~FakeBinanceOrderVenue();
  FakeBinanceOrderVenue(const FakeBinanceOrderVenue&) = delete;
  FakeBinanceOrderVenue& operator=(const FakeBinanceOrderVenue&) = delete;

  std::string restUrl() const;
  std::string wsUrl() const;     ///< base for /private/ws/<key>
  std::string wsApiUrl() const;  ///< .../ws-api/v3

  // scripting
  void setNextOrderFault(NextOrderFault f, int count = 1);
  void setRetryAfterSeconds(int s) { retryAfter_ = s; }
  /// The next `n` order queries (GET order / order.status) are never answered.
  void setSilentQueries(int n) { silentQueries_ = n; }
  /// The ORDERS 10 s count the WebSocket API reports in each reply's rateLimits (limit 100).
  void setWsOrderCount10s(int n) { wsOrderCount_ = n; }
  /// Fills `cid` (fully) and pushes executionReport TRADE / ORDER_TRADE_UPDATE and a balance event.
  void fill(const std::string& cid, const std::string& price, const std::string& qty);
  /// Fills without telling anyone (as if the user stream was down).
  void fillSilently(const std::string& cid);
  void pushUserEvent(const std::string& eventJson);  ///< bare event; wrapped for the spot WS API
  void dropUserStreams();                            ///< closes user-data connections
  void expireListenKey();                            ///< futures: pushes listenKeyExpired, PUT -> -1125

  // observations
  int orderRequests(const std::string& cid) const;     ///< new-order requests naming this newClientOrderId
  int requestsTo(const std::string& pathPrefix) const; ///< REST requests whose target starts with it
  std::vector<std::string> restTargets() const;
  std::vector<std::string> wsApiFrames() const;        ///< every WebSocket API request received
  std::vector<std::string> listenKeysIssued() const;
  int userStreamConnections() const { return userConnections_.load(); }
  int subscriptions() const { return subscriptions_.load(); }
  int badSignatures() const { return badSignatures_.load(); }
  bool hasOrder(const std::string& cid) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::atomic<int> retryAfter_{2};
  std::atomic<int> silentQueries_{0};
  std::atomic<int> wsOrderCount_{1};
  std::atomic<int> userConnections_{0};
  std::atomic<int> subscriptions_{0};
  std::atomic<int> badSignatures_{0};
  friend struct Impl;
};

}  // namespace hft::test
