#pragma once
// Small Beast servers on 127.0.0.1 (an ephemeral port), each on its own thread, for the
// transport tests. The header keeps Beast out of the test files.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hft::net::test {

struct ServerTls {
  bool enabled = false;
  std::string cert_pem;
  std::string key_pem;
};

struct HttpTestRequest {
  std::string method;
  std::string target;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(const std::string& name) const;  // case-insensitive; "" if absent
};

enum class HttpAction {
  Respond,          ///< answer, keep the connection
  RespondAndClose,  ///< answer with "Connection: close", then close
  RespondThenDrop,  ///< answer as keep-alive, then close silently (idle close)
  Ignore,           ///< never answer; keep the connection open
};

struct HttpTestReply {
  HttpAction action = HttpAction::Respond;
  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class HttpTestServer {
 public:
  /// Called on the server thread; `index` counts requests over all connections from 0.
  using Handler = std::function<HttpTestReply(const HttpTestRequest&, uint64_t index)>;
  explicit HttpTestServer(Handler handler, ServerTls tls = {});
  ~HttpTestServer();
  uint16_t port() const;
  uint64_t connectionsAccepted() const;
  uint64_t requestsReceived() const;
  uint64_t connectionsClosedByServer() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

enum class WsBehavior {
  Echo,                    ///< echo every text frame (and answer pings)
  SilentAfterFirstFrame,   ///< read one frame, then neither read (no pongs) nor write
};

class WsTestServer {
 public:
  /// Chooses the behaviour of connection `index` (0, 1, ...).
  using Policy = std::function<WsBehavior(uint64_t index)>;
  explicit WsTestServer(Policy policy, ServerTls tls = {});
  ~WsTestServer();
  uint16_t port() const;
  uint64_t connectionsAccepted() const;
  /// Every text frame received, over all connections, in order.
  std::vector<std::string> received() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hft::net::test
