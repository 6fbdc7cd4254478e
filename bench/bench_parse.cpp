// bench_parse: Binance market-data JSON -> fixed-point events, ns per message, three parsers in
// the same run on the same frames:
//
//   Parse/<message>/ours       api::binance::MarketDataParser::parse (what the gateway runs)
//   Parse/<message>/simdjson   baseline: the most straightforward simdjson On-Demand code for the
//                              same fields (iterate the fields, get_uint64 / get_bool for numbers,
//                              get_string + common::parseDecimal for prices and quantities, straight
//                              into the same fixed-point values)
//   Parse/<message>/nlohmann   nlohmann::json::parse + extraction of the same fields
//
// Messages, each in the combined-stream wrapper {"stream":..,"data":..} (what the gateway
// receives). Always: a spot depthUpdate with 20 bid + 20 ask levels, a USD-M one (with `pu`), a
// spot trade, a spot aggTrade and a USD-M aggTrade, built here in the shape of the documented and
// captured payloads (exchange-samples/binance/*/ws/). When exchange-samples is present
// (HFT_EXCHANGE_SAMPLES, default /work/shared/exchange-samples), also the real captured frames:
// spot and USD-M depthUpdate and trade of 2024-08-08.
//
// Same input contract for all three: a frame as BeastWebSocketClient hands it over (a
// string_view, no padding). Ours and the simdjson baseline both copy it into a reused padded
// buffer (simdjson reads up to 64 bytes past the end); nlohmann reads it in place but allocates
// its tree. Before any timing, every variant parses every message once and the results are
// compared field by field (ids, times, prices, quantities, every level); the program aborts
// naming the message and the field if they differ. Outputs go through benchmark::DoNotOptimize.
// After the run, a table of ours / simdjson and nlohmann / simdjson per message (medians when
// --benchmark_repetitions > 1).
//
//   build/bin/bench_parse [--core=N] [Google Benchmark flags]     (--core=-1: unpinned)
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "api/exchanges/binance/MarketDataParser.h"
#include "common/Cpu.h"
#include "common/FixedPoint.h"

namespace {

using namespace hft;
using api::binance::Market;
using api::binance::MessageKind;
using common::BookLevel;

namespace od = simdjson::ondemand;

constexpr size_t kMaxLevels = 64;  // per side, for the baselines' fixed arrays
constexpr int64_t kNsPerMs = 1'000'000;

// ---- instruments -------------------------------------------------------------------------------

/// BTCUSDT on both markets: spot tick 0.01 / lot 0.00001, USD-M tick 0.10 / lot 0.001.
class BenchInstruments final : public api::binance::InstrumentResolver {
 public:
  BenchInstruments() {
    spot_.id = 1;
    spot_.exchange = common::ExchangeId::Binance;
    spot_.venue_symbol = "BTCUSDT";
    spot_.price_scale = 2;
    spot_.qty_scale = 5;
    usdm_ = spot_;
    usdm_.id = 2;
    usdm_.exchange = common::ExchangeId::BinanceFutures;
    usdm_.qty_scale = 3;
  }
  const config::Instrument* resolve(Market m, std::string_view symbol) noexcept override {
    if (symbol != "BTCUSDT") return nullptr;
    return m == Market::Spot ? &spot_ : &usdm_;
  }
  const config::Instrument& of(Market m) const { return m == Market::Spot ? spot_ : usdm_; }

