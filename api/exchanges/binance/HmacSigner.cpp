#include "api/exchanges/binance/HmacSigner.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace hft::api::binance {

namespace {

/// Keys `ctx` for HMAC-SHA256 (start-up and recovery).
bool keyMac(EVP_MAC_CTX* ctx, const unsigned char* key, size_t keyLen) noexcept {
  char digest[] = "SHA256";  // OSSL_PARAM wants a mutable pointer
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  return EVP_MAC_init(ctx, key, keyLen, params) == 1;
}

/// "00".."ff": one table load per byte instead of two nibble lookups.
struct HexPairs {
  char pair[256][2];
  constexpr HexPairs() : pair{} {
    constexpr char kDigits[] = "0123456789abcdef";
    for (int b = 0; b < 256; ++b) {
      pair[b][0] = kDigits[b >> 4];
      pair[b][1] = kDigits[b & 0x0f];
    }
  }
};
constexpr HexPairs kHexPairs;

}  // namespace

HmacSigner::HmacSigner(std::string_view secret) {
  if (secret.empty() || secret.size() > kMaxSecretBytes)
    throw std::invalid_argument("HmacSigner: the secret must be 1.." + std::to_string(kMaxSecretBytes) + " bytes");
  const long page = sysconf(_SC_PAGESIZE);
  pageBytes_ = page > 0 ? static_cast<size_t>(page) : 4096;
  void* p = mmap(nullptr, pageBytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "HmacSigner: mmap of the secret page");
  page_ = static_cast<unsigned char*>(p);
  // Lock before writing the secret, so that it is never in swappable memory.
  if (mlock(page_, pageBytes_) != 0) {
    const int err = errno;
    munmap(page_, pageBytes_);
    throw std::system_error(err, std::generic_category(),
                            "HmacSigner: mlock of the secret page (raise RLIMIT_MEMLOCK, `ulimit -l`)");
  }
  locked_ = true;
  // Best effort: a kernel without MADV_DONTDUMP still gets a locked page.
  (void)madvise(page_, pageBytes_, MADV_DONTDUMP);
  std::memcpy(page_, secret.data(), secret.size());
  secretBytes_ = secret.size();

  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac != nullptr) {
    ctx_ = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);  // the context holds its own reference
  }
  if (ctx_ == nullptr || !keyMac(ctx_, page_, secretBytes_)) {
    release();
    throw std::runtime_error("HmacSigner: OpenSSL could not set up HMAC-SHA256");
  }
}

HmacSigner::~HmacSigner() { release(); }

void HmacSigner::release() noexcept {
  EVP_MAC_CTX_free(ctx_);  // OpenSSL clears its key copy on free
  ctx_ = nullptr;
  if (page_ != nullptr) {
    OPENSSL_cleanse(page_, pageBytes_);
    if (locked_) munlock(page_, pageBytes_);
    munmap(page_, pageBytes_);
    page_ = nullptr;
  }
}

bool HmacSigner::rekey() noexcept { return keyMac(ctx_, page_, secretBytes_); }

bool HmacSigner::sign(std::span<const std::string_view> parts, std::span<uint8_t, kDigestBytes> out) noexcept {
  // A NULL key re-initialises with the key already set (the ipad/opad states are kept). A
  // failed re-init leaves the context unusable; keying it again from the locked copy recovers.
  if (EVP_MAC_init(ctx_, nullptr, 0, nullptr) != 1 && !rekey()) return false;
  for (std::string_view part : parts)
    if (EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(part.data()), part.size()) != 1) return false;
  size_t len = 0;
  return EVP_MAC_final(ctx_, out.data(), &len, out.size()) == 1 && len == kDigestBytes;
}

bool HmacSigner::signHex(std::span<const std::string_view> parts, std::span<char, kHexChars> out) noexcept {
  uint8_t digest[kDigestBytes];
  if (!sign(parts, digest)) return false;
  toHex(digest, out.data());
  return true;
}

bool HmacSigner::signHex(std::string_view payload, std::span<char, kHexChars> out) noexcept {
  return signHex(std::span<const std::string_view>(&payload, 1), out);
}

void HmacSigner::toHex(std::span<const uint8_t> bytes, char* out) noexcept {
  for (uint8_t b : bytes) {
    std::memcpy(out, kHexPairs.pair[b], 2);
    out += 2;
  }
}

}  // namespace hft::api::binance
