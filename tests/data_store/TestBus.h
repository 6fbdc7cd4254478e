#pragma once
// Helpers for bus tests: unique segment names so parallel ctest runs never collide.
#include <unistd.h>

#include <atomic>
#include <string>

#include "common/Events.h"
#include "data_store/ShmSegment.h"

namespace hft::test {

inline std::string uniqueName(const std::string& what) {
  static std::atomic<int> counter{0};
  return "hft.test." + std::to_string(getpid()) + "." + std::to_string(counter++) + "." + what;
}

/// Removes a segment when the test ends, whatever happens.
struct ShmCleanup {
  std::string name;
  explicit ShmCleanup(std::string n) : name(std::move(n)) { data_store::ShmSegment::remove(name); }
  ~ShmCleanup() { data_store::ShmSegment::remove(name); }
};

/// A Trade whose payload is a function of `n`, so a reader can prove it is not torn.
inline common::Trade checkedTrade(uint64_t n) {
  common::Trade t{};
  t.header = common::makeHeader<common::Trade>(common::ExchangeId::Simulated, static_cast<uint32_t>(n % 7 + 1),
                                               static_cast<int64_t>(n), static_cast<int64_t>(n * 3));
  t.price = static_cast<int64_t>(n * 1000 + 7);
  t.qty = static_cast<int64_t>(n ^ 0x5555);
  t.trade_id = n * 31 + 1;
  t.aggressor = n % 2 ? common::Side::Buy : common::Side::Sell;
  return t;
}

/// True if the trade is exactly what checkedTrade(n) made for the n its exchange_ts says.
inline bool isIntactTrade(const common::Trade& t) {
  const auto n = static_cast<uint64_t>(t.header.exchange_ts_ns);
  common::Trade want = checkedTrade(n);
  want.header.sequence = t.header.sequence;
  return std::memcmp(&want, &t, sizeof t) == 0;
}

}  // namespace hft::test
