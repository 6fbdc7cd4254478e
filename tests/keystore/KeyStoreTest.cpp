// config/keys/KeyStore: encryption at rest, authentication of every byte, file rules, ages.
#include "config/keys/KeyStore.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "config/keys/StoreFormat.h"

namespace fs = std::filesystem;
using hft::common::SecureBuffer;
using hft::config::keys::Credential;
using hft::config::keys::KdfParams;
using hft::config::keys::KeyId;
using hft::config::keys::KeyStore;
using hft::config::keys::KeyStoreError;
using hft::config::keys::MasterKey;
using Kind = hft::config::keys::KeyStoreError::Kind;

namespace {

constexpr int64_t kDay = int64_t{86'400} * 1'000'000'000;
constexpr const char* kApiKey = "AKIAbinanceSPOTkey0123456789wxyz";
constexpr const char* kSecret = "s3cr3t-NEVER-PRINT-ME-9f8e7d6c5b4a";

SecureBuffer buf(std::string_view s) {
  SecureBuffer b(s.size() + 1, SecureBuffer::LockPolicy::BestEffort);
  EXPECT_TRUE(b.append(s.data(), s.size()));
  return b;
}

std::vector<unsigned char> readBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const fs::path& p, const std::vector<unsigned char>& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

class KeyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hft-keystore-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;  // mkdtemp: 0700
    path_ = dir_ / "keys.store";
    now_ = 1'700'000'000LL * 1'000'000'000;
  }
  void TearDown() override { fs::remove_all(dir_); }

  KeyStore::Options options() {
    KeyStore::Options o;
    o.kdf = KdfParams::forTests();
    o.now = [this] { return now_; };
    o.lockPolicy = SecureBuffer::LockPolicy::BestEffort;
    return o;
  }
  KeyStore open(std::string_view pass = "hunter2") { return KeyStore::open(path_, Credential::passphrase(buf(pass)), options()); }
  /// Opening must fail; returns the error.
  KeyStoreError openFails(std::string_view pass = "hunter2") {
    try {
      open(pass);
    } catch (const KeyStoreError& e) {
      return e;
    }
    ADD_FAILURE() << "open succeeded";
    return KeyStoreError(Kind::Io, "", "");
  }
  void saveOneEntry() {
    KeyStore s = open();
    s.add(KeyId::parse("binance:spot"), kApiKey, kSecret);
    s.save();
  }

  fs::path dir_, path_;
  int64_t now_ = 0;
};

}  // namespace

TEST_F(KeyStoreTest, roundTripsEveryEntryThroughTheEncryptedFile) {
  {
    KeyStore s = open();
    EXPECT_FALSE(s.existsOnDisk());
    s.add(KeyId::parse("binance:spot"), kApiKey, kSecret);
    now_ += kDay;
    s.add(KeyId::parse("binance:futures"), "futuresKEY-abcdefghijkl", "futuresSECRET");
    s.add(KeyId::make("upbit", "spot"), "upbitACCESS-0123456789", "upbitSECRET");
    s.save();
    EXPECT_TRUE(s.existsOnDisk());
  }
  struct stat st{};
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  KeyStore s = open();
  ASSERT_EQ(s.size(), 3u);
  const auto spot = s.get("binance", "spot");
  EXPECT_EQ(spot.apiKey(), kApiKey);
  EXPECT_EQ(spot.secret(), kSecret);
  EXPECT_EQ(spot.createdNs(), now_ - kDay);
  EXPECT_EQ(s.get("binance", "futures").secret(), "futuresSECRET");
  EXPECT_EQ(s.get(KeyId::parse("upbit:spot")).apiKey(), "upbitACCESS-0123456789");
  EXPECT_EQ(s.kdf().n, KdfParams::forTests().n);  // the header's parameters, not the defaults
}

TEST_F(KeyStoreTest, keepsNeitherKeyNorSecretInPlainTextOnDisk) {
  saveOneEntry();
  const auto bytes = readBytes(path_);
  const std::string text(bytes.begin(), bytes.end());
  EXPECT_EQ(text.find(kSecret), std::string::npos);
  EXPECT_EQ(text.find(kApiKey), std::string::npos);
  EXPECT_EQ(text.find("binance"), std::string::npos);  // the whole table is encrypted
}

