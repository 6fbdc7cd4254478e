#pragma once
// The one exception of the key store. Every message starts with "keystore <path>: ".
#include <cstdint>
#include <stdexcept>
#include <string>

namespace hft::config::keys {

class KeyStoreError : public std::runtime_error {
 public:
  enum class Kind : uint8_t {
    Io = 0,            ///< a file could not be read, written, renamed or synced (errno in the message)
    Format = 1,        ///< not a key store, unsupported version, truncated or inconsistent header
    AuthFailed = 2,    ///< AES-GCM authentication failed: wrong passphrase or key, or a modified file
    Permissions = 3,   ///< a store, key file or directory readable by others, or owned by someone else
    NotFound = 4,      ///< no entry for that venue and market (or no store file where one is needed)
    Exists = 5,        ///< add of an entry that is already there (use rotate)
    BadInput = 6,      ///< malformed VENUE:MARKET, empty or oversized key, secret or passphrase
    WrongCredential = 7,  ///< a passphrase for a key-file store, or the other way round
    Conflict = 8,      ///< the file changed on disk since it was read (another writer)
    Crypto = 9,        ///< OpenSSL refused an operation (not an authentication failure)
  };

  KeyStoreError(Kind kind, const std::string& path, const std::string& what)
      : std::runtime_error(message(path, what)), kind_(kind) {}

  Kind kind() const noexcept { return kind_; }

 private:
  static std::string message(const std::string& path, const std::string& what) {
    std::string m = "keystore ";
    m.append(path).append(": ").append(what);
    return m;
  }
  Kind kind_;
};

}  // namespace hft::config::keys
