#include "strategies/Technical.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace hft::strategies {

using common::Side;

namespace {

__extension__ using Int128 = __int128;  // -Wpedantic: a GCC/Clang extension, on purpose

int sign(int64_t v) noexcept { return (v > 0) - (v < 0); }

}  // namespace

Technical::Technical(const Config& cfg, const config::Instrument& instrument)
    : cfg_(cfg),
      tick_(instrument.tick_size),
      lot_(instrument.lot_size),
      priceScale_(instrument.price_scale),
      qtyScale_(instrument.qty_scale) {
  if (cfg_.barIntervalNs > 0)
    timeBars_.emplace(cfg_.barIntervalNs, priceScale_, qtyScale_);
  else if (cfg_.barVolume > 0)
    volumeBars_.emplace(cfg_.barVolume, priceScale_, qtyScale_);
  switch (cfg_.signal) {
    case Signal::SmaCross:
      fastSma_.emplace(cfg_.fast);
      slowSma_.emplace(cfg_.slow);
      break;
    case Signal::Rsi:
      rsi_.emplace(cfg_.period);
      break;
    case Signal::Macd:
      macd_.emplace(cfg_.fast, cfg_.slow, cfg_.signalPeriod);
      break;
    case Signal::Bollinger:
      bands_.emplace(cfg_.period, cfg_.bandWidth);
      break;
  }
}

// --- market data ----------------------------------------------------------------------------

void Technical::onTrade(const common::Trade& t) {
  if (t.header.instrument_id != cfg_.instrument) return;
  last_ = t.price;
  // The trade that closes a bar belongs to the next one: the bar's signal comes first.
  if (timeBars_) {
    if (timeBars_->onTrade(t)) onBarClosed(timeBars_->bar());
    armBarTimer();
  } else if (volumeBars_ && volumeBars_->onTrade(t)) {
    onBarClosed(volumeBars_->bar());
  }
  checkExits(t.price, t.price);
  drive();
}

void Technical::onTopOfBook(const common::BestBidOffer& b) {
  if (b.header.instrument_id != cfg_.instrument) return;
  // The L2 book, when the venue publishes one, is the better source: ignore the BBO then.
  if (const auto* book = ctx().book(cfg_.instrument); book && !book->empty()) return;
  bid_ = b.bid_qty > 0 ? b.bid_price : 0;
  ask_ = b.ask_qty > 0 ? b.ask_price : 0;
  checkExits(bid_, ask_);
  drive();
}

void Technical::onBookUpdate(common::InstrumentId instrument, const strategy_engine::OrderBook& book) {
  if (instrument != cfg_.instrument) return;
  bid_ = book.bestBid().price;  // 0 for an empty side
  ask_ = book.bestAsk().price;
  checkExits(bid_, ask_);
  drive();
}

void Technical::onBar(const common::Bar& bar) {
  // Venue bars only when no bars are built from trades (the two would disagree on times).
  if (bar.header.instrument_id != cfg_.instrument || timeBars_ || volumeBars_) return;
  last_ = bar.close;
  onBarClosed(bar);
}

void Technical::armBarTimer() noexcept {
  if (!timeBars_->hasOpenBar() || timeBars_->openBarStart() == timerBarStart_) return;
  timerBarStart_ = timeBars_->openBarStart();
  // If the timer table is full, the bar still closes on the next interval's first trade.
  (void)ctx().setTimer(timerBarStart_ + cfg_.barIntervalNs, kBarTimer);
}

void Technical::onTimer(uint64_t id) {
  // Fires on the first event at or after the open bar's end, before that event is handled.
  if (id != kBarTimer || !timeBars_ || !timeBars_->hasOpenBar()) return;
  if (ctx().now() < timeBars_->openBarStart() + cfg_.barIntervalNs) return;
  if (timeBars_->flush()) onBarClosed(timeBars_->bar());
}

// --- signals --------------------------------------------------------------------------------

void Technical::onBarClosed(const common::Bar& bar) noexcept {
  blocked_ = false;
  const int s = evaluate(static_cast<double>(bar.close));
  const bool fresh = s != 0 && s != prevSignal_;
  prevSignal_ = s;
  if (fresh) {
    target_ = (s < 0 && !cfg_.allowShort) ? 0 : s;
    entryArmed_ = target_ != 0 && sign(ctx().position(cfg_.instrument).qty) != target_;
  }
  drive();
}

