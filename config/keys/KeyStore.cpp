#include "config/keys/KeyStore.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "config/keys/StoreFormat.h"

namespace hft::config::keys {

using Kind = KeyStoreError::Kind;

/// One entry: api key then secret, back to back in one locked page.
struct KeyEntry {
  KeyId id;
  common::SecureBuffer material;
  size_t apiKeyBytes = 0;
  common::TimestampNs createdNs = 0;
  common::TimestampNs rotatedNs = 0;
};

namespace {

constexpr int64_t kNsPerDay = int64_t{86'400} * 1'000'000'000;

std::string errnoText(const char* what, int err) {
  std::string s = what;
  s.append(": ").append(std::strerror(err));
  return s;
}

std::string octalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

KeyStore::DiskIdentity identityOf(const struct stat& st) {
  KeyStore::DiskIdentity id;
  id.exists = true;
  id.device = st.st_dev;
  id.inode = st.st_ino;
  id.size = st.st_size;
  id.mtimeNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return id;
}

/// Identity of `path` now (exists = false when it is missing).
KeyStore::DiskIdentity currentIdentity(const std::filesystem::path& path, const std::string& name) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    throw KeyStoreError(Kind::Io, name, errnoText("stat", errno));
  }
  return identityOf(st);
}

/// A field of an entry: 1..1024 printable ASCII characters (no space, no control).
void checkField(const char* what, std::string_view value, const std::string& name) {
  if (value.empty()) throw KeyStoreError(Kind::BadInput, name, std::string(what) + " is empty");
  if (value.size() > KeyStore::kMaxFieldBytes)
    throw KeyStoreError(Kind::BadInput, name,
                        std::string(what) + " is " + std::to_string(value.size()) + " bytes, at most " +
                            std::to_string(KeyStore::kMaxFieldBytes));
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c <= 0x20 || c >= 0x7f)
      throw KeyStoreError(Kind::BadInput, name,
                          std::string(what) + " has a space, control or non-ASCII character at position " +
                              std::to_string(i + 1));
  }
}

/// Reads little-endian fields out of the decrypted table; any overrun is "damaged".
class TableReader {
 public:
  explicit TableReader(std::span<const unsigned char> bytes) : bytes_(bytes) {}
  bool take(void* out, size_t n) noexcept {
    if (n > bytes_.size() - pos_) return false;
    std::memcpy(out, bytes_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool view(size_t n, std::string_view& out) noexcept {
    if (n > bytes_.size() - pos_) return false;
    out = std::string_view(reinterpret_cast<const char*>(bytes_.data() + pos_), n);
    pos_ += n;
    return true;
  }
  bool atEnd() const noexcept { return pos_ == bytes_.size(); }

 private:
  std::span<const unsigned char> bytes_;
  size_t pos_ = 0;
};

struct CipherCtx {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }  // clears the key schedule
  CipherCtx() = default;
  CipherCtx(const CipherCtx&) = delete;
  CipherCtx& operator=(const CipherCtx&) = delete;
};

/// Creates missing directories 0700 (not through the umask-dependent std::filesystem).
void makeDirs(const std::filesystem::path& dir, const std::string& name) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) return;
  if (dir.has_parent_path() && dir.parent_path() != dir) makeDirs(dir.parent_path(), name);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw KeyStoreError(Kind::Io, name, errnoText(("mkdir " + dir.string()).c_str(), errno));
}

}  // namespace

// --- Credential, ApiCredentials ---------------------------------------------------------

Credential Credential::passphrase(common::SecureBuffer passphrase) {
  Credential c;
  c.passphrase_ = std::move(passphrase);
  return c;
}

Credential Credential::keyFile(std::filesystem::path keyFile) {
  Credential c;
  c.keyFile_ = std::move(keyFile);
  c.isKeyFile_ = true;
  return c;
}

