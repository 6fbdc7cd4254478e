#include "execution_engine/exchange_sim/UpbitJson.h"

#include <algorithm>
#include <ctime>

#include "common/events/ExecutionReport.h"
#include "config/InstrumentRegistry.h"
#include "execution_engine/exchange_sim/BinanceJson.h"

namespace hft::execution_engine::exchange_sim::upbit_json {

namespace {

/// Appends "key": for DEFAULT or SIMPLE spelling (a leading ',' unless first).
struct Writer {
  std::string out;
  bool simple;
  bool first = true;
  explicit Writer(bool s) : simple(s) { out.push_back('{'); }
  void key(const char* full, const char* abbr) {
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    out.append(simple ? abbr : full);
    out.append("\":");
  }
  void str(const char* full, const char* abbr, const std::string& v) {
    key(full, abbr);
    out.push_back('"');
    out.append(v);
    out.push_back('"');
  }
  void num(const char* full, const char* abbr, int64_t raw, int scale) {
    key(full, abbr);
    out.append(json::decimal(raw, scale));
  }
  void integer(const char* full, const char* abbr, int64_t v) {
    key(full, abbr);
    out.append(std::to_string(v));
  }
  void raw(const char* full, const char* abbr, const char* text) {
    key(full, abbr);
    out.append(text);
  }
  std::string done() {
    out.push_back('}');
    return std::move(out);
  }
};

const char* askBid(common::Side aggressor) { return aggressor == common::Side::Buy ? "BID" : "ASK"; }

std::string utc(int64_t ms, const char* fmt) {
  const std::time_t s = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  const size_t n = std::strftime(buf, sizeof buf, fmt, &tm);
  return std::string(buf, n);
}

const char* change(int64_t price, int64_t prev) { return price > prev ? "RISE" : price < prev ? "FALL" : "EVEN"; }

void units(Writer& w, const BookView& b) {
  const config::Instrument& i = *b.instrument;
  w.key("orderbook_units", "obu");
  w.out.push_back('[');
  const size_t n = std::max(b.bids.size(), b.asks.size());
  int64_t totalBid = 0, totalAsk = 0;
  for (size_t k = 0; k < n; ++k) {
    Writer u(w.simple);
    // A side shorter than the other is padded with zero-size units, as Upbit pads thin books.
    const common::BookLevel ask = k < b.asks.size() ? b.asks[k] : common::BookLevel{0, 0};
    const common::BookLevel bid = k < b.bids.size() ? b.bids[k] : common::BookLevel{0, 0};
    u.num("ask_price", "ap", ask.price, i.price_scale);
    u.num("bid_price", "bp", bid.price, i.price_scale);
    u.num("ask_size", "as", ask.qty, i.qty_scale);
    u.num("bid_size", "bs", bid.qty, i.qty_scale);
    if (k != 0) w.out.push_back(',');
    w.out.append(u.done());
    totalBid += bid.qty;
    totalAsk += ask.qty;
  }
  w.out.push_back(']');
  w.num("total_ask_size", "tas", totalAsk, i.qty_scale);
  w.num("total_bid_size", "tbs", totalBid, i.qty_scale);
}

}  // namespace

std::string trade(const TradeView& t, bool simple, bool snapshot, int64_t ms) {
  const config::Instrument& i = *t.instrument;
  Writer w(simple);
  w.str("type", "ty", "trade");
  w.str("code", "cd", i.venue_symbol);
  w.num("trade_price", "tp", t.price, i.price_scale);
  w.num("trade_volume", "tv", t.qty, i.qty_scale);
  w.str("ask_bid", "ab", askBid(t.aggressor));
  w.num("prev_closing_price", "pcp", t.prev_closing_price, i.price_scale);
  w.str("change", "c", change(t.price, t.prev_closing_price));
  w.num("change_price", "cp", t.price >= t.prev_closing_price ? t.price - t.prev_closing_price
                                                              : t.prev_closing_price - t.price, i.price_scale);
  w.str("trade_date", "td", utc(t.trade_ms, "%Y-%m-%d"));
  w.str("trade_time", "ttm", utc(t.trade_ms, "%H:%M:%S"));
  w.integer("trade_timestamp", "ttms", t.trade_ms);
  w.integer("timestamp", "tms", ms);
  w.integer("sequential_id", "sid", static_cast<int64_t>(t.sequential_id));
  w.num("best_ask_price", "bap", t.best_ask_price, i.price_scale);
  w.num("best_ask_size", "bas", t.best_ask_qty, i.qty_scale);
  w.num("best_bid_price", "bbp", t.best_bid_price, i.price_scale);
  w.num("best_bid_size", "bbs", t.best_bid_qty, i.qty_scale);
  w.str("stream_type", "st", snapshot ? "SNAPSHOT" : "REALTIME");
  return w.done();
}

std::string ticker(const TradeView& t, bool simple, bool snapshot, int64_t ms) {
  const config::Instrument& i = *t.instrument;
  Writer w(simple);
  w.str("type", "ty", "ticker");
  w.str("code", "cd", i.venue_symbol);
  w.num("opening_price", "op", t.opening_price, i.price_scale);
  w.num("high_price", "hp", t.high_price, i.price_scale);
  w.num("low_price", "lp", t.low_price, i.price_scale);
  w.num("trade_price", "tp", t.price, i.price_scale);
  w.num("prev_closing_price", "pcp", t.prev_closing_price, i.price_scale);
  w.str("change", "c", change(t.price, t.prev_closing_price));
  w.num("trade_volume", "tv", t.qty, i.qty_scale);
  w.num("acc_trade_volume", "atv", t.acc_trade_volume, i.qty_scale);
  w.str("trade_date", "tdt", utc(t.trade_ms, "%Y%m%d"));
  w.str("trade_time", "ttm", utc(t.trade_ms, "%H%M%S"));
  w.integer("trade_timestamp", "ttms", t.trade_ms);
  w.str("ask_bid", "ab", askBid(t.aggressor));
  w.str("market_state", "ms", "ACTIVE");
  w.integer("timestamp", "tms", ms);
  w.str("stream_type", "st", snapshot ? "SNAPSHOT" : "REALTIME");
  return w.done();
}

std::string orderbook(const BookView& b, bool simple, bool snapshot) {
  Writer w(simple);
  w.str("type", "ty", "orderbook");
  w.str("code", "cd", b.instrument->venue_symbol);
  w.integer("timestamp", "tms", b.ms);
  units(w, b);
  w.str("stream_type", "st", snapshot ? "SNAPSHOT" : "REALTIME");
  w.raw("level", "lv", "0");
  return w.done();
}

std::string restOrderbook(const BookView& b) {
  Writer w(false);
  w.str("market", "market", b.instrument->venue_symbol);
  w.integer("timestamp", "timestamp", b.ms);
  units(w, b);
  w.raw("level", "level", "0");
  return w.done();
}

std::string restTicker(const TradeView& t, int64_t ms) {
  const config::Instrument& i = *t.instrument;
  Writer w(false);
  w.str("market", "market", i.venue_symbol);
  w.str("trade_date", "trade_date", utc(t.trade_ms, "%Y%m%d"));
  w.str("trade_time", "trade_time", utc(t.trade_ms, "%H%M%S"));
  w.integer("trade_timestamp", "trade_timestamp", t.trade_ms);
  w.num("opening_price", "opening_price", t.opening_price, i.price_scale);
  w.num("high_price", "high_price", t.high_price, i.price_scale);
  w.num("low_price", "low_price", t.low_price, i.price_scale);
  w.num("trade_price", "trade_price", t.price, i.price_scale);
  w.num("prev_closing_price", "prev_closing_price", t.prev_closing_price, i.price_scale);
  w.str("change", "change", change(t.price, t.prev_closing_price));
  w.num("trade_volume", "trade_volume", t.qty, i.qty_scale);
  w.num("acc_trade_volume", "acc_trade_volume", t.acc_trade_volume, i.qty_scale);
  w.integer("timestamp", "timestamp", ms);
  return w.done();
}

std::string market(const config::Instrument& inst) {
  Writer w(false);
  w.str("market", "market", inst.venue_symbol);
  w.str("korean_name", "korean_name", inst.base);
  w.str("english_name", "english_name", inst.base);
  return w.done();
}

namespace {
std::string kst(int64_t ms) { return utc(ms + 9 * 3600 * 1000, "%Y-%m-%dT%H:%M:%S+09:00"); }
std::string amount(int64_t raw) { return json::decimal(raw, common::kAmountScale); }
}  // namespace

std::string restOrder(const OrderView& o, const std::vector<FillView>* trades) {
  const config::Instrument& i = *o.instrument;
  Writer w(false);
  w.str("uuid", "uuid", std::string(o.uuid));
  w.str("side", "side", o.side == common::Side::Buy ? "bid" : "ask");
  w.str("ord_type", "ord_type", std::string(o.ord_type));
  if (o.has_price)
    w.str("price", "price", json::decimal(o.price, i.price_scale));
  else
    w.raw("price", "price", "null");
  w.str("state", "state", o.state);
  w.str("market", "market", i.venue_symbol);
  w.str("created_at", "created_at", kst(o.created_ms));
  if (o.has_volume) {
    w.str("volume", "volume", json::decimal(o.volume, i.qty_scale));
    w.str("remaining_volume", "remaining_volume", json::decimal(o.remaining, i.qty_scale));
  } else {
    w.raw("volume", "volume", "null");
    w.raw("remaining_volume", "remaining_volume", "null");
  }
  w.str("executed_volume", "executed_volume", json::decimal(o.executed, i.qty_scale));
  w.str("reserved_fee", "reserved_fee", amount(o.reserved_fee));
  w.str("remaining_fee", "remaining_fee", amount(o.remaining_fee));
  w.str("paid_fee", "paid_fee", amount(o.paid_fee));
  w.str("locked", "locked", amount(o.locked));
  w.str("executed_funds", "executed_funds", amount(o.executed_funds));
  w.str("prevented_volume", "prevented_volume", "0");
  w.str("prevented_locked", "prevented_locked", "0");
  w.integer("trades_count", "trades_count", o.trades_count);
  if (!o.time_in_force.empty()) w.str("time_in_force", "time_in_force", std::string(o.time_in_force));
  if (!o.client_id.empty()) {
    const std::string key(o.client_id_key);
    w.str(key.c_str(), key.c_str(), std::string(o.client_id));
  }
  if (trades) {
    w.key("trades", "trades");
    w.out.push_back('[');
    bool first = true;
    for (const FillView& f : *trades) {
      if (!first) w.out.push_back(',');
      first = false;
      Writer t(false);
      t.str("market", "market", i.venue_symbol);
      t.str("uuid", "uuid", std::string(f.trade_uuid));
      t.str("price", "price", json::decimal(f.price, i.price_scale));
      t.str("volume", "volume", json::decimal(f.volume, i.qty_scale));
      t.str("funds", "funds", amount(f.funds));
      t.str("trend", "trend", o.side == common::Side::Buy ? "up" : "down");
      t.str("created_at", "created_at", kst(f.ms));
      t.str("side", "side", o.side == common::Side::Buy ? "bid" : "ask");
      w.out.append(t.done());
    }
    w.out.push_back(']');
  }
  return w.done();
}

std::string myOrder(const OrderView& o, const FillView* fill, int64_t ms) {
  const config::Instrument& i = *o.instrument;
  Writer w(false);
  w.str("type", "ty", "myOrder");
  w.str("code", "cd", i.venue_symbol);
  w.str("uuid", "uid", std::string(o.uuid));
  w.str("ask_bid", "ab", o.side == common::Side::Buy ? "BID" : "ASK");
  w.str("order_type", "ot", std::string(o.ord_type));
  w.str("state", "s", o.state);
  if (fill)
    w.str("trade_uuid", "tuid", std::string(fill->trade_uuid));
  else
    w.raw("trade_uuid", "tuid", "null");
  if (fill)
    w.num("price", "p", fill->price, i.price_scale);
  else if (o.has_price)
    w.num("price", "p", o.price, i.price_scale);
  else
    w.raw("price", "p", "null");
  w.num("avg_price", "ap", o.avg_price, i.price_scale);
  if (fill)
    w.num("volume", "v", fill->volume, i.qty_scale);
  else if (o.has_volume)
    w.num("volume", "v", o.volume, i.qty_scale);
  else
    w.raw("volume", "v", "null");
  if (o.has_volume)
    w.num("remaining_volume", "rv", o.remaining, i.qty_scale);
  else
    w.raw("remaining_volume", "rv", "null");
  w.num("executed_volume", "ev", o.executed, i.qty_scale);
  w.integer("trades_count", "tc", o.trades_count);
  w.num("reserved_fee", "rsf", o.reserved_fee, common::kAmountScale);
  w.num("remaining_fee", "rmf", o.remaining_fee, common::kAmountScale);
  w.num("paid_fee", "pf", o.paid_fee, common::kAmountScale);
  w.num("locked", "l", o.locked, common::kAmountScale);
  w.num("executed_funds", "ef", o.executed_funds, common::kAmountScale);
  if (o.time_in_force.empty())
    w.raw("time_in_force", "tif", "null");
  else
    w.str("time_in_force", "tif", std::string(o.time_in_force));
  if (fill) {
    w.num("trade_fee", "tf", fill->fee, common::kAmountScale);
    w.raw("is_maker", "im", fill->maker ? "true" : "false");
  } else {
    w.raw("trade_fee", "tf", "null");
    w.raw("is_maker", "im", "null");
  }
  const std::string key(o.client_id_key);
  if (o.client_id.empty())
    w.raw(key.c_str(), key.c_str(), "null");
  else
    w.str(key.c_str(), key.c_str(), std::string(o.client_id));
  w.raw("smp_type", "smpt", "null");
  w.num("prevented_volume", "pv", 0, 0);
  w.num("prevented_locked", "pl", 0, 0);
  if (fill)
    w.integer("trade_timestamp", "ttms", fill->ms);
  else
    w.raw("trade_timestamp", "ttms", "null");
  w.integer("order_timestamp", "otms", o.created_ms);
  w.integer("timestamp", "tms", ms);
  w.str("stream_type", "st", "REALTIME");
  return w.done();
}

std::string myAsset(const std::vector<AssetView>& assets, int64_t ms) {
  Writer w(false);
  w.str("type", "ty", "myAsset");
  w.str("asset_uuid", "astuid", "00000000-0000-4000-8000-000000000000");
  w.key("assets", "ast");
  w.out.push_back('[');
  bool first = true;
  for (const AssetView& a : assets) {
    if (!first) w.out.push_back(',');
    first = false;
    Writer e(false);
    e.str("currency", "cu", std::string(a.currency));
    e.num("balance", "b", a.balance, common::kAmountScale);
    e.num("locked", "l", a.locked, common::kAmountScale);
    w.out.append(e.done());
  }
  w.out.push_back(']');
  w.integer("asset_timestamp", "asttms", ms);
  w.integer("timestamp", "tms", ms);
  w.str("stream_type", "st", "REALTIME");
  return w.done();
}

std::string accounts(const std::vector<AssetView>& assets, std::string_view unitCurrency) {
  std::string out("[");
  for (const AssetView& a : assets) {
    if (out.size() > 1) out.push_back(',');
    Writer w(false);
    w.str("currency", "currency", std::string(a.currency));
    w.str("balance", "balance", amount(a.balance));
    w.str("locked", "locked", amount(a.locked));
    w.str("avg_buy_price", "avg_buy_price", "0");
    w.raw("avg_buy_price_modified", "avg_buy_price_modified", "false");
    w.str("unit_currency", "unit_currency", std::string(unitCurrency));
    out.append(w.done());
  }
  out.push_back(']');
  return out;
}

std::string error(const std::string& name, const std::string& message) {
  return json::Json{{"error", {{"name", name}, {"message", message}}}}.dump();
}

}  // namespace hft::execution_engine::exchange_sim::upbit_json
