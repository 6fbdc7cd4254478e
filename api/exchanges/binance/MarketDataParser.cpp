#include "api/exchanges/binance/MarketDataParser.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>

#include "config/InstrumentRegistry.h"
#include "api/exchanges/shared/PaddedJson.h"

namespace hft::api::binance {

namespace od = simdjson::ondemand;
using common::BookLevel;
using common::ParseStatus;

const char* toString(MessageKind k) noexcept {
  switch (k) {
    case MessageKind::None: return "none";
    case MessageKind::Trade: return "trade";
    case MessageKind::AggTrade: return "aggTrade";
    case MessageKind::BookTicker: return "bookTicker";
    case MessageKind::DepthUpdate: return "depthUpdate";
    case MessageKind::DepthSnapshot: return "depth snapshot";
    case MessageKind::Other: return "other";
  }
  return "unknown";
}

const char* toString(Status s) noexcept {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::InvalidJson: return "invalid JSON";
    case Status::MissingField: return "missing field";
    case Status::WrongType: return "wrong JSON type";
    case Status::BadNumber: return "bad number";
    case Status::BadLevel: return "bad depth level (expected [\"price\",\"qty\"])";
    case Status::TooManyLevels: return "too many depth levels";
    case Status::UnknownSymbol: return "unknown symbol";
    case Status::TooLarge: return "message too large";
  }
  return "unknown";
}

namespace {

/// The keys we read. Binance reuses letters across events with different types ("a" is the
/// aggTrade id, the bookTicker ask price and the depth ask levels), so such a key fills the
/// slot matching the JSON type it has, and the message kind decides which slot it needs.
enum Key : uint8_t {
  kEvent, kEventTime, kTxTime, kSymbol, kTradeId, kPrice, kQty, kMaker, kSpotOnly, kAggId,
  kAskPrice, kAskQty, kAskLevels, kBidPrice, kBidQty, kBidLevels, kFirstTrade, kLastTrade,
  kFirstUpdate, kLastUpdate, kPrevUpdate, kSnapshotId, kKeyCount
};

/// What one pass over the fields found. A slot's status is MissingField until the key is
/// seen, Ok when it held the expected type, else why not; the message kind, known only after
/// the pass, decides which slots must be Ok.
struct Scan {
  Status st[kKeyCount];
  std::string_view str[kKeyCount];
  uint64_t num[kKeyCount];
  bool maker;
  size_t levels[2];  // bids, asks: pairs of text views in Impl::text
  std::string_view stream;

  void reset() noexcept {
    std::fill(std::begin(st), std::end(st), Status::MissingField);
    levels[0] = levels[1] = 0;
    stream = {};
  }
  bool present(Key k) const noexcept { return st[k] != Status::MissingField; }
  std::string_view text(Key k) const noexcept { return st[k] == Status::Ok ? str[k] : std::string_view{}; }
};

constexpr int64_t kNsPerMs = 1'000'000;

}  // namespace

struct MarketDataParser::Impl {
  od::parser json;
  std::unique_ptr<char[]> buf;  // message copy + SIMDJSON_PADDING
  size_t bufCap = 0;
  size_t maxLevels;
  std::unique_ptr<std::string_view[]> text[2];  // bids, asks: price and qty text of each level
  std::unique_ptr<BookLevel[]> level[2];        // bids, asks: converted
  Scan scan{};

  explicit Impl(const ParserLimits& limits) : maxLevels(limits.maxLevelsPerSide) {
    for (int side = 0; side < 2; ++side) {
      text[side] = std::make_unique<std::string_view[]>(2 * maxLevels);
      level[side] = std::make_unique<BookLevel[]>(maxLevels);
    }
    if (!reserve(limits.initialMessageBytes)) throw std::bad_alloc();
  }

  /// Grows (cold) so a message of `len` bytes fits; doubling keeps growth rare.
  bool reserve(size_t len) noexcept {
    return shared::reservePadded(buf, bufCap, json, len);
  }

