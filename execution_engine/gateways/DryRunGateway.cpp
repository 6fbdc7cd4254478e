#include "execution_engine/gateways/DryRunGateway.h"

#include <algorithm>

#include "common/FixedPoint.h"

namespace hft::execution_engine::gateways {

using common::ExecType;
using common::RejectReason;
using interfaces::SendStatus;

namespace {

/// Orders that a venue would trade at once or drop: with nothing to trade against, dropped.
bool immediateOnly(const common::OrderRequest& r) noexcept {
  return r.type == common::OrderType::Market || r.tif == common::TimeInForce::IOC ||
         r.tif == common::TimeInForce::FOK;
}

}  // namespace

DryRunGateway::DryRunGateway(DryRunConfig config, std::FILE* log, const config::InstrumentRegistry* registry)
    : config_(std::move(config)), log_(log), registry_(registry), nextVenueId_(config_.first_venue_order_id) {
  pendingReports_.reserve(64);
  pendingLog_.reserve(4096);
}

std::string DryRunGateway::name() const {
  std::string n = "dry_run:";
  n.append(common::toString(config_.venue));
  return n;
}

void DryRunGateway::start(interfaces::IExecutionSink& sink) {
  sink_ = &sink;
  running_ = true;
  for (const interfaces::VenueBalance& b : config_.balances) {
    common::BalanceUpdate u{};
    u.header = common::makeHeader<common::BalanceUpdate>(config_.venue, 0, 0, 0);
    std::copy(std::begin(b.asset), std::end(b.asset), std::begin(u.asset));
    u.free = b.free;
    u.locked = b.locked;
    pendingBalances_.push_back(u);
  }
  pendingLog_.append("dry_run ").append(common::toString(config_.venue)).append(" start: nothing will be sent\n");
}

void DryRunGateway::stop() noexcept {
  running_ = false;
  (void)poll();  // deliver and log what is pending
  sink_ = nullptr;
}

SendStatus DryRunGateway::send(const common::OrderRequest& r, common::TimestampNs ts) noexcept {
  if (!running_) return SendStatus::rejected(RejectReason::VenueUnavailable);
  if (r.header.exchange_id != config_.venue) return SendStatus::rejected(RejectReason::InvalidRequest);
  try {
    logRequest(r, ts);
    switch (r.action) {
      case common::OrderAction::New: onNew(r, ts); break;
      case common::OrderAction::Cancel: onCancel(r, ts); break;
      case common::OrderAction::Modify: onModify(r, ts); break;
      default: reject(r, RejectReason::InvalidRequest, ts); break;
    }
    pendingLog_.push_back('\n');
    return SendStatus::sent();
  } catch (...) {  // allocation failure: the dry run cannot take more
    return SendStatus::rejected(RejectReason::VenueUnavailable);
  }
}

SendStatus DryRunGateway::query(common::InstrumentId instrument, common::ClientOrderId id) noexcept {
  if (!running_) return SendStatus::rejected(RejectReason::VenueUnavailable);
  try {
    pendingLog_.append("dry_run ").append(common::toString(config_.venue)).append(" query cid=");
    pendingLog_.append(std::to_string(id));
    const auto it = orders_.find(id);
    if (it == orders_.end()) {
      common::OrderRequest r{};
      r.header = common::makeHeader<common::OrderRequest>(config_.venue, instrument, 0, 0);
      r.client_order_id = id;
      reject(r, RejectReason::UnknownOrder, 0);
    } else {
      report(it->second, it->second.status, 0, it->second.send_ts);
    }
    pendingLog_.push_back('\n');
    return SendStatus::sent();
  } catch (...) {
    return SendStatus::rejected(RejectReason::VenueUnavailable);
  }
}

int DryRunGateway::poll() noexcept {
  int delivered = 0;
  if (sink_ != nullptr) {
    for (const common::BalanceUpdate& b : pendingBalances_) sink_->onBalanceUpdate(b);
    for (const common::ExecutionReport& x : pendingReports_) sink_->onExecutionReport(x);
    delivered = static_cast<int>(pendingBalances_.size() + pendingReports_.size());
    pendingBalances_.clear();
    pendingReports_.clear();
  }
  if (!pendingLog_.empty()) {
    if (log_ != nullptr) {
      std::fwrite(pendingLog_.data(), 1, pendingLog_.size(), log_);
      std::fflush(log_);
    }
    pendingLog_.clear();
  }
  return delivered;
}

void DryRunGateway::onNew(const common::OrderRequest& r, common::TimestampNs ts) {
  if (orders_.contains(r.client_order_id)) {
    reject(r, RejectReason::DuplicateClientOrderId, ts);
    return;
  }
  admit(r, ts);
}

DryRunGateway::Order& DryRunGateway::admit(const common::OrderRequest& r, common::TimestampNs ts) {
  Order& o = orders_[r.client_order_id];
  o.venue = interfaces::VenueOrder{};
  o.venue.client_order_id = r.client_order_id;
  o.venue.venue_order_id = nextVenueId_++;
  o.venue.price = r.price;
  o.venue.qty = r.qty;
  o.venue.cum_qty = 0;
  o.venue.stop_price = r.stop_price;
  o.venue.venue_ts_ns = ts;
  o.venue.instrument_id = r.header.instrument_id;
  o.venue.side = r.side;
  o.venue.type = r.type;
  o.venue.tif = r.tif;
  o.venue.position_side = r.position_side;
  o.venue.reduce_only = r.reduce_only;
  o.strategy_id = r.strategy_id;
  o.status = ExecType::New;
  o.send_ts = ts;
  const common::ClientOrderId replaced = r.action == common::OrderAction::Modify ? r.orig_client_order_id : 0;
  report(o, ExecType::New, replaced, ts);
  if (immediateOnly(r)) {
    o.status = ExecType::Expired;
    report(o, ExecType::Expired, replaced, ts);
  }
  return o;
}

void DryRunGateway::onCancel(const common::OrderRequest& r, common::TimestampNs ts) {
  const auto it = orders_.find(r.orig_client_order_id);
  if (it == orders_.end() || it->second.status != ExecType::New || it->second.strategy_id != r.strategy_id) {
    reject(r, RejectReason::UnknownOrder, ts);
    return;
  }
  Order& o = it->second;
  o.status = ExecType::Canceled;
  o.send_ts = ts;
  o.venue.venue_ts_ns = ts;
  report(o, ExecType::Canceled, o.venue.client_order_id, ts);
}

void DryRunGateway::onModify(const common::OrderRequest& r, common::TimestampNs ts) {
  const auto it = orders_.find(r.orig_client_order_id);
  if (it == orders_.end() || it->second.status != ExecType::New || it->second.strategy_id != r.strategy_id) {
    reject(r, RejectReason::UnknownOrder, ts);
    return;
  }
  if (orders_.contains(r.client_order_id)) {  // the old order keeps working
    reject(r, RejectReason::DuplicateClientOrderId, ts);
    return;
  }
  Order& old = it->second;
  old.status = ExecType::Canceled;
  old.send_ts = ts;
  old.venue.venue_ts_ns = ts;
  report(old, ExecType::Canceled, old.venue.client_order_id, ts);
  admit(r, ts);
}

void DryRunGateway::report(const Order& o, ExecType type, common::ClientOrderId orig, common::TimestampNs ts) {
  common::ExecutionReport x{};
  x.header = common::makeHeader<common::ExecutionReport>(config_.venue, o.venue.instrument_id, ts, ts);
  x.client_order_id = o.venue.client_order_id;
  x.venue_order_id = o.venue.venue_order_id;
  x.cum_qty = 0;
  x.leaves_qty = type == ExecType::New ? o.venue.qty : 0;
  x.order_price = o.venue.price;
  x.local_send_ts_ns = ts;
  x.venue_ts_ns = ts;
  x.strategy_id = o.strategy_id;
  x.exec_type = type;
  x.side = o.venue.side;
  x.order_type = o.venue.type;
  x.tif = o.venue.tif;
  x.orig_client_order_id = orig;
  pendingReports_.push_back(x);
  pendingLog_.append(" -> ").append(common::toString(type));
  pendingLog_.append(" cid=").append(std::to_string(x.client_order_id));
  pendingLog_.append(" venue_order_id=").append(std::to_string(x.venue_order_id));
}

void DryRunGateway::reject(const common::OrderRequest& r, RejectReason why, common::TimestampNs ts) {
  common::ExecutionReport x{};
  x.header = common::makeHeader<common::ExecutionReport>(config_.venue, r.header.instrument_id, ts, ts);
  x.client_order_id = r.client_order_id;
  x.order_price = r.price;
  x.local_send_ts_ns = ts;
  x.venue_ts_ns = ts;
  x.strategy_id = r.strategy_id;
  x.exec_type = ExecType::Rejected;
  x.side = r.side;
  x.order_type = r.type;
  x.reject_reason = why;
  x.tif = r.tif;
  x.orig_client_order_id = r.orig_client_order_id;
  pendingReports_.push_back(x);
  pendingLog_.append(" -> rejected ").append(common::toString(why));
}

std::string DryRunGateway::price(common::InstrumentId id, int64_t raw, bool isQty) const {
  const config::Instrument* inst = registry_ != nullptr ? registry_->byId(id) : nullptr;
  if (inst == nullptr) return std::to_string(raw);
  return common::formatDecimal(raw, isQty ? inst->qty_scale : inst->price_scale);
}

void DryRunGateway::logRequest(const common::OrderRequest& r, common::TimestampNs ts) {
  ++requests_;
  const config::Instrument* inst = registry_ != nullptr ? registry_->byId(r.header.instrument_id) : nullptr;
  std::string& l = pendingLog_;
  l.append("dry_run ").append(common::toString(config_.venue)).append(" send ts=").append(std::to_string(ts));
  l.append(" cid=").append(std::to_string(r.client_order_id));
  l.append(" action=").append(common::toString(r.action));
  l.append(" strategy=").append(std::to_string(r.strategy_id));
  l.append(" instrument=");
  if (inst != nullptr) l.append(inst->name);
  else l.append("#").append(std::to_string(r.header.instrument_id));
  l.append(" side=").append(common::toString(r.side));
  l.append(" type=").append(common::toString(r.type));
  l.append(" tif=").append(common::toString(r.tif));
  l.append(" price=").append(price(r.header.instrument_id, r.price, false));
  l.append(" qty=").append(price(r.header.instrument_id, r.qty, true));
  l.append(" stop=").append(price(r.header.instrument_id, r.stop_price, false));
  l.append(" orig=").append(std::to_string(r.orig_client_order_id));
}

bool DryRunGateway::fetchOpenOrders(std::vector<interfaces::VenueOrder>& out, std::string& /*error*/) {
  out.clear();
  for (const auto& [id, o] : orders_)
    if (o.status == ExecType::New) out.push_back(o.venue);
  std::sort(out.begin(), out.end(), [](const interfaces::VenueOrder& a, const interfaces::VenueOrder& b) {
    return a.venue_order_id < b.venue_order_id;
  });
  return true;
}

bool DryRunGateway::fetchBalances(std::vector<interfaces::VenueBalance>& out, std::string& /*error*/) {
  out = config_.balances;
  return true;
}

bool DryRunGateway::fetchPositions(std::vector<interfaces::VenuePosition>& out, std::string& /*error*/) {
  out = config_.positions;
  return true;
}

}  // namespace hft::execution_engine::gateways
