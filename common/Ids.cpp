#include "common/Ids.h"

#include <cstring>
#include <initializer_list>

namespace hft::common {

const char* toString(ExchangeId id) noexcept {
  switch (id) {
    case ExchangeId::None: return "none";
    case ExchangeId::Binance: return "binance";
    case ExchangeId::BinanceFutures: return "binance_futures";
    case ExchangeId::Upbit: return "upbit";
    case ExchangeId::Bithumb: return "bithumb";
    case ExchangeId::Simulated: return "simulated";
  }
  return "unknown";
}

ExchangeId exchangeFromString(const char* name) noexcept {
  for (ExchangeId id : {ExchangeId::Binance, ExchangeId::BinanceFutures, ExchangeId::Upbit,
                        ExchangeId::Bithumb, ExchangeId::Simulated}) {
    if (std::strcmp(name, toString(id)) == 0) return id;
  }
  return ExchangeId::None;
}

}  // namespace hft::common