  /// The text of a string holding a decimal, read in place between its quotes. get_string()
  /// would copy (unescape) it into simdjson's string buffer: a sixth of the time of a 20+20
  /// depth update. Decimals never need escapes; one that has them keeps the backslash and
  /// fails parseDecimal (BadNumber) instead of being unescaped. INCORRECT_TYPE when not a string.
  static simdjson::error_code decimalText(od::value v, std::string_view& out) noexcept {
    // From the opening quote up to the next structural character: the closing quote is the
    // last '"' in it (whitespace may follow; an escaped quote inside comes before it).
    const std::string_view token = v.raw_json_token();
    od::raw_json_string raw;
    if (auto e = v.get_raw_json_string().get(raw)) return e;  // checks the type, moves past the value
    size_t close = token.size();
    while (close > 1 && token[close - 1] != '"') --close;
    if (close < 2) return simdjson::STRING_ERROR;
    out = token.substr(1, close - 2);
    return simdjson::SUCCESS;
  }

  simdjson::error_code scanObject(od::object obj, bool top) noexcept;
  simdjson::error_code scanField(std::string_view key, od::value v, bool top) noexcept;
  simdjson::error_code readLevels(od::value v, Key k, int side) noexcept;

  void readString(od::value v, Key k) noexcept {
    scan.st[k] = v.get_string().get(scan.str[k]) == simdjson::SUCCESS ? Status::Ok : Status::WrongType;
  }
  void readDecimal(od::value v, Key k) noexcept {
    scan.st[k] = decimalText(v, scan.str[k]) == simdjson::SUCCESS ? Status::Ok : Status::WrongType;
  }
  void readUint(od::value v, Key k) noexcept {
    if (v.get_uint64().get(scan.num[k]) == simdjson::SUCCESS) {
      scan.st[k] = Status::Ok;
      return;
    }
    // A negative, fractional or too large number is a bad number; a string is the wrong type.
    od::json_type t;
    scan.st[k] = v.type().get(t) == simdjson::SUCCESS && t == od::json_type::number ? Status::BadNumber
                                                                                     : Status::WrongType;
  }
};

