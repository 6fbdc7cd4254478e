#include "api/exchanges/upbit/MarketDataParser.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <utility>

#include "api/exchanges/shared/JsonDecimal.h"
#include "config/InstrumentRegistry.h"
#include "api/exchanges/shared/PaddedJson.h"

namespace hft::api::upbit {

namespace od = simdjson::ondemand;
using common::BookLevel;
using common::ParseStatus;

const char* toString(MessageKind k) noexcept {
  switch (k) {
    case MessageKind::None: return "none";
    case MessageKind::Trade: return "trade";
    case MessageKind::Orderbook: return "orderbook";
    case MessageKind::Ticker: return "ticker";
    case MessageKind::Error: return "error";
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
    case Status::BadValue: return "unknown enum value";
    case Status::UnknownSymbol: return "unknown market code";
    case Status::TooManyLevels: return "too many orderbook units";
    case Status::TooLarge: return "message too large";
  }
  return "unknown";
}

namespace {

/// The keys we read, each with its DEFAULT and SIMPLE spelling.
enum Key : uint8_t {
  kType, kCode, kTimestamp, kStreamType, kTradePrice, kTradeVolume, kAskBid, kTradeTimestamp, kSeqId,
  kBestAskPrice, kBestAskSize, kBestBidPrice, kBestBidSize, kOpen, kHigh, kLow, kUnits, kLevel, kError, kKeyCount
};
enum class Form : uint8_t { String, Decimal, Uint, Units, Error };
struct KeyInfo {
  std::string_view full;    // literals: data() is NUL-terminated, so it doubles as a C string
  std::string_view simple;
  Form form;
};
constexpr KeyInfo kKeys[kKeyCount] = {
    {"type", "ty", Form::String},
    {"code", "cd", Form::String},
    {"timestamp", "tms", Form::Uint},
    {"stream_type", "st", Form::String},
    {"trade_price", "tp", Form::Decimal},
    {"trade_volume", "tv", Form::Decimal},
    {"ask_bid", "ab", Form::String},
    {"trade_timestamp", "ttms", Form::Uint},
    {"sequential_id", "sid", Form::Uint},
    {"best_ask_price", "bap", Form::Decimal},
    {"best_ask_size", "bas", Form::Decimal},
    {"best_bid_price", "bbp", Form::Decimal},
    {"best_bid_size", "bbs", Form::Decimal},
    {"opening_price", "op", Form::Decimal},
    {"high_price", "hp", Form::Decimal},
    {"low_price", "lp", Form::Decimal},
    {"orderbook_units", "obu", Form::Units},
    {"level", "lv", Form::Decimal},
    {"error", "error", Form::Error},
};

/// Orderbook unit members, in the order of Impl::unitText's groups of four.
enum Unit : uint8_t { kAskPrice, kBidPrice, kAskSize, kBidSize, kUnitCount };
constexpr std::string_view kUnitFull[kUnitCount] = {"ask_price", "bid_price", "ask_size", "bid_size"};
constexpr std::string_view kUnitSimple[kUnitCount] = {"ap", "bp", "as", "bs"};

/// Keys grouped by length, built at compile time: a lookup compares only same-length names.
struct KeysOfLength {
  uint8_t count = 0;
  uint8_t key[12] = {};
  bool simple[12] = {};
};
constexpr size_t kMaxKeyLength = 16;
constexpr std::array<KeysOfLength, kMaxKeyLength + 1> buildKeyIndex() {
  std::array<KeysOfLength, kMaxKeyLength + 1> index{};
  for (uint8_t k = 0; k < kKeyCount; ++k) {
    for (int form = 0; form < 2; ++form) {
      const std::string_view name = form == 0 ? kKeys[k].full : kKeys[k].simple;
      if (form == 1 && name == kKeys[k].full) continue;  // "error" has one spelling
      KeysOfLength& slot = index[name.size()];
      slot.key[slot.count] = k;
      slot.simple[slot.count] = form == 1;
      ++slot.count;
    }
  }
  return index;
}
constexpr auto kKeyIndex = buildKeyIndex();
static_assert([] {
  for (const auto& slot : kKeyIndex)
    if (slot.count > 12) return false;
  return true;
}(), "KeysOfLength holds at most 12 names of one length");

bool findKey(std::string_view key, Key& out, bool& simple) noexcept {
  if (key.size() > kMaxKeyLength) return false;
  const KeysOfLength& slot = kKeyIndex[key.size()];
  for (uint8_t i = 0; i < slot.count; ++i) {
    const KeyInfo& info = kKeys[slot.key[i]];
    if (key == (slot.simple[i] ? info.simple : info.full)) {
      out = static_cast<Key>(slot.key[i]);
      simple = slot.simple[i];
      return true;
    }
  }
  if (key == "market") {  // the 2018-era ticker's name for code
    out = kCode;
    simple = false;
    return true;
  }
  return false;
}

constexpr int64_t kNsPerMs = 1'000'000;

/// One pass over an object's fields: a slot's status is MissingField until the key is seen.
struct Scan {
  Status st[kKeyCount];
  std::string_view text[kKeyCount];  // string value, or a number's raw token
  uint64_t num[kKeyCount];
  uint32_t off[kKeyCount];
  const char* seenName[kKeyCount];
  uint32_t objectOffset;
  bool simple;  // an abbreviated key was seen: name missing keys the SIMPLE way
  std::string_view errorName;
  // orderbook units
  size_t units;
  Status unitStatus;
  size_t unitFailIndex;
  uint8_t unitFailMember;
  uint32_t unitFailOffset;

