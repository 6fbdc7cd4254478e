#pragma once
// What every simulator profile shares with sim::SimulatedExchange (the Binance Venue and the
// Upbit/Bithumb UpbitOrderDesk): the engine's configuration (latency zero, one fee schedule, the
// funded balances), the numeric client-id convention, and how an engine ExecutionReport updates
// the venue's OrderRecord. Start-up helpers throw std::invalid_argument; the rest never throws.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/Events.h"
#include "execution_engine/exchange_sim/OrderRecord.h"
#include "execution_engine/sim/SimConfig.h"
#include "execution_engine/sim/SimulatedExchange.h"

namespace hft::execution_engine::exchange_sim {

/// Ids the venue makes for clients that sent none (or a non-numeric one) start here.
inline constexpr uint64_t kGeneratedIdBase = 1ULL << 62;

/// A decimal at common::kAmountScale; throws std::invalid_argument naming `what` (start-up).
int64_t parseAmount(const std::string& text, const char* what);

/// The engine's configuration for one venue: zero order and ack latency, `makerFee` /
/// `takerFee` as fractions ("0.0005"), `balances` asset -> decimal. Throws on a bad decimal.
sim::SimConfig engineConfig(common::ExchangeId venue, const std::string& makerFee, const std::string& takerFee,
                            const std::map<std::string, std::string>& balances);

/// The OMS spelling of a client order id: a decimal in 1 .. kGeneratedIdBase-1, taken as the
/// engine's id as is. false for anything else (the venue then generates an id).
bool numericClientId(std::string_view text, uint64_t& out) noexcept;

/// An engine sink that copies each report into `out` (handled after the engine call returns, so
/// no handler runs inside the engine).
sim::SimulatedExchange::ReportSink collectInto(std::vector<common::EventBuffer>& out);

/// The engine request of a new order `rec` (strategy 1, sent and decided at `nowNs`).
common::OrderRequest newOrderRequest(common::ExchangeId venue, const OrderRecord& rec, common::TimestampNs nowNs);
/// The engine request cancelling `target` under the id `cancelCid`.
common::OrderRequest cancelRequest(common::ExchangeId venue, const OrderRecord& target, common::ClientOrderId cancelCid,
                                   common::TimestampNs nowNs);
/// The working orders of `records` on `symbol` ("" = all), oldest (lowest order id) first.
std::vector<const OrderRecord*> workingOrders(const std::map<common::ClientOrderId, OrderRecord>& records,
                                              std::string_view symbol);

/// Applies one engine report to `o` (order id, status, update time; on a fill: the fill,
/// executed quantity, average price, cumulative quote). Returns true when it was a fill, with
/// the fill in `fill`.
bool applyReport(OrderRecord& o, const common::ExecutionReport& r, FillRecord& fill);

}  // namespace hft::execution_engine::exchange_sim
