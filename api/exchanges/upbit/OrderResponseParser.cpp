#include "api/exchanges/upbit/OrderResponseParser.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <new>

#include "config/InstrumentRegistry.h"
#include "api/exchanges/shared/PaddedJson.h"

namespace hft::api::upbit {

namespace od = simdjson::ondemand;
using common::ExecType;
using common::ParseStatus;
using common::RejectReason;

const char* toString(ResponseKind k) noexcept {
  switch (k) {
    case ResponseKind::None: return "none";
    case ResponseKind::Order: return "order";
    case ResponseKind::Orders: return "orders";
    case ResponseKind::VenueError: return "venue error";
    case ResponseKind::Other: return "other";
  }
  return "unknown";
}

RejectReason rejectReasonOf(std::string_view n) noexcept {
  auto starts = [&](std::string_view p) noexcept { return n.substr(0, p.size()) == p; };
  if (starts("insufficient_funds")) return RejectReason::InsufficientBalance;
  if (starts("under_min_total")) return RejectReason::BelowMinNotional;
  if (starts("over_krw_funds") || starts("over_max_total")) return RejectReason::MaxOrderNotional;
  if (starts("invalid_price")) return RejectReason::OffTickPrice;
  if (starts("invalid_volume")) return RejectReason::InvalidQuantity;
  if (n == "market_offline" || n == "server_error") return RejectReason::VenueUnavailable;
  if (n == "notfoundmarket") return RejectReason::UnknownInstrument;
  if (n == "order_not_found") return RejectReason::UnknownOrder;
  if (n == "too_many_requests") return RejectReason::RateLimit;
  if (n == "invalid_parameter" || n == "invalid_time_in_force" || n == "validation_error" || n == "invalid_ord_type")
    return RejectReason::InvalidRequest;
  if (n.find("identifier") != std::string_view::npos || n.find("client_order_id") != std::string_view::npos)
    return RejectReason::DuplicateClientOrderId;
  return RejectReason::VenueRejected;
}

namespace {

bool digits(std::string_view s, size_t pos, size_t n, int64_t& out) noexcept {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t daysFromCivil(int64_t y, int64_t m, int64_t d) noexcept {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

bool parseIsoTimestamp(std::string_view s, common::TimestampNs& out) noexcept {
  int64_t y, mo, d, h, mi, se;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, se))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return false;
  size_t i = 19;
  int64_t fracNs = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int64_t scale = 100'000'000;
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      fracNs += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start) return false;
  }
  int64_t offsetSec = 0;
  if (i < s.size()) {
    if (s[i] == 'Z' && i + 1 == s.size()) {
      ++i;
    } else if ((s[i] == '+' || s[i] == '-') && s.size() == i + 6 && s[i + 3] == ':') {
      int64_t oh, om;
      if (!digits(s, i + 1, 2, oh) || !digits(s, i + 4, 2, om)) return false;
      offsetSec = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
      i = s.size();
    } else {
      return false;
    }
  }
  const int64_t secs = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offsetSec;
  out = secs * 1'000'000'000 + fracNs;
  return true;
}

namespace {

enum Key : uint8_t {
  kUuid, kSide, kOrdType, kPrice, kState, kMarket, kCreatedAt, kVolume, kRemaining, kExecuted, kPaidFee,
  kClientId, kTif, kError, kKeyCount
};
// Literals: data() is NUL-terminated, so a name doubles as the C string in ResponseResult::field.
// kClientId's slot is the dialect's key ("identifier" or "client_order_id"), matched separately.
constexpr std::string_view kNames[kKeyCount] = {
    "uuid",   "side",     "ord_type",         "price",           "state",    "market",     "created_at",
    "volume", "remaining_volume", "executed_volume", "paid_fee", "identifier", "time_in_force", "error"};

struct Scan {
  Status st[kKeyCount];
  std::string_view text[kKeyCount];
  uint32_t off[kKeyCount];
  bool null[kKeyCount];
  uint32_t objectOffset;
  std::string_view errorName, errorMessage;