  void reset() noexcept {
    std::fill(std::begin(st), std::end(st), Status::MissingField);
    simple = false;
    errorName = {};
    units = 0;
    unitStatus = Status::Ok;
  }
  bool present(Key k) const noexcept { return st[k] != Status::MissingField; }
  std::string_view str(Key k) const noexcept { return st[k] == Status::Ok ? text[k] : std::string_view{}; }
};

}  // namespace

struct MarketDataParser::Impl {
  od::parser json;
  std::unique_ptr<char[]> buf;  // frame copy + SIMDJSON_PADDING
  size_t bufCap = 0;
  size_t maxLevels;
  std::unique_ptr<std::string_view[]> unitText;  // 4 per unit (Unit order)
  std::unique_ptr<uint32_t[]> unitOff;
  std::unique_ptr<BookLevel[]> level[2];  // bids, asks
  Scan scan{};
  char fieldBuf[64] = {};
  std::string_view lastType, lastCode, lastError;

  explicit Impl(const ParserLimits& limits) : maxLevels(limits.maxLevelsPerSide) {
    unitText = std::make_unique<std::string_view[]>(kUnitCount * maxLevels);
    unitOff = std::make_unique<uint32_t[]>(kUnitCount * maxLevels);
    level[0] = std::make_unique<BookLevel[]>(maxLevels);
    level[1] = std::make_unique<BookLevel[]>(maxLevels);
    if (!reserve(limits.initialMessageBytes)) throw std::bad_alloc();
  }

  bool reserve(size_t len) noexcept {
    return shared::reservePadded(buf, bufCap, json, len);
  }

  uint32_t offsetOf(const char* p) const noexcept { return static_cast<uint32_t>(p - buf.get()); }
  /// The key's text as it stands in the message, without unescaping (a call into simdjson's
  /// string parser per key was a third of the parse). Keys we read have no escapes; a key
  /// with one just matches nothing.
  std::string_view rawKey(od::field& f) const noexcept {
    const char* p = f.key().raw();
    const char* end = buf.get() + bufCap;
    const void* q = std::memchr(p, '"', static_cast<size_t>(end - p));
    return q == nullptr ? std::string_view{} : std::string_view(p, static_cast<size_t>(static_cast<const char*>(q) - p));
  }
  uint32_t offsetOf(od::value& v) noexcept {
    return offsetOf(v.raw_json_token().data());
  }

  simdjson::error_code scanObject(od::object obj) noexcept;
  simdjson::error_code scanUnits(od::value& v) noexcept;
  simdjson::error_code scanError(od::value& v) noexcept;