simdjson::error_code MarketDataParser::Impl::scanObject(od::object obj, bool top) noexcept {
  for (auto field : obj) {
    // The key in place, up to its closing quote: unescaped_key() would copy it into simdjson's
    // string buffer (a tenth of the time of a trade message). Only a key with an escape, which
    // Binance never sends, takes that path.
    od::raw_json_string raw;
    if (auto e = field.key().get(raw)) return e;
    const char* k = raw.raw();
    size_t n = 0;
    while (k[n] != '"' && k[n] != '\\') ++n;  // stage 1 validated the string: a quote ends it
    std::string_view key(k, n);
    if (k[n] == '\\')
      if (auto e = field.unescaped_key().get(key)) return e;
    od::value v;
    if (auto e = field.value().get(v)) return e;
    if (auto e = scanField(key, v, top)) return e;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code MarketDataParser::Impl::scanField(std::string_view key, od::value v, bool top) noexcept {
  if (key.size() == 1) {
    switch (key[0]) {
      case 'e': readString(v, kEvent); return simdjson::SUCCESS;
      case 'E': readUint(v, kEventTime); return simdjson::SUCCESS;
      case 'T': readUint(v, kTxTime); return simdjson::SUCCESS;
      case 's': readString(v, kSymbol); return simdjson::SUCCESS;
      case 't': readUint(v, kTradeId); return simdjson::SUCCESS;
      case 'p': readDecimal(v, kPrice); return simdjson::SUCCESS;
      case 'q': readDecimal(v, kQty); return simdjson::SUCCESS;
      case 'm': scan.st[kMaker] = v.get_bool().get(scan.maker) == simdjson::SUCCESS ? Status::Ok : Status::WrongType;
                return simdjson::SUCCESS;
      case 'M': scan.st[kSpotOnly] = Status::Ok; return simdjson::SUCCESS;  // its presence is what counts
      case 'A': readDecimal(v, kAskQty); return simdjson::SUCCESS;
      case 'B': readDecimal(v, kBidQty); return simdjson::SUCCESS;
      case 'f': readUint(v, kFirstTrade); return simdjson::SUCCESS;
      case 'l': readUint(v, kLastTrade); return simdjson::SUCCESS;
      case 'U': readUint(v, kFirstUpdate); return simdjson::SUCCESS;
      case 'u': readUint(v, kLastUpdate); return simdjson::SUCCESS;
      case 'a':
      case 'b': {
        // "a": aggTrade id (number), bookTicker ask (string), depth asks (array); "b" likewise
        // minus the id (a number there is the legacy trade's buyer order id: ignored).
        const bool ask = key[0] == 'a';
        const Key num = kAggId, price = ask ? kAskPrice : kBidPrice, levels = ask ? kAskLevels : kBidLevels;
        od::json_type t;
        if (auto e = v.type().get(t)) return e;
        if (ask) scan.st[num] = Status::WrongType;
        scan.st[price] = scan.st[levels] = Status::WrongType;
        if (t == od::json_type::array) return readLevels(v, levels, ask ? 1 : 0);
        if (t == od::json_type::string) readDecimal(v, price);
        if (t == od::json_type::number && ask) readUint(v, num);
        return simdjson::SUCCESS;
      }
      default: return simdjson::SUCCESS;
    }
  }
  if (key == "pu") readUint(v, kPrevUpdate);
  else if (key == "lastUpdateId") readUint(v, kSnapshotId);
  else if (key == "bids") return readLevels(v, kBidLevels, 0);
  else if (key == "asks") return readLevels(v, kAskLevels, 1);
  else if (top && key == "stream") {
    if (v.get_string().get(scan.stream) != simdjson::SUCCESS) scan.stream = {};
  }
  else if (top && key == "data") {
    od::object inner;
    if (v.get_object().get(inner) == simdjson::SUCCESS) return scanObject(inner, false);
  }
  return simdjson::SUCCESS;
}

/// Keeps the [price, qty] text of each level; conversion waits until the instrument (and so
/// the scales) is known. A bad level is remembered in the slot, and the array is still walked
/// to its end so that the JSON after it is read.
simdjson::error_code MarketDataParser::Impl::readLevels(od::value v, Key k, int side) noexcept {
  od::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) {
    scan.st[k] = Status::WrongType;
    return simdjson::SUCCESS;
  }
  Status st = Status::Ok;
  size_t n = 0;
  std::string_view* out = text[side].get();
  for (auto element : arr) {
    od::array pair;
    if (auto e = element.get_array().get(pair)) {
      if (e != simdjson::INCORRECT_TYPE) return e;
      st = Status::BadLevel;
      continue;
    }
    std::string_view px, qty;
    size_t i = 0;
    for (auto item : pair) {
      std::string_view s;
      od::value itemValue;
      if (auto e = item.get(itemValue)) return e;
      if (auto e = decimalText(itemValue, s)) {
        if (e != simdjson::INCORRECT_TYPE) return e;
        st = Status::BadLevel;
      }
      if (i == 0) px = s;
      else if (i == 1) qty = s;
      ++i;  // entries after the second are ignored (old APIs had a third)
    }
    if (i < 2) st = Status::BadLevel;
    if (st != Status::Ok) continue;
    if (n == maxLevels) {
      st = Status::TooManyLevels;
      continue;
    }
    out[2 * n] = px;
    out[2 * n + 1] = qty;
    ++n;
  }
  scan.st[k] = st;
  scan.levels[side] = n;
  return simdjson::SUCCESS;
}

MarketDataParser::MarketDataParser(InstrumentResolver& resolver, ParserLimits limits)
    : resolver_(resolver), impl_(std::make_unique<Impl>(limits)) {}

MarketDataParser::~MarketDataParser() = default;

std::string_view MarketDataParser::stream() const noexcept { return impl_->scan.stream; }
std::string_view MarketDataParser::eventType() const noexcept { return impl_->scan.text(kEvent); }
std::string_view MarketDataParser::symbol() const noexcept { return impl_->scan.text(kSymbol); }

ParseResult MarketDataParser::parse(std::string_view message) noexcept {
  Impl& im = *impl_;
  im.scan.reset();
  ParseResult failed;
  if (!im.reserve(message.size())) {
    failed.status = Status::TooLarge;
    return failed;
  }
  std::memcpy(im.buf.get(), message.data(), message.size());
  std::memset(im.buf.get() + message.size(), 0, simdjson::SIMDJSON_PADDING);  // simdjson reads into it

  od::document doc;
  od::object root;
  if (im.json.iterate(im.buf.get(), message.size(), im.bufCap).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(root) != simdjson::SUCCESS || im.scanObject(root, true) != simdjson::SUCCESS ||
      doc.current_location().error() == simdjson::SUCCESS) {  // something after the object
    failed.status = Status::InvalidJson;
    return failed;
  }
  return classifyAndConvert();
}

namespace {

/// Decides the kind and market from which keys were present (see MarketDataParser.h).
MessageKind classify(const Scan& s, Market& market) noexcept {
  const std::string_view e = s.text(kEvent);
  MessageKind kind = MessageKind::Other;
  if (e == "trade") kind = MessageKind::Trade;
  else if (e == "aggTrade") kind = MessageKind::AggTrade;
  else if (e == "depthUpdate") kind = MessageKind::DepthUpdate;
  else if (e == "bookTicker") kind = MessageKind::BookTicker;
  else if (s.present(kEvent)) kind = MessageKind::Other;
  else if (s.present(kSnapshotId)) kind = MessageKind::DepthSnapshot;
  else if (s.present(kLastUpdate) && s.present(kSymbol)) kind = MessageKind::BookTicker;  // spot: no e/E/T

  switch (kind) {
    case MessageKind::Trade:
    case MessageKind::AggTrade: market = s.present(kSpotOnly) ? Market::Spot : Market::UsdM; break;
    case MessageKind::BookTicker: market = s.present(kEvent) ? Market::UsdM : Market::Spot; break;
    case MessageKind::DepthUpdate: market = s.present(kPrevUpdate) ? Market::UsdM : Market::Spot; break;
    case MessageKind::DepthSnapshot:
      market = s.present(kEventTime) || s.present(kTxTime) ? Market::UsdM : Market::Spot;
      break;
    default: break;
  }
  return kind;
}

/// Field checks and conversions for one message; the first failure sticks in `r`.
struct Converter {
  const Scan& s;
  ParseResult& r;

  bool fail(Status st, const char* field, ParseStatus number = ParseStatus::Ok, std::string_view value = {}) noexcept {
    r.status = st;
    r.field = field;
    r.number = number;
    r.value = value;
    return false;
  }
  bool need(Key k, const char* name) noexcept { return s.st[k] == Status::Ok || fail(s.st[k], name); }
  /// Absent is fine (the value is 0); present must be valid.
  bool optional(Key k, const char* name) noexcept { return !s.present(k) || need(k, name); }
  uint64_t num(Key k) const noexcept { return s.st[k] == Status::Ok ? s.num[k] : 0; }
  bool decimal(Key k, const char* name, int scale, int64_t& out) noexcept {
    const ParseStatus ps = common::parseDecimal(s.str[k], scale, out);
    return ps == ParseStatus::Ok || fail(Status::BadNumber, name, ps, s.str[k]);
  }
  /// Binance times are ms; the bus wants ns. 0 when absent.
  bool timeNs(Key k, const char* name, common::TimestampNs& out) noexcept {
    if (!optional(k, name)) return false;
    const uint64_t ms = num(k);
    if (ms > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() / kNsPerMs))
      return fail(Status::BadNumber, name, ParseStatus::Overflow);
    out = static_cast<common::TimestampNs>(ms) * kNsPerMs;
    return true;
  }
  bool levels(const std::string_view* text, size_t n, const config::Instrument& inst, const char* name,
              BookLevel* out) noexcept {
    for (size_t i = 0; i < n; ++i)
      if (!decimal(text, 2 * i, inst.price_scale, name, out[i].price) ||
          !decimal(text, 2 * i + 1, inst.qty_scale, name, out[i].qty))
        return false;
    return true;
  }
  bool decimal(const std::string_view* text, size_t i, int scale, const char* name, int64_t& out) noexcept {
    const ParseStatus ps = common::parseDecimal(text[i], scale, out);
    return ps == ParseStatus::Ok || fail(Status::BadNumber, name, ps, text[i]);
  }
};

}  // namespace

