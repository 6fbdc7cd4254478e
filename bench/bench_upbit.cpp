// bench_upbit: the Upbit/Bithumb protocol core's hot calls, next to baselines measured in the
// same run.
//
//   Parse/UpbitTrade         MarketDataParser on the docs' DEFAULT trade (with best bid/ask)
//   Parse/UpbitOrderbook30   the same on a 30-unit SIMPLE orderbook (full snapshot)
//   Parse/SimdjsonWalk       baseline: plain simdjson On-Demand touching every key and value of
//                            the trade, converting nothing: a floor for any parser
//   Jwt/UpbitOrder           JwtSigner::buildAuthorization (HS512 + SHA-512 query_hash) of an order
//   Jwt/BithumbOrder         the same with HS256 + timestamp
//   Jwt/Sha512Only           baseline: the query hash alone (EVP_Digest, pre-fetched SHA-512)
//   Encode/UpbitLimit        OrderEncoder::encodeNew + renderJson + renderQuery of a limit order
//
// The thread is pinned (--core=N, default the last core; -1 leaves it unpinned).
//   build/bin/bench_upbit [--core=N] [Google Benchmark flags]
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "api/exchanges/shared/JwtSigner.h"
#include "api/exchanges/upbit/MarketDataParser.h"
#include "api/exchanges/upbit/OrderEncoder.h"
#include "api/exchanges/upbit/TickTables.h"
#include "common/Cpu.h"

namespace {

using namespace hft;

const std::string kTrade =
    R"({"type":"trade","code":"KRW-BTC","timestamp":1730336862082,"trade_date":"2024-10-31","trade_time":"01:07:42",)"
    R"("trade_timestamp":1730336862047,"trade_price":100473000.00000000,"trade_volume":0.00014208,"ask_bid":"BID",)"
    R"("prev_closing_price":100571000.00000000,"change":"FALL","change_price":98000.00000000,)"
    R"("sequential_id":17303368620470000,"best_ask_price":100473000,"best_ask_size":0.43139478,)"
    R"("best_bid_price":100465000,"best_bid_size":0.01990656,"stream_type":"SNAPSHOT"})";

std::string orderbook30() {
  std::string s = R"({"ty":"orderbook","cd":"KRW-BTC","tms":1751855921432,"tas":17.12835169,"tbs":4.81969018,"obu":[)";
  for (int i = 0; i < 30; ++i) {
    if (i > 0) s.append(",");
    s.append(R"({"ap":)").append(std::to_string(148880000 + 1000 * i));
    s.append(R"(,"bp":)").append(std::to_string(148830000 - 1000 * i));
    s.append(R"(,"as":0.37765316,"bs":0.0274406)").append(std::to_string(i % 10)).append("}");
  }
  s.append(R"(],"st":"REALTIME","lv":0})");
  return s;
}

struct Instruments final : api::upbit::InstrumentResolver {
  config::Instrument btc;
  Instruments() {
    btc.id = 1;
    btc.exchange = common::ExchangeId::Upbit;
    btc.venue_symbol = "KRW-BTC";
    btc.base = "BTC";
    btc.quote = "KRW";
    btc.price_scale = 0;
    btc.qty_scale = 8;
    btc.tick_size = 1000;
    btc.lot_size = 1;
  }
  const config::Instrument* resolve(std::string_view code) noexcept override {
    return code == btc.venue_symbol ? &btc : nullptr;
  }
};

struct Sink final : api::upbit::MarketDataHandler {
  int64_t sum = 0;
  void onTrade(const api::upbit::ParsedTrade& t) noexcept override { sum += t.price + t.qty; }
  void onOrderbook(const api::upbit::ParsedOrderbook& b) noexcept override { sum += b.bids[0].price + b.asks.back().qty; }
  void onTicker(const api::upbit::ParsedTicker& t) noexcept override { sum += t.trade_price; }
};

void Parse_UpbitTrade(benchmark::State& state) {
  Instruments inst;
  api::upbit::MarketDataParser parser(inst);
  Sink sink;
  for (auto _ : state) {
    const auto r = parser.parse(kTrade, sink);
    if (!r.ok()) state.SkipWithError("parse failed");
  }
  benchmark::DoNotOptimize(sink.sum);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kTrade.size()));
}
BENCHMARK(Parse_UpbitTrade);

void Parse_UpbitOrderbook30(benchmark::State& state) {
  Instruments inst;
  api::upbit::MarketDataParser parser(inst);
  Sink sink;
  const std::string msg = orderbook30();
  for (auto _ : state) {
    const auto r = parser.parse(msg, sink);
    if (!r.ok()) state.SkipWithError("parse failed");
  }
  benchmark::DoNotOptimize(sink.sum);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * msg.size()));
}
BENCHMARK(Parse_UpbitOrderbook30);

