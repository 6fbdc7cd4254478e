#include "api/import/TardisCsvImporters.h"

#include <cstring>

#include "api/import/CsvRow.h"
#include "common/Events.h"
#include "config/InstrumentRegistry.h"

namespace hft::api {

namespace {

using common::ExchangeId;
using common::TimestampNs;
using config::Instrument;

constexpr int64_t kMicros = 1'000;  // Tardis timestamps are µs

/// The columns every Tardis CSV starts with; a format's own columns follow from kOwn.
enum : size_t { kExchange, kSymbol, kTimestamp, kLocalTimestamp, kOwn };

std::vector<std::string> columnsWith(std::initializer_list<const char*> own) {
  std::vector<std::string> c{"exchange", "symbol", "timestamp", "local_timestamp"};
  c.insert(c.end(), own.begin(), own.end());
  return c;
}

ExchangeId exchangeOf(std::string_view tardisName) noexcept {
  if (tardisName == "binance") return ExchangeId::Binance;
  if (tardisName == "binance-futures") return ExchangeId::BinanceFutures;
  if (tardisName == "upbit") return ExchangeId::Upbit;
  if (tardisName == "bithumb") return ExchangeId::Bithumb;
  return ExchangeId::None;
}

/// The columns every format shares: the instrument (one-entry cache, since files rarely change
/// instrument between rows) and the two times.
class CommonColumns {
 public:
  const Instrument& instrument(const CsvRow& r, ImportContext& ctx) {
    const std::string_view exchange = r.text(kExchange), symbol = r.text(kSymbol);
    if (cached_ && exchange == exchange_ && symbol == symbol_) return *cached_;
    const ExchangeId id = exchangeOf(exchange);
    if (id == ExchangeId::None)
      r.fail(kExchange, std::string("exchange '").append(exchange).append("' is not supported by this system"));
    const Instrument* in = ctx.instruments.byVenueSymbol(id, symbol);
    if (!in) {
      std::string upper(symbol);
      for (char& c : upper)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      in = ctx.instruments.byVenueSymbol(id, upper);
    }
    if (!in)
      r.fail(kSymbol, std::string("unknown symbol '")
                          .append(symbol)
                          .append("' on ")
                          .append(common::toString(id))
                          .append(" (not in the instrument registry)"));
    exchange_ = exchange;
    symbol_ = symbol;
    cached_ = in;
    return *in;
  }

  /// Reads both times; counts a capture time before the exchange time (kept as is).
  void times(const CsvRow& r, ImportContext& ctx) {
    exchangeTs = r.timestampNs(kTimestamp, kMicros);
    receiveTs = r.timestampNs(kLocalTimestamp, kMicros);
    if (receiveTs < exchangeTs) ++ctx.stats.clock_skew_lines;
  }

  TimestampNs exchangeTs = 0;
  TimestampNs receiveTs = 0;