TEST_F(KeyStoreTest, wrongPassphraseIsTheAuthenticationErrorAndYieldsNoEntries) {
  saveOneEntry();
  const KeyStoreError e = openFails("hunter3");
  EXPECT_EQ(e.kind(), Kind::AuthFailed);
  EXPECT_EQ(std::string(e.what()),
            "keystore " + path_.string() + ": wrong passphrase or damaged file (authentication failed)");
  EXPECT_EQ(openFails("").kind(), Kind::BadInput);  // empty passphrase
}

TEST_F(KeyStoreTest, flippingAnyByteOfTheFileIsRefused) {
  saveOneEntry();
  const auto good = readBytes(path_);
  ASSERT_GT(good.size(), hft::config::keys::format::kMinFileBytes);
  const size_t lengthField = offsetof(hft::config::keys::format::Header, ciphertextBytes);
  for (size_t i = 0; i < good.size(); ++i) {
    for (const int mask : {0x01, 0x80}) {
      auto bad = good;
      bad[i] = static_cast<unsigned char>(bad[i] ^ mask);
      writeBytes(path_, bad);
      const KeyStoreError e = openFails();
      // Salt, nonce, ciphertext and tag: authentication. Magic, version, KDF ids and
      // parameters, sizes: refused as damaged before (or, for a still-valid N/r/p, by) GCM.
      const bool authenticatedOnly = i >= offsetof(hft::config::keys::format::Header, salt) &&
                                     (i < lengthField || i >= lengthField + 4);
      if (authenticatedOnly)
        EXPECT_EQ(e.kind(), Kind::AuthFailed) << "byte " << i << ": " << e.what();
      else
        EXPECT_TRUE(e.kind() == Kind::AuthFailed || e.kind() == Kind::Format) << "byte " << i << ": " << e.what();
      EXPECT_NE(std::string(e.what()).find(path_.string()), std::string::npos);
    }
  }
  writeBytes(path_, good);
  EXPECT_EQ(open().get("binance", "spot").secret(), kSecret);  // the original still opens
}

TEST_F(KeyStoreTest, truncatedOrExtendedFileIsAnErrorNamingTheFile) {
  saveOneEntry();
  const auto good = readBytes(path_);
  for (size_t len : {size_t{0}, size_t{5}, size_t{40}, size_t{64}, good.size() - 17, good.size() - 1}) {
    writeBytes(path_, std::vector<unsigned char>(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(len)));
    const KeyStoreError e = openFails();
    EXPECT_EQ(e.kind(), Kind::Format) << len;
    EXPECT_NE(std::string(e.what()).find("keystore " + path_.string() + ": truncated"), std::string::npos) << e.what();
  }
  auto longer = good;
  longer.push_back(0);
  writeBytes(path_, longer);
  EXPECT_EQ(openFails().kind(), Kind::Format);
}

TEST_F(KeyStoreTest, refusesAnotherMajorVersionNamingBoth) {
  saveOneEntry();
  auto bytes = readBytes(path_);
  bytes[8] = 2;  // versionMajor
  writeBytes(path_, bytes);
  EXPECT_NE(std::string(openFails().what()).find("format version 2.0, this build reads 1.x"), std::string::npos);
  bytes = readBytes(path_);
  bytes[0] = 'X';
  writeBytes(path_, bytes);
  EXPECT_NE(std::string(openFails().what()).find("not a key store"), std::string::npos);
}

TEST_F(KeyStoreTest, storeOrKeyFileThatOthersCanReadIsRefused) {
  saveOneEntry();
  ASSERT_EQ(chmod(path_.c_str(), 0640), 0);
  KeyStoreError e = openFails();
  EXPECT_EQ(e.kind(), Kind::Permissions);
  EXPECT_NE(std::string(e.what()).find("mode 0640"), std::string::npos) << e.what();
  ASSERT_EQ(chmod(path_.c_str(), 0600), 0);

  const fs::path keyFile = dir_ / "store.key";
  MasterKey::createKeyFile(keyFile);
  ASSERT_EQ(chmod(keyFile.c_str(), 0644), 0);
  try {
    KeyStore::open(dir_ / "other.store", Credential::keyFile(keyFile), options());
    FAIL() << "a 0644 key file was accepted";
  } catch (const KeyStoreError& err) {
    EXPECT_EQ(err.kind(), Kind::Permissions);
    EXPECT_NE(std::string(err.what()).find("key file " + keyFile.string()), std::string::npos) << err.what();
  }
  ASSERT_EQ(chmod(keyFile.c_str(), 0600), 0);
  EXPECT_NO_THROW(KeyStore::open(dir_ / "other.store", Credential::keyFile(keyFile), options()));
}

