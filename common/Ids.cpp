#include "common/Ids.h"

#include <cstring>
#include <initializer_list>

namespace hft::common {

namespace {

/// Venues registered at start-up (registerExchange): fixed storage, so toString never allocates.
struct RegisteredExchange {
  ExchangeId id;
  char name[32];
};
constexpr size_t kMaxRegistered = 32;
RegisteredExchange gRegistered[kMaxRegistered];
size_t gRegisteredCount = 0;

bool builtIn(ExchangeId id) noexcept {
  switch (id) {
    case ExchangeId::None:
    case ExchangeId::Binance:
    case ExchangeId::BinanceFutures:
    case ExchangeId::Upbit:
    case ExchangeId::Bithumb:
    case ExchangeId::Simulated: return true;
  }
  return false;
}

}  // namespace

RegisterExchangeError registerExchange(ExchangeId id, const char* name) noexcept {
  const size_t len = name ? std::strlen(name) : 0;
  if (len == 0 || len >= sizeof(RegisteredExchange::name)) return RegisterExchangeError::BadName;
  for (size_t i = 0; i < len; ++i)
    if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
      return RegisterExchangeError::BadName;
  if (builtIn(id)) return RegisterExchangeError::BadId;
  const ExchangeId known = exchangeFromString(name);
  if (known == id) return RegisterExchangeError::None;  // the same venue again
  if (known != ExchangeId::None) return RegisterExchangeError::NameTaken;
  if (std::strcmp(toString(id), "unknown") != 0) return RegisterExchangeError::IdTaken;
  if (gRegisteredCount == kMaxRegistered) return RegisterExchangeError::TableFull;
  RegisteredExchange& r = gRegistered[gRegisteredCount++];
  r.id = id;
  std::memcpy(r.name, name, len + 1);
  return RegisterExchangeError::None;
}

const char* toString(ExchangeId id) noexcept {
  switch (id) {
    case ExchangeId::None: return "none";
    case ExchangeId::Binance: return "binance";
    case ExchangeId::BinanceFutures: return "binance_futures";
    case ExchangeId::Upbit: return "upbit";
    case ExchangeId::Bithumb: return "bithumb";
    case ExchangeId::Simulated: return "simulated";
  }
  for (size_t i = 0; i < gRegisteredCount; ++i)
    if (gRegistered[i].id == id) return gRegistered[i].name;
  return "unknown";
}

ExchangeId exchangeFromString(const char* name) noexcept {
  for (ExchangeId id : {ExchangeId::Binance, ExchangeId::BinanceFutures, ExchangeId::Upbit,
                        ExchangeId::Bithumb, ExchangeId::Simulated}) {
    if (std::strcmp(name, toString(id)) == 0) return id;
  }
  for (size_t i = 0; i < gRegisteredCount; ++i)
    if (std::strcmp(name, gRegistered[i].name) == 0) return gRegistered[i].id;
  return ExchangeId::None;
}

}  // namespace hft::common
