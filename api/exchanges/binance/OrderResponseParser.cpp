#include "api/exchanges/binance/OrderResponseParser.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <new>

#include "common/Int128.h"
#include "config/InstrumentRegistry.h"
#include "api/exchanges/shared/PaddedJson.h"

namespace hft::api::binance {

namespace od = simdjson::ondemand;
using common::ExecType;
using common::ParseStatus;
using common::RejectReason;

const char* toString(ResponseKind k) noexcept {
  switch (k) {
    case ResponseKind::None: return "none";
    case ResponseKind::OrderAck: return "order ack";
    case ResponseKind::Order: return "order";
    case ResponseKind::CancelReplace: return "cancel-replace";
    case ResponseKind::Batch: return "batch";
    case ResponseKind::VenueError: return "venue error";
    case ResponseKind::ExecutionReport: return "execution report";
    case ResponseKind::Balances: return "balances";
    case ResponseKind::StreamExpired: return "stream expired";
    case ResponseKind::ServerTime: return "server time";
    case ResponseKind::Other: return "other";
  }
  return "unknown";
}

const char* toString(ResponseStatus s) noexcept {
  switch (s) {
    case ResponseStatus::Ok: return "ok";
    case ResponseStatus::InvalidJson: return "invalid JSON";
    case ResponseStatus::MissingField: return "missing field";
    case ResponseStatus::WrongType: return "wrong JSON type";
    case ResponseStatus::BadNumber: return "bad number";
    case ResponseStatus::BadValue: return "unknown value";
    case ResponseStatus::UnknownSymbol: return "unknown symbol";
    case ResponseStatus::TooManyItems: return "too many items";
    case ResponseStatus::TooLarge: return "message too large";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------------
// Error codes

namespace {
bool contains(std::string_view haystack, std::string_view needle) noexcept {
  return haystack.find(needle) != std::string_view::npos;
}
}  // namespace

bool executionUnknown(int32_t code) noexcept { return code == -1006 || code == -1007; }

RejectReason rejectReasonOf(Market market, int32_t code, std::string_view msg) noexcept {
  switch (code) {
    case -1003:  // too much request weight (429/418)
    case -1015:  // too many new orders
      return RejectReason::RateLimit;
    case -1001:  // internal error, retry
    case -1006:  // unexpected response: execution status unknown
    case -1007:  // timeout: execution status unknown
    case -1008:  // server busy / throttled
    case -1016:  // service shutting down
      return RejectReason::VenueUnavailable;
    case -1121: return RejectReason::UnknownInstrument;
    case -1013:  // spot filter failures share one code; the message names the filter
      if (contains(msg, "PRICE_FILTER")) return RejectReason::OffTickPrice;
      if (contains(msg, "PERCENT_PRICE")) return RejectReason::PriceBand;
      if (contains(msg, "LOT_SIZE")) return RejectReason::OffLotQuantity;  // also MARKET_LOT_SIZE
      if (contains(msg, "NOTIONAL")) return RejectReason::BelowMinNotional;  // MIN_NOTIONAL, NOTIONAL
      if (contains(msg, "MAX_NUM_ORDERS") || contains(msg, "MAX_NUM_ALGO_ORDERS")) return RejectReason::MaxOpenOrders;
      if (contains(msg, "MAX_POSITION")) return RejectReason::MaxPosition;
      return RejectReason::VenueRejected;
    case -2010:  // NEW_ORDER_REJECTED: the message says why
      if (contains(msg, "insufficient balance")) return RejectReason::InsufficientBalance;
      if (contains(msg, "immediately match and take")) return RejectReason::PostOnlyWouldCross;
      if (contains(msg, "Duplicate order")) return RejectReason::DuplicateClientOrderId;
      if (contains(msg, "Market is closed") || contains(msg, "market is closed")) return RejectReason::VenueUnavailable;
      return RejectReason::VenueRejected;
    case -2011:  // CANCEL_REJECTED
      return contains(msg, "Unknown order") ? RejectReason::UnknownOrder : RejectReason::VenueRejected;
    case -2013: return RejectReason::UnknownOrder;  // NO_SUCH_ORDER
    // USD-M
    case -2018:  // balance insufficient
    case -2019:  // margin insufficient
      return RejectReason::InsufficientBalance;
    case -2020:  // unable to fill
    case -5021:  // FOK could not be filled
      return RejectReason::FokNotFilled;
    case -2022:  // USD-M: ReduceOnly rejected; spot: the cancel-replace summary (see items())
      return market == Market::UsdM ? RejectReason::ReduceOnlyRejected : RejectReason::VenueRejected;
    case -2025: return RejectReason::MaxOpenOrders;
    case -2027: return RejectReason::MaxPosition;
    case -2028: return RejectReason::MaxLeverage;
    case -4003: return RejectReason::InvalidQuantity;
    case -4014: return RejectReason::OffTickPrice;
    case -4023: return RejectReason::OffLotQuantity;
    case -4016:  // above multiplier up
    case -4024:  // below multiplier down
    case -4131:  // counterparty best price outside PERCENT_PRICE
      return RejectReason::PriceBand;
    case -4116: return RejectReason::DuplicateClientOrderId;
    case -4118: return RejectReason::ReduceOnlyRejected;
    case -4164: return RejectReason::BelowMinNotional;
    case -5022: return RejectReason::PostOnlyWouldCross;
    default: return RejectReason::VenueRejected;
  }
}

// ---------------------------------------------------------------------------------------------
// Scan: one pass over the JSON, values kept as views; conversion follows once the kind and
// the instrument are known.

namespace {

constexpr int64_t kNsPerMs = 1'000'000;

enum class JType : uint8_t { Missing = 0, String, Number, Bool, Null, Composite, BadNumber };

struct Slot {
  JType type;
  bool flag;
  uint32_t offset;
  int64_t num;
  std::string_view text;  // String: the text; BadNumber: the raw token
};

/// The keys we read, REST and user-data spellings folded into one slot each.
enum Key : uint8_t {
  kSymbol, kOrderId, kClientId, kOrigClientId, kTime, kEventTime, kPrice, kOrigQty, kCumQty, kCumQuote,
  kAvgPrice, kStatus, kExecType, kTif, kType, kSide, kLastQty, kLastPrice, kFee, kFeeAsset, kTradeId,
  kMaker, kRejectReason, kEvent, kCode, kMsg, kServerTime, kKeyCount
};

/// Field names for error messages, per spelling.
constexpr std::string_view kRestName[kKeyCount] = {
    "symbol", "orderId", "clientOrderId", "origClientOrderId", "transactTime", "E", "price", "origQty",
    "executedQty", "cummulativeQuoteQty", "avgPrice", "status", "x", "timeInForce", "type", "side", "l", "L",
    "n", "N", "t", "m", "r", "e", "code", "msg", "serverTime"};
constexpr std::string_view kEventName[kKeyCount] = {
    "s", "i", "c", "C", "T", "E", "p", "q", "z", "Z", "ap", "X", "x", "f", "o", "S", "l", "L", "n", "N", "t",
    "m", "r", "e", "code", "msg", "serverTime"};
constexpr std::string_view kOrderName[kKeyCount] = {
    "o.s", "o.i", "o.c", "o.C", "o.T", "E", "o.p", "o.q", "o.z", "o.Z", "o.ap", "o.X", "o.x", "o.f", "o.o",
    "o.S", "o.l", "o.L", "o.n", "o.N", "o.t", "o.m", "o.r", "e", "code", "msg", "serverTime"};

int restKey(std::string_view k) noexcept {
  switch (k.size()) {
    case 3: return k == "msg" ? kMsg : -1;
    case 4:
      if (k == "code") return kCode;
      if (k == "side") return kSide;
      if (k == "type") return kType;
      return -1;
    case 5: return k == "price" ? kPrice : -1;
    case 6:
      if (k == "symbol") return kSymbol;
      if (k == "status") return kStatus;
      return -1;
    case 7:
      if (k == "orderId") return kOrderId;
      if (k == "origQty") return kOrigQty;
      return -1;
    case 8:
      if (k == "avgPrice") return kAvgPrice;
      if (k == "cumQuote") return kCumQuote;
      return -1;
    case 10:
      if (k == "updateTime") return kTime;
      if (k == "serverTime") return kServerTime;
      return -1;
    case 11:
      if (k == "executedQty") return kCumQty;
      if (k == "timeInForce") return kTif;
      return -1;
    case 12: return k == "transactTime" ? kTime : -1;
    case 13: return k == "clientOrderId" ? kClientId : -1;
    case 17: return k == "origClientOrderId" ? kOrigClientId : -1;
    case 19: return k == "cummulativeQuoteQty" ? kCumQuote : -1;
    default: return -1;
  }
}

int eventKey(std::string_view k) noexcept {
  if (k.size() == 1) {
    switch (k[0]) {
      case 'e': return kEvent;
      case 'E': return kEventTime;
      case 'T': return kTime;
      case 's': return kSymbol;
      case 'c': return kClientId;
      case 'C': return kOrigClientId;
      case 'S': return kSide;
      case 'o': return kType;
      case 'f': return kTif;
      case 'q': return kOrigQty;
      case 'p': return kPrice;
      case 'x': return kExecType;
      case 'X': return kStatus;
      case 'r': return kRejectReason;
      case 'i': return kOrderId;
      case 'l': return kLastQty;
      case 'z': return kCumQty;
      case 'L': return kLastPrice;
      case 'n': return kFee;
      case 'N': return kFeeAsset;
      case 't': return kTradeId;
      case 'm': return kMaker;
      case 'Z': return kCumQuote;
      default: return -1;
    }
  }
  return k == "ap" ? kAvgPrice : -1;
}

/// Nested objects a message can hold.
enum Child : uint8_t { kChildEvent, kChildOrder, kChildAccount, kChildCancel, kChildNew, kChildData, kChildCount };

struct Fields {
  Slot slot[kKeyCount];
  int8_t child[kChildCount];  // index into Impl::pool, -1 when absent
  bool newOrderNull;          // cancelReplace "newOrderResponse": null (not attempted)
  uint32_t offset;            // of the object's '{'

  void reset(uint32_t off) noexcept {
    for (Slot& s : slot) s.type = JType::Missing;
    std::fill(std::begin(child), std::end(child), int8_t{-1});
    newOrderNull = false;
    offset = off;
  }
  bool has(Key k) const noexcept { return slot[k].type != JType::Missing; }
};

struct FillSlots {
  Slot price, qty, fee, asset, tradeId;
  uint32_t offset;
};
struct BalanceSlots {
  Slot asset, free, locked, delta;
  uint32_t offset;
};

enum class Ctx : uint8_t { Rest, Event, Account };

/// Strings are read as views into the message, escapes left in, never copied: Binance keys,
/// enum tokens, decimals and our client ids hold no escapes, and a value that does fails its
/// conversion instead of matching. Stage 1 validated every string, so both quotes exist.
///
/// A string value's token runs from its opening quote to the next structural character
/// (trailing blanks included): the text is what lies between the quotes.
std::string_view tokenText(std::string_view token) noexcept {
  while (!token.empty() && token.back() != '"') token.remove_suffix(1);
  return token.size() >= 2 ? token.substr(1, token.size() - 2) : std::string_view{};
}
/// A key runs from its first character to the closing quote found walking back from its
/// value (over blanks, ':' and blanks): no scan of the key itself.
std::string_view keyText(const char* keyBegin, const char* valueBegin) noexcept {
  const char* end = valueBegin - 1;
  while (*end != '"') --end;
  return {keyBegin, static_cast<size_t>(end - keyBegin)};
}

}  // namespace

struct OrderResponseParser::Impl {
  static constexpr size_t kPoolSize = 24;  // batch items + nested objects

  od::parser json;
  std::unique_ptr<char[]> buf;
  size_t bufCap = 0;
  const char* base = nullptr;

  Fields pool[kPoolSize];
  size_t used = 0;
  int8_t batch[kMaxItems];
  size_t batchCount = 0;

  size_t maxFills, maxBalances;
  std::unique_ptr<FillSlots[]> fillText;
  std::unique_ptr<BalanceSlots[]> balanceText;
  size_t fillCount = 0, balanceCount = 0;
  bool tooMany = false;        // fills, balances or batch items over capacity
  uint32_t tooManyOffset = 0;
  std::string_view tooManyField;

  // Outputs
  common::ExecutionReport reports[1];
  size_t reportCount = 0;
  ReplyItem items[kMaxItems];
  size_t itemCount = 0;
  std::unique_ptr<ParsedFill[]> fills;
  std::unique_ptr<common::BalanceUpdate[]> balances;
  size_t fillsOut = 0, balancesOut = 0, skippedAssets = 0;
  VenueError error;
  int64_t serverTimeMs = 0;
  std::string_view clientIdText[kMaxItems];
  std::string_view eventType;

  explicit Impl(const Limits& limits) : maxFills(limits.maxFills), maxBalances(limits.maxBalances) {
    fillText = std::make_unique<FillSlots[]>(maxFills);
    balanceText = std::make_unique<BalanceSlots[]>(maxBalances);
    fills = std::make_unique<ParsedFill[]>(maxFills);
    balances = std::make_unique<common::BalanceUpdate[]>(maxBalances);
    if (!reserve(limits.initialMessageBytes)) throw std::bad_alloc();
  }

  bool reserve(size_t len) noexcept {
    return shared::reservePadded(buf, bufCap, json, len);
  }

  void reset() noexcept {
    used = batchCount = fillCount = balanceCount = 0;
    reportCount = itemCount = fillsOut = balancesOut = skippedAssets = 0;
    tooMany = false;
    tooManyOffset = 0;
    tooManyField = {};
    error = VenueError{};
    serverTimeMs = 0;
    std::fill(std::begin(clientIdText), std::end(clientIdText), std::string_view{});
    eventType = {};
  }

  uint32_t offsetOf(od::value& v) noexcept { return static_cast<uint32_t>(v.raw_json_token().data() - base); }

  int acquire(uint32_t offset) noexcept {
    if (used == kPoolSize) return -1;
    pool[used].reset(offset);
    return static_cast<int>(used++);
  }

  void markTooMany(std::string_view field, uint32_t offset) noexcept {
    if (!tooMany) {
      tooMany = true;
      tooManyField = field;
      tooManyOffset = offset;
    }
  }

  /// `unescape`: copy the string with its escapes resolved (free text: "msg"); else a raw view.
  simdjson::error_code readScalar(od::value& v, Slot& s, bool unescape = false) noexcept;
  simdjson::error_code scanObject(od::object obj, Ctx ctx, int index) noexcept;
  simdjson::error_code scanChild(od::value& v, Ctx ctx, int parent, Child which) noexcept;
  simdjson::error_code scanFills(od::value& v) noexcept;
  simdjson::error_code scanBalances(od::value& v) noexcept;
};

simdjson::error_code OrderResponseParser::Impl::readScalar(od::value& v, Slot& s, bool unescape) noexcept {
  s.offset = offsetOf(v);
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case od::json_type::string: {
      s.type = JType::String;
      if (unescape) return v.get_string().get(s.text);
      s.text = tokenText(v.raw_json_token());  // left unconsumed: the iteration skips it
      return simdjson::SUCCESS;
    }
    case od::json_type::number:
      if (v.get_int64().get(s.num) == simdjson::SUCCESS) {
        s.type = JType::Number;
      } else {
        s.type = JType::BadNumber;  // fractional or beyond int64: no id or time is
        s.text = v.raw_json_token();
      }
      return simdjson::SUCCESS;
    case od::json_type::boolean:
      s.type = JType::Bool;
      return v.get_bool().get(s.flag);
    case od::json_type::null:
      s.type = JType::Null;
      return simdjson::SUCCESS;
    default:
      s.type = JType::Composite;  // skipped by the iteration
      return simdjson::SUCCESS;
  }
}

simdjson::error_code OrderResponseParser::Impl::scanChild(od::value& v, Ctx ctx, int parent, Child which) noexcept {
  const uint32_t off = offsetOf(v);
  od::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return simdjson::SUCCESS;  // not an object: left out
  const int idx = acquire(off);
  if (idx < 0) {
    markTooMany("nested objects", off);
    return simdjson::SUCCESS;
  }
  pool[parent].child[which] = static_cast<int8_t>(idx);
  return scanObject(obj, ctx, idx);
}

simdjson::error_code OrderResponseParser::Impl::scanObject(od::object obj, Ctx ctx, int index) noexcept {
  for (auto result : obj) {
    if (auto e = result.error()) return e;
    od::field& field = result.value_unsafe();  // a reference: copying simdjson's iterators costs store-forwarding stalls
    od::value& v = field.value();
    const std::string_view key = keyText(field.key().raw(), v.raw_json_token().data());
    int k = -1;
    switch (ctx) {
      case Ctx::Rest:
        if (key == "fills") {
          if (auto e = scanFills(v)) return e;
          continue;
        }
        if (key == "cancelResponse" || key == "newOrderResponse" || key == "data") {
          const Child which = key == "data" ? kChildData : key[0] == 'c' ? kChildCancel : kChildNew;
          bool isNull = false;
          if (v.is_null().get(isNull) == simdjson::SUCCESS && isNull) {
            if (which == kChildNew) pool[index].newOrderNull = true;
            continue;
          }
          if (auto e = scanChild(v, Ctx::Rest, index, which)) return e;
          continue;
        }
        k = restKey(key);
        break;
      case Ctx::Event:
        if (key == "event" || key == "data") {
          if (auto e = scanChild(v, Ctx::Event, index, kChildEvent)) return e;
          continue;
        }
        if (key.size() == 1 && (key[0] == 'o' || key[0] == 'a' || key[0] == 'B')) {
          od::json_type t;
          if (auto e = v.type().get(t)) return e;
          if (t == od::json_type::object && key[0] != 'B') {
            if (auto e = scanChild(v, key[0] == 'o' ? Ctx::Event : Ctx::Account, index,
                                   key[0] == 'o' ? kChildOrder : kChildAccount))
              return e;
            continue;
          }
          if (t == od::json_type::array && key[0] == 'B') {
            if (auto e = scanBalances(v)) return e;
            continue;
          }
          if (key[0] != 'o') continue;  // "a"/"B" of another type: not ours
        }
        if (key == "code") k = kCode;
        else if (key == "msg") k = kMsg;
        else k = eventKey(key);
        break;
      case Ctx::Account:
        if (key == "B") {
          if (auto e = scanBalances(v)) return e;
        }
        continue;
    }
    if (k >= 0)
      if (auto e = readScalar(v, pool[index].slot[k], k == kMsg)) return e;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code OrderResponseParser::Impl::scanFills(od::value& v) noexcept {
  od::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) return simdjson::SUCCESS;
  for (auto element : arr) {
    od::value ev;
    if (auto e = element.get(ev)) return e;
    const uint32_t off = offsetOf(ev);
    od::object obj;
    if (ev.get_object().get(obj) != simdjson::SUCCESS) continue;  // not an object: skipped
    if (fillCount == maxFills) {
      markTooMany("fills", off);
      continue;
    }
    FillSlots& f = fillText[fillCount++];
    f.offset = off;
    f.price.type = f.qty.type = f.fee.type = f.asset.type = f.tradeId.type = JType::Missing;
    for (auto result : obj) {
      if (auto e = result.error()) return e;
      od::field& field = result.value_unsafe();
      od::value& fv = field.value();
      const std::string_view key = keyText(field.key().raw(), fv.raw_json_token().data());
      Slot* s = key == "price" ? &f.price : key == "qty" ? &f.qty : key == "commission" ? &f.fee
                : key == "commissionAsset" ? &f.asset : key == "tradeId" ? &f.tradeId : nullptr;
      if (s != nullptr)
        if (auto e = readScalar(fv, *s)) return e;
    }
  }
  return simdjson::SUCCESS;
}

simdjson::error_code OrderResponseParser::Impl::scanBalances(od::value& v) noexcept {
  od::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) return simdjson::SUCCESS;
  for (auto element : arr) {
    od::value ev;
    if (auto e = element.get(ev)) return e;
    const uint32_t off = offsetOf(ev);
    od::object obj;
    if (ev.get_object().get(obj) != simdjson::SUCCESS) continue;
    if (balanceCount == maxBalances) {
      markTooMany("B", off);
      continue;
    }
    BalanceSlots& b = balanceText[balanceCount++];
    b.offset = off;
    b.asset.type = b.free.type = b.locked.type = b.delta.type = JType::Missing;
    for (auto result : obj) {
      if (auto e = result.error()) return e;
      od::field& field = result.value_unsafe();
      od::value& fv = field.value();
      const std::string_view key = keyText(field.key().raw(), fv.raw_json_token().data());
      // spot: a, f (free), l (locked); USD-M: a, wb (wallet balance), bc (change), cw ignored.
      Slot* s = key == "a" ? &b.asset : (key == "f" || key == "wb") ? &b.free : key == "l" ? &b.locked
                : key == "bc" ? &b.delta : nullptr;
      if (s != nullptr)
        if (auto e = readScalar(fv, *s)) return e;
    }
  }
  return simdjson::SUCCESS;
}

// ---------------------------------------------------------------------------------------------
// Conversion

namespace {

/// Parses an amount, dropping decimals beyond `scale` (truncation toward zero): fees,
/// balances and average prices are not on any grid.
ParseStatus parseTruncated(std::string_view text, int scale, int64_t& out) noexcept {
  const size_t dot = text.find('.');
  if (dot != std::string_view::npos && text.size() - dot - 1 > static_cast<size_t>(scale)) {
    for (size_t i = dot + 1 + static_cast<size_t>(scale); i < text.size(); ++i)
      if (text[i] < '0' || text[i] > '9') return ParseStatus::BadCharacter;
    text = text.substr(0, scale == 0 ? dot : dot + 1 + static_cast<size_t>(scale));
  }
  return common::parseDecimal(text, scale, out);
}

/// Ours are plain decimal u64 strings without leading zeros; anything else is not ours.
bool parseClientId(std::string_view text, common::ClientOrderId& out) noexcept {
  if (text.empty() || text.size() > 20 || (text.size() > 1 && text[0] == '0')) return false;
  uint64_t v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size()) return false;
  out = v;
  return true;
}

bool execTypeOf(std::string_view status, ExecType& out) noexcept {
  if (status == "NEW" || status == "PENDING_NEW") out = ExecType::New;
  else if (status == "PARTIALLY_FILLED") out = ExecType::PartiallyFilled;
  else if (status == "FILLED") out = ExecType::Filled;
  else if (status == "CANCELED") out = ExecType::Canceled;
  else if (status == "REJECTED") out = ExecType::Rejected;
  else if (status == "EXPIRED" || status == "EXPIRED_IN_MATCH") out = ExecType::Expired;
  else return false;  // PENDING_CANCEL is documented as unused
  return true;
}

bool orderTypeOf(Market m, std::string_view t, common::OrderType& out, bool& postOnly) noexcept {
  using common::OrderType;
  postOnly = false;
  if (t == "LIMIT") out = OrderType::Limit;
  else if (t == "MARKET" || t == "LIQUIDATION") out = OrderType::Market;
  else if (t == "LIMIT_MAKER") {
    out = OrderType::Limit;
    postOnly = true;
  } else if (t == "STOP_LOSS" || t == "STOP_MARKET" || t == "TRAILING_STOP_MARKET") out = OrderType::StopMarket;
  else if (t == "STOP_LOSS_LIMIT" || t == "STOP" || t == "TAKE_PROFIT_LIMIT") out = OrderType::StopLimit;
  else if (t == "TAKE_PROFIT_MARKET") out = OrderType::TakeProfit;
  // Spot TAKE_PROFIT is a market order on trigger; USD-M TAKE_PROFIT is a limit one.
  else if (t == "TAKE_PROFIT") out = m == Market::Spot ? OrderType::TakeProfit : OrderType::StopLimit;
  else return false;
  return true;
}

bool tifOf(std::string_view t, common::TimeInForce& out) noexcept {
  using common::TimeInForce;
  if (t == "GTC" || t == "GTD") out = TimeInForce::GTC;  // GTD rests until its date: the nearest we have
  else if (t == "IOC") out = TimeInForce::IOC;
  else if (t == "FOK") out = TimeInForce::FOK;
  else if (t == "GTX" || t == "RPI") out = TimeInForce::PostOnly;  // RPI orders are post-only too
  else return false;
  return true;
}

RejectReason executionRejectOf(std::string_view r) noexcept {
  if (r == "NONE" || r.empty()) return RejectReason::None;
  if (r == "INSUFFICIENT_BALANCES") return RejectReason::InsufficientBalance;
  if (r == "WOULD_MATCH_IMMEDIATELY") return RejectReason::PostOnlyWouldCross;
  return RejectReason::VenueRejected;
}

bool copyAsset(std::string_view text, char (&out)[8]) noexcept {
  std::memset(out, 0, sizeof out);
  if (text.size() > sizeof out) return false;
  std::memcpy(out, text.data(), text.size());
  return true;
}

/// Field checks and conversions; the first failure sticks in `r`.
struct Converter {
  ResponseResult& r;
  const std::string_view* names;  // kRestName / kEventName / kOrderName

  bool fail(ResponseStatus st, std::string_view field, uint32_t offset, std::string_view value = {},
            ParseStatus number = ParseStatus::Ok) noexcept {
    r.status = st;
    r.field = field;
    r.offset = offset;
    r.value = value;
    r.number = number;
    return false;
  }
  bool typeError(const Slot& s, std::string_view name) noexcept { return fail(ResponseStatus::WrongType, name, s.offset); }
  bool str(const Fields& f, Key k, std::string_view& out) noexcept {
    const Slot& s = f.slot[k];
    if (s.type == JType::Missing) return fail(ResponseStatus::MissingField, names[k], f.offset);
    if (s.type != JType::String) return typeError(s, names[k]);
    out = s.text;
    return true;
  }
  /// Absent or null: "".
  bool optStr(const Fields& f, Key k, std::string_view& out) noexcept {
    const Slot& s = f.slot[k];
    out = {};
    if (s.type == JType::Missing || s.type == JType::Null) return true;
    if (s.type != JType::String) return typeError(s, names[k]);
    out = s.text;
    return true;
  }
  bool integer(const Fields& f, Key k, int64_t& out) noexcept {
    const Slot& s = f.slot[k];
    if (s.type == JType::Missing) return fail(ResponseStatus::MissingField, names[k], f.offset);
    if (s.type == JType::BadNumber)  // fractional or beyond int64
      return fail(ResponseStatus::BadNumber, names[k], s.offset, s.text, ParseStatus::Overflow);
    if (s.type != JType::Number) return typeError(s, names[k]);
    out = s.num;
    return true;
  }
  bool optInteger(const Fields& f, Key k, int64_t& out) noexcept {
    out = 0;
    return f.slot[k].type == JType::Missing || integer(f, k, out);
  }
  /// Milliseconds since the epoch -> ns.
  bool timeNs(const Fields& f, Key k, common::TimestampNs& out) noexcept {
    int64_t ms;
    if (!integer(f, k, ms)) return false;
    if (ms < 0 || ms > std::numeric_limits<int64_t>::max() / kNsPerMs)
      return fail(ResponseStatus::BadNumber, names[k], f.slot[k].offset, {}, ParseStatus::Overflow);
    out = ms * kNsPerMs;
    return true;
  }
  /// A decimal string on the instrument's grid (strict).
  bool decimal(const Fields& f, Key k, int scale, int64_t& out) noexcept {
    std::string_view text;
    if (!str(f, k, text)) return false;
    const ParseStatus ps = common::parseDecimal(text, scale, out);
    return ps == ParseStatus::Ok || fail(ResponseStatus::BadNumber, names[k], f.slot[k].offset, text, ps);
  }
  bool optDecimal(const Fields& f, Key k, int scale, int64_t& out) noexcept {
    out = 0;
    const JType t = f.slot[k].type;
    return t == JType::Missing || t == JType::Null || decimal(f, k, scale, out);
  }
  /// An amount (fee, average price): truncated to `scale`; absent or null is 0.
  bool optAmount(const Fields& f, Key k, int scale, int64_t& out) noexcept {
    out = 0;
    std::string_view text;
    if (!optStr(f, k, text)) return false;
    if (text.empty()) return true;
    const ParseStatus ps = parseTruncated(text, scale, out);
    return ps == ParseStatus::Ok || fail(ResponseStatus::BadNumber, names[k], f.slot[k].offset, text, ps);
  }
  bool slotAmount(const Slot& s, std::string_view name, uint32_t objOffset, int scale, bool required,
                  int64_t& out) noexcept {
    out = 0;
    if (s.type == JType::Missing || s.type == JType::Null)
      return !required || fail(ResponseStatus::MissingField, name, objOffset);
    if (s.type != JType::String) return typeError(s, name);
    const ParseStatus ps = parseTruncated(s.text, scale, out);
    return ps == ParseStatus::Ok || fail(ResponseStatus::BadNumber, name, s.offset, s.text, ps);
  }
  bool badValue(const Fields& f, Key k, std::string_view text) noexcept {
    return fail(ResponseStatus::BadValue, names[k], f.slot[k].offset, text);
  }
};

/// avg = cumQuote / cumQty at the price scale, truncated; 0 when nothing filled.
int64_t averagePrice(int64_t cumQuote, int64_t cumQty, int priceScale, int qtyScale) noexcept {
  if (cumQty <= 0 || cumQuote <= 0) return 0;
  common::Int128 num = cumQuote;  // at kAmountScale
  for (int i = 0; i < priceScale + qtyScale; ++i) num *= 10;
  common::Int128 den = cumQty;
  for (int i = 0; i < common::kAmountScale; ++i) den *= 10;
  const common::Int128 avg = num / den;
  return avg > std::numeric_limits<int64_t>::max() ? 0 : static_cast<int64_t>(avg);
}

}  // namespace

OrderResponseParser::OrderResponseParser(InstrumentResolver& resolver) : OrderResponseParser(resolver, Limits{}) {}

OrderResponseParser::OrderResponseParser(InstrumentResolver& resolver, Limits limits)
    : resolver_(resolver), impl_(std::make_unique<Impl>(limits)) {}

OrderResponseParser::~OrderResponseParser() = default;

std::span<const common::ExecutionReport> OrderResponseParser::reports() const noexcept {
  return {impl_->reports, impl_->reportCount};
}
std::span<const ReplyItem> OrderResponseParser::items() const noexcept { return {impl_->items, impl_->itemCount}; }
std::span<const ParsedFill> OrderResponseParser::fills() const noexcept { return {impl_->fills.get(), impl_->fillsOut}; }
std::span<const common::BalanceUpdate> OrderResponseParser::balances() const noexcept {
  return {impl_->balances.get(), impl_->balancesOut};
}
size_t OrderResponseParser::skippedAssets() const noexcept { return impl_->skippedAssets; }
const VenueError& OrderResponseParser::error() const noexcept { return impl_->error; }
int64_t OrderResponseParser::serverTimeMs() const noexcept { return impl_->serverTimeMs; }
std::string_view OrderResponseParser::clientOrderIdText(size_t item) const noexcept {
  return item < kMaxItems ? impl_->clientIdText[item] : std::string_view{};
}
std::string_view OrderResponseParser::eventType() const noexcept { return impl_->eventType; }

namespace {

/// Everything a report is built from: the order's fields, and for USD-M events the outer
/// event (E, T).
struct ReportSource {
  const Fields& order;
  const Fields* outer;  // nullptr unless ORDER_TRADE_UPDATE
  Market market;
  bool userData;        // event: l/L/x are required
};

bool buildReport(Converter& c, const ReportSource& src, InstrumentResolver& resolver, common::TimestampNs receiveTs,
                 common::ExecutionReport& rep, std::string_view& clientIdText, bool& ack) noexcept {
  const Fields& f = src.order;
  rep = common::ExecutionReport{};
  std::string_view symbol;
  if (!c.str(f, kSymbol, symbol)) return false;
  const config::Instrument* inst = resolver.resolve(src.market, symbol);
  if (inst == nullptr)
    return c.fail(ResponseStatus::UnknownSymbol, c.names[kSymbol], f.slot[kSymbol].offset, symbol);
  const int ps = inst->price_scale, qs = inst->qty_scale;

  int64_t orderId;
  if (!c.integer(f, kOrderId, orderId)) return false;
  rep.venue_order_id = static_cast<common::VenueOrderId>(orderId < 0 ? 0 : orderId);
  if (!c.str(f, kClientId, clientIdText)) return false;
  if (!parseClientId(clientIdText, rep.client_order_id)) rep.client_order_id = 0;
  std::string_view orig;
  if (!c.optStr(f, kOrigClientId, orig)) return false;
  if (!parseClientId(orig, rep.orig_client_order_id)) rep.orig_client_order_id = 0;

  // Times: the order's transaction/trade time; USD-M events also have the outer E and T.
  common::TimestampNs venueTs = 0, eventTs = 0;
  if (f.has(kTime)) {
    if (!c.timeNs(f, kTime, venueTs)) return false;
  } else if (src.outer != nullptr && src.outer->has(kTime)) {
    Converter outer{c.r, kEventName};
    if (!outer.timeNs(*src.outer, kTime, venueTs)) return false;
  } else if (src.userData) {
    return c.fail(ResponseStatus::MissingField, c.names[kTime], f.offset);
  }
  const Fields& evFields = src.outer != nullptr ? *src.outer : f;
  if (evFields.has(kEventTime)) {
    Converter ev{c.r, kEventName};
    if (!ev.timeNs(evFields, kEventTime, eventTs)) return false;
  }
  rep.venue_ts_ns = venueTs;
  rep.header = common::makeHeader<common::ExecutionReport>(exchangeOf(src.market), inst->id,
                                                           eventTs != 0 ? eventTs : venueTs, receiveTs);

  ack = !src.userData && !f.has(kStatus);
  if (ack) {  // newOrderRespType=ACK: ids and time only
    rep.exec_type = ExecType::New;
    return true;
  }

  std::string_view text;
  if (!c.str(f, kStatus, text)) return false;
  if (!execTypeOf(text, rep.exec_type)) return c.badValue(f, kStatus, text);
  if (src.userData) {
    std::string_view x;
    if (!c.str(f, kExecType, x)) return false;
    if (x == "REJECTED") rep.exec_type = ExecType::Rejected;
  }
  if (!c.str(f, kSide, text)) return false;
  if (text == "BUY") rep.side = common::Side::Buy;
  else if (text == "SELL") rep.side = common::Side::Sell;
  else return c.badValue(f, kSide, text);
  bool postOnly = false;
  if (!c.str(f, kType, text)) return false;
  if (!orderTypeOf(src.market, text, rep.order_type, postOnly)) return c.badValue(f, kType, text);
  if (!c.optStr(f, kTif, text)) return false;
  if (!text.empty() && !tifOf(text, rep.tif)) return c.badValue(f, kTif, text);
  if (postOnly) rep.tif = common::TimeInForce::PostOnly;

  int64_t origQty;
  if (!c.decimal(f, kOrigQty, qs, origQty) || !c.decimal(f, kCumQty, qs, rep.cum_qty) ||
      !c.optDecimal(f, kPrice, ps, rep.order_price))
    return false;
  const bool terminal = rep.exec_type == ExecType::Filled || rep.exec_type == ExecType::Canceled ||
                        rep.exec_type == ExecType::Expired || rep.exec_type == ExecType::Rejected;
  rep.leaves_qty = terminal ? 0 : std::max<int64_t>(0, origQty - rep.cum_qty);

  // Average price: USD-M sends it; spot gives the cumulative quote amount.
  if (f.has(kAvgPrice)) {
    if (!c.optAmount(f, kAvgPrice, ps, rep.avg_price)) return false;
  } else {
    int64_t cumQuote;
    if (!c.optAmount(f, kCumQuote, common::kAmountScale, cumQuote)) return false;
    rep.avg_price = averagePrice(cumQuote, rep.cum_qty, ps, qs);
  }

  if (src.userData) {
    if (!c.decimal(f, kLastQty, qs, rep.last_qty) || !c.decimal(f, kLastPrice, ps, rep.last_price) ||
        !c.optAmount(f, kFee, common::kAmountScale, rep.fee))
      return false;
    std::string_view asset;
    if (!c.optStr(f, kFeeAsset, asset)) return false;
    if (!copyAsset(asset, rep.fee_asset)) return c.badValue(f, kFeeAsset, asset);
    int64_t tradeId;
    if (!c.optInteger(f, kTradeId, tradeId)) return false;
    rep.trade_id = tradeId > 0 ? static_cast<uint64_t>(tradeId) : 0;  // -1: no trade
    const Slot& maker = f.slot[kMaker];
    if (maker.type != JType::Missing && maker.type != JType::Bool) return c.typeError(maker, c.names[kMaker]);
    if (rep.last_qty > 0)
      rep.liquidity = maker.type == JType::Bool && maker.flag ? common::Liquidity::Maker : common::Liquidity::Taker;
    if (rep.exec_type == ExecType::Rejected) {
      if (!c.optStr(f, kRejectReason, text)) return false;
      rep.reject_reason = executionRejectOf(text);
      if (rep.reject_reason == RejectReason::None) rep.reject_reason = RejectReason::VenueRejected;
    }
  }
  return true;
}

bool buildError(Converter& c, const Fields& f, Market market, VenueError& out) noexcept {
  int64_t code;
  if (!c.integer(f, kCode, code)) return false;
  if (code < std::numeric_limits<int32_t>::min() || code > std::numeric_limits<int32_t>::max())
    return c.fail(ResponseStatus::BadNumber, "code", f.slot[kCode].offset, {}, ParseStatus::Overflow);
  out.code = static_cast<int32_t>(code);
  if (!c.optStr(f, kMsg, out.message)) return false;
  out.reason = rejectReasonOf(market, out.code, out.message);
  out.executionUnknown = executionUnknown(out.code);
  return true;
}

/// One fill of a FULL reply; errors name "fills[].<key>".
bool convertFill(ResponseResult& r, const FillSlots& t, const config::Instrument& inst, ParsedFill& out) noexcept {
  static constexpr std::string_view kFillName[kKeyCount] = {
      "", "", "", "", "", "", "fills[].price", "", "", "", "", "", "", "", "", "", "fills[].qty", "", "", "",
      "fills[].tradeId", "", "", "", "", "", ""};
  Converter c{r, kFillName};
  Fields f;  // the fill's slots go through the same checks as an order's
  f.reset(t.offset);
  f.slot[kPrice] = t.price;
  f.slot[kLastQty] = t.qty;
  f.slot[kTradeId] = t.tradeId;
  int64_t tradeId;
  if (!c.decimal(f, kPrice, inst.price_scale, out.price) || !c.decimal(f, kLastQty, inst.qty_scale, out.qty) ||
      !c.optInteger(f, kTradeId, tradeId) ||
      !c.slotAmount(t.fee, "fills[].commission", t.offset, common::kAmountScale, false, out.fee))
    return false;
  if (t.asset.type != JType::Missing && t.asset.type != JType::Null && t.asset.type != JType::String)
    return c.typeError(t.asset, "fills[].commissionAsset");
  const std::string_view asset = t.asset.type == JType::String ? t.asset.text : std::string_view{};
  if (!copyAsset(asset, out.fee_asset))
    return c.fail(ResponseStatus::BadValue, "fills[].commissionAsset", t.asset.offset, asset);
  out.trade_id = tradeId > 0 ? static_cast<uint64_t>(tradeId) : 0;
  return true;
}

/// One asset of outboundAccountPosition (spot: free f, locked l) or ACCOUNT_UPDATE (USD-M:
/// wallet balance wb as free, change bc as delta; cw ignored). `skipped` when the asset code
/// does not fit BalanceUpdate::asset. The header is the caller's.
bool convertBalance(Converter& c, const BalanceSlots& b, bool spot, common::BalanceUpdate& u, bool& skipped) noexcept {
  const std::string_view nAsset = spot ? "B[].a" : "a.B[].a";
  if (b.asset.type == JType::Missing) return c.fail(ResponseStatus::MissingField, nAsset, b.offset);
  if (b.asset.type != JType::String) return c.typeError(b.asset, nAsset);
  u = common::BalanceUpdate{};
  skipped = !copyAsset(b.asset.text, u.asset);
  if (skipped) return true;
  if (spot)
    return c.slotAmount(b.free, "B[].f", b.offset, common::kAmountScale, true, u.free) &&
           c.slotAmount(b.locked, "B[].l", b.offset, common::kAmountScale, true, u.locked);
  return c.slotAmount(b.free, "a.B[].wb", b.offset, common::kAmountScale, true, u.free) &&
         c.slotAmount(b.delta, "a.B[].bc", b.offset, common::kAmountScale, false, u.delta);
}

/// Offset where simdjson stopped: where the JSON broke, or its end.
uint32_t failOffset(od::document& doc, const char* base, size_t size) noexcept {
  const char* at = nullptr;
  if (doc.current_location().get(at) == simdjson::SUCCESS && at >= base && at <= base + size)
    return static_cast<uint32_t>(at - base);
  return static_cast<uint32_t>(size);
}

uint32_t firstNonSpace(std::string_view s) noexcept {
  const size_t i = s.find_first_not_of(" \t\r\n");
  return i == std::string_view::npos ? 0 : static_cast<uint32_t>(i);
}

}  // namespace

ResponseResult OrderResponseParser::parseRest(Market market, std::string_view body,
                                              common::TimestampNs receiveTs) noexcept {
  Impl& im = *impl_;
  im.reset();
  ResponseResult r;
  r.market = market;
  if (!im.reserve(body.size())) {
    r.status = ResponseStatus::TooLarge;
    return r;
  }
  std::memcpy(im.buf.get(), body.data(), body.size());
  std::memset(im.buf.get() + body.size(), 0, simdjson::SIMDJSON_PADDING);  // simdjson reads into it
  im.base = im.buf.get();

  od::document doc;
  od::json_type top;
  auto invalid = [&](uint32_t offset) {
    r.status = ResponseStatus::InvalidJson;
    r.offset = offset;
    return r;
  };
  if (im.json.iterate(im.buf.get(), body.size(), im.bufCap).get(doc) != simdjson::SUCCESS) return invalid(0);
  if (doc.type().get(top) != simdjson::SUCCESS) return invalid(failOffset(doc, im.base, body.size()));
  const uint32_t topOffset = firstNonSpace(body);

  if (top == od::json_type::array) {
    r.kind = ResponseKind::Batch;
    od::array arr;
    if (doc.get_array().get(arr) != simdjson::SUCCESS) return invalid(topOffset);
    for (auto element : arr) {
      od::value v;
      if (element.get(v) != simdjson::SUCCESS) return invalid(failOffset(doc, im.base, body.size()));
      const uint32_t off = im.offsetOf(v);
      od::object obj;
      if (v.get_object().get(obj) != simdjson::SUCCESS) {
        r.status = ResponseStatus::WrongType;
        r.field = "[]";
        r.offset = off;
        return r;
      }
      if (im.batchCount == kMaxItems) {
        im.markTooMany("[]", off);
        continue;
      }
      const int idx = im.acquire(off);
      if (idx < 0) {
        im.markTooMany("[]", off);
        continue;
      }
      im.batch[im.batchCount++] = static_cast<int8_t>(idx);
      if (im.scanObject(obj, Ctx::Rest, idx) != simdjson::SUCCESS) return invalid(failOffset(doc, im.base, body.size()));
    }
  } else if (top == od::json_type::object) {
    od::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS) return invalid(topOffset);
    const int idx = im.acquire(topOffset);
    if (im.scanObject(obj, Ctx::Rest, idx) != simdjson::SUCCESS) return invalid(failOffset(doc, im.base, body.size()));
  } else {
    return invalid(topOffset);
  }
  if (doc.current_location().error() == simdjson::SUCCESS) return invalid(failOffset(doc, im.base, body.size()));
  if (im.tooMany) {
    r.status = ResponseStatus::TooManyItems;
    r.field = im.tooManyField;
    r.offset = im.tooManyOffset;
    return r;
  }

