#pragma once
// The keys.store file layout, version 1.0. All integers little-endian.
//
//   0        8       10      12    13     14      16              24      28      32
//   +--------+-------+-------+-----+------+-------+---------------+-------+-------+
//   | magic  | major | minor | kdf | aead | zero  | scrypt N (u64)| r u32 | p u32 |
//   +--------+-------+-------+-----+------+-------+---------------+-------+-------+
//   32                       48                  60              64
//   +------------------------+-------------------+---------------+
//   | scrypt salt (16)       | GCM nonce (12)    | ct bytes u32  |
//   +------------------------+-------------------+---------------+
//   64: ciphertext (ct bytes) | 64 + ct bytes: GCM tag (16)   -- end of file
//
// The 64-byte header is the AES-GCM additional authenticated data: the version, the KDF kind
// and parameters, the salt and the nonce are authenticated with the entry table, so changing
// any byte of the file fails authentication (or, for magic, version and sizes, is refused
// before decryption). A key-file store has kdf = KeyFile, N = r = p = 0 and a zero salt.
// The nonce is fresh (RAND_bytes) on every write; the salt is chosen when the store is created.
//
// The plaintext (the entry table), also little-endian:
//   u32 entry count, then per entry:
//   u8 venue len, venue | u8 market len, market | u16 api key len, api key |
//   u16 secret len, secret | i64 created ns | i64 rotated ns
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace hft::config::keys::format {

static_assert(std::endian::native == std::endian::little, "the store format is little-endian; add byte swaps");

inline constexpr char kMagic[8] = {'H', 'F', 'T', 'K', 'E', 'Y', 'S', '\0'};
inline constexpr uint16_t kVersionMajor = 1;  ///< a reader refuses any other major
inline constexpr uint16_t kVersionMinor = 0;  ///< additions a 1.0 reader may ignore (none yet)

/// How the AES key is obtained.
enum class Kdf : uint8_t {
  Scrypt = 1,   ///< scrypt(passphrase, salt, N, r, p) -> 32 bytes
  KeyFile = 2,  ///< 32 bytes read from a key file (raw or 64 hex characters)
};

/// The cipher of the entry table.
enum class Aead : uint8_t {
  Aes256Gcm = 1,  ///< AES-256-GCM, 96-bit nonce, 128-bit tag
};

inline constexpr size_t kSaltBytes = 16;
inline constexpr size_t kNonceBytes = 12;
inline constexpr size_t kTagBytes = 16;
inline constexpr size_t kKeyBytes = 32;
inline constexpr uint32_t kMaxCiphertextBytes = 16u << 20;  ///< a sanity bound: 16 MiB of entries

struct Header {
  char magic[8];
  uint16_t versionMajor;
  uint16_t versionMinor;
  uint8_t kdf;   ///< Kdf
  uint8_t aead;  ///< Aead
  uint16_t zero;  ///< reserved, 0
  uint64_t scryptN;
  uint32_t scryptR;
  uint32_t scryptP;
  uint8_t salt[kSaltBytes];
  uint8_t nonce[kNonceBytes];
  uint32_t ciphertextBytes;
};

static_assert(std::is_trivially_copyable_v<Header>);
static_assert(sizeof(Header) == 64, "the header is the AAD: its size is part of the format");
static_assert(offsetof(Header, versionMajor) == 8);
static_assert(offsetof(Header, kdf) == 12);
static_assert(offsetof(Header, scryptN) == 16);
static_assert(offsetof(Header, salt) == 32);
static_assert(offsetof(Header, nonce) == 48);
static_assert(offsetof(Header, ciphertextBytes) == 60);

inline constexpr size_t kHeaderBytes = sizeof(Header);
inline constexpr size_t kMinFileBytes = kHeaderBytes + kTagBytes;

}  // namespace hft::config::keys::format
