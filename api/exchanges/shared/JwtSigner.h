#pragma once
// Bearer tokens for the JWT-authenticated Korean venues (Upbit, Bithumb 2.x), on OpenSSL 3:
//
//   token = b64url(header) "." b64url(payload) "." b64url(HMAC(secret, b64url(header) "." b64url(payload)))
//   header  {"alg":"HS512","typ":"JWT"}            Upbit (HS512, as its docs now recommend)
//           {"alg":"HS256","typ":"JWT"}            Bithumb
//   payload {"access_key":K,"nonce":N[,"timestamp":T][,"query_hash":H,"query_hash_alg":"SHA512"]}
//
// base64url without padding; the secret is used as raw bytes (not base64-decoded); H is the
// lower-case hex SHA-512 of the exact query string (QueryString.h builds it); `timestamp`
// (ms since the epoch) is Bithumb's and only Bithumb's. The claims are written in that
// order: the venues verify the signature over the bytes sent and do not require canonical
// JSON, and the byte-exact test vectors (exchange-samples/upbit/auth/jwt_test_vectors_DERIVED.json)
// use that order.
//
// No clock and no random source inside: the caller passes the nonce (a fresh UUID per
// request, formatUuidV4() from 16 random bytes) and, for Bithumb, the time.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

struct evp_mac_ctx_st;  // OpenSSL's EVP_MAC_CTX
struct evp_md_ctx_st;   // OpenSSL's EVP_MD_CTX
struct evp_md_st;       // OpenSSL's EVP_MD

namespace hft::api::shared {

enum class JwtAlg : uint8_t {
  HS256 = 1,  ///< HMAC-SHA256 (Bithumb)
  HS512 = 2,  ///< HMAC-SHA512 (Upbit)
};

/// Which claims a venue wants besides access_key and nonce.
enum class JwtClaims : uint8_t {
  Upbit = 1,    ///< no timestamp claim
  Bithumb = 2,  ///< "timestamp": ms since the epoch, in every token
};

enum class JwtStatus : uint8_t {
  Ok = 0,
  BufferTooSmall = 1,  ///< `out` cannot hold the token
  BadNonce = 2,        ///< empty, longer than kMaxNonceBytes, or holds a character that needs JSON escaping
  CryptoError = 3,     ///< OpenSSL failed
};
const char* toString(JwtStatus s) noexcept;

/// Builds tokens for one API key pair.
///
/// The secret is copied once into its own page, mlock()ed and MADV_DONTDUMP'd, wiped with
/// OPENSSL_cleanse on destruction; nothing reads it back or prints it. One keyed EVP_MAC
/// context is re-initialised per token (as binance::HmacSigner does), one EVP_MD context
/// hashes queries. Not thread-safe: one builder per thread. build() never throws and does not
/// allocate in this code (OpenSSL 3.0 mallocs inside a MAC re-init; see binance/HmacSigner.h).
class JwtSigner {
 public:
  static constexpr size_t kMaxSecretBytes = 512;
  static constexpr size_t kMaxAccessKeyBytes = 128;
  static constexpr size_t kMaxNonceBytes = 64;
  static constexpr size_t kQueryHashHexChars = 128;  ///< SHA-512 as hex
  /// Largest token: header 36 + payload (with the longest key, nonce, hash, timestamp) ~620 + signature 86.
  static constexpr size_t kMaxTokenChars = 800;
  static constexpr std::string_view kBearerPrefix = "Bearer ";

  /// Start-up only. Throws std::invalid_argument on an empty or oversized secret or access
  /// key, or an access key with a character that would need JSON escaping ('"', '\\', control
  /// characters, non-ASCII); std::system_error when the secret's page cannot be mapped or
  /// locked (RLIMIT_MEMLOCK); std::runtime_error when OpenSSL refuses HMAC or SHA-512.
  JwtSigner(JwtAlg alg, JwtClaims claims, std::string_view accessKey, std::string_view secret);
  ~JwtSigner();
  JwtSigner(const JwtSigner&) = delete;
  JwtSigner& operator=(const JwtSigner&) = delete;

  /// Writes the token into `out` and its length into `length`. `query` is the string to
  /// hash ("" = a request without parameters: no query_hash claims). `timestampMs` is used
  /// with JwtClaims::Bithumb only.
  [[nodiscard]] JwtStatus build(std::string_view nonce, int64_t timestampMs, std::string_view query,
                                std::span<char> out, size_t& length) noexcept;
  /// The same preceded by "Bearer ": the Authorization header's value.
  [[nodiscard]] JwtStatus buildAuthorization(std::string_view nonce, int64_t timestampMs, std::string_view query,
                                             std::span<char> out, size_t& length) noexcept;
  /// Lower-case hex SHA-512 of `query` (the query_hash claim).
  [[nodiscard]] bool queryHashHex(std::string_view query, std::span<char, kQueryHashHexChars> out) noexcept;

  JwtAlg alg() const noexcept { return alg_; }
  std::string_view accessKey() const noexcept { return {accessKey_, accessKeyBytes_}; }
  bool secretLocked() const noexcept { return locked_; }

 private:
  void release() noexcept;
  bool mac(std::string_view signingInput, unsigned char* digest, size_t& digestLen) noexcept;

  JwtAlg alg_;
  JwtClaims claims_;
  char accessKey_[kMaxAccessKeyBytes];
  size_t accessKeyBytes_ = 0;
  unsigned char* page_ = nullptr;  // mmap'd page holding the secret: locked, not dumped
  size_t pageBytes_ = 0;
  size_t secretBytes_ = 0;
  bool locked_ = false;
  evp_mac_ctx_st* mac_ = nullptr;  // keyed once, re-initialised per token
  evp_md_ctx_st* md_ = nullptr;    // SHA-512 of queries
  evp_md_st* sha512_ = nullptr;     // fetched once: no implicit fetch (a lookup under a lock) per hash
};

/// base64url without padding of `in` into `out`; returns the length, 0 when `out` is too small.
size_t base64UrlEncode(std::span<const uint8_t> in, std::span<char> out) noexcept;
/// Length of base64url without padding of n bytes.
constexpr size_t base64UrlLength(size_t n) noexcept { return (n / 3) * 4 + (n % 3 == 0 ? 0 : n % 3 + 1); }

/// A version-4 UUID ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower case) from 16 random bytes:
/// the nonce. The caller owns the random source (no syscall here).
void formatUuidV4(std::span<const uint8_t, 16> random, std::span<char, 36> out) noexcept;

}  // namespace hft::api::shared
