#include "config/keys/VenueCredentials.h"

#include <cstring>

#include "config/keys/KeyStore.h"
#include "config/keys/KeyStoreError.h"

namespace hft::config::keys {

namespace {

std::string variable(std::string_view venue, std::string_view suffix) {
  std::string name = "HFT_";
  for (char c : venue) name.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  name.push_back('_');
  name.append(suffix);
  return name;
}

/// Copies one environment value into locked memory after checking it; the error names the
/// variable and what is wrong, never the value (not even its length: a short secret's length
/// is a hint).
common::SecureBuffer fromEnvironment(const char* value, const std::string& name, common::SecureBuffer::LockPolicy policy) {
  const size_t n = std::strlen(value);
  if (n > KeyStore::kMaxFieldBytes)
    throw KeyStoreError(KeyStoreError::Kind::BadInput, "(environment)",
                        name + " is longer than " + std::to_string(KeyStore::kMaxFieldBytes) + " bytes");
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c <= 0x20 || c >= 0x7f)
      throw KeyStoreError(KeyStoreError::Kind::BadInput, "(environment)",
                          name + " holds a character outside printable ASCII (whitespace or a control character?)");
  }
  common::SecureBuffer b(n, policy);
  if (!b.append(value, n))  // cannot fail: capacity is n
    throw KeyStoreError(KeyStoreError::Kind::BadInput, "(environment)", name + " does not fit its buffer");
  return b;
}

common::SecureBuffer copyOf(std::string_view bytes, common::SecureBuffer::LockPolicy policy) {
  common::SecureBuffer b(bytes.empty() ? 1 : bytes.size(), policy);
  (void)b.append(bytes.data(), bytes.size());  // fits: capacity >= size
  return b;
}

}  // namespace

std::string apiKeyVariable(std::string_view venue) { return variable(venue, "API_KEY"); }
std::string apiSecretVariable(std::string_view venue) { return variable(venue, "API_SECRET"); }

VenueCredentials resolveCredentials(std::string_view venue, const std::optional<KeyId>& entry, const KeyStore* store,
                                    const EnvLookup& env, common::SecureBuffer::LockPolicy policy) {
  const std::string keyVar = apiKeyVariable(venue);
  const std::string secretVar = apiSecretVariable(venue);
  const char* key = envValue(env, keyVar.c_str());
  const char* secret = envValue(env, secretVar.c_str());
  if (key != nullptr && secret != nullptr) {
    VenueCredentials c;
    c.apiKey = fromEnvironment(key, keyVar, policy);
    c.secret = fromEnvironment(secret, secretVar, policy);
    c.source = VenueCredentials::Source::Environment;
    return c;
  }
  if (key != nullptr || secret != nullptr)
    throw KeyStoreError(KeyStoreError::Kind::BadInput, "(environment)",
                        (key != nullptr ? keyVar : secretVar) + " is set but " + (key != nullptr ? secretVar : keyVar) +
                            " is not: set both or neither (then the key store is used)");
  if (store == nullptr || !entry)
    throw KeyStoreError(KeyStoreError::Kind::NotFound, store != nullptr ? store->path().string() : "(none)",
                        "no credentials for " + std::string(venue) + ": set " + keyVar + " and " + secretVar +
                            (entry ? ", or open the key store holding " + entry->toString()
                                   : ", or name a key-store entry (\"keys\" in the exchange file)"));
  const ApiCredentials stored = store->get(*entry);
  VenueCredentials c;
  c.apiKey = copyOf(stored.apiKey(), policy);
  c.secret = copyOf(stored.secret(), policy);
  c.source = VenueCredentials::Source::KeyStore;
  return c;
}

}  // namespace hft::config::keys
