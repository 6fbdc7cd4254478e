#include "execution_engine/exchange_sim/JwtVerifier.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <nlohmann/json.hpp>

namespace hft::execution_engine::exchange_sim {

namespace {
JwtFailure fail(const char* name, std::string message) { return JwtFailure{name, std::move(message)}; }

int b64Value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}
}  // namespace

void JwtVerifier::addKey(const std::string& accessKey, const std::string& secret) { secrets_[accessKey] = secret; }

bool JwtVerifier::base64UrlDecode(std::string_view in, std::string& out) {
  out.clear();
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = b64Value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  // A single leftover character (6 bits) is not base64; the unused low bits of the last character
  // must be zero, so each byte string has one spelling (no signature that verifies twice).
  return bits < 6 && (acc & ((1u << bits) - 1)) == 0;
}

std::string JwtVerifier::sha512Hex(std::string_view text) {
  unsigned char d[SHA512_DIGEST_LENGTH];
  SHA512(reinterpret_cast<const unsigned char*>(text.data()), text.size(), d);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof d);
  for (unsigned char b : d) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

JwtFailure JwtVerifier::verify(std::string_view authorization, std::string_view params, bool requireTimestamp,
                               int64_t nowMs) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.empty()) return fail("jwt_verification", "Authorization header is missing");
  if (!authorization.starts_with(kBearer)) return fail("jwt_verification", "Authorization is not a Bearer token");
  const std::string_view token = authorization.substr(kBearer.size());
  const size_t d1 = token.find('.');
  const size_t d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    return fail("jwt_verification", "token is not header.payload.signature");
  std::string headerText, payloadText, signature;
  if (!base64UrlDecode(token.substr(0, d1), headerText) ||
      !base64UrlDecode(token.substr(d1 + 1, d2 - d1 - 1), payloadText) ||
      !base64UrlDecode(token.substr(d2 + 1), signature))
    return fail("jwt_verification", "token part is not base64url");
  const auto header = nlohmann::json::parse(headerText, nullptr, false);
  const auto payload = nlohmann::json::parse(payloadText, nullptr, false);
  if (header.is_discarded() || !header.is_object())
    return fail("jwt_verification", "token header is not a JSON object");
  if (payload.is_discarded() || !payload.is_object())
    return fail("jwt_verification", "token payload is not a JSON object");
  const std::string alg = header.contains("alg") && header["alg"].is_string() ? header["alg"].get<std::string>() : "";
  const EVP_MD* md = alg == "HS512" ? EVP_sha512() : alg == "HS256" ? EVP_sha256() : nullptr;
  if (md == nullptr) return fail("jwt_verification", "header.alg must be HS256 or HS512, found '" + alg + "'");
  if (!payload.contains("access_key") || !payload["access_key"].is_string())
    return fail("jwt_verification", "payload.access_key is missing");
  const std::string accessKey = payload["access_key"].get<std::string>();
  const auto key = secrets_.find(accessKey);
  if (key == secrets_.end()) return fail("invalid_access_key", "unknown access key");
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int macLen = 0;
  const std::string_view signingInput = token.substr(0, d2);
  if (HMAC(md, key->second.data(), static_cast<int>(key->second.size()),
           reinterpret_cast<const unsigned char*>(signingInput.data()), signingInput.size(), mac, &macLen) == nullptr)
    return fail("jwt_verification", "signature could not be computed");
  if (signature.size() != macLen || CRYPTO_memcmp(signature.data(), mac, macLen) != 0)
    return fail("jwt_verification", "signature does not verify (" + alg + ")");
  if (!payload.contains("nonce") || !payload["nonce"].is_string() || payload["nonce"].get<std::string>().empty())
    return fail("jwt_verification", "payload.nonce is missing");
  if (!params.empty()) {
    if (!payload.contains("query_hash") || !payload["query_hash"].is_string())
      return fail("jwt_verification", "payload.query_hash is missing for a request with parameters");
    if (payload.contains("query_hash_alg") && payload["query_hash_alg"] != "SHA512")
      return fail("jwt_verification", "payload.query_hash_alg must be SHA512");
    if (payload["query_hash"].get<std::string>() != sha512Hex(params))
      return fail("jwt_verification", "payload.query_hash does not match the request's parameters");
  }
  if (requireTimestamp) {
    if (!payload.contains("timestamp") || !payload["timestamp"].is_number_integer())
      return fail("jwt_verification", "payload.timestamp is missing");
    const int64_t ts = payload["timestamp"].get<int64_t>();
    if (ts < nowMs - kTimestampWindowMs || ts > nowMs + kTimestampWindowMs)
      return fail("jwt_verification", "payload.timestamp is more than 30 s away from the server time");
  }
  if (!nonces_.insert(payload["nonce"].get<std::string>()).second) return fail("nonce_used", "nonce was used before");
  return {};
}

}  // namespace hft::execution_engine::exchange_sim
