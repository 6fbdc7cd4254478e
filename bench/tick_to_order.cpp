// tick_to_order: the in-system path from a received Binance WebSocket text frame to the signed
// order request bytes in the send buffer, timed per frame with the TSC, on one thread and across
// threads over the shared-memory bus (--mode):
//
//   frame bytes (as BeastWebSocketClient hands them to the gateway: a string_view, unpadded)
//   -> api::binance::MarketDataParser::parse             (simdjson, fixed point)
//   -> api::binance::BookSync::onDiff -> BookDelta chain   (or a Trade event for a trade frame)
//   -> strategy_engine::StrategyHost::onEvent              (L2 book apply + market_maker decision)
//   -> IOrderSink::send, here the executor's pre-send steps, in its order:
//        managers::OrderManager::check, managers::RiskManager::check (all 19 checks, wall clock
//        read for `now`), api::binance::OrderEncoder::encode (spot; Modify = cancelReplace),
//        RequestSigner::signRest (HMAC-SHA256, timestamp from ServerTimeOffset), HTTP/1.1 head
//        + signed body copied into the send buffer            <- the first order's stamp
//        then OrderManager::onRequestSent, RiskManager::onAccepted (bookkeeping after the send)
//
// Frames: a REST snapshot to start the book, then alternating diff-depth updates (combined
// stream wrapper, 20 levels a side plus removals when the touch moves, the mid walking -3..+3
// ticks) and trades at the touch. The market maker (microprice, 5 ticks half spread, requote
// at 2 ticks) re-quotes as the price moves; an instant venue acknowledges every request outside
// the timed section (host, OrderManager and RiskManager all get the reports), so it keeps going.
// Only frames that led to at least one order request are counted.
//
// --mode in-thread: everything above on one pinned thread (the strategy host calls the executor
// steps directly as its order sink). Prints, per counted frame:
//   first order   frame start -> the first order's bytes are in the send buffer (tick-to-order)
//   whole frame   frame start -> everything that frame caused is done (a second order included)
// and the first order's stages (parse; book + strategy; OMS + risk; encode + sign + write), next
// to a baseline measured in the same run: the timer alone (two TSC reads).
//
// --mode bus: the deployment's hand-offs between threads over the real shared-memory bus
// (/dev/shm/hft.bench.t2o.<pid>.*, removed at exit): the feed thread parses and publishes
// BookDelta / Trade events on a market-data BroadcastRing; the strategy thread reads it into a
// StrategyHost (market_maker) whose orders go onto an SpscQueue; the executor pops them and does
// the steps above, and publishes the venue's acknowledgements on an exec BroadcastRing that the
// strategy reads. On this 2-core machine the feed and the executor share one thread (one polling
// loop, core --feed-core), the strategy has the other core; frames are paced (--interval-ns) so
// the figure is latency, not queueing. Stages: feed (parse + BookSync + publish), md ring hop +
// book + strategy, order queue hop, executor. --mode both (default) runs both, in-thread first.
//
// Left out in both modes: kernel/NIC receive, TLS decryption and WebSocket framing (Beast, the
// I/O thread) and its hand-off to the gateway thread; the executor's write-ahead journal append;
// Beast's HTTP serialisation (a plain head is written here), TLS encryption and the send syscall.
// In-thread also leaves out the two bus hops (measured by the bus mode and by bus_latency).
//
//   tick_to_order [--mode in-thread|bus|both] [--frames N] [--warmup N] [--core C]
//                 [--bus-frames N] [--interval-ns N] [--feed-core C] [--strategy-core C]
#include <sched.h>
#include <unistd.h>

#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <atomic>
#include <climits>
#include <cstdint>
#include <memory>
#include <set>
#include <thread>
#include <string>
#include <vector>

#include "api/exchanges/binance/BookSync.h"
#include "api/exchanges/binance/InstrumentResolver.h"
#include "api/exchanges/binance/MarketDataParser.h"
#include "api/exchanges/binance/OrderEncoder.h"
#include "api/exchanges/binance/RequestSigner.h"
#include "bench/Tsc.h"
#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/Cpu.h"
#include "common/LatencyHistogram.h"
#include "data_store/BroadcastRing.h"
#include "data_store/ShmSegment.h"
#include "data_store/SpscQueue.h"
#include "managers/OrderManager.h"
#include "managers/RiskManager.h"
#include "strategies/MarketMaker.h"
#include "strategy_engine/StrategyHost.h"
#include "strategy_engine/StrategyParams.h"

using namespace hft;
using api::binance::Market;

