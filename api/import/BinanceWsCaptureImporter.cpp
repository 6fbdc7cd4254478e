#include "api/import/BinanceWsCaptureImporter.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "api/exchanges/binance/BookSync.h"
#include "api/exchanges/binance/MarketDataParser.h"
#include "api/import/LineReader.h"
#include "common/Events.h"
#include "config/InstrumentRegistry.h"

namespace hft::api {

namespace {

using namespace binance;
using common::BookDelta;
using common::TimestampNs;

/// One depth stream (instrument) of the file and its sync state.
struct Book {
  Book(const config::Instrument& inst, Market m)
      : instrument(&inst), market(m), sync({exchangeOf(m), inst.id, m}) {}
  const config::Instrument* instrument;
  Market market;
  BookSync sync;
  uint64_t diffs = 0;          // depthUpdate lines seen
  uint64_t applied = 0;        // of those, published
  uint64_t snapshotLine = 0;   // line of the snapshot the book last synced on (0: never)
  uint64_t snapshotId = 0;
};

std::string bookName(const Book& b) {
  std::string s = b.instrument->venue_symbol;
  s.append(" (").append(common::toString(b.instrument->exchange)).append(")");
  return s;
}

/// Symbols through the registry. A REST snapshot names no symbol: it belongs to the one book of
/// its market waiting for a snapshot, or failing that the only book of its market.
class CaptureResolver final : public InstrumentResolver {
 public:
  CaptureResolver(const config::InstrumentRegistry& registry, const std::vector<std::unique_ptr<Book>>& books)
      : registry_(registry), books_(books) {}

  const config::Instrument* resolve(Market market, std::string_view symbol) noexcept override {
    if (!symbol.empty()) return registry_.byVenueSymbol(exchangeOf(market), symbol);
    const Book* waiting = nullptr;
    const Book* any = nullptr;
    waitingCount = anyCount = 0;
    for (const auto& b : books_) {
      if (b->market != market) continue;
      any = b.get();
      ++anyCount;
      if (b->sync.state() != BookSync::State::Synced) {
        waiting = b.get();
        ++waitingCount;
      }
    }
    if (waitingCount == 1) return waiting->instrument;
    if (waitingCount == 0 && anyCount == 1) return any->instrument;
    return nullptr;
  }
  int waitingCount = 0, anyCount = 0;  // of the last snapshot lookup, for the error message

 private:
  const config::InstrumentRegistry& registry_;
  const std::vector<std::unique_ptr<Book>>& books_;
};

/// `<symbol>@depth<N>...` is a partial-depth stream (top N each time), not a diff stream: its
/// payloads look like snapshots (spot) or diffs with their own pu chain (USD-M).
bool isPartialDepthStream(std::string_view stream) noexcept {
  const size_t at = stream.find("@depth");
  return at != std::string_view::npos && at + 6 < stream.size() && stream[at + 6] >= '0' && stream[at + 6] <= '9';
}

/// One file's import.
class CaptureRun {
 public:
  CaptureRun(const std::string& path, ImportContext& ctx)
      : ctx_(ctx), reader_(path), resolver_(ctx.instruments, books_), parser_(resolver_) {}

  void run() {
    std::string_view text;
    while (reader_.next(text)) line(text);
    finish();
  }

 private:
  [[noreturn]] void fail(const std::string& why) const { throw ImportError(reader_.path(), reader_.lineNumber(), why); }

  void emit(common::EventHeader& h) {
    ctx_.sink.emit(h);
    ++ctx_.stats.events;
    ++ctx_.stats.by_type[static_cast<uint16_t>(h.type)];
  }

  void line(std::string_view text) {
    ++ctx_.stats.lines;
    if (text.empty()) {
      ++ctx_.stats.skipped;
      return;
    }
    const size_t space = text.find(' ');
    if (space == std::string_view::npos) fail("expected '<receive_ns> <json>': no space in the line");
    const std::string_view prefix = text.substr(0, space);
    TimestampNs rx = 0;
    const auto [end, ec] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), rx);
    if (ec != std::errc() || end != prefix.data() + prefix.size() || prefix[0] == '-') {
      std::string why = "receive time \"";
      why.append(prefix.substr(0, 40)).append("\" is not an integer count of nanoseconds");
      fail(why);
    }

    const ParseResult r = parser_.parse(text.substr(space + 1));
    if (isPartialDepthStream(parser_.stream())) return skip(r);
    if (!r.ok()) fail(describe(r));

    TimestampNs exchangeTs = 0;
    switch (r.kind) {
      case MessageKind::Trade:
      case MessageKind::AggTrade: exchangeTs = onTrade(parser_.trade(), rx); break;
      case MessageKind::BookTicker: exchangeTs = onTicker(parser_.bookTicker(), rx); break;
      case MessageKind::DepthUpdate:
      case MessageKind::DepthSnapshot: exchangeTs = onDepth(parser_.depth(), rx); break;
      default: return skip(r);
    }
    if (exchangeTs != 0 && rx < exchangeTs) {
      ++ctx_.stats.clock_skew_lines;
      maxSkewNs_ = std::max(maxSkewNs_, exchangeTs - rx);
    }
  }