  void readNumberToken(od::value& v, Key k) noexcept {
    od::json_type t;
    if (v.type().get(t) != simdjson::SUCCESS || t != od::json_type::number) {
      scan.st[k] = Status::WrongType;
      scan.text[k] = v.raw_json_token();  // what was there instead, for the error
      return;
    }
    scan.st[k] = Status::Ok;
    scan.text[k] = v.raw_json_token();
  }
};

simdjson::error_code MarketDataParser::Impl::scanObject(od::object obj) noexcept {
  for (auto result : obj) {
    od::field field;
    if (auto e = std::move(result).get(field)) return e;
    const std::string_view key = rawKey(field);
    od::value& v = field.value();
    Key k;
    bool simpleKey = false;
    if (!findKey(key, k, simpleKey)) continue;
    if (simpleKey && k != kError) scan.simple = true;
    scan.seenName[k] = simpleKey ? kKeys[k].simple.data() : kKeys[k].full.data();
    scan.off[k] = offsetOf(v);
    switch (kKeys[k].form) {
      case Form::String:
        if (v.get_string().get(scan.text[k]) == simdjson::SUCCESS) {
          scan.st[k] = Status::Ok;
        } else {
          scan.st[k] = Status::WrongType;
          scan.text[k] = v.raw_json_token();  // what was there instead, for the error
        }
        break;
      case Form::Decimal: readNumberToken(v, k); break;
      case Form::Uint:
        if (v.get_uint64().get(scan.num[k]) == simdjson::SUCCESS) {
          scan.st[k] = Status::Ok;
        } else {
          od::json_type t;
          scan.st[k] = v.type().get(t) == simdjson::SUCCESS && t == od::json_type::number ? Status::BadNumber
                                                                                           : Status::WrongType;
          scan.text[k] = v.raw_json_token();
        }
        break;
      case Form::Units:
        if (auto e = scanUnits(v)) return e;
        break;
      case Form::Error:
        if (auto e = scanError(v)) return e;
        break;
    }
  }
  return simdjson::SUCCESS;
}

/// Keeps each unit's four number tokens (converted once the instrument is known). A bad unit
/// is remembered, and the array is still walked to its end.
simdjson::error_code MarketDataParser::Impl::scanUnits(od::value& v) noexcept {
  od::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) {
    scan.st[kUnits] = Status::WrongType;
    return simdjson::SUCCESS;
  }
  scan.st[kUnits] = Status::Ok;
  size_t n = 0;
  auto failUnit = [&](Status st, size_t index, uint8_t member, uint32_t off) noexcept {
    if (scan.unitStatus != Status::Ok) return;
    scan.unitStatus = st;
    scan.unitFailIndex = index;
    scan.unitFailMember = member;
    scan.unitFailOffset = off;
  };
  for (auto element : arr) {
    od::value ev;
    if (auto e = element.get(ev)) return e;
    const uint32_t unitOffset = offsetOf(ev);
    od::object unit;
    if (auto e = ev.get_object().get(unit)) {
      if (e != simdjson::INCORRECT_TYPE) return e;
      failUnit(Status::WrongType, n, kUnitCount, unitOffset);
      ++n;
      continue;
    }
    if (n == maxLevels) {
      failUnit(Status::TooManyLevels, n, kUnitCount, unitOffset);
      ++n;
      continue;
    }
    bool seen[kUnitCount] = {};
    for (auto result : unit) {
      od::field field;
      if (auto e = std::move(result).get(field)) return e;
      const std::string_view key = rawKey(field);
      od::value& mv = field.value();
      uint8_t m = 0;
      while (m < kUnitCount && key != kUnitFull[m] && key != kUnitSimple[m]) ++m;
      if (m == kUnitCount) continue;
      od::json_type t;
      const uint32_t off = offsetOf(mv);
      if (mv.type().get(t) != simdjson::SUCCESS || t != od::json_type::number) {
        failUnit(Status::WrongType, n, m, off);
        continue;
      }
      unitText[kUnitCount * n + m] = mv.raw_json_token();
      unitOff[kUnitCount * n + m] = off;
      seen[m] = true;
    }
    for (uint8_t m = 0; m < kUnitCount; ++m)
      if (!seen[m]) failUnit(Status::MissingField, n, m, unitOffset);
    ++n;
  }
  scan.units = std::min(n, maxLevels);
  return simdjson::SUCCESS;
}