  Converter c{r, kRestName};
  // One order object (the reply itself, a batch item or a cancel-replace part) -> a report.
  auto report = [&](const Fields& f, common::ExecutionReport& rep, size_t slot, bool& ack) {
    return buildReport(c, ReportSource{f, nullptr, market, false}, resolver_, receiveTs, rep, im.clientIdText[slot], ack);
  };
  auto item = [&](int index, size_t slot) {
    ReplyItem& it = im.items[slot];
    it = ReplyItem{};
    if (index < 0) {  // cancel-replace: newOrderResponse null or absent
      it.outcome = ReplyItem::Outcome::NotAttempted;
      return true;
    }
    const Fields& f = im.pool[index];
    bool ack = false;
    if (f.has(kCode) && !f.has(kOrderId)) {
      it.outcome = ReplyItem::Outcome::Error;
      return buildError(c, f, market, it.error);
    }
    it.outcome = ReplyItem::Outcome::Report;
    return report(f, it.report, slot, ack);
  };

  if (r.kind == ResponseKind::Batch) {
    for (size_t i = 0; i < im.batchCount; ++i) {
      if (!item(im.batch[i], i)) return r;
      im.itemCount = i + 1;
    }
    return r;
  }

  const Fields& f = im.pool[0];
  const Fields* crData = f.child[kChildData] >= 0 ? &im.pool[f.child[kChildData]] : nullptr;
  const Fields& cr = crData != nullptr ? *crData : f;
  if (cr.child[kChildCancel] >= 0 || cr.child[kChildNew] >= 0 || cr.newOrderNull) {
    // Cancel-replace: success {cancelResponse, newOrderResponse}, or an error whose `data`
    // holds the two parts (-2021 partial, -2022 failed).
    r.kind = ResponseKind::CancelReplace;
    if (f.has(kCode) && !buildError(c, f, market, im.error)) return r;
    if (!item(cr.child[kChildCancel], 0)) return r;
    im.itemCount = 1;
    if (!item(cr.child[kChildNew], 1)) return r;
    im.itemCount = 2;
    return r;
  }
  if (f.has(kCode) && !f.has(kOrderId)) {
    r.kind = ResponseKind::VenueError;
    (void)buildError(c, f, market, im.error);  // a failure is in r
    return r;
  }
  if (f.has(kServerTime) && !f.has(kOrderId)) {
    r.kind = ResponseKind::ServerTime;
    (void)c.integer(f, kServerTime, im.serverTimeMs);  // a failure is in r
    return r;
  }
  if (!f.has(kOrderId)) {
    r.kind = ResponseKind::Other;
    return r;
  }
  bool ack = false;
  r.kind = ResponseKind::Order;
  if (!report(f, im.reports[0], 0, ack)) return r;
  im.reportCount = 1;
  if (ack) r.kind = ResponseKind::OrderAck;