namespace {

constexpr common::InstrumentId kInstrument = 1;
constexpr common::StrategyId kStrategy = 1;
// Test credentials (not a real key): the HMAC cost does not depend on them.
constexpr std::string_view kApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr std::string_view kSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

config::InstrumentRegistry instruments() {
  return config::InstrumentRegistry::fromJson(nlohmann::json::parse(R"({"instruments": [
    {"id": 1, "exchange": "binance", "base": "BTC", "quote": "USDT", "price_scale": 2, "qty_scale": 5,
     "tick_size": "0.01", "lot_size": "0.00001", "min_notional": "5"}]})"), "tick_to_order");
}

managers::RiskLimits limits(const config::InstrumentRegistry& reg) {
  // Every limit kind configured (as in bench_risk), loose enough that the quotes pass.
  const nlohmann::json rules = {
      {"kill_switch_file", "/nonexistent/hft.tick_to_order.kill"},
      {"global", {{"max_open_orders", 4096}, {"daily_loss_limit", "100000"}}},
      {"venues", {{"binance", {{"rate_limit", {{"orders_per_second", "1000000"}, {"burst", 1000000}}},
                               {"max_position_notional", "100000000"}}}}},
      {"instruments", {{"binance:BTCUSDT", {{"max_order_qty", "10"}, {"max_order_notional", "1000000"},
                                            {"max_position", "100"}, {"price_band_bps", 500}}}}},
      {"strategies", {{"1", {{"max_open_orders", 1000},
                             {"rate_limit", {{"orders_per_second", "1000000"}, {"burst", 1000000}}},
                             {"daily_loss_limit", "10000"},
                             {"max_position", {{"binance:BTCUSDT", "50"}}}}}}}};
  return managers::RiskLimits::fromJson(rules, "tick_to_order-rules", reg);
}

// ---- the executor's pre-send steps, called synchronously by the strategy host ----------------

struct Executor final : strategy_engine::IOrderSink {
  Executor(const config::InstrumentRegistry& reg, const bench::TscClock& c)
      : registry(reg), clock(c), risk(limits(reg), reg), orders({4096, 4096}), encoder(Market::Spot),
        signer(kApiKey, kSecret, 5000) {}

  const config::InstrumentRegistry& registry;
  const bench::TscClock& clock;
  managers::RiskManager risk;
  managers::OrderManager orders;
  api::binance::OrderEncoder encoder;
  api::binance::RequestSigner signer;
  api::binance::ServerTimeOffset venueClock;
  api::binance::ParamList params;
  char body[2048];
  char sendBuffer[1 << 16];  // what the REST client's socket write would take
  size_t sendUsed = 0;

  // Per frame, read by the loop: TSC stamps of the first order (0 = none yet).
  uint64_t firstSendTsc = 0, firstCheckedTsc = 0, firstOrderTsc = 0;
  uint64_t lastWrittenTsc = 0;  // of the last request written
  // Totals.
  uint64_t requests = 0, written = 0, omRefused = 0, riskRejected = 0, encodeFailed = 0, signFailed = 0;
  uint64_t sendBytes = 0;
  managers::RiskDecision lastReject{};
  // Requests to acknowledge after the timed section.
  common::OrderRequest pending[16];
  int pendingCount = 0;

  bool send(const common::OrderRequest& r) noexcept override {
    ++requests;
    const bool first = firstOrderTsc == 0;
    if (first) firstSendTsc = bench::tscNow();
    if (orders.check(r, managers::ModifyMode::CancelReplace) != managers::RecordResult::Recorded) {
      ++omRefused;
      return false;
    }
    const common::TimestampNs now = common::wallNowNs();
    if (const managers::RiskDecision d = risk.check(r, now); !d.accepted()) {
      ++riskRejected;
      lastReject = d;
      return false;
    }
    if (first) firstCheckedTsc = bench::tscNow();
    const config::Instrument* inst = registry.byId(r.header.instrument_id);
    api::binance::Endpoint ep;
    if (inst == nullptr || encoder.encode(r, *inst, params, ep) != api::binance::EncodeStatus::Ok) {
      ++encodeFailed;
      return false;
    }
    api::binance::SignedRequest signedReq;
    if (signer.signRest(params, venueClock.timestampMs(now), body, signedReq) != api::binance::SignStatus::Ok) {
      ++signFailed;
      return false;
    }
    if (!write(ep, signedReq.text)) return false;
    lastWrittenTsc = bench::tscAfterLoads();
    if (first) firstOrderTsc = lastWrittenTsc;
    ++written;
    (void)orders.onRequestSent(r, now, managers::ModifyMode::CancelReplace);
    (void)risk.onAccepted(r);
    if (pendingCount < 16) pending[pendingCount++] = r;
    return true;
  }

