#pragma once
// The venue API key store: one encrypted file of (venue, market) -> api key, secret, times.
// Public header of hft_keystore. Start-up and tooling only: everything here may throw and
// allocate; nothing here is meant for a hot path.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/Clock.h"
#include "common/Ids.h"
#include "common/SecureBuffer.h"
#include "config/keys/KdfParams.h"
#include "config/keys/KeyId.h"
#include "config/keys/KeyStoreError.h"
#include "config/keys/MasterKey.h"

namespace hft::config::keys {

/// How to unlock a store: a passphrase (scrypt) or a key file. Move-only.
class Credential {
 public:
  /// Takes the passphrase's buffer; it is wiped as soon as the key is derived.
  static Credential passphrase(common::SecureBuffer passphrase);
  /// The key file is read when the store is opened (and must be 0600 or 0400).
  static Credential keyFile(std::filesystem::path keyFile);

  bool isKeyFile() const noexcept { return isKeyFile_; }

 private:
  friend class KeyStore;
  Credential() = default;
  common::SecureBuffer passphrase_;
  std::filesystem::path keyFile_;
  bool isKeyFile_ = false;
};

/// What `keys list` shows of an entry: never the secret, only a fingerprint of the api key.
struct KeyInfo {
  KeyId id;
  std::string apiKeyFingerprint;  ///< first 4 + "..." + last 4 characters, or "(N chars)" when short
  common::TimestampNs createdNs;  ///< when first added
  common::TimestampNs rotatedNs;  ///< when last added or rotated (age counts from here)
  int64_t ageDays;                ///< whole days since rotatedNs
  bool stale;                     ///< older than the store's staleAfterDays
};

struct KeyEntry;  // defined in KeyStore.cpp: the id, times and one SecureBuffer for key + secret

/// What a gateway holds: a view of one entry's api key and secret, both in locked memory.
/// Copies share the entry; it stays valid (and unchanged) after the store rotates, removes or
/// is destroyed, and is wiped when the last handle and the store let go of it. The views are
/// for the one place that needs them (an HmacSigner, a request header); never copy them into
/// a std::string or a log line.
class ApiCredentials {
 public:
  const KeyId& id() const noexcept;
  std::string_view apiKey() const noexcept;
  std::string_view secret() const noexcept;
  common::TimestampNs createdNs() const noexcept;
  common::TimestampNs rotatedNs() const noexcept;

 private:
  friend class KeyStore;
  explicit ApiCredentials(std::shared_ptr<const KeyEntry> entry) : entry_(std::move(entry)) {}
  std::shared_ptr<const KeyEntry> entry_;
};

/// One store file, unlocked. open() reads and decrypts it (or starts an empty store when the
/// file does not exist); add/rotate/remove change the table in memory; save() encrypts it with
/// a fresh nonce and replaces the file atomically (temp file, fsync, rename, fsync of the
/// directory), refusing if another process changed the file since it was read.
///
/// File and directory rules: the store is created 0600 and its directory 0700 (missing
/// directories are created 0700); a store, key file or directory that others can access, or
/// that another user owns, is refused with KeyStoreError(Permissions).
///
/// Not thread-safe; one process writes at a time (save() takes an flock on the directory).
class KeyStore {
 public:
  static constexpr size_t kMaxFieldBytes = 1024;  ///< api key and secret, each (HmacSigner's limit)

  struct Options {
    KdfParams kdf{};  ///< scrypt cost of a *new* store; an existing one keeps its own
    std::function<common::TimestampNs()> now = common::wallNowNs;  ///< injectable clock
    int64_t staleAfterDays = 30;  ///< list()/stale(): a key not rotated for longer is stale
    common::SecureBuffer::LockPolicy lockPolicy = common::SecureBuffer::LockPolicy::Require;
  };

  /// $HOME/.config/hft/keys.store
  static std::filesystem::path defaultPath();

  /// Reads and decrypts `path`, or starts an empty store when it does not exist (nothing is
  /// written until save()). Throws KeyStoreError: Permissions, Io, Format (not a store,
  /// version, truncated: the message names the file), WrongCredential, AuthFailed
  /// ("keystore <path>: wrong passphrase or damaged file (authentication failed)"). On any
  /// error no entry has been created and every decrypted byte is wiped.
  static KeyStore open(std::filesystem::path path, Credential credential, Options options);
  static KeyStore open(std::filesystem::path path, Credential credential) {
    return open(std::move(path), std::move(credential), Options{});
  }

  KeyStore(KeyStore&&) noexcept;
  KeyStore& operator=(KeyStore&&) noexcept;
  KeyStore(const KeyStore&) = delete;
  KeyStore& operator=(const KeyStore&) = delete;
  ~KeyStore();

  const std::filesystem::path& path() const noexcept { return path_; }
  /// False for a store that open() started empty and that has not been saved yet.
  bool existsOnDisk() const noexcept { return identity_.exists; }
  /// The scrypt parameters in use (zeros for a key-file store).
  const KdfParams& kdf() const noexcept { return kdf_; }

  size_t size() const noexcept { return entries_.size(); }
  bool contains(const KeyId& id) const { return entries_.count(id) != 0; }
  /// Throws KeyStoreError(NotFound) naming the id and listing what the store has
  /// (std::invalid_argument from KeyId::make for a malformed venue or market).
  ApiCredentials get(const KeyId& id) const;
  ApiCredentials get(std::string_view venue, std::string_view market) const { return get(KeyId::make(venue, market)); }

  /// A new entry, created = rotated = now. Exists when already there; BadInput for an empty
  /// or oversized (> 1024 bytes) key or secret, or one with characters outside printable
  /// ASCII. The messages never quote the key or the secret.
  void add(const KeyId& id, std::string_view apiKey, std::string_view secret);
  /// Replaces key and secret of an existing entry (NotFound otherwise); keeps created,
  /// rotated = now. Handles to the old entry keep the old values.
  void rotate(const KeyId& id, std::string_view apiKey, std::string_view secret);
  /// NotFound when absent.
  void remove(const KeyId& id);

  /// Every entry, sorted by venue then market.
  std::vector<KeyInfo> list() const;
  /// The entries not rotated for more than staleAfterDays.
  std::vector<KeyInfo> stale() const;

  /// Encrypts and writes the table (see the class comment). Throws KeyStoreError: Io,
  /// Permissions (directory), Conflict.
  void save();

  /// "abcd...wxyz" (first and last 4) for keys of 16+ characters, else "(N chars)".
  static std::string fingerprint(std::string_view apiKey);

  /// The file's identity when read, to detect another writer.
  struct DiskIdentity {
    bool exists = false;
    uint64_t device = 0, inode = 0;
    int64_t size = 0, mtimeNs = 0;
    bool operator==(const DiskIdentity&) const = default;
  };

 private:
  KeyStore(std::filesystem::path path, Options options);
  KeyInfo info(const KeyEntry& e, common::TimestampNs now) const;
  std::shared_ptr<const KeyEntry> makeEntry(const KeyId& id, std::string_view apiKey, std::string_view secret,
                                            common::TimestampNs created, common::TimestampNs rotated) const;

  std::filesystem::path path_;
  Options options_;
  std::unique_ptr<MasterKey> key_;
  uint8_t kdfKind_ = 0;  // format::Kdf
  KdfParams kdf_{};
  uint8_t salt_[16] = {};
  DiskIdentity identity_;
  std::map<KeyId, std::shared_ptr<const KeyEntry>> entries_;
};

}  // namespace hft::config::keys