 private:
  config::Instrument spot_, usdm_;
};

// ---- what every variant produces, for the equality check ---------------------------------------

/// The fields all three parsers extract. Trades: id0..2 = trade id (aggTrade: a), first, last.
/// Depth: id0..2 = U, u, pu.
struct Canon {
  MessageKind kind = MessageKind::None;
  uint64_t id0 = 0, id1 = 0, id2 = 0;
  int64_t event_ns = 0, tx_ns = 0;
  int64_t price = 0, qty = 0;
  common::Side aggressor = common::Side::None;
  size_t bidCount = 0, askCount = 0;
  BookLevel bids[kMaxLevels]{}, asks[kMaxLevels]{};
};

/// "" when equal, else the first field that differs.
std::string differs(const Canon& a, const Canon& b) {
  if (a.kind != b.kind) return "kind";
  if (a.id0 != b.id0) return "id0 (trade id / U)";
  if (a.id1 != b.id1) return "id1 (first trade id / u)";
  if (a.id2 != b.id2) return "id2 (last trade id / pu)";
  if (a.event_ns != b.event_ns) return "E";
  if (a.tx_ns != b.tx_ns) return "T";
  if (a.price != b.price) return "p";
  if (a.qty != b.qty) return "q";
  if (a.aggressor != b.aggressor) return "m (aggressor)";
  if (a.bidCount != b.bidCount) return "bid count";
  if (a.askCount != b.askCount) return "ask count";
  for (size_t i = 0; i < a.bidCount; ++i)
    if (a.bids[i].price != b.bids[i].price || a.bids[i].qty != b.bids[i].qty) return "b[" + std::to_string(i) + "]";
  for (size_t i = 0; i < a.askCount; ++i)
    if (a.asks[i].price != b.asks[i].price || a.asks[i].qty != b.asks[i].qty) return "a[" + std::to_string(i) + "]";
  return "";
}

Canon fromOurs(const api::binance::ParseResult& r, const api::binance::MarketDataParser& p) {
  Canon c;
  c.kind = r.kind;
  if (r.kind == MessageKind::Trade || r.kind == MessageKind::AggTrade) {
    const auto& t = p.trade();
    c.id0 = t.trade_id;
    c.id1 = t.first_trade_id;
    c.id2 = t.last_trade_id;
    c.event_ns = t.event_ns;
    c.tx_ns = t.trade_ns;
    c.price = t.price;
    c.qty = t.qty;
    c.aggressor = t.aggressor;
  } else if (r.kind == MessageKind::DepthUpdate) {
    const auto& d = p.depth();
    c.id0 = d.first_update_id;
    c.id1 = d.last_update_id;
    c.id2 = d.prev_update_id;
    c.event_ns = d.event_ns;
    c.tx_ns = d.transaction_ns;
    c.bidCount = std::min(d.bids.size(), kMaxLevels);
    c.askCount = std::min(d.asks.size(), kMaxLevels);
    std::copy_n(d.bids.begin(), c.bidCount, c.bids);
    std::copy_n(d.asks.begin(), c.askCount, c.asks);
  }
  return c;
}

// ---- baseline 1: straightforward simdjson On-Demand ------------------------------------------

/// Knows its instrument (one connection per market), converts as it goes, checks every error
/// code, no exceptions. Copies the frame into a reused padded buffer, as ours does.
class SimdjsonBaseline {
 public:
  explicit SimdjsonBaseline(const config::Instrument& inst) : ps_(inst.price_scale), qs_(inst.qty_scale) {}

  bool parse(std::string_view msg) noexcept {
    if (msg.size() + simdjson::SIMDJSON_PADDING > sizeof buf_) return false;
    std::memcpy(buf_, msg.data(), msg.size());
    std::memset(buf_ + msg.size(), 0, simdjson::SIMDJSON_PADDING);
    out.kind = MessageKind::None;
    out.id0 = out.id1 = out.id2 = 0;
    out.event_ns = out.tx_ns = 0;
    out.bidCount = out.askCount = 0;
    od::document doc;
    od::object root;
    if (parser_.iterate(buf_, msg.size(), sizeof buf_).get(doc) || doc.get_object().get(root)) return false;
    return walk(root);
  }
  Canon out;