  /// "<METHOD> <path> HTTP/1.1" + Host, X-MBX-APIKEY, Content-Type, Content-Length, then the body.
  bool write(const api::binance::Endpoint& ep, std::string_view text) noexcept {
    if (sendUsed + text.size() + 512 > sizeof sendBuffer) sendUsed = 0;  // the socket took the rest
    char* p = sendBuffer + sendUsed;
    auto put = [&p](std::string_view s) {
      std::memcpy(p, s.data(), s.size());
      p += s.size();
    };
    const char* start = p;
    put(api::binance::toString(ep.method));
    put(" ");
    put(ep.path);
    put(" HTTP/1.1\r\nHost: api.binance.com\r\nX-MBX-APIKEY: ");
    put(signer.apiKey());
    put("\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ");
    p = std::to_chars(p, p + 24, text.size()).ptr;
    put("\r\n\r\n");
    put(text);
    sendUsed += static_cast<size_t>(p - start);
    sendBytes += static_cast<size_t>(p - start);
    return true;
  }

  /// The instant venue: New -> acked; Cancel -> canceled; Modify (cancelReplace) -> the
  /// original canceled, the replacement acked. The OMS and risk see the reports here;
  /// `deliver(const EventHeader&)` takes them to the strategy (its host, or the exec ring).
  template <class Deliver>
  void acknowledge(const common::OrderRequest& r, Deliver&& deliver) noexcept {
    common::ExecutionReport e{};
    e.header = common::makeHeader<common::ExecutionReport>(r.header.exchange_id, r.header.instrument_id,
                                                           r.header.exchange_ts_ns, r.header.exchange_ts_ns);
    e.strategy_id = r.strategy_id;
    e.side = r.side;
    e.order_price = r.price;
    auto report = [&](common::ClientOrderId id, common::ExecType type) {
      e.client_order_id = id;
      e.exec_type = type;
      e.leaves_qty = type == common::ExecType::Canceled ? 0 : r.qty;
      const managers::ApplyResult a = orders.apply(e);
      if (a.verdict == managers::Verdict::Applied && (a.changes & managers::kChangeDone)) risk.onOrderDone(a.order);
      deliver(e.header);
    };
    if (r.action == common::OrderAction::New) {
      report(r.client_order_id, common::ExecType::New);
    } else {
      report(r.orig_client_order_id, common::ExecType::Canceled);
      if (r.action == common::OrderAction::Modify) report(r.client_order_id, common::ExecType::New);
    }
  }
  template <class Deliver>
  void acknowledgePending(Deliver&& deliver) noexcept {
    for (int i = 0; i < pendingCount; ++i) acknowledge(pending[i], deliver);
    pendingCount = 0;
  }
};

// ---- the frames --------------------------------------------------------------------------------

/// A book of 20 levels a side around a walking touch, and the frames that describe it.
class FrameSource {
 public:
  FrameSource() { text_.reserve(4096); }

  /// The REST snapshot body that starts the book (lastUpdateId, 20 levels a side).
  std::string_view snapshot() {
    text_.assign(R"({"lastUpdateId":)");
    appendUint(updateId_);
    text_.append(R"(,"bids":)");
    levels(true, 0, 0);
    text_.append(R"(,"asks":)");
    levels(false, 0, 0);
    text_.append("}");
    return text_;
  }

  /// Alternately a depth update (the touch moves -3..+3 ticks) and a trade at the touch.
  std::string_view next() {
    eventMs_ += 50;
    if ((n_++ & 1) == 0) return depth();
    text_.assign(R"({"stream":"btcusdt@trade","data":{"e":"trade","E":)");
    appendUint(eventMs_);
    text_.append(R"(,"s":"BTCUSDT","t":)");
    appendUint(++tradeId_);
    const bool sell = rnd(2) == 0;
    text_.append(R"(,"p":")");
    price(sell ? bid_ : bid_ + 1);
    text_.append(R"(","q":")");
    qty(1 + rnd(200000));
    text_.append(R"(","T":)");
    appendUint(eventMs_ - 1);
    text_.append(sell ? R"(,"m":true,"M":true}})" : R"(,"m":false,"M":true}})");
    return text_;
  }

  int64_t bid() const noexcept { return bid_; }
  /// 0 for the snapshot, n + 1 for the n-th frame of next(): every frame has its own event time.
  static size_t frameIndex(common::TimestampNs eventNs) noexcept {
    const int64_t ms = eventNs / 1'000'000 - static_cast<int64_t>(kStartMs);
    return ms < 0 ? SIZE_MAX : static_cast<size_t>(ms / 50);
  }
  int64_t eventNs() const noexcept { return static_cast<int64_t>(eventMs_) * 1'000'000; }

