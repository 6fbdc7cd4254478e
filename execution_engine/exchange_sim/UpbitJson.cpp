#include "execution_engine/exchange_sim/UpbitJson.h"

#include <algorithm>
#include <ctime>

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

std::string error(const std::string& name, const std::string& message) {
  return json::Json{{"error", {{"name", name}, {"message", message}}}}.dump();
}

}  // namespace hft::execution_engine::exchange_sim::upbit_json