const KeyId& ApiCredentials::id() const noexcept { return entry_->id; }
std::string_view ApiCredentials::apiKey() const noexcept { return entry_->material.view().substr(0, entry_->apiKeyBytes); }
std::string_view ApiCredentials::secret() const noexcept { return entry_->material.view().substr(entry_->apiKeyBytes); }
common::TimestampNs ApiCredentials::createdNs() const noexcept { return entry_->createdNs; }
common::TimestampNs ApiCredentials::rotatedNs() const noexcept { return entry_->rotatedNs; }

// --- KeyStore ---------------------------------------------------------------------------

KeyStore::KeyStore(std::filesystem::path path, Options options) : path_(std::move(path)), options_(std::move(options)) {}
KeyStore::KeyStore(KeyStore&&) noexcept = default;
KeyStore& KeyStore::operator=(KeyStore&&) noexcept = default;
KeyStore::~KeyStore() = default;

std::filesystem::path KeyStore::defaultPath() {
  const char* home = std::getenv("HOME");
  std::string dir;
  if (home != nullptr && home[0] != '\0') {
    dir = home;
  } else if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_dir != nullptr) {
    dir = pw->pw_dir;
  } else {
    throw KeyStoreError(Kind::Io, "~/.config/hft/keys.store", "HOME is not set; pass --store PATH");
  }
  return std::filesystem::path(dir) / ".config" / "hft" / "keys.store";
}

std::string KeyStore::fingerprint(std::string_view apiKey) {
  if (apiKey.size() < 16) {
    std::string s = "(";
    s.append(std::to_string(apiKey.size())).append(" chars)");
    return s;
  }
  std::string s(apiKey.substr(0, 4));
  s.append("...").append(apiKey.substr(apiKey.size() - 4));
  return s;
}