  void reset() noexcept {
    std::fill(std::begin(st), std::end(st), Status::MissingField);
    std::fill(std::begin(null), std::end(null), false);
    errorName = errorMessage = {};
  }
  bool present(Key k) const noexcept { return st[k] != Status::MissingField && !null[k]; }
};

/// Amounts (fees) are truncated to kAmountScale rather than refused: a fee is not a price.
ParseStatus parseAmount(std::string_view text, int64_t& out) noexcept {
  ParseStatus ps = common::parseDecimal(text, common::kAmountScale, out);
  if (ps != ParseStatus::TooManyDecimals) return ps;
  const size_t dot = text.find('.');
  return common::parseDecimal(text.substr(0, dot + 1 + common::kAmountScale), common::kAmountScale, out);
}

}  // namespace

struct OrderResponseParser::Impl {
  od::parser json;
  std::unique_ptr<char[]> buf;
  size_t bufCap = 0;
  size_t maxOrders;
  std::unique_ptr<common::ExecutionReport[]> reports;
  std::unique_ptr<char[]> uuids;  // kUuidChars per report
  std::unique_ptr<uint8_t[]> uuidLen;
  size_t count = 0;
  VenueError error;
  Scan scan{};

  explicit Impl(const Limits& limits) : maxOrders(limits.maxOrders) {
    reports = std::make_unique<common::ExecutionReport[]>(maxOrders);
    uuids = std::make_unique<char[]>(kUuidChars * maxOrders);
    uuidLen = std::make_unique<uint8_t[]>(maxOrders);
    if (!reserve(limits.initialMessageBytes)) throw std::bad_alloc();
  }
  bool reserve(size_t len) noexcept {
    return shared::reservePadded(buf, bufCap, json, len);
  }
  uint32_t offsetOf(const char* p) const noexcept { return static_cast<uint32_t>(p - buf.get()); }

  simdjson::error_code scanObject(od::object obj, std::string_view clientIdKey) noexcept {
    for (auto field : obj) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return e;
      od::value v;
      if (auto e = field.value().get(v)) return e;
      uint8_t k = 0;
      if (key == clientIdKey) k = kClientId;
      else
        while (k < kKeyCount && (k == kClientId || key != kNames[k])) ++k;
      if (k == kKeyCount) continue;
      scan.off[k] = offsetOf(v.raw_json_token().data());
      if (k == kError) {
        scan.st[k] = Status::Ok;
        od::object eo;
        if (v.get_object().get(eo) != simdjson::SUCCESS) continue;
        for (auto ef : eo) {
          std::string_view ek;
          if (auto e = ef.unescaped_key().get(ek)) return e;
          od::value ev;
          if (auto e = ef.value().get(ev)) return e;
          std::string_view* dst = ek == "name" ? &scan.errorName : ek == "message" ? &scan.errorMessage : nullptr;
          if (dst == nullptr) continue;
          // Bithumb may send a numeric name: keep its text.
          if (ev.get_string().get(*dst) != simdjson::SUCCESS) *dst = ev.raw_json_token();
        }
        continue;
      }
      bool isNull = false;
      if (v.is_null().get(isNull) == simdjson::SUCCESS && isNull) {
        scan.st[k] = Status::Ok;
        scan.null[k] = true;
        continue;
      }
      scan.st[k] = v.get_string().get(scan.text[k]) == simdjson::SUCCESS ? Status::Ok : Status::WrongType;
      if (scan.st[k] != Status::Ok) scan.text[k] = v.raw_json_token();
    }
    return simdjson::SUCCESS;
  }
};

OrderResponseParser::OrderResponseParser(const Dialect& dialect, InstrumentResolver& resolver)
    : OrderResponseParser(dialect, resolver, Limits{}) {}
OrderResponseParser::OrderResponseParser(const Dialect& dialect, InstrumentResolver& resolver, Limits limits)
    : dialect_(dialect), resolver_(resolver), impl_(std::make_unique<Impl>(limits)) {}
OrderResponseParser::~OrderResponseParser() = default;

std::span<const common::ExecutionReport> OrderResponseParser::reports() const noexcept {
  return {impl_->reports.get(), impl_->count};
}
std::string_view OrderResponseParser::uuid(size_t i) const noexcept {
  return i < impl_->count ? std::string_view(impl_->uuids.get() + i * kUuidChars, impl_->uuidLen[i])
                          : std::string_view{};
}
const VenueError& OrderResponseParser::error() const noexcept { return impl_->error; }

namespace {

struct Converter {
  const Scan& s;
  ResponseResult& r;
  std::string_view clientIdKey;

