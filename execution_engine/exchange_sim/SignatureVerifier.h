#pragma once
// Checks Binance request signatures the way the venue does: HMAC-SHA256 (hex) with the secret of
// the API key, over the REST totalParams (query string + body, signature removed) or over the
// WebSocket API payload (every param but signature, sorted by name, k=v joined by '&', raw values).
// The secret stays in api::binance::HmacSigner's locked page; nothing here logs or returns it.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/exchanges/binance/HmacSigner.h"

namespace hft::execution_engine::exchange_sim {

class SignatureVerifier {
 public:
  /// Registers one API key and its secret (start-up; HmacSigner may throw).
  void addKey(const std::string& apiKey, std::string_view secret);
  bool knowsKey(std::string_view apiKey) const noexcept;
  bool empty() const noexcept { return signers_.empty(); }

  /// True when `signatureHex` (either case) is the HMAC of `payload` under apiKey's secret.
  bool verify(std::string_view apiKey, std::string_view payload, std::string_view signatureHex);

  /// The WebSocket API payload of `params` (name, raw value): all but "signature", sorted by name.
  static std::string wsApiPayload(std::vector<std::pair<std::string, std::string>> params);

 private:
  std::map<std::string, std::unique_ptr<api::binance::HmacSigner>, std::less<>> signers_;
};

}  // namespace hft::execution_engine::exchange_sim