 private:
  bool walk(od::object obj) noexcept {
    std::string_view event;
    uint64_t tradeId = 0, aggId = 0;
    for (auto field : obj) {
      std::string_view key;
      od::value v;
      if (field.unescaped_key().get(key) || field.value().get(v)) return false;
      if (key == "data") {
        od::object inner;
        if (v.get_object().get(inner) || !walk(inner)) return false;
      } else if (key == "stream") {
        std::string_view s;
        if (v.get_string().get(s)) return false;
      } else if (key == "e") {
        if (v.get_string().get(event)) return false;
      } else if (key == "E" || key == "T") {
        uint64_t ms;
        if (v.get_uint64().get(ms)) return false;
        (key == "E" ? out.event_ns : out.tx_ns) = static_cast<int64_t>(ms) * kNsPerMs;
      } else if (key == "t") {
        if (v.get_uint64().get(tradeId)) return false;
      } else if (key == "f") {
        if (v.get_uint64().get(out.id1)) return false;
      } else if (key == "l") {
        if (v.get_uint64().get(out.id2)) return false;
      } else if (key == "U") {
        if (v.get_uint64().get(out.id0)) return false;
      } else if (key == "u") {
        if (v.get_uint64().get(out.id1)) return false;
      } else if (key == "pu") {
        if (v.get_uint64().get(out.id2)) return false;
      } else if (key == "p" || key == "q") {
        std::string_view s;
        if (v.get_string().get(s) ||
            common::parseDecimal(s, key == "p" ? ps_ : qs_, key == "p" ? out.price : out.qty) != common::ParseStatus::Ok)
          return false;
      } else if (key == "m") {
        bool maker;
        if (v.get_bool().get(maker)) return false;
        out.aggressor = maker ? common::Side::Sell : common::Side::Buy;
      } else if (key == "a" || key == "b") {
        od::json_type t;
        if (v.type().get(t)) return false;
        if (t == od::json_type::number) {  // aggTrade id
          if (v.get_uint64().get(aggId)) return false;
        } else if (t == od::json_type::array) {
          const bool bid = key == "b";
          if (!levels(v, bid ? out.bids : out.asks, bid ? out.bidCount : out.askCount)) return false;
        }
      }
    }
    if (event.empty()) return true;  // the wrapper: the inner object set everything
    if (event == "trade") {
      out.kind = MessageKind::Trade;
      out.id0 = out.id1 = out.id2 = tradeId;
    } else if (event == "aggTrade") {
      out.kind = MessageKind::AggTrade;
      out.id0 = aggId;
    } else if (event == "depthUpdate") {
      out.kind = MessageKind::DepthUpdate;
    } else {
      out.kind = MessageKind::Other;
    }
    return true;
  }

  bool levels(od::value v, BookLevel* lv, size_t& n) noexcept {
    od::array arr;
    if (v.get_array().get(arr)) return false;
    n = 0;
    for (auto element : arr) {
      od::array pair;
      if (element.get_array().get(pair) || n == kMaxLevels) return false;
      size_t i = 0;
      for (auto item : pair) {
        std::string_view s;
        if (item.get_string().get(s) || i > 1 ||
            common::parseDecimal(s, i == 0 ? ps_ : qs_, i == 0 ? lv[n].price : lv[n].qty) != common::ParseStatus::Ok)
          return false;
        ++i;
      }
      if (i != 2) return false;
      ++n;
    }
    return true;
  }

  od::parser parser_;
  alignas(64) char buf_[1 << 14];
  int ps_, qs_;
};

// ---- baseline 2: nlohmann-json ------------------------------------------------------------------

class NlohmannBaseline {
 public:
  explicit NlohmannBaseline(const config::Instrument& inst) : ps_(inst.price_scale), qs_(inst.qty_scale) {}