simdjson::error_code MarketDataParser::Impl::scanError(od::value& v) noexcept {
  od::object obj;
  scan.st[kError] = Status::Ok;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return simdjson::SUCCESS;  // kind Error, no name
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    if (key != "name") continue;
    od::value nv;
    if (auto e = field.value().get(nv)) return e;
    if (nv.get_string().get(scan.errorName) != simdjson::SUCCESS) scan.errorName = {};
  }
  return simdjson::SUCCESS;
}

namespace {

/// Field checks and conversions of one object; the first failure sticks in `r`.
struct Converter {
  const Scan& s;
  ParseResult& r;
  char* fieldBuf;
  size_t fieldBufSize;

  const char* name(Key k) const noexcept {
    if (s.present(k)) return s.seenName[k];
    return s.simple ? kKeys[k].simple.data() : kKeys[k].full.data();
  }
  bool fail(Status st, const char* field, uint32_t off, ParseStatus number = ParseStatus::Ok,
            std::string_view value = {}) noexcept {
    r.status = st;
    r.field = field;
    r.offset = off;
    r.number = number;
    r.value = value;
    return false;
  }
  bool need(Key k) noexcept {
    if (s.st[k] == Status::Ok) return true;
    return fail(s.st[k], name(k), s.present(k) ? s.off[k] : s.objectOffset, ParseStatus::Ok,
                s.present(k) ? s.text[k] : std::string_view{});
  }
  bool optional(Key k) noexcept { return !s.present(k) || need(k); }
  bool decimal(Key k, int scale, int64_t& out) noexcept {
    out = 0;
    if (!s.present(k)) return true;
    const ParseStatus ps = shared::parseJsonDecimal(s.text[k], scale, out);
    return ps == ParseStatus::Ok || fail(Status::BadNumber, name(k), s.off[k], ps, s.text[k]);
  }
  bool timeNs(Key k, common::TimestampNs& out) noexcept {
    out = 0;
    if (!s.present(k)) return true;
    if (s.num[k] > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() / kNsPerMs))
      return fail(Status::BadNumber, name(k), s.off[k], ParseStatus::Overflow, s.text[k]);
    out = static_cast<common::TimestampNs>(s.num[k]) * kNsPerMs;
    return true;
  }
  bool side(Key k, common::Side& out) noexcept {
    out = common::Side::None;
    if (!s.present(k)) return true;
    const std::string_view t = s.text[k];
    if (t == "BID") out = common::Side::Buy;
    else if (t == "ASK") out = common::Side::Sell;
    else return fail(Status::BadValue, name(k), s.off[k], ParseStatus::Ok, t);
    return true;
  }
  StreamType stream() const noexcept {
    const std::string_view t = s.str(kStreamType);
    return t == "SNAPSHOT" ? StreamType::Snapshot : t == "REALTIME" ? StreamType::Realtime : StreamType::Unknown;
  }
  /// "orderbook_units[3].ask_size" into the parser's field buffer.
  const char* unitField(size_t index, uint8_t member) noexcept {
    const char* units = name(kUnits);
    if (member >= kUnitCount)
      std::snprintf(fieldBuf, fieldBufSize, "%s[%zu]", units, index);
    else
      std::snprintf(fieldBuf, fieldBufSize, "%s[%zu].%s", units, index,
                    (s.simple ? kUnitSimple[member] : kUnitFull[member]).data());
    return fieldBuf;
  }
};