KeyStore KeyStore::open(std::filesystem::path path, Credential credential, Options options) {
  KeyStore store(std::move(path), std::move(options));
  const std::string name = store.path_.string();
  const auto policy = store.options_.lockPolicy;

  const int fd = ::open(store.path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 && errno != ENOENT) throw KeyStoreError(Kind::Io, name, errnoText("open", errno));
  if (fd < 0) {
    // A new store: nothing on disk until save().
    if (credential.isKeyFile_) {
      store.key_ = std::make_unique<MasterKey>(MasterKey::fromKeyFile(credential.keyFile_, policy));
      store.kdfKind_ = static_cast<uint8_t>(format::Kdf::KeyFile);
      store.kdf_ = KdfParams{0, 0, 0};
    } else {
      if (const std::string bad = store.options_.kdf.check(); !bad.empty())
        throw KeyStoreError(Kind::BadInput, name, bad);
      if (RAND_bytes(store.salt_, sizeof store.salt_) != 1) throw KeyStoreError(Kind::Crypto, name, "RAND_bytes failed");
      store.kdf_ = store.options_.kdf;
      store.kdfKind_ = static_cast<uint8_t>(format::Kdf::Scrypt);
      store.key_ = std::make_unique<MasterKey>(
          MasterKey::derive(credential.passphrase_.view(), store.salt_, store.kdf_, name, policy));
      credential.passphrase_ = common::SecureBuffer();  // wiped now, not when the caller lets go
    }
    return store;
  }

  Fd file(fd);
  struct stat st{};
  if (fstat(fd, &st) != 0) throw KeyStoreError(Kind::Io, name, errnoText("fstat", errno));
  if (!S_ISREG(st.st_mode)) throw KeyStoreError(Kind::Format, name, "not a regular file");
  if (st.st_uid != geteuid())
    throw KeyStoreError(Kind::Permissions, name,
                        "owned by uid " + std::to_string(st.st_uid) + ", not by this user (uid " +
                            std::to_string(geteuid()) + "); refused");
  if ((st.st_mode & 077) != 0)
    throw KeyStoreError(Kind::Permissions, name,
                        "mode " + octalMode(st.st_mode) + " lets others read it; refused (chmod 600 " + name + ")");
  const auto fileBytes = static_cast<uint64_t>(st.st_size);
  if (fileBytes > format::kMinFileBytes + format::kMaxCiphertextBytes)
    throw KeyStoreError(Kind::Format, name, "not a key store (" + std::to_string(fileBytes) + " bytes, too large)");

  // The ciphertext is not secret: an ordinary buffer is fine.
  std::vector<unsigned char> bytes(static_cast<size_t>(fileBytes));
  size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw KeyStoreError(Kind::Io, name, errnoText("read", errno));
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  bytes.resize(got);
  store.identity_ = identityOf(st);

  // Structure, before any cryptography.
  if (bytes.size() < sizeof format::kMagic)
    throw KeyStoreError(Kind::Format, name,
                        "truncated: " + std::to_string(bytes.size()) + " bytes, a key store has at least " +
                            std::to_string(format::kMinFileBytes));
  if (std::memcmp(bytes.data(), format::kMagic, sizeof format::kMagic) != 0)
    throw KeyStoreError(Kind::Format, name, "not a key store (bad magic)");
  format::Header h{};
  if (bytes.size() >= 12) {
    std::memcpy(&h, bytes.data(), 12);
    if (h.versionMajor != format::kVersionMajor)
      throw KeyStoreError(Kind::Format, name,
                          "format version " + std::to_string(h.versionMajor) + "." + std::to_string(h.versionMinor) +
                              ", this build reads " + std::to_string(format::kVersionMajor) + ".x");
  }
  if (bytes.size() < format::kMinFileBytes)
    throw KeyStoreError(Kind::Format, name,
                        "truncated: " + std::to_string(bytes.size()) + " bytes, a key store has at least " +
                            std::to_string(format::kMinFileBytes));
  std::memcpy(&h, bytes.data(), sizeof h);
  const uint64_t expected = uint64_t{format::kMinFileBytes} + h.ciphertextBytes;
  if (expected != bytes.size())
    throw KeyStoreError(Kind::Format, name,
                        (expected > bytes.size() ? "truncated: the header promises " : "damaged: the header promises ") +
                            std::to_string(expected) + " bytes, the file has " + std::to_string(bytes.size()));
  if (h.aead != static_cast<uint8_t>(format::Aead::Aes256Gcm) || h.zero != 0 || h.ciphertextBytes < 4)
    throw KeyStoreError(Kind::Format, name, "damaged header (unknown cipher or reserved bytes set)");

  if (h.kdf == static_cast<uint8_t>(format::Kdf::Scrypt)) {
    const KdfParams params{h.scryptN, h.scryptR, h.scryptP};
    if (const std::string bad = params.check(); !bad.empty())
      throw KeyStoreError(Kind::Format, name, "damaged header (" + bad + ")");
    if (credential.isKeyFile_)
      throw KeyStoreError(Kind::WrongCredential, name, "encrypted with a passphrase, not a key file");
    store.kdf_ = params;
    std::memcpy(store.salt_, h.salt, sizeof store.salt_);
    store.key_ = std::make_unique<MasterKey>(
        MasterKey::derive(credential.passphrase_.view(), store.salt_, store.kdf_, name, policy));
    credential.passphrase_ = common::SecureBuffer();
  } else if (h.kdf == static_cast<uint8_t>(format::Kdf::KeyFile)) {
    if (h.scryptN != 0 || h.scryptR != 0 || h.scryptP != 0)
      throw KeyStoreError(Kind::Format, name, "damaged header (scrypt parameters in a key-file store)");
    if (!credential.isKeyFile_)
      throw KeyStoreError(Kind::WrongCredential, name, "encrypted with a key file (--key-file), not a passphrase");
    store.kdf_ = KdfParams{0, 0, 0};
    std::memcpy(store.salt_, h.salt, sizeof store.salt_);
    store.key_ = std::make_unique<MasterKey>(MasterKey::fromKeyFile(credential.keyFile_, policy));
  } else {
    throw KeyStoreError(Kind::Format, name, "damaged header (unknown key derivation " + std::to_string(h.kdf) + ")");
  }
  store.kdfKind_ = h.kdf;

  // Decrypt into locked memory; authenticated before any of it is used.
  const unsigned char* ct = bytes.data() + format::kHeaderBytes;
  const unsigned char* tag = ct + h.ciphertextBytes;
  common::SecureBuffer plain(h.ciphertextBytes, policy);
  CipherCtx c;
  int outl = 0, finl = 0;
  const bool ok =
      c.ctx != nullptr && EVP_DecryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(format::kNonceBytes), nullptr) == 1 &&
      EVP_DecryptInit_ex(c.ctx, nullptr, nullptr, store.key_->bytes().data(), h.nonce) == 1 &&
      EVP_DecryptUpdate(c.ctx, nullptr, &outl, bytes.data(), static_cast<int>(format::kHeaderBytes)) == 1 &&
      EVP_DecryptUpdate(c.ctx, plain.data(), &outl, ct, static_cast<int>(h.ciphertextBytes)) == 1 &&
      EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(format::kTagBytes),
                          const_cast<unsigned char*>(tag)) == 1;
  if (!ok) throw KeyStoreError(Kind::Crypto, name, "OpenSSL could not set up AES-256-GCM");
  if (EVP_DecryptFinal_ex(c.ctx, plain.data() + outl, &finl) != 1)
    throw KeyStoreError(Kind::AuthFailed, name, "wrong passphrase or damaged file (authentication failed)");
  plain.resize(static_cast<size_t>(outl + finl));

  // Parse into a local table; it replaces the (empty) store's only when all of it is good.
  std::map<KeyId, std::shared_ptr<const KeyEntry>> entries;
  TableReader in(plain.bytes());
  uint32_t count = 0;
  const auto damaged = [&name](const char* what) {
    return KeyStoreError(Kind::Format, name, std::string("damaged entry table (") + what + ")");
  };
  if (!in.take(&count, 4)) throw damaged("no count");
  for (uint32_t i = 0; i < count; ++i) {
    uint8_t venueLen = 0, marketLen = 0;
    uint16_t keyLen = 0, secretLen = 0;
    std::string_view venue, market, apiKey, secret;
    common::TimestampNs created = 0, rotated = 0;
    if (!in.take(&venueLen, 1) || !in.view(venueLen, venue) || !in.take(&marketLen, 1) ||
        !in.view(marketLen, market) || !in.take(&keyLen, 2) || !in.view(keyLen, apiKey) || !in.take(&secretLen, 2) ||
        !in.view(secretLen, secret) || !in.take(&created, 8) || !in.take(&rotated, 8))
      throw damaged("entry overruns the table");
    if (!KeyId::validPart(venue) || !KeyId::validPart(market)) throw damaged("bad venue or market");
    const KeyId id{std::string(venue), std::string(market)};
    if (entries.count(id) != 0) throw damaged("duplicate entry");
    entries.emplace(id, store.makeEntry(id, apiKey, secret, created, rotated));
  }
  if (!in.atEnd()) throw damaged("trailing bytes");
  store.entries_ = std::move(entries);
  return store;
}