TEST_F(KeyStoreTest, keyFileStoresRoundTripAndRefuseTheWrongKeyOrAPassphrase) {
  const fs::path keyFile = dir_ / "store.key";
  MasterKey::createKeyFile(keyFile);  // 64 hex + newline
  {
    KeyStore s = KeyStore::open(path_, Credential::keyFile(keyFile), options());
    s.add(KeyId::parse("upbit:spot"), kApiKey, kSecret);
    s.save();
  }
  EXPECT_EQ(KeyStore::open(path_, Credential::keyFile(keyFile), options()).get("upbit", "spot").secret(), kSecret);
  EXPECT_EQ(openFails().kind(), Kind::WrongCredential);

  const fs::path raw = dir_ / "raw.key";  // 32 raw bytes: a different key
  writeBytes(raw, std::vector<unsigned char>(32, 0x5a));
  ASSERT_EQ(chmod(raw.c_str(), 0600), 0);
  try {
    KeyStore::open(path_, Credential::keyFile(raw), options());
    FAIL();
  } catch (const KeyStoreError& e) {
    EXPECT_EQ(e.kind(), Kind::AuthFailed);
  }
  writeBytes(raw, std::vector<unsigned char>(31, 0x5a));  // neither raw nor hex
  EXPECT_THROW(KeyStore::open(dir_ / "x.store", Credential::keyFile(raw), options()), KeyStoreError);
}

TEST_F(KeyStoreTest, createsMissingDirectories0700AndRefusesADirectoryOthersCanEnter) {
  path_ = dir_ / "a" / "b" / "keys.store";
  saveOneEntry();
  struct stat st{};
  ASSERT_EQ(stat((dir_ / "a" / "b").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(chmod((dir_ / "a" / "b").c_str(), 0755), 0);
  KeyStore s = open();
  try {
    s.save();
    FAIL();
  } catch (const KeyStoreError& e) {
    EXPECT_EQ(e.kind(), Kind::Permissions);
    EXPECT_NE(std::string(e.what()).find("must be 0700"), std::string::npos) << e.what();
  }
}

TEST_F(KeyStoreTest, listShowsAFingerprintAndNeverTheSecret) {
  KeyStore s = open();
  s.add(KeyId::parse("binance:spot"), kApiKey, kSecret);
  s.add(KeyId::parse("upbit:spot"), "short-key", "short-secret");
  const auto list = s.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id.toString(), "binance:spot");
  EXPECT_EQ(list[0].apiKeyFingerprint, "AKIA...wxyz");
  EXPECT_EQ(list[1].apiKeyFingerprint, "(9 chars)");  // too short to show 8 of its characters
  for (const auto& k : list) {
    EXPECT_EQ(k.apiKeyFingerprint.find("s3cr3t"), std::string::npos);
    EXPECT_EQ(k.apiKeyFingerprint.find("short-secret"), std::string::npos);
  }
}

TEST_F(KeyStoreTest, keysNotRotatedForOver30DaysAreStale) {
  KeyStore s = open();
  s.add(KeyId::parse("binance:spot"), kApiKey, kSecret);
  now_ += 10 * kDay;
  s.add(KeyId::parse("upbit:spot"), kApiKey, kSecret);
  now_ += 20 * kDay;  // binance: exactly 30 days
  EXPECT_TRUE(s.stale().empty());
  EXPECT_EQ(s.list()[0].ageDays, 30);
  now_ += 1;
  auto stale = s.stale();
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0].id.toString(), "binance:spot");
  EXPECT_TRUE(stale[0].stale);
  now_ += 10 * kDay;
  EXPECT_EQ(s.stale().size(), 2u);
}

TEST_F(KeyStoreTest, rotateReplacesKeyAndSecretAndRestartsTheAge) {
  KeyStore s = open();
  const KeyId id = KeyId::parse("binance:futures");
  s.add(id, kApiKey, kSecret);
  const auto oldHandle = s.get(id);
  const int64_t created = now_;
  now_ += 40 * kDay;
  ASSERT_EQ(s.stale().size(), 1u);
  s.rotate(id, "NEWKEY-0123456789abcdef", "NEWSECRET");
  EXPECT_TRUE(s.stale().empty());
  EXPECT_EQ(s.list()[0].ageDays, 0);
  EXPECT_EQ(oldHandle.secret(), kSecret);  // a handle keeps what it was given
  s.save();

  KeyStore again = open();
  const auto h = again.get(id);
  EXPECT_EQ(h.apiKey(), "NEWKEY-0123456789abcdef");
  EXPECT_EQ(h.secret(), "NEWSECRET");
  EXPECT_EQ(h.createdNs(), created);
  EXPECT_EQ(h.rotatedNs(), now_);
}

