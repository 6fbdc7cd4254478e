#include "data_store/ProcessRegistry.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "TestBus.h"

using namespace hft::data_store;
using hft::test::ShmCleanup;
using hft::test::uniqueName;

TEST(ProcessRegistry, listsAttachedProcessesAndForgetsDetachedOnes) {
  ShmCleanup shm(uniqueName("registry"));
  ProcessRegistry reg(shm.name);
  RegistryEntry& a = reg.attach("datafeed", ProcessRole::Datafeed, "", 0);
  RegistryEntry& b = reg.attach("recorder", ProcessRole::DataRecorder, "hft.x.md", -1);
  b.cursor.store(42);
  b.lost.store(3);
  auto procs = reg.list();
  ASSERT_EQ(procs.size(), 2u);
  EXPECT_EQ(procs[1].name, "recorder");
  EXPECT_EQ(procs[1].reading, "hft.x.md");
  EXPECT_EQ(procs[1].cursor, 42u);
  EXPECT_EQ(procs[1].lost, 3u);
  EXPECT_EQ(procs[1].pid, static_cast<uint32_t>(getpid()));
  EXPECT_TRUE(procs[1].alive);
  reg.detach(a);
  procs = reg.list();
  ASSERT_EQ(procs.size(), 1u);
  EXPECT_EQ(procs[0].role, ProcessRole::DataRecorder);
}

TEST(ProcessRegistry, aSecondProcessSeesTheSameTable) {
  ShmCleanup shm(uniqueName("registry"));
  ProcessRegistry reg(shm.name);
  const pid_t child = fork();
  if (child == 0) {
    ProcessRegistry mine(shm.name);
    mine.attach("child", ProcessRole::StrategyRunner, "", 1);
    pause();  // stays attached until killed
    _exit(0);
  }
  bool seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {
    for (auto& p : reg.list()) seen |= p.name == "child" && p.alive;
    if (!seen) usleep(10'000);
  }
  EXPECT_TRUE(seen);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  // The killed process never detached: it is listed, marked dead.
  bool dead = false;
  for (auto& p : reg.list()) dead |= p.name == "child" && !p.alive;
  EXPECT_TRUE(dead);
}

TEST(ProcessRegistry, reclaimsEntriesOfDeadProcessesWhenFull) {
  ShmCleanup shm(uniqueName("registry"));
  ProcessRegistry reg(shm.name);
  const pid_t child = fork();
  if (child == 0) {
    ProcessRegistry mine(shm.name);
    for (uint32_t i = 0; i < kRegistryCapacity; ++i) mine.attach("filler", ProcessRole::Monitor, "", -1);
    _exit(0);  // dies without detaching: 64 stale entries
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(reg.list().size(), kRegistryCapacity);
  RegistryEntry& e = reg.attach("fresh", ProcessRole::Monitor, "", -1);
  EXPECT_EQ(e.pid, static_cast<uint32_t>(getpid()));
}

TEST(ProcessRegistry, throwsWhenFullOfLiveProcesses) {
  ShmCleanup shm(uniqueName("registry"));
  ProcessRegistry reg(shm.name);
  for (uint32_t i = 0; i < kRegistryCapacity; ++i) reg.attach("me", ProcessRole::Monitor, "", -1);
  EXPECT_THROW(reg.attach("one too many", ProcessRole::Monitor, "", -1), std::runtime_error);
}

TEST(ProcessRegistry, refusesNamesThatWouldBeTruncated) {
  ShmCleanup shm(uniqueName("registry"));
  ProcessRegistry reg(shm.name);
  EXPECT_THROW(reg.attach(std::string(64, 'x'), ProcessRole::Monitor, "", -1), std::invalid_argument);
  EXPECT_THROW(reg.attach("ok", ProcessRole::Monitor, std::string(96, 'r'), -1), std::invalid_argument);
  EXPECT_NO_THROW(reg.attach(std::string(63, 'x'), ProcessRole::Monitor, std::string(95, 'r'), -1));
}
