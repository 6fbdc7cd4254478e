// The real `keys` binary: add/list/rotate/remove with HFT_KEYSTORE_PASSPHRASE, secrets on stdin
// only, and never in its output.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr const char* kApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr const char* kSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

struct Result {
  int code = -1;
  std::string out, err;
  std::string both() const { return out + err; }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class KeysTool : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hft-keys-tool-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    store_ = (dir_ / "cfg" / "keys.store").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Runs build/bin/keys with `input` on stdin, in its own session (no controlling terminal,
  /// so it can never prompt), with HFT_KEYSTORE_PASSPHRASE = `passphrase` (unset when empty).
  Result run(std::vector<std::string> args, const std::string& input = "", const std::string& passphrase = "pw-123") {
    const fs::path in = dir_ / "stdin", out = dir_ / "stdout", err = dir_ / "stderr";
    std::ofstream(in) << input;
    std::vector<std::string> full{std::string(HFT_BIN_DIR) + "/keys"};
    for (auto& a : args) full.push_back(std::move(a));
    const pid_t pid = fork();
    if (pid == 0) {
      setsid();
      dup2(::open(in.c_str(), O_RDONLY), 0);
      dup2(::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 1);
      dup2(::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 2);
      if (passphrase.empty())
        unsetenv("HFT_KEYSTORE_PASSPHRASE");
      else
        setenv("HFT_KEYSTORE_PASSPHRASE", passphrase.c_str(), 1);
      std::vector<char*> argv;
      for (auto& a : full) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    Result r;
    for (int i = 0; i < 2000; ++i) {  // 10 s
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      usleep(5000);
    }
    if (r.code == -1) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }
  std::vector<std::string> common(std::vector<std::string> rest) {
    std::vector<std::string> a{"--store", store_, "--scrypt", "1024,1,1"};
    a.insert(a.end(), rest.begin(), rest.end());
    return a;
  }

  fs::path dir_;
  std::string store_;
};

}  // namespace

TEST_F(KeysTool, addListRotateRemoveWithTheEnvironmentPassphraseNeverPrintTheSecret) {
  const std::string input = std::string(kApiKey) + "\n" + kSecret + "\n";
  std::vector<Result> all;

  all.push_back(run(common({"add", "binance:spot"}), input));
  EXPECT_EQ(all.back().code, 0) << all.back().both();
  EXPECT_NE(all.back().out.find("added binance:spot (api key vmPU...Eh8A)"), std::string::npos) << all.back().out;
  struct stat st{};
  ASSERT_EQ(stat(store_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(slurp(store_).find(kSecret), std::string::npos);

  all.push_back(run(common({"add", "upbit:spot"}), "upbit-access-key-0123456789\nupbit-secret-key\r\n"));
  EXPECT_EQ(all.back().code, 0) << all.back().both();

  all.push_back(run(common({"list"})));
  const Result& list = all.back();
  EXPECT_EQ(list.code, 0) << list.both();
  EXPECT_NE(list.out.find("binance      spot       vmPU...Eh8A"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("upbit        spot       upbi...6789"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("STALE"), std::string::npos);

  all.push_back(run(common({"add", "binance:spot"}), input));  // already there
  EXPECT_EQ(all.back().code, 1);
  EXPECT_NE(all.back().err.find("use rotate"), std::string::npos) << all.back().err;

  all.push_back(run(common({"rotate", "binance:spot"}), "NEWKEY-aaaabbbbccccdddd\nNEWSECRET-zzzz\n"));
  EXPECT_EQ(all.back().code, 0) << all.back().both();

  all.push_back(run(common({"remove", "upbit:spot"})));
  EXPECT_EQ(all.back().code, 0) << all.back().both();
  all.push_back(run(common({"list"})));
  EXPECT_NE(all.back().out.find("NEWK...dddd"), std::string::npos) << all.back().out;
  EXPECT_EQ(all.back().out.find("upbit"), std::string::npos) << all.back().out;

  for (const Result& r : all) {
    EXPECT_EQ(r.both().find(kSecret), std::string::npos) << r.both();
    EXPECT_EQ(r.both().find(kApiKey), std::string::npos) << r.both();
    EXPECT_EQ(r.both().find("upbit-secret-key"), std::string::npos) << r.both();
    EXPECT_EQ(r.both().find("NEWSECRET"), std::string::npos) << r.both();
    EXPECT_EQ(r.both().find("pw-123"), std::string::npos) << r.both();
  }
}

TEST_F(KeysTool, wrongPassphraseFailsWithTheAuthenticationError) {
  ASSERT_EQ(run(common({"add", "binance:spot"}), std::string(kApiKey) + "\n" + kSecret + "\n").code, 0);
  const Result r = run(common({"list"}), "", "not-the-passphrase");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("keystore " + store_ + ": wrong passphrase or damaged file (authentication failed)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out.find("binance"), std::string::npos);
}

TEST_F(KeysTool, refusesSecretsOnTheCommandLineAndMissingInput) {
  Result r = run(common({"add", "binance:spot", kSecret}));
  EXPECT_EQ(r.code, 2);
  EXPECT_FALSE(fs::exists(store_));
  r = run(common({"add", "binance:spot"}), std::string(kApiKey) + "\n");  // no secret line
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("expected the api key and then the secret"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(store_));
  r = run(common({"add", "binance:spot"}), "k\ns\n", "");  // no passphrase and no terminal
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("HFT_KEYSTORE_PASSPHRASE"), std::string::npos) << r.err;
  r = run(common({"list"}));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
}

TEST_F(KeysTool, helpListsTheCommandsAndOptions) {
  const Result r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* word : {"add VENUE:MARKET", "rotate", "remove", "list", "--store", "--key-file",
                           "HFT_KEYSTORE_PASSPHRASE"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word << "\n" << r.out;
}

TEST_F(KeysTool, aKeyFileUnlocksTheStoreOnlyWhenPrivate) {
  const std::string key = (dir_ / "store.key").string();
  ASSERT_EQ(run({"keygen", key}).code, 0);
  Result r = run(common({"--key-file", key, "add", "binance:futures"}), "key-0123456789abcdefgh\nsecret-x\n", "");
  EXPECT_EQ(r.code, 0) << r.both();
  ASSERT_EQ(chmod(key.c_str(), 0644), 0);
  r = run(common({"--key-file", key, "list"}), "", "");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("mode 0644"), std::string::npos) << r.err;
  ASSERT_EQ(chmod(key.c_str(), 0600), 0);
  r = run(common({"--key-file", key, "list"}), "", "");
  EXPECT_EQ(r.code, 0) << r.both();
  EXPECT_NE(r.out.find("binance      futures"), std::string::npos) << r.out;
}