  TimestampNs onTrade(const ParsedTrade& p, TimestampNs rx) {
    const TimestampNs ts = p.event_ns != 0 ? p.event_ns : p.trade_ns;
    common::Trade t{};
    t.header = common::makeHeader<common::Trade>(exchangeOf(p.market), p.instrument->id, ts, rx);
    t.price = p.price;
    t.qty = p.qty;
    t.trade_id = p.trade_id;
    t.aggressor = p.aggressor;
    emit(t.header);
    return ts;
  }

  TimestampNs onTicker(const ParsedBookTicker& p, TimestampNs rx) {
    if (p.market == Market::Spot && !spotTickerNoted_) {
      spotTickerNoted_ = true;
      ctx_.stats.notes.emplace_back(
          "spot bookTicker carries no exchange time: its BestBidOffer events have exchange_ts_ns = 0");
    }
    common::BestBidOffer b{};
    b.header = common::makeHeader<common::BestBidOffer>(exchangeOf(p.market), p.instrument->id, p.event_ns, rx);
    b.bid_price = p.bid_price;
    b.bid_qty = p.bid_qty;
    b.ask_price = p.ask_price;
    b.ask_qty = p.ask_qty;
    b.update_id = p.update_id;
    emit(b.header);
    return p.event_ns;
  }

  Book& bookFor(const config::Instrument& inst, Market market) {
    for (auto& b : books_)
      if (b->instrument == &inst) return *b;
    return *books_.emplace_back(std::make_unique<Book>(inst, market));
  }

  TimestampNs onDepth(const ParsedDepth& d, TimestampNs rx) {
    Book& book = bookFor(*d.instrument, d.market);
    auto sink = [&](BookDelta& piece) {
      emit(piece.header);
      if (piece.flags & BookDelta::kContinuation) return;
      if (piece.flags & BookDelta::kFromSnapshot) emitTopOfSnapshot(d, rx);
      else ++book.applied;
    };
    const uint64_t line = reader_.lineNumber();
    if (!d.snapshot) {
      ++book.diffs;
      if (book.sync.onDiff(d, rx, sink) == BookSync::Result::Gap) onGap(book, d, rx);
      return d.event_ns;
    }
    const BookSync::Result res = book.sync.onSnapshot(d, rx, sink);
    std::string note = "line ";
    note.append(std::to_string(line)).append(": ").append(bookName(book)).append(" snapshot lastUpdateId=");
    note.append(std::to_string(d.last_update_id));
    switch (res) {
      case BookSync::Result::Gap:
        onGap(book, d, rx);
        [[fallthrough]];
      case BookSync::Result::Applied:
        book.snapshotLine = line;
        book.snapshotId = d.last_update_id;
        break;
      case BookSync::Result::SnapshotTooOld:
        ctx_.stats.notes.push_back(note.append(" predates the buffered diffs: not used"));
        break;
      default:
        ctx_.stats.notes.push_back(note.append(" is not newer than the book: not used"));
        break;
    }
    return d.event_ns;
  }

  void emitTopOfSnapshot(const ParsedDepth& d, TimestampNs rx) {
    using common::BookSnapshot;
    BookSnapshot s{};
    s.header = common::makeHeader<BookSnapshot>(exchangeOf(d.market), d.instrument->id, d.event_ns, rx);
    s.last_update_id = d.last_update_id;
    s.bid_count = static_cast<uint16_t>(std::min<size_t>(d.bids.size(), BookSnapshot::kDepth));
    s.ask_count = static_cast<uint16_t>(std::min<size_t>(d.asks.size(), BookSnapshot::kDepth));
    std::copy_n(d.bids.begin(), s.bid_count, s.bids);  // venue order: best first
    std::copy_n(d.asks.begin(), s.ask_count, s.asks);
    emit(s.header);
  }

  void onGap(const Book& book, const ParsedDepth& d, TimestampNs rx) {
    common::Gap g{};
    g.header = common::makeHeader<common::Gap>(exchangeOf(d.market), d.instrument->id, d.event_ns, rx);
    g.lost_count = 0;  // unknown: update ids do not count messages
    g.reason = common::GapReason::FeedSequenceGap;
    emit(g.header);
    std::string note = "line ";
    note.append(std::to_string(reader_.lineNumber())).append(": ").append(bookName(book));
    if (d.snapshot) {
      note.append(" depth updates buffered before the snapshot (lastUpdateId=");
      note.append(std::to_string(d.last_update_id)).append(") are not contiguous");
    } else {
      note.append(" depth update ids not contiguous (U=").append(std::to_string(d.first_update_id));
      note.append(" u=").append(std::to_string(d.last_update_id));
      if (d.market == Market::UsdM) note.append(" pu=").append(std::to_string(d.prev_update_id));
      note.append(")");
    }
    note.append(": Gap emitted; the book waits for the next snapshot");
    ctx_.stats.notes.push_back(std::move(note));
  }

