// bench_sign: the Binance order-entry hot path outside the network: signing a request and
// parsing the execution report that answers it, each next to baselines measured in the same run.
//
//   Sign/HmacSigner          our signer (HmacSigner::signHex) on a typical 174-byte order query
//   Sign/EvpMacReinit        baseline: a raw EVP_MAC_CTX keyed once, EVP_MAC_init(NULL key) per call
//   Sign/EvpMacDupTemplate   the alternative: EVP_MAC_CTX_dup of a keyed template per call
//   Sign/OneShotHMAC         baseline: OpenSSL's one-shot HMAC() (fetches and keys every call)
//   Sign/RequestSigner       encode an OrderRequest (OrderEncoder) + signRest: the whole request text
//   Parse/ExecutionReport    OrderResponseParser::parseUserData on a spot fill (WebSocket API wrapper)
//   Parse/OrderTradeUpdate   the same on a USD-M ORDER_TRADE_UPDATE fill
//   Parse/SimdjsonWalk       baseline: plain simdjson On-Demand touching every key and value of the
//                            spot fill, converting nothing: a floor for any parser
//
// Every signing benchmark reports `openssl_allocs`: OpenSSL heap allocations per call, counted
// through CRYPTO_set_mem_functions (the reason EVP_MAC_init(NULL) is not allocation-free on
// OpenSSL 3.0: HMAC re-init copies the digest context). A second part times single calls with
// the TSC and prints percentiles for our signer, the raw re-init baseline and the parser.
// The thread is pinned (--core=N, default the last core; -1 leaves it unpinned).
//
//   build/bin/bench_sign [--core=N] [--samples=N] [Google Benchmark flags]
#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "api/exchanges/binance/HmacSigner.h"
#include "api/exchanges/binance/OrderEncoder.h"
#include "api/exchanges/binance/OrderResponseParser.h"
#include "api/exchanges/binance/RequestSigner.h"
#include "bench/Tsc.h"
#include "common/Cpu.h"
#include "common/LatencyHistogram.h"

namespace {

using namespace hft;
using api::binance::Market;

// ---- OpenSSL allocation counter (one thread: a plain counter is enough) -----------------------
uint64_t gOpensslAllocs = 0;
void* countingMalloc(size_t n, const char*, int) {
  ++gOpensslAllocs;
  return std::malloc(n);
}
void* countingRealloc(void* p, size_t n, const char*, int) {
  ++gOpensslAllocs;
  return std::realloc(p, n);
}
void countingFree(void* p, const char*, int) { std::free(p); }

// ---- inputs ------------------------------------------------------------------------------------
constexpr std::string_view kSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr std::string_view kApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
// What OrderEncoder + RequestSigner produce for a spot limit order, up to the signature.
constexpr std::string_view kQuery =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.015&price=65000.5&newClientOrderId=1234567890123"
    "&newOrderRespType=RESULT&recvWindow=5000&timestamp=1700000000000";

constexpr std::string_view kSpotFill =
    R"({"subscriptionId":0,"event":{"e":"executionReport","E":1700000000123,"s":"BTCUSDT","c":"1001","S":"SELL",)"
    R"("o":"LIMIT","f":"GTC","q":"0.02000000","p":"65000.50000000","P":"0.00000000","F":"0.00000000","g":-1,"C":"",)"
    R"("x":"TRADE","X":"PARTIALLY_FILLED","r":"NONE","i":555,"l":"0.00500000","z":"0.00500000","L":"65000.50000000",)"
    R"("n":"0.00000325","N":"BNB","T":1700000000120,"t":777,"v":3,"I":1,"w":false,"m":true,"M":true,)"
    R"("O":1699999999000,"Z":"325.00250000","Y":"325.00250000","Q":"0.00000000","W":1699999999000,"V":"EXPIRE_MAKER"}})";
constexpr std::string_view kUsdmFill =
    R"({"e":"ORDER_TRADE_UPDATE","E":1700000000500,"T":1700000000499,"o":{"s":"BTCUSDT","c":"2001","S":"BUY",)"
    R"("o":"LIMIT","f":"GTX","q":"0.010","p":"9000.10","ap":"9000.10","sp":"0","x":"TRADE","X":"FILLED","i":99,)"
    R"("l":"0.010","z":"0.010","L":"9000.10","N":"USDT","n":"0.01800020","T":1700000000498,"t":1234,"b":"0",)"
    R"("a":"0","m":false,"R":false,"wt":"CONTRACT_PRICE","ot":"LIMIT","ps":"BOTH","cp":false,"rp":"0","pP":false,)"
    R"("si":0,"ss":0,"V":"NONE","pm":"NONE","gtd":0}})";

/// BTCUSDT on both markets (2 price decimals; 5 qty decimals on spot, 3 on USD-M).
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
  const config::Instrument& spot() const { return spot_; }

 private:
  config::Instrument spot_, usdm_;
};

