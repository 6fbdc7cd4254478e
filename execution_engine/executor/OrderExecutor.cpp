#include "execution_engine/executor/OrderExecutor.h"

#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_set>

#include "common/Clock.h"
#include "common/FixedPoint.h"

namespace hft::execution_engine::executor {

using common::ClientOrderId;
using common::ExecutionReport;
using common::OrderAction;
using common::OrderRequest;
using common::RejectReason;
using common::TimestampNs;
using managers::OrderRecord;
using managers::RecordResult;

namespace {

constexpr int64_t kDayNs = 86'400'000'000'000;
/// Marker text of a request that was journaled as accepted but that its gateway refused: the
/// replay must not recreate that order.
constexpr const char* kSendRefused = "send_refused";
/// Marker text written (before the send) when a held stop triggers and its child goes to the
/// venue: the replay must not hold that stop again.
constexpr const char* kStopTriggered = "stop_triggered";

int64_t floorDiv(int64_t a, int64_t b) noexcept { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/// The reason a strategy sees for what OrderManager::check refused.
RejectReason toReason(RecordResult r, const OrderRequest& req) noexcept {
  switch (r) {
    case RecordResult::Recorded: return RejectReason::None;
    case RecordResult::DuplicateId: return RejectReason::DuplicateClientOrderId;
    case RecordResult::UnknownOrder:
    case RecordResult::OrderDone: return RejectReason::UnknownOrder;
    case RecordResult::TableFull: return RejectReason::MaxOpenOrders;
    case RecordResult::InvalidRequest:
      return req.action != OrderAction::Cancel && req.qty <= 0 ? RejectReason::InvalidQuantity : RejectReason::InvalidRequest;
    case RecordResult::ModifyPending: return RejectReason::InvalidRequest;
  }
  return RejectReason::InvalidRequest;
}

std::string_view assetOf(const char (&a)[8]) noexcept { return {a, strnlen(a, sizeof a)}; }

std::string decimal(int64_t raw) {
  // kAmountScale decimals, for mismatch lines only.
  const bool neg = raw < 0;
  const uint64_t v = neg ? 0 - static_cast<uint64_t>(raw) : static_cast<uint64_t>(raw);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%" PRIu64 ".%08" PRIu64, neg ? "-" : "", v / 100'000'000u, v % 100'000'000u);
  return buf;
}

}  // namespace

OrderExecutor::OrderExecutor(const ExecutorConfig& config, const config::InstrumentRegistry& registry,
                             managers::RiskLimits limits, data_store::ExecPublisher& exec,
                             std::vector<std::unique_ptr<interfaces::IOrderGateway>> gateways, data_store::BusNames bus,
                             bool subscribeMarketData)
    : config_(config),
      registry_(registry),
      bus_(std::move(bus)),
      subscribeMarketData_(subscribeMarketData),
      risk_(limits, registry),
      om_(managers::OrderManagerSizes{config.max_live_orders, config.keep_terminal}),
      tm_(registry),
      am_(registry),
      ids_(managers::ClientOrderIds::runFromWallClock(common::wallNowNs())),
      exec_(exec),
      gateways_(std::move(gateways)),
      journal_(config.journal_dir, config.journal),
      snapshots_(config.data_root),
      tradeLog_(registry, config.data_root),
      held_(config.max_live_orders) {
  for (const managers::StrategyLimits& s : limits.strategies) strategyPnl_.push_back({s.id, 0, 0});
  for (const auto& g : gateways_) {
    Venue& v = venues_[static_cast<uint16_t>(g->venue()) & 0xFF];
    if (v.gateway) throw std::invalid_argument("two gateways for venue " + std::string(common::toString(g->venue())));
    v.id = g->venue();
    v.gateway = g.get();
    v.sendsModify = g->supportsNativeAmend();
    // How the OMS reads a Modify's reports. The gateways so far (dry run, like the simulator)
    // answer a Modify as a cancel-replace: Canceled of the original, New of the Modify's id.
    // A gateway whose venue amends in place and reports under the same order needs NativeAmend.
    v.mode = managers::ModifyMode::CancelReplace;
    // Stop types are held here unless the venue's configuration says it takes them natively.
    for (const GatewayConfig& gc : config_.gateways)
      if (gc.venue == v.id) v.localStops = gc.local_stops;
  }
  for (const auto& s : limits.strategies) {
    queues_.push_back({s.id, nullptr});
    strategyNames_.push_back(s.name.empty() ? std::to_string(s.id) : s.name);
    tradeLog_.setStrategyName(s.id, strategyNames_.back());
  }
  tradeLogQueue_.reserve(config_.trade_log_buffer);
  scratchIds_.reserve(static_cast<size_t>(config_.max_live_orders) + config_.keep_terminal);
}

OrderExecutor::~OrderExecutor() = default;

size_t OrderExecutor::queuesOpen() const noexcept {
  return static_cast<size_t>(std::count_if(queues_.begin(), queues_.end(), [](const Queue& q) { return q.consumer != nullptr; }));
}

const OrderExecutor::Venue* OrderExecutor::venue(common::ExchangeId id) const noexcept {
  const Venue& v = venues_[static_cast<uint16_t>(id) & 0xFF];
  return v.gateway && v.id == id ? &v : nullptr;
}

// ---- hot path ------------------------------------------------------------------------------

int OrderExecutor::doWork() noexcept {
  int n = 0;
  for (const auto& g : gateways_) n += g->poll();
  if (risk_.killSwitch().engaged()) {
    if (!killCancelsDone_) cancelAllOpen();
  } else {
    killCancelsDone_ = false;
  }
  const size_t count = queues_.size();
  for (size_t k = 0; k < count; ++k) {
    Queue& q = queues_[(firstQueue_ + k) % count];
    if (!q.consumer) continue;
    OrderRequest r;
    for (uint32_t i = 0; i < config_.max_requests_per_queue && q.consumer->tryPop(r); ++i, ++n) handle(r, q.strategy);
  }
  if (count) firstQueue_ = (firstQueue_ + 1) % count;  // no queue is always served first
  if (md_) n += md_->poll([this](const common::EventHeader& e) { onMarketData(e); }, 64);
  if (n == 0 && journal_.tick(common::monoNowNs()) != journal::AppendStatus::Ok) journalFailed();
  return n;
}

void OrderExecutor::handle(const OrderRequest& r, common::StrategyId queueStrategy) noexcept {
  ++counters_.requests;
  if (r.strategy_id != queueStrategy) return reject(r, RejectReason::UnknownStrategy);
  const config::Instrument* inst = registry_.byId(r.header.instrument_id);
  const Venue* v = venue(r.header.exchange_id);
  if (!inst || inst->exchange != r.header.exchange_id || !v) return reject(r, RejectReason::UnknownInstrument);
  if (const RecordResult c = om_.check(r, v->mode); c != RecordResult::Recorded) return reject(r, toReason(c, r));
  const bool local = isLocalStop(r);
  // A held stop is not at the venue: there is nothing to amend. Cancel it and place a new one.
  if (local && r.action == OrderAction::Modify) return reject(r, RejectReason::InvalidRequest);
  const TimestampNs now = wallNow();
  if (const managers::RiskDecision d = risk_.check(r, now); !d.accepted()) return reject(r, d.reason);
  // Write-ahead: once sent, the order must be in the journal, whatever happens next.
  if (journal_.appendAccepted(r, common::monoNowNs()) != journal::AppendStatus::Ok) {
    journalFailed();
    return reject(r, RejectReason::VenueUnavailable);
  }
  if (local) return holdLocally(r, *v, now);
  interfaces::SendStatus s;
  if (r.action == OrderAction::Modify && !v->sendsModify) {
    // No native amend: cancel the original under an id of ours, then place the replacement.
    OrderRequest cancel = r;
    cancel.action = OrderAction::Cancel;
    cancel.client_order_id = ids_.next();
    s = v->gateway->send(cancel, now);
    if (s.ok()) {
      OrderRequest replacement = r;
      replacement.action = OrderAction::New;
      replacement.orig_client_order_id = 0;
      s = v->gateway->send(replacement, now);
    }
  } else {
    s = v->gateway->send(r, now);
  }
  if (!s.ok()) {
    marker(journal::MarkerKind::Note, static_cast<int64_t>(r.client_order_id), kSendRefused);
    const RejectReason why = s.outcome == interfaces::SendOutcome::Throttled ? RejectReason::RateLimit
                             : s.reason != RejectReason::None               ? s.reason
                                                                            : RejectReason::VenueRejected;
    return reject(r, why);
  }
  (void)om_.onRequestSent(r, now, v->mode);
  (void)risk_.onAccepted(r);
  if (r.action == OrderAction::New ||
      (r.action == OrderAction::Modify && v->mode == managers::ModifyMode::CancelReplace))
    (void)am_.reserve(r);  // the new order's reservation
  ++counters_.accepted;
}

bool OrderExecutor::isLocalStop(const OrderRequest& r) const noexcept {
  if (r.action == OrderAction::New) {
    const Venue* v = venue(r.header.exchange_id);
    return v && v->localStops && HeldStops::isStopType(r.type);
  }
  return held_.waiting(r.orig_client_order_id);  // Cancel / Modify of a stop not yet triggered
}

void OrderExecutor::holdLocally(const OrderRequest& r, const Venue& v, TimestampNs now) noexcept {
  (void)om_.onRequestSent(r, now, v.mode);
  (void)risk_.onAccepted(r);
  if (r.action == OrderAction::New) {
    (void)am_.reserve(r);
    if (!held_.add(r)) return localReport(r, common::ExecType::Rejected, RejectReason::MaxOpenOrders, now);
    ++counters_.stops_held;
    return localReport(r, common::ExecType::New, RejectReason::None, now);
  }
  // Cancel (Modify was refused in handle): the Canceled report ends the order and erases the entry.
  const HeldStop* h = held_.find(r.orig_client_order_id);
  if (!h) return;
  const OrderRequest order = h->request;
  ++counters_.stops_canceled;
  localReport(order, common::ExecType::Canceled, RejectReason::None, now);
}

void OrderExecutor::localReport(const OrderRequest& order, common::ExecType type, RejectReason why,
                                TimestampNs now) noexcept {
  ExecutionReport x{};
  x.header = common::makeHeader<ExecutionReport>(order.header.exchange_id, order.header.instrument_id, now, now);
  x.client_order_id = order.client_order_id;
  x.orig_client_order_id = type == common::ExecType::Canceled ? order.client_order_id : 0;  // as a venue says it
  x.venue_order_id = 0;  // local: the venue has not seen it
  x.leaves_qty = type == common::ExecType::New ? order.qty : 0;
  x.order_price = order.price;
  x.local_send_ts_ns = now;
  x.venue_ts_ns = now;
  x.strategy_id = order.strategy_id;
  x.exec_type = type;
  x.side = order.side;
  x.order_type = order.type;
  x.tif = order.tif;
  x.reject_reason = why;
  applyReport(x);
}

void OrderExecutor::checkStops(common::InstrumentId instrument, int64_t price) noexcept {
  if (risk_.killSwitch().engaged()) return;  // the kill switch cancels them instead
  TimestampNs now = 0;
  for (size_t i = 0; i < held_.size();) {
    HeldStop& s = held_[i];
    if (s.triggered_ts != 0 || s.request.header.instrument_id != instrument || !HeldStops::triggers(s.request, price)) {
      ++i;
      continue;
    }
    if (now == 0) now = wallNow();
    const ClientOrderId id = s.request.client_order_id;
    trigger(s, now);
    if (i < held_.size() && held_[i].request.client_order_id == id) ++i;  // else erased: another entry moved to i
  }
}

void OrderExecutor::trigger(HeldStop& s, TimestampNs now) noexcept {
  const OrderRequest order = s.request;  // a copy: a refusal below erases s
  const Venue* v = venue(order.header.exchange_id);
  if (!v) return;
  // Write-ahead: once the child may be at the venue, a restart must not hold (and send) it again.
  // A journal failure engages the kill switch, which cancels the stop instead.
  if (!marker(journal::MarkerKind::Note, static_cast<int64_t>(order.client_order_id), kStopTriggered)) return;
  const interfaces::SendStatus st = v->gateway->send(HeldStops::child(order), now);
  if (st.ok()) {
    s.triggered_ts = now;
    ++counters_.stops_triggered;
    return;
  }
  // The strategy knows the order as acked: a refused child ends it as Expired, with the reason.
  const RejectReason why = st.outcome == interfaces::SendOutcome::Throttled ? RejectReason::RateLimit
                           : st.reason != RejectReason::None               ? st.reason
                                                                           : RejectReason::VenueRejected;
  localReport(order, common::ExecType::Expired, why, now);
}

void OrderExecutor::reject(const OrderRequest& r, RejectReason why) noexcept {
  ++counters_.rejected;
  ++counters_.rejected_by_reason[std::min<size_t>(static_cast<size_t>(why), 63)];
  if (journal_.appendRejected(r, why, common::monoNowNs()) != journal::AppendStatus::Ok) journalFailed();
  if (rejectHook_) rejectHook_(rejectContext_, r, why);
  const TimestampNs now = wallNow();
  ExecutionReport x{};
  x.header = common::makeHeader<ExecutionReport>(r.header.exchange_id, r.header.instrument_id, 0, now);
  x.client_order_id = r.client_order_id;
  x.orig_client_order_id = r.orig_client_order_id;
  x.order_price = r.price;
  x.strategy_id = r.strategy_id;
  x.exec_type = common::ExecType::Rejected;
  x.side = r.side;
  x.order_type = r.type;
  x.tif = r.tif;
  x.reject_reason = why;
  x.local_send_ts_ns = now;
  publishReport(x);
}

void OrderExecutor::publishReport(ExecutionReport& r) noexcept {
  exec_.publish(r);
  // The trade log formats JSON (allocates): the line is written later, off the hot path.
  if (tradeLogQueue_.size() < tradeLogQueue_.capacity())
    tradeLogQueue_.push_back(r);
  else
    ++counters_.trade_log_errors;
}

void OrderExecutor::onExecutionReport(const ExecutionReport& report) noexcept {
  if (!held_.empty()) {
    const HeldStop* h = held_.find(report.client_order_id);
    if (h && h->triggered_ts != 0) {
      (void)held_.erase(report.client_order_id);  // the venue's first answer about the child
      if (report.exec_type == common::ExecType::Rejected) {
        // The order is acked here (locally): a refused child ends it as Expired, with the reason.
        ExecutionReport x = report;
        x.exec_type = common::ExecType::Expired;
        x.leaves_qty = 0;
        return applyReport(x);
      }
    }
  }
  applyReport(report);
}

void OrderExecutor::applyReport(const ExecutionReport& report) noexcept {
  const managers::ApplyResult a = om_.apply(report);
  if (a.verdict != managers::Verdict::Applied) {
    ++counters_.reports_ignored;
    return;
  }
  if (journal_.appendReport(report, common::monoNowNs()) != journal::AppendStatus::Ok) journalFailed();
  ExecutionReport x = report;  // publish stamps the sequence
  // Strategies know an order by its own id. Binance names a cancel by the cancel request's id
  // (`c`, possibly one the venue made up) and the order in `C`: publish it under the order's id,
  // as the backtester's venue does, or the strategy never sees its order go.
  if (x.exec_type == common::ExecType::Canceled && a.order != 0) x.client_order_id = a.order;
  publishReport(x);
  ++counters_.reports;
  bookApplied(report, a);
  if ((a.changes & managers::kChangeDone) && !held_.empty()) (void)held_.erase(a.order);
}

void OrderExecutor::bookApplied(const ExecutionReport& r, const managers::ApplyResult& a) noexcept {
  if (a.changes & managers::kChangeFill) {
    ++counters_.fills;
    (void)tm_.onFill(r);
    (void)am_.onFill(r);
    risk_.onFill(r.client_order_id, r.strategy_id, r.header.instrument_id, r.side, r.last_qty, r.last_price);
  }
  if ((a.changes & managers::kChangeTerms) && r.orig_client_order_id != 0)
    (void)am_.onAmended(r.orig_client_order_id, a.order, r.order_price, r.leaves_qty);
  if (a.changes & managers::kChangeRequestRejected) (void)risk_.onModifyRejected(r.client_order_id);
  if (a.changes & managers::kChangeDone) {
    risk_.onOrderDone(a.order);
    am_.release(a.order);
  }
}

void OrderExecutor::feedDailyPnl(TimestampNs now) noexcept {
  for (StrategyPnl& e : strategyPnl_) e.realized = e.unrealized = 0;
  tm_.forEachPosition([&](common::StrategyId s, common::InstrumentId i, const managers::PositionView& p) {
    for (StrategyPnl& e : strategyPnl_) {
      if (e.id != s) continue;
      // In the loss currency: a KRW and a USDT position are never added as they are.
      e.realized += risk_.toLossCurrency(i, p.realized_pnl - p.fees);
      e.unrealized += risk_.toLossCurrency(i, p.unrealized_pnl);
      return;
    }
  });
  for (const StrategyPnl& e : strategyPnl_) risk_.onPnl(e.id, e.realized, e.unrealized, now);
}

void OrderExecutor::onBalanceUpdate(const common::BalanceUpdate& balance) noexcept {
  (void)am_.onBalance(balance);
  // Every order on the account goes through this executor: free + locked is what risk reserves from.
  (void)risk_.onBalance(balance.header.exchange_id, assetOf(balance.asset), balance.free + balance.locked);
  if (journal_.appendBalance(balance, common::monoNowNs()) != journal::AppendStatus::Ok) journalFailed();
  common::BalanceUpdate x = balance;
  exec_.publish(x);
  ++counters_.balances;
}

void OrderExecutor::onMarketData(const common::EventHeader& e) noexcept {
  int64_t price = 0;
  if (e.type == common::EventType::BestBidOffer) {
    const auto& b = reinterpret_cast<const common::BestBidOffer&>(e);
    if (b.bid_qty > 0 && b.ask_qty > 0) price = (b.bid_price + b.ask_price) / 2;
  } else if (e.type == common::EventType::Trade) {
    price = reinterpret_cast<const common::Trade&>(e).price;
  }
  if (price <= 0) return;
  risk_.onReferencePrice(e.instrument_id, price);
  (void)tm_.onMark(e.instrument_id, price);
  // Held stops trigger on trades only (a venue's stop fires on its last trade price, not on a mid).
  if (e.type == common::EventType::Trade && !held_.empty()) checkStops(e.instrument_id, price);
}

void OrderExecutor::journalFailed() noexcept {
  // An executor that cannot journal must stop trading: new orders are refused from now on.
  ++counters_.journal_errors;
  risk_.killSwitch().engage("journal failed");
}

void OrderExecutor::query(ClientOrderId id) noexcept {
  const OrderRecord* o = om_.find(id);
  if (!o) return;
  const Venue* v = venue(o->venue);
  if (!v) return;
  (void)v->gateway->query(o->instrument, o->id);
  ++counters_.queries;
}

void OrderExecutor::cancelAllOpen() noexcept {
  killCancelsDone_ = true;
  scratchIds_.clear();
  om_.forEachOpen([this](const OrderRecord& o) noexcept {
    if (!o.has(managers::kFlagPendingCancel) && scratchIds_.size() < scratchIds_.capacity()) scratchIds_.push_back(o.id);
  });
  const TimestampNs now = wallNow();
  for (const ClientOrderId id : scratchIds_) {
    const OrderRecord* o = om_.find(id);
    if (!o) continue;
    OrderRequest c{};
    c.header = common::makeHeader<OrderRequest>(o->venue, o->instrument, 0, now);
    c.client_order_id = ids_.next();
    c.orig_client_order_id = o->id;
    c.price = o->price;
    c.qty = o->leaves_qty;
    c.strategy_id = o->strategy;
    c.action = OrderAction::Cancel;
    c.side = o->side;
    c.type = o->type;
    c.tif = o->tif;
    c.request_ts_ns = now;
    ++counters_.kill_cancels;
    handle(c, o->strategy);
  }
}

bool OrderExecutor::marker(journal::MarkerKind kind, int64_t value, const char* text) noexcept {
  journal::JournalMarker m{};
  m.ts_ns = wallNow();
  m.value = value;
  m.kind = kind;
  std::strncpy(m.text, text, sizeof m.text - 1);
  if (journal_.appendMarker(m, common::monoNowNs()) == journal::AppendStatus::Ok) return true;
  journalFailed();
  return false;
}

// ---- cold path -----------------------------------------------------------------------------

void OrderExecutor::housekeeping() {
  const TimestampNs now = wallNow();
  if (risk_.killSwitch().poll() && !killCancelsDone_) cancelAllOpen();
  // Requests unanswered too long: the outcome is unknown; ask the venue, never resend.
  const int64_t limit = config_.request_timeout_ms * 1'000'000;
  scratchIds_.clear();
  om_.forEachOpen([&](const OrderRecord& o) {
    const bool waiting = o.state == managers::OrderState::PendingNew || o.has(managers::kFlagPendingCancel) ||
                         o.has(managers::kFlagPendingModify);
    if (waiting && !o.has(managers::kFlagQueryNeeded) && now - o.local_send_ts > limit &&
        scratchIds_.size() < scratchIds_.capacity())
      scratchIds_.push_back(o.id);
  });
  for (const ClientOrderId id : scratchIds_) {
    ++counters_.timeouts;
    (void)om_.onRequestOutcomeUnknown(id);
    query(id);
  }
  // Triggered stops whose child got no answer: the same (the order is acked here, so only the
  // entry tells that its child is in flight).
  for (size_t i = 0; i < held_.size();) {
    const HeldStop& s = held_[i];
    if (s.triggered_ts == 0 || now - s.triggered_ts <= limit) {
      ++i;
      continue;
    }
    const ClientOrderId id = s.request.client_order_id;
    (void)held_.erase(id);
    ++counters_.timeouts;
    (void)om_.onRequestOutcomeUnknown(id);
    query(id);
  }
  openQueues();
  flushTradeLog();
  feedDailyPnl(now);
  const int64_t today = floorDiv(now, kDayNs);
  if (today != day_) {
    writePnl(day_ * kDayNs);
    day_ = today;
    tm_.beginDay(today * kDayNs);
  }
  if (snapshots_.dueAt(now)) writeSnapshot(now);
  if (journal_.tick(common::monoNowNs()) != journal::AppendStatus::Ok) journalFailed();
  exec_.heartbeat(now);
}

void OrderExecutor::openQueues() {
  for (Queue& q : queues_) {
    if (q.consumer && q.consumer->producerReplaced()) q.consumer.reset();  // the strategy restarted
    if (q.consumer) continue;
    try {
      q.consumer = std::make_unique<data_store::OrderQueueConsumer>(bus_.orderQueue(q.strategy), 0);
    } catch (const std::exception&) {
      // The strategy has not created its queue yet: try again next time.
    }
  }
  if (!subscribeMarketData_) return;
  if (md_ && md_->producerReplaced()) md_.reset();
  if (!md_) {
    try {
      md_ = std::make_unique<data_store::MarketDataSubscriber>(bus_.marketData(), data_store::StartAt::Live, 0);
    } catch (const std::exception&) {
    }
  }
}

void OrderExecutor::flushTradeLog() {
  std::string error;
  for (const ExecutionReport& r : tradeLogQueue_) {
    if (!tradeLog_.append(r, error)) {
      ++counters_.trade_log_errors;
      std::fprintf(stderr, "order_executor: trade log: %s\n", error.c_str());
    }
  }
  tradeLogQueue_.clear();
}

nlohmann::json OrderExecutor::state() const {
  nlohmann::json j;
  j["order_manager"] = om_.toJson();
  j["trade_manager"] = tm_.toJson();
  j["account_manager"] = am_.toJson();
  j["executor_run"] = ids_.run();
  j["executor_ids_issued"] = ids_.issued();
  j["held_stops"] = heldToJson();
  return j;
}

void OrderExecutor::writeSnapshot(TimestampNs now) {
  if (journal_.sync() != journal::AppendStatus::Ok) journalFailed();
  std::string error;
  const uint64_t seq = journal_.lastSequence();
  if (!snapshots_.write(state(), seq, now, error)) {
    std::fprintf(stderr, "order_executor: snapshot: %s\n", error.c_str());
    return;
  }
  ++counters_.snapshots;
  marker(journal::MarkerKind::Snapshot, static_cast<int64_t>(seq), "snapshot");
  (void)snapshots_.prune();
}

void OrderExecutor::writePnl(TimestampNs day) {
  std::map<common::StrategyId, std::string> names;
  for (size_t i = 0; i < queues_.size(); ++i) names[queues_[i].strategy] = strategyNames_[i];
  std::vector<journal::PnlRow> rows;
  for (const managers::DailyPnlRow& d : tm_.dailyPnl()) {
    journal::PnlRow p;
    const auto it = names.find(d.strategy);
    p.strategy = it != names.end() ? it->second : std::to_string(d.strategy);
    p.venue = common::toString(d.venue);
    const config::Instrument* inst = registry_.byId(d.instrument);
    p.instrument = inst ? inst->name : "#" + std::to_string(d.instrument);
    p.realized_pnl = d.realized_pnl;
    p.unrealized_pnl = d.unrealized_pnl - d.unrealized_at_start;
    p.fees = d.fees;
    p.volume = d.volume;
    p.fills = d.fills;
    rows.push_back(std::move(p));
  }
  std::string error;
  if (!journal::PnlReport::write(config_.data_root, day, rows, error))
    std::fprintf(stderr, "order_executor: pnl report: %s\n", error.c_str());
}

void OrderExecutor::shutdown() {
  if (stopped_) return;
  stopped_ = true;
  for (int i = 0; i < 3; ++i) (void)doWork();  // answers already on their way
  flushTradeLog();
  marker(journal::MarkerKind::Stopped, static_cast<int64_t>(getpid()), "stopped");
  const TimestampNs now = wallNow();
  writeSnapshot(now);
  writePnl(now);
  if (journal_.sync() != journal::AppendStatus::Ok) journalFailed();
  for (const auto& g : gateways_) g->stop();
}

// ---- recovery ------------------------------------------------------------------------------

RecoveryReport OrderExecutor::recover() {
  if (started_) throw std::logic_error("OrderExecutor::recover called twice");
  started_ = true;
  RecoveryReport rr;
  if (!journal_.recoveryNote().empty())
    std::fprintf(stderr, "order_executor: journal: %s\n", journal_.recoveryNote().c_str());
  const journal::LoadedSnapshot snap = snapshots_.loadNewest();
  for (const std::string& s : snap.skipped) std::fprintf(stderr, "order_executor: snapshot skipped: %s\n", s.c_str());
  uint32_t previousRun = 0;
  if (snap.found) {
    const nlohmann::json& s = snap.state;
    if (!s.contains("order_manager") || !s.contains("trade_manager") || !s.contains("account_manager"))
      throw std::runtime_error(snap.path + ": state lacks order_manager, trade_manager or account_manager");
    om_ = managers::OrderManager::fromJson(s["order_manager"], om_.sizes(), snap.path + ": state.order_manager");
    tm_ = managers::TradeManager::fromJson(s["trade_manager"], registry_, {}, snap.path + ": state.trade_manager");
    am_ = managers::AccountManager::fromJson(s["account_manager"], registry_, {}, snap.path + ": state.account_manager");
    previousRun = s.value("executor_run", 0u);
    held_.clear();
    if (s.contains("held_stops")) heldFromJson(s["held_stops"], snap.path + ": state.held_stops");
    rr.snapshot_found = true;
    rr.snapshot_sequence = snap.journal_sequence;
  }
  replay(snap.journal_sequence, rr, previousRun);
  ids_ = managers::ClientOrderIds(managers::ClientOrderIds::nextRunId(previousRun, common::wallNowNs()));
  rr.open_orders = om_.liveCount();
  marker(journal::MarkerKind::Started, static_cast<int64_t>(getpid()), "started");
  settleHeld();

  for (const auto& g : gateways_) g->start(*this);
  reconcile(rr);
  feedRisk();
  // Every order whose outcome is unknown (sent before the restart and never answered, or open
  // here and missing on the venue) is asked about: never resent.
  for (const ClientOrderId id : om_.ordersNeedingQuery()) {
    query(id);
    ++rr.queried;
  }
  const TimestampNs now = wallNow();
  day_ = floorDiv(now, kDayNs);
  if (tm_.dayStart() != 0 && tm_.dayStart() < day_ * kDayNs) writePnl(tm_.dayStart());
  if (tm_.dayStart() < day_ * kDayNs) tm_.beginDay(day_ * kDayNs);
  openQueues();
  std::fprintf(stderr,
               "order_executor: reconcile: %" PRIu64 " mismatches (%" PRIu64 " orders, %" PRIu64 " balances, %" PRIu64
               " positions); %zu open orders, %" PRIu64 " queried; snapshot %s (sequence %" PRIu64 "), %" PRIu64
               " journal records replayed\n",
               rr.mismatches, rr.order_mismatches, rr.balance_mismatches, rr.position_mismatches, rr.open_orders,
               rr.queried, rr.snapshot_found ? snap.path.c_str() : "none", rr.snapshot_sequence, rr.replayed);
  return rr;
}

void OrderExecutor::replay(uint64_t afterSequence, RecoveryReport& rr, uint32_t& previousRun) {
  journal::JournalReader reader(config_.journal_dir, afterSequence);
  journal::JournalRecord rec;
  OrderRequest pending{};
  bool havePending = false;
  const TimestampNs now = wallNow();
  // An accepted request is applied once the next record shows its send was not refused.
  auto flush = [&] {
    if (!havePending) return;
    havePending = false;
    const Venue* v = venue(pending.header.exchange_id);
    (void)om_.onRequestSent(pending, now, v ? v->mode : managers::ModifyMode::CancelReplace);
    if (pending.action == OrderAction::New || pending.action == OrderAction::Modify) (void)am_.reserve(pending);
    if (pending.action == OrderAction::New && v && v->localStops && HeldStops::isStopType(pending.type))
      (void)held_.add(pending);  // held until a stop_triggered marker or its end (settleHeld)
  };
  auto noteId = [&](ClientOrderId id) {
    if (id != 0 && managers::ClientOrderIds::ownerOf(id) == managers::ClientOrderIds::kExecutorOwner)
      previousRun = managers::ClientOrderIds::runOf(id);
  };
  journal::ReadStatus st;
  while ((st = reader.next(rec)) == journal::ReadStatus::Record) {
    ++rr.replayed;
    switch (rec.type) {
      case journal::RecordType::RequestAccepted:
        flush();
        pending = rec.as<OrderRequest>();
        havePending = true;
        noteId(pending.client_order_id);
        break;
      case journal::RecordType::RequestRejected:
        flush();
        break;
      case journal::RecordType::Report: {
        flush();
        const auto& r = rec.as<ExecutionReport>();
        const managers::ApplyResult a = om_.apply(r);
        if (a.verdict == managers::Verdict::Applied) {
          if (a.changes & managers::kChangeFill) {
            (void)tm_.onFill(r);
            (void)am_.onFill(r);
          }
          if ((a.changes & managers::kChangeTerms) && r.orig_client_order_id != 0)
            (void)am_.onAmended(r.orig_client_order_id, a.order, r.order_price, r.leaves_qty);
          if (a.changes & managers::kChangeDone) am_.release(a.order);
        }
        break;
      }
      case journal::RecordType::Balance:
        flush();
        (void)am_.onBalance(rec.as<common::BalanceUpdate>());
        break;
      case journal::RecordType::Marker: {
        const journal::JournalMarker m = rec.marker();
        if (havePending && m.kind == journal::MarkerKind::Note && std::strncmp(m.text, kSendRefused, sizeof m.text) == 0 &&
            static_cast<ClientOrderId>(m.value) == pending.client_order_id)
          havePending = false;  // the gateway refused it: it never reached the venue
        if (m.kind == journal::MarkerKind::Note && std::strncmp(m.text, kStopTriggered, sizeof m.text) == 0)
          (void)held_.erase(static_cast<ClientOrderId>(m.value));  // its child went to the venue
        break;
      }
    }
  }
  flush();
  if (st == journal::ReadStatus::Error)
    throw std::runtime_error("journal replay stopped at damage an operator must look at: " + reader.error());
}

void OrderExecutor::mismatch(RecoveryReport& rr, common::ExchangeId venue, const std::string& what) {
  std::string line = "order_executor: reconcile: ";
  line.append(common::toString(venue)).append(": ").append(what);
  std::fprintf(stderr, "%s\n", line.c_str());
  rr.lines.push_back(std::move(line));
  ++rr.mismatches;
}

void OrderExecutor::reconcile(RecoveryReport& rr) {
  venueBalances_.clear();
  for (const auto& g : gateways_) {
    const common::ExchangeId v = g->venue();
    std::string error;
    std::vector<interfaces::VenueOrder> orders;
    if (!g->fetchOpenOrders(orders, error)) {
      mismatch(rr, v, "open orders unavailable (" + error + "): our open orders there are queried");
      ++rr.order_mismatches;
      scratchIds_.clear();
      om_.forEachOpen([&](const OrderRecord& o) {
        if (o.venue == v && !held_.find(o.id)) scratchIds_.push_back(o.id);  // held stops are not there
      });
      for (const ClientOrderId id : scratchIds_) (void)om_.onRequestOutcomeUnknown(id);
    } else {
      std::unordered_set<ClientOrderId> listed;
      for (const interfaces::VenueOrder& o : orders) {
        listed.insert(o.client_order_id);
        const OrderRecord* rec = o.client_order_id != 0 ? om_.find(o.client_order_id) : nullptr;
        if (!rec || !managers::isLive(rec->state)) {
          mismatch(rr, v, "venue order " + std::to_string(o.venue_order_id) + " (client id " +
                              std::to_string(o.client_order_id) + ") is open on the venue but not here");
          ++rr.order_mismatches;
        } else if (rec->cum_qty != o.cum_qty || rec->state == managers::OrderState::PendingNew) {
          if (rec->cum_qty != o.cum_qty) {
            mismatch(rr, v, "order " + std::to_string(rec->id) + ": filled " + std::to_string(rec->cum_qty) +
                                " here, " + std::to_string(o.cum_qty) + " on the venue: querying");
            ++rr.order_mismatches;
          }
          (void)om_.onRequestOutcomeUnknown(rec->id);  // its answer was lost: ask for its state
        }
      }
      scratchIds_.clear();
      om_.forEachOpen([&](const OrderRecord& o) {
        if (o.venue == v && !listed.count(o.id) && !listed.count(o.prev_id) && !held_.find(o.id))
          scratchIds_.push_back(o.id);  // (held stops are not at the venue)
      });
      for (const ClientOrderId id : scratchIds_) {
        mismatch(rr, v, "order " + std::to_string(id) + " is open here but the venue does not list it: marked unknown, querying (not resent)");
        ++rr.order_mismatches;
        (void)om_.onRequestOutcomeUnknown(id);
      }
    }

    std::vector<interfaces::VenueBalance> balances;
    if (!g->fetchBalances(balances, error)) {
      mismatch(rr, v, "balances unavailable (" + error + ")");
      ++rr.balance_mismatches;
    } else {
      for (const managers::BalanceMismatch& m : am_.reconcileWith(v, balances)) {
        if (!am_.balance(v, m.asset).known) continue;  // nothing of ours to compare (first start)
        mismatch(rr, v, "balance " + m.asset + ": free " + decimal(m.our_free) + " locked " + decimal(m.our_locked) +
                            " here, free " + decimal(m.venue_free) + " locked " + decimal(m.venue_locked) + " on the venue");
        ++rr.balance_mismatches;
      }
      // The venue's word wins.
      for (const interfaces::VenueBalance& b : balances) {
        common::BalanceUpdate u{};
        const TimestampNs ts = am_.balance(v, assetOf(b.asset)).venue_ts;
        u.header = common::makeHeader<common::BalanceUpdate>(v, 0, ts, wallNow());
        std::memcpy(u.asset, b.asset, sizeof u.asset);
        u.free = b.free;
        u.locked = b.locked;
        (void)am_.onBalance(u);
        venueBalances_.push_back({v, b});
      }
    }

    std::vector<interfaces::VenuePosition> positions;
    if (!g->fetchPositions(positions, error)) {
      mismatch(rr, v, "positions unavailable (" + error + ")");
      ++rr.position_mismatches;
    } else {
      for (const interfaces::VenuePosition& p : positions) {
        const int64_t ours = tm_.instrumentPosition(p.instrument_id).qty;
        if (ours != p.qty) {
          mismatch(rr, v, "position of instrument " + std::to_string(p.instrument_id) + ": " + std::to_string(ours) +
                              " here, " + std::to_string(p.qty) + " on the venue");
          ++rr.position_mismatches;
        }
      }
    }
    marker(journal::MarkerKind::Reconciled, static_cast<int64_t>(rr.mismatches), common::toString(v));
  }
}

void OrderExecutor::feedRisk() {
  // Open orders: as if accepted now, for what is left of them.
  om_.forEachOpen([this](const OrderRecord& o) {
    OrderRequest r{};
    r.header = common::makeHeader<OrderRequest>(o.venue, o.instrument, 0, o.local_send_ts);
    r.client_order_id = o.id;
    r.price = o.price;
    r.qty = o.leaves_qty > 0 ? o.leaves_qty : o.qty - o.cum_qty;
    r.strategy_id = o.strategy;
    r.action = OrderAction::New;
    r.side = o.side;
    r.type = o.type;
    r.tif = o.tif;
    if (const HeldStop* h = held_.find(o.id)) r.stop_price = h->request.stop_price;
    if (r.qty > 0) (void)risk_.onAccepted(r);
  });
  // Positions, then PnL per strategy, then balances (last: fills fed above move balances).
  tm_.forEachPosition([&](common::StrategyId s, common::InstrumentId i, const managers::PositionView& p) {
    if (p.qty != 0)
      risk_.onFill(0, s, i, p.qty > 0 ? common::Side::Buy : common::Side::Sell, p.qty > 0 ? p.qty : -p.qty,
                   p.avg_entry_price);
  });
  feedDailyPnl(wallNow());
  for (const auto& [v, b] : venueBalances_) (void)risk_.onBalance(v, assetOf(b.asset), b.free + b.locked);
}

nlohmann::json OrderExecutor::heldToJson() const {
  // Only stops not yet triggered: a triggered one is a venue order (reconciled, queried).
  nlohmann::json a = nlohmann::json::array();
  for (size_t i = 0; i < held_.size(); ++i) {
    const HeldStop& s = held_[i];
    if (s.triggered_ts != 0) continue;
    const OrderRequest& r = s.request;
    a.push_back({{"id", r.client_order_id},
                 {"venue", static_cast<uint16_t>(r.header.exchange_id)},
                 {"instrument", r.header.instrument_id},
                 {"strategy", r.strategy_id},
                 {"side", static_cast<int>(r.side)},
                 {"type", static_cast<int>(r.type)},
                 {"tif", static_cast<int>(r.tif)},
                 {"price", r.price},
                 {"qty", r.qty},
                 {"stop_price", r.stop_price},
                 {"reduce_only", r.reduce_only},
                 {"position_side", static_cast<int>(r.position_side)},
                 {"request_ts_ns", r.request_ts_ns}});
  }
  return a;
}

void OrderExecutor::heldFromJson(const nlohmann::json& j, const std::string& source) {
  if (!j.is_array()) throw std::runtime_error(source + ": not an array");
  for (size_t i = 0; i < j.size(); ++i) {
    const nlohmann::json& e = j[i];
    const std::string where = source + "[" + std::to_string(i) + "]";
    try {
      OrderRequest r{};
      r.header = common::makeHeader<OrderRequest>(static_cast<common::ExchangeId>(e.at("venue").get<uint16_t>()),
                                                  e.at("instrument").get<common::InstrumentId>(), 0,
                                                  e.at("request_ts_ns").get<TimestampNs>());
      r.client_order_id = e.at("id").get<ClientOrderId>();
      r.strategy_id = e.at("strategy").get<common::StrategyId>();
      r.action = OrderAction::New;
      r.side = static_cast<common::Side>(e.at("side").get<uint8_t>());
      r.type = static_cast<common::OrderType>(e.at("type").get<uint8_t>());
      r.tif = static_cast<common::TimeInForce>(e.at("tif").get<uint8_t>());
      r.price = e.at("price").get<int64_t>();
      r.qty = e.at("qty").get<int64_t>();
      r.stop_price = e.at("stop_price").get<int64_t>();
      r.reduce_only = e.at("reduce_only").get<uint8_t>();
      r.position_side = static_cast<common::PositionSide>(e.at("position_side").get<uint8_t>());
      r.request_ts_ns = e.at("request_ts_ns").get<TimestampNs>();
      if (!HeldStops::isStopType(r.type) || r.client_order_id == 0) throw std::runtime_error("not a stop order");
      if (!held_.add(r)) throw std::runtime_error("more held stops than max_live_orders, or a repeated id");
    } catch (const std::exception& x) {
      throw std::runtime_error(where + ": " + x.what());
    }
  }
}

void OrderExecutor::settleHeld() {
  const TimestampNs now = wallNow();
  for (size_t i = 0; i < held_.size();) {
    const OrderRequest r = held_[i].request;
    const OrderRecord* o = om_.find(r.client_order_id);
    if (!o || o->id != r.client_order_id || !managers::isLive(o->state)) {
      (void)held_.erase(r.client_order_id);  // ended (or replaced) before the restart
      continue;
    }
    // Journaled as accepted, stopped before its local ack: ack it now, as handle() would have.
    if (o->state == managers::OrderState::PendingNew) localReport(r, common::ExecType::New, RejectReason::None, now);
    ++i;
  }
}

std::string OrderExecutor::summary() const {
  char buf[512];
  std::string out;
  std::snprintf(buf, sizeof buf,
                "order_executor: %" PRIu64 " requests, %" PRIu64 " accepted, %" PRIu64 " rejected, %" PRIu64
                " reports (%" PRIu64 " ignored), %" PRIu64 " fills, %" PRIu64 " balance updates\n",
                counters_.requests, counters_.accepted, counters_.rejected, counters_.reports, counters_.reports_ignored,
                counters_.fills, counters_.balances);
  out.append(buf);
  if (counters_.rejected) {
    out.append("order_executor: rejected by reason:");
    for (size_t i = 0; i < counters_.rejected_by_reason.size(); ++i)
      if (const uint64_t n = counters_.rejected_by_reason[i]) {
        std::snprintf(buf, sizeof buf, " %s %" PRIu64, common::toString(static_cast<RejectReason>(i)), n);
        out.append(buf);
      }
    out.append("\n");
  }
  std::snprintf(buf, sizeof buf,
                "order_executor: %" PRIu64 " timeouts, %" PRIu64 " queries, %" PRIu64 " kill-switch cancels, %" PRIu64
                " journal errors, %" PRIu64 " trade log errors, %" PRIu64 " snapshots, journal at sequence %" PRIu64 "\n",
                counters_.timeouts, counters_.queries, counters_.kill_cancels, counters_.journal_errors,
                counters_.trade_log_errors, counters_.snapshots, journal_.lastSequence());
  out.append(buf);
  std::snprintf(buf, sizeof buf,
                "order_executor: %" PRIu64 " stops held locally, %" PRIu64 " triggered, %" PRIu64
                " canceled locally, %zu still held\n",
                counters_.stops_held, counters_.stops_triggered, counters_.stops_canceled, held_.size());
  out.append(buf);
  // The venues' balances as last reported (what an operator compares with the venue's page).
  const nlohmann::json account = am_.toJson();
  for (const auto& b : account["balances"]) {
    out.append("order_executor: balance ")
        .append(b["venue"].get<std::string>())
        .append(" ")
        .append(b["asset"].get<std::string>())
        .append(" free ")
        .append(common::formatDecimal(b["free"].get<int64_t>(), common::kAmountScale))
        .append(" locked ")
        .append(common::formatDecimal(b["locked"].get<int64_t>(), common::kAmountScale))
        .append("\n");
  }
  return out;
}

}  // namespace hft::execution_engine::executor
