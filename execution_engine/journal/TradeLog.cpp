#include "execution_engine/journal/TradeLog.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "common/FixedPoint.h"
#include "execution_engine/journal/FileIo.h"
#include "execution_engine/journal/UtcTime.h"

namespace hft::execution_engine::journal {
namespace {

template <size_t N>
std::string fixedString(const char (&s)[N]) {
  return std::string(s, strnlen(s, N));
}

}  // namespace

TradeLog::TradeLog(const config::InstrumentRegistry& registry, std::string root)
    : registry_(registry), root_(std::move(root)) {}

TradeLog::~TradeLog() {
  if (fd_ >= 0) ::close(fd_);
}

void TradeLog::setStrategyName(common::StrategyId id, std::string name) { strategyNames_[id] = std::move(name); }

common::TimestampNs TradeLog::eventTime(const common::ExecutionReport& r) noexcept {
  if (r.header.exchange_ts_ns != 0) return r.header.exchange_ts_ns;
  if (r.venue_ts_ns != 0) return r.venue_ts_ns;
  return r.header.receive_ts_ns;
}

std::string TradeLog::pathFor(common::TimestampNs ts) const {
  std::string path = dayLogDirectory(root_, ts);
  path.append("/trades.jsonl");
  return path;
}

std::string TradeLog::formatLine(const common::ExecutionReport& r) const {
  const config::Instrument* inst = registry_.byId(r.header.instrument_id);
  // An instrument the registry does not know still gets a line: raw integers, flagged.
  const int ps = inst != nullptr ? inst->price_scale : 0;
  const int qs = inst != nullptr ? inst->qty_scale : 0;
  const bool fill = r.last_qty != 0;
  const common::TimestampNs ts = eventTime(r);
  const auto name = strategyNames_.find(r.strategy_id);

  nlohmann::ordered_json j;
  j["ts_ns"] = std::to_string(ts);
  j["ts"] = isoUtc(ts);
  j["exec_type"] = common::toString(r.exec_type);
  j["strategy_id"] = r.strategy_id;
  j["strategy"] = name != strategyNames_.end() ? name->second : std::to_string(r.strategy_id);
  j["venue"] = common::toString(r.header.exchange_id);
  j["instrument_id"] = r.header.instrument_id;
  if (inst != nullptr) {
    j["instrument"] = inst->name;
  } else {
    std::string unknown = "#";  // append, not operator+: GCC 12 -O3 warns falsely (-Wrestrict) on the latter
    j["instrument"] = unknown.append(std::to_string(r.header.instrument_id));
  }
  j["side"] = common::toString(r.side);
  j["order_type"] = common::toString(r.order_type);
  j["tif"] = common::toString(r.tif);
  // price/qty: the fill's for fills, else the order's limit price and remaining quantity.
  j["price"] = common::formatDecimal(fill ? r.last_price : r.order_price, ps);
  j["qty"] = common::formatDecimal(fill ? r.last_qty : r.leaves_qty, qs);
  j["last_price"] = common::formatDecimal(r.last_price, ps);
  j["last_qty"] = common::formatDecimal(r.last_qty, qs);
  j["cum_qty"] = common::formatDecimal(r.cum_qty, qs);
  j["leaves_qty"] = common::formatDecimal(r.leaves_qty, qs);
  j["order_price"] = common::formatDecimal(r.order_price, ps);
  j["avg_price"] = common::formatDecimal(r.avg_price, ps);
  j["fee"] = common::formatDecimal(r.fee, common::kAmountScale);
  j["fee_asset"] = fixedString(r.fee_asset);
  j["liquidity"] = common::toString(r.liquidity);
  j["client_order_id"] = std::to_string(r.client_order_id);
  j["orig_client_order_id"] = std::to_string(r.orig_client_order_id);
  j["venue_order_id"] = std::to_string(r.venue_order_id);
  j["trade_id"] = std::to_string(r.trade_id);
  j["reject_reason"] = common::toString(r.reject_reason);
  j["local_send_ts_ns"] = std::to_string(r.local_send_ts_ns);
  j["venue_ts_ns"] = std::to_string(r.venue_ts_ns);
  if (inst == nullptr) j["unscaled"] = true;
  // Invalid UTF-8 (a corrupt fee_asset) is replaced rather than thrown: a log line is better than none.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool TradeLog::append(const common::ExecutionReport& report, std::string& error) {
  std::string line = formatLine(report);
  line.push_back('\n');
  const std::string path = pathFor(eventTime(report));
  if (fd_ < 0 || path != openPath_) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    openPath_.clear();
    if (!makeDirectories(path.substr(0, path.rfind('/')), error)) return false;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      error = errnoText(path, "open");
      return false;
    }
    openPath_ = path;
  }
  // One write(2) per line: with O_APPEND the kernel places it whole at the end.
  if (!writeAll(fd_, line.data(), line.size())) {
    error = errnoText(path, "write");
    return false;
  }
  ++lines_;
  return true;
}

}  // namespace hft::execution_engine::journal