void Parse_SimdjsonWalk(benchmark::State& state) {
  simdjson::ondemand::parser json;
  const simdjson::padded_string padded(kTrade);
  size_t touched = 0;
  for (auto _ : state) {
    simdjson::ondemand::document doc = json.iterate(padded);
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key();
      std::string_view raw = field.value().raw_json_token();
      touched += key.size() + raw.size();
    }
  }
  benchmark::DoNotOptimize(touched);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kTrade.size()));
}
BENCHMARK(Parse_SimdjsonWalk);

constexpr std::string_view kOrderQuery = "market=KRW-BTC&side=bid&volume=0.001&price=50000000&ord_type=limit";

void Jwt_UpbitOrder(benchmark::State& state) {
  api::shared::JwtSigner jwt(api::shared::JwtAlg::HS512, api::shared::JwtClaims::Upbit,
                             "a7Xd92LmQW3vBtRzYpMj5CxNKeT1HuVs0fFgJcAw", "upbit-dummy-secret-key-for-tests-0123456789");
  char out[api::shared::JwtSigner::kMaxTokenChars + 8];
  size_t n = 0;
  for (auto _ : state) {
    if (jwt.buildAuthorization("b2f1e3f8-2dc1-4d6f-a838-c74c49b0e39a", 0, kOrderQuery, out, n) !=
        api::shared::JwtStatus::Ok)
      state.SkipWithError("jwt failed");
    benchmark::DoNotOptimize(out[n - 1]);
  }
}
BENCHMARK(Jwt_UpbitOrder);

void Jwt_BithumbOrder(benchmark::State& state) {
  api::shared::JwtSigner jwt(api::shared::JwtAlg::HS256, api::shared::JwtClaims::Bithumb,
                             "L7rVaYfBIc2BDsnlQGfkR93d6DoOAJCw7mJr5Eso", "bithumb-dummy-secret-key-for-tests-0123456789");
  char out[api::shared::JwtSigner::kMaxTokenChars + 8];
  size_t n = 0;
  for (auto _ : state) {
    if (jwt.buildAuthorization("6f5570df-d8bc-4daf-85b4-976733feb624", 1712230310689, kOrderQuery, out, n) !=
        api::shared::JwtStatus::Ok)
      state.SkipWithError("jwt failed");
    benchmark::DoNotOptimize(out[n - 1]);
  }
}
BENCHMARK(Jwt_BithumbOrder);

void Jwt_Sha512Only(benchmark::State& state) {
  api::shared::JwtSigner jwt(api::shared::JwtAlg::HS512, api::shared::JwtClaims::Upbit, "k", "s");
  char hex[api::shared::JwtSigner::kQueryHashHexChars];
  for (auto _ : state) {
    if (!jwt.queryHashHex(kOrderQuery, hex)) state.SkipWithError("hash failed");
    benchmark::DoNotOptimize(hex[0]);
  }
}
BENCHMARK(Jwt_Sha512Only);

void Encode_UpbitLimit(benchmark::State& state) {
  Instruments inst;
  api::upbit::OrderEncoder encoder(api::upbit::kUpbit,
                                   api::shared::TickBands(api::upbit::krwTickBands(), api::upbit::kTickTableScale));
  common::OrderRequest r{};
  r.header = common::makeHeader<common::OrderRequest>(common::ExchangeId::Upbit, 1, 0, 0);
  r.client_order_id = 1234567890123;
  r.price = 100'473'000;
  r.qty = 14'208;
  r.action = common::OrderAction::New;
  r.side = common::Side::Buy;
  r.type = common::OrderType::Limit;
  r.tif = common::TimeInForce::GTC;
  api::shared::QueryParams params;
  api::upbit::Endpoint endpoint;
  char body[512], query[512];
  for (auto _ : state) {
    if (encoder.encode(r, inst.btc, params, endpoint) != api::upbit::EncodeStatus::Ok) state.SkipWithError("encode");
    benchmark::DoNotOptimize(params.renderJson(body) + params.renderQuery(query));
  }
}
BENCHMARK(Encode_UpbitLimit);

}  // namespace

int main(int argc, char** argv) {
  int core = common::onlineCpuCount() - 1;
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--core=", 7) == 0) core = std::atoi(argv[i] + 7);
  benchmark::Initialize(&argc, argv);
  if (core >= 0) {
    if (const std::string err = common::pinThisThread(core); !err.empty()) {
      std::fprintf(stderr, "bench_upbit: %s\n", err.c_str());
      return 1;
    }
  }
  benchmark::AddCustomContext("pinned_core", core < 0 ? "none" : std::to_string(core));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