TEST_F(KeyStoreTest, addRotateRemoveAndGetReportWhatIsWrong) {
  KeyStore s = open();
  const KeyId id = KeyId::parse("binance:spot");
  s.add(id, kApiKey, kSecret);
  try {
    s.add(id, kApiKey, kSecret);
    FAIL();
  } catch (const KeyStoreError& e) {
    EXPECT_EQ(e.kind(), Kind::Exists);
  }
  try {
    s.get("upbit", "spot");
    FAIL();
  } catch (const KeyStoreError& e) {
    EXPECT_EQ(e.kind(), Kind::NotFound);
    EXPECT_NE(std::string(e.what()).find("(the store has: binance:spot)"), std::string::npos) << e.what();
  }
  EXPECT_THROW(s.rotate(KeyId::parse("upbit:spot"), kApiKey, kSecret), KeyStoreError);
  EXPECT_THROW(s.remove(KeyId::parse("upbit:spot")), KeyStoreError);
  try {
    s.add(KeyId::parse("upbit:spot"), kApiKey, "has space-in-it");
    FAIL();
  } catch (const KeyStoreError& e) {
    EXPECT_EQ(e.kind(), Kind::BadInput);
    EXPECT_EQ(std::string(e.what()).find("space-in-it"), std::string::npos);  // never quotes the secret
  }
  EXPECT_THROW(s.add(KeyId::parse("upbit:spot"), kApiKey, std::string(1025, 'x')), KeyStoreError);
  EXPECT_THROW(KeyId::parse("Binance:spot"), std::invalid_argument);
  EXPECT_THROW(KeyId::parse("binance"), std::invalid_argument);
  EXPECT_THROW(KeyId::parse("binance:"), std::invalid_argument);
  s.remove(id);
  EXPECT_EQ(s.size(), 0u);
}

TEST_F(KeyStoreTest, everyWriteUsesAFreshNonceAndLeavesNoTemporaryFile) {
  saveOneEntry();
  const auto first = readBytes(path_);
  {
    KeyStore s = open();
    s.save();
  }
  const auto second = readBytes(path_);
  using H = hft::config::keys::format::Header;
  ASSERT_EQ(first.size(), second.size());
  EXPECT_TRUE(std::equal(first.begin() + offsetof(H, salt), first.begin() + offsetof(H, nonce),
                         second.begin() + offsetof(H, salt)));  // the salt stays
  EXPECT_FALSE(std::equal(first.begin() + offsetof(H, nonce), first.begin() + offsetof(H, ciphertextBytes),
                          second.begin() + offsetof(H, nonce)));  // the nonce does not
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1);
}

TEST_F(KeyStoreTest, aSecondWriterWhoReadAnOlderFileIsRefused) {
  saveOneEntry();
  KeyStore a = open();
  KeyStore b = open();
  a.add(KeyId::parse("upbit:spot"), kApiKey, kSecret);
  a.save();
  b.add(KeyId::parse("binance:futures"), kApiKey, kSecret);
  try {
    b.save();
    FAIL() << "b would have dropped upbit:spot";
  } catch (const KeyStoreError& e) {
    EXPECT_EQ(e.kind(), Kind::Conflict);
  }
  EXPECT_EQ(open().size(), 2u);
}

TEST_F(KeyStoreTest, secretsLiveInWipedBuffersOnly) {
  // Every page the store releases (entries, decrypted table, derived key) is zero by then.
  static size_t nonZero = 0;
  static int releases = 0;
  nonZero = 0;
  releases = 0;
  SecureBuffer::setReleaseObserverForTesting([](const unsigned char* p, size_t n) noexcept {
    ++releases;
    for (size_t i = 0; i < n; ++i) nonZero += p[i] != 0;
  });
  saveOneEntry();
  { KeyStore s = open(); }
  SecureBuffer::setReleaseObserverForTesting(nullptr);
  EXPECT_GE(releases, 6);
  EXPECT_EQ(nonZero, 0u);
}
