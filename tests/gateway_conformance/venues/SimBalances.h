#pragma once
// The account in a /sim/state document whose balances are [{asset, free, locked}] decimal strings
// (Binance spot, Upbit, Bithumb profiles), at common::kAmountScale.
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "ConformanceVenue.h"

namespace hft::test::conformance {

/// `key` of one balance object as an amount; throws std::runtime_error naming the key.
int64_t simAmount(const nlohmann::json& balance, const char* key);
/// {asset: {free, locked}}; throws std::runtime_error when there is no balances array.
std::map<std::string, SimBalance> freeLockedBalances(const nlohmann::json& simState);

}  // namespace hft::test::conformance
