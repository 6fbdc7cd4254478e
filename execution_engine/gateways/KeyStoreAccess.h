#pragma once
// The executor's way to the encrypted key store (config/keys) for venue credentials the
// environment does not give. Opened at most once per process, on first use: the passphrase
// ($HFT_KEYSTORE_PASSPHRASE) is wiped from the environment when it is read, so a second open
// could not find it.
#include <optional>
#include <string>

#include "config/keys/KeyId.h"
#include "config/keys/KeyStore.h"

namespace hft::execution_engine::gateways {

/// executor.json "key_store": {"path", "key_file"}.
struct KeyStoreSettings {
  std::string path;      ///< default config::keys::KeyStore::defaultPath()
  std::string key_file;  ///< optional; 0600/0400
};

class KeyStoreAccess {
 public:
  explicit KeyStoreAccess(std::optional<KeyStoreSettings> settings) : settings_(std::move(settings)) {}

  bool configured() const noexcept { return settings_.has_value(); }
  const std::string& path() const noexcept { return settings_->path; }
  /// The opened store (opens it on the first call). Throws std::runtime_error naming the file
  /// when there is no passphrase or it does not open. Requires configured().
  config::keys::KeyStore& store();

  /// What is missing for a venue whose environment check said `envMissing` ("" = the
  /// environment has everything): "" when the environment or the store (entry `entry`) has the
  /// credentials, else envMissing plus what the store lacks. Names variables, files and
  /// entries, never values. Never throws: a store that does not open is part of the answer.
  std::string missing(std::string envMissing, const config::keys::KeyId& entry);

 private:
  std::optional<KeyStoreSettings> settings_;
  std::optional<config::keys::KeyStore> store_;
};

}  // namespace hft::execution_engine::gateways
