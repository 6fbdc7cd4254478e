#pragma once
// Where a venue's API key and secret come from at start-up: the environment first
// (HFT_<VENUE>_API_KEY and HFT_<VENUE>_API_SECRET, for containers and CI), else the encrypted
// key store. Either way they end up in locked, non-dumpable SecureBuffers; nothing here
// formats a secret, and every error names variables or key-store entries, never values.
#include <optional>
#include <string>
#include <string_view>

#include "common/SecureBuffer.h"
#include "config/EnvLookup.h"
#include "config/keys/KeyId.h"

namespace hft::config::keys {

class KeyStore;

struct VenueCredentials {
  enum class Source : uint8_t {
    Environment = 0,  ///< HFT_<VENUE>_API_KEY / _API_SECRET
    KeyStore = 1,     ///< the key store's entry
  };
  common::SecureBuffer apiKey;
  common::SecureBuffer secret;
  Source source = Source::Environment;
};

/// "HFT_BINANCE_FUTURES_API_KEY" for venue "binance_futures" (same rule as the exchange overrides).
std::string apiKeyVariable(std::string_view venue);
std::string apiSecretVariable(std::string_view venue);

/// Resolves the credentials of `venue`:
///  - both variables set (non-empty): their values, copied straight into SecureBuffers;
///  - neither set: `store`'s entry `entry` (the exchange file's "keys", e.g. binance:spot);
///  - only one of the two set, a value longer than
///    KeyStore::kMaxFieldBytes or with a space or control character: KeyStoreError(BadInput) naming the
///    variable;
///  - neither set and no store or no entry: KeyStoreError(NotFound) naming both variables and
///    the entry. A store without the entry throws its own NotFound.
/// `policy` is how hard the buffers insist on mlock (Require in production).
VenueCredentials resolveCredentials(std::string_view venue, const std::optional<KeyId>& entry, const KeyStore* store,
                                    const EnvLookup& env = processEnvironment(),
                                    common::SecureBuffer::LockPolicy policy = common::SecureBuffer::LockPolicy::Require);

}  // namespace hft::config::keys
