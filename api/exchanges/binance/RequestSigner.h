#pragma once
// Signed Binance requests: the parameter list an encoder fills (ParamList), the two signing
// rules (REST and WebSocket API) that turn it into what goes on the wire (RequestSigner), and
// the clock offset the `timestamp` parameter needs (ServerTimeOffset).
//
//   REST (spot /api/v3, USD-M /fapi/v1): the signed payload is exactly the query string (or
//   form body) as sent, percent-encoded, parameters in the order given:
//       symbol=BTCUSDT&side=BUY&...&recvWindow=5000&timestamp=1499827319559&signature=<hex>
//   WebSocket API: every parameter but `signature`, apiKey included, sorted by name (byte
//   order), joined as k=v with '&', values NOT percent-encoded:
//       apiKey=..&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&...
//   (test vectors: exchange-samples/binance/signing/hmac_sha256_test_vectors.json)
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "api/exchanges/binance/HmacSigner.h"
#include "common/Ids.h"

namespace hft::api::binance {

/// Request parameters in the order they were added, copied into a fixed arena: filling one
/// never allocates. Keys and values are stored as given (not encoded). Reusable via clear().
class ParamList {
 public:
  static constexpr size_t kMaxParams = 24;
  static constexpr size_t kArenaBytes = 2048;  ///< a 5-order batchOrders JSON is ~1 KB

  void clear() noexcept {
    count_ = 0;
    used_ = 0;
    overflowed_ = false;
  }
  /// Appends key=value. false when it does not fit; overflowed() then stays true until clear().
  bool add(std::string_view key, std::string_view value) noexcept;
  bool addUint(std::string_view key, uint64_t value) noexcept;
  bool addInt(std::string_view key, int64_t value) noexcept;
  /// `raw` at `scale` decimals as the shortest exact decimal: (1500, 3) -> "1.5",
  /// (900000, 2) -> "9000". No floating point anywhere.
  bool addDecimal(std::string_view key, int64_t raw, int scale) noexcept;

  size_t size() const noexcept { return count_; }
  bool overflowed() const noexcept { return overflowed_; }
  std::string_view key(size_t i) const noexcept { return {arena_ + entries_[i].keyOff, entries_[i].keyLen}; }
  std::string_view value(size_t i) const noexcept { return {arena_ + entries_[i].valueOff, entries_[i].valueLen}; }
  /// Value of the first parameter named `key`; "" when absent (tests, logs).
  std::string_view find(std::string_view key) const noexcept;

 private:
  struct Entry {
    uint16_t keyOff, keyLen, valueOff, valueLen;
  };
  bool store(std::string_view s, uint16_t& off, uint16_t& len) noexcept;

  Entry entries_[kMaxParams];
  char arena_[kArenaBytes];
  uint16_t count_ = 0;
  uint16_t used_ = 0;
  bool overflowed_ = false;
};

/// Writes `raw` at `scale` decimals as the shortest exact decimal ("1.5", "9000", "-0.01");
/// returns the length, 0 when `out` is too small or the scale is outside [0, 18].
size_t formatVenueDecimal(int64_t raw, int scale, std::span<char> out) noexcept;

/// Why a request could not be signed. Nothing is sent then.
enum class SignStatus : uint8_t {
  Ok = 0,
  BufferTooSmall = 1,    ///< the output buffer cannot hold the request
  ParamsOverflowed = 2,  ///< the ParamList overflowed while it was filled: the request is incomplete
  TooManyParams = 3,     ///< more parameters than the WebSocket API sort can hold
  CryptoError = 4,       ///< OpenSSL failed
};
const char* toString(SignStatus s) noexcept;

/// A signed request. Views point into the caller's output buffer.
struct SignedRequest {
  std::string_view text;       ///< REST: the whole query string/body to send, `signature` last.
                               ///< WebSocket API: the signed payload (sorted k=v&...), for logs and tests
  std::string_view signature;  ///< the 64 hex digits (REST: the tail of `text`)
  int64_t timestampMs = 0;     ///< the `timestamp` that was signed (WebSocket API: put it in params)
};

/// Signs requests for one API key. The secret goes straight into an HmacSigner; the API key
/// is kept because the WebSocket API signs it along (REST sends it as X-MBX-APIKEY).
/// One signer per thread (see HmacSigner). sign*() never throw and never allocate.
class RequestSigner {
 public:
  static constexpr size_t kMaxApiKeyBytes = 128;
  static constexpr int64_t kDefaultRecvWindowMs = 5000;  ///< the venue's default; max 60000

