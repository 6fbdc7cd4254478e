// tick_to_order: the in-system path from a received Binance WebSocket text frame to the signed
// order request bytes in the send buffer, on one thread, timed per frame with the TSC:
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
// Only frames that led to at least one order request are counted:
//   first order   frame start -> the first order's bytes are in the send buffer (tick-to-order)
//   whole frame   frame start -> everything that frame caused is done (a second order included)
// Baseline in the same run: the timer alone (two TSC reads).
//
// Not included (see bench/README.md): kernel/NIC receive, TLS decryption and WebSocket framing
// (Beast, the I/O thread), the I/O-thread -> gateway hand-off, the bus hops datafeed -> strategy
// (BroadcastRing) and strategy -> executor (SpscQueue) of the multi-process deployment (measured
// by bus_latency), the executor's write-ahead journal append, and Beast's HTTP serialisation,
// TLS encryption and the send syscall.
//
//   tick_to_order [--frames N] [--core C] [--warmup N]
#include <sched.h>

#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>
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
    if (first) firstOrderTsc = bench::tscAfterLoads();
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
  /// original canceled, the replacement acked. Host, OMS and risk all see the reports.
  void acknowledge(strategy_engine::StrategyHost& host) noexcept {
    for (int i = 0; i < pendingCount; ++i) {
      const auto& r = pending[i];
      common::ExecutionReport e{};
      e.header = common::makeHeader<common::ExecutionReport>(r.header.exchange_id, r.header.instrument_id,
                                                             r.header.exchange_ts_ns, r.header.exchange_ts_ns);
      e.strategy_id = r.strategy_id;
      e.side = r.side;
      e.order_price = r.price;
      e.leaves_qty = r.qty;
      auto report = [&](common::ClientOrderId id, common::ExecType type) {
        e.client_order_id = id;
        e.exec_type = type;
        if (type == common::ExecType::Canceled) e.leaves_qty = 0;
        const managers::ApplyResult a = orders.apply(e);
        if (a.verdict == managers::Verdict::Applied && (a.changes & managers::kChangeDone)) risk.onOrderDone(a.order);
        host.onEvent(e.header);
      };
      if (r.action == common::OrderAction::New) {
        report(r.client_order_id, common::ExecType::New);
      } else {
        report(r.orig_client_order_id, common::ExecType::Canceled);
        if (r.action == common::OrderAction::Modify) {
          e.leaves_qty = r.qty;
          report(r.client_order_id, common::ExecType::New);
        }
      }
    }
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
  uint64_t eventMs_ = 1723161255208;
  int64_t bid_ = 6183763;  // 61837.63
};

struct Histograms {
  common::LatencyHistogram firstOrder, wholeFrame, timer;
  // Stages of the first order (each stamp adds a few ns): parse; book + strategy up to the
  // order request; OMS + risk checks; encode + sign + write.
  common::LatencyHistogram parse, decide, check, write;
};

void printLine(const char* what, const common::LatencyHistogram& h) {
  std::printf("%-34s p50 %6" PRIu64 " ns  p90 %6" PRIu64 "  p99 %6" PRIu64 "  p99.9 %7" PRIu64 "  max %8" PRIu64
              "  (%" PRIu64 " frames)\n",
              what, h.percentile(0.5), h.percentile(0.9), h.percentile(0.99), h.percentile(0.999), h.max(), h.count());
}

}  // namespace

