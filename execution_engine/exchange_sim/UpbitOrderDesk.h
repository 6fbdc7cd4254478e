#pragma once
// Order entry of the Upbit profile (and, with api::bithumb::kBithumb, the Bithumb profile):
// POST /v1/orders, DELETE /v1/order, GET /v1/order, open orders and accounts in the venue's
// terms, matched by sim::SimulatedExchange against the profile's synthetic market (latency zero,
// as the Binance Venue does: EngineLink.h). Each engine report becomes a myOrder frame (wait on
// accept, trade per fill with the trade's price and volume, done, cancel) and each balance
// change a myAsset frame. Identifiers are unique forever: a reused one is refused and counted.
//
// One thread (the server's io thread) calls everything; no locks.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "api/exchanges/shared/TickBands.h"
#include "api/exchanges/upbit/Dialect.h"
#include "common/Events.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/exchange_sim/OrderRecord.h"
#include "execution_engine/exchange_sim/QueryString.h"
#include "execution_engine/exchange_sim/UpbitJson.h"
#include "execution_engine/exchange_sim/VenueConfig.h"
#include "execution_engine/sim/SimulatedExchange.h"

namespace hft::execution_engine::exchange_sim {

/// An Upbit error answer: HTTP status and {"error":{"name","message"}}.
struct UpbitError {
  int http = 400;
  std::string name;  ///< "" = no error
  std::string message;
  explicit operator bool() const noexcept { return !name.empty(); }
};

class UpbitOrderDesk {
 public:
  struct Output {
    /// A myOrder frame of `inst` (DEFAULT keys).
    std::function<void(const config::Instrument& inst, const std::string& frame)> order;
    /// A myAsset frame.
    std::function<void(const std::string& frame)> asset;
  };

  /// `instruments` are the profile's markets; `bands` the KRW price bands (must outlive the
  /// desk). Throws std::invalid_argument on a bad fee or balance (start-up).
  UpbitOrderDesk(const config::InstrumentRegistry& registry, const api::upbit::Dialect& dialect,
                 const VenueConfig& config, std::vector<const config::Instrument*> instruments,
                 api::shared::TickBands krwBands, common::TimestampNs startNs, Output out);
  ~UpbitOrderDesk();

  /// The public market, before the profile shows it (fills resting orders).
  void onMarketData(const common::EventHeader& e);
  void advanceTo(common::TimestampNs nowNs);

  /// POST /v1/orders with the JSON body `body`; the stored order in `out`.
  UpbitError place(const nlohmann::ordered_json& body, const OrderRecord*& out);
  /// DELETE /v1/order?uuid=|<clientIdKey>=.
  UpbitError cancel(const QueryString& q, const OrderRecord*& out);
  /// GET /v1/order?uuid=|<clientIdKey>=.
  UpbitError query(const QueryString& q, const OrderRecord*& out) const;
  /// Working orders of `market` ("" = all), oldest first.
  std::vector<const OrderRecord*> openOrders(std::string_view market) const;

  /// The order object; `state` overrides the order's own state (DELETE answers "wait").
  std::string orderJson(const OrderRecord& o, bool withTrades, const char* state = nullptr) const;
  /// GET /v1/accounts.
  std::string accountsJson() const;
  /// Balances, open orders, counts for GET /sim/state (the Binance profile's shape).
  nlohmann::ordered_json state() const;

  /// "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx" of an engine order id.
  static std::string uuidOf(uint64_t orderId, uint64_t tag = 0);

 private:
  void drain();
  void onReport(const common::EventHeader& e);
  common::RejectReason submit(const common::OrderRequest& r);
  upbit_json::OrderView view(const OrderRecord& o, const std::string& uuid) const;
  std::vector<upbit_json::AssetView> assets() const;
  const OrderRecord* find(const QueryString& q, UpbitError& e) const;

  const config::InstrumentRegistry& registry_;
  const api::upbit::Dialect& dialect_;
  std::vector<const config::Instrument*> instruments_;
  api::shared::TickBands bands_;
  Output out_;
  common::ExchangeId exchange_;
  int64_t makerE8_ = 0, takerE8_ = 0;
  std::set<std::string> currencies_;
  std::unique_ptr<sim::SimulatedExchange> engine_;
  common::TimestampNs now_ = 0;
  std::vector<common::EventBuffer> reports_;  ///< engine output of the current step
  bool assetsChanged_ = false;
  common::ClientOrderId watch_ = 0;
  common::RejectReason watchReject_ = common::RejectReason::None;

  std::map<common::ClientOrderId, OrderRecord> records_;
  std::map<std::string, common::ClientOrderId, std::less<>> byUuid_, byClientId_;
  std::map<common::ClientOrderId, std::string> uuidOf_;
  std::set<std::string, std::less<>> usedClientIds_;  ///< every identifier ever sent, even refused
  uint64_t clientIdReuses_ = 0;
  uint64_t nextGeneratedId_ = 1;
};

}  // namespace hft::execution_engine::exchange_sim