ParseResult MarketDataParser::classifyAndConvert() noexcept {
  const Scan& s = impl_->scan;
  ParseResult r;
  r.kind = classify(s, r.market);
  const Market market = r.market;
  Converter c{s, r};

  // Which fields each kind needs, checked before the symbol is looked up.
  const bool snapshot = r.kind == MessageKind::DepthSnapshot;
  bool fieldsOk = true;
  switch (r.kind) {
    case MessageKind::Trade:
      fieldsOk = c.need(kSymbol, "s") && c.need(kTradeId, "t") && c.need(kPrice, "p") && c.need(kQty, "q") &&
                 c.need(kTxTime, "T") && c.need(kMaker, "m");
      break;
    case MessageKind::AggTrade:
      fieldsOk = c.need(kSymbol, "s") && c.need(kAggId, "a") && c.need(kPrice, "p") && c.need(kQty, "q") &&
                 c.need(kFirstTrade, "f") && c.need(kLastTrade, "l") && c.need(kTxTime, "T") && c.need(kMaker, "m");
      break;
    case MessageKind::BookTicker:
      fieldsOk = c.need(kLastUpdate, "u") && c.need(kSymbol, "s") && c.need(kBidPrice, "b") &&
                 c.need(kBidQty, "B") && c.need(kAskPrice, "a") && c.need(kAskQty, "A");
      break;
    case MessageKind::DepthUpdate:
      fieldsOk = c.need(kSymbol, "s") && c.need(kFirstUpdate, "U") && c.need(kLastUpdate, "u") &&
                 c.optional(kPrevUpdate, "pu") && c.need(kBidLevels, "b") && c.need(kAskLevels, "a");
      break;
    case MessageKind::DepthSnapshot:
      fieldsOk = c.need(kSnapshotId, "lastUpdateId") && c.need(kBidLevels, "bids") && c.need(kAskLevels, "asks");
      break;
    default: return r;  // Other: nothing to convert
  }
  if (!fieldsOk) return r;

  const config::Instrument* inst = resolver_.resolve(market, snapshot ? std::string_view{} : s.str[kSymbol]);
  if (inst == nullptr) {
    c.fail(Status::UnknownSymbol, snapshot ? "" : "s");
    return r;
  }
  const int ps = inst->price_scale, qs = inst->qty_scale;

  switch (r.kind) {
    case MessageKind::Trade:
    case MessageKind::AggTrade: {
      ParsedTrade& t = trade_;
      t.instrument = inst;
      t.market = market;
      t.aggregate = r.kind == MessageKind::AggTrade;
      t.aggressor = s.maker ? common::Side::Sell : common::Side::Buy;
      t.trade_id = t.aggregate ? s.num[kAggId] : s.num[kTradeId];
      t.first_trade_id = t.aggregate ? s.num[kFirstTrade] : t.trade_id;
      t.last_trade_id = t.aggregate ? s.num[kLastTrade] : t.trade_id;
      (void)(c.decimal(kPrice, "p", ps, t.price) && c.decimal(kQty, "q", qs, t.qty) &&
             c.timeNs(kEventTime, "E", t.event_ns) && c.timeNs(kTxTime, "T", t.trade_ns));
      break;
    }
    case MessageKind::BookTicker: {
      ParsedBookTicker& b = ticker_;
      b.instrument = inst;
      b.market = market;
      b.update_id = s.num[kLastUpdate];
      (void)(c.decimal(kBidPrice, "b", ps, b.bid_price) && c.decimal(kBidQty, "B", qs, b.bid_qty) &&
             c.decimal(kAskPrice, "a", ps, b.ask_price) && c.decimal(kAskQty, "A", qs, b.ask_qty) &&
             c.timeNs(kEventTime, "E", b.event_ns) && c.timeNs(kTxTime, "T", b.transaction_ns));
      break;
    }
    default: {  // DepthUpdate, DepthSnapshot
      ParsedDepth& d = depth_;
      Impl& im = *impl_;
      d.instrument = inst;
      d.market = market;
      d.snapshot = snapshot;
      d.first_update_id = snapshot ? s.num[kSnapshotId] : s.num[kFirstUpdate];
      d.last_update_id = snapshot ? s.num[kSnapshotId] : s.num[kLastUpdate];
      d.prev_update_id = c.num(kPrevUpdate);
      d.bids = {im.level[0].get(), s.levels[0]};
      d.asks = {im.level[1].get(), s.levels[1]};
      (void)(c.timeNs(kEventTime, "E", d.event_ns) && c.timeNs(kTxTime, "T", d.transaction_ns) &&
             c.levels(im.text[0].get(), s.levels[0], *inst, snapshot ? "bids" : "b", im.level[0].get()) &&
             c.levels(im.text[1].get(), s.levels[1], *inst, snapshot ? "asks" : "a", im.level[1].get()));
      break;
    }
  }
  return r;
}

}  // namespace hft::api::binance