 private:
  std::string_view depth() {
    const int64_t old = bid_;
    bid_ += static_cast<int64_t>(rnd(7)) - 3;
    text_.assign(R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":)");
    appendUint(eventMs_);
    text_.append(R"(,"s":"BTCUSDT","U":)");
    appendUint(updateId_ + 1);
    updateId_ += 1 + rnd(30);
    text_.append(R"(,"u":)");
    appendUint(updateId_);
    // Removals: bids above the new best bid, asks below the new best ask (bid + 1 tick).
    text_.append(R"(,"b":)");
    levels(true, bid_ < old ? old - bid_ : 0, old);
    text_.append(R"(,"a":)");
    levels(false, bid_ > old ? bid_ - old : 0, old + 1);
    text_.append("}}");
    return text_;
  }

  /// `removed` levels (qty 0) walking from the old touch towards the new one, then 20 levels
  /// from the new touch away from it.
  void levels(bool bids, int64_t removed, int64_t oldTouch) {
    text_.append("[");
    bool first = true;
    for (int64_t i = 0; i < removed; ++i) {
      if (!first) text_.append(",");
      first = false;
      text_.append(R"([")");
      price(bids ? oldTouch - i : oldTouch + i);
      text_.append(R"(","0.00000000"])");
    }
    const int64_t touch = bids ? bid_ : bid_ + 1;
    for (int64_t i = 0; i < 20; ++i) {
      if (!first) text_.append(",");
      first = false;
      text_.append(R"([")");
      price(bids ? touch - i : touch + i);
      text_.append(R"(",")");
      qty(1 + rnd(400000));
      text_.append(R"("])");
    }
    text_.append("]");
  }

  void appendUint(uint64_t v) {
    char b[24];
    text_.append(b, static_cast<size_t>(std::to_chars(b, b + sizeof b, v).ptr - b));
  }
  /// Raw at scale 2, printed with 8 decimals as the venue does.
  void price(int64_t raw) {
    appendUint(static_cast<uint64_t>(raw / 100));
    char b[16];
    std::snprintf(b, sizeof b, ".%02d000000", static_cast<int>(raw % 100));
    text_.append(b);
  }
  /// Raw at scale 5, printed with 8 decimals.
  void qty(uint64_t raw) {
    appendUint(raw / 100000);
    char b[16];
    std::snprintf(b, sizeof b, ".%05d000", static_cast<int>(raw % 100000));
    text_.append(b);
  }
  uint64_t rnd(uint64_t bound) noexcept {
    rng_ = rng_ * 6364136223846793005ull + 1442695040888963407ull;
    return (rng_ >> 33) % bound;
  }

  std::string text_;
  uint64_t rng_ = 42;
  uint64_t n_ = 0;
  uint64_t updateId_ = 50093239189;
  uint64_t tradeId_ = 3735683259;
  static constexpr uint64_t kStartMs = 1723161255208;
  uint64_t eventMs_ = kStartMs;
  int64_t bid_ = 6183763;  // 61837.63
};

void printLine(const char* what, const common::LatencyHistogram& h) {
  std::printf("%-36s p50 %6" PRIu64 " ns  p90 %6" PRIu64 "  p99 %6" PRIu64 "  p99.9 %7" PRIu64 "  max %8" PRIu64
              "  (%" PRIu64 ")\n",
              what, h.percentile(0.5), h.percentile(0.9), h.percentile(0.99), h.percentile(0.999), h.max(), h.count());
}

void printStrategy(const strategy_engine::HostCounters& c) {
  std::printf("strategy: %" PRIu64 " events, requests: %" PRIu64 " new, %" PRIu64 " modify, %" PRIu64
              " cancel; %" PRIu64 " refused locally, %" PRIu64 " venue rejects, %" PRIu64 " gaps\n",
              c.events, c.orders_sent, c.modifies_sent, c.cancels_sent, c.local_rejects, c.venue_rejects, c.gaps);
}

std::string cpuList(const std::set<int>& cpus) {
  std::string s;
  for (int c : cpus) {
    if (!s.empty()) s.append(",");
    s.append(std::to_string(c));
  }
  return s;
}

int64_t ns(const bench::TscClock& clock, uint64_t from, uint64_t to) {
  return static_cast<int64_t>(clock.toNs(to - from));
}