  void skip(const ParseResult& r) {
    ++ctx_.stats.skipped;
    // One note per stream (or event type when unwrapped); the name is built only the first time.
    const std::string_view name = !parser_.stream().empty() ? parser_.stream() : parser_.eventType();
    if (std::find(skippedNames_.begin(), skippedNames_.end(), name) != skippedNames_.end()) return;
    skippedNames_.emplace_back(name);
    std::string note = "skipped ";
    if (!parser_.stream().empty()) note.append("stream \"").append(name).append("\"");
    else if (!name.empty()) note.append("event \"").append(name).append("\"");
    else note.append(r.kind == MessageKind::Other ? "messages without stream or event type" : toString(r.kind));
    note.append(" (first at line ").append(std::to_string(reader_.lineNumber()));
    note.append("): not a stream this importer reads");
    ctx_.stats.notes.push_back(std::move(note));
  }

  std::string describe(const ParseResult& r) const {
    std::string why;
    if (r.status == Status::InvalidJson) return "invalid JSON after the receive time";
    if (r.status == Status::TooLarge) return "message too large to parse";
    why.append(toString(r.kind)).append(" message: ");
    if (r.status == Status::UnknownSymbol) {
      if (r.kind != MessageKind::DepthSnapshot) {
        why.append("unknown symbol \"").append(parser_.symbol()).append("\" on ");
        why.append(common::toString(exchangeOf(r.market))).append(": add it to config/instruments.json");
        return why;
      }
      why.append("a REST snapshot names no symbol and ");
      why.append(resolver_.anyCount == 0 ? "no depth stream of its market came before it"
                                         : "several depth streams of its market could own it");
      return why;
    }
    const std::string field = std::string("\"").append(r.field).append("\"");
    switch (r.status) {
      case Status::MissingField: why.append("missing field ").append(field); break;
      case Status::WrongType: why.append("field ").append(field).append(" has the wrong JSON type"); break;
      case Status::BadNumber:
        why.append("bad number in field ").append(field).append(": ");
        if (r.number == common::ParseStatus::Ok) {
          why.append("not an unsigned integer in range");
          break;
        }
        why.append(common::toString(r.number)).append(" \"").append(r.value).append("\"");
        if (const config::Instrument* in = ctx_.instruments.byVenueSymbol(exchangeOf(r.market), parser_.symbol())) {
          why.append(" (").append(in->venue_symbol).append(" on ").append(common::toString(in->exchange));
          why.append(": price_scale ").append(std::to_string(in->price_scale)).append(", qty_scale ");
          why.append(std::to_string(in->qty_scale)).append(" in config/instruments.json)");
          return why;
        }
        break;
      case Status::BadLevel: why.append("field ").append(field).append(": a level is not [\"price\",\"qty\"]"); break;
      case Status::TooManyLevels: why.append("field ").append(field).append(" has too many levels"); break;
      default: why.append(toString(r.status)); break;
    }
    if (!parser_.symbol().empty()) why.append(" (symbol ").append(parser_.symbol()).append(")");
    return why;
  }

  void finish() {
    for (const auto& b : books_) {
      std::string note = bookName(*b);
      if (b->snapshotLine == 0) {
        note.append(": no snapshot synced the depth stream; none of its ").append(std::to_string(b->diffs));
        note.append(" diffs were emitted");
      } else {
        note.append(": depth synced on the snapshot at line ").append(std::to_string(b->snapshotLine));
        note.append(" (lastUpdateId=").append(std::to_string(b->snapshotId)).append("); ");
        note.append(std::to_string(b->applied)).append(" of ").append(std::to_string(b->diffs));
        note.append(" diffs applied");
      }
      ctx_.stats.notes.push_back(std::move(note));
    }
    if (ctx_.stats.clock_skew_lines != 0) {
      std::string note = std::to_string(ctx_.stats.clock_skew_lines);
      note.append(" lines were received before their exchange time (the collector's clock is behind the venue's "
                  "by up to ");
      note.append(std::to_string(maxSkewNs_ / 1'000'000)).append(" ms): kept as recorded");
      ctx_.stats.notes.push_back(std::move(note));
    }
  }

  ImportContext& ctx_;
  LineReader reader_;
  std::vector<std::unique_ptr<Book>> books_;
  CaptureResolver resolver_;
  MarketDataParser parser_;
  std::vector<std::string> skippedNames_;
  bool spotTickerNoted_ = false;
  TimestampNs maxSkewNs_ = 0;
};

}  // namespace

std::string BinanceWsCaptureImporter::description() const {
  return "Binance spot/USD-M WebSocket capture, '<receive_ns> <json>' per line (hftbacktest collector): "
         "trade, aggTrade, bookTicker, depthUpdate + REST snapshot";
}

void BinanceWsCaptureImporter::importFile(const std::string& path, ImportContext& ctx) {
  CaptureRun(path, ctx).run();
}

std::unique_ptr<IImporter> makeBinanceWsCaptureImporter() { return std::make_unique<BinanceWsCaptureImporter>(); }

}  // namespace hft::api