int main(int argc, char** argv) {
  common::CommandLine cl("tick_to_order",
                         "Binance frame -> parse -> book -> market_maker -> risk -> encode + sign -> send buffer, ns.");
  cl.option("frames", "frames after the snapshot (half depth updates, half trades)", "2000000")
      .option("warmup", "frames not timed at the start", "20000")
      .option("core", "pin to this core (-1 = no)", "1");
  try {
    if (!cl.parse(argc, argv)) return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  const int core = static_cast<int>(cl.getInt("core"));
  if (core >= 0)
    if (auto err = common::pinThisThread(core); !err.empty())
      std::fprintf(stderr, "tick_to_order: %s (running unpinned)\n", err.c_str());
  const auto frames = static_cast<uint64_t>(cl.getInt("frames"));
  const auto warmup = static_cast<uint64_t>(cl.getInt("warmup"));

  const auto reg = instruments();
  const auto clock = bench::TscClock::calibrate();
  api::binance::RegistryResolver resolver(reg);
  resolver.snapshotInstrument = reg.byId(kInstrument);
  api::binance::MarketDataParser parser(resolver);
  api::binance::BookSync sync({common::ExchangeId::Binance, kInstrument, Market::Spot, 4096, 1u << 16});

  nlohmann::json p = nlohmann::json::parse(
      R"({"reference": "microprice", "half_spread_ticks": 5, "order_qty": "0.001", "skew_ticks_per_unit": 10,
          "max_position": "0.01", "requote_ticks": 2, "pull_ticks": 5000, "pull_window_ms": 500, "pause_ms": 2000})");
  strategy_engine::StrategyParams params(config::JsonNode(p, "tick_to_order"));
  auto mm = strategies::makeMarketMaker(params, {reg, {kInstrument}});
  Executor exec(reg, clock);
  strategy_engine::StrategyHost host(reg, {kStrategy, 1, {kInstrument}, 256, 256}, *mm, exec);
  host.start();
  // Account and market state an executor would have been fed before trading.
  (void)exec.risk.onBalance(common::ExchangeId::Binance, "USDT", 100'000'000'000'000);  // 1,000,000 USDT
  (void)exec.risk.onBalance(common::ExchangeId::Binance, "BTC", 10'000'000'000);        // 100 BTC
  for (common::StrategyId s : {kStrategy}) exec.risk.onPnl(s, 0, 0, common::wallNowNs());

  FrameSource source;
  auto toHost = [&host](common::BookDelta& d) { host.onEvent(d.header); };
  // The snapshot starts the book (not timed); its quotes need the reference price first.
  exec.risk.onReferencePrice(kInstrument, source.bid());
  {
    const api::binance::ParseResult r = parser.parse(source.snapshot());
    if (!r.ok() || sync.onSnapshot(parser.depth(), source.eventNs(), toHost) != api::binance::BookSync::Result::Applied) {
      std::fprintf(stderr, "tick_to_order: the snapshot did not start the book (%s, field %s)\n",
                   api::binance::toString(r.status), r.field);
      return 1;
    }
  }

  Histograms h;
  std::set<int> cpus;
  uint64_t parseErrors = 0, gaps = 0, ordersFrames = 0, twoOrderFrames = 0;
  const int cpuAtStart = sched_getcpu();
  for (uint64_t n = 0; n < frames + warmup; ++n) {
    const std::string_view frame = source.next();  // the bytes as the WebSocket client hands them
    const common::TimestampNs rx = source.eventNs() + 3'000'000;
    const uint64_t writtenBefore = exec.written;
    exec.firstOrderTsc = 0;

    const uint64_t t0 = bench::tscNow();
    const api::binance::ParseResult r = parser.parse(frame);
    const uint64_t tParsed = bench::tscNow();
    if (r.ok() && r.kind == api::binance::MessageKind::DepthUpdate) {
      if (sync.onDiff(parser.depth(), rx, toHost) == api::binance::BookSync::Result::Gap) ++gaps;
    } else if (r.ok() && r.kind == api::binance::MessageKind::Trade) {
      const api::binance::ParsedTrade& pt = parser.trade();
      common::Trade t{};
      t.header = common::makeHeader<common::Trade>(common::ExchangeId::Binance, pt.instrument->id, pt.event_ns, rx);
      t.price = pt.price;
      t.qty = pt.qty;
      t.trade_id = pt.trade_id;
      t.aggressor = pt.aggressor;
      host.onEvent(t.header);
      exec.risk.onReferencePrice(t.header.instrument_id, t.price);  // the executor's feed
    } else {
      ++parseErrors;
    }
    const uint64_t t1 = bench::tscAfterLoads();

    const uint64_t sent = exec.written - writtenBefore;
    if (n >= warmup) {
      const uint64_t a = bench::tscNow();
      const uint64_t b = bench::tscAfterLoads();
      h.timer.record(static_cast<int64_t>(clock.toNs(b - a)));
      if (sent > 0) {
        ++ordersFrames;
        if (sent > 1) ++twoOrderFrames;
        h.firstOrder.record(static_cast<int64_t>(clock.toNs(exec.firstOrderTsc - t0)));
        h.wholeFrame.record(static_cast<int64_t>(clock.toNs(t1 - t0)));
        h.parse.record(static_cast<int64_t>(clock.toNs(tParsed - t0)));
        h.decide.record(static_cast<int64_t>(clock.toNs(exec.firstSendTsc - tParsed)));
        h.check.record(static_cast<int64_t>(clock.toNs(exec.firstCheckedTsc - exec.firstSendTsc)));
        h.write.record(static_cast<int64_t>(clock.toNs(exec.firstOrderTsc - exec.firstCheckedTsc)));
      }
    }
    exec.acknowledge(host);
    if ((n & 1023) == 0) cpus.insert(sched_getcpu());
  }
  cpus.insert(sched_getcpu());

  std::string cpuList;
  for (int c : cpus) {
    if (!cpuList.empty()) cpuList.append(",");
    cpuList.append(std::to_string(c));
  }
  std::printf("core layout: one thread (I/O-thread hand-off excluded), pinned to %d; sched_getcpu at start %d, "
              "seen every 1024 frames: {%s}\n",
              core, cpuAtStart, cpuList.c_str());
  std::printf("frames %" PRIu64 " after %" PRIu64 " warm-up (half depth updates of ~1.5 KB, half trades); "
              "frames with an order: %" PRIu64 " (%" PRIu64 " with two)\n",
              frames, warmup, ordersFrames, twoOrderFrames);
  std::printf("requests %" PRIu64 " written %" PRIu64 " (%" PRIu64 " bytes); refused: oms %" PRIu64 " risk %" PRIu64
              " encode %" PRIu64 " sign %" PRIu64 "; parse errors %" PRIu64 ", book gaps %" PRIu64 "\n",
              exec.requests, exec.written, exec.sendBytes, exec.omRefused, exec.riskRejected, exec.encodeFailed,
              exec.signFailed, parseErrors, gaps);
  printLine("tick-to-order (first order written)", h.firstOrder);
  printLine("whole frame (frames with orders)", h.wholeFrame);
  printLine("baseline: timer alone", h.timer);
  std::printf("stages of the first order:\n");
  printLine("  parse (MarketDataParser)", h.parse);
  printLine("  book + strategy -> request", h.decide);
  printLine("  OMS + risk checks", h.check);
  printLine("  encode + sign + write", h.write);
  if (exec.riskRejected > 0)
    std::printf("risk rejects: %" PRIu64 ", the last %s (%s)\n", exec.riskRejected,
                common::toString(exec.lastReject.reason), exec.lastReject.detail);
  const bool ok = parseErrors == 0 && gaps == 0 && ordersFrames > 0 && exec.omRefused == 0 && exec.riskRejected == 0 &&
                  exec.encodeFailed == 0 && exec.signFailed == 0;
  if (!ok) std::fprintf(stderr, "tick_to_order: the path did not run clean (see the counts above)\n");
  return ok ? 0 : 1;
}