/// What both modes share: instruments, the parser and book sync, the strategy, the executor.
struct System {
  explicit System(const bench::TscClock& clock)
      : reg(instruments()), resolver(reg), parser(resolver),
        sync({common::ExchangeId::Binance, kInstrument, Market::Spot, 4096, 1u << 16}), exec(reg, clock) {
    resolver.snapshotInstrument = reg.byId(kInstrument);
    nlohmann::json p = nlohmann::json::parse(
        R"({"reference": "microprice", "half_spread_ticks": 5, "order_qty": "0.001", "skew_ticks_per_unit": 10,
            "max_position": "0.01", "requote_ticks": 2, "pull_ticks": 5000, "pull_window_ms": 500, "pause_ms": 2000})");
    strategy_engine::StrategyParams params(config::JsonNode(p, "tick_to_order"));
    mm = strategies::makeMarketMaker(params, {reg, {kInstrument}});
    // Account and market state an executor would have been fed before trading; the snapshot's
    // quotes need the reference price.
    (void)exec.risk.onBalance(common::ExchangeId::Binance, "USDT", 100'000'000'000'000);  // 1,000,000 USDT
    (void)exec.risk.onBalance(common::ExchangeId::Binance, "BTC", 10'000'000'000);        // 100 BTC
    exec.risk.onPnl(kStrategy, 0, 0, common::wallNowNs());
    exec.risk.onReferencePrice(kInstrument, source.bid());
  }

  /// Parses the REST snapshot and hands its BookDelta chain to `emit`. False if it did not start the book.
  template <class Emit>
  bool startBook(Emit&& emit) {
    const api::binance::ParseResult r = parser.parse(source.snapshot());
    if (r.ok() && sync.onSnapshot(parser.depth(), source.eventNs(), emit) == api::binance::BookSync::Result::Applied)
      return true;
    std::fprintf(stderr, "tick_to_order: the snapshot did not start the book (%s, field %s)\n",
                 api::binance::toString(r.status), r.field);
    return false;
  }

  /// The gateway's part for one frame: parse, then BookDelta pieces or a Trade to `emit`, and the
  /// trade price to the executor's risk reference (in-thread mode: the executor is right here).
  template <class Emit>
  void onFrame(std::string_view frame, common::TimestampNs rx, Emit&& emit, bool feedRisk) noexcept {
    const api::binance::ParseResult r = parser.parse(frame);
    parsedTsc = bench::tscNow();
    if (r.ok() && r.kind == api::binance::MessageKind::DepthUpdate) {
      if (sync.onDiff(parser.depth(), rx, emit) == api::binance::BookSync::Result::Gap) ++gaps;
    } else if (r.ok() && r.kind == api::binance::MessageKind::Trade) {
      const api::binance::ParsedTrade& pt = parser.trade();
      common::Trade t{};
      t.header = common::makeHeader<common::Trade>(common::ExchangeId::Binance, pt.instrument->id, pt.event_ns, rx);
      t.price = pt.price;
      t.qty = pt.qty;
      t.trade_id = pt.trade_id;
      t.aggressor = pt.aggressor;
      if (feedRisk) exec.risk.onReferencePrice(t.header.instrument_id, t.price);
      emit(t);
    } else {
      ++parseErrors;
    }
  }

  bool clean() const noexcept {
    return parseErrors == 0 && gaps == 0 && exec.omRefused == 0 && exec.riskRejected == 0 && exec.encodeFailed == 0 &&
           exec.signFailed == 0;
  }
  void printCounts() const {
    std::printf("requests %" PRIu64 " written %" PRIu64 " (%" PRIu64 " bytes); refused: oms %" PRIu64 " risk %" PRIu64
                " encode %" PRIu64 " sign %" PRIu64 "; parse errors %" PRIu64 ", book gaps %" PRIu64 "\n",
                exec.requests, exec.written, exec.sendBytes, exec.omRefused, exec.riskRejected, exec.encodeFailed,
                exec.signFailed, parseErrors, gaps);
    if (exec.riskRejected > 0)
      std::printf("risk rejects: %" PRIu64 ", the last %s (%s)\n", exec.riskRejected,
                  common::toString(exec.lastReject.reason), exec.lastReject.detail);
  }

  config::InstrumentRegistry reg;
  api::binance::RegistryResolver resolver;
  api::binance::MarketDataParser parser;
  api::binance::BookSync sync;
  FrameSource source;
  std::unique_ptr<strategy_engine::IStrategy> mm;
  Executor exec;
  uint64_t parseErrors = 0, gaps = 0;
  uint64_t parsedTsc = 0;  // when the last frame's parse ended
};

// ---- mode 1: one thread ------------------------------------------------------------------------