  // FULL: the fills, converted at the instrument's scales.
  const config::Instrument* inst = resolver_.resolve(market, f.slot[kSymbol].text);
  for (size_t i = 0; i < im.fillCount; ++i) {
    if (!convertFill(r, im.fillText[i], *inst, im.fills[i])) return r;
    im.fillsOut = i + 1;
  }
  return r;
}

ResponseResult OrderResponseParser::parseUserData(std::string_view message, common::TimestampNs receiveTs) noexcept {
  Impl& im = *impl_;
  im.reset();
  ResponseResult r;
  if (!im.reserve(message.size())) {
    r.status = ResponseStatus::TooLarge;
    return r;
  }
  std::memcpy(im.buf.get(), message.data(), message.size());
  std::memset(im.buf.get() + message.size(), 0, simdjson::SIMDJSON_PADDING);  // simdjson reads into it
  im.base = im.buf.get();

  od::document doc;
  od::object root;
  const uint32_t topOffset = firstNonSpace(message);
  if (im.json.iterate(im.buf.get(), message.size(), im.bufCap).get(doc) != simdjson::SUCCESS) {
    r.status = ResponseStatus::InvalidJson;
    return r;
  }
  const int top = im.acquire(topOffset);
  if (doc.get_object().get(root) != simdjson::SUCCESS || im.scanObject(root, Ctx::Event, top) != simdjson::SUCCESS ||
      doc.current_location().error() == simdjson::SUCCESS) {
    r.status = ResponseStatus::InvalidJson;
    r.offset = failOffset(doc, im.base, message.size());
    return r;
  }
  if (im.tooMany) {
    r.status = ResponseStatus::TooManyItems;
    r.field = im.tooManyField;
    r.offset = im.tooManyOffset;
    return r;
  }

  const Fields& wrapper = im.pool[top];
  const Fields& ev = wrapper.child[kChildEvent] >= 0 ? im.pool[wrapper.child[kChildEvent]] : wrapper;
  Converter c{r, kEventName};
  std::string_view e;
  if (!c.str(ev, kEvent, e)) return r;
  im.eventType = e;

  if (e == "executionReport" || e == "ORDER_TRADE_UPDATE") {
    const bool spot = e[0] == 'e';
    r.market = spot ? Market::Spot : Market::UsdM;
    r.kind = ResponseKind::ExecutionReport;
    const Fields* order = &ev;
    if (!spot) {
      if (ev.child[kChildOrder] < 0) {
        c.fail(ev.has(kType) ? ResponseStatus::WrongType : ResponseStatus::MissingField, "o",
               ev.has(kType) ? ev.slot[kType].offset : ev.offset);
        return r;
      }
      order = &im.pool[ev.child[kChildOrder]];
      c.names = kOrderName;
    }
    bool ack = false;
    if (buildReport(c, ReportSource{*order, spot ? nullptr : &ev, r.market, true}, resolver_, receiveTs, im.reports[0],
                    im.clientIdText[0], ack))
      im.reportCount = 1;
    return r;
  }

  if (e == "outboundAccountPosition" || e == "ACCOUNT_UPDATE") {
    const bool spot = e[0] == 'o';
    r.market = spot ? Market::Spot : Market::UsdM;
    r.kind = ResponseKind::Balances;
    if (!spot && ev.child[kChildAccount] < 0) {
      c.fail(ResponseStatus::MissingField, "a", ev.offset);
      return r;
    }
    common::TimestampNs eventTs = 0;
    if (!c.timeNs(ev, kEventTime, eventTs)) return r;
    size_t out = 0;
    for (size_t i = 0; i < im.balanceCount; ++i) {
      common::BalanceUpdate& u = im.balances[out];
      bool skipped = false;
      if (!convertBalance(c, im.balanceText[i], spot, u, skipped)) return r;
      if (skipped) {
        ++im.skippedAssets;  // not representable in BalanceUpdate::asset
        continue;
      }
      u.header = common::makeHeader<common::BalanceUpdate>(exchangeOf(r.market), 0, eventTs, receiveTs);
      im.balancesOut = ++out;
    }
    return r;
  }

  if (e == "listenKeyExpired" || e == "eventStreamTerminated") {
    r.market = e[0] == 'l' ? Market::UsdM : Market::Spot;
    r.kind = ResponseKind::StreamExpired;
    return r;
  }
  r.kind = ResponseKind::Other;
  return r;
}

}  // namespace hft::api::binance
