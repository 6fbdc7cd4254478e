#pragma once
// Shared by the Binance order-entry tests (signing, encoder, response parser, filters): a
// resolver over hand-made instruments with the scales the venue samples need, and an
// OrderRequest builder that fills the defaults of a plain limit buy.
#include <string>
#include <vector>

#include "api/exchanges/binance/InstrumentResolver.h"
#include "api/exchanges/binance/RequestSigner.h"
#include "common/EventHeader.h"
#include "common/events/OrderRequest.h"
#include "config/InstrumentRegistry.h"

namespace hft::test {

/// Instruments of the venue samples. Ids: spot 1..9, USD-M 11..19.
///   spot  BTCUSDT 2/5, ETHUSDT 2/4, ETHBTC 8/8, LTCBTC 8/8
///   usdm  BTCUSDT 2/3, ETHUSDT 2/3, BLZUSDT 5/0
class SampleInstruments final : public api::binance::InstrumentResolver {
 public:
  SampleInstruments() {
    add(1, common::ExchangeId::Binance, "BTCUSDT", 2, 5);
    add(2, common::ExchangeId::Binance, "ETHUSDT", 2, 4);
    add(3, common::ExchangeId::Binance, "ETHBTC", 8, 8);
    add(4, common::ExchangeId::Binance, "LTCBTC", 8, 8);
    add(11, common::ExchangeId::BinanceFutures, "BTCUSDT", 2, 3);
    add(12, common::ExchangeId::BinanceFutures, "ETHUSDT", 2, 3);
    add(13, common::ExchangeId::BinanceFutures, "BLZUSDT", 5, 0);
  }
  const config::Instrument* resolve(api::binance::Market market, std::string_view symbol) noexcept override {
    for (const auto& i : all_)
      if (i.exchange == api::binance::exchangeOf(market) && i.venue_symbol == symbol) return &i;
    return nullptr;
  }
  const config::Instrument& spot(std::string_view symbol) { return *resolve(api::binance::Market::Spot, symbol); }
  const config::Instrument& usdm(std::string_view symbol) { return *resolve(api::binance::Market::UsdM, symbol); }

 private:
  void add(common::InstrumentId id, common::ExchangeId ex, std::string symbol, int ps, int qs) {
    config::Instrument i;
    i.id = id;
    i.exchange = ex;
    i.venue_symbol = symbol;
    i.name = symbol;
    i.price_scale = ps;
    i.qty_scale = qs;
    i.tick_size = 1;
    i.lot_size = 1;
    all_.push_back(i);
  }
  std::vector<config::Instrument> all_;
};

/// A New limit GTC buy of `inst`; tests change what they exercise.
inline common::OrderRequest orderFor(const config::Instrument& inst, common::ClientOrderId id, int64_t price, int64_t qty) {
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

/// "k=v&k=v" of a ParamList, unencoded: what the encoder put in, in order.
inline std::string joined(const api::binance::ParamList& p) {
  std::string s;
  for (size_t i = 0; i < p.size(); ++i) {
    if (i > 0) s.append("&");
    s.append(p.key(i)).append("=").append(p.value(i));
  }
  return s;
}

}  // namespace hft::test
