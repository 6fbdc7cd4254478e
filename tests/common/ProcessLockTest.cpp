// The singleton lock: a second instance is refused naming the holder; a killed holder's lock
// is released by the kernel.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "common/ProcessLock.h"

namespace hft::common {
namespace {

struct LockDir {
  std::filesystem::path path;
  LockDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "hft-lock-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~LockDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file() const { return (path / "order_executor.lock").string(); }
};

std::string refusal(const std::string& path) {
  try {
    ProcessLock second(path);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no refusal)";
}

TEST(ProcessLock, writesTheHoldersPid) {
  LockDir dir;
  ProcessLock lock(dir.file());
  EXPECT_EQ(lock.path(), dir.file());
  EXPECT_EQ(ProcessLock::holderPid(dir.file()), ::getpid());
}

TEST(ProcessLock, aSecondInstanceIsRefusedNamingTheHolderPid) {
  LockDir dir;
  ProcessLock first(dir.file());
  const std::string why = refusal(dir.file());
  EXPECT_NE(why.find(dir.file()), std::string::npos) << why;
  EXPECT_NE(why.find("held by pid " + std::to_string(::getpid())), std::string::npos) << why;
  EXPECT_NE(why.find("another instance is running"), std::string::npos) << why;
}

TEST(ProcessLock, isFreeAgainOnceTheHolderReleasesIt) {
  LockDir dir;
  {
    ProcessLock first(dir.file());
    ProcessLock moved(std::move(first));  // the moved-from lock must not release it
    EXPECT_NE(refusal(dir.file()), "(no refusal)");
  }
  EXPECT_TRUE(std::filesystem::exists(dir.file()));  // the file stays: removing it would race
  EXPECT_NO_THROW(ProcessLock again(dir.file()));
}

TEST(ProcessLock, aSigkilledHoldersLockIsReleasedByTheKernel) {
  LockDir dir;
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    try {
      ProcessLock lock(dir.file());
      const char ok = 'L';
      if (::write(ready[1], &ok, 1) != 1) ::_exit(3);
      for (;;) ::pause();  // hold it until killed
    } catch (...) {
      ::_exit(2);
    }
  }
  ::close(ready[1]);
  char got = 0;
  ASSERT_EQ(::read(ready[0], &got, 1), 1) << "the child did not take the lock";
  ::close(ready[0]);
  EXPECT_EQ(got, 'L');

  const std::string why = refusal(dir.file());
  EXPECT_NE(why.find("held by pid " + std::to_string(child)), std::string::npos) << why;

  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  EXPECT_EQ(ProcessLock::holderPid(dir.file()), child);  // the dead holder's pid is still written...
  ProcessLock mine(dir.file());                          // ...but the lock is free
  EXPECT_EQ(ProcessLock::holderPid(dir.file()), ::getpid());
}

TEST(ProcessLock, anUnopenableLockFileIsReportedNamingIt) {
  LockDir dir;
  const std::string bad = (dir.path / "missing" / "x.lock").string();
  try {
    ProcessLock lock(bad);
    FAIL() << "no throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace hft::common