bool runInThread(const bench::TscClock& clock, int core, uint64_t frames, uint64_t warmup) {
  if (core >= 0)
    if (auto err = common::pinThisThread(core); !err.empty())
      std::fprintf(stderr, "tick_to_order: %s (running unpinned)\n", err.c_str());
  System sys(clock);
  strategy_engine::StrategyHost host(sys.reg, {kStrategy, 1, {kInstrument}, 256, 256}, *sys.mm, sys.exec);
  host.start();
  auto toHost = [&host](auto& event) { host.onEvent(event.header); };
  if (!sys.startBook(toHost)) return false;
  sys.exec.acknowledgePending([&host](const common::EventHeader& e) { host.onEvent(e); });

  // First order's stages (each stamp adds a few ns): parse; book + strategy up to the request;
  // OMS + risk checks; encode + sign + write.
  common::LatencyHistogram firstOrder, wholeFrame, timer, parse, decide, check, write;
  std::set<int> cpus;
  uint64_t orderFrames = 0, twoOrderFrames = 0;
  const int cpuAtStart = sched_getcpu();
  for (uint64_t n = 0; n < frames + warmup; ++n) {
    const std::string_view frame = sys.source.next();  // the bytes as the WebSocket client hands them
    const common::TimestampNs rx = sys.source.eventNs() + 3'000'000;
    const uint64_t writtenBefore = sys.exec.written;
    sys.exec.firstOrderTsc = 0;

    const uint64_t t0 = bench::tscNow();
    sys.onFrame(frame, rx, toHost, true);
    const uint64_t t1 = bench::tscAfterLoads();

    const uint64_t sent = sys.exec.written - writtenBefore;
    if (n >= warmup) {
      const uint64_t a = bench::tscNow();
      const uint64_t b = bench::tscAfterLoads();
      timer.record(ns(clock, a, b));
      if (sent > 0) {
        ++orderFrames;
        if (sent > 1) ++twoOrderFrames;
        firstOrder.record(ns(clock, t0, sys.exec.firstOrderTsc));
        wholeFrame.record(ns(clock, t0, t1));
        parse.record(ns(clock, t0, sys.parsedTsc));
        decide.record(ns(clock, sys.parsedTsc, sys.exec.firstSendTsc));
        check.record(ns(clock, sys.exec.firstSendTsc, sys.exec.firstCheckedTsc));
        write.record(ns(clock, sys.exec.firstCheckedTsc, sys.exec.firstOrderTsc));
      }
    }
    sys.exec.acknowledgePending([&host](const common::EventHeader& e) { host.onEvent(e); });
    if ((n & 1023) == 0) cpus.insert(sched_getcpu());
  }
  cpus.insert(sched_getcpu());
  const strategy_engine::HostCounters hc = host.counters();

  std::printf("== in-thread: frame -> parse -> book -> market_maker -> OMS + risk -> encode + sign -> send buffer\n");
  std::printf("core layout: one thread pinned to %d; sched_getcpu at start %d, sampled every 1024 frames: {%s}\n", core,
              cpuAtStart, cpuList(cpus).c_str());
  std::printf("frames %" PRIu64 " after %" PRIu64 " warm-up (half depth updates of ~1.6 KB, half trades); "
              "frames with an order: %" PRIu64 " (%" PRIu64 " with two)\n",
              frames, warmup, orderFrames, twoOrderFrames);
  printStrategy(hc);
  sys.printCounts();
  printLine("tick-to-order (first order written)", firstOrder);
  printLine("whole frame (frames with orders)", wholeFrame);
  printLine("baseline: timer alone", timer);
  std::printf("stages of the first order:\n");
  printLine("  parse (MarketDataParser)", parse);
  printLine("  book + strategy -> request", decide);
  printLine("  OMS + risk checks", check);
  printLine("  encode + sign + write", write);
  return sys.clean() && orderFrames > 0;
}

// ---- mode 2: the bus between threads -----------------------------------------------------------

/// The strategy's order queue, as strategy_runner's QueueSink, plus a TSC stamp of the first
/// request of each frame (the frame is known from the request's event time).
struct StampingQueueSink final : strategy_engine::IOrderSink {
  data_store::OrderQueueProducer& queue;
  std::vector<uint64_t>& decided;
  StampingQueueSink(data_store::OrderQueueProducer& q, std::vector<uint64_t>& d) : queue(q), decided(d) {}
  bool send(const common::OrderRequest& r) noexcept override {
    const size_t i = FrameSource::frameIndex(r.header.exchange_ts_ns);
    if (i < decided.size() && decided[i] == 0) decided[i] = bench::tscNow();  // read after the pop
    return queue.tryPush(r);
  }
};

/// Removes the run's segment names however the run ends.
struct SegmentNames {
  std::string md, exec, orders;
  ~SegmentNames() {
    data_store::ShmSegment::remove(md);
    data_store::ShmSegment::remove(exec);
    data_store::ShmSegment::remove(orders);
  }
};

