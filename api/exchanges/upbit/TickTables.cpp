#include "api/exchanges/upbit/TickTables.h"

#include <string_view>

namespace hft::api::upbit {

namespace {

constexpr int64_t kOne = 100'000'000;  // 1 at kTickTableScale

constexpr shared::TickBand kKrw[] = {
    {0, 1},                                 // < 0.0001 KRW: 0.00000001 (2024-10 table, unverified)
    {10'000, 10},                           // 0.0001: 0.0000001 (unverified)
    {100'000, 100},                         // 0.001: 0.000001 (unverified)
    {1'000'000, 1'000},                     // 0.01: 0.00001 (unverified)
    {10'000'000, 10'000},                   // 0.1: 0.0001 (unverified)
    {kOne, 100'000},                        // 1: 0.001 (unverified)
    {10 * kOne, 1'000'000},                 // 10: 0.01 (unverified)
    {100 * kOne, kOne},                     // 100: 1
    {1'000 * kOne, kOne},                   // 1,000: 1
    {5'000 * kOne, 5 * kOne},               // 5,000: 5
    {10'000 * kOne, 10 * kOne},             // 10,000: 10
    {50'000 * kOne, 50 * kOne},             // 50,000: 50
    {100'000 * kOne, 100 * kOne},           // 100,000: 100
    {500'000 * kOne, 500 * kOne},           // 500,000: 500
    {1'000'000 * kOne, 1'000 * kOne},       // 1,000,000: 1,000
    {2'000'000 * kOne, 1'000 * kOne},       // 2,000,000: 1,000
};

constexpr shared::TickBand kBtc[] = {{0, 1}};

constexpr shared::TickBand kUsdt[] = {
    {0, 1},                   // < 0.0001: 0.00000001
    {10'000, 10},             // 0.0001: 0.0000001
    {100'000, 100},           // 0.001: 0.000001
    {1'000'000, 1'000},       // 0.01: 0.00001
    {10'000'000, 10'000},     // 0.1: 0.0001
    {kOne, 100'000},          // 1: 0.001
    {10 * kOne, 1'000'000},   // 10: 0.01
};

}  // namespace

std::span<const shared::TickBand> krwTickBands() noexcept { return kKrw; }
std::span<const shared::TickBand> btcTickBands() noexcept { return kBtc; }
std::span<const shared::TickBand> usdtTickBands() noexcept { return kUsdt; }

std::span<const shared::TickBand> tickBandsForQuote(std::string_view quote) noexcept {
  if (quote == "KRW") return kKrw;
  if (quote == "BTC") return kBtc;
  if (quote == "USDT") return kUsdt;
  return {};
}

}  // namespace hft::api::upbit
