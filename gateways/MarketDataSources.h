#pragma once
// The venues the datafeed can take live market data from, by their --source name. A venue
// registers its factory from its own file (gateways/venues/<Venue>.cpp) at static-initialisation
// time; the datafeed looks the name up and knows nothing else about the venue. This is what makes
// adding an exchange "implement IGateway and register it" (docs/adding-an-exchange.md).
//
// Registration files are compiled into an OBJECT library (hft_market_data_venues) that each
// executable links directly: a static archive would drop an object nobody references.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "interfaces/IGateway.h"

namespace hft::config {
class InstrumentRegistry;
}

namespace hft::gateways {

/// What the datafeed's command line and configuration give a venue's factory.
struct MarketDataRequest {
  const config::InstrumentRegistry& instruments;  ///< outlives the gateway
  std::string exchanges_dir;         ///< config/exchanges beside the system file (<venue>.json there)
  std::vector<std::string> symbols;  ///< --symbols; empty = every configured instrument of the venue
  std::string rest_url;              ///< --rest-url; empty = from the venue's file (or its default)
  std::string ws_url;                ///< --ws-url; empty = from the venue's file (or its default)

  /// exchanges_dir/<venue>.json, or "" when there is none (the factory then uses its defaults).
  std::string venueFile(std::string_view venue) const;
};

/// Builds the venue's gateway (not started). Throws std::invalid_argument naming what is wrong
/// (unknown symbol, bad URL, bad venue file).
using MarketDataFactory = std::unique_ptr<interfaces::IGateway> (*)(const MarketDataRequest&);

struct MarketDataSource {
  std::string_view name;   ///< the --source value ("binance")
  std::string_view usage;  ///< one line for --help: what it is and which options it reads
  MarketDataFactory make = nullptr;
};

/// Adds a source; returns true so a registration file can write
/// `const bool kRegistered = registerMarketDataSource({...});`. A second source of the same
/// name is a programming error: it aborts at start-up with a message.
bool registerMarketDataSource(const MarketDataSource& source) noexcept;
/// nullptr when no venue registered `name`.
const MarketDataSource* findMarketDataSource(std::string_view name) noexcept;
/// Every registered source, sorted by name (for --help and error messages).
std::vector<MarketDataSource> marketDataSources();
/// "binance, binance_futures, upbit" - the registered names, for messages.
std::string marketDataSourceNames();

}  // namespace hft::gateways
