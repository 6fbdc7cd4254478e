#pragma once
// A venue's REST endpoint as the gateways see it: requests are handed to an I/O thread, answers
// come back through poll() on the caller's thread. Venue-neutral (signing, encoding and parsing
// stay in api/exchanges/<venue>/).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace hft::interfaces {

/// HTTP method of a request.
enum class HttpMethod : uint8_t {
  Get = 0,
  Post = 1,
  Put = 2,
  Delete = 3,
};

/// One header: views, valid only as long as the object that handed them out says.
struct HttpHeader {
  std::string_view name;
  std::string_view value;
};

/// ASCII case-insensitive equality of header names.
constexpr bool headerNameEquals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

/// What happened to a request on the wire. Only NotSent means "safe to send again": after
/// Timeout, Disconnected or BadResponse the venue may have acted on it, so the caller must
/// query the venue (an order's state), never resend.
enum class TransportOutcome : uint8_t {
  Ok = 0,            ///< a complete HTTP response arrived (any status: 4xx/5xx are answers too)
  NotSent = 1,       ///< no connection could be made (resolve, connect, TLS handshake or
                     ///< certificate verification failed): nothing reached the venue
  Timeout = 2,       ///< sent (or partly sent), no complete answer within the request timeout:
                     ///< outcome unknown; the connection was closed
  Disconnected = 3,  ///< the connection broke after the request was (partly) written and before
                     ///< the answer was complete: outcome unknown
  BadResponse = 4,   ///< an answer arrived but could not be read (malformed, over the size
                     ///< limit): outcome unknown; the connection was closed
};

/// A request as the caller describes it. Everything is copied by submit(); the views need only
/// live for the call.
struct RestRequest {
  HttpMethod method = HttpMethod::Get;
  std::string_view target;               ///< path and query, e.g. "/api/v3/order?symbol=..."
  std::span<const HttpHeader> headers;   ///< extra headers (e.g. X-MBX-APIKEY, Content-Type)
  std::string_view body;                 ///< empty for none
  uint64_t request_id = 0;               ///< the caller's tag, echoed in the response
};

/// A response as poll() hands it to the handler. The views point into the client's slot and
/// are valid only during the onResponse call.
struct RestResponse {
  uint64_t request_id = 0;
  TransportOutcome outcome = TransportOutcome::Ok;
  uint16_t status = 0;                   ///< HTTP status; 0 unless outcome is Ok
  int64_t sent_ns = 0;                   ///< wall clock when the write began (0 if NotSent)
  int64_t received_ns = 0;               ///< wall clock when the answer was complete (or failed)
  std::span<const HttpHeader> headers;   ///< every response header, in wire order
  std::string_view body;

  /// The first header of that name (case-insensitive), or an empty view.
  std::string_view header(std::string_view name) const noexcept {
    for (const HttpHeader& h : headers)
      if (headerNameEquals(h.name, name)) return h.value;
    return {};
  }
  bool ok() const noexcept { return outcome == TransportOutcome::Ok; }
};

/// Result of submit(). Nothing was queued unless Queued.
enum class SubmitStatus : uint8_t {
  Queued = 0,      ///< handed to the I/O thread; exactly one response will come from poll()
  QueueFull = 1,   ///< as many requests in flight as the client has slots: poll, then retry
  TooLarge = 2,    ///< target, body or headers exceed the client's configured limits
  NotRunning = 3,  ///< start() was not called, or stop() was
};

/// Receives responses from poll(), on the polling thread.
class IRestResponseHandler {
 public:
  virtual ~IRestResponseHandler() = default;
  virtual void onResponse(const RestResponse& response) noexcept = 0;
};

/// One venue host's REST endpoint.
///
/// Threads: start()/stop() on a cold path (they may block, allocate and throw); submit() and
/// poll() on one caller thread (the "hot" one): they never block, lock or allocate.
/// Requests are sent in submission order, one at a time on one keep-alive connection; a
/// request is written at most once (no transparent retry).
class IRestApiClient {
 public:
  virtual ~IRestApiClient() = default;
  /// Starts the I/O thread. Throws on bad configuration (URL, CA file).
  virtual void start() = 0;
  /// Stops and joins the I/O thread. Requests still in flight get no response.
  virtual void stop() noexcept = 0;
  [[nodiscard]] virtual SubmitStatus submit(const RestRequest& request) noexcept = 0;
  /// Delivers up to `max` finished responses, in submission order; returns how many.
  virtual size_t poll(IRestResponseHandler& handler, size_t max = SIZE_MAX) noexcept = 0;
};

}  // namespace hft::interfaces