  /// Throws std::invalid_argument on an empty/oversized key or a recvWindow outside 0..60000
  /// (0 = do not send recvWindow), and whatever HmacSigner throws.
  RequestSigner(std::string_view apiKey, std::string_view secret, int64_t recvWindowMs = kDefaultRecvWindowMs);

  /// REST: out = <params percent-encoded, in order>&recvWindow=W&timestamp=T&signature=<hex>.
  [[nodiscard]] SignStatus signRest(const ParamList& params, int64_t timestampMs, std::span<char> out,
                                    SignedRequest& result) noexcept;
  /// WebSocket API: signs params + apiKey + recvWindow + timestamp sorted by name; `out`
  /// receives that payload. The caller sends every param, apiKey, recvWindow (when
  /// recvWindowMs() > 0), timestamp and result.signature in the request's "params" object.
  [[nodiscard]] SignStatus signWsApi(const ParamList& params, int64_t timestampMs, std::span<char> out,
                                     SignedRequest& result) noexcept;

  std::string_view apiKey() const noexcept { return {apiKey_, apiKeyBytes_}; }
  int64_t recvWindowMs() const noexcept { return recvWindowMs_; }

 private:
  HmacSigner hmac_;
  char apiKey_[kMaxApiKeyBytes];
  size_t apiKeyBytes_ = 0;
  int64_t recvWindowMs_;
};

/// Local clock -> the venue's clock, for the `timestamp` of signed requests. Binance refuses
/// (-1021) a timestamp 1000 ms or more ahead of its clock, or older than recvWindow, so the
/// offset errs on the side of "behind": a sample from GET /api/v3/time (or /fapi/v1/time)
/// gives serverTime, stamped somewhere between our send and receive; assuming it was stamped
/// at our receive time under-estimates the venue's clock by at most the round trip, never over.
/// No clock reads inside: the caller passes its times. Not thread-safe (the gateway thread).
class ServerTimeOffset {
 public:
  struct Config {
    common::TimestampNs maxRoundTripNs = 1'000'000'000;  ///< slower samples are not trusted
    uint32_t maxTimestampRetries = 1;  ///< re-sends after -1021 before giving up on one request
  };
  /// What to do after a request failed with a venue error code.
  enum class Retry : uint8_t {
    NotTimestampError = 0,  ///< not -1021: this class has no opinion
    ResyncThenRetry = 1,    ///< -1021: the request was not executed; re-sync (needsResync()), then
                            ///< re-send it with a fresh timestamp and the same client order id
    GiveUp = 2,             ///< -1021 again after maxTimestampRetries re-sends: fail the request
  };

  ServerTimeOffset() noexcept : ServerTimeOffset(Config{}) {}
  explicit ServerTimeOffset(Config config) noexcept : config_(config) {}

  /// One server-time round trip: `serverTimeMs` from the body, local send and receive times.
  /// false (sample ignored) when receive < send or the round trip exceeds maxRoundTripNs.
  bool onServerTime(int64_t serverTimeMs, common::TimestampNs sentNs, common::TimestampNs receivedNs) noexcept;
  /// `timestamp` (ms) for a request signed at local time `nowNs`.
  int64_t timestampMs(common::TimestampNs nowNs) const noexcept;
  /// A request failed with venue `code` on its `attempt`-th send (1 = the first).
  Retry onRejected(int32_t code, uint32_t attempt) noexcept;

  bool synced() const noexcept { return synced_; }
  /// A -1021 was seen since the last accepted sample: fetch the server time again.
  bool needsResync() const noexcept { return needsResync_; }
  /// venue clock - local clock, ns (0 before the first sample).
  common::TimestampNs offsetNs() const noexcept { return offsetNs_; }
  /// Round trip of the last accepted sample: the most the offset can be behind.
  common::TimestampNs uncertaintyNs() const noexcept { return roundTripNs_; }

 private:
  Config config_;
  common::TimestampNs offsetNs_ = 0;
  common::TimestampNs roundTripNs_ = 0;
  bool synced_ = false;
  bool needsResync_ = false;
};

}  // namespace hft::api::binance
