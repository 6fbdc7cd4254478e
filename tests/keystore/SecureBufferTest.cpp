// common/SecureBuffer: locked, non-dumpable pages that are wiped before they are unmapped.
#include "common/SecureBuffer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <system_error>
#include <type_traits>

using hft::common::SecureBuffer;

static_assert(!std::is_copy_constructible_v<SecureBuffer> && !std::is_copy_assignable_v<SecureBuffer>,
              "a copy would be a second place to wipe");
static_assert(std::is_nothrow_move_constructible_v<SecureBuffer> && std::is_nothrow_move_assignable_v<SecureBuffer>);

namespace {

// What the release hook saw: the size of the last release and whether any byte was non-zero.
size_t gReleasedBytes = 0;
size_t gNonZeroBytes = 0;
int gReleases = 0;

void observe(const unsigned char* pages, size_t bytes) noexcept {
  ++gReleases;
  gReleasedBytes = bytes;
  for (size_t i = 0; i < bytes; ++i) gNonZeroBytes += pages[i] != 0 ? 1 : 0;
}

class SecureBufferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gReleasedBytes = gNonZeroBytes = 0;
    gReleases = 0;
    SecureBuffer::setReleaseObserverForTesting(observe);
  }
  void TearDown() override { SecureBuffer::setReleaseObserverForTesting(nullptr); }
};

}  // namespace

TEST_F(SecureBufferTest, startsEmptyZeroedPageAlignedAndLockedOrSaysWhyNot) {
  SecureBuffer b(100, SecureBuffer::LockPolicy::BestEffort);
  EXPECT_EQ(b.capacity(), 100u);
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % static_cast<uintptr_t>(sysconf(_SC_PAGESIZE)), 0u);
  for (size_t i = 0; i < b.capacity(); ++i) ASSERT_EQ(b.data()[i], 0);
  if (b.locked() && b.excludedFromDumps()) {
    EXPECT_EQ(b.degradedReason(), "");
  } else {
    EXPECT_NE(b.degradedReason(), "");  // e.g. "mlock: ... (RLIMIT_MEMLOCK ...)"
  }
  // Require either locks or throws naming the limit: never a silently unlocked buffer.
  try {
    SecureBuffer strict(100);
    EXPECT_TRUE(strict.locked());
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("RLIMIT_MEMLOCK"), std::string::npos) << e.what();
  }
}

TEST_F(SecureBufferTest, isWipedBeforeItsPagesAreUnmapped) {
  {
    SecureBuffer b(3000, SecureBuffer::LockPolicy::BestEffort);
    const char secret[] = "correct horse battery staple";
    ASSERT_TRUE(b.append(secret, sizeof secret - 1));
    std::memset(b.data() + b.size(), 0xAB, b.capacity() - b.size());  // bytes past size() count too
  }
  EXPECT_EQ(gReleases, 1);
  EXPECT_EQ(gReleasedBytes, static_cast<size_t>(sysconf(_SC_PAGESIZE)));  // the whole page was checked
  EXPECT_EQ(gNonZeroBytes, 0u);
}

TEST_F(SecureBufferTest, moveHandsOverThePagesAndReleasesOnce) {
  SecureBuffer a(64, SecureBuffer::LockPolicy::BestEffort);
  ASSERT_TRUE(a.append("abc", 3));
  const unsigned char* pages = a.data();
  SecureBuffer b(std::move(a));
  EXPECT_EQ(b.data(), pages);
  EXPECT_EQ(b.view(), "abc");
  EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move): the moved-from state is the contract
  EXPECT_EQ(a.capacity(), 0u);
  SecureBuffer c(64, SecureBuffer::LockPolicy::BestEffort);
  c = std::move(b);  // releases c's own pages first
  EXPECT_EQ(gReleases, 1);
  EXPECT_EQ(c.view(), "abc");
}

TEST_F(SecureBufferTest, refusesToOverflowAndWipesWhatItGivesUp) {
  SecureBuffer b(4, SecureBuffer::LockPolicy::BestEffort);
  EXPECT_TRUE(b.append("abcd", 4));
  EXPECT_FALSE(b.push_back('e'));
  EXPECT_FALSE(b.append("e", 1));
  EXPECT_EQ(b.view(), "abcd");
  b.resize(1);
  EXPECT_EQ(b.data()[1], 0);
  EXPECT_EQ(b.data()[3], 0);
  EXPECT_THROW(b.resize(5), std::length_error);
  b.clear();
  EXPECT_EQ(b.data()[0], 0);
  EXPECT_TRUE(b.empty());
  EXPECT_THROW(SecureBuffer(0), std::invalid_argument);
}
