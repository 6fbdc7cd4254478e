#include "api/exchanges/shared/JwtSigner.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

namespace hft::api::shared {

const char* toString(JwtStatus s) noexcept {
  switch (s) {
    case JwtStatus::Ok: return "ok";
    case JwtStatus::BufferTooSmall: return "output buffer too small";
    case JwtStatus::BadNonce: return "bad nonce";
    case JwtStatus::CryptoError: return "OpenSSL error";
  }
  return "unknown";
}

namespace {

constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kHex[] = "0123456789abcdef";

/// Printable ASCII other than '"' and '\\': goes into a JSON string as is.
bool jsonSafe(std::string_view s) noexcept {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e || c == '"' || c == '\\') return false;
  }
  return true;
}

bool keyMac(EVP_MAC_CTX* ctx, JwtAlg alg, const unsigned char* key, size_t keyLen) noexcept {
  char sha256[] = "SHA256", sha512[] = "SHA512";  // OSSL_PARAM wants mutable pointers
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, alg == JwtAlg::HS256 ? sha256 : sha512, 0),
      OSSL_PARAM_construct_end()};
  return EVP_MAC_init(ctx, key, keyLen, params) == 1;
}

/// Appends to a fixed buffer; remembers overflow instead of checking every call.
struct Writer {
  char* p;
  size_t cap;
  size_t n = 0;
  bool overflow = false;
  void put(std::string_view s) noexcept {
    if (overflow || s.size() > cap - n) {
      overflow = true;
      return;
    }
    std::memcpy(p + n, s.data(), s.size());
    n += s.size();
  }
  void putInt(int64_t v) noexcept {
    char buf[24];
    size_t len = 0;
    uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    do {
      buf[sizeof buf - 1 - len++] = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (v < 0) buf[sizeof buf - 1 - len++] = '-';
    put({buf + sizeof buf - len, len});
  }
  void putB64(std::span<const uint8_t> bytes) noexcept {
    if (overflow) return;
    const size_t len = base64UrlEncode(bytes, {p + n, cap - n});
    if (len == 0 && !bytes.empty()) overflow = true;
    n += len;
  }
};

}  // namespace

size_t base64UrlEncode(std::span<const uint8_t> in, std::span<char> out) noexcept {
  const size_t need = base64UrlLength(in.size());
  if (need > out.size()) return 0;
  char* o = out.data();
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    *o++ = kB64Url[v >> 18];
    *o++ = kB64Url[(v >> 12) & 63];
    *o++ = kB64Url[(v >> 6) & 63];
    *o++ = kB64Url[v & 63];
  }
  const size_t rest = in.size() - i;
  if (rest == 1) {
    const uint32_t v = uint32_t{in[i]} << 16;
    *o++ = kB64Url[v >> 18];
    *o++ = kB64Url[(v >> 12) & 63];
  } else if (rest == 2) {
    const uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8);
    *o++ = kB64Url[v >> 18];
    *o++ = kB64Url[(v >> 12) & 63];
    *o++ = kB64Url[(v >> 6) & 63];
  }
  return need;
}

void formatUuidV4(std::span<const uint8_t, 16> random, std::span<char, 36> out) noexcept {
  uint8_t b[16];
  std::memcpy(b, random.data(), 16);
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char* o = out.data();
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *o++ = '-';
    *o++ = kHex[b[i] >> 4];
    *o++ = kHex[b[i] & 15];
  }
}

JwtSigner::JwtSigner(JwtAlg alg, JwtClaims claims, std::string_view accessKey, std::string_view secret)
    : alg_(alg), claims_(claims), accessKey_{} {
  if (alg != JwtAlg::HS256 && alg != JwtAlg::HS512) throw std::invalid_argument("JwtSigner: unknown algorithm");
  if (accessKey.empty() || accessKey.size() > kMaxAccessKeyBytes || !jsonSafe(accessKey))
    throw std::invalid_argument("JwtSigner: the access key must be 1.." + std::to_string(kMaxAccessKeyBytes) +
                                " printable ASCII characters without '\"' or '\\'");
  if (secret.empty() || secret.size() > kMaxSecretBytes)
    throw std::invalid_argument("JwtSigner: the secret must be 1.." + std::to_string(kMaxSecretBytes) + " bytes");
  std::memcpy(accessKey_, accessKey.data(), accessKey.size());
  accessKeyBytes_ = accessKey.size();

  const long page = sysconf(_SC_PAGESIZE);
  pageBytes_ = page > 0 ? static_cast<size_t>(page) : 4096;
  void* p = mmap(nullptr, pageBytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "JwtSigner: mmap of the secret page");
  page_ = static_cast<unsigned char*>(p);
  // Locked before the secret is written, so that it never sits in swappable memory.
  if (mlock(page_, pageBytes_) != 0) {
    const int err = errno;
    munmap(page_, pageBytes_);
    page_ = nullptr;
    throw std::system_error(err, std::generic_category(),
                            "JwtSigner: mlock of the secret page (raise RLIMIT_MEMLOCK, `ulimit -l`)");
  }
  locked_ = true;
  (void)madvise(page_, pageBytes_, MADV_DONTDUMP);  // best effort
  std::memcpy(page_, secret.data(), secret.size());
  secretBytes_ = secret.size();

  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac != nullptr) {
    mac_ = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);  // the context keeps its own reference
  }
  md_ = EVP_MD_CTX_new();
  sha512_ = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  if (mac_ == nullptr || md_ == nullptr || sha512_ == nullptr || !keyMac(mac_, alg_, page_, secretBytes_)) {
    release();
    throw std::runtime_error("JwtSigner: OpenSSL could not set up HMAC or SHA-512");
  }
}

