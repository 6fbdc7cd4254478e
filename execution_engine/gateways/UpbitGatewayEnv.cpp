#include "execution_engine/gateways/UpbitGatewayEnv.h"

#include <cstring>
#include <stdexcept>
#include <string>

#include "config/keys/KeyStore.h"
#include "config/keys/KeyStoreError.h"
#include "config/keys/VenueCredentials.h"

namespace hft::execution_engine::gateways {

UpbitEnvNames upbitEnvNames(const api::upbit::Dialect& dialect) noexcept {
  if (dialect.exchange == common::ExchangeId::Bithumb) return {"bithumb", "HFT_BITHUMB_ACCESS_KEY", "HFT_BITHUMB_SECRET_KEY"};
  return {"upbit", "HFT_UPBIT_ACCESS_KEY", "HFT_UPBIT_SECRET_KEY"};
}

void loadUpbitCredentials(UpbitOrderGatewayConfig& out, const std::optional<config::keys::KeyId>& entry,
                          const config::keys::KeyStore* store, const config::EnvLookup& env,
                          common::SecureBuffer::LockPolicy policy) {
  const UpbitEnvNames n = upbitEnvNames(out.dialect);
  const std::string what = std::string(n.venue) + " credentials: ";
  const char* key = config::envValue(env, n.access_key);
  const char* secret = config::envValue(env, n.secret_key);
  if (key != nullptr && secret != nullptr) {
    out.access_key = key;
    const size_t len = std::strlen(secret);
    out.secret_key = common::SecureBuffer(len, policy);
    if (!out.secret_key.append(secret, len)) throw std::runtime_error(what + n.secret_key + " does not fit its buffer");
    return;
  }
  if (key != nullptr || secret != nullptr)
    throw std::runtime_error(what + (key ? n.access_key : n.secret_key) + " is set but " +
                             (key ? n.secret_key : n.access_key) + " is not: set both or neither (then the key store is used)");
  if (store == nullptr || !entry)
    throw std::runtime_error(what + "none found: set " + n.access_key + " and " + n.secret_key +
                             ", or open the key store holding " + (entry ? entry->toString() : std::string(n.venue) + ":spot"));
  try {
    config::keys::VenueCredentials c = config::keys::resolveCredentials(n.venue, entry, store, env, policy);
    out.access_key.assign(c.apiKey.view());
    out.secret_key = std::move(c.secret);
  } catch (const std::exception& e) {
    throw std::runtime_error(what + "set " + n.access_key + " and " + n.secret_key + ", or fix the key store: " + e.what());
  }
}

}  // namespace hft::execution_engine::gateways