MessageKind classify(const Scan& s) noexcept {
  const std::string_view t = s.str(kType);
  if (t == "trade") return MessageKind::Trade;
  if (t == "orderbook") return MessageKind::Orderbook;
  if (t == "ticker") return MessageKind::Ticker;
  if (s.present(kType)) return MessageKind::Other;
  if (s.present(kError)) return MessageKind::Error;
  // The 2018-era ticker (still on the docs' sample page): no type, `market` for code.
  if (s.present(kCode) && s.present(kTradePrice) && s.present(kOpen)) return MessageKind::Ticker;
  return MessageKind::Other;
}

}  // namespace

MarketDataParser::MarketDataParser(InstrumentResolver& resolver, ParserLimits limits)
    : resolver_(resolver), impl_(std::make_unique<Impl>(limits)) {}

MarketDataParser::~MarketDataParser() = default;

std::string_view MarketDataParser::errorName() const noexcept { return impl_->lastError; }
std::string_view MarketDataParser::type() const noexcept { return impl_->lastType; }
std::string_view MarketDataParser::code() const noexcept { return impl_->lastCode; }

namespace {

/// Converts and delivers one scanned object.
ParseResult convert(const Scan& s, InstrumentResolver& resolver,
                    const std::string_view* unitText, const uint32_t* unitOff, BookLevel* bids, BookLevel* asks,
                    char* fieldBuf, size_t fieldBufSize, MarketDataHandler& handler) noexcept;

}  // namespace

ParseResult MarketDataParser::parse(std::string_view frame, MarketDataHandler& handler) noexcept {
  Impl& im = *impl_;
  im.lastType = im.lastCode = im.lastError = {};
  ParseResult failed;
  if (!im.reserve(frame.size())) {
    failed.status = Status::TooLarge;
    return failed;
  }
  std::memcpy(im.buf.get(), frame.data(), frame.size());
  std::memset(im.buf.get() + frame.size(), 0, simdjson::SIMDJSON_PADDING);

  auto invalid = [&](od::document& doc) noexcept {
    failed.status = Status::InvalidJson;
    const char* at = nullptr;
    failed.offset = doc.current_location().get(at) == simdjson::SUCCESS ? im.offsetOf(at)
                                                                       : static_cast<uint32_t>(frame.size());
    return failed;
  };

  od::document doc;
  if (im.json.iterate(im.buf.get(), frame.size(), im.bufCap).get(doc) != simdjson::SUCCESS) {
    failed.status = Status::InvalidJson;
    return failed;
  }
  od::json_type top;
  if (doc.type().get(top) != simdjson::SUCCESS) return invalid(doc);

  auto one = [&](od::object obj, uint32_t objectOffset, uint32_t item, ParseResult& r) noexcept -> bool {
    im.scan.reset();
    im.scan.objectOffset = objectOffset;
    if (im.scanObject(obj) != simdjson::SUCCESS) return false;
    r = convert(im.scan, resolver_, im.unitText.get(), im.unitOff.get(), im.level[0].get(), im.level[1].get(),
                im.fieldBuf, sizeof im.fieldBuf, handler);
    r.item = item;
    im.lastType = im.scan.str(kType);
    im.lastCode = im.scan.str(kCode);
    im.lastError = im.scan.errorName;
    return true;
  };

  ParseResult r;
  if (top == od::json_type::object) {
    const char* at = nullptr;
    const uint32_t start = doc.current_location().get(at) == simdjson::SUCCESS ? im.offsetOf(at) : 0;
    od::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS || !one(obj, start, 0, r)) return invalid(doc);
  } else if (top == od::json_type::array) {
    od::array arr;
    if (doc.get_array().get(arr) != simdjson::SUCCESS) return invalid(doc);
    uint32_t item = 0;
    for (auto element : arr) {
      od::value ev;
      if (element.get(ev) != simdjson::SUCCESS) return invalid(doc);
      const uint32_t start = im.offsetOf(ev);
      od::object obj;
      if (ev.get_object().get(obj) != simdjson::SUCCESS || !one(obj, start, item, r)) return invalid(doc);
      if (!r.ok()) return r;
      ++item;
    }
  } else {
    return invalid(doc);
  }
  // Nothing may follow the top-level value.
  if (doc.current_location().error() == simdjson::SUCCESS) return invalid(doc);
  return r;
}

