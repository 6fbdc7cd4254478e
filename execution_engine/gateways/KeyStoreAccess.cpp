#include "execution_engine/gateways/KeyStoreAccess.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "common/SecureBuffer.h"

namespace hft::execution_engine::gateways {

config::keys::KeyStore& KeyStoreAccess::store() {
  if (store_) return *store_;
  const KeyStoreSettings& ks = *settings_;
  if (!ks.key_file.empty()) {
    store_.emplace(config::keys::KeyStore::open(ks.path, config::keys::Credential::keyFile(ks.key_file)));
    return *store_;
  }
  // Copied into locked memory and wiped from the environment, so it is neither in
  // /proc/<pid>/environ nor in children's.
  char* value = std::getenv("HFT_KEYSTORE_PASSPHRASE");
  if (value == nullptr || *value == 0)
    throw std::runtime_error("key store " + ks.path + ": no passphrase (set HFT_KEYSTORE_PASSPHRASE or key_store.key_file)");
  const size_t len = std::strlen(value);
  common::SecureBuffer pass(len, common::SecureBuffer::LockPolicy::BestEffort);
  const bool fits = pass.append(value, len);
  explicit_bzero(value, len);
  unsetenv("HFT_KEYSTORE_PASSPHRASE");
  if (!fits) throw std::runtime_error("HFT_KEYSTORE_PASSPHRASE does not fit");
  store_.emplace(config::keys::KeyStore::open(ks.path, config::keys::Credential::passphrase(std::move(pass))));
  return *store_;
}

std::string KeyStoreAccess::missing(std::string envMissing, const config::keys::KeyId& entry) {
  if (envMissing.empty() || !configured()) return envMissing;
  try {
    if (store().contains(entry)) return {};
    envMissing.append(", and key store ").append(path()).append(" has no entry ").append(entry.toString());
  } catch (const std::exception& e) {
    envMissing.append(", and ").append(e.what());
  }
  return envMissing;
}

}  // namespace hft::execution_engine::gateways