std::shared_ptr<const KeyEntry> KeyStore::makeEntry(const KeyId& id, std::string_view apiKey, std::string_view secret,
                                                    common::TimestampNs created, common::TimestampNs rotated) const {
  const std::string name = path_.string();
  checkField("api key", apiKey, name);
  checkField("secret", secret, name);
  auto e = std::make_shared<KeyEntry>();
  e->id = id;
  e->material = common::SecureBuffer(apiKey.size() + secret.size(), options_.lockPolicy);
  (void)e->material.append(apiKey.data(), apiKey.size());  // sized for both: cannot fail
  (void)e->material.append(secret.data(), secret.size());
  e->apiKeyBytes = apiKey.size();
  e->createdNs = created;
  e->rotatedNs = rotated;
  return e;
}

ApiCredentials KeyStore::get(const KeyId& id) const {
  auto it = entries_.find(id);
  if (it == entries_.end()) {
    std::string what = "no key for ";
    what.append(id.toString()).append(" (the store has:");
    if (entries_.empty()) what.append(" nothing");
    for (const auto& [k, e] : entries_) what.append(" ").append(k.toString());
    what.append(")");
    throw KeyStoreError(Kind::NotFound, path_.string(), what);
  }
  return ApiCredentials(it->second);
}

void KeyStore::add(const KeyId& id, std::string_view apiKey, std::string_view secret) {
  if (entries_.count(id) != 0)
    throw KeyStoreError(Kind::Exists, path_.string(),
                        id.toString() + " already has a key (use rotate to replace it)");
  const common::TimestampNs now = options_.now();
  entries_.emplace(id, makeEntry(id, apiKey, secret, now, now));
}

