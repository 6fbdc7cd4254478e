#pragma once
// Shared by the Upbit/Bithumb protocol tests: sample paths (skipped when the samples are
// absent), a resolver over hand-made instruments, and an OrderRequest builder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api/exchanges/upbit/InstrumentResolver.h"
#include "common/EventHeader.h"
#include "common/events/OrderRequest.h"
#include "config/InstrumentRegistry.h"

namespace hft::test {

/// <repo>/../shared/exchange-samples/<rel>.
inline std::string samplePath(const std::string& rel) {
  return std::string(HFT_SHARED_DIR) + "/exchange-samples/" + rel;
}
inline bool samplesAvailable() { return std::filesystem::is_directory(samplePath("upbit")); }
#define HFT_SKIP_WITHOUT_SAMPLES() \
  if (!hft::test::samplesAvailable()) GTEST_SKIP() << "no " << HFT_SHARED_DIR << "/exchange-samples"

inline std::string readSample(const std::string& rel) {
  std::ifstream in(samplePath(rel), std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << samplePath(rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// KRW-BTC, KRW-ETH (price 0 / qty 8 decimals), KRW-USDT (1 / 8), BTC-ETH (8 / 8) and
/// USDT-BTC (2 / 8) on one venue (Upbit by default).
class KoreanInstruments final : public api::upbit::InstrumentResolver {
 public:
  explicit KoreanInstruments(common::ExchangeId exchange = common::ExchangeId::Upbit) {
    add(1, exchange, "KRW-BTC", "BTC", "KRW", 0, 8);
    add(2, exchange, "KRW-ETH", "ETH", "KRW", 0, 8);
    add(3, exchange, "KRW-USDT", "USDT", "KRW", 1, 8);
    add(4, exchange, "BTC-ETH", "ETH", "BTC", 8, 8);
    add(5, exchange, "USDT-BTC", "BTC", "USDT", 2, 8);
  }
  const config::Instrument* resolve(std::string_view code) noexcept override {
    for (const auto& i : all_)
      if (i.venue_symbol == code) return &i;
    return nullptr;
  }
  const config::Instrument& at(std::string_view code) { return *resolve(code); }

 private:
  void add(common::InstrumentId id, common::ExchangeId ex, std::string code, std::string base, std::string quote,
           int ps, int qs) {
    config::Instrument i;
    i.id = id;
    i.exchange = ex;
    i.venue_symbol = code;
    i.base = base;
    i.quote = quote;
    i.name = base + "/" + quote;
    i.price_scale = ps;
    i.qty_scale = qs;
    i.tick_size = 1;
    i.lot_size = 1;
    all_.push_back(i);
  }
  std::vector<config::Instrument> all_;
};

/// A New limit GTC buy; tests change what they exercise.
inline common::OrderRequest limitBuy(const config::Instrument& inst, common::ClientOrderId id, int64_t price,
                                     int64_t qty) {
  common::OrderRequest r{};
  r.header = common::makeHeader<common::OrderRequest>(inst.exchange, inst.id, 0, 0);
  r.client_order_id = id;
  r.price = price;
  r.qty = qty;
  r.strategy_id = 7;
  r.action = common::OrderAction::New;
  r.side = common::Side::Buy;
  r.type = common::OrderType::Limit;
  r.tif = common::TimeInForce::GTC;
  r.position_side = common::PositionSide::Both;
  return r;
}

}  // namespace hft::test
