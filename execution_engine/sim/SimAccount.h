#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/sim/SimConfig.h"

namespace hft::execution_engine::sim {

/// The balances the simulated venues hold for us: free and locked per (venue, asset), at
/// common::kAmountScale. Only funded venues (SimConfig::balances) have balances; everything
/// asked of an unfunded venue's asset (AssetId kNone) succeeds and changes nothing.
///
/// Changes mark the asset dirty; publish() turns the dirty assets into BalanceUpdate events, so
/// one venue step that moves an asset several times (release a reservation, pay, receive) is one
/// event. Single-threaded; nothing here allocates after construction.
class SimAccount {
 public:
  using AssetId = int32_t;
  static constexpr AssetId kNone = -1;

  struct Balance {
    int64_t free = 0;
    int64_t locked = 0;
  };

  /// One asset per (venue, asset) of the configured balances and of every instrument of a funded
  /// venue (base and quote), numbered in (venue, asset name) order.
  SimAccount(const SimConfig& config, const config::InstrumentRegistry& registry);

  /// kNone when the venue is unfunded (or, for a funded venue, never happens for an instrument's
  /// assets).
  AssetId find(common::ExchangeId venue, std::string_view asset) const noexcept;

  /// Moves amount (>= 0) from free to locked when free covers it; false otherwise (nothing moved).
  [[nodiscard]] bool tryLock(AssetId a, int64_t amount) noexcept {
    if (a == kNone || amount <= 0) return true;
    Balance& b = assets_[static_cast<size_t>(a)].balance;
    if (b.free < amount) return false;
    b.free -= amount;
    b.locked += amount;
    touch(a);
    return true;
  }
  /// Moves amount from free to locked (negative: back) even if free goes negative (margin of a
  /// position after a fill: the venue does not ask).
  void lock(AssetId a, int64_t amount) noexcept {
    if (a == kNone || amount == 0) return;
    Balance& b = assets_[static_cast<size_t>(a)].balance;
    b.free -= amount;
    b.locked += amount;
    touch(a);
  }
  void unlock(AssetId a, int64_t amount) noexcept { lock(a, -amount); }
  /// Adds amount to free (negative: pays it).
  void credit(AssetId a, int64_t amount) noexcept {
    if (a == kNone || amount == 0) return;
    assets_[static_cast<size_t>(a)].balance.free += amount;
    touch(a);
  }

  Balance balance(AssetId a) const noexcept { return a == kNone ? Balance{} : assets_[static_cast<size_t>(a)].balance; }
  size_t assetCount() const noexcept { return assets_.size(); }

  bool dirty() const noexcept { return !dirty_.empty(); }
  /// Marks every asset changed, so the next publish() sends a full picture (delta 0 for the
  /// assets that did not move since the last publish).
  void touchAll() noexcept;
  /// Calls emit(const BalanceUpdate&) for each dirty asset, in the order they became dirty, and
  /// clears the marks. delta = change of free + locked since the asset was last published.
  template <class F>
  void publish(common::TimestampNs venueTs, common::TimestampNs receiveTs, F&& emit) {
    for (AssetId a : dirty_) {
      Asset& s = assets_[static_cast<size_t>(a)];
      common::BalanceUpdate u{};
      u.header = common::makeHeader<common::BalanceUpdate>(s.venue, 0, venueTs, receiveTs);
      std::memcpy(u.asset, s.code, sizeof u.asset);
      u.free = s.balance.free;
      u.locked = s.balance.locked;
      u.delta = s.balance.free + s.balance.locked - s.published_total;
      s.published_total = s.balance.free + s.balance.locked;
      s.dirty = false;
      emit(u);
    }
    dirty_.clear();
  }

 private:
  struct Asset {
    common::ExchangeId venue;
    char code[8];  ///< NUL-padded, as in BalanceUpdate
    Balance balance;
    int64_t published_total;
    bool dirty;
  };

  void touch(AssetId a) noexcept {
    Asset& s = assets_[static_cast<size_t>(a)];
    if (!s.dirty) {
      s.dirty = true;
      dirty_.push_back(a);  // capacity reserved for every asset: never allocates
    }
  }

  std::vector<Asset> assets_;
  std::vector<AssetId> dirty_;
};

}  // namespace hft::execution_engine::sim
