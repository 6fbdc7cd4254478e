// keys: manages the encrypted venue API key store (config/keys/KeyStore.h). Keys and secrets
// come from stdin (echo off on a terminal), never from argv; the passphrase from
// HFT_KEYSTORE_PASSPHRASE, a terminal prompt, or a key file (--key-file). Never prints a secret.
#include <sys/prctl.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>

#include "common/CommandLine.h"
#include "common/SecureBuffer.h"
#include "config/keys/KeyStore.h"
#include "config/keys/SecretInput.h"

using namespace hft;
using config::keys::KeyId;
using config::keys::KeyStore;
using config::keys::KeyStoreError;

namespace {

constexpr size_t kMaxPassphraseBytes = 1024;
constexpr const char* kEnvPassphrase = "HFT_KEYSTORE_PASSPHRASE";

const char* kSummary =
    "Manages the encrypted venue API key store (AES-256-GCM, key from scrypt(passphrase) or a key file).\n"
    "\n"
    "commands:\n"
    "  add VENUE:MARKET     store a new key: reads the api key, then the secret, from stdin\n"
    "                       (no echo on a terminal; one per line otherwise); creates the store\n"
    "  rotate VENUE:MARKET  replace an existing key and secret (same input), resets its age\n"
    "  remove VENUE:MARKET  delete an entry\n"
    "  list                 venue, market, api key fingerprint, age in days, STALE after 30 days\n"
    "  keygen PATH          write a new random key file (0600) for --key-file\n"
    "\n"
    "The passphrase comes from --key-file, else $HFT_KEYSTORE_PASSPHRASE, else a prompt on the\n"
    "terminal. Keys and secrets are never taken from the command line and never printed.\n"
    "Example: printf '%s\\n%s\\n' \"$KEY\" \"$SECRET\" | keys add binance:spot";

/// Copies the passphrase out of the environment and wipes it there (so that it is not in
/// /proc/<pid>/environ for the rest of the run, nor in the environment of children).
common::SecureBuffer takeEnvPassphrase() {
  char* value = std::getenv(kEnvPassphrase);
  if (value == nullptr) return {};
  const size_t len = std::strlen(value);
  common::SecureBuffer pass(kMaxPassphraseBytes);
  const bool fits = pass.append(value, len);
  explicit_bzero(value, len);
  unsetenv(kEnvPassphrase);
  if (!fits) throw std::runtime_error(std::string(kEnvPassphrase) + " is longer than 1024 bytes");
  return pass;
}

common::SecureBuffer promptPassphrase(bool confirm) {
  const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (tty < 0)
    throw std::runtime_error(std::string("no passphrase: set ") + kEnvPassphrase +
                             ", pass --key-file PATH, or run on a terminal");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{tty};
  common::SecureBuffer pass(kMaxPassphraseBytes);
  if (!config::keys::readSecretLine(tty, pass, tty, "keystore passphrase: ") || pass.empty())
    throw std::runtime_error("empty passphrase");
  if (confirm) {
    common::SecureBuffer again(kMaxPassphraseBytes);
    (void)config::keys::readSecretLine(tty, again, tty, "again (new store): ");
    if (again.view() != pass.view()) throw std::runtime_error("the passphrases differ; nothing written");
  }
  return pass;
}

config::keys::KdfParams parseScrypt(const std::string& text) {
  config::keys::KdfParams p;
  unsigned long long n = 0;
  unsigned r = 0, q = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%llu,%u,%u%c", &n, &r, &q, &tail) != 3)
    throw std::invalid_argument("--scrypt: expected N,r,p (e.g. 131072,8,1), found \"" + text + "\"");
  p.n = n;
  p.r = r;
  p.p = q;
  if (const std::string bad = p.check(); !bad.empty()) throw std::invalid_argument("--scrypt: " + bad);
  return p;
}

/// Reads the api key and the secret for `id` from stdin.
void readKeyAndSecret(const KeyId& id, common::SecureBuffer& apiKey, common::SecureBuffer& secret) {
  const bool tty = isatty(STDIN_FILENO) == 1;
  const std::string keyPrompt = "api key for " + id.toString() + ": ";
  const std::string secretPrompt = "secret for " + id.toString() + ": ";
  const bool gotKey = config::keys::readSecretLine(STDIN_FILENO, apiKey, STDERR_FILENO, tty ? keyPrompt.c_str() : nullptr);
  const bool gotSecret =
      gotKey && config::keys::readSecretLine(STDIN_FILENO, secret, STDERR_FILENO, tty ? secretPrompt.c_str() : nullptr);
  if (!gotKey || !gotSecret)
    throw std::runtime_error("expected the api key and then the secret on stdin, one per line");
}

std::string utcDate(common::TimestampNs ns) {
  const time_t secs = static_cast<time_t>(ns / 1'000'000'000);
  tm t{};
  gmtime_r(&secs, &t);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &t);
  return buf;
}

int list(const KeyStore& store) {
  const auto entries = store.list();
  std::printf("%-12s %-10s %-14s %8s  %-10s %s\n", "VENUE", "MARKET", "API_KEY", "AGE_DAYS", "ROTATED", "");
  for (const auto& k : entries)
    std::printf("%-12s %-10s %-14s %8" PRId64 "  %-10s %s\n", k.id.venue.c_str(), k.id.market.c_str(),
                k.apiKeyFingerprint.c_str(), k.ageDays, utcDate(k.rotatedNs).c_str(), k.stale ? "STALE" : "");
  if (entries.empty()) std::printf("(no keys in %s)\n", store.path().c_str());
  std::fflush(stdout);
  for (const auto& k : store.stale())
    std::fprintf(stderr, "warning: the key for %s was last rotated %" PRId64 " days ago (over 30): keys rotate %s\n",
                 k.id.toString().c_str(), k.ageDays, k.id.toString().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // No core dumps and no ptrace attach by other processes of this user: secrets are in memory.
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  const rlimit noCore{0, 0};
  setrlimit(RLIMIT_CORE, &noCore);

  common::CommandLine cl("keys", kSummary);
  cl.option("store", "key store file (default ~/.config/hft/keys.store)")
      .option("key-file", "unlock with this key file (32 raw bytes or 64 hex, mode 0600) instead of a passphrase")
      .option("scrypt", "scrypt N,r,p for a new store (default 131072,8,1; existing stores keep theirs)");
  try {
    common::SecureBuffer envPass = takeEnvPassphrase();  // first: out of the environment at once
    if (!cl.parse(argc, argv)) return 0;
    const auto& args = cl.positional();
    if (args.empty()) throw std::invalid_argument("missing command (add, rotate, remove, list, keygen)\n" + cl.usage());
    const std::string& cmd = args[0];
    const bool needsId = cmd == "add" || cmd == "rotate" || cmd == "remove";
    if (!needsId && cmd != "list" && cmd != "keygen")
      throw std::invalid_argument("unknown command \"" + cmd + "\" (add, rotate, remove, list, keygen)");
    if (args.size() != ((needsId || cmd == "keygen") ? 2u : 1u))
      throw std::invalid_argument(cmd + (needsId ? ": expected one VENUE:MARKET" : cmd == "keygen" ? ": expected one PATH" : ": takes no argument"));

    if (cmd == "keygen") {
      config::keys::MasterKey::createKeyFile(args[1]);
      std::printf("wrote a new key file %s (0600); keep a copy somewhere safe: without it the store is lost\n",
                  args[1].c_str());
      return 0;
    }

    const std::filesystem::path path = cl.has("store") ? std::filesystem::path(cl.get("store")) : KeyStore::defaultPath();
    std::optional<KeyId> id;
    if (needsId) id = KeyId::parse(args[1]);
    const bool exists = std::filesystem::exists(path);
    if (!exists && cmd != "add") {
      std::fprintf(stderr, "keystore %s: does not exist (keys add VENUE:MARKET creates it)\n", path.c_str());
      return 1;
    }

    KeyStore::Options options;
    if (cl.has("scrypt")) options.kdf = parseScrypt(cl.get("scrypt"));
    auto credential = cl.has("key-file") ? config::keys::Credential::keyFile(cl.get("key-file"))
                      : !envPass.empty() ? config::keys::Credential::passphrase(std::move(envPass))
                                         : config::keys::Credential::passphrase(promptPassphrase(!exists));
    KeyStore store = KeyStore::open(path, std::move(credential), options);

    if (cmd == "list") return list(store);
    if (cmd == "remove") {
      store.remove(*id);
      store.save();
      std::printf("removed %s from %s\n", id->toString().c_str(), path.c_str());
      return 0;
    }
    // add / rotate: fail before reading secrets when the command cannot succeed.
    if (cmd == "add" && store.contains(*id))
      throw KeyStoreError(KeyStoreError::Kind::Exists, path.string(), id->toString() + " already has a key (use rotate to replace it)");
    if (cmd == "rotate" && !store.contains(*id))
      throw KeyStoreError(KeyStoreError::Kind::NotFound, path.string(), "no key for " + id->toString() + " to rotate (use add)");
    common::SecureBuffer apiKey(KeyStore::kMaxFieldBytes), secret(KeyStore::kMaxFieldBytes);
    readKeyAndSecret(*id, apiKey, secret);
    if (cmd == "add")
      store.add(*id, apiKey.view(), secret.view());
    else
      store.rotate(*id, apiKey.view(), secret.view());
    store.save();
    std::printf("%s %s (api key %s) in %s\n", cmd == "add" ? "added" : "rotated", id->toString().c_str(),
                KeyStore::fingerprint(apiKey.view()).c_str(), path.c_str());
    return 0;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "keys: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "keys: %s\n", e.what());
    return 1;
  }
}
