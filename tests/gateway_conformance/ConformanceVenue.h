#pragma once
// ConformanceVenue: everything the gateway conformance kit needs to know about one venue, so
// that a venue joins the kit by filling one of these in one small file (see README.md). The
// kit's suites (MarketDataConformanceTest, OrderConformanceTest) are written against this
// descriptor only: they start the real exchange_simulator with `simulator_args`, build the
// venue's gateways in-process through the factories, and compare what the gateways report
// with what the simulator says over REST and /sim/state.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "common/Ids.h"
#include "common/OrderEnums.h"
#include "common/events/BookSnapshot.h"
#include "config/InstrumentRegistry.h"
#include "interfaces/IGateway.h"
#include "interfaces/IOrderGateway.h"

namespace hft::test::conformance {

/// Where the simulator of one test listens and the throwaway credentials it accepts (loopback
/// only; never a real key). Factories point their gateways here.
struct SimulatorEndpoint {
  uint16_t port = 0;
  std::string api_key;
  std::string api_secret;
  std::string restUrl() const { return "http://127.0.0.1:" + std::to_string(port); }
  std::string wsBase() const { return "ws://127.0.0.1:" + std::to_string(port); }
};

/// How the venue's market data keeps a book; decides which book checks apply.
enum class BookFeed : uint8_t {
  DiffsWithSnapshot = 1,  ///< BookDelta diffs with update ids, synced from a REST snapshot (Binance):
                          ///< update-id chain checked, `gap` fault must give a sequence Gap
  FullSnapshots = 2,      ///< every book message is the whole top-N book (Upbit): BookSnapshot only
};

/// A venue's own REST view of a book (its depth / orderbook endpoint), top levels, best first.
struct RestBook {
  uint64_t update_id = 0;  ///< the book's update id when the venue gives one (Binance lastUpdateId), else 0
  std::vector<common::BookLevel> bids, asks;
};

/// One asset of the account as /sim/state shows it, at common::kAmountScale.
struct SimBalance {
  int64_t free = 0;
  int64_t locked = 0;
  bool operator==(const SimBalance&) const = default;
};

struct ConformanceVenue {
  // --- identity and simulator -------------------------------------------------------------
  std::string name;  ///< test parameter name: letters, digits, '_' ("binance_spot")
  common::ExchangeId exchange = common::ExchangeId::None;
  /// Profile selection for build/bin/exchange_simulator ({"--market", "usdm"}); the kit adds
  /// --port 0, --instruments, --symbols, --seed, --events-per-second and the credentials.
  std::vector<std::string> simulator_args;
  /// Registry venue symbols the gateways subscribe / trade (the first one is traded).
  std::vector<std::string> symbols;
  /// A symbol the simulator also serves in the Subscribe test but nobody subscribes: no event may name it.
  std::string unsubscribed_symbol;

  // --- market data ------------------------------------------------------------------------
  BookFeed book_feed = BookFeed::DiffsWithSnapshot;
  /// Gap events the gateway documents publishing per instrument when it first connects (0 for
  /// every venue so far: the first book is a snapshot, not a repair).
  size_t gaps_at_start = 0;
  /// The venue's market-data IGateway pointed at the simulator, subscribed to `symbols` (venue spelling).
  std::function<std::unique_ptr<interfaces::IGateway>(const SimulatorEndpoint&, const config::InstrumentRegistry&,
                                                      const std::vector<std::string>& symbols)>
      market_data;
  /// Reads the venue's REST book of `inst` from the simulator (top `levels` per side). False
  /// with `error` set when the answer is missing or does not parse.
  std::function<bool(const SimulatorEndpoint&, const config::Instrument& inst, RestBook& out, std::string& error)>
      rest_book;

  // --- order entry (optional: no factory = the order suite does not run for this venue) ----
  std::function<std::unique_ptr<interfaces::IOrderGateway>(const SimulatorEndpoint&, const config::InstrumentRegistry&)>
      order_entry;
  /// The account's balances in a /sim/state document, by asset code.
  std::function<std::map<std::string, SimBalance>(const nlohmann::json& simState)> sim_balances;
  /// A valid buy price that rests (does not cross) given the current best bid, on the venue's
  /// price grid and inside its price bands (Binance: percent-price filters).
  std::function<int64_t(int64_t bestBid, const config::Instrument&)> resting_bid;
  /// A buy limit price that crosses the given best ask by enough to fill `order_notional`.
  std::function<int64_t(int64_t bestAsk, const config::Instrument&)> marketable_bid;
  /// Notional (whole quote units) of the test orders: above the venue's minimum, small enough
  /// for the book's top levels to fill.
  int64_t order_notional = 0;
  /// Notional (whole quote units) the account can never pay for (balance x leverage, x10).
  int64_t unaffordable_notional = 0;
  /// Whether the venue's pushed balance updates split free from locked. Binance USD-M's
  /// ACCOUNT_UPDATE carries the wallet balance only (no available / margin split): there the
  /// pushed total (free + locked) must equal the venue's, and fetchBalances() the split.
  bool pushes_balance_split = true;
  /// The reject reason the gateway must map the venue's insufficient-funds error to.
  common::RejectReason insufficient_funds = common::RejectReason::InsufficientBalance;
};

/// GoogleTest prints a venue parameter by its name.
inline void PrintTo(const ConformanceVenue& v, std::ostream* os) { *os << v.name; }

}  // namespace hft::test::conformance
