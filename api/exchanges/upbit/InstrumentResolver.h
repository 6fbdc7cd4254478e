#pragma once
#include <string_view>

#include "common/Ids.h"
#include "config/InstrumentRegistry.h"

namespace hft::api::upbit {

/// Market code ("KRW-BTC") -> the configured instrument, whose scales the parsers need.
/// Called per message on the parsing thread; must not allocate.
class InstrumentResolver {
 public:
  virtual ~InstrumentResolver() = default;
  /// nullptr when unknown (the parse fails with UnknownSymbol).
  virtual const config::Instrument* resolve(std::string_view code) noexcept = 0;
};

/// The plain registry lookup for one venue (Upbit or Bithumb: both spell markets QUOTE-BASE).
class RegistryResolver final : public InstrumentResolver {
 public:
  RegistryResolver(const config::InstrumentRegistry& registry, common::ExchangeId exchange) noexcept
      : registry_(registry), exchange_(exchange) {}
  const config::Instrument* resolve(std::string_view code) noexcept override {
    return registry_.byVenueSymbol(exchange_, code);
  }

 private:
  const config::InstrumentRegistry& registry_;
  common::ExchangeId exchange_;
};

}  // namespace hft::api::upbit
