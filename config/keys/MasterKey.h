#pragma once
// The 32-byte AES key of a store: derived from a passphrase with scrypt, or read from a key file.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

#include "common/SecureBuffer.h"
#include "config/keys/KdfParams.h"
#include "config/keys/StoreFormat.h"

namespace hft::config::keys {

class MasterKey {
 public:
  /// scrypt(passphrase, salt, params) -> 32 bytes. `path` only names the store in errors.
  /// Throws KeyStoreError: BadInput for an empty passphrase, Format for unusable params,
  /// Crypto when OpenSSL fails.
  static MasterKey derive(std::string_view passphrase, std::span<const uint8_t, format::kSaltBytes> salt,
                          const KdfParams& params, const std::string& path,
                          common::SecureBuffer::LockPolicy policy = common::SecureBuffer::LockPolicy::Require);

  /// Reads a key file: exactly 32 raw bytes, or 64 hex characters with an optional trailing
  /// newline. Refuses (KeyStoreError Permissions) a file that is not a regular file owned by
  /// this user with no group or other permission bits (0600 or 0400); Io when unreadable,
  /// BadInput for any other content.
  static MasterKey fromKeyFile(const std::filesystem::path& keyFile,
                               common::SecureBuffer::LockPolicy policy = common::SecureBuffer::LockPolicy::Require);

  /// Writes a new random key file (0600, O_EXCL: never overwrites) as 64 hex characters and a
  /// newline. For setting up a store without a passphrase.
  static void createKeyFile(const std::filesystem::path& keyFile);

  std::span<const unsigned char, format::kKeyBytes> bytes() const noexcept {
    return std::span<const unsigned char, format::kKeyBytes>(key_.data(), format::kKeyBytes);
  }
  const common::SecureBuffer& buffer() const noexcept { return key_; }

 private:
  explicit MasterKey(common::SecureBuffer key) : key_(std::move(key)) {}
  common::SecureBuffer key_;
};

}  // namespace hft::config::keys
