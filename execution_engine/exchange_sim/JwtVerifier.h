#pragma once
// The venue side of Upbit/Bithumb JWT authentication (exchange-samples/upbit/auth/auth.md,
// bithumb/NOTES.md; the client side is api/exchanges/shared JwtSigner):
//   Authorization: Bearer b64url(header).b64url(payload).b64url(HMAC(secret, header "." payload))
// The signature is checked with the algorithm the header's `alg` declares (HS256 or HS512) over
// the bytes received; then the claims: access_key known, query_hash = SHA-512 hex of the
// request's parameter string when it has parameters (query_hash_alg, when present, SHA512),
// Bithumb's `timestamp` within 30 s of the server clock, and a nonce never seen before (a
// nonce is remembered only once its token passed every other check).
//
// Failures name Upbit's error: "jwt_verification" (missing or malformed header, bad signature,
// bad query_hash, timestamp off) or "invalid_access_key" (unknown key) or "nonce_used"; all HTTP 401.
// Server code (io thread only): allocates, never logs the secret.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>

namespace hft::execution_engine::exchange_sim {

struct JwtFailure {
  std::string name;  ///< "" = verified
  std::string message;
  explicit operator bool() const noexcept { return !name.empty(); }
};

class JwtVerifier {
 public:
  static constexpr int64_t kTimestampWindowMs = 30'000;

  /// Accepts tokens of `accessKey` signed with `secret`. Start-up.
  void addKey(const std::string& accessKey, const std::string& secret);
  bool empty() const noexcept { return secrets_.empty(); }

  /// Checks the Authorization header value. `params` is the string the query_hash must cover
  /// ("" = a request without parameters: no query_hash needed, none checked). `requireTimestamp`
  /// (Bithumb) wants a `timestamp` claim within kTimestampWindowMs of `nowMs`.
  JwtFailure verify(std::string_view authorization, std::string_view params, bool requireTimestamp, int64_t nowMs);

  /// Lower-case hex SHA-512 of `text`.
  static std::string sha512Hex(std::string_view text);
  /// base64url (padding optional) -> bytes; false on a character outside the alphabet or a
  /// non-canonical last character (unused bits set).
  static bool base64UrlDecode(std::string_view in, std::string& out);

  size_t noncesSeen() const noexcept { return nonces_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> secrets_;
  std::unordered_set<std::string> nonces_;
};

}  // namespace hft::execution_engine::exchange_sim