bool runBus(const bench::TscClock& clock, int feedCore, int strategyCore, uint64_t frames, uint64_t warmup,
            int64_t intervalNs) {
  const std::string prefix = "hft.bench.t2o." + std::to_string(getpid());
  const SegmentNames names{prefix + ".md", prefix + ".exec", prefix + ".orders.1"};
  if (feedCore >= 0)
    if (auto err = common::pinThisThread(feedCore); !err.empty())
      std::fprintf(stderr, "tick_to_order: %s (feed/executor thread unpinned)\n", err.c_str());
  System sys(clock);
  // 2^16 slots as the deployment's ring: a strategy thread preempted for ~0.5 s is still not lapped.
  data_store::BroadcastPublisher<data_store::kMarketDataSlotBytes> md(names.md, 1u << 16);
  data_store::ExecPublisher execRing(names.exec, 1u << 12);
  const uint64_t total = frames + warmup;
  std::vector<uint64_t> t0(total + 2), published(total + 2), decided(total + 2);
  std::vector<uint8_t> recorded(total + 2);
  std::atomic<bool> ready{false}, stop{false};
  std::string strategyError;
  std::set<int> strategyCpus;
  strategy_engine::HostCounters hostCounters{};  // written by the strategy thread before it ends

  // Strategy thread: md ring -> StrategyHost (market_maker) -> order queue; exec ring -> host.
  std::thread strategy([&] {
    try {
      if (strategyCore >= 0)
        if (auto err = common::pinThisThread(strategyCore); !err.empty())
          std::fprintf(stderr, "tick_to_order: %s (strategy thread unpinned)\n", err.c_str());
      data_store::BroadcastSubscriber<data_store::kMarketDataSlotBytes> mdSub(names.md, data_store::StartAt::Oldest);
      data_store::ExecSubscriber execSub(names.exec, data_store::StartAt::Oldest);
      data_store::OrderQueueProducer orders(names.orders, 1024);
      StampingQueueSink sink(orders, decided);
      strategy_engine::StrategyHost host(sys.reg, {kStrategy, 1, {kInstrument}, 256, 256}, *sys.mm, sink);
      host.start();
      ready.store(true, std::memory_order_release);
      auto toHost = [&host](const common::EventHeader& e) { host.onEvent(e); };
      for (uint64_t spins = 0; !stop.load(std::memory_order_relaxed); ++spins) {
        // Reports first, then one market-data event: close to arrival order even when this
        // thread was preempted and both rings hold a backlog.
        execSub.poll(toHost);
        mdSub.poll(toHost, 1);
        if ((spins & 0xFFFFF) == 0) strategyCpus.insert(sched_getcpu());
      }
      strategyCpus.insert(sched_getcpu());
      hostCounters = host.counters();
    } catch (const std::exception& e) {
      strategyError = e.what();
      ready.store(true, std::memory_order_release);
    }
  });
  struct Joiner {
    std::atomic<bool>& stop;
    std::thread& t;
    ~Joiner() {  // on every exit: an early return or an exception included
      stop.store(true, std::memory_order_relaxed);
      if (t.joinable()) t.join();
    }
  } joiner{stop, strategy};

  const int64_t deadline = common::monoNowNs() + 10'000'000'000;
  while (!ready.load(std::memory_order_acquire) && common::monoNowNs() < deadline) common::cpuRelax();
  if (!ready.load(std::memory_order_acquire) || !strategyError.empty()) {
    std::fprintf(stderr, "tick_to_order: strategy thread did not start: %s\n", strategyError.c_str());
    return false;
  }
  data_store::OrderQueueConsumer orders(names.orders);

  // Feed + executor thread. The executor's part: pop, OMS + risk, encode + sign + write, then
  // the instant venue's reports onto the exec ring (after the stamp).
  common::LatencyHistogram firstOrder, feed, hopStrategy, orderHop, executor;
  uint64_t orderFrames = 0;
  auto toExecRing = [&execRing](const common::EventHeader& e) { execRing.publish(&e, e.size); };
  auto executorPoll = [&] {
    common::OrderRequest r;
    while (orders.tryPop(r)) {
      const uint64_t popped = bench::tscNow();
      const uint64_t writtenBefore = sys.exec.written;
      (void)sys.exec.send(r);
      const size_t i = FrameSource::frameIndex(r.header.exchange_ts_ns);
      if (sys.exec.written > writtenBefore && i > warmup && i < recorded.size() && !recorded[i] && t0[i] != 0) {
        recorded[i] = 1;
        ++orderFrames;
        const uint64_t w = sys.exec.lastWrittenTsc;
        firstOrder.record(ns(clock, t0[i], w));
        feed.record(ns(clock, t0[i], published[i]));
        // Stamps from two cores (invariant TSC): clamp a tiny negative skew to 0.
        hopStrategy.record(decided[i] > published[i] ? ns(clock, published[i], decided[i]) : 0);
        orderHop.record(popped > decided[i] ? ns(clock, decided[i], popped) : 0);
        executor.record(ns(clock, popped, w));
      }
      sys.exec.acknowledgePending(toExecRing);
    }
  };
  auto toMd = [&md](auto& event) { md.publish(event); };
  if (!sys.startBook(toMd)) return false;

  std::set<int> feedCpus;
  const int feedCpuAtStart = sched_getcpu();
  const uint64_t interval = clock.ticks(static_cast<double>(intervalNs));
  uint64_t due = bench::tscNow() + clock.ticks(1e6);  // 1 ms for the snapshot's quotes
  for (uint64_t n = 0; n < total; ++n) {
    // Pacing (latency, not queueing); a late frame still waits for the executor's pending work,
    // so acknowledgements go out before the next frame as in-thread.
    do executorPoll();
    while (bench::tscNow() < due);
    due += interval;
    const std::string_view frame = sys.source.next();
    const size_t i = FrameSource::frameIndex(sys.source.eventNs());
    const common::TimestampNs rx = sys.source.eventNs() + 3'000'000;
    t0[i] = bench::tscNow();
    // The executor shares this thread, so the trade price reaches its risk reference directly
    // (in the deployment it reads the md ring).
    sys.onFrame(frame, rx, toMd, true);
    published[i] = bench::tscNow();
    executorPoll();
    if ((n & 1023) == 0) feedCpus.insert(sched_getcpu());
  }
  for (const uint64_t end = bench::tscNow() + clock.ticks(20e6); bench::tscNow() < end;) executorPoll();  // drain
  feedCpus.insert(sched_getcpu());
  stop.store(true, std::memory_order_relaxed);
  strategy.join();

  std::printf("== bus: [feed: frame -> parse -> BookSync -> md ring] -> [strategy: md ring -> market_maker -> order "
              "queue] -> [executor: OMS + risk -> encode + sign -> send buffer]\n");
  std::printf("core layout: feed + executor thread pinned to %d (sched_getcpu at start %d, sampled {%s}); strategy "
              "thread pinned to %d (sampled {%s}); one frame every %" PRId64 " ns\n",
              feedCore, feedCpuAtStart, cpuList(feedCpus).c_str(), strategyCore, cpuList(strategyCpus).c_str(),
              intervalNs);
  std::printf("frames %" PRIu64 " after %" PRIu64 " warm-up; frames with an order: %" PRIu64 "\n", frames, warmup,
              orderFrames);
  printStrategy(hostCounters);
  sys.printCounts();
  printLine("tick-to-order (first order written)", firstOrder);
  std::printf("stages of the first order:\n");
  printLine("  feed: parse + BookSync + publish", feed);
  printLine("  md ring hop + book + strategy", hopStrategy);
  printLine("  order queue hop", orderHop);
  printLine("  executor: OMS + risk + encode + sign", executor);
  if (hostCounters.gaps > 0) std::fprintf(stderr, "tick_to_order: the strategy was lapped on the md ring\n");
  return sys.clean() && orderFrames > 0 && hostCounters.gaps == 0;
}

}  // namespace

