// config/keys/VenueCredentials.h: environment first, else the key store; secrets never in errors.
#include "config/keys/VenueCredentials.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <string>

#include "config/keys/KeyStore.h"

using namespace hft;
using namespace hft::config::keys;
using common::SecureBuffer;

namespace fs = std::filesystem;

namespace {

constexpr auto kPolicy = SecureBuffer::LockPolicy::BestEffort;  // CI may have a small RLIMIT_MEMLOCK
constexpr const char* kEnvKey = "envKeyAAAA1111BBBB2222";
constexpr const char* kEnvSecret = "envSecretZZZZ9999YYYY8888";
constexpr const char* kStoreKey = "storeKeyCCCC3333DDDD4444";
constexpr const char* kStoreSecret = "storeSecretXXXX7777WWWW6666";

struct FakeEnv {
  std::map<std::string, std::string> vars;
  config::EnvLookup lookup() const {
    return [this](const char* name) -> const char* {
      const auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

class VenueCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hft-venuecreds-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  KeyStore store() {
    KeyStore::Options o;
    o.kdf = KdfParams::forTests();
    o.lockPolicy = kPolicy;
    SecureBuffer pass(16, kPolicy);
    EXPECT_TRUE(pass.append("hunter2", 7));
    KeyStore s = KeyStore::open(dir_ / "keys.store", Credential::passphrase(std::move(pass)), o);
    s.add(KeyId::make("binance", "spot"), kStoreKey, kStoreSecret);
    return s;
  }
  /// The message of the KeyStoreError `f` throws; checks no secret or key leaks into it.
  template <class F>
  std::string errorOf(F&& f) {
    std::string msg = "(no KeyStoreError thrown)";
    try {
      f();
    } catch (const KeyStoreError& e) {
      msg = e.what();
    }
    for (const char* secret : {kEnvKey, kEnvSecret, kStoreKey, kStoreSecret})
      EXPECT_EQ(msg.find(secret), std::string::npos) << "a credential leaked into: " << msg;
    return msg;
  }

  fs::path dir_;
};

}  // namespace

TEST_F(VenueCredentialsTest, variableNamesFollowTheVenue) {
  EXPECT_EQ(apiKeyVariable("binance_futures"), "HFT_BINANCE_FUTURES_API_KEY");
  EXPECT_EQ(apiSecretVariable("upbit"), "HFT_UPBIT_API_SECRET");
}

TEST_F(VenueCredentialsTest, theEnvironmentWinsOverTheKeyStore) {
  const KeyStore s = store();
  FakeEnv env{{{"HFT_BINANCE_API_KEY", kEnvKey}, {"HFT_BINANCE_API_SECRET", kEnvSecret}}};
  const VenueCredentials c = resolveCredentials("binance", KeyId::make("binance", "spot"), &s, env.lookup(), kPolicy);
  EXPECT_EQ(c.source, VenueCredentials::Source::Environment);
  EXPECT_EQ(c.apiKey.view(), kEnvKey);
  EXPECT_EQ(c.secret.view(), kEnvSecret);
}

TEST_F(VenueCredentialsTest, theKeyStoreIsUsedWhenNeitherVariableIsSet) {
  const KeyStore s = store();
  FakeEnv env{{{"HFT_BINANCE_API_KEY", ""}}};  // empty = unset
  const VenueCredentials c = resolveCredentials("binance", KeyId::make("binance", "spot"), &s, env.lookup(), kPolicy);
  EXPECT_EQ(c.source, VenueCredentials::Source::KeyStore);
  EXPECT_EQ(c.apiKey.view(), kStoreKey);
  EXPECT_EQ(c.secret.view(), kStoreSecret);
}

TEST_F(VenueCredentialsTest, onlyOneVariableSetIsAnErrorNamingBothButNoValue) {
  const KeyStore s = store();
  FakeEnv env{{{"HFT_BINANCE_API_SECRET", kEnvSecret}}};
  const std::string msg =
      errorOf([&] { (void)resolveCredentials("binance", KeyId::make("binance", "spot"), &s, env.lookup(), kPolicy); });
  EXPECT_NE(msg.find("HFT_BINANCE_API_SECRET is set but HFT_BINANCE_API_KEY is not"), std::string::npos) << msg;
}

TEST_F(VenueCredentialsTest, aMalformedValueIsNamedByItsVariableNeverShown) {
  FakeEnv env{{{"HFT_UPBIT_API_KEY", std::string(kEnvKey) + "\n"}, {"HFT_UPBIT_API_SECRET", kEnvSecret}}};
  const std::string msg = errorOf([&] { (void)resolveCredentials("upbit", std::nullopt, nullptr, env.lookup(), kPolicy); });
  EXPECT_NE(msg.find("HFT_UPBIT_API_KEY holds a character outside printable ASCII"), std::string::npos) << msg;
  FakeEnv longEnv{{{"HFT_UPBIT_API_KEY", kEnvKey}, {"HFT_UPBIT_API_SECRET", std::string(2000, 'x')}}};
  const std::string tooLong =
      errorOf([&] { (void)resolveCredentials("upbit", std::nullopt, nullptr, longEnv.lookup(), kPolicy); });
  EXPECT_NE(tooLong.find("HFT_UPBIT_API_SECRET is longer than 1024 bytes"), std::string::npos) << tooLong;
  EXPECT_EQ(tooLong.find("xxxx"), std::string::npos) << tooLong;
}

TEST_F(VenueCredentialsTest, nothingConfiguredNamesTheVariablesAndTheEntry) {
  const std::string msg = errorOf(
      [&] { (void)resolveCredentials("bithumb", KeyId::make("bithumb", "spot"), nullptr, FakeEnv{}.lookup(), kPolicy); });
  for (const char* part : {"HFT_BITHUMB_API_KEY", "HFT_BITHUMB_API_SECRET", "bithumb:spot"})
    EXPECT_NE(msg.find(part), std::string::npos) << msg;
  const KeyStore s = store();
  const std::string missing = errorOf(
      [&] { (void)resolveCredentials("upbit", KeyId::make("upbit", "spot"), &s, FakeEnv{}.lookup(), kPolicy); });
  EXPECT_NE(missing.find("upbit:spot"), std::string::npos) << missing;
}