namespace {

ParseResult convert(const Scan& s, InstrumentResolver& resolver,
                    const std::string_view* unitText, const uint32_t* unitOff, BookLevel* bids, BookLevel* asks,
                    char* fieldBuf, size_t fieldBufSize, MarketDataHandler& handler) noexcept {
  ParseResult r;
  r.kind = classify(s);
  Converter c{s, r, fieldBuf, fieldBufSize};
  bool fieldsOk = true;
  switch (r.kind) {
    case MessageKind::Trade:
      fieldsOk = c.need(kCode) && c.need(kTradePrice) && c.need(kTradeVolume) && c.need(kAskBid) &&
                 c.need(kTradeTimestamp) && c.need(kSeqId) && c.optional(kTimestamp) && c.optional(kStreamType) &&
                 c.optional(kBestAskPrice) && c.optional(kBestAskSize) && c.optional(kBestBidPrice) &&
                 c.optional(kBestBidSize);
      break;
    case MessageKind::Orderbook:
      fieldsOk = c.need(kCode) && c.need(kTimestamp) && c.need(kUnits) && c.optional(kLevel) &&
                 c.optional(kStreamType);
      if (fieldsOk && s.unitStatus != Status::Ok)
        fieldsOk = c.fail(s.unitStatus, c.unitField(s.unitFailIndex, s.unitFailMember), s.unitFailOffset);
      break;
    case MessageKind::Ticker:
      fieldsOk = c.need(kCode) && c.need(kTradePrice) && c.need(kTradeVolume) && c.need(kTradeTimestamp) &&
                 c.optional(kTimestamp) && c.optional(kAskBid) && c.optional(kOpen) && c.optional(kHigh) &&
                 c.optional(kLow) && c.optional(kStreamType);
      break;
    default: return r;  // Error, Other: nothing to convert
  }
  if (!fieldsOk) return r;

  const config::Instrument* inst = resolver.resolve(s.text[kCode]);
  if (inst == nullptr) {
    c.fail(Status::UnknownSymbol, c.name(kCode), s.off[kCode], ParseStatus::Ok, s.text[kCode]);
    return r;
  }
  const int ps = inst->price_scale, qs = inst->qty_scale;

  switch (r.kind) {
    case MessageKind::Trade: {
      ParsedTrade t{};
      t.instrument = inst;
      t.stream = c.stream();
      t.sequential_id = s.num[kSeqId];
      t.has_best = s.present(kBestAskPrice) && s.present(kBestAskSize) && s.present(kBestBidPrice) &&
                   s.present(kBestBidSize);
      if (c.decimal(kTradePrice, ps, t.price) && c.decimal(kTradeVolume, qs, t.qty) && c.side(kAskBid, t.aggressor) &&
          c.timeNs(kTradeTimestamp, t.trade_ns) && c.timeNs(kTimestamp, t.event_ns) &&
          c.decimal(kBestAskPrice, ps, t.best_ask_price) && c.decimal(kBestAskSize, qs, t.best_ask_qty) &&
          c.decimal(kBestBidPrice, ps, t.best_bid_price) && c.decimal(kBestBidSize, qs, t.best_bid_qty))
        handler.onTrade(t);
      break;
    }
    case MessageKind::Ticker: {
      ParsedTicker t{};
      t.instrument = inst;
      t.stream = c.stream();
      if (c.decimal(kTradePrice, ps, t.trade_price) && c.decimal(kTradeVolume, qs, t.trade_volume) &&
          c.decimal(kOpen, ps, t.opening_price) && c.decimal(kHigh, ps, t.high_price) &&
          c.decimal(kLow, ps, t.low_price) && c.side(kAskBid, t.last_aggressor) &&
          c.timeNs(kTradeTimestamp, t.trade_ns) && c.timeNs(kTimestamp, t.event_ns))
        handler.onTicker(t);
      break;
    }
    default: {  // Orderbook
      ParsedOrderbook b{};
      b.instrument = inst;
      b.stream = c.stream();
      if (!c.timeNs(kTimestamp, b.event_ns) || !c.decimal(kLevel, ps, b.level)) break;
      size_t nb = 0, na = 0;
      bool bidsDone = false, asksDone = false;
      for (size_t i = 0; i < s.units; ++i) {
        int64_t v[kUnitCount];
        for (uint8_t m = 0; m < kUnitCount; ++m) {
          const std::string_view tok = unitText[kUnitCount * i + m];
          const ParseStatus st = shared::parseJsonDecimal(tok, m == kAskPrice || m == kBidPrice ? ps : qs, v[m]);
          if (st != ParseStatus::Ok) {
            c.fail(Status::BadNumber, c.unitField(i, m), unitOff[kUnitCount * i + m], st, tok);
            return r;
          }
        }
        // A zero size pads a thin book: that side ends there.
        if (v[kBidSize] == 0) bidsDone = true;
        if (v[kAskSize] == 0) asksDone = true;
        if (!bidsDone) bids[nb++] = BookLevel{v[kBidPrice], v[kBidSize]};
        if (!asksDone) asks[na++] = BookLevel{v[kAskPrice], v[kAskSize]};
      }
      b.bids = {bids, nb};
      b.asks = {asks, na};
      handler.onOrderbook(b);
      break;
    }
  }
  return r;
}

}  // namespace

