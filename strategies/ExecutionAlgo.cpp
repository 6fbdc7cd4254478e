#include "strategies/ExecutionAlgo.h"

#include <algorithm>

namespace hft::strategies {

using common::ExecType;

bool ExecutionAlgo::begin() noexcept {
  if (begun_) return false;
  begun_ = true;
  start_ = ctx().now() + parent_.start_offset;
  if (parent_.duration > 0) ctx().setTimer(start_ + parent_.duration, kEndTimer);
  if (start_ > ctx().now()) {
    ctx().setTimer(start_, kStartTimer);
    return false;
  }
  run();
  return true;
}

void ExecutionAlgo::run() noexcept {
  phase_ = Phase::Running;
  onRun();
}

void ExecutionAlgo::onTrade(const common::Trade& t) {
  if (t.header.instrument_id != parent_.instrument) return;
  begin();
  onMarketTrade(t);
}

void ExecutionAlgo::onTopOfBook(const common::BestBidOffer& b) {
  if (b.header.instrument_id != parent_.instrument) return;
  touch_.set(b);
  if (!begin() && phase_ == Phase::Running) onQuote();
}

void ExecutionAlgo::onBookUpdate(common::InstrumentId id, const strategy_engine::OrderBook& book) {
  if (id != parent_.instrument) return;
  touch_.set(book);
  if (!begin() && phase_ == Phase::Running) onQuote();
}

void ExecutionAlgo::onGap(const common::Gap& g) {
  if (g.header.instrument_id == 0 || g.header.instrument_id == parent_.instrument) touch_.clear();
}

void ExecutionAlgo::onTimer(uint64_t id) {
  if (id == kStartTimer) {
    if (phase_ == Phase::Waiting) run();
  } else if (id == kEndTimer) {
    if (phase_ == Phase::Running) finish();
  } else if (phase_ == Phase::Running) {
    onSchedule(id);
  }
}

void ExecutionAlgo::onExecutionReport(const common::ExecutionReport& r) {
  if (r.exec_type == ExecType::PartiallyFilled || r.exec_type == ExecType::Filled) filled_ += r.last_qty;
  // A refused cancel names the child in orig_client_order_id: the child itself still works.
  const bool cancelRefused = r.exec_type == ExecType::Rejected && r.orig_client_order_id != 0;
  if (r.exec_type == ExecType::Rejected && !cancelRefused) ++counters_.refused;
  const bool ended = !cancelRefused && r.exec_type != ExecType::New && r.exec_type != ExecType::PartiallyFilled;
  if (filled_ >= parent_.total_qty) {
    phase_ = Phase::Done;
  } else if (phase_ == Phase::Finishing) {
    settleFinishing();
  } else if (phase_ == Phase::Running && ended) {
    onChildEnded(r);
  }
}

int64_t ExecutionAlgo::working() const noexcept {
  int64_t q = 0;
  for (const auto& o : ctx().openOrders()) q += o.remaining();
  return q;
}

bool ExecutionAlgo::send(const strategy_engine::OrderParams& o) noexcept {
  if (ctx().sendOrder(o) == 0) {
    ++counters_.refused;
    return false;
  }
  ++counters_.children;
  return true;
}

bool ExecutionAlgo::sendMarketable(int64_t qty) noexcept {
  qty = parent_.floorLot(std::min(qty, unallocated()));
  if (qty <= 0) return false;
  const int64_t far = touch_.far(parent_.side);
  if (far == 0) {
    ++counters_.no_touch;
    return false;
  }
  // An IOC whose limit cannot reach the touch would only expire: skip it, the qty rolls on.
  if (!parent_.withinLimit(far)) {
    ++counters_.limit_skips;
    return false;
  }
  strategy_engine::OrderParams o;
  o.instrument = parent_.instrument;
  o.side = parent_.side;
  o.tif = common::TimeInForce::IOC;
  o.price = parent_.capped(parent_.through(far, aggressionTicks_));
  if (o.price <= 0) o.price = parent_.tick;
  o.qty = qty;
  return send(o);
}

bool ExecutionAlgo::sendPassive(int64_t qty) noexcept {
  const int64_t near = touch_.near(parent_.side);
  if (near == 0) {
    ++counters_.no_touch;
    return false;
  }
  return sendResting(qty, parent_.capped(near), common::TimeInForce::PostOnly);
}

bool ExecutionAlgo::sendResting(int64_t qty, int64_t price, common::TimeInForce tif) noexcept {
  qty = parent_.floorLot(std::min(qty, unallocated()));
  if (qty <= 0 || price <= 0) return false;
  strategy_engine::OrderParams o;
  o.instrument = parent_.instrument;
  o.side = parent_.side;
  o.tif = tif;
  o.price = price;
  o.qty = qty;
  return send(o);
}

int ExecutionAlgo::cancelWorking() noexcept {
  // The host skips orders already cancelling; every order of this strategy is a child.
  return ctx().cancelAll(parent_.instrument);
}

void ExecutionAlgo::finish() noexcept {
  phase_ = Phase::Finishing;
  settleFinishing();
}

void ExecutionAlgo::settleFinishing() noexcept {
  cancelWorking();  // again after a rejected cancel, which leaves the order working
  if (working() > 0) return;
  phase_ = Phase::Done;
  if (completeAtEnd_ && unallocated() > 0 && sendMarketable(unallocated())) ++counters_.final_orders;
}

}  // namespace hft::strategies
