#include "api/import/BinanceCsvImporters.h"

#include <cstring>

#include "api/import/CsvRow.h"
#include "common/Events.h"
#include "config/InstrumentRegistry.h"

namespace hft::api {

namespace {

using common::ExchangeId;
using config::Instrument;

/// Where a format's market comes from when the path's directories do not say (header rule 2/3).
enum class MarketDefault : uint8_t {
  Registry = 0,  ///< spot if the registry lists the symbol on spot, else futures
  Futures = 1,   ///< only USD-M futures publish this format
};

const char* marketName(ExchangeId e) noexcept {
  return e == ExchangeId::Binance ? "binance (spot)" : "binance_futures";
}

/// The instrument of a file whose name starts with the symbol (rules in the header).
const Instrument& instrumentOfFile(const std::string& path, MarketDefault def, ImportContext& ctx) {
  const size_t slash = path.rfind('/');
  const std::string_view dir =
      slash == std::string::npos ? std::string_view() : std::string_view(path).substr(0, slash);
  const std::string_view file =
      slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
  const size_t dash = file.find('-');
  if (dash == 0 || dash == std::string_view::npos)
    throw ImportError(path, 0,
                      "cannot take the symbol from the file name: expected <SYMBOL>-<kind>-<date>.csv as "
                      "data.binance.vision names files (e.g. BTCUSDT-trades-2024-01-01.csv)");
  const std::string_view symbol = file.substr(0, dash);

  bool spot = false, futures = false;
  for (size_t at = 0; at <= dir.size();) {
    size_t end = dir.find('/', at);
    if (end == std::string_view::npos) end = dir.size();
    const std::string_view part = dir.substr(at, end - at);
    if (part == "spot") spot = true;
    if (part == "futures" || part == "um") futures = true;
    if (part == "cm")
      throw ImportError(path, 0, "the path says COIN-M futures (a 'cm' directory): not supported by this system");
    at = end + 1;
  }
  if (spot && futures)
    throw ImportError(path, 0,
                      "ambiguous market: the path has both a 'spot' and a 'futures'/'um' directory; keep one "
                      "(spot -> binance, futures/um -> binance_futures)");

  const auto& reg = ctx.instruments;
  ExchangeId market = ExchangeId::None;
  if (spot)
    market = ExchangeId::Binance;
  else if (futures || def == MarketDefault::Futures)
    market = ExchangeId::BinanceFutures;
  if (market != ExchangeId::None) {
    if (const Instrument* in = reg.byVenueSymbol(market, symbol)) return *in;
    std::string why = "unknown symbol '";
    why.append(symbol).append("' on ").append(common::toString(market)).append(" (not in the instrument registry)");
    throw ImportError(path, 0, why);
  }

  const Instrument* in = reg.byVenueSymbol(ExchangeId::Binance, symbol);
  if (!in) in = reg.byVenueSymbol(ExchangeId::BinanceFutures, symbol);
  if (!in) {
    std::string why = "unknown symbol '";
    why.append(symbol).append("' on binance and binance_futures (not in the instrument registry)");
    throw ImportError(path, 0, why);
  }
  std::string note(file);
  note.append(": read as ")
      .append(marketName(in->exchange))
      .append(": no 'spot' or 'futures'/'um' directory in the path; the registry lists ");
  note.append(symbol).append(in->exchange == ExchangeId::Binance ? " on spot" : " on futures only");
  ctx.stats.notes.push_back(std::move(note));
  return *in;
}

template <class E>
E blankEvent(const Instrument& in, common::TimestampNs exchangeTs) noexcept {
  E e;
  std::memset(&e, 0, sizeof e);  // padding too: imported sessions are byte-reproducible
  e.header = common::makeHeader<E>(in.exchange, in.id, exchangeTs, exchangeTs);  // no receive time in these files
  return e;
}

// ---- per-row formats ----------------------------------------------------------------------

using RowFn = void (*)(const CsvRow&, const Instrument&, ImportContext&);

struct Format {
  const char* name;
  const char* description;
  std::vector<std::string> columns;
  MarketDefault market;
  RowFn onRow;
};

void emitTrade(const CsvRow& r, const Instrument& in, ImportContext& ctx, size_t price, size_t qty, size_t time,
               size_t buyerMaker) {
  auto t = blankEvent<common::Trade>(in, r.timestampNs(time, CsvRow::kDetectUnit));
  t.price = r.price(price, in);
  t.qty = r.qty(qty, in);
  t.trade_id = r.unsignedInteger(0);
  t.aggressor = r.boolean(buyerMaker) ? common::Side::Sell : common::Side::Buy;
  emitEvent(ctx, t.header);
}

// id, price, qty, quote_qty, time, is_buyer_maker[, is_best_match]
void tradeRow(const CsvRow& r, const Instrument& in, ImportContext& ctx) { emitTrade(r, in, ctx, 1, 2, 4, 5); }

// agg_trade_id, price, quantity, first_trade_id, last_trade_id, transact_time, is_buyer_maker[, ...]
void aggTradeRow(const CsvRow& r, const Instrument& in, ImportContext& ctx) { emitTrade(r, in, ctx, 1, 2, 5, 6); }

void bookTickerRow(const CsvRow& r, const Instrument& in, ImportContext& ctx) {
  enum : size_t { kUpdateId, kBidPrice, kBidQty, kAskPrice, kAskQty, kTransactionTime };
  auto q = blankEvent<common::BestBidOffer>(in, r.timestampNs(kTransactionTime, CsvRow::kDetectUnit));
  q.bid_price = r.price(kBidPrice, in);
  q.bid_qty = r.qty(kBidQty, in);
  q.ask_price = r.price(kAskPrice, in);
  q.ask_qty = r.qty(kAskQty, in);
  q.update_id = r.unsignedInteger(kUpdateId);
  emitEvent(ctx, q.header);
}

void klineRow(const CsvRow& r, const Instrument& in, ImportContext& ctx) {
  enum : size_t { kOpenTime, kOpen, kHigh, kLow, kClose, kVolume, kCloseTime, kQuoteVolume, kCount, kTakerBuyVolume };
  const int64_t unit = epochUnitNs(r.integer(kOpenTime));
  const common::TimestampNs open = r.timestampNs(kOpenTime, unit);
  const common::TimestampNs close = r.timestampNs(kCloseTime, unit);
  if (close < open) r.fail(kCloseTime, "is before open_time");
  auto b = blankEvent<common::Bar>(in, close);
  b.open = r.price(kOpen, in);
  b.high = r.price(kHigh, in);
  b.low = r.price(kLow, in);
  b.close = r.price(kClose, in);
  b.volume = r.qty(kVolume, in);
  b.taker_buy_volume = r.qty(kTakerBuyVolume, in);
  b.quote_volume = r.amount(kQuoteVolume);
  b.trade_count = r.unsignedInteger(kCount);
  b.interval_ns = close - open + unit;  // close_time is the bar's last ms (µs), inclusive
  emitEvent(ctx, b.header);
}

class RowImporter final : public IImporter {
 public:
  explicit RowImporter(Format f) : f_(std::move(f)) {}
  std::string name() const override { return f_.name; }
  std::string description() const override { return f_.description; }
  void importFile(const std::string& path, ImportContext& ctx) override {
    CsvReader in(path, ctx.stats);
    const Instrument& inst = instrumentOfFile(path, f_.market, ctx);
    in.row().setColumns(f_.columns);
    in.readHeader();  // optional; columns are positional either way
    while (in.next()) f_.onRow(in.row(), inst, ctx);
  }