void KeyStore::rotate(const KeyId& id, std::string_view apiKey, std::string_view secret) {
  auto it = entries_.find(id);
  if (it == entries_.end())
    throw KeyStoreError(Kind::NotFound, path_.string(), "no key for " + id.toString() + " to rotate (use add)");
  it->second = makeEntry(id, apiKey, secret, it->second->createdNs, options_.now());
}

void KeyStore::remove(const KeyId& id) {
  if (entries_.erase(id) == 0)
    throw KeyStoreError(Kind::NotFound, path_.string(), "no key for " + id.toString() + " to remove");
}

KeyInfo KeyStore::info(const KeyEntry& e, common::TimestampNs now) const {
  const int64_t age = now > e.rotatedNs ? now - e.rotatedNs : 0;
  return KeyInfo{e.id,
                 fingerprint(e.material.view().substr(0, e.apiKeyBytes)),
                 e.createdNs,
                 e.rotatedNs,
                 age / kNsPerDay,
                 age > options_.staleAfterDays * kNsPerDay};
}

std::vector<KeyInfo> KeyStore::list() const {
  const common::TimestampNs now = options_.now();
  std::vector<KeyInfo> out;
  out.reserve(entries_.size());
  for (const auto& [id, e] : entries_) out.push_back(info(*e, now));
  return out;
}

std::vector<KeyInfo> KeyStore::stale() const {
  std::vector<KeyInfo> out;
  for (KeyInfo& k : list())
    if (k.stale) out.push_back(std::move(k));
  return out;
}