/// A raw HMAC-SHA256 EVP_MAC_CTX keyed with kSecret.
EVP_MAC_CTX* keyedContext() {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
  if (ctx == nullptr ||
      EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(kSecret.data()), kSecret.size(), params) != 1) {
    std::fprintf(stderr, "bench_sign: OpenSSL HMAC setup failed\n");
    std::exit(1);
  }
  return ctx;
}

bool reinitSign(EVP_MAC_CTX* ctx, std::string_view msg, unsigned char* out) {
  size_t len = 0;
  return EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1 &&
         EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) == 1 &&
         EVP_MAC_final(ctx, out, &len, 32) == 1;
}

void reportAllocs(benchmark::State& state, uint64_t before) {
  state.counters["openssl_allocs"] = benchmark::Counter(static_cast<double>(gOpensslAllocs - before) /
                                                        static_cast<double>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kQuery.size()));
}

// ---- signing -----------------------------------------------------------------------------------

void Sign_HmacSigner(benchmark::State& state) {
  api::binance::HmacSigner signer(kSecret);
  char out[api::binance::HmacSigner::kHexChars];
  const uint64_t before = gOpensslAllocs;
  for (auto _ : state) {
    if (!signer.signHex(kQuery, out)) state.SkipWithError("sign failed");
    benchmark::DoNotOptimize(out);
  }
  reportAllocs(state, before);
}

void Sign_EvpMacReinit(benchmark::State& state) {
  EVP_MAC_CTX* ctx = keyedContext();
  unsigned char out[32];
  const uint64_t before = gOpensslAllocs;
  for (auto _ : state) {
    if (!reinitSign(ctx, kQuery, out)) state.SkipWithError("sign failed");
    benchmark::DoNotOptimize(out);
  }
  reportAllocs(state, before);
  EVP_MAC_CTX_free(ctx);
}

void Sign_EvpMacDupTemplate(benchmark::State& state) {
  EVP_MAC_CTX* tmpl = keyedContext();  // keyed, never updated: each dup starts from the key
  unsigned char out[32];
  const uint64_t before = gOpensslAllocs;
  for (auto _ : state) {
    EVP_MAC_CTX* c = EVP_MAC_CTX_dup(tmpl);
    size_t len = 0;
    if (c == nullptr ||
        EVP_MAC_update(c, reinterpret_cast<const unsigned char*>(kQuery.data()), kQuery.size()) != 1 ||
        EVP_MAC_final(c, out, &len, sizeof out) != 1)
      state.SkipWithError("sign failed");
    EVP_MAC_CTX_free(c);
    benchmark::DoNotOptimize(out);
  }
  reportAllocs(state, before);
  EVP_MAC_CTX_free(tmpl);
}

void Sign_OneShotHMAC(benchmark::State& state) {
  unsigned char out[32];
  unsigned int len = 0;
  const uint64_t before = gOpensslAllocs;
  for (auto _ : state) {
    if (HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
             reinterpret_cast<const unsigned char*>(kQuery.data()), kQuery.size(), out, &len) == nullptr)
      state.SkipWithError("sign failed");
    benchmark::DoNotOptimize(out);
  }
  reportAllocs(state, before);
}

void Sign_RequestSigner(benchmark::State& state) {
  BenchInstruments instruments;
  const api::binance::OrderEncoder encoder(Market::Spot);
  api::binance::RequestSigner signer(kApiKey, kSecret, 5000);
  common::OrderRequest r{};
  r.header = common::makeHeader<common::OrderRequest>(common::ExchangeId::Binance, 1, 0, 0);
  r.client_order_id = 1234567890123;
  r.price = 6500050;
  r.qty = 1500;
  r.action = common::OrderAction::New;
  r.side = common::Side::Buy;
  r.type = common::OrderType::Limit;
  r.tif = common::TimeInForce::GTC;
  api::binance::ParamList params;
  api::binance::Endpoint ep;
  char buf[1024];
  api::binance::SignedRequest req;
  int64_t ts = 1700000000000;
  const uint64_t before = gOpensslAllocs;
  for (auto _ : state) {
    if (encoder.encode(r, instruments.spot(), params, ep) != api::binance::EncodeStatus::Ok ||
        signer.signRest(params, ++ts, buf, req) != api::binance::SignStatus::Ok)
      state.SkipWithError("encode/sign failed");
    benchmark::DoNotOptimize(req.text.data());
  }
  reportAllocs(state, before);
}

// ---- parsing -----------------------------------------------------------------------------------

void parseBench(benchmark::State& state, std::string_view msg) {
  BenchInstruments instruments;
  api::binance::OrderResponseParser parser(instruments);
  for (auto _ : state) {
    const auto r = parser.parseUserData(msg, 1);
    if (!r.ok() || parser.reports().size() != 1) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(parser.reports().data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * msg.size()));
}
void Parse_ExecutionReport(benchmark::State& state) { parseBench(state, kSpotFill); }
void Parse_OrderTradeUpdate(benchmark::State& state) { parseBench(state, kUsdmFill); }

