#include "execution_engine/backtest/VenueLedger.h"

#include <cstring>

#include "common/FixedPoint.h"

namespace hft::execution_engine::backtest {

namespace {
std::string amount(int64_t raw) { return common::formatDecimal(raw, common::kAmountScale); }
/// "99967.50000000" -> "99967.5", "1.00000000" -> "1": for people, not for files.
std::string shortAmount(int64_t raw) {
  std::string s = amount(raw);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}
std::string signedShort(int64_t raw) {
  std::string s(raw >= 0 ? "+" : "");
  return s.append(shortAmount(raw));
}

void appendObject(std::string& out, const std::map<std::string, int64_t>& m) {
  out.append("{");
  bool first = true;
  for (const auto& [asset, v] : m) {
    out.append(first ? "\"" : ", \"").append(asset).append("\": ").append(amount(v));
    first = false;
  }
  out.append("}");
}
}  // namespace

void VenueLedger::setStartBalances(const std::map<common::ExchangeId, std::map<std::string, int64_t>>& balances) {
  for (const auto& [v, assets] : balances) {
    (void)venue(v);
    for (const auto& [asset, value] : assets) balances_[v][asset] = Balance{value, value};
  }
}

void VenueLedger::onOrderRequest(const common::OrderRequest& r) {
  if (r.action == common::OrderAction::New) ++venue(r.header.exchange_id).orders;
}

void VenueLedger::onReject(common::ExchangeId v) { ++venue(v).rejects; }

void VenueLedger::onFill(common::ExchangeId v, common::Side side, const std::string& base, const std::string& quote,
                         int64_t qty, int64_t notional, const std::string& feeAsset, int64_t fee) {
  Venue& s = venue(v);
  ++s.fills;
  ++(side == common::Side::Buy ? s.buys : s.sells);
  s.fees[feeAsset] += fee;
  s.traded[quote] += notional;
  (side == common::Side::Buy ? s.bought : s.sold)[base] += qty;
}

void VenueLedger::onBalance(const common::BalanceUpdate& u) {
  const std::string asset(u.asset, strnlen(u.asset, sizeof u.asset));
  (void)venue(u.header.exchange_id);
  // An asset the config did not fund starts at 0 (the venue created it on the first fill).
  balances_[u.header.exchange_id][asset].end = u.free + u.locked;
}

std::string VenueLedger::json(const std::string& indent) const {
  std::string out = "{";
  bool firstVenue = true;
  for (const auto& [v, s] : venues_) {
    out.append(firstVenue ? "\n" : ",\n").append(indent).append("  \"").append(common::toString(v)).append("\": {");
    firstVenue = false;
    out.append("\"orders\": ").append(std::to_string(s.orders));
    out.append(", \"fills\": ").append(std::to_string(s.fills));
    out.append(", \"buys\": ").append(std::to_string(s.buys));
    out.append(", \"sells\": ").append(std::to_string(s.sells));
    out.append(", \"rejects\": ").append(std::to_string(s.rejects));
    out.append(", \"fees\": ");
    appendObject(out, s.fees);
    out.append(", \"traded\": ");
    appendObject(out, s.traded);
    out.append(", \"bought\": ");
    appendObject(out, s.bought);
    out.append(", \"sold\": ");
    appendObject(out, s.sold);
    out.append(", \"balances\": {");
    bool firstAsset = true;
    if (const auto b = balances_.find(v); b != balances_.end())
      for (const auto& [asset, bal] : b->second) {
        if (bal.start == 0 && bal.end == 0) continue;  // an instrument's asset never held
        out.append(firstAsset ? "\"" : ", \"").append(asset).append("\": {\"start\": ").append(amount(bal.start));
        out.append(", \"end\": ").append(amount(bal.end)).append(", \"change\": ").append(amount(bal.end - bal.start));
        out.append("}");
        firstAsset = false;
      }
    out.append("}}");
  }
  if (!venues_.empty()) out.append("\n").append(indent);
  out.append("}");
  return out;
}

std::string VenueLedger::text() const {
  std::string out;
  for (const auto& [v, s] : venues_) {
    out.append(common::toString(v)).append(": ").append(std::to_string(s.fills)).append(" fills (");
    out.append(std::to_string(s.buys)).append(" buys, ").append(std::to_string(s.sells)).append(" sells), fees");
    if (s.fees.empty()) out.append(" 0");
    for (const auto& [asset, fee] : s.fees) out.append(" ").append(shortAmount(fee)).append(" ").append(asset);
    const auto b = balances_.find(v);
    if (b == balances_.end() || b->second.empty()) out.append("; unfunded (balances not simulated)");
    else {
      out.append(";");
      bool first = true;
      for (const auto& [asset, bal] : b->second) {
        if (bal.start == 0 && bal.end == 0) continue;
        out.append(first ? " " : ", ").append(asset).append(" ").append(shortAmount(bal.start)).append(" -> ");
        out.append(shortAmount(bal.end)).append(" (").append(signedShort(bal.end - bal.start)).append(")");
        first = false;
      }
    }
    out.append("\n");
  }
  return out;
}

}  // namespace hft::execution_engine::backtest