void KeyStore::save() {
  const std::string name = path_.string();

  // The plaintext table, in locked memory.
  size_t plainBytes = 4;
  for (const auto& [id, e] : entries_) plainBytes += 1 + id.venue.size() + 1 + id.market.size() + 2 + 2 + e->material.size() + 16;
  if (plainBytes > format::kMaxCiphertextBytes) throw KeyStoreError(Kind::BadInput, name, "too many entries");
  common::SecureBuffer plain(plainBytes, options_.lockPolicy);
  const auto put = [&plain](const void* p, size_t n) { (void)plain.append(p, n); };  // sized above
  const auto count = static_cast<uint32_t>(entries_.size());
  put(&count, 4);
  for (const auto& [id, e] : entries_) {
    const auto venueLen = static_cast<uint8_t>(id.venue.size());
    const auto marketLen = static_cast<uint8_t>(id.market.size());
    const auto keyLen = static_cast<uint16_t>(e->apiKeyBytes);
    const auto secretLen = static_cast<uint16_t>(e->material.size() - e->apiKeyBytes);
    put(&venueLen, 1);
    put(id.venue.data(), venueLen);
    put(&marketLen, 1);
    put(id.market.data(), marketLen);
    put(&keyLen, 2);
    put(e->material.data(), keyLen);
    put(&secretLen, 2);
    put(e->material.data() + keyLen, secretLen);
    put(&e->createdNs, 8);
    put(&e->rotatedNs, 8);
  }

  format::Header h{};
  std::memcpy(h.magic, format::kMagic, sizeof h.magic);
  h.versionMajor = format::kVersionMajor;
  h.versionMinor = format::kVersionMinor;
  h.kdf = kdfKind_;
  h.aead = static_cast<uint8_t>(format::Aead::Aes256Gcm);
  h.scryptN = kdf_.n;
  h.scryptR = kdf_.r;
  h.scryptP = kdf_.p;
  std::memcpy(h.salt, salt_, sizeof h.salt);
  if (RAND_bytes(h.nonce, sizeof h.nonce) != 1) throw KeyStoreError(Kind::Crypto, name, "RAND_bytes failed");
  h.ciphertextBytes = static_cast<uint32_t>(plain.size());

  std::vector<unsigned char> file(format::kMinFileBytes + plain.size());
  std::memcpy(file.data(), &h, sizeof h);
  CipherCtx c;
  int outl = 0, finl = 0;
  unsigned char* ct = file.data() + format::kHeaderBytes;
  const bool ok =
      c.ctx != nullptr && EVP_EncryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(format::kNonceBytes), nullptr) == 1 &&
      EVP_EncryptInit_ex(c.ctx, nullptr, nullptr, key_->bytes().data(), h.nonce) == 1 &&
      EVP_EncryptUpdate(c.ctx, nullptr, &outl, file.data(), static_cast<int>(format::kHeaderBytes)) == 1 &&
      EVP_EncryptUpdate(c.ctx, ct, &outl, plain.data(), static_cast<int>(plain.size())) == 1 &&
      EVP_EncryptFinal_ex(c.ctx, ct + outl, &finl) == 1 && static_cast<size_t>(outl + finl) == plain.size() &&
      EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(format::kTagBytes), ct + plain.size()) == 1;
  if (!ok) throw KeyStoreError(Kind::Crypto, name, "AES-256-GCM encryption failed (OpenSSL)");
  plain.clear();

  // The directory: created 0700 if missing, refused if others can get in.
  std::filesystem::path dir = path_.parent_path();
  if (dir.empty()) dir = ".";
  makeDirs(dir, name);
  struct stat ds{};
  if (::stat(dir.c_str(), &ds) != 0) throw KeyStoreError(Kind::Io, name, errnoText("stat of its directory", errno));
  if (!S_ISDIR(ds.st_mode)) throw KeyStoreError(Kind::Io, name, dir.string() + " is not a directory");
  if (ds.st_uid != geteuid())
    throw KeyStoreError(Kind::Permissions, name, "directory " + dir.string() + " belongs to another user; refused");
  if ((ds.st_mode & 077) != 0)
    throw KeyStoreError(Kind::Permissions, name,
                        "directory " + dir.string() + " is mode " + octalMode(ds.st_mode) +
                            ", it must be 0700 (chmod 700 " + dir.string() + ")");

  Fd dirFd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dirFd.fd < 0) throw KeyStoreError(Kind::Io, name, errnoText("open of its directory", errno));
  // One writer at a time; the lock goes with the descriptor (also if this process dies).
  if (flock(dirFd.fd, LOCK_EX) != 0) throw KeyStoreError(Kind::Io, name, errnoText("flock", errno));
  if (currentIdentity(path_, name) != identity_)
    throw KeyStoreError(Kind::Conflict, name, "changed by another process since it was read; nothing written, retry");

  std::filesystem::path tmp = dir / ("." + path_.filename().string() + ".tmp." + std::to_string(getpid()));
  ::unlink(tmp.c_str());  // a leftover of a crashed run with the same pid; we hold the lock
  Fd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (out.fd < 0) throw KeyStoreError(Kind::Io, name, errnoText(("create " + tmp.string()).c_str(), errno));
  const auto fail = [&](const char* what) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return KeyStoreError(Kind::Io, name, errnoText(what, err));
  };
  if (fchmod(out.fd, 0600) != 0) throw fail("fchmod of the temporary file");
  size_t written = 0;
  while (written < file.size()) {
    const ssize_t n = ::write(out.fd, file.data() + written, file.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw fail("write of the temporary file");
    written += static_cast<size_t>(n);
  }
  if (fsync(out.fd) != 0) throw fail("fsync of the temporary file");
  struct stat ns{};
  if (fstat(out.fd, &ns) != 0) throw fail("fstat of the temporary file");
  if (::close(out.fd) != 0) {
    out.fd = -1;
    throw fail("close of the temporary file");
  }
  out.fd = -1;
  if (::rename(tmp.c_str(), path_.c_str()) != 0) throw fail("rename over the store");
  if (fsync(dirFd.fd) != 0) throw KeyStoreError(Kind::Io, name, errnoText("fsync of its directory", errno));
  identity_ = identityOf(ns);
}

}  // namespace hft::config::keys
