#pragma once
// Credentials of an UpbitOrderGateway (Upbit or Bithumb):
//
//   Upbit                    Bithumb                    else
//   HFT_UPBIT_ACCESS_KEY     HFT_BITHUMB_ACCESS_KEY     the key store entry (upbit:spot /
//   HFT_UPBIT_SECRET_KEY     HFT_BITHUMB_SECRET_KEY     bithumb:spot) via resolveCredentials
//
// Both variables set: they are used. One of them: an error naming the other. Neither: the key
// store's entry (resolveCredentials, which also accepts the generic HFT_<VENUE>_API_KEY /
// _API_SECRET pair). Nothing: an error naming both variables and the entry. Messages name
// variables and entries, never values; the secret goes straight into a SecureBuffer.
#include <optional>

#include "api/exchanges/upbit/Dialect.h"
#include "config/EnvLookup.h"
#include "config/keys/KeyId.h"
#include "execution_engine/gateways/UpbitOrderGatewayConfig.h"

namespace hft::config::keys {
class KeyStore;
}

namespace hft::execution_engine::gateways {

struct UpbitEnvNames {
  const char* venue;       ///< "upbit" / "bithumb"
  const char* access_key;  ///< HFT_UPBIT_ACCESS_KEY
  const char* secret_key;  ///< HFT_UPBIT_SECRET_KEY
};
UpbitEnvNames upbitEnvNames(const api::upbit::Dialect& dialect) noexcept;

/// Fills access_key and secret_key of `out` (for out.dialect). Throws std::runtime_error.
void loadUpbitCredentials(UpbitOrderGatewayConfig& out, const std::optional<config::keys::KeyId>& entry,
                          const config::keys::KeyStore* store, const config::EnvLookup& env = config::processEnvironment(),
                          common::SecureBuffer::LockPolicy policy = common::SecureBuffer::LockPolicy::BestEffort);

}  // namespace hft::execution_engine::gateways