/// A floor for any parser: touches every key (its first byte) and every value (strings
/// unescaped, numbers as raw tokens), recursing into objects; converts nothing.
simdjson::error_code walk(simdjson::ondemand::object obj, size_t& values) {
  for (auto result : obj) {
    if (auto e = result.error()) return e;
    simdjson::ondemand::field& field = result.value_unsafe();
    values += static_cast<unsigned char>(*field.key().raw());
    simdjson::ondemand::value& v = field.value();
    simdjson::ondemand::json_type t;
    if (auto e = v.type().get(t)) return e;
    if (t == simdjson::ondemand::json_type::object) {
      simdjson::ondemand::object inner;
      if (auto e = v.get_object().get(inner)) return e;
      if (auto e = walk(inner, values)) return e;
    } else if (t == simdjson::ondemand::json_type::string) {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      values += s.size();
    } else {
      values += v.raw_json_token().size();
    }
  }
  return simdjson::SUCCESS;
}

void Parse_SimdjsonWalk(benchmark::State& state) {
  simdjson::padded_string padded(kSpotFill);
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    simdjson::ondemand::document doc;
    simdjson::ondemand::object obj;
    size_t values = 0;
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS || doc.get_object().get(obj) != simdjson::SUCCESS ||
        walk(obj, values) != simdjson::SUCCESS)
      state.SkipWithError("walk failed");
    benchmark::DoNotOptimize(values);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kSpotFill.size()));
}

BENCHMARK(Sign_HmacSigner);
BENCHMARK(Sign_EvpMacReinit);
BENCHMARK(Sign_EvpMacDupTemplate);
BENCHMARK(Sign_OneShotHMAC);
BENCHMARK(Sign_RequestSigner);
BENCHMARK(Parse_ExecutionReport);
BENCHMARK(Parse_OrderTradeUpdate);
BENCHMARK(Parse_SimdjsonWalk);

// ---- percentiles of single calls ---------------------------------------------------------------

template <class F>
void percentiles(const char* name, const bench::TscClock& clock, int samples, F&& call) {
  for (int i = 0; i < samples / 10; ++i) call();  // warm-up
  common::LatencyHistogram h;
  for (int i = 0; i < samples; ++i) {
    const uint64_t a = bench::tscNow();
    call();
    const uint64_t b = bench::tscAfterLoads();
    h.record(static_cast<int64_t>(clock.toNs(b - a)));
  }
  std::printf("%-28s p50 %5llu ns  p90 %5llu  p99 %5llu  p99.9 %6llu  max %7llu  (%d calls)\n", name,
              static_cast<unsigned long long>(h.percentile(0.50)), static_cast<unsigned long long>(h.percentile(0.90)),
              static_cast<unsigned long long>(h.percentile(0.99)), static_cast<unsigned long long>(h.percentile(0.999)),
              static_cast<unsigned long long>(h.max()), samples);
}

void printPercentiles(int samples) {
  const bench::TscClock clock = bench::TscClock::calibrate();
  api::binance::HmacSigner signer(kSecret);
  char hex[api::binance::HmacSigner::kHexChars];
  EVP_MAC_CTX* ctx = keyedContext();
  unsigned char raw[32];
  BenchInstruments instruments;
  api::binance::OrderResponseParser parser(instruments);
  std::printf("single calls, TSC-timed (timer overhead included):\n");
  percentiles("HmacSigner::signHex", clock, samples, [&] { benchmark::DoNotOptimize(signer.signHex(kQuery, hex)); });
  percentiles("baseline EVP_MAC re-init", clock, samples, [&] { benchmark::DoNotOptimize(reinitSign(ctx, kQuery, raw)); });
  percentiles("parseUserData(spot fill)", clock, samples,
              [&] { benchmark::DoNotOptimize(parser.parseUserData(kSpotFill, 1).status); });
  percentiles("timer alone", clock, samples, [] {});
  EVP_MAC_CTX_free(ctx);
}

}  // namespace

int main(int argc, char** argv) {
  // Before anything touches OpenSSL: its first allocation fixes the allocator.
  if (CRYPTO_set_mem_functions(countingMalloc, countingRealloc, countingFree) != 1)
    std::fprintf(stderr, "bench_sign: could not install the OpenSSL allocation counter\n");
  int core = common::onlineCpuCount() - 1;
  int samples = 200000;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--core=", 7) == 0) core = std::atoi(argv[i] + 7);
    if (std::strncmp(argv[i], "--samples=", 10) == 0) samples = std::atoi(argv[i] + 10);
  }
  benchmark::Initialize(&argc, argv);
  if (core >= 0) {
    if (const std::string err = common::pinThisThread(core); !err.empty()) {
      std::fprintf(stderr, "bench_sign: %s\n", err.c_str());
      return 1;
    }
  }
  benchmark::AddCustomContext("pinned_core", core < 0 ? "none" : std::to_string(core));
  benchmark::AddCustomContext("openssl", OpenSSL_version(OPENSSL_VERSION));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (samples > 0) printPercentiles(samples);
  return 0;
}
