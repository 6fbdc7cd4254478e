#include "execution_engine/sim/SimAccount.h"

#include <cstring>
#include <map>
#include <utility>

#include "execution_engine/sim/AssetCode.h"

namespace hft::execution_engine::sim {

SimAccount::SimAccount(const SimConfig& config, const config::InstrumentRegistry& registry) {
  // std::map: the asset numbering (and so the order of a full refresh) is (venue, name) order.
  std::map<std::pair<common::ExchangeId, std::string>, int64_t> initial;
  for (const auto& [venue, assets] : config.balances)
    for (const auto& [name, amount] : assets) initial[{venue, name}] = amount;
  for (const config::Instrument& i : registry.all()) {
    if (!config.balances.contains(i.exchange)) continue;
    // A margin venue settles everything in the quote asset: it holds no base.
    if (!config.leverage.contains(i.exchange)) initial.try_emplace({i.exchange, i.base}, 0);
    initial.try_emplace({i.exchange, i.quote}, 0);
  }
  assets_.reserve(initial.size());
  for (const auto& [key, amount] : initial) {
    Asset a{};
    a.venue = key.first;
    copyAsset(a.code, key.second);
    a.balance.free = amount;
    a.published_total = amount;
    assets_.push_back(a);
  }
  dirty_.reserve(assets_.size());
}

SimAccount::AssetId SimAccount::find(common::ExchangeId venue, std::string_view asset) const noexcept {
  for (size_t i = 0; i < assets_.size(); ++i) {
    const Asset& a = assets_[i];
    if (a.venue == venue && asset.size() <= sizeof a.code && std::memcmp(a.code, asset.data(), asset.size()) == 0 &&
        (asset.size() == sizeof a.code || a.code[asset.size()] == '\0'))
      return static_cast<AssetId>(i);
  }
  return kNone;
}

void SimAccount::touchAll() noexcept {
  for (size_t i = 0; i < assets_.size(); ++i) touch(static_cast<AssetId>(i));
}

}  // namespace hft::execution_engine::sim