void toBookSnapshot(const ParsedOrderbook& book, common::ExchangeId exchange, common::TimestampNs receiveNs,
                    common::BookSnapshot& out) noexcept {
  out = common::BookSnapshot{};
  out.header = common::makeHeader<common::BookSnapshot>(exchange, book.instrument->id, book.event_ns, receiveNs);
  out.last_update_id = 0;  // Upbit books carry no update id
  const size_t nb = std::min<size_t>(book.bids.size(), common::BookSnapshot::kDepth);
  const size_t na = std::min<size_t>(book.asks.size(), common::BookSnapshot::kDepth);
  for (size_t i = 0; i < nb; ++i) out.bids[i] = book.bids[i];
  for (size_t i = 0; i < na; ++i) out.asks[i] = book.asks[i];
  out.bid_count = static_cast<uint16_t>(nb);
  out.ask_count = static_cast<uint16_t>(na);
}

void toTrade(const ParsedTrade& trade, common::ExchangeId exchange, common::TimestampNs receiveNs,
             common::Trade& out) noexcept {
  out = common::Trade{};
  out.header = common::makeHeader<common::Trade>(exchange, trade.instrument->id, trade.trade_ns, receiveNs);
  out.price = trade.price;
  out.qty = trade.qty;
  out.trade_id = trade.sequential_id;
  out.aggressor = trade.aggressor;
}

bool toBestBidOffer(const ParsedTrade& trade, common::ExchangeId exchange, common::TimestampNs receiveNs,
                    common::BestBidOffer& out) noexcept {
  if (!trade.has_best) return false;
  out = common::BestBidOffer{};
  out.header = common::makeHeader<common::BestBidOffer>(exchange, trade.instrument->id,
                                                        trade.event_ns != 0 ? trade.event_ns : trade.trade_ns,
                                                        receiveNs);
  out.bid_price = trade.best_bid_price;
  out.bid_qty = trade.best_bid_qty;
  out.ask_price = trade.best_ask_price;
  out.ask_qty = trade.best_ask_qty;
  return true;
}

void toBestBidOffer(const ParsedOrderbook& book, common::ExchangeId exchange, common::TimestampNs receiveNs,
                    common::BestBidOffer& out) noexcept {
  out = common::BestBidOffer{};
  out.header = common::makeHeader<common::BestBidOffer>(exchange, book.instrument->id, book.event_ns, receiveNs);
  if (!book.bids.empty()) {
    out.bid_price = book.bids[0].price;
    out.bid_qty = book.bids[0].qty;
  }
  if (!book.asks.empty()) {
    out.ask_price = book.asks[0].price;
    out.ask_qty = book.asks[0].qty;
  }
}

}  // namespace hft::api::upbit
