#include <gtest/gtest.h>

#include <csignal>
#include <cstring>

#include "RiskTestUtil.h"
#include "managers/KillSwitch.h"
#include "tests/config/ConfigTestUtil.h"

using namespace hft;
using namespace hft::test;
using managers::KillSwitch;

namespace {

static_assert(noexcept(std::declval<const KillSwitch&>().engaged()));
static_assert(noexcept(std::declval<KillSwitch&>().poll()));

nlohmann::json rulesWithKillFile(const std::string& file) {
  nlohmann::json rules = baseRules();
  rules["kill_switch_file"] = file;
  return rules;
}

TEST(KillSwitch, engagedThroughTheApiRejectsNewAndModifyWithItsReasonUntilCleared) {
  RiskHarness h(baseRules());
  Order resting;
  ASSERT_TRUE(submit(h.risk, resting).accepted());

  h.risk.killSwitch().engage("operator halt");
  const Order fresh;
  const auto d = h.risk.check(fresh, kT0);
  EXPECT_EQ(d.reason, RejectReason::KillSwitch);
  EXPECT_STREQ(d.detail, "operator halt");
  EXPECT_EQ(h.risk.check(Order().modifies(resting.id()), kT0).reason, RejectReason::KillSwitch);

  h.risk.killSwitch().clear();
  EXPECT_TRUE(h.risk.check(fresh, kT0).accepted());
}

TEST(KillSwitch, cancelsPassWhileEngaged) {
  RiskHarness h(baseRules());
  Order resting;
  ASSERT_TRUE(submit(h.risk, resting).accepted());
  h.risk.killSwitch().engage("halt");
  EXPECT_TRUE(h.risk.check(Order().cancels(resting.id()), kT0).accepted());
  Order garbage;
  garbage.cancels(resting.id());
  garbage.r.qty = -5;
  garbage.r.side = static_cast<Side>(77);
  EXPECT_TRUE(h.risk.check(garbage, kT0).accepted()) << "a cancel is never refused by risk";
}

TEST(KillSwitch, fileSourceFollowsTheFileWhenPolled) {
  TempDir dir;
  const std::string file = (dir.path / "hft.kill").string();
  RiskHarness h(rulesWithKillFile(file));
  EXPECT_EQ(h.risk.killSwitch().file(), file);
  EXPECT_FALSE(h.risk.killSwitch().poll());
  EXPECT_TRUE(h.risk.check(Order(), kT0).accepted());

  dir.write("hft.kill", "");
  EXPECT_TRUE(h.risk.check(Order(), kT0).accepted()) << "nothing changes until the caller polls";
  EXPECT_TRUE(h.risk.killSwitch().poll());
  const auto d = h.risk.check(Order(), kT0);
  EXPECT_EQ(d.reason, RejectReason::KillSwitch);
  EXPECT_STREQ(d.detail, "kill switch file present");

  h.risk.killSwitch().clear();
  EXPECT_EQ(h.risk.check(Order(), kT0).reason, RejectReason::KillSwitch) << "clear() leaves the file source alone";

  std::filesystem::remove(file);
  EXPECT_FALSE(h.risk.killSwitch().poll());
  EXPECT_TRUE(h.risk.check(Order(), kT0).accepted());
}

TEST(KillSwitch, aKillFilePresentAtStartUpEngagesBeforeTheFirstPoll) {
  TempDir dir;
  const std::string file = dir.write("hft.kill", "");
  RiskHarness h(rulesWithKillFile(file));
  EXPECT_EQ(h.risk.check(Order(), kT0).reason, RejectReason::KillSwitch);
}

TEST(KillSwitch, eachSigusr1TogglesTheSwitch) {
  KillSwitch::installSignalHandler();
  KillSwitch ks;
  ASSERT_FALSE(ks.engaged());
  ASSERT_EQ(std::raise(SIGUSR1), 0);
  EXPECT_TRUE(ks.engaged());
  EXPECT_STREQ(ks.reason(), "kill switch toggled on by signal");
  ASSERT_EQ(std::raise(SIGUSR1), 0);
  EXPECT_FALSE(ks.engaged());

  ASSERT_EQ(std::raise(SIGUSR1), 0);
  ks.clear();
  EXPECT_FALSE(ks.engaged()) << "clear() also resets the signal source";
  std::signal(SIGUSR1, SIG_DFL);
}

TEST(KillSwitch, isNotEngagedWithoutASourceAndHasNoReason) {
  KillSwitch ks("/nonexistent-dir/hft.kill");
  EXPECT_FALSE(ks.poll());
  EXPECT_STREQ(ks.reason(), "");
}

}  // namespace
