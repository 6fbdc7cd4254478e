#include "processes/hft_top/TopModel.h"

#include <cstring>

#include "common/FixedPoint.h"

namespace hft::tools {

namespace {
constexpr size_t kRecentRejects = 12;
constexpr int kMaxReadPerRefresh = 200'000;  // a monitor: skip ahead rather than fall behind
}  // namespace

TopModel::TopModel(const data_store::BusNames& names, const config::InstrumentRegistry& instruments)
    : names_(names), instruments_(instruments), trades_(instruments) {}

void TopModel::refresh(int64_t monoNs, int64_t wallNs) {
  const double dt = lastMono_ == 0 ? 0.0 : static_cast<double>(monoNs - lastMono_) / 1e9;
  lastMono_ = monoNs;
  // Segments appear as daemons start: keep trying to open what is not open yet.
  try {
    if (!registry_) registry_ = std::make_unique<data_store::ProcessRegistry>(data_store::ProcessRegistry::openExisting(names_.registry(), 0));
  } catch (const std::exception&) {
  }
  try {
    if (!md_ || md_->producerReplaced()) md_ = std::make_unique<data_store::MarketDataSubscriber>(names_.marketData(), data_store::StartAt::Live, 0);
  } catch (const std::exception&) {
    md_.reset();
  }
  try {
    // Reports from the oldest still in the ring: the strategies' history so far.
    if (!exec_ || exec_->producerReplaced()) exec_ = std::make_unique<data_store::ExecSubscriber>(names_.execReports(), data_store::StartAt::Oldest, 0);
  } catch (const std::exception&) {
    exec_.reset();
  }
  readProcesses(wallNs, dt);
  readMarketData();
  readReports();
  if (dt > 0) {
    const uint64_t mdSeq = md_ ? md_->producerSequence() : 0, execSeq = exec_ ? exec_->producerSequence() : 0;
    mdRate_ = mdSeq >= lastMdSeq_ ? static_cast<double>(mdSeq - lastMdSeq_) / dt : 0;
    execRate_ = execSeq >= lastExecSeq_ ? static_cast<double>(execSeq - lastExecSeq_) / dt : 0;
  }
  lastMdSeq_ = md_ ? md_->producerSequence() : 0;
  lastExecSeq_ = exec_ ? exec_->producerSequence() : 0;
}

void TopModel::readProcesses(int64_t wallNs, double dt) {
  processes_.clear();
  if (!registry_) return;
  const uint64_t mdHead = md_ ? md_->producerSequence() : 0, execHead = exec_ ? exec_->producerSequence() : 0;
  for (const auto& p : registry_->list()) {
    ProcessRow r;
    r.slot = p.slot;
    r.pid = p.pid;
    r.alive = p.alive;
    r.role = data_store::toString(p.role);
    r.name = p.name;
    r.core = p.core;
    r.lost = p.lost;
    r.processed = p.processed;
    r.heartbeatAge = static_cast<double>(wallNs - p.heartbeat_ns) / 1e9;
    const bool readsExec = p.reading == names_.execReports();
    const uint64_t head = readsExec ? execHead : p.reading == names_.marketData() ? mdHead : 0;
    if (head > 0 && p.cursor > 0) r.lag = head >= p.cursor ? head - p.cursor + 1 : 0;
    const auto it = lastProcessed_.find(p.pid);
    if (dt > 0 && it != lastProcessed_.end() && p.processed >= it->second)
      r.rate = static_cast<double>(p.processed - it->second) / dt;
    lastProcessed_[p.pid] = p.processed;
    processes_.push_back(std::move(r));
  }
}

void TopModel::readMarketData() {
  if (!md_) return;
  md_->poll(
      [this](const common::EventHeader& e) {
        if (e.type == common::EventType::Gap) return;  // we were lapped: a monitor just skips
        const common::TimestampNs from = e.receive_ts_ns ? e.receive_ts_ns : e.exchange_ts_ns;
        if (from > 0 && e.publish_ts_ns >= from) feedLatency_.record(e.publish_ts_ns - from);
        if (e.type == common::EventType::BestBidOffer) {
          const auto& b = reinterpret_cast<const common::BestBidOffer&>(e);
          if (b.bid_qty > 0 && b.ask_qty > 0) trades_.onMark(e.instrument_id, (b.bid_price + b.ask_price) / 2);
        } else if (e.type == common::EventType::Trade) {
          trades_.onMark(e.instrument_id, reinterpret_cast<const common::Trade&>(e).price);
        }
      },
      kMaxReadPerRefresh);
}

void TopModel::readReports() {
  if (!exec_) return;
  exec_->poll(
      [this](const common::EventHeader& e) {
        if (e.type != common::EventType::ExecutionReport) return;
        common::ExecutionReport r;
        std::memcpy(&r, &e, sizeof r);
        onReport(r);
      },
      kMaxReadPerRefresh);
}

void TopModel::onReport(const common::ExecutionReport& r) {
  StrategyRow& s = strategies_[r.strategy_id];
  s.id = r.strategy_id;
  switch (r.exec_type) {
    case common::ExecType::New:
      ++s.orders;
      if (r.order_type == common::OrderType::Market || r.tif == common::TimeInForce::IOC) break;
      openOwner_[r.client_order_id] = r.strategy_id;
      break;
    case common::ExecType::PartiallyFilled:
    case common::ExecType::Filled:
      ++s.fills;
      (void)trades_.onFill(r);
      if (r.exec_type == common::ExecType::Filled) openOwner_.erase(r.client_order_id);
      break;
    case common::ExecType::Canceled:
    case common::ExecType::Expired:
      ++s.cancels;
      openOwner_.erase(r.client_order_id);
      break;
    case common::ExecType::Rejected:
      ++s.rejects;
      openOwner_.erase(r.client_order_id);
      rejects_.push_front({r.header.exchange_ts_ns ? r.header.exchange_ts_ns : r.header.receive_ts_ns, r.strategy_id,
                           r.client_order_id, common::toString(r.reject_reason)});
      if (rejects_.size() > kRecentRejects) rejects_.pop_back();
      break;
  }
  if (r.exec_type == common::ExecType::New && r.local_send_ts_ns > 0 && r.venue_ts_ns >= r.local_send_ts_ns)
    orderLatency_.record(r.venue_ts_ns - r.local_send_ts_ns);
}

std::vector<StrategyRow> TopModel::strategies() const {
  std::vector<StrategyRow> out;
  for (auto [id, row] : strategies_) {
    row.openOrders = 0;
    for (const auto& [oid, owner] : openOwner_) row.openOrders += owner == id;
    out.push_back(row);
  }
  return out;
}

std::vector<PositionRow> TopModel::positions() const {
  std::vector<PositionRow> out;
  trades_.forEachPosition([&](common::StrategyId strategy, common::InstrumentId id, const managers::PositionView& v) {
    const config::Instrument* inst = instruments_.byId(id);
    if (!inst) return;
    out.push_back({strategy, inst->name, common::formatDecimal(v.qty, inst->qty_scale),
                   common::formatDecimal(v.realized_pnl, common::kAmountScale),
                   common::formatDecimal(v.unrealized_pnl, common::kAmountScale),
                   common::formatDecimal(v.fees, common::kAmountScale)});
  });
  return out;
}

}  // namespace hft::tools
