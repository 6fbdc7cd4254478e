#pragma once
// Client order ids: their 64-bit layout, the generator the executor uses for ids it makes
// itself (cancel legs, kill-switch cancels, cancel-replace legs it creates), and the venue
// spelling. The layout is the one strategies already use (strategy_engine::StrategyHost::
// makeOrderId), so every id in the system reads the same way:
//
//    63           52 51                    28 27                         0
//   +---------------+------------------------+----------------------------+
//   | strategy (12) |       run (24)         |       sequence (28)        |
//   +---------------+------------------------+----------------------------+
//
// strategy: 1..4095 for strategies, 0 for the executor itself (StrategyId 0 = system).
// run: distinguishes runs of the same owner; live it is the start time in seconds since the
//   epoch modulo 2^24 (194 days), forced past the previous run's (see nextRunId).
// sequence: 1, 2, ... within the run (0 is never issued, so no id is 0).
//
// Why ids cannot collide: two ids of different owners differ in the strategy field; two of the
// same owner and run differ in the sequence (a generator refuses to wrap); two of different
// runs differ in the run field unless the runs started a multiple of 2^24 s (194 days) apart and
// the older run's order is still known then, which OrderManager would refuse as a duplicate
// anyway. The same-second restart is covered by nextRunId, which never reuses the last run.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/Ids.h"

namespace hft::managers {

class ClientOrderIds {
 public:
  static constexpr int kStrategyBits = 12;
  static constexpr int kRunBits = 24;
  static constexpr int kSequenceBits = 28;
  static constexpr uint32_t kMaxStrategy = (1u << kStrategyBits) - 1;
  static constexpr uint32_t kRunMask = (1u << kRunBits) - 1;
  static constexpr uint32_t kMaxSequence = (1u << kSequenceBits) - 1;
  /// The owner field of ids the executor makes.
  static constexpr common::StrategyId kExecutorOwner = 0;
  /// Longest venue spelling: "hft-4095-16777215-268435455".
  static constexpr size_t kMaxVenueChars = 27;

  /// The id of (owner, run, sequence); fields are masked to their widths. Identical to
  /// StrategyHost::makeOrderId.
  static constexpr common::ClientOrderId make(common::StrategyId owner, uint32_t run, uint32_t sequence) noexcept {
    return (static_cast<uint64_t>(owner & kMaxStrategy) << (kRunBits + kSequenceBits)) |
           (static_cast<uint64_t>(run & kRunMask) << kSequenceBits) | (sequence & kMaxSequence);
  }
  static constexpr common::StrategyId ownerOf(common::ClientOrderId id) noexcept {
    return static_cast<common::StrategyId>(id >> (kRunBits + kSequenceBits));
  }
  static constexpr uint32_t runOf(common::ClientOrderId id) noexcept {
    return static_cast<uint32_t>(id >> kSequenceBits) & kRunMask;
  }
  static constexpr uint32_t sequenceOf(common::ClientOrderId id) noexcept {
    return static_cast<uint32_t>(id) & kMaxSequence;
  }

  /// The run of a process started at wall time `nowNs`: seconds since the epoch modulo 2^24, as
  /// strategy_runner computes its run id.
  static constexpr uint32_t runFromWallClock(common::TimestampNs nowNs) noexcept {
    return static_cast<uint32_t>(static_cast<uint64_t>(nowNs / 1'000'000'000) & kRunMask);
  }
  /// The run to use after a run `previous` (persisted, e.g. in the executor's snapshot): the
  /// wall-clock run, unless that equals `previous` (restart within the same second, or a clock
  /// set back to exactly that second), then previous + 1. Never `previous` itself.
  static constexpr uint32_t nextRunId(uint32_t previous, common::TimestampNs nowNs) noexcept {
    const uint32_t run = runFromWallClock(nowNs);
    return run != (previous & kRunMask) ? run : (previous + 1) & kRunMask;
  }

  /// A generator for `owner`'s ids in run `run`. Ids start at sequence 1.
  explicit ClientOrderIds(uint32_t run, common::StrategyId owner = kExecutorOwner) noexcept
      : owner_(owner & kMaxStrategy), run_(run & kRunMask) {}

  /// The next id; 0 once all 2^28 - 1 sequences of the run are used (never wraps: the caller
  /// must start a new run, which a restart does).
  [[nodiscard]] common::ClientOrderId next() noexcept {
    if (sequence_ >= kMaxSequence) return 0;
    return make(owner_, run_, ++sequence_);
  }
  /// Continues after `id` (same owner and run) so ids issued before a snapshot are not issued
  /// again; ids of another owner or run are ignored.
  void skipPast(common::ClientOrderId id) noexcept {
    if (ownerOf(id) == owner_ && runOf(id) == run_ && sequenceOf(id) > sequence_) sequence_ = sequenceOf(id);
  }

  uint32_t run() const noexcept { return run_; }
  common::StrategyId owner() const noexcept { return owner_; }
  /// Ids issued so far in this run.
  uint32_t issued() const noexcept { return sequence_; }

  // ---- venue spelling --------------------------------------------------------------------
  // "hft-<owner>-<run>-<sequence>", decimal without leading zeros: at most 27 characters of
  // [a-z0-9-], inside Binance's newClientOrderId pattern ^[\.A-Z\:/a-z0-9_-]{1,36}$ and Upbit's
  // identifier. Every uint64 has exactly one spelling and every spelling one id, so an order
  // placed by hand ("web_...", a venue-generated id) never parses as one of ours.

  /// Writes the spelling of `id` into buf; returns its length, or 0 when `len` is too small
  /// (kMaxVenueChars always suffices). No allocation, no terminating NUL.
  static size_t toVenueString(common::ClientOrderId id, char* buf, size_t len) noexcept;
  /// Cold-path convenience.
  static std::string toVenueString(common::ClientOrderId id);
  /// Parses a venue spelling back; false (out untouched) for anything toVenueString would not
  /// have written: another prefix, leading zeros, a field out of range, extra characters.
  [[nodiscard]] static bool fromVenueString(std::string_view text, common::ClientOrderId& out) noexcept;

 private:
  common::StrategyId owner_;
  uint32_t run_;
  uint32_t sequence_ = 0;
};

static_assert(ClientOrderIds::kStrategyBits + ClientOrderIds::kRunBits + ClientOrderIds::kSequenceBits == 64);
static_assert(ClientOrderIds::make(0xFFF, 0xFFFFFF, 0xFFFFFFF) == ~0ull);
static_assert(ClientOrderIds::make(1, 2, 3) == ((1ull << 52) | (2ull << 28) | 3));

}  // namespace hft::managers