  bool parse(std::string_view msg) {
    const nlohmann::json j = nlohmann::json::parse(msg, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return false;
    const auto dataIt = j.find("data");
    const nlohmann::json& d = dataIt != j.end() ? *dataIt : j;
    const auto e = d.find("e");
    if (e == d.end() || !e->is_string()) return false;
    const std::string& event = e->get_ref<const std::string&>();
    out = Canon{};
    if (!ms(d, "E", out.event_ns) || !ms(d, "T", out.tx_ns)) return false;
    if (event == "trade" || event == "aggTrade") {
      const bool agg = event == "aggTrade";
      out.kind = agg ? MessageKind::AggTrade : MessageKind::Trade;
      if (!id(d, agg ? "a" : "t", out.id0)) return false;
      if (agg) {
        if (!id(d, "f", out.id1) || !id(d, "l", out.id2)) return false;
      } else {
        out.id1 = out.id2 = out.id0;
      }
      const auto m = d.find("m");
      if (m == d.end() || !m->is_boolean()) return false;
      out.aggressor = m->get<bool>() ? common::Side::Sell : common::Side::Buy;
      return decimal(d, "p", ps_, out.price) && decimal(d, "q", qs_, out.qty);
    }
    if (event == "depthUpdate") {
      out.kind = MessageKind::DepthUpdate;
      if (!id(d, "U", out.id0) || !id(d, "u", out.id1)) return false;
      if (d.contains("pu") && !id(d, "pu", out.id2)) return false;
      return levels(d, "b", out.bids, out.bidCount) && levels(d, "a", out.asks, out.askCount);
    }
    out.kind = MessageKind::Other;
    return true;
  }
  Canon out;

 private:
  static bool id(const nlohmann::json& d, const char* key, uint64_t& v) {
    const auto it = d.find(key);
    if (it == d.end() || !it->is_number_unsigned()) return false;
    v = it->get<uint64_t>();
    return true;
  }
  static bool ms(const nlohmann::json& d, const char* key, int64_t& ns) {
    const auto it = d.find(key);
    if (it == d.end()) return true;  // optional (spot has no T on depth)
    if (!it->is_number_unsigned()) return false;
    ns = static_cast<int64_t>(it->get<uint64_t>()) * kNsPerMs;
    return true;
  }
  static bool decimal(const nlohmann::json& d, const char* key, int scale, int64_t& v) {
    const auto it = d.find(key);
    return it != d.end() && it->is_string() &&
           common::parseDecimal(it->get_ref<const std::string&>(), scale, v) == common::ParseStatus::Ok;
  }
  bool levels(const nlohmann::json& d, const char* key, BookLevel* lv, size_t& n) const {
    const auto it = d.find(key);
    if (it == d.end() || !it->is_array() || it->size() > kMaxLevels) return false;
    n = 0;
    for (const nlohmann::json& pair : *it) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string() ||
          common::parseDecimal(pair[0].get_ref<const std::string&>(), ps_, lv[n].price) != common::ParseStatus::Ok ||
          common::parseDecimal(pair[1].get_ref<const std::string&>(), qs_, lv[n].qty) != common::ParseStatus::Ok)
        return false;
      ++n;
    }
    return true;
  }

  int ps_, qs_;
};

// ---- the messages ------------------------------------------------------------------------------

struct Message {
  std::string name;
  std::string text;
  Market market;
};

/// A small deterministic generator: the same frames on every run.
struct Lcg {
  uint64_t s = 0x9E3779B97F4A7C15ull;
  uint64_t next(uint64_t bound) noexcept {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return (s >> 33) % bound;
  }
};

/// "b":[[..],..] with `n` levels walking away from `touch` (raw at the price scale) by 1-8 ticks;
/// about one level in four is a removal ("0"). Spot prints 8 decimals (as the venue does),
/// USD-M its own scales.
std::string levelsJson(Lcg& rng, bool bid, int64_t touch, int64_t tick, int n, bool spot) {
  std::string s = "[";
  int64_t px = touch;
  char buf[64];
  for (int i = 0; i < n; ++i) {
    const int64_t qty = rng.next(4) == 0 ? 0 : static_cast<int64_t>(1 + rng.next(spot ? 400000 : 4000));
    if (spot)  // price scale 2, qty scale 5, both printed with 8 decimals
      std::snprintf(buf, sizeof buf, "[\"%" PRId64 ".%02" PRId64 "000000\",\"%" PRId64 ".%05" PRId64 "000\"]",
                    px / 100, px % 100, qty / 100000, qty % 100000);
    else  // price scale 2 (tick 0.10), qty scale 3
      std::snprintf(buf, sizeof buf, "[\"%" PRId64 ".%02" PRId64 "\",\"%" PRId64 ".%03" PRId64 "\"]", px / 100,
                    px % 100, qty / 1000, qty % 1000);
    if (i) s.append(",");
    s.append(buf);
    px += (bid ? -1 : 1) * tick * static_cast<int64_t>(1 + rng.next(8));
  }
  s.append("]");
  return s;
}