 private:
  std::string exchange_, symbol_;
  const Instrument* cached_ = nullptr;
};

template <class E>
E blankEvent(const Instrument& in, const CommonColumns& c) noexcept {
  E e;
  std::memset(&e, 0, sizeof e);  // padding too: imported sessions are byte-reproducible
  e.header = common::makeHeader<E>(in.exchange, in.id, c.exchangeTs, c.receiveTs);
  return e;
}

/// Reads the header line Tardis files always start with; false for an empty file.
bool readTardisHeader(CsvReader& in) {
  if (in.readHeader()) return true;
  if (!in.next()) return false;
  in.row().failRow("no header line: Tardis CSVs start with one naming the columns");
}

/// Binds the format's columns by name to the header just read.
void bindColumns(CsvReader& in, std::vector<std::string> columns) {
  in.row().setColumns(std::move(columns));
  in.row().bindHeader();
}

// ---- tardis-trades ------------------------------------------------------------------------

class TradesImporter final : public IImporter {
 public:
  std::string name() const override { return "tardis-trades"; }
  std::string description() const override {
    return "Tardis trades CSV (exchange,symbol,timestamp,local_timestamp,id,side,price,amount) -> Trade";
  }
  void importFile(const std::string& path, ImportContext& ctx) override {
    enum : size_t { kId = kOwn, kSide, kPrice, kAmount };
    CsvReader in(path, ctx.stats);
    if (!readTardisHeader(in)) return;
    bindColumns(in, columnsWith({"id", "side", "price", "amount"}));
    const CsvRow& r = in.row();
    CommonColumns cols;
    uint64_t textIds = 0;
    while (in.next()) {
      const Instrument& inst = cols.instrument(r, ctx);
      cols.times(r, ctx);
      auto t = blankEvent<common::Trade>(inst, cols);
      t.price = r.price(kPrice, inst);
      t.qty = r.qty(kAmount, inst);
      const std::string_view id = r.text(kId);
      if (!id.empty() && id.find_first_not_of("0123456789") == std::string_view::npos)
        t.trade_id = r.unsignedInteger(kId);
      else
        ++textIds;
      const std::string_view side = r.text(kSide);
      if (side == "buy")
        t.aggressor = common::Side::Buy;
      else if (side == "sell")
        t.aggressor = common::Side::Sell;
      else if (side == "unknown")
        t.aggressor = common::Side::None;
      else
        r.fail(kSide, std::string("'").append(side).append("' is not buy, sell or unknown"));
      emitEvent(ctx, t.header);
    }
    if (textIds) {
      std::string note = path;
      note.append(": ").append(std::to_string(textIds)).append(" trades had non-numeric ids (kept with trade_id 0)");
      ctx.stats.notes.push_back(std::move(note));
    }
  }
};

// ---- tardis-quotes ------------------------------------------------------------------------

class QuotesImporter final : public IImporter {
 public:
  std::string name() const override { return "tardis-quotes"; }
  std::string description() const override {
    return "Tardis quotes CSV (exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount)"
           " -> BestBidOffer";
  }
  void importFile(const std::string& path, ImportContext& ctx) override {
    enum : size_t { kAskAmount = kOwn, kAskPrice, kBidPrice, kBidAmount };
    CsvReader in(path, ctx.stats);
    if (!readTardisHeader(in)) return;
    bindColumns(in, columnsWith({"ask_amount", "ask_price", "bid_price", "bid_amount"}));
    const CsvRow& r = in.row();
    CommonColumns cols;
    while (in.next()) {
      const Instrument& inst = cols.instrument(r, ctx);
      cols.times(r, ctx);
      auto q = blankEvent<common::BestBidOffer>(inst, cols);
      // An empty side is written as empty fields: price and qty 0 mean "no level".
      if (r.present(kBidPrice)) {
        q.bid_price = r.price(kBidPrice, inst);
        q.bid_qty = r.qty(kBidAmount, inst);
      }
      if (r.present(kAskPrice)) {
        q.ask_price = r.price(kAskPrice, inst);
        q.ask_qty = r.qty(kAskAmount, inst);
      }
      emitEvent(ctx, q.header);
    }
  }
};

// ---- tardis-book-snapshot -----------------------------------------------------------------

class BookSnapshotImporter final : public IImporter {
 public:
  std::string name() const override { return "tardis-book-snapshot"; }
  std::string description() const override {
    return "Tardis book_snapshot_N CSV (asks[i].price,asks[i].amount,bids[i].price,bids[i].amount) -> BookDelta "
           "chain (clear book) + BookSnapshot";
  }
  void importFile(const std::string& path, ImportContext& ctx) override {
    CsvReader in(path, ctx.stats);
    CsvRow& r = in.row();
    if (!readTardisHeader(in)) return;
    // The depth is however many asks[i].price columns the header has (5 for book_snapshot_5, ...).
    size_t depth = 0;
    std::vector<std::string> columns = columnsWith({});
    for (;; ++depth) {
      const std::string i = std::to_string(depth);
      if (r.find(std::string("asks[").append(i).append("].price")) == std::string_view::npos) break;
      for (const char* side : {"asks[", "bids["})
        for (const char* field : {"].price", "].amount"}) columns.push_back(std::string(side).append(i).append(field));
    }
    if (depth == 0) r.failRow("missing column 'asks[0].price' in the header: not a Tardis book_snapshot file");
    bindColumns(in, std::move(columns));

    BookDeltaChain chain(ctx);
    CommonColumns cols;
    while (in.next()) {
      const Instrument& inst = cols.instrument(r, ctx);
      cols.times(r, ctx);
      auto s = blankEvent<common::BookSnapshot>(inst, cols);
      chain.begin(inst, cols.exchangeTs, cols.receiveTs, 0, 0, 0,
                  common::BookDelta::kClearBook | common::BookDelta::kFromSnapshot);
      for (size_t i = 0; i < depth; ++i) {
        const size_t ask = kOwn + 4 * i, bid = ask + 2;  // price columns; amounts follow each
        if (r.present(ask)) {
          const common::BookLevel l{r.price(ask, inst), r.qty(ask + 1, inst)};
          chain.add(common::Side::Sell, l.price, l.qty);
          if (s.ask_count < common::BookSnapshot::kDepth) s.asks[s.ask_count++] = l;
        }
        if (r.present(bid)) {
          const common::BookLevel l{r.price(bid, inst), r.qty(bid + 1, inst)};
          chain.add(common::Side::Buy, l.price, l.qty);
          if (s.bid_count < common::BookSnapshot::kDepth) s.bids[s.bid_count++] = l;
        }
      }
      chain.finish();  // the book first, so the snapshot finds consumers' books already in step
      emitEvent(ctx, s.header);
    }
  }
};

// ---- tardis-incremental-l2 ----------------------------------------------------------------

class IncrementalL2Importer final : public IImporter {
 public:
  std::string name() const override { return "tardis-incremental-l2"; }
  std::string description() const override {
    return "Tardis incremental_book_L2 CSV (exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,"
           "amount) -> BookDelta";
  }
  void importFile(const std::string& path, ImportContext& ctx) override {
    enum : size_t { kIsSnapshot = kOwn, kSide, kPrice, kAmount };
    CsvReader in(path, ctx.stats);
    if (!readTardisHeader(in)) return;
    bindColumns(in, columnsWith({"is_snapshot", "side", "price", "amount"}));
    const CsvRow& r = in.row();
    CommonColumns cols;
    BookDeltaChain chain(ctx);
    // The open chain's key: one venue message (or one snapshot) of one instrument.
    common::InstrumentId groupInstrument = 0;
    bool groupSnapshot = false;
    TimestampNs groupExchangeTs = 0, groupReceiveTs = 0;
    while (in.next()) {
      const Instrument& inst = cols.instrument(r, ctx);
      cols.times(r, ctx);
      const bool snapshot = r.boolean(kIsSnapshot);
      const std::string_view side = r.text(kSide);
      if (side != "bid" && side != "ask") r.fail(kSide, std::string("'").append(side).append("' is not bid or ask"));
      if (!chain.open() || inst.id != groupInstrument || snapshot != groupSnapshot ||
          cols.exchangeTs != groupExchangeTs || cols.receiveTs != groupReceiveTs) {
        chain.begin(inst, cols.exchangeTs, cols.receiveTs, 0, 0, 0,
                    snapshot ? common::BookDelta::kClearBook | common::BookDelta::kFromSnapshot : 0);
        groupInstrument = inst.id;
        groupSnapshot = snapshot;
        groupExchangeTs = cols.exchangeTs;
        groupReceiveTs = cols.receiveTs;
      }
      chain.add(side == "bid" ? common::Side::Buy : common::Side::Sell, r.price(kPrice, inst), r.qty(kAmount, inst));
    }
    chain.finish();
  }
};

}  // namespace

std::vector<std::unique_ptr<IImporter>> makeTardisCsvImporters() {
  std::vector<std::unique_ptr<IImporter>> v;
  v.push_back(std::make_unique<TradesImporter>());
  v.push_back(std::make_unique<QuotesImporter>());
  v.push_back(std::make_unique<BookSnapshotImporter>());
  v.push_back(std::make_unique<IncrementalL2Importer>());
  return v;
}

}  // namespace hft::api
