#pragma once
#include <cstring>
#include <string_view>

namespace hft::execution_engine::sim {

/// Writes an asset code into a NUL-padded char[8] (BalanceUpdate::asset, ExecutionReport::fee_asset),
/// truncated at 8 characters. Same result as common::setAsset, written with memcpy because
/// strncpy with a bound equal to the destination trips GCC 12's -Wstringop-truncation at -O3.
inline void copyAsset(char (&dst)[8], std::string_view code) noexcept {
  std::memset(dst, 0, sizeof dst);
  std::memcpy(dst, code.data(), code.size() < sizeof dst ? code.size() : sizeof dst);
}

}  // namespace hft::execution_engine::sim