std::string readSample(const std::string& dir, const char* rel) {
  std::ifstream in(dir + "/" + rel);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::vector<Message> messages() {
  Lcg rng;
  std::vector<Message> m;
  // Field order and spelling as in exchange-samples/binance/spot/ws/depthUpdate.json and the
  // captured combined frames; 20 levels a side, prices near BTCUSDT's of the capture.
  std::string spotDepth =
      R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255208,"s":"BTCUSDT",)"
      R"("U":50093239189,"u":50093239236,"b":)";
  spotDepth.append(levelsJson(rng, true, 6183763, 1, 20, true));
  spotDepth.append(R"(,"a":)");
  spotDepth.append(levelsJson(rng, false, 6183764, 1, 20, true));
  spotDepth.append("}}");
  m.push_back({"depth20_spot", spotDepth, Market::Spot});

  std::string usdmDepth =
      R"({"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1723161256509,"T":1723161256505,)"
      R"("s":"BTCUSDT","U":5123107850310,"u":5123107853551,"pu":5123107850146,"b":)";
  usdmDepth.append(levelsJson(rng, true, 6180020, 10, 20, false));
  usdmDepth.append(R"(,"a":)");
  usdmDepth.append(levelsJson(rng, false, 6180030, 10, 20, false));
  usdmDepth.append("}}");
  m.push_back({"depth20_usdm", usdmDepth, Market::UsdM});

  m.push_back({"trade_spot",
               R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,)"
               R"("p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}})",
               Market::Spot});
  m.push_back({"aggTrade_spot",
               R"({"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1723161255343,"s":"BTCUSDT","a":3028271465,)"
               R"("p":"61837.63000000","q":"0.02000000","f":3735683259,"l":3735683261,"T":1723161255342,"m":true,)"
               R"("M":true}})",
               Market::Spot});
  m.push_back({"aggTrade_usdm",
               R"({"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1723161256322,"s":"BTCUSDT","a":2291342011,)"
               R"("p":"61800.30","q":"0.006","nq":"0.006","f":5266583935,"l":5266583937,"T":1723161256322,)"
               R"("m":false}})",
               Market::UsdM});

  const char* env = std::getenv("HFT_EXCHANGE_SAMPLES");
  const std::string dir = std::string(env ? env : "/work/shared/exchange-samples") + "/binance";
  struct Captured {
    const char* name;
    const char* rel;
    Market market;
  };
  for (const Captured& c : {Captured{"captured_depth_spot", "spot/ws/captured_combined_depthUpdate_BTCUSDT_2024-08-08.json", Market::Spot},
                            Captured{"captured_depth_usdm", "futures-usdm/ws/captured_combined_depthUpdate_BTCUSDT_2024-08-08.json", Market::UsdM},
                            Captured{"captured_trade_spot", "spot/ws/captured_combined_trade_BTCUSDT_2024-08-08.json", Market::Spot},
                            Captured{"captured_trade_usdm", "futures-usdm/ws/captured_combined_trade_BTCUSDT_2024-08-08.json", Market::UsdM}}) {
    std::string text = readSample(dir, c.rel);
    if (text.empty()) {
      std::fprintf(stderr, "bench_parse: %s/%s not found: %s skipped\n", dir.c_str(), c.rel, c.name);
      continue;
    }
    m.push_back({c.name, std::move(text), c.market});
  }
  return m;
}

// ---- the benchmarks ----------------------------------------------------------------------------

BenchInstruments gInstruments;

void finish(benchmark::State& state, const Message& m) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * m.text.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["bytes"] = static_cast<double>(m.text.size());
}

