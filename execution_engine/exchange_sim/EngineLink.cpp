#include "execution_engine/exchange_sim/EngineLink.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include "common/FixedPoint.h"
#include "execution_engine/sim/Amounts.h"

namespace hft::execution_engine::exchange_sim {

int64_t parseAmount(const std::string& text, const char* what) {
  int64_t v = 0;
  if (common::parseDecimal(text, common::kAmountScale, v) != common::ParseStatus::Ok)
    throw std::invalid_argument(std::string("exchange_sim: bad ").append(what).append(" '").append(text).append("'"));
  return v;
}

sim::SimConfig engineConfig(common::ExchangeId venue, const std::string& makerFee, const std::string& takerFee,
                            const std::map<std::string, std::string>& balances) {
  sim::SimConfig c;
  c.order_latency = sim::LatencyModel::constant(0);
  c.ack_latency = sim::LatencyModel::constant(0);
  sim::VenueFees fees;
  fees.maker_fee_e8 = parseAmount(makerFee, "maker fee");
  fees.taker_fee_e8 = parseAmount(takerFee, "taker fee");
  c.fees[venue] = fees;
  for (const auto& [asset, amount] : balances) c.balances[venue][asset] = parseAmount(amount, "balance");
  return c;
}

bool numericClientId(std::string_view text, uint64_t& out) noexcept {
  uint64_t v = 0;
  if (text.empty()) return false;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v == 0 || v >= kGeneratedIdBase) return false;
  out = v;
  return true;
}

sim::SimulatedExchange::ReportSink collectInto(std::vector<common::EventBuffer>& out) {
  return [&out](const common::EventHeader& e) {
    common::EventBuffer b;
    std::memcpy(b.bytes, &e, e.size);
    out.push_back(b);
  };
}

common::OrderRequest newOrderRequest(common::ExchangeId venue, const OrderRecord& rec, common::TimestampNs nowNs) {
  common::OrderRequest r{};
  r.header = common::makeHeader<common::OrderRequest>(venue, rec.inst->id, nowNs, nowNs);
  r.client_order_id = rec.cid;
  r.price = rec.price;
  r.qty = rec.qty;
  r.stop_price = rec.stop_price;
  r.strategy_id = 1;
  r.action = common::OrderAction::New;
  r.side = rec.side;
  r.type = rec.type;
  r.tif = rec.tif;
  r.reduce_only = rec.reduce_only ? 1 : 0;
  r.request_ts_ns = nowNs;
  return r;
}

common::OrderRequest cancelRequest(common::ExchangeId venue, const OrderRecord& target, common::ClientOrderId cancelCid,
                                   common::TimestampNs nowNs) {
  common::OrderRequest r{};
  r.header = common::makeHeader<common::OrderRequest>(venue, target.inst->id, nowNs, nowNs);
  r.client_order_id = cancelCid;
  r.orig_client_order_id = target.cid;
  r.strategy_id = 1;
  r.action = common::OrderAction::Cancel;
  r.side = target.side;
  r.type = target.type;
  r.tif = target.tif;
  r.request_ts_ns = nowNs;
  return r;
}

std::vector<const OrderRecord*> workingOrders(const std::map<common::ClientOrderId, OrderRecord>& records,
                                              std::string_view symbol) {
  std::vector<const OrderRecord*> v;
  for (const auto& [cid, o] : records)
    if (o.working() && (symbol.empty() || o.inst->venue_symbol == symbol)) v.push_back(&o);
  std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->order_id < b->order_id; });
  return v;
}

bool applyReport(OrderRecord& o, const common::ExecutionReport& r, FillRecord& fill) {
  o.update_ms = r.venue_ts_ns / 1'000'000;
  if (r.exec_type == common::ExecType::New) o.order_id = r.venue_order_id;
  o.status = r.exec_type;
  if (r.last_qty <= 0) return false;
  fill = FillRecord{};
  fill.price = r.last_price;
  fill.qty = r.last_qty;
  fill.fee = r.fee;
  fill.trade_id = r.trade_id;
  fill.maker = r.liquidity == common::Liquidity::Maker;
  o.fills.push_back(fill);
  o.executed = r.cum_qty;
  o.avg_price = r.avg_price;
  o.quote_qty += sim::Amounts(o.inst->price_scale, o.inst->qty_scale).notional(fill.price, fill.qty);
  return true;
}

}  // namespace hft::execution_engine::exchange_sim
