#include "api/exchanges/upbit/PrivateStreamParser.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <new>

#include "api/exchanges/shared/JsonDecimal.h"
#include "api/exchanges/upbit/VenueOrderIdOf.h"
#include "config/InstrumentRegistry.h"
#include "api/exchanges/shared/PaddedJson.h"

namespace hft::api::upbit {

namespace od = simdjson::ondemand;
using common::ExecType;
using common::ParseStatus;

const char* toString(PrivateKind k) noexcept {
  switch (k) {
    case PrivateKind::None: return "none";
    case PrivateKind::MyOrder: return "myOrder";
    case PrivateKind::MyAsset: return "myAsset";
    case PrivateKind::Status: return "status";
    case PrivateKind::VenueError: return "venue error";
    case PrivateKind::Other: return "other";
  }
  return "unknown";
}

namespace {

enum Key : uint8_t {
  kType, kCode, kUuid, kAskBid, kOrderType, kState, kTradeUuid, kPrice, kAvgPrice, kVolume, kRemaining, kExecuted,
  kTradeFee, kIsMaker, kClientId, kTif, kTimestamp, kStatus, kError, kAssets, kKeyCount
};
// data() of each literal is NUL-terminated: the name doubles as PrivateResult::field.
constexpr std::string_view kNames[kKeyCount] = {
    "type",   "code",      "uuid",     "ask_bid",          "order_type",      "state",     "trade_uuid",
    "price",  "avg_price", "volume",   "remaining_volume", "executed_volume", "trade_fee", "is_maker",
    "identifier", "time_in_force", "timestamp", "status", "error", "assets"};

/// A JSON number or numeric string at `scale`; amounts may be truncated (`truncate`).
ParseStatus decimalOf(std::string_view text, int scale, bool truncate, int64_t& out) noexcept {
  ParseStatus ps = shared::parseJsonDecimal(text, scale, out);
  if (ps != ParseStatus::TooManyDecimals || !truncate) return ps;
  if (text.find_first_of("eE") != std::string_view::npos) return ps;
  const size_t dot = text.find('.');
  return shared::parseJsonDecimal(text.substr(0, dot + 1 + static_cast<size_t>(scale)), scale, out);
}

}  // namespace

struct PrivateStreamParser::Impl {
  od::parser json;
  std::unique_ptr<char[]> buf;
  size_t bufCap = 0;
  // scan of the top-level object
  bool present[kKeyCount];
  bool isNull[kKeyCount];
  std::string_view text[kKeyCount];  // unescaped string contents, or the raw token
  uint32_t off[kKeyCount];
  uint32_t objectOffset = 0;
  std::string_view errorName;
  // results
  common::ExecutionReport report{};
  char uuid[kUuidChars];
  size_t uuidLen = 0;
  char tradeUuid[kUuidChars];
  size_t tradeUuidLen = 0;
  std::string_view state;
  common::BalanceUpdate balances[kMaxAssets];
  size_t balanceCount = 0;
  char field[48];