JwtSigner::~JwtSigner() { release(); }

void JwtSigner::release() noexcept {
  EVP_MAC_CTX_free(mac_);
  mac_ = nullptr;
  EVP_MD_CTX_free(md_);
  md_ = nullptr;
  EVP_MD_free(sha512_);
  sha512_ = nullptr;
  if (page_ != nullptr) {
    OPENSSL_cleanse(page_, pageBytes_);
    if (locked_) munlock(page_, pageBytes_);
    munmap(page_, pageBytes_);
    page_ = nullptr;
  }
}

bool JwtSigner::queryHashHex(std::string_view query, std::span<char, kQueryHashHexChars> out) noexcept {
  unsigned char digest[64];
  unsigned int len = 0;
  if (EVP_DigestInit_ex(md_, sha512_, nullptr) != 1 || EVP_DigestUpdate(md_, query.data(), query.size()) != 1 ||
      EVP_DigestFinal_ex(md_, digest, &len) != 1 || len != 64)
    return false;
  for (unsigned i = 0; i < 64; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return true;
}

bool JwtSigner::mac(std::string_view signingInput, unsigned char* digest, size_t& digestLen) noexcept {
  // A NULL key re-initialises with the key already set; a failed re-init is recovered by
  // keying again from the locked copy.
  if (EVP_MAC_init(mac_, nullptr, 0, nullptr) != 1 && !keyMac(mac_, alg_, page_, secretBytes_)) return false;
  if (EVP_MAC_update(mac_, reinterpret_cast<const unsigned char*>(signingInput.data()), signingInput.size()) != 1)
    return false;
  return EVP_MAC_final(mac_, digest, &digestLen, 64) == 1;
}

JwtStatus JwtSigner::build(std::string_view nonce, int64_t timestampMs, std::string_view query, std::span<char> out,
                           size_t& length) noexcept {
  length = 0;
  if (nonce.empty() || nonce.size() > kMaxNonceBytes || !jsonSafe(nonce)) return JwtStatus::BadNonce;

  // The payload JSON in a local buffer, then both parts base64url'd straight into `out`.
  char payload[640];
  Writer pw{payload, sizeof payload};
  pw.put(R"({"access_key":")");
  pw.put(accessKey());
  pw.put(R"(","nonce":")");
  pw.put(nonce);
  pw.put("\"");
  if (claims_ == JwtClaims::Bithumb) {
    pw.put(R"(,"timestamp":)");
    pw.putInt(timestampMs);
  }
  if (!query.empty()) {
    char hash[kQueryHashHexChars];
    if (!queryHashHex(query, hash)) return JwtStatus::CryptoError;
    pw.put(R"(,"query_hash":")");
    pw.put({hash, sizeof hash});
    pw.put(R"(","query_hash_alg":"SHA512")");
  }
  pw.put("}");
  if (pw.overflow) return JwtStatus::BufferTooSmall;  // cannot happen with the limits above

  static constexpr std::string_view kHs256 = R"({"alg":"HS256","typ":"JWT"})";
  static constexpr std::string_view kHs512 = R"({"alg":"HS512","typ":"JWT"})";
  const std::string_view header = alg_ == JwtAlg::HS256 ? kHs256 : kHs512;

  Writer w{out.data(), out.size()};
  w.putB64({reinterpret_cast<const uint8_t*>(header.data()), header.size()});
  w.put(".");
  w.putB64({reinterpret_cast<const uint8_t*>(payload), pw.n});
  if (w.overflow) return JwtStatus::BufferTooSmall;
  unsigned char digest[64];
  size_t digestLen = 0;
  if (!mac({out.data(), w.n}, digest, digestLen)) return JwtStatus::CryptoError;
  w.put(".");
  w.putB64({digest, digestLen});
  if (w.overflow) return JwtStatus::BufferTooSmall;
  length = w.n;
  return JwtStatus::Ok;
}

JwtStatus JwtSigner::buildAuthorization(std::string_view nonce, int64_t timestampMs, std::string_view query,
                                        std::span<char> out, size_t& length) noexcept {
  length = 0;
  if (out.size() < kBearerPrefix.size()) return JwtStatus::BufferTooSmall;
  std::memcpy(out.data(), kBearerPrefix.data(), kBearerPrefix.size());
  size_t tokenLen = 0;
  const JwtStatus st = build(nonce, timestampMs, query, out.subspan(kBearerPrefix.size()), tokenLen);
  if (st == JwtStatus::Ok) length = kBearerPrefix.size() + tokenLen;
  return st;
}

}  // namespace hft::api::shared