int Technical::evaluate(double close) noexcept {
  // Crossovers: +1/-1 on the close where the spread changes sign, 0 otherwise.
  auto cross = [this](double spread) {
    int s = 0;
    if (havePrevSpread_) s = (prevSpread_ <= 0 && spread > 0) ? 1 : (prevSpread_ >= 0 && spread < 0) ? -1 : 0;
    prevSpread_ = spread;
    havePrevSpread_ = true;
    return s;
  };
  switch (cfg_.signal) {
    case Signal::SmaCross:
      fastSma_->update(close);
      if (!slowSma_->update(close) || !fastSma_->ready()) return 0;
      return cross(fastSma_->value() - slowSma_->value());
    case Signal::Macd:
      if (!macd_->update(close)) return 0;
      return cross(macd_->histogram());
    case Signal::Rsi:
      if (!rsi_->update(close)) return 0;
      return rsi_->value() < cfg_.oversold ? 1 : rsi_->value() > cfg_.overbought ? -1 : 0;
    case Signal::Bollinger:
      if (!bands_->update(close)) return 0;
      return close < bands_->lower() ? 1 : close > bands_->upper() ? -1 : 0;
  }
  return 0;
}

// --- orders ---------------------------------------------------------------------------------

void Technical::checkExits(int64_t markLong, int64_t markShort) noexcept {
  const strategy_engine::Position& p = ctx().position(cfg_.instrument);
  if (p.qty == 0 || p.avg_price <= 0) return;
  // Compared as mark * 10^4 against entry * (10^4 -+ bps): exact, no rounded stop price.
  const Int128 mark = static_cast<Int128>(p.qty > 0 ? markLong : markShort) * 10'000;
  if (mark <= 0) return;
  const Int128 entry = p.avg_price;
  const int64_t sl = cfg_.stopLossBps, tp = cfg_.takeProfitBps;
  const bool hit = p.qty > 0 ? (sl > 0 && mark <= entry * (10'000 - sl)) || (tp > 0 && mark >= entry * (10'000 + tp))
                             : (sl > 0 && mark >= entry * (10'000 + sl)) || (tp > 0 && mark <= entry * (10'000 - tp));
  if (!hit) return;
  target_ = 0;
  entryArmed_ = false;
}

void Technical::drive() noexcept {
  if (working_ || blocked_) return;
  const int64_t pos = ctx().position(cfg_.instrument).qty;
  if (pos != 0 && sign(pos) != target_) {
    send(pos > 0 ? Side::Sell : Side::Buy, pos > 0 ? pos : -pos);
  } else if (pos == 0 && target_ != 0 && entryArmed_) {
    entryArmed_ = false;  // an entry that does not fill waits for the next signal
    send(target_ > 0 ? Side::Buy : Side::Sell, 0);
  }
}

void Technical::send(Side side, int64_t qty) noexcept {
  // The touch a taker on this side meets, else the last trade (or bar close).
  const int64_t far = side == Side::Buy ? ask_ : bid_;
  const int64_t touch = far > 0 ? far : last_;
  if (touch <= 0) return;
  const int64_t slip = cfg_.market ? 0 : cfg_.slippageTicks * tick_;
  const int64_t price = side == Side::Buy ? touch + slip : touch - slip;
  if (price <= 0) return;
  if (qty == 0) qty = sizeFor(price);
  if (qty <= 0) return;
  strategy_engine::OrderParams p;
  p.instrument = cfg_.instrument;
  p.side = side;
  p.type = cfg_.market ? common::OrderType::Market : common::OrderType::Limit;
  p.tif = common::TimeInForce::IOC;
  p.price = cfg_.market ? 0 : price;
  p.qty = qty;
  working_ = ctx().sendOrder(p);
}

int64_t Technical::sizeFor(int64_t price) const noexcept {
  if (cfg_.orderQty > 0) return cfg_.orderQty;
  // qty = capital * fraction / price, in raw units:
  //   capital_raw / 10^8 * ppm / 10^6 / (price_raw / 10^ps) * 10^qs
  Int128 num = static_cast<Int128>(cfg_.capital) * cfg_.riskPpm;
  Int128 den = price;
  const int shift = priceScale_ + qtyScale_ - common::kAmountScale - 6;
  if (shift >= 0)
    num *= common::pow10(shift);
  else
    den *= common::pow10(-shift);
  const auto qty = static_cast<int64_t>(num / den);
  return qty - qty % lot_;
}