  explicit Impl(size_t initial) {
    if (!reserve(initial)) throw std::bad_alloc();
  }
  bool reserve(size_t len) noexcept {
    return shared::reservePadded(buf, bufCap, json, len);
  }
  uint32_t offsetOf(const char* p) const noexcept { return static_cast<uint32_t>(p - buf.get()); }
};

PrivateStreamParser::PrivateStreamParser(const Dialect& dialect, InstrumentResolver& resolver, size_t initialFrameBytes)
    : dialect_(dialect), resolver_(resolver), impl_(std::make_unique<Impl>(initialFrameBytes)) {}
PrivateStreamParser::~PrivateStreamParser() = default;

const common::ExecutionReport& PrivateStreamParser::report() const noexcept { return impl_->report; }
std::string_view PrivateStreamParser::uuid() const noexcept { return {impl_->uuid, impl_->uuidLen}; }
std::string_view PrivateStreamParser::tradeUuid() const noexcept { return {impl_->tradeUuid, impl_->tradeUuidLen}; }
std::string_view PrivateStreamParser::state() const noexcept { return impl_->state; }
std::span<const common::BalanceUpdate> PrivateStreamParser::balances() const noexcept {
  return {impl_->balances, impl_->balanceCount};
}
std::string_view PrivateStreamParser::errorName() const noexcept { return impl_->errorName; }

PrivateResult PrivateStreamParser::parse(std::string_view frame, common::TimestampNs receiveTs) noexcept {
  Impl& im = *impl_;
  PrivateResult r;
  im.balanceCount = 0;
  im.uuidLen = im.tradeUuidLen = 0;
  im.state = {};
  im.errorName = {};
  im.report = common::ExecutionReport{};
  if (!im.reserve(frame.size())) {
    r.status = Status::TooLarge;
    return r;
  }
  std::memcpy(im.buf.get(), frame.data(), frame.size());
  std::memset(im.buf.get() + frame.size(), 0, simdjson::SIMDJSON_PADDING);
  std::fill(std::begin(im.present), std::end(im.present), false);
  std::fill(std::begin(im.isNull), std::end(im.isNull), false);

  auto fail = [&](Status st, const char* field, uint32_t offset, ParseStatus number = ParseStatus::Ok,
                  std::string_view value = {}) noexcept {
    r.status = st;
    r.field = field;
    r.offset = offset;
    r.number = number;
    r.value = value;
    return r;
  };
  od::document doc;
  auto invalid = [&]() noexcept {
    const char* at = nullptr;
    return fail(Status::InvalidJson, "", doc.current_location().get(at) == simdjson::SUCCESS ? im.offsetOf(at)
                                                                                             : static_cast<uint32_t>(frame.size()));
  };
  if (im.json.iterate(im.buf.get(), frame.size(), im.bufCap).get(doc) != simdjson::SUCCESS) return fail(Status::InvalidJson, "", 0);
  od::object obj;
  {
    const char* at = nullptr;
    im.objectOffset = doc.current_location().get(at) == simdjson::SUCCESS ? im.offsetOf(at) : 0;
  }
  if (doc.get_object().get(obj) != simdjson::SUCCESS) return invalid();

  // Assets are converted while scanning (On-Demand reads forward only); a failure is kept
  // and reported after the scan, when the frame's type is known.
  PrivateResult assetFailure;
  const std::string_view clientIdKey = dialect_.clientIdKey;
  for (auto f : obj) {
    std::string_view key;
    if (f.unescaped_key().get(key) != simdjson::SUCCESS) return invalid();
    od::value v;
    if (f.value().get(v) != simdjson::SUCCESS) return invalid();
    uint8_t k = 0;
    if (key == clientIdKey) k = kClientId;
    else
      while (k < kKeyCount && (k == kClientId || key != kNames[k])) ++k;
    if (k == kKeyCount) continue;
    std::string_view raw = v.raw_json_token();
    im.off[k] = im.offsetOf(raw.data());
    im.present[k] = true;
    od::json_type t;
    if (v.type().get(t) != simdjson::SUCCESS) return invalid();
    if (k == kError) {
      od::object eo;
      if (v.get_object().get(eo) != simdjson::SUCCESS) continue;
      for (auto ef : eo) {
        std::string_view ek;
        if (ef.unescaped_key().get(ek) != simdjson::SUCCESS) return invalid();
        if (ek != "name") continue;
        od::value ev;
        if (ef.value().get(ev) != simdjson::SUCCESS) return invalid();
        if (ev.get_string().get(im.errorName) != simdjson::SUCCESS) im.errorName = ev.raw_json_token();
      }
      continue;
    }
    if (k == kAssets) {
      od::array arr;
      if (t != od::json_type::array || v.get_array().get(arr) != simdjson::SUCCESS) {
        if (assetFailure.ok()) assetFailure.status = Status::WrongType, assetFailure.field = "assets", assetFailure.offset = im.off[k];
        continue;
      }
      uint32_t item = 0;
      for (auto element : arr) {
        od::value ev;
        if (element.get(ev) != simdjson::SUCCESS) return invalid();
        const uint32_t itemOff = im.offsetOf(ev.raw_json_token().data());
        od::object ao;
        if (ev.get_object().get(ao) != simdjson::SUCCESS) return invalid();
        common::BalanceUpdate b{};
        bool haveCurrency = false, haveBalance = false;
        for (auto af : ao) {
          std::string_view ak;
          if (af.unescaped_key().get(ak) != simdjson::SUCCESS) return invalid();
          od::value av;
          if (af.value().get(av) != simdjson::SUCCESS) return invalid();
          std::string_view atext = av.raw_json_token();
          const uint32_t aoff = im.offsetOf(atext.data());
          auto assetFail = [&](Status st, const char* name, ParseStatus ps, std::string_view value) noexcept {
            if (!assetFailure.ok()) return;
            std::snprintf(im.field, sizeof im.field, "assets[%u].%s", item, name);
            assetFailure.status = st;
            assetFailure.field = im.field;
            assetFailure.offset = aoff;
            assetFailure.number = ps;
            assetFailure.value = value;
          };
          if (ak == "currency") {
            std::string_view cur;
            if (av.get_string().get(cur) != simdjson::SUCCESS) {
              assetFail(Status::WrongType, "currency", ParseStatus::Ok, atext);
              continue;
            }
            if (cur.empty() || cur.size() >= sizeof b.asset) {
              assetFail(Status::BadValue, "currency", ParseStatus::Ok, cur);
              continue;
            }
            std::memcpy(b.asset, cur.data(), cur.size());
            haveCurrency = true;
          } else if (ak == "balance" || ak == "locked") {
            std::string_view num;
            if (av.get_string().get(num) != simdjson::SUCCESS) num = atext;  // a number (or a numeric string)
            while (!num.empty() && (num.back() == ' ' || num.back() == '\n' || num.back() == '\r' || num.back() == '\t'))
              num.remove_suffix(1);
            int64_t value = 0;
            const ParseStatus ps = decimalOf(num, common::kAmountScale, true, value);
            if (ps != ParseStatus::Ok) {
              assetFail(Status::BadNumber, ak == "balance" ? "balance" : "locked", ps, num);
              continue;
            }
            if (ak == "balance") {
              b.free = value;
              haveBalance = true;
            } else {
              b.locked = value;
            }
          }
        }
        if (assetFailure.ok() && (!haveCurrency || !haveBalance)) {
          std::snprintf(im.field, sizeof im.field, "assets[%u].%s", item, haveCurrency ? "balance" : "currency");
          assetFailure.status = Status::MissingField;
          assetFailure.field = im.field;
          assetFailure.offset = itemOff;
        }
        if (assetFailure.ok()) {
          if (im.balanceCount == kMaxAssets) {
            assetFailure.status = Status::TooManyLevels;
            assetFailure.field = "assets";
            assetFailure.offset = itemOff;
          } else {
            im.balances[im.balanceCount++] = b;
          }
        }
        ++item;
      }
      continue;
    }
    if (t == od::json_type::null) {
      im.isNull[k] = true;
    } else if (t == od::json_type::string) {
      if (v.get_string().get(im.text[k]) != simdjson::SUCCESS) return invalid();
    } else {
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
        raw.remove_suffix(1);
      im.text[k] = raw;
    }
  }
  if (doc.current_location().error() == simdjson::SUCCESS) return invalid();  // trailing content

  auto has = [&](Key k) noexcept { return im.present[k] && !im.isNull[k]; };
  if (im.present[kError]) {
    r.kind = PrivateKind::VenueError;
    return r;
  }
  if (!has(kType)) {
    r.kind = has(kStatus) ? PrivateKind::Status : PrivateKind::Other;
    return r;
  }
  const std::string_view type = im.text[kType];
  if (type == "myAsset") {
    r.kind = PrivateKind::MyAsset;
    if (!assetFailure.ok()) {
      assetFailure.kind = r.kind;
      return assetFailure;
    }
    if (!im.present[kAssets]) return fail(Status::MissingField, "assets", im.objectOffset);
    int64_t tsMs = 0;
    if (has(kTimestamp) && shared::parseJsonDecimal(im.text[kTimestamp], 0, tsMs) != ParseStatus::Ok)
      return fail(Status::BadNumber, "timestamp", im.off[kTimestamp], ParseStatus::BadCharacter, im.text[kTimestamp]);
    const common::TimestampNs ts = tsMs * 1'000'000;
    for (size_t i = 0; i < im.balanceCount; ++i)
      im.balances[i].header = common::makeHeader<common::BalanceUpdate>(dialect_.exchange, 0, ts, receiveTs);
    return r;
  }
  if (type != "myOrder") {
    r.kind = PrivateKind::Other;
    return r;
  }
  r.kind = PrivateKind::MyOrder;
  auto fieldName = [&](Key k) noexcept { return k == kClientId ? clientIdKey.data() : kNames[k].data(); };
  auto need = [&](Key k) noexcept -> bool {
    if (has(k)) return true;
    fail(Status::MissingField, fieldName(k), im.present[k] ? im.off[k] : im.objectOffset);
    return false;
  };
  auto number = [&](Key k, int scale, bool truncate, int64_t& out) noexcept -> bool {
    out = 0;
    if (!has(k)) return true;
    const ParseStatus ps = decimalOf(im.text[k], scale, truncate, out);
    if (ps == ParseStatus::Ok) return true;
    fail(Status::BadNumber, fieldName(k), im.off[k], ps, im.text[k]);
    return false;
  };
  auto badValue = [&](Key k) noexcept {
    return fail(Status::BadValue, fieldName(k), im.off[k], ParseStatus::Ok, im.text[k]);
  };
  if (!need(kCode) || !need(kUuid) || !need(kAskBid) || !need(kOrderType) || !need(kState) || !need(kTimestamp))
    return r;
  const config::Instrument* inst = resolver_.resolve(im.text[kCode]);
  if (inst == nullptr) return fail(Status::UnknownSymbol, "code", im.off[kCode], ParseStatus::Ok, im.text[kCode]);
  if (im.text[kUuid].size() > kUuidChars) return badValue(kUuid);

  common::ExecutionReport& e = im.report;
  const std::string_view ab = im.text[kAskBid], ot = im.text[kOrderType], st = im.text[kState];
  if (ab == "BID" || ab == "bid") e.side = common::Side::Buy;
  else if (ab == "ASK" || ab == "ask") e.side = common::Side::Sell;
  else return badValue(kAskBid);
  if (ot == "limit" || ot == "best") e.order_type = common::OrderType::Limit;
  else if (ot == "price" || ot == "market") e.order_type = common::OrderType::Market;
  else return badValue(kOrderType);
  e.tif = ot == "best" ? common::TimeInForce::IOC : common::TimeInForce::GTC;
  if (has(kTif)) {
    const std::string_view t = im.text[kTif];
    if (t == "ioc") e.tif = common::TimeInForce::IOC;
    else if (t == "fok") e.tif = common::TimeInForce::FOK;
    else if (t == "post_only") e.tif = common::TimeInForce::PostOnly;
    else if (!t.empty()) return badValue(kTif);
  }
  const int ps = inst->price_scale, qs = inst->qty_scale;
  int64_t price = 0, volume = 0, tsMs = 0;
  if (!number(kExecuted, qs, false, e.cum_qty) || !number(kRemaining, qs, false, e.leaves_qty) ||
      !number(kAvgPrice, ps, true, e.avg_price) || !number(kPrice, ps, false, price) ||
      !number(kVolume, qs, false, volume) || !number(kTradeFee, common::kAmountScale, true, e.fee))
    return r;
  if (shared::parseJsonDecimal(im.text[kTimestamp], 0, tsMs) != ParseStatus::Ok)
    return fail(Status::BadNumber, "timestamp", im.off[kTimestamp], ParseStatus::BadCharacter, im.text[kTimestamp]);
  if (st == "wait" || st == "watch") {
    e.exec_type = e.cum_qty > 0 ? ExecType::PartiallyFilled : ExecType::New;
    e.fee = 0;
  } else if (st == "trade") {
    if (!need(kPrice) || !need(kVolume)) return r;
    if (volume <= 0) return fail(Status::BadValue, "volume", im.off[kVolume], ParseStatus::Ok, im.text[kVolume]);
    e.last_price = price;
    e.last_qty = volume;
    e.exec_type = e.leaves_qty > 0 ? ExecType::PartiallyFilled : ExecType::Filled;
    if (has(kIsMaker)) e.liquidity = im.text[kIsMaker] == "true" ? common::Liquidity::Maker : common::Liquidity::Taker;
    if (has(kTradeUuid)) {
      const std::string_view tu = im.text[kTradeUuid];
      if (tu.size() > kUuidChars) return badValue(kTradeUuid);
      std::memcpy(im.tradeUuid, tu.data(), tu.size());
      im.tradeUuidLen = tu.size();
      e.trade_id = venueOrderIdOf(tu);
    }
  } else if (st == "done") {
    e.exec_type = ExecType::Filled;
    e.fee = 0;
  } else if (st == "cancel" || st == "prevented") {
    e.exec_type = ExecType::Canceled;
    e.fee = 0;
  } else {
    return badValue(kState);
  }
  if (st != "trade" && e.order_type == common::OrderType::Limit) e.order_price = price;
  if (has(kClientId)) {
    uint64_t id = 0;
    const std::string_view c = im.text[kClientId];
    bool numeric = !c.empty() && c.size() <= 20;
    for (char ch : c) {
      if (ch < '0' || ch > '9' || id > (UINT64_MAX - static_cast<uint64_t>(ch - '0')) / 10) {
        numeric = false;
        break;
      }
      id = id * 10 + static_cast<uint64_t>(ch - '0');
    }
    e.client_order_id = numeric ? id : 0;
  }
  const common::TimestampNs ts = tsMs * 1'000'000;
  e.header = common::makeHeader<common::ExecutionReport>(dialect_.exchange, inst->id, ts, receiveTs);
  e.venue_ts_ns = ts;
  e.venue_order_id = venueOrderIdOf(im.text[kUuid]);
  const size_t qn = std::min<size_t>(inst->quote.size(), sizeof e.fee_asset - 1);
  std::memcpy(e.fee_asset, inst->quote.data(), qn);
  std::memcpy(im.uuid, im.text[kUuid].data(), im.text[kUuid].size());
  im.uuidLen = im.text[kUuid].size();
  im.state = st;
  return r;
}

}  // namespace hft::api::upbit
