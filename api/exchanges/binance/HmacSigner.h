#pragma once
// HMAC-SHA256 signatures for Binance signed requests (REST and WebSocket API), on OpenSSL 3's
// EVP_MAC. The secret never leaves this class: no accessor returns it, nothing prints it.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

struct evp_mac_ctx_st;  // OpenSSL's EVP_MAC_CTX: keeps <openssl/evp.h> out of this header

namespace hft::api::binance {

/// Signs payloads with one secret key.
///
/// The secret is copied once, at construction, into its own page that is mlock()ed (never
/// swapped out) and madvise(MADV_DONTDUMP)ed (never in a core dump), and wiped with
/// OPENSSL_cleanse on destruction. The same construction keys one EVP_MAC_CTX; each signature
/// re-initialises it with a NULL key, which keeps the key schedule (ipad/opad states). That was
/// measured against EVP_MAC_CTX_dup of a keyed template and kept because it is about twice as
/// fast (bench_sign, figures in bench/RESULTS.md). OpenSSL's own copy of the key schedule lives
/// in its heap; a process that wants that locked too enables CRYPTO_secure_malloc_init().
///
/// Not thread-safe: a signature mutates the context, so use one signer per thread. The sign
/// functions never throw and do not allocate in this code (OpenSSL 3.0 itself mallocs twice per
/// re-init, to copy the digest state: see bench_sign's openssl_allocs counter).
class HmacSigner {
 public:
  static constexpr size_t kDigestBytes = 32;  ///< SHA-256
  static constexpr size_t kHexChars = 64;     ///< the signature as the venue wants it
  static constexpr size_t kMaxSecretBytes = 1024;

  /// Start-up only. Throws std::invalid_argument on an empty or oversized secret,
  /// std::system_error when the page cannot be mapped or locked (RLIMIT_MEMLOCK), and
  /// std::runtime_error when OpenSSL refuses to set up HMAC-SHA256.
  explicit HmacSigner(std::string_view secret);
  ~HmacSigner();
  HmacSigner(const HmacSigner&) = delete;
  HmacSigner& operator=(const HmacSigner&) = delete;

  /// out = hex(HMAC-SHA256(secret, payload)) in lower case (the venue accepts either case),
  /// no NUL. false only when OpenSSL fails; `out` is then unspecified.
  [[nodiscard]] bool signHex(std::string_view payload, std::span<char, kHexChars> out) noexcept;
  /// The same over the concatenation of `parts`, without building it: a REST request whose
  /// parameters are split between query string and body is signed over both back to back
  /// (no '&' between them).
  [[nodiscard]] bool signHex(std::span<const std::string_view> parts, std::span<char, kHexChars> out) noexcept;
  /// Raw digest of the concatenation of `parts`.
  [[nodiscard]] bool sign(std::span<const std::string_view> parts, std::span<uint8_t, kDigestBytes> out) noexcept;

  /// True when the secret's page is locked in RAM (always, once constructed: failure throws).
  bool secretLocked() const noexcept { return locked_; }

  /// Lower-case hex of `bytes` into out (2 chars per byte). Exposed for the WebSocket client.
  static void toHex(std::span<const uint8_t> bytes, char* out) noexcept;

 private:
  bool rekey() noexcept;    // re-initialises the context from the locked secret (recovery path)
  void release() noexcept;  // frees the context, wipes, unlocks and unmaps the page (idempotent)

  unsigned char* page_ = nullptr;  // mmap'd page holding the secret, locked and excluded from dumps
  size_t pageBytes_ = 0;
  size_t secretBytes_ = 0;
  bool locked_ = false;
  evp_mac_ctx_st* ctx_ = nullptr;  // keyed once; re-initialised per signature
};

}  // namespace hft::api::binance