  const char* name(Key k) const noexcept { return k == kClientId ? clientIdKey.data() : kNames[k].data(); }
  bool fail(Status st, Key k, uint32_t off, ParseStatus number = ParseStatus::Ok, std::string_view value = {}) noexcept {
    r.status = st;
    r.field = name(k);
    r.offset = off;
    r.number = number;
    r.value = value;
    return false;
  }
  bool need(Key k) noexcept {
    if (s.st[k] == Status::MissingField || s.null[k]) return fail(Status::MissingField, k, s.present(k) ? s.off[k] : s.objectOffset);
    return s.st[k] == Status::Ok || fail(s.st[k], k, s.off[k], ParseStatus::Ok, s.text[k]);
  }
  bool optional(Key k) noexcept { return s.st[k] == Status::MissingField || s.null[k] || need(k); }
  bool decimal(Key k, int scale, int64_t& out) noexcept {
    out = 0;
    if (!s.present(k)) return true;
    const ParseStatus ps = common::parseDecimal(s.text[k], scale, out);
    return ps == ParseStatus::Ok || fail(Status::BadNumber, k, s.off[k], ps, s.text[k]);
  }
  bool badValue(Key k) noexcept { return fail(Status::BadValue, k, s.off[k], ParseStatus::Ok, s.text[k]); }
};

}  // namespace