 private:
  Format f_;
};

// ---- binance-futures-book-csv -------------------------------------------------------------

class FuturesBookImporter final : public IImporter {
 public:
  std::string name() const override { return "binance-futures-book-csv"; }
  std::string description() const override {
    return "Binance USD-M historical order book CSV (symbol,timestamp,first_update_id,last_update_id,side,"
           "update_type,price,qty,pu) -> BookDelta";
  }

  void importFile(const std::string& path, ImportContext& ctx) override {
    enum : size_t { kSymbol, kTime, kFirstId, kLastId, kSide, kType, kPrice, kQty, kPrevId };
    CsvReader in(path, ctx.stats);
    CsvRow& r = in.row();
    r.setColumns(
        {"symbol", "timestamp", "first_update_id", "last_update_id", "side", "update_type", "price", "qty", "pu"});
    in.readHeader();
    BookDeltaChain chain(ctx);
    std::string symbol;
    const Instrument* inst = nullptr;
    bool groupSnap = false;
    uint64_t groupLastId = 0;
    common::InstrumentId groupInstrument = 0;
    while (in.next()) {
      if (!inst || r.text(kSymbol) != symbol) {
        symbol = r.text(kSymbol);
        inst = ctx.instruments.byVenueSymbol(ExchangeId::BinanceFutures, symbol);
        if (!inst)
          r.fail(kSymbol, std::string("unknown symbol '")
                              .append(symbol)
                              .append("' on binance_futures (not in the instrument registry)"));
      }
      const std::string_view type = r.text(kType);
      if (type != "snap" && type != "set") r.fail(kType, std::string("'").append(type).append("' is not snap or set"));
      const bool snap = type == "snap";
      const std::string_view side = r.text(kSide);
      if (side != "b" && side != "a") r.fail(kSide, std::string("'").append(side).append("' is not b or a"));
      // Every row is checked, not only a group's first: a bad number anywhere is an error.
      const common::TimestampNs ts = r.timestampNs(kTime, CsvRow::kDetectUnit);
      const uint64_t firstId = r.unsignedInteger(kFirstId);
      const uint64_t lastId = r.unsignedInteger(kLastId);
      const int64_t pu = r.integer(kPrevId);
      if (!snap && pu < 0) r.fail(kPrevId, "is negative on a set row");
      if (!chain.open() || snap != groupSnap || lastId != groupLastId || inst->id != groupInstrument) {
        chain.begin(*inst, ts, ts, firstId, lastId, snap ? 0 : static_cast<uint64_t>(pu),
                    snap ? common::BookDelta::kClearBook | common::BookDelta::kFromSnapshot : 0);
        groupSnap = snap;
        groupLastId = lastId;
        groupInstrument = inst->id;
      }
      chain.add(side == "b" ? common::Side::Buy : common::Side::Sell, r.price(kPrice, *inst), r.qty(kQty, *inst));
    }
    chain.finish();
  }
};

}  // namespace

std::vector<std::unique_ptr<IImporter>> makeBinanceCsvImporters() {
  std::vector<std::unique_ptr<IImporter>> v;
  v.push_back(std::make_unique<RowImporter>(
      Format{"binance-trades-csv",
             "data.binance.vision trades CSV (id,price,qty,quote_qty,time,is_buyer_maker[,is_best_match]) -> Trade",
             {"id", "price", "qty", "quote_qty", "time", "is_buyer_maker", "is_best_match"},
             MarketDefault::Registry,
             tradeRow}));
  v.push_back(std::make_unique<RowImporter>(
      Format{"binance-aggtrades-csv",
             "data.binance.vision aggTrades CSV (agg_trade_id,price,quantity,first_trade_id,last_trade_id,"
             "transact_time,is_buyer_maker[,is_best_match]) -> Trade",
             {"agg_trade_id", "price", "quantity", "first_trade_id", "last_trade_id", "transact_time", "is_buyer_maker",
              "is_best_match"},
             MarketDefault::Registry,
             aggTradeRow}));
  v.push_back(std::make_unique<RowImporter>(
      Format{"binance-bookticker-csv",
             "data.binance.vision USD-M bookTicker CSV (update_id,best_bid_price,best_bid_qty,best_ask_price,"
             "best_ask_qty,transaction_time,event_time) -> BestBidOffer",
             {"update_id", "best_bid_price", "best_bid_qty", "best_ask_price", "best_ask_qty", "transaction_time",
              "event_time"},
             MarketDefault::Futures,
             bookTickerRow}));
  v.push_back(std::make_unique<RowImporter>(
      Format{"binance-klines-csv",
             "data.binance.vision klines CSV (12 columns, header optional) -> Bar",
             {"open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume", "count",
              "taker_buy_volume", "taker_buy_quote_volume", "ignore"},
             MarketDefault::Registry,
             klineRow}));
  v.push_back(std::make_unique<FuturesBookImporter>());
  return v;
}

}  // namespace hft::api