int main(int argc, char** argv) {
  common::CommandLine cl("tick_to_order",
                         "Binance frame -> parse -> book -> market_maker -> risk -> encode + sign -> send buffer, ns.");
  cl.option("mode", "in-thread, bus or both", "both")
      .option("frames", "frames after the snapshot (half depth updates, half trades)", "1000000")
      .option("warmup", "frames not timed at the start", "20000")
      .option("core", "in-thread mode: pin to this core (-1 = no)", "1")
      .option("feed-core", "bus mode: the feed + executor thread's core (-1 = no)", "0")
      .option("strategy-core", "bus mode: the strategy thread's core (-1 = no)", "1")
      .option("bus-frames", "bus mode: frames (paced, so fewer)", "200000")
      .option("interval-ns", "bus mode: one frame every N ns", "20000");
  try {
    if (!cl.parse(argc, argv)) return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  const std::string mode = cl.get("mode");
  if (mode != "in-thread" && mode != "bus" && mode != "both") {
    std::fprintf(stderr, "tick_to_order: --mode must be in-thread, bus or both\n");
    return 2;
  }
  const auto clock = bench::TscClock::calibrate();
  const auto warmup = static_cast<uint64_t>(cl.getInt("warmup"));
  bool ok = true;
  try {
    if (mode != "bus")
      ok = runInThread(clock, static_cast<int>(cl.getInt("core")), static_cast<uint64_t>(cl.getInt("frames")), warmup) && ok;
    if (mode != "in-thread")
      ok = runBus(clock, static_cast<int>(cl.getInt("feed-core")), static_cast<int>(cl.getInt("strategy-core")),
                  static_cast<uint64_t>(cl.getInt("bus-frames")), warmup, cl.getInt("interval-ns")) &&
           ok;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tick_to_order: %s\n", e.what());
    return 1;
  }
  if (!ok) std::fprintf(stderr, "tick_to_order: the path did not run clean (see the counts above)\n");
  return ok ? 0 : 1;
}
