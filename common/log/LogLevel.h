#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace hft::common::log {

enum class Level : uint8_t { Trace = 0, Debug = 1, Info = 2, Warn = 3, Error = 4, Critical = 5, Off = 6 };

constexpr const char* toString(Level l) noexcept {
  constexpr const char* kNames[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  return static_cast<uint8_t>(l) <= 6 ? kNames[static_cast<uint8_t>(l)] : "?";
}

/// "trace" .. "critical", "off"; nullopt for anything else.
constexpr std::optional<Level> levelFromString(std::string_view s) noexcept {
  for (uint8_t i = 0; i <= 6; ++i)
    if (s == toString(static_cast<Level>(i))) return static_cast<Level>(i);
  return std::nullopt;
}

}  // namespace hft::common::log
