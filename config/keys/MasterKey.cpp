#include "config/keys/MasterKey.h"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "config/keys/KeyStoreError.h"

namespace hft::config::keys {

namespace {

using Kind = KeyStoreError::Kind;

std::string keyFileName(const std::filesystem::path& p) {
  std::string s = "key file ";
  s.append(p.string());
  return s;
}

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

int hexValue(unsigned char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

MasterKey MasterKey::derive(std::string_view passphrase, std::span<const uint8_t, format::kSaltBytes> salt,
                            const KdfParams& params, const std::string& path, common::SecureBuffer::LockPolicy policy) {
  if (passphrase.empty()) throw KeyStoreError(Kind::BadInput, path, "empty passphrase");
  if (const std::string bad = params.check(); !bad.empty()) throw KeyStoreError(Kind::Format, path, bad);
  common::SecureBuffer key(format::kKeyBytes, policy);
  key.resize(format::kKeyBytes);

  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "SCRYPT", nullptr);
  EVP_KDF_CTX* ctx = kdf != nullptr ? EVP_KDF_CTX_new(kdf) : nullptr;
  EVP_KDF_free(kdf);  // the context keeps its own reference
  if (ctx == nullptr) throw KeyStoreError(Kind::Crypto, path, "OpenSSL has no SCRYPT KDF");
  uint64_t n = params.n;
  uint32_t r = params.r;
  uint32_t p = params.p;
  uint64_t maxmem = params.memoryBytes();
  // OSSL_PARAM wants mutable pointers; the KDF only reads them.
  OSSL_PARAM ps[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(passphrase.data()),
                                        passphrase.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<uint8_t*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end()};
  const int ok = EVP_KDF_derive(ctx, key.data(), key.size(), ps);
  EVP_KDF_CTX_free(ctx);  // clears its copy of the password
  if (ok != 1) throw KeyStoreError(Kind::Crypto, path, "scrypt key derivation failed (OpenSSL)");
  return MasterKey(std::move(key));
}

MasterKey MasterKey::fromKeyFile(const std::filesystem::path& keyFile, common::SecureBuffer::LockPolicy policy) {
  const std::string name = keyFileName(keyFile);
  const int fd = ::open(keyFile.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) throw KeyStoreError(Kind::Io, name, errnoText("open", errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st{};
  if (fstat(fd, &st) != 0) throw KeyStoreError(Kind::Io, name, errnoText("fstat", errno));
  if (!S_ISREG(st.st_mode)) throw KeyStoreError(Kind::Permissions, name, "not a regular file");
  if (st.st_uid != geteuid())
    throw KeyStoreError(Kind::Permissions, name,
                        "owned by uid " + std::to_string(st.st_uid) + ", not by this user (uid " +
                            std::to_string(geteuid()) + ")");
  if ((st.st_mode & 077) != 0) {
    std::string what = "mode ";
    what.append(octalMode(st.st_mode)).append(" lets others read it; refused (chmod 600 ").append(keyFile.string()).append(")");
    throw KeyStoreError(Kind::Permissions, name, what);
  }
  // Raw (32) or hex (64) plus an optional "\n" or "\r\n": anything longer is refused unread.
  constexpr size_t kMaxRead = 2 * format::kKeyBytes + 3;
  common::SecureBuffer raw(kMaxRead, policy);
  while (raw.size() < kMaxRead) {
    const ssize_t got = ::read(fd, raw.data() + raw.size(), kMaxRead - raw.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      throw KeyStoreError(Kind::Io, name, errnoText("read", errno));
    }
    if (got == 0) break;
    raw.resize(raw.size() + static_cast<size_t>(got));
  }

  common::SecureBuffer key(format::kKeyBytes, policy);
  key.resize(format::kKeyBytes);
  size_t len = raw.size();
  if (len == format::kKeyBytes) {
    std::memcpy(key.data(), raw.data(), format::kKeyBytes);
    return MasterKey(std::move(key));
  }
  if (len > 0 && raw.data()[len - 1] == '\n') --len;
  if (len > 0 && raw.data()[len - 1] == '\r') --len;
  if (len == 2 * format::kKeyBytes) {
    bool hex = true;
    for (size_t i = 0; i < format::kKeyBytes && hex; ++i) {
      const int hi = hexValue(raw.data()[2 * i]);
      const int lo = hexValue(raw.data()[2 * i + 1]);
      hex = hi >= 0 && lo >= 0;
      key.data()[i] = static_cast<unsigned char>(hex ? (hi << 4) | lo : 0);
    }
    if (hex) return MasterKey(std::move(key));
  }
  throw KeyStoreError(Kind::BadInput, name, "expected 32 raw bytes or 64 hex characters");
}

void MasterKey::createKeyFile(const std::filesystem::path& keyFile) {
  const std::string name = keyFileName(keyFile);
  common::SecureBuffer bytes(format::kKeyBytes);
  bytes.resize(format::kKeyBytes);
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw KeyStoreError(Kind::Crypto, name, "RAND_bytes failed");
  common::SecureBuffer hex(2 * format::kKeyBytes + 1);
  constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < format::kKeyBytes; ++i) {
    (void)hex.push_back(static_cast<unsigned char>(kDigits[bytes.data()[i] >> 4]));
    (void)hex.push_back(static_cast<unsigned char>(kDigits[bytes.data()[i] & 0x0f]));
  }
  (void)hex.push_back('\n');
  const int fd = ::open(keyFile.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw KeyStoreError(Kind::Io, name, errnoText("create", errno));
  const bool ok = fchmod(fd, 0600) == 0 && ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) &&
                  fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(keyFile.c_str());
    throw KeyStoreError(Kind::Io, name, errnoText("write", err));
  }
}

}  // namespace hft::config::keys