void Technical::onExecutionReport(const common::ExecutionReport& r) {
  if (!working_ || r.client_order_id != working_) return;
  if (r.exec_type == common::ExecType::Rejected) blocked_ = true;
  if (ctx().order(working_)) return;  // still working (a partial fill)
  working_ = 0;
  // A complete exit may be the first half of a flip: the entry follows at once. Anything
  // else (an IOC remainder expired, a reject) waits for the next market data.
  if (r.exec_type == common::ExecType::Filled) drive();
}

// --- factory --------------------------------------------------------------------------------

std::unique_ptr<strategy_engine::IStrategy> makeTechnical(strategy_engine::StrategyParams& p,
                                                          const strategy_engine::StrategySetup& setup) {
  if (setup.instruments.size() != 1)
    throw std::invalid_argument("technical trades exactly one instrument, got " +
                                std::to_string(setup.instruments.size()));
  const config::Instrument* inst = setup.registry.byId(setup.instruments[0]);
  if (!inst) throw std::invalid_argument("technical: unknown instrument id " + std::to_string(setup.instruments[0]));

  using Signal = Technical::Signal;
  Technical::Config c;
  c.instrument = inst->id;
  auto period = [&p](const char* key, int64_t fallback) {
    return static_cast<uint32_t>(p.integer(key, 1, 100'000, fallback));
  };
  const std::string signal = p.text("signal", "sma_cross");
  if (signal == "sma_cross") {
    c.signal = Signal::SmaCross;
    c.fast = period("fast_period", 10);
    c.slow = period("slow_period", 30);
    if (c.fast >= c.slow) p.fail("slow_period", "slow_period > fast_period");
  } else if (signal == "rsi") {
    c.signal = Signal::Rsi;
    c.period = period("rsi_period", 14);
    c.oversold = p.number("oversold", 0, 100, 30);
    c.overbought = p.number("overbought", 0, 100, 70);
    if (c.oversold >= c.overbought) p.fail("overbought", "overbought > oversold");
  } else if (signal == "macd") {
    c.signal = Signal::Macd;
    c.fast = period("macd_fast", 12);
    c.slow = period("macd_slow", 26);
    c.signalPeriod = period("macd_signal", 9);
    if (c.fast >= c.slow) p.fail("macd_slow", "macd_slow > macd_fast");
  } else if (signal == "bollinger") {
    c.signal = Signal::Bollinger;
    c.period = period("bb_period", 20);
    c.bandWidth = p.number("bb_stddev", 0.1, 10, 2);
  } else {
    p.fail("signal", "one of \"sma_cross\", \"rsi\", \"macd\", \"bollinger\"");
  }

  c.barIntervalNs = p.integer("bar_interval_ms", 0, 7 * 86'400'000LL, 0) * 1'000'000;
  c.barVolume = p.decimal("bar_volume", inst->qty_scale, 0);
  if (c.barIntervalNs > 0 && c.barVolume > 0) p.fail("bar_volume", "either bar_interval_ms or bar_volume, not both");

  c.orderQty = p.decimal("order_qty", inst->qty_scale, 0);
  const double risk = p.number("risk_fraction", 0, 1, 0);
  if (c.orderQty > 0 && risk > 0) p.fail("risk_fraction", "either order_qty or risk_fraction, not both");
  if (c.orderQty > 0 && c.orderQty % inst->lot_size != 0) {
    std::string expected = "a multiple of the lot size ";
    expected.append(common::formatDecimal(inst->lot_size, inst->qty_scale));
    p.fail("order_qty", expected);
  }
  if (risk > 0) {
    c.riskPpm = std::llround(risk * 1e6);
    if (c.riskPpm == 0) p.fail("risk_fraction", "risk_fraction >= 0.000001");
    c.capital = p.decimal("capital", common::kAmountScale, 0);
    if (c.capital <= 0) p.fail("capital", "capital > 0 in the quote currency (needed by risk_fraction)");
  } else if (c.orderQty == 0) {
    p.fail("order_qty", "order_qty > 0, or risk_fraction with capital");
  }

  const std::string type = p.text("order_type", "limit_ioc");
  if (type == "market")
    c.market = true;
  else if (type == "limit_ioc")
    c.slippageTicks = p.integer("slippage_ticks", 0, 100'000, 2);
  else
    p.fail("order_type", "\"limit_ioc\" or \"market\"");
  c.stopLossBps = p.integer("stop_loss_bps", 0, 9'999, 0);
  c.takeProfitBps = p.integer("take_profit_bps", 0, 1'000'000, 0);
  c.allowShort = p.flag("allow_short", false);
  return std::make_unique<Technical>(c, *inst);
}

}  // namespace hft::strategies