void benchOurs(benchmark::State& state, const Message& m) {
  api::binance::MarketDataParser parser(gInstruments);
  for (auto _ : state) {
    const api::binance::ParseResult r = parser.parse(m.text);
    if (!r.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(parser.trade());
    benchmark::DoNotOptimize(parser.depth());
    benchmark::ClobberMemory();
  }
  finish(state, m);
}

void benchSimdjson(benchmark::State& state, const Message& m) {
  auto baseline = std::make_unique<SimdjsonBaseline>(gInstruments.of(m.market));
  for (auto _ : state) {
    if (!baseline->parse(m.text)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(baseline->out);
    benchmark::ClobberMemory();
  }
  finish(state, m);
}

void benchNlohmann(benchmark::State& state, const Message& m) {
  NlohmannBaseline baseline(gInstruments.of(m.market));
  for (auto _ : state) {
    if (!baseline.parse(m.text)) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(baseline.out);
    benchmark::ClobberMemory();
  }
  finish(state, m);
}

/// Every variant once on every message; exits naming the message and field on any difference.
void checkEqual(const std::vector<Message>& msgs) {
  api::binance::MarketDataParser parser(gInstruments);
  for (const Message& m : msgs) {
    const api::binance::ParseResult r = parser.parse(m.text);
    if (!r.ok()) {
      std::fprintf(stderr, "bench_parse: %s: ours failed: %s field \"%s\"\n", m.name.c_str(),
                   api::binance::toString(r.status), r.field);
      std::exit(1);
    }
    const Canon ours = fromOurs(r, parser);
    auto simd = std::make_unique<SimdjsonBaseline>(gInstruments.of(m.market));
    NlohmannBaseline nl(gInstruments.of(m.market));
    if (!simd->parse(m.text) || !nl.parse(m.text)) {
      std::fprintf(stderr, "bench_parse: %s: a baseline failed to parse it\n", m.name.c_str());
      std::exit(1);
    }
    const std::string d1 = differs(ours, simd->out), d2 = differs(ours, nl.out);
    if (!d1.empty() || !d2.empty()) {
      std::fprintf(stderr, "bench_parse: %s: outputs differ: ours vs simdjson: %s; ours vs nlohmann: %s\n",
                   m.name.c_str(), d1.empty() ? "equal" : d1.c_str(), d2.empty() ? "equal" : d2.c_str());
      std::exit(1);
    }
    if (ours.kind == MessageKind::DepthUpdate && ours.bidCount == 0 && ours.askCount == 0) {
      std::fprintf(stderr, "bench_parse: %s: no levels parsed\n", m.name.c_str());
      std::exit(1);
    }
    std::printf("checked %-20s %5zu bytes  %-11s %2zu bids %2zu asks: ours == simdjson == nlohmann\n", m.name.c_str(),
                m.text.size(), api::binance::toString(ours.kind), ours.bidCount, ours.askCount);
  }
}

/// Console output as usual, plus the ratios against the simdjson baseline at the end.
class RatioReporter final : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.error_occurred) continue;
      const bool single = r.run_type == Run::RT_Iteration && r.repetitions <= 1;
      if (!single && r.aggregate_name != "median") continue;
      medians_ = medians_ || !single;
      cpuNs_[r.run_name.function_name] = r.GetAdjustedCPUTime();  // time unit: ns (the default)
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nCPU ns per message%s, and ratios to the simdjson baseline:\n", medians_ ? " (medians)" : "");
    std::printf("%-22s %10s %10s %10s %12s %12s\n", "message", "ours", "simdjson", "nlohmann", "ours/simd", "nlohmann/simd");
    for (const auto& [name, ns] : cpuNs_) {
      const std::string suffix = "/ours";
      if (name.size() < suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        continue;
      const std::string base = name.substr(0, name.size() - suffix.size());
      const auto s = cpuNs_.find(base + "/simdjson"), n = cpuNs_.find(base + "/nlohmann");
      if (s == cpuNs_.end()) continue;
      const double nl = n == cpuNs_.end() ? 0.0 : n->second;  // 0: filtered out
      std::printf("%-22s %10.1f %10.1f %10.1f %12.2f %12.2f\n", base.substr(6).c_str(), ns, s->second, nl,
                  ns / s->second, nl / s->second);
    }
  }

 private:
  std::map<std::string, double> cpuNs_;  // by benchmark name: single run, or the median
  bool medians_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  int core = common::onlineCpuCount() - 1;
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--core=", 7) == 0) core = std::atoi(argv[i] + 7);
  benchmark::Initialize(&argc, argv);
  if (core >= 0) {
    if (const std::string err = common::pinThisThread(core); !err.empty())
      std::fprintf(stderr, "bench_parse: %s (running unpinned)\n", err.c_str());
  }
  static const std::vector<Message> msgs = messages();
  checkEqual(msgs);
  for (const Message& m : msgs) {
    benchmark::RegisterBenchmark(("Parse/" + m.name + "/ours").c_str(), benchOurs, m);
    benchmark::RegisterBenchmark(("Parse/" + m.name + "/simdjson").c_str(), benchSimdjson, m);
    benchmark::RegisterBenchmark(("Parse/" + m.name + "/nlohmann").c_str(), benchNlohmann, m);
  }
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