ResponseResult OrderResponseParser::parse(std::string_view body, common::TimestampNs receiveTs) noexcept {
  Impl& im = *impl_;
  im.count = 0;
  im.error = VenueError{};
  ResponseResult r;
  if (!im.reserve(body.size())) {
    r.status = Status::TooLarge;
    return r;
  }
  std::memcpy(im.buf.get(), body.data(), body.size());
  std::memset(im.buf.get() + body.size(), 0, simdjson::SIMDJSON_PADDING);

  od::document doc;
  auto invalid = [&]() noexcept {
    r.status = Status::InvalidJson;
    const char* at = nullptr;
    r.offset = doc.current_location().get(at) == simdjson::SUCCESS ? im.offsetOf(at) : static_cast<uint32_t>(body.size());
    return r;
  };
  if (im.json.iterate(im.buf.get(), body.size(), im.bufCap).get(doc) != simdjson::SUCCESS) {
    r.status = Status::InvalidJson;
    return r;
  }
  od::json_type top;
  if (doc.type().get(top) != simdjson::SUCCESS) return invalid();

  // Converts the scanned object into reports[count]; false with r set on failure.
  auto convert = [&](uint32_t item) noexcept -> bool {
    const Scan& s = im.scan;
    Converter c{s, r, dialect_.clientIdKey};
    r.item = item;
    if (!(c.need(kUuid) && c.need(kSide) && c.need(kOrdType) && c.need(kState) && c.need(kMarket) &&
          c.need(kCreatedAt) && c.need(kExecuted) && c.optional(kPrice) && c.optional(kVolume) &&
          c.optional(kRemaining) && c.optional(kPaidFee) && c.optional(kClientId) && c.optional(kTif)))
      return false;
    if (s.text[kUuid].size() > kUuidChars) return c.badValue(kUuid);
    const config::Instrument* inst = resolver_.resolve(s.text[kMarket]);
    if (inst == nullptr) return c.fail(Status::UnknownSymbol, kMarket, s.off[kMarket], ParseStatus::Ok, s.text[kMarket]);
    if (im.count == im.maxOrders) return c.fail(Status::TooManyLevels, kUuid, s.objectOffset);

    common::ExecutionReport e{};
    const std::string_view side = s.text[kSide], ot = s.text[kOrdType], state = s.text[kState];
    if (side == "bid") e.side = common::Side::Buy;
    else if (side == "ask") e.side = common::Side::Sell;
    else return c.badValue(kSide);
    bool priced = true;
    if (ot == "limit" || ot == "best") e.order_type = common::OrderType::Limit;
    else if (ot == "price" || ot == "market") {
      e.order_type = common::OrderType::Market;
      priced = false;
    } else return c.badValue(kOrdType);
    e.tif = ot == "best" ? common::TimeInForce::IOC : common::TimeInForce::GTC;
    if (s.present(kTif)) {
      const std::string_view t = s.text[kTif];
      if (t == "ioc") e.tif = common::TimeInForce::IOC;
      else if (t == "fok") e.tif = common::TimeInForce::FOK;
      else if (t == "post_only") e.tif = common::TimeInForce::PostOnly;
      else return c.badValue(kTif);
    }
    const int ps = inst->price_scale, qs = inst->qty_scale;
    if (!c.decimal(kExecuted, qs, e.cum_qty) || !c.decimal(kRemaining, qs, e.leaves_qty)) return false;
    if (priced && !c.decimal(kPrice, ps, e.order_price)) return false;
    if (s.present(kPaidFee)) {
      const ParseStatus fs = parseAmount(s.text[kPaidFee], e.fee);
      if (fs != ParseStatus::Ok) return c.fail(Status::BadNumber, kPaidFee, s.off[kPaidFee], fs, s.text[kPaidFee]);
    }
    if (state == "wait" || state == "watch") e.exec_type = e.cum_qty > 0 ? ExecType::PartiallyFilled : ExecType::New;
    else if (state == "done") e.exec_type = ExecType::Filled;
    else if (state == "cancel") e.exec_type = ExecType::Canceled;
    else return c.badValue(kState);
    common::TimestampNs created = 0;
    if (!parseIsoTimestamp(s.text[kCreatedAt], created)) return c.badValue(kCreatedAt);
    if (s.present(kClientId)) {
      uint64_t id = 0;
      bool numeric = !s.text[kClientId].empty() && s.text[kClientId].size() <= 20;
      for (char ch : s.text[kClientId]) {
        if (ch < '0' || ch > '9' || id > (UINT64_MAX - static_cast<uint64_t>(ch - '0')) / 10) {
          numeric = false;
          break;
        }
        id = id * 10 + static_cast<uint64_t>(ch - '0');
      }
      e.client_order_id = numeric ? id : 0;  // not one of ours
    }
    e.header = common::makeHeader<common::ExecutionReport>(dialect_.exchange, inst->id, created, receiveTs);
    e.venue_ts_ns = created;
    const size_t qn = std::min<size_t>(inst->quote.size(), sizeof e.fee_asset - 1);
    std::memcpy(e.fee_asset, inst->quote.data(), qn);
    im.reports[im.count] = e;
    std::memcpy(im.uuids.get() + im.count * kUuidChars, s.text[kUuid].data(), s.text[kUuid].size());
    im.uuidLen[im.count] = static_cast<uint8_t>(s.text[kUuid].size());
    ++im.count;
    return true;
  };

  if (top == od::json_type::object) {
    const char* at = nullptr;
    im.scan.reset();
    im.scan.objectOffset = doc.current_location().get(at) == simdjson::SUCCESS ? im.offsetOf(at) : 0;
    od::object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS || im.scanObject(obj, dialect_.clientIdKey) != simdjson::SUCCESS)
      return invalid();
    if (doc.current_location().error() == simdjson::SUCCESS) return invalid();
    if (im.scan.st[kError] == Status::Ok) {
      r.kind = ResponseKind::VenueError;
      im.error.name = im.scan.errorName;
      im.error.message = im.scan.errorMessage;
      im.error.reason = rejectReasonOf(im.scan.errorName);
      if (im.error.name.empty()) {
        r.status = Status::MissingField;
        r.field = "error.name";
        r.offset = im.scan.off[kError];
      }
      return r;
    }
    if (im.scan.st[kUuid] == Status::MissingField) {
      r.kind = ResponseKind::Other;
      return r;
    }
    r.kind = ResponseKind::Order;
    (void)convert(0);
    return r;
  }
  if (top != od::json_type::array) return invalid();
  r.kind = ResponseKind::Orders;
  od::array arr;
  if (doc.get_array().get(arr) != simdjson::SUCCESS) return invalid();
  uint32_t item = 0;
  for (auto element : arr) {
    od::value ev;
    if (element.get(ev) != simdjson::SUCCESS) return invalid();
    im.scan.reset();
    im.scan.objectOffset = im.offsetOf(ev.raw_json_token().data());
    od::object obj;
    if (ev.get_object().get(obj) != simdjson::SUCCESS || im.scanObject(obj, dialect_.clientIdKey) != simdjson::SUCCESS)
      return invalid();
    if (!convert(item)) return r;
    ++item;
  }
  if (doc.current_location().error() == simdjson::SUCCESS) return invalid();
  return r;
}

}  // namespace hft::api::upbit
