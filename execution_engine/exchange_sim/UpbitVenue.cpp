#include "execution_engine/exchange_sim/UpbitVenue.h"

#include <algorithm>
#include <stdexcept>

#include "api/exchanges/shared/TickBands.h"
#include "api/exchanges/upbit/TickTables.h"
#include "common/FixedPoint.h"
#include "config/TickRules.h"

namespace hft::execution_engine::exchange_sim {

/// One market's public state as the feed shows it.
struct UpbitVenue::Book {
  const config::Instrument* inst = nullptr;
  int64_t tick = 0;
  int levels = 15;
  std::map<int64_t, int64_t, std::greater<>> bids;
  std::map<int64_t, int64_t> asks;
  mutable std::vector<common::BookLevel> bidScratch, askScratch;  ///< top-N for the writers
  upbit_json::TradeView last;  ///< last trade and the day's statistics
  bool traded = false;
  bool dirty = false;          ///< changed since the last orderbook went out
  int64_t ms = 0;              ///< time of the last change
};

namespace {
std::string defaultStart(const config::Instrument& inst) {
  if (inst.base == "BTC") return "140000000";
  if (inst.base == "ETH") return "5000000";
  if (inst.base == "USDT" || inst.base == "USDC") return "1400";
  return "1000";
}
}  // namespace

UpbitVenue::UpbitVenue(const config::InstrumentRegistry& registry, const api::upbit::Dialect& dialect,
                       VenueConfig config, common::TimestampNs startNs, Output out, UpbitOrderDesk::Output privateOut)
    : registry_(registry), dialect_(dialect), config_(std::move(config)), out_(std::move(out)), now_(startNs) {
  const common::ExchangeId ex = dialect_.exchange;
  const char* venueName = ex == common::ExchangeId::Bithumb ? "bithumb" : "upbit";
  std::string rulesPath = config_.tick_rules_path;
  if (rulesPath.empty() && ex == common::ExchangeId::Bithumb) rulesPath = "config/tick_rules/bithumb_krw.json";
  if (!rulesPath.empty()) {  // a config/tick_rules table for the KRW markets (ConfigError names the file)
    const config::TickRules rules = config::TickRules::loadFile(rulesPath);
    fileScale_ = rules.priceScale();
    for (const config::TickBand& b : rules.bands()) fileBands_.push_back({b.from, b.tick});
  }
  if (config_.symbols.empty())
    for (const auto& i : registry_.all())
      if (i.exchange == ex) config_.symbols.push_back(i.venue_symbol);
  if (config_.symbols.empty())
    throw std::invalid_argument(
        std::string("exchange_sim: no ").append(venueName).append(" instruments in the registry"));
  gateways::SyntheticConfig sc;
  sc.seed = config_.seed;
  sc.start_ns = startNs;
  sc.events_per_second = config_.events_per_second;
  sc.book_depth = config_.book_depth;
  sc.volatility_bps_per_sqrt_s = config_.volatility_bps_per_sqrt_s;
  sc.burst_probability = config_.burst_probability;
  sc.burst_multiplier = config_.burst_multiplier;
  sc.burst_mean_s = config_.burst_mean_s;
  for (const auto& s : config_.symbols) {
    const config::Instrument* inst = registry_.byVenueSymbol(ex, s);
    if (!inst)
      throw std::invalid_argument("exchange_sim: symbol " + s + " is not a " + venueName +
                                  " instrument of the registry");
    std::string start = defaultStart(*inst);
    if (auto it = config_.start_prices.find(s); it != config_.start_prices.end()) start = it->second;
    int64_t p = 0;
    if (common::parseDecimal(start, inst->price_scale, p) != common::ParseStatus::Ok || p <= 0)
      throw std::invalid_argument("exchange_sim: bad start price '" + start + "' for " + s);
    auto b = std::make_unique<Book>();
    b->inst = inst;
    b->levels = std::min(config_.book_depth, 15);
    // The price unit of the start price's band (Upbit's table), at the instrument's scale; never
    // finer than the registry's tick. The synthetic book stays within one band.
    int64_t tick = inst->tick_size;
    const auto quoteBands = api::upbit::tickBandsForQuote(inst->quote);
    const api::shared::TickBands tb = inst->quote == "KRW" ? krwBands()
                                      : quoteBands.empty()
                                          ? api::shared::TickBands()
                                          : api::shared::TickBands(quoteBands, api::upbit::kTickTableScale);
    if (!tb.bands().empty()) {
      int64_t t = tb.tickAt(p, inst->price_scale);
      for (int k = inst->price_scale; k < tb.scale(); ++k) t /= 10;
      for (int k = tb.scale(); k < inst->price_scale; ++k) t *= 10;
      if (t > tick) tick = t;
    }
    b->tick = tick;
    gateways::SyntheticInstrument si;
    si.id = inst->id;
    si.exchange = ex;
    si.tick_size = tick;
    si.lot_size = inst->lot_size;
    si.price_scale = inst->price_scale;
    si.qty_scale = inst->qty_scale;
    si.start_price = p / tick * tick;
    si.touch_qty = 1000 * inst->lot_size * 1000;  // 0.01 BTC at the touch
    sc.instruments.push_back(si);
    b->last.instrument = inst;
    b->last.prev_closing_price = si.start_price;
    bookById_[inst->id] = b.get();
    instruments_.push_back(inst);
    books_.push_back(std::move(b));
  }
  market_ = std::make_unique<gateways::SyntheticMarket>(sc);
  desk_ = std::make_unique<UpbitOrderDesk>(registry_, dialect_, config_, instruments_, krwBands(), startNs,
                                           std::move(privateOut));
  hasNext_ = market_->next(next_);
  while (hasNext_ && common::eventTime(next_.header()) <= startNs) {  // the initial books
    apply(next_.header(), {});
    hasNext_ = market_->next(next_);
  }
  for (auto& b : books_) b->dirty = false;
}

UpbitVenue::~UpbitVenue() = default;

api::shared::TickBands UpbitVenue::krwBands() const {
  if (!fileBands_.empty()) return api::shared::TickBands(fileBands_, fileScale_);
  return api::shared::TickBands(api::upbit::krwTickBands(), api::upbit::kTickTableScale);
}

const config::Instrument* UpbitVenue::instrument(std::string_view code) const noexcept {
  const config::Instrument* i = registry_.byVenueSymbol(dialect_.exchange, code);
  return i && bookById_.count(i->id) ? i : nullptr;
}

int64_t UpbitVenue::tickOf(const config::Instrument& inst) const { return bookById_.at(inst.id)->tick; }

void UpbitVenue::advance(common::TimestampNs nowNs, const std::function<bool()>& dropTrade) {
  while (hasNext_ && common::eventTime(next_.header()) <= nowNs) {
    apply(next_.header(), dropTrade);
    hasNext_ = market_->next(next_);
  }
  if (nowNs > now_) now_ = nowNs;
  desk_->advanceTo(now_);
  for (auto& b : books_)
    if (b->dirty) {
      b->dirty = false;
      out_(UpbitStream::Orderbook, *b->inst);
    }
}

void UpbitVenue::apply(const common::EventHeader& e, const std::function<bool()>& dropTrade) {
  const common::TimestampNs t = common::eventTime(e);
  if (t > now_) now_ = t;
  if (desk_) desk_->onMarketData(e);
  auto it = bookById_.find(e.instrument_id);
  if (it == bookById_.end()) return;
  Book& b = *it->second;
  b.ms = t / 1'000'000;
  if (e.type == common::EventType::BookDelta) {
    const auto& d = reinterpret_cast<const common::BookDelta&>(e);
    if (d.flags & common::BookDelta::kClearBook) {
      b.bids.clear();
      b.asks.clear();
    }
    for (uint16_t i = 0; i < d.count; ++i) {
      const common::PriceLevelUpdate& l = d.levels[i];
      if (l.side == common::Side::Buy) {
        if (l.qty == 0) b.bids.erase(l.price);
        else b.bids[l.price] = l.qty;
      } else {
        if (l.qty == 0) b.asks.erase(l.price);
        else b.asks[l.price] = l.qty;
      }
    }
    b.dirty = true;
  } else if (e.type == common::EventType::Trade) {
    const auto& tr = reinterpret_cast<const common::Trade&>(e);
    upbit_json::TradeView& v = b.last;
    v.price = tr.price;
    v.qty = tr.qty;
    v.aggressor = tr.aggressor;
    ++v.sequential_id;
    v.trade_ms = b.ms;
    if (!b.bids.empty()) {
      v.best_bid_price = b.bids.begin()->first;
      v.best_bid_qty = b.bids.begin()->second;
    }
    if (!b.asks.empty()) {
      v.best_ask_price = b.asks.begin()->first;
      v.best_ask_qty = b.asks.begin()->second;
    }
    if (!b.traded) v.opening_price = v.high_price = v.low_price = tr.price;
    v.high_price = std::max(v.high_price, tr.price);
    v.low_price = std::min(v.low_price, tr.price);
    v.acc_trade_volume += tr.qty;
    b.traded = true;
    if (dropTrade && dropTrade()) return;  // the gap fault: this sequential_id is never shown
    out_(UpbitStream::Trade, *b.inst);
    out_(UpbitStream::Ticker, *b.inst);
  }
}

upbit_json::BookView UpbitVenue::view(const Book& b) const {
  b.bidScratch.clear();
  b.askScratch.clear();
  for (const auto& [p, q] : b.bids) {
    if (b.bidScratch.size() == static_cast<size_t>(b.levels)) break;
    b.bidScratch.push_back({p, q});
  }
  for (const auto& [p, q] : b.asks) {
    if (b.askScratch.size() == static_cast<size_t>(b.levels)) break;
    b.askScratch.push_back({p, q});
  }
  upbit_json::BookView v;
  v.instrument = b.inst;
  v.bids = b.bidScratch;
  v.asks = b.askScratch;
  v.ms = b.ms;
  return v;
}

bool UpbitVenue::trade(const config::Instrument& inst, bool simple, bool snapshot, std::string& out) const {
  const Book& b = *bookById_.at(inst.id);
  if (!b.traded) return false;
  out = upbit_json::trade(b.last, simple, snapshot, nowMs());
  return true;
}

std::string UpbitVenue::ticker(const config::Instrument& inst, bool simple, bool snapshot) const {
  const Book& b = *bookById_.at(inst.id);
  upbit_json::TradeView v = b.last;
  if (!b.traded) {  // no trade yet: the ticker shows the previous close
    v.price = v.opening_price = v.high_price = v.low_price = v.prev_closing_price;
    v.trade_ms = nowMs();
  }
  return upbit_json::ticker(v, simple, snapshot, nowMs());
}

std::string UpbitVenue::orderbook(const config::Instrument& inst, bool simple, bool snapshot) const {
  return upbit_json::orderbook(view(*bookById_.at(inst.id)), simple, snapshot);
}

std::string UpbitVenue::restOrderbook(const config::Instrument& inst) const {
  return upbit_json::restOrderbook(view(*bookById_.at(inst.id)));
}

std::string UpbitVenue::restTicker(const config::Instrument& inst) const {
  const Book& b = *bookById_.at(inst.id);
  upbit_json::TradeView v = b.last;
  if (!b.traded) {
    v.price = v.opening_price = v.high_price = v.low_price = v.prev_closing_price;
    v.trade_ms = nowMs();
  }
  return upbit_json::restTicker(v, nowMs());
}

}  // namespace hft::execution_engine::exchange_sim
