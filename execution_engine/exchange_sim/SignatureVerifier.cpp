#include "execution_engine/exchange_sim/SignatureVerifier.h"

#include <algorithm>
#include <array>

namespace hft::execution_engine::exchange_sim {

void SignatureVerifier::addKey(const std::string& apiKey, std::string_view secret) {
  signers_[apiKey] = std::make_unique<api::binance::HmacSigner>(secret);
}

bool SignatureVerifier::knowsKey(std::string_view apiKey) const noexcept { return signers_.find(apiKey) != signers_.end(); }

bool SignatureVerifier::verify(std::string_view apiKey, std::string_view payload, std::string_view signatureHex) {
  auto it = signers_.find(apiKey);
  if (it == signers_.end() || signatureHex.size() != api::binance::HmacSigner::kHexChars) return false;
  std::array<char, api::binance::HmacSigner::kHexChars> expected{};
  if (!it->second->signHex(payload, expected)) return false;
  for (size_t i = 0; i < expected.size(); ++i) {
    char c = signatureHex[i];
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (c != expected[i]) return false;
  }
  return true;
}

std::string SignatureVerifier::wsApiPayload(std::vector<std::pair<std::string, std::string>> params) {
  params.erase(std::remove_if(params.begin(), params.end(), [](const auto& p) { return p.first == "signature"; }),
               params.end());
  std::sort(params.begin(), params.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out.push_back('&');
    out.append(k).append("=").append(v);
  }
  return out;
}

}  // namespace hft::execution_engine::exchange_sim
