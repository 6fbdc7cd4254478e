#pragma once
#include <string_view>

#include "api/exchanges/binance/Market.h"
#include "config/InstrumentRegistry.h"

namespace hft::api::binance {

/// Maps a Binance symbol to the configured instrument, whose scales the parser needs before
/// it can convert prices. Called once per message on the parsing thread; must not allocate.
class InstrumentResolver {
 public:
  virtual ~InstrumentResolver() = default;
  /// nullptr when unknown (the parse fails with Status::UnknownSymbol). `symbol` is empty for
  /// a REST depth snapshot, which names no symbol: return the instrument whose snapshot the
  /// caller requested.
  virtual const config::Instrument* resolve(Market market, std::string_view symbol) noexcept = 0;
};

/// The plain registry lookup: Spot -> ExchangeId::Binance, UsdM -> ExchangeId::BinanceFutures.
/// Snapshots resolve to `snapshotInstrument`, which whoever requested the snapshot sets.
class RegistryResolver final : public InstrumentResolver {
 public:
  explicit RegistryResolver(const config::InstrumentRegistry& registry) noexcept : registry_(registry) {}
  const config::Instrument* resolve(Market market, std::string_view symbol) noexcept override {
    return symbol.empty() ? snapshotInstrument : registry_.byVenueSymbol(exchangeOf(market), symbol);
  }
  const config::Instrument* snapshotInstrument = nullptr;

 private:
  const config::InstrumentRegistry& registry_;
};

}  // namespace hft::api::binance
